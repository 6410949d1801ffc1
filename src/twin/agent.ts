// The twin's agents, each run inside one namespace: `node agent.js <mode> <config.json>`.
//   dns       the Amazon-provided resolver of one VPC (UDP, A and CNAME records: dns.ts)
//   database  PostgreSQL on the DB instance's address (postgres.ts)
//   api       an HTTP(S) API on an instance's address: answers with what it received (the private API's stand-in)
// (The Lattice hop itself is kernel NAT between namespaces: see network.ts.)
// Each writes <config>.ready once it serves. Logs go to stdout (a file the twin keeps).
import { createSocket } from 'node:dgram';
import { spawnSync } from 'node:child_process';
import { chownSync, existsSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { hex } from '../shared/index.js';
import { dnsReply, type Zone } from './dns.js';
import { TwinError } from './sys.js';
import {
  binaries,
  cacheDir,
  initCluster,
  postgresUser,
  startServer,
  withLoopbackClient,
  type PostgresUser,
} from './postgres.js';

export interface DnsConfig {
  readonly listen: string;
  readonly records: Record<string, string[]>;
  /** CNAME records, when there are any: name → the name it points to. */
  readonly aliases?: Record<string, string>;
}
export interface DatabaseConfig {
  readonly dataDir: string;
  readonly address: string;
  readonly port: number;
  readonly user: string;
  readonly passwordFile: string;
  readonly database: string;
}

export interface ApiConfig {
  readonly address: string;
  readonly port: number;
  readonly protocol: 'https' | 'http';
  readonly certFile?: string;
  readonly keyFile?: string;
  /** Accepted API keys, by header (from the connections' secrets); none: no key needed. */
  readonly keyFiles: { readonly header: string; readonly file: string }[];
}

const [mode, configFile] = process.argv.slice(2);
const log = (line: string) => process.stdout.write(`${new Date().toISOString()} ${mode} ${line}\n`);
const ready = () => writeFileSync(`${configFile}.ready`, String(process.pid));
/** The one line startAgent reports when this agent fails: the real cause, not the last lines of a log. */
function stopWith(reason: string): never {
  log(`failed: ${reason}`);
  writeFileSync(`${configFile}.failed`, `${reason.split('\n')[0]}\n`, { mode: 0o600 });
  process.exit(1);
}
const config = JSON.parse(readFileSync(configFile!, 'utf8'));

function dns(c: DnsConfig): void {
  const lower = <T>(r: Record<string, T>) =>
    Object.fromEntries(Object.entries(r).map(([k, v]) => [k.toLowerCase(), v]));
  const zone: Zone = { records: lower(c.records), aliases: lower(c.aliases ?? {}) };
  const names = Object.keys(zone.records).length + Object.keys(zone.aliases).length;
  const server = createSocket('udp4');
  server.on('message', (q, rinfo) => {
    const reply = dnsReply(q, zone);
    if (reply) server.send(reply, rinfo.port, rinfo.address);
  });
  server.on('error', (e) => stopWith(`the resolver cannot listen on ${c.listen}:53: ${e.message}`));
  server.bind(53, c.listen, () => {
    log(`resolver on ${c.listen}: ${names} names`);
    ready();
  });
}

/** A cluster with this user and database, made once by initdb and kept for copying: initdb is most of a start-up. */
async function template(bin: string, c: DatabaseConfig, user: PostgresUser): Promise<string> {
  // Named by a hash: the user and database names come from templates and must not shape a path.
  const dir = join(cacheDir(), `cluster-${basename(dirname(bin))}-${hex(`${c.user}\0${c.database}`, 16)}`);
  if (existsSync(join(dir, 'PG_VERSION'))) return dir;
  const tmp = `${dir}.tmp-${process.pid}`;
  rmSync(tmp, { recursive: true, force: true });
  mkdirSync(tmp, { mode: 0o700 });
  try {
    chownSync(tmp, user.uid, user.gid);
    initCluster(bin, tmp, user, c.user);
    const server = await startServer(
      bin,
      tmp,
      c.port,
      ['-c', 'listen_addresses=127.0.0.1', '-c', 'unix_socket_directories='],
      user,
      () => {},
    );
    try {
      if (c.database !== 'postgres')
        await withLoopbackClient(c.port, c.user, 'postgres', (db) =>
          db.query(`CREATE DATABASE "${c.database.replace(/"/g, '""')}"`),
        );
    } finally {
      await server.stop();
    }
    renameSync(tmp, dir);
  } catch (e) {
    rmSync(tmp, { recursive: true, force: true });
    if (!existsSync(join(dir, 'PG_VERSION'))) throw e; // else another twin made it first
  }
  log(`initialized cluster kept in ${dir}`);
  return dir;
}

async function database(c: DatabaseConfig): Promise<void> {
  const password = readFileSync(c.passwordFile, 'utf8').trim();
  const user = postgresUser();
  const bin = binaries(user);
  const copied = spawnSync('cp', ['-a', await template(bin, c, user), c.dataDir], { encoding: 'utf8' });
  if (copied.status !== 0)
    throw new TwinError(`cannot copy the initialized cluster: ${copied.stderr.trim()}`, 'LS_POSTGRES_FAILED');
  // Until the password is set, only this namespace's own loopback may connect, without one. The file is root's, in
  // the twin's directory: root never writes into the data directory, which the postgres user owns (and could link).
  const hba = `${c.dataDir}.hba.conf`;
  writeFileSync(hba, 'host all all 127.0.0.1/32 trust\n', { mode: 0o644 });
  // TCP only, on the DB instance's address (and this namespace's own loopback); no Unix socket in /tmp to collide.
  const flags = [
    '-c',
    `listen_addresses=${c.address},127.0.0.1,::1`,
    '-c',
    'unix_socket_directories=',
    '-c',
    'log_connections=on',
    '-c',
    `hba_file=${hba}`,
  ];
  const server = await startServer(bin, c.dataDir, c.port, flags, user, log);
  await withLoopbackClient(c.port, c.user, c.database, async (db) => {
    await db.query(`ALTER ROLE "${c.user.replace(/"/g, '""')}" PASSWORD '${password.replace(/'/g, "''")}'`);
    writeFileSync(hba, 'host all all 0.0.0.0/0 scram-sha-256\n');
    await db.query('SELECT pg_reload_conf()');
  });
  const stop = async () => {
    await server.stop().catch(() => {});
    process.exit(0);
  };
  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);
  log(`PostgreSQL on ${c.address}:${c.port}, database ${c.database}, user ${c.user}`);
  ready();
}

