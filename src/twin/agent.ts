// The twin's agents, each run inside one namespace: `node agent.js <mode> <config.json>`.
//   dns       the Amazon-provided resolver of one VPC (UDP and TCP, A and CNAME records: dns.ts, resolver.ts)
//   database  a DB instance on its address: PostgreSQL (postgres.ts) or MariaDB for Aurora MySQL (mariadb.ts), the
//             writer or a reader replicating from it
//   api       an HTTP(S) API on an instance's address: answers with what it received (the private API's stand-in)
// (The Lattice hop itself is kernel NAT between namespaces: see network.ts.)
// Each writes <config>.ready once it serves. Logs go to stdout (a file the twin keeps).
import { readFileSync, writeFileSync } from 'node:fs';
import type { DatabaseConfig } from './cache.js';
import type { Zone } from './dns.js';
import { runMariadb } from './mariadb.js';
import { runPostgres } from './postgres.js';
import { serve } from './resolver.js';

export type { DatabaseConfig } from './cache.js';

export interface DnsConfig {
  readonly listen: string;
  readonly records: Record<string, string[]>;
  /** CNAME records, when there are any: name → the name it points to. */
  readonly aliases?: Record<string, string>;
  /** TTLs in seconds of the names that have a known one. */
  readonly ttls?: Record<string, number>;
  /** Counts the rewrites a fault made (the agent writes it to <config>.generation once it reloaded). */
  readonly generation?: number;
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
const config = JSON.parse(readFileSync(configFile ?? '', 'utf8'));

/** The VPC's resolver, over UDP and TCP (resolver.ts). */
function dns(c: DnsConfig): void {
  const lower = <T>(r: Record<string, T>) =>
    Object.fromEntries(Object.entries(r).map(([k, v]) => [k.toLowerCase(), v]));
  const zoneOf = (x: DnsConfig): Zone => ({
    records: lower(x.records),
    aliases: lower(x.aliases ?? {}),
    ttls: lower(x.ttls ?? {}),
  });
  let zone = zoneOf(c);
  // A fault rewrites the config and sends SIGHUP: the new zone answers from the next query on.
  process.on('SIGHUP', () => {
    try {
      const next = JSON.parse(readFileSync(configFile ?? '', 'utf8')) as DnsConfig;
      zone = zoneOf(next);
      writeFileSync(`${configFile}.generation`, String(next.generation ?? 0));
      log(`reloaded: generation ${next.generation ?? 0}`);
    } catch (e) {
      log(`reload failed, the zone is unchanged: ${(e as Error).message}`);
    }
  });
  const names = Object.keys(zone.records).length + Object.keys(zone.aliases).length;
  serve(
    c.listen,
    () => zone,
    () => {
      log(`resolver on ${c.listen}:53 (UDP and TCP): ${names} names`);
      ready();
    },
    stopWith,
  );
}

/** One DB instance: PostgreSQL, or MariaDB for Aurora MySQL; the writer, or a reader replicating from it. */
async function database(c: DatabaseConfig): Promise<void> {
  const instance = await (c.engine === 'mysql' ? runMariadb : runPostgres)(c, log);
  const end = async () => {
    await instance.stop().catch(() => {});
    process.exit(0);
  };
  process.on('SIGTERM', end);
  process.on('SIGINT', end);
  // A fault restarts the server (a writer without readers fails over by restarting): <config>.restarts counts them.
  let restarts = 0;
  process.on('SIGUSR2', () => {
    instance
      .restart()
      .then(() => writeFileSync(`${configFile}.restarts`, String(++restarts)))
      .catch((e: Error) => stopWith(`the restart failed: ${e.message}`));
  });
  const role = c.writer ? `reader ${c.instance - 1} of ${c.writer}` : 'writer';
  const engine = c.engine === 'mysql' ? 'MariaDB' : 'PostgreSQL';
  log(`${engine} ${role} on ${c.address}:${c.port}, database ${c.database}, user ${c.user}`);
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
