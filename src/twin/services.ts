// What runs in the twin's namespaces as processes: a resolver per VPC, a database server per DB instance (PostgreSQL,
// or MariaDB for Aurora MySQL; readers replicate from the writer), and the HTTPS APIs
// instances serve (with a twin CA's certificates and the connections' API keys).
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import type { InfraModel } from '../model/index.js';
import { hex } from '../shared/index.js';
import type { IoHelper } from '../shared/io.js';
import type { ApiConfig, DatabaseConfig, DnsConfig } from './agent.js';
import type { Host, StartedAgent } from './host.js';
import type { TwinPlan } from './plan.js';
import { twinDir, type TwinState } from './state.js';
import { interruptible } from './sys.js';

export interface ServiceOptions {
  readonly io: IoHelper;
  readonly signal?: AbortSignal;
}

export interface ApiKey {
  /** The connection (by ID) whose secret this key stands for. */
  readonly connection: string;
  readonly header: string;
  /** 0600, in the twin's directory. */
  readonly file: string;
}

export interface DatabaseRun {
  readonly id: string;
  readonly engine: DatabaseConfig['engine'];
  readonly user: string;
  readonly database: string;
  readonly passwordFile: string;
}

const h = (s: string) => hex(s, 10);

/** The agent names (and so config files, `<name>.json` in the twin's directory) faults find agents by. */
export const agentNames = {
  resolver: (vpcId: string) => `dns-${h(vpcId)}`,
  /** The writer (index 0) and each reader, by their place in the cluster as `up` started them. */
  database: (clusterId: string, index: number) => (index ? `db-${h(clusterId)}-reader-${index}` : `db-${h(clusterId)}`),
};

/** The file holding a cluster's password, shared by its instances. */
const passwordFileOf = (dir: string, clusterId: string) => join(dir, `db-${h(clusterId)}.password`);

/**
 * Where a DB instance's data directory and its cluster's password file are in the twin's directory `dir`: from the
 * cluster's ID by a hash (an ID comes from templates, an imported one from its ARN, and must not shape a path). Derived
 * again wherever they are needed, never read back from a file.
 */
export const databasePaths = (dir: string, clusterId: string, index: number) => ({
  passwordFile: passwordFileOf(dir, clusterId),
  dataDir: join(dir, agentNames.database(clusterId, index)),
});

export interface Services {
  readonly databases: DatabaseRun[];
  readonly apiKeys: ApiKey[];
  /** The CA that signs the APIs' certificates: callers trust it, as AWS trusts public CAs. */
  readonly caFile?: string;
  readonly warnings: string[];
}

/** openssl req arguments for a new P-256 key, unencrypted, written to `keyFile`. */
const newKey = (keyFile: string) => [
  '-newkey',
  'ec',
  '-pkeyopt',
  'ec_paramgen_curve:prime256v1',
  '-nodes',
  '-keyout',
  keyFile,
];

/** A CA for this twin, and a certificate it signs for every name that points at the server (its records). */
function certificate(host: Host, dir: string, id: string, names: string[]): Tls {
  const openssl = (args: string[]) => host.run('openssl', args);
  const caFile = join(dir, 'ca.crt');
  const caKey = join(dir, 'ca.key');
  if (!host.exists(caFile)) {
    openssl(['req', '-x509', ...newKey(caKey), '-out', caFile, '-days', '7', '-subj', '/CN=lattice-share twin CA']);
    host.chmod(caKey, 0o600);
  }
  const keyFile = join(dir, `${id}.key`);
  const certFile = join(dir, `${id}.crt`);
  const csr = join(dir, `${id}.csr`);
  const ext = join(dir, `${id}.ext`);
  openssl(['req', ...newKey(keyFile), '-out', csr, '-subj', `/CN=${names[0] ?? id}`]);
  host.chmod(keyFile, 0o600);
  const altNames = names.map((n) => `DNS:${n}`).join(',') || `DNS:${id}`;
  host.writeFile(ext, `subjectAltName=${altNames}\nextendedKeyUsage=serverAuth\n`);
  const sign = ['-CA', caFile, '-CAkey', caKey, '-CAcreateserial', '-out', certFile, '-days', '7', '-extfile', ext];
  openssl(['x509', '-req', '-in', csr, ...sign]);
  return { certFile, keyFile, caFile };
}

interface Tls {
  readonly certFile: string;
  readonly keyFile: string;
  readonly caFile: string;
}

/** What starting the services shares: the host, the state, the plan and model, the run directory, the warnings. */
interface Run {
  readonly host: Host;
  readonly state: TwinState;
  readonly plan: TwinPlan;
  readonly m: InfraModel;
  readonly dir: string;
  readonly started: StartedAgent[];
  readonly warnings: string[];
}

/** A secret of the twin's own (a password or an API key), in a 0600 file of its run directory. */
function writeSecret(host: Host, file: string): void {
  host.writeFile(file, `${randomBytes(24).toString('base64url')}\n`, 0o600);
}

