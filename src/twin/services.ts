// What runs in the twin's namespaces as processes: a resolver per VPC, a PostgreSQL per cluster, and the HTTPS APIs
// instances serve (with a twin CA's certificates and the connections' API keys).
import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { chmodSync, existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { InfraModel } from '../model/index.js';
import { hex } from '../shared/index.js';
import type { IoHelper } from '../shared/io.js';
import type { ApiConfig, DatabaseConfig, DnsConfig } from './agent.js';
import { startAgent, type StartedAgent } from './agents.js';
import type { TwinPlan } from './plan.js';
import { twinDir, type TwinState } from './state.js';
import { interruptible, TwinError } from './sys.js';

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
  readonly user: string;
  readonly database: string;
  readonly passwordFile: string;
}

const h = (s: string) => hex(s, 10);

export interface Services {
  readonly databases: DatabaseRun[];
  readonly apiKeys: ApiKey[];
  /** The CA that signs the APIs' certificates: callers trust it, as AWS trusts public CAs. */
  readonly caFile?: string;
  readonly warnings: string[];
}

/** Runs openssl; its stderr (never a secret) becomes the error. */
function openssl(args: string[]): void {
  const r = spawnSync('openssl', args, { encoding: 'utf8' });
  if (r.error || r.status !== 0)
    throw new TwinError(
      `openssl ${args[0]} failed: ${(r.stderr ?? r.error?.message ?? '').trim().split('\n').pop()}`,
      'LS_TWIN_TOOL_FAILED',
    );
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
function certificate(dir: string, id: string, names: string[]): { certFile: string; keyFile: string; caFile: string } {
  const caFile = join(dir, 'ca.crt');
  const caKey = join(dir, 'ca.key');
  if (!existsSync(caFile)) {
    openssl(['req', '-x509', ...newKey(caKey), '-out', caFile, '-days', '7', '-subj', '/CN=lattice-share twin CA']);
    chmodSync(caKey, 0o600);
  }
  const keyFile = join(dir, `${id}.key`);
  const certFile = join(dir, `${id}.crt`);
  const csr = join(dir, `${id}.csr`);
  const ext = join(dir, `${id}.ext`);
  openssl(['req', ...newKey(keyFile), '-out', csr, '-subj', `/CN=${names[0] ?? id}`]);
  chmodSync(keyFile, 0o600);
  writeFileSync(
    ext,
    `subjectAltName=${names.map((n) => `DNS:${n}`).join(',') || `DNS:${id}`}\nextendedKeyUsage=serverAuth\n`,
  );
  openssl([
    'x509',
    '-req',
    '-in',
    csr,
    '-CA',
    caFile,
    '-CAkey',
    caKey,
    '-CAcreateserial',
    '-out',
    certFile,
    '-days',
    '7',
    '-extfile',
    ext,
  ]);
  return { certFile, keyFile, caFile };
}

export async function startServices(
  state: TwinState,
  plan: TwinPlan,
  m: InfraModel,
  o: ServiceOptions,
): Promise<Services> {
  const dir = twinDir(state.name);
  const started: StartedAgent[] = [];
  const warnings: string[] = [];
  // A VPC with EnableDnsSupport false has no resolver: queries go unanswered.
  for (const seg of plan.segments.filter((x) => x.dns)) {
    started.push(
      startAgent(state, seg.namespace, 'dns', `dns-${h(seg.vpcId)}`, {
        listen: seg.resolver,
        records: seg.records,
      } satisfies DnsConfig),
    );
  }
  const databases: DatabaseRun[] = [];
  for (const db of m.databases) {
    // The writer, then each reader instance: every DB instance runs a server, as every Aurora instance does.
    const instances = db.eniIds.map((eni) => plan.nodes.find((n) => n.eniId === eni)).filter((n) => n !== undefined);
    if (!instances.length) continue;
    if (!/postgres/.test(db.engine)) {
      warnings.push(`database ${db.id}: engine ${db.engine} is not run by the twin (PostgreSQL only)`);
      continue;
    }
    if (instances.length > 1) {
      warnings.push(
        `database ${db.id}: its ${instances.length - 1} reader instance(s) run a PostgreSQL of their own, not a replica of the writer: what the writer stores is not seen there`,
      );
    }
    const passwordFile = join(dir, `${db.id}.password`);
    writeFileSync(passwordFile, `${randomBytes(24).toString('base64url')}\n`, { mode: 0o600 });
    const run = { id: db.id, user: db.masterUser ?? 'postgres', database: db.databaseName ?? 'postgres', passwordFile };
    databases.push(run);
    instances.forEach((node, i) => {
      const agent = i ? `db-${h(db.id)}-reader-${i}` : `db-${h(db.id)}`;
      started.push(
        startAgent(
          state,
          node.namespace,
          'database',
          agent,
          {
            dataDir: join(dir, agent),
            address: node.ip,
            port: db.port,
            user: run.user,
            passwordFile,
            database: run.database,
          } satisfies DatabaseConfig,
          90_000,
        ),
      );
    });
  }
  // Each API key connection gets a key of its own, standing for the secret EventBridge keeps for it.
  const apiKeys: ApiKey[] = m.connections
    .filter((c) => c.apiKeyName)
    .map((c) => {
      const file = join(dir, `${h(c.id)}.api-key`);
      writeFileSync(file, `${randomBytes(24).toString('base64url')}\n`, { mode: 0o600 });
      return { connection: c.id, header: c.apiKeyName!, file };
    });
  let caFile: string | undefined;
  for (const svc of m.services) {
    const eniId = m.instances.find((i) => i.id === svc.instanceId)?.eniId;
    const node = plan.nodes.find((n) => n.eniId === eniId);
    if (!node) continue;
    const names = [
      ...new Set(
        m.records
          .filter((r) => r.addresses.some((a) => a === node.ip || node.secondaryIps.includes(a)))
          .map((r) => r.name.toLowerCase()),
      ),
    ];
    const tls = svc.protocol === 'https' ? certificate(dir, `api-${h(svc.instanceId)}`, names) : undefined;
    caFile ??= tls?.caFile;
    started.push(
      startAgent(state, node.namespace, 'api', `api-${h(svc.instanceId)}`, {
        address: node.ip,
        port: svc.port,
        protocol: svc.protocol,
        certFile: tls?.certFile,
        keyFile: tls?.keyFile,
        keyFiles: apiKeys.map((k) => ({ header: k.header, file: k.file })),
      } satisfies ApiConfig),
    );
  }
  for (const ep of plan.nodes.filter((n) => n.role === 'endpoint')) {
    for (const r of ep.routes)
      if (r.refused) warnings.push(`endpoint ${ep.ownerId} (${r.listen}): not carried: ${r.refused}`);
  }
  const apis = m.services.length;
  const what = `resolvers, ${databases.length} PostgreSQL${apis ? `, ${apis} API${apis === 1 ? '' : 's'}` : ''}`;
  o.io.info('LS_TWIN_I1100', `${started.length} agents starting (${what})`, { step: 'agents', count: started.length });
  await interruptible(Promise.all(started.map((a) => a.ready)), o.signal);
  return { databases, apiKeys, caFile, warnings: [...new Set(warnings)] };
}