/** Answers every request with what it received, as JSON; refuses a request without an accepted API key. */
async function api(c: ApiConfig): Promise<void> {
  const { createServer: createHttps } = await import('node:https');
  const { createServer: createHttp } = await import('node:http');
  const keys = c.keyFiles.map((k) => ({ header: k.header.toLowerCase(), value: readFileSync(k.file, 'utf8').trim() }));
  const handler = (req: import('node:http').IncomingMessage, res: import('node:http').ServerResponse) => {
    const chunks: Buffer[] = [];
    req.on('data', (d: Buffer) => {
      if (chunks.length < 64) chunks.push(d);
    });
    req.on('end', () => {
      const authorized = !keys.length || keys.some((k) => req.headers[k.header] === k.value);
      const body = Buffer.concat(chunks).toString('utf8').slice(0, 4096);
      res.writeHead(authorized ? 200 : 401, { 'content-type': 'application/json' });
      res.end(
        JSON.stringify(
          authorized
            ? {
                ok: true,
                method: req.method,
                path: req.url,
                host: req.headers.host,
                from: req.socket.remoteAddress,
                body,
              }
            : { ok: false, message: 'missing or wrong API key' },
        ),
      );
      log(`${req.socket.remoteAddress} ${req.method} ${req.url} ${authorized ? 200 : 401}`);
    });
  };
  const server =
    c.protocol === 'https'
      ? createHttps({ cert: readFileSync(c.certFile!), key: readFileSync(c.keyFile!) }, handler)
      : createHttp(handler);
  server.on('error', (e) => stopWith(`the API cannot listen on ${c.address}:${c.port}: ${e.message}`));
  server.listen(c.port, c.address, () => {
    log(`${c.protocol} API on ${c.address}:${c.port}`);
    ready();
  });
  process.on('SIGTERM', () => process.exit(0));
}

const modes: Record<string, (c: never) => void | Promise<void>> = { dns, database, api };
const run = modes[mode ?? ''];
if (!run) {
  log('usage: agent.js dns|database|api <config.json>');
  process.exit(2);
}
Promise.resolve(run(config as never)).catch((e: Error) => stopWith(e.message));