export async function startServices(
  host: Host,
  state: TwinState,
  plan: TwinPlan,
  m: InfraModel,
  o: ServiceOptions,
): Promise<Services> {
  const run: Run = { host, state, plan, m, dir: twinDir(state.name), started: [], warnings: [] };
  startResolvers(run);
  const databases = startDatabases(run);
  // Each API key connection gets a key of its own, standing for the secret EventBridge keeps for it.
  const apiKeys: ApiKey[] = m.connections.flatMap((c) => {
    if (!c.apiKeyName) return [];
    const file = join(run.dir, `${h(c.id)}.api-key`);
    writeSecret(host, file);
    return [{ connection: c.id, header: c.apiKeyName, file }];
  });
  const caFile = startApis(run, apiKeys);
  for (const ep of plan.nodes.filter((n) => n.role === 'endpoint')) {
    for (const r of ep.routes)
      if (r.refused) run.warnings.push(`endpoint ${ep.ownerId} (${r.listen}): not carried: ${r.refused}`);
  }
  const apis = m.services.length;
  const engines = (engine: string) => databases.filter((d) => d.engine === engine).length;
  const servers = [`${engines('postgres')} PostgreSQL`, `${engines('mysql')} MariaDB`].filter(
    (x) => !x.startsWith('0 '),
  );
  const what = ['resolvers', ...servers, ...(apis ? [`${apis} API${apis === 1 ? '' : 's'}`] : [])].join(', ');
  const count = run.started.length;
  o.io.info('LS_TWIN_I1100', `${count} agents starting (${what})`, { step: 'agents', count });
  await interruptible(Promise.all(run.started.map((a) => a.ready)), o.signal);
  return { databases, apiKeys, caFile, warnings: [...new Set(run.warnings)] };
}

/** A resolver per VPC; a VPC with EnableDnsSupport false has none: queries go unanswered. */
function startResolvers({ host, state, plan, started }: Run): void {
  for (const seg of plan.segments.filter((x) => x.dns)) {
    const aliases = Object.keys(seg.aliases).length ? { aliases: seg.aliases } : {};
    const ttls = Object.keys(seg.ttls ?? {}).length ? { ttls: seg.ttls } : {};
    const config: DnsConfig = { listen: seg.resolver, records: seg.records, ...aliases, ...ttls };
    started.push(
      host.startAgent({ state, namespace: seg.namespace, mode: 'dns', name: agentNames.resolver(seg.vpcId), config }),
    );
  }
}

/** The engine that stands in for a cluster's: PostgreSQL, or MariaDB for Aurora MySQL (MySQL's protocol). */
function engineOf(engine: string): DatabaseConfig['engine'] | undefined {
  if (/postgres/i.test(engine)) return 'postgres';
  if (/mysql|maria/i.test(engine)) return 'mysql';
  return undefined;
}

/**
 * The writer, then each reader instance: every DB instance runs a server, as every Aurora instance does, and the
 * readers replicate from the writer (PostgreSQL streaming replication, MariaDB replication).
 */
function startDatabases(run: Run): DatabaseRun[] {
  const { host, state, plan, m, dir, started, warnings } = run;
  const databases: DatabaseRun[] = [];
  for (const db of m.databases) {
    const instances = db.eniIds.map((eni) => plan.nodes.find((n) => n.eniId === eni)).filter((n) => n !== undefined);
    const engine = engineOf(db.engine);
    const [writer] = instances;
    if (!writer) continue;
    if (!engine) {
      warnings.push(`database ${db.id}: engine ${db.engine} is not run by the twin (PostgreSQL and MySQL only)`);
      continue;
    }
    const passwordFile = passwordFileOf(dir, db.id);
    writeSecret(host, passwordFile);
    const fallback =
      engine === 'mysql' ? { user: 'admin', database: 'mysql' } : { user: 'postgres', database: 'postgres' };
    const database = {
      id: db.id,
      engine,
      user: db.masterUser ?? fallback.user,
      database: db.databaseName ?? fallback.database,
      passwordFile,
    };
    databases.push(database);
    instances.forEach((node, i) => {
      const name = agentNames.database(db.id, i);
      const config: DatabaseConfig = {
        engine,
        user: database.user,
        database: database.database,
        ...databasePaths(dir, db.id, i),
        address: node.ip,
        port: db.port,
        instance: i + 1,
        ...(i ? { writer: writer.ip } : {}),
        peers: instances.filter((other) => other !== node).map((other) => other.ip),
      };
      started.push(
        host.startAgent({ state, namespace: node.namespace, mode: 'database', name, config, timeoutMs: 90_000 }),
      );
    });
  }
  return databases;
}

/** The HTTPS (or HTTP) APIs instances serve, HTTPS with a certificate of the twin's CA; the CA file, if any. */
function startApis(run: Run, apiKeys: ApiKey[]): string | undefined {
  const { host, state, plan, m, dir, started } = run;
  let caFile: string | undefined;
  for (const svc of m.services) {
    const eniId = m.instances.find((i) => i.id === svc.instanceId)?.eniId;
    const node = plan.nodes.find((n) => n.eniId === eniId);
    if (!node) continue;
    const pointing = m.records.filter((r) => r.addresses.some((a) => a === node.ip || node.secondaryIps.includes(a)));
    const names = [...new Set([...pointing.map((r) => r.name), ...(svc.names ?? [])].map((x) => x.toLowerCase()))];
    const name = `api-${h(svc.instanceId)}`;
    const tls = svc.protocol === 'https' ? certificate(host, dir, name, names) : undefined;
    caFile ??= tls?.caFile;
    const config: ApiConfig = {
      address: node.ip,
      port: svc.port,
      protocol: svc.protocol,
      certFile: tls?.certFile,
      keyFile: tls?.keyFile,
      keyFiles: apiKeys.map((k) => ({ header: k.header, file: k.file })),
    };
    started.push(host.startAgent({ state, namespace: node.namespace, mode: 'api', name, config }));
  }
  return caFile;
}
