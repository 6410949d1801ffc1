// MariaDB for the database agent, standing in for Aurora MySQL: Debian's mariadbd (installed by
// scripts/install-system-deps.sh), run as the unprivileged mysql user, from a copy of a data directory initialized
// once and kept in the cache. Root administers it over the Unix socket in the data directory (MariaDB's unix_socket
// authentication: root is root), never over the network; statements go on the client's stdin, so no password is on
// a command line.
import { spawnSync } from 'node:child_process';
import { chownSync, existsSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { backslashQuoted, hex } from '../shared/index.js';
import {
  ensureCache,
  runningInstance,
  serviceUser,
  startServer,
  type DatabaseConfig,
  type RunningInstance,
  type ServiceUser,
} from './cache.js';
import { alive } from './proc.js';
import { TwinError } from './sys.js';

type Log = (line: string) => void;

const failed = (message: string) => new TwinError(message, 'LS_MARIADB_FAILED');

/** Debian installs the server in /usr/sbin, the client in /usr/bin. */
function tool(name: string): string {
  const found = ['/usr/sbin', '/usr/bin', '/usr/local/sbin', '/usr/local/bin']
    .map((dir) => join(dir, name))
    .find((path) => existsSync(path));
  if (!found)
    throw failed(
      `${name} is not installed: run "bash scripts/install-system-deps.sh" as root (apt-get install mariadb-server-core mariadb-client-core)`,
    );
  return found;
}

/**
 * The privileges Aurora MySQL version 3 gives its master user, as MariaDB names them (those MariaDB has): no SUPER or
 * READ ONLY ADMIN, so a reader's read_only holds for it as on Aurora (README, "The twin": master user privileges).
 */
const MASTER_PRIVILEGES = [
  'SELECT, INSERT, UPDATE, DELETE, CREATE, DROP, ALTER, INDEX, REFERENCES, CREATE TEMPORARY TABLES, LOCK TABLES',
  'EXECUTE, CREATE VIEW, SHOW VIEW, CREATE ROUTINE, ALTER ROUTINE, EVENT, TRIGGER, SHOW DATABASES, CREATE USER',
  'PROCESS, RELOAD, REPLICATION CLIENT, REPLICATION SLAVE, CONNECTION ADMIN, SET USER',
].join(', ');

export const literal = backslashQuoted;
const identifier = (name: string) => `\`${name.replace(/`/g, '``')}\``;

/** The master user and the database, made on each instance apart (not written to the binary log). */
function setupSql(c: DatabaseConfig, password: string): string {
  const account = `${literal(c.user)}@'%'`;
  return [
    'SET sql_log_bin = 0;',
    `CREATE USER IF NOT EXISTS ${account} IDENTIFIED BY ${literal(password)};`,
    `GRANT ${MASTER_PRIVILEGES} ON *.* TO ${account} WITH GRANT OPTION;`,
    `CREATE DATABASE IF NOT EXISTS ${identifier(c.database)};`,
  ].join('\n');
}

/** A reader: read-only for every client, replicating from the writer by GTID. */
function replicaSql(c: DatabaseConfig, writer: string, password: string): string {
  return [
    'SET GLOBAL read_only = ON;',
    `CHANGE MASTER TO MASTER_HOST = ${literal(writer)}, MASTER_PORT = ${c.port}, MASTER_USER = ${literal(c.user)},`,
    `  MASTER_PASSWORD = ${literal(password)}, MASTER_USE_GTID = slave_pos, MASTER_CONNECT_RETRY = 1;`,
    'START SLAVE;',
  ].join('\n');
}

/** The server's version, which names the cached data directory. */
function version(mariadbd: string): string {
  const r = spawnSync(mariadbd, ['--version'], { encoding: 'utf8' });
  const found = /Ver\s+(\S+)/.exec(r.stdout ?? '')?.[1];
  if (r.status !== 0 || !found) throw failed(`${mariadbd} --version failed: ${(r.stderr ?? '').trim()}`);
  return /^[\w.+-]{1,64}$/.test(found) ? found : hex(found, 16);
}

/** The mark lattice-share writes in a data directory once it is whole. */
const COMPLETE = '.complete';
const isComplete = (folder: string): boolean => existsSync(join(folder, COMPLETE));

/**
 * A data directory initialized once (system tables, root over the socket only) and kept for copying. Two
 * mariadb-install-db runs at once fail each other ("Unknown table 'mysql.tmp_user_sys'"): one agent at a time
 * initializes, holding a lock directory beside it with its pid (a lock whose holder is gone is taken over).
 */
async function template(mariadbd: string, user: ServiceUser, log: Log): Promise<string> {
  const dir = join(ensureCache(), `mariadb-${version(mariadbd)}`);
  const lock = `${dir}.lock`;
  for (const t0 = Date.now(); !isComplete(dir);) {
    if (!takeLock(lock)) {
      if (Date.now() - t0 > 120_000) throw failed(`another twin has held ${lock} for 120 s; remove it if none runs`);
      await new Promise((resolve) => setTimeout(resolve, 100));
      continue;
    }
    try {
      if (!isComplete(dir)) initialize(dir, user, log);
    } finally {
      rmSync(lock, { recursive: true, force: true });
    }
  }
  return dir;
}

/** Takes the lock directory, or one whose holder is gone; false while a live process holds it. */
function takeLock(lock: string): boolean {
  try {
    mkdirSync(lock, { mode: 0o700 });
  } catch {
    let holder = NaN;
    try {
      holder = Number(readFileSync(join(lock, 'pid'), 'utf8'));
    } catch {
      return false; // being made or removed right now
    }
    if (alive(holder)) return false;
    rmSync(lock, { recursive: true, force: true });
    return false; // taken on the next try
  }
  writeFileSync(join(lock, 'pid'), String(process.pid));
  return true;
}

/** mariadb-install-db into a new directory, then renamed into place: a copy is never seen half made. */
function initialize(dir: string, user: ServiceUser, log: Log): void {
  assertNothingInTheWay(dir); // before a minute of mariadb-install-db, not after
  const tmp = `${dir}.tmp-${process.pid}`;
  rmSync(tmp, { recursive: true, force: true });
  mkdirSync(tmp, { mode: 0o700 });
  chownSync(tmp, user.uid, user.gid);
  const args = ['--no-defaults', `--datadir=${tmp}`, '--user=mysql', '--skip-test-db'];
  const init = spawnSync(tool('mariadb-install-db'), [...args, '--auth-root-authentication-method=socket', ...INNODB], {
    encoding: 'utf8',
  });
  if (init.status !== 0) {
    rmSync(tmp, { recursive: true, force: true });
    const error = (init.stderr || init.stdout).split('\n').find((l) => /ERROR/.test(l)) ?? init.stderr.trim();
    throw failed(`mariadb-install-db failed: ${error.trim()}`);
  }
  // As the mysql user, who owns the data directory: root writes nothing inside it.
  const marked = spawnSync('touch', [join(tmp, COMPLETE)], { uid: user.uid, gid: user.gid, encoding: 'utf8' });
  if (marked.status !== 0) {
    rmSync(tmp, { recursive: true, force: true });
    throw failed(`cannot mark the initialized data directory complete: ${(marked.stderr ?? '').trim()}`);
  }
  publish(tmp, dir);
  log(`initialized data directory kept in ${dir}`);
}

/**
 * Renames a complete copy (`tmp`, with its `.complete`) into place, or keeps the one already there: another agent that
 * took a stale lock may have finished first, and its copy may be being copied now. What is at `dir` is never removed
 * or replaced: only this rename puts a copy there, complete, so anything there without `.complete` (even an empty
 * folder, which a rename would replace) is not this tool's, and it is left for the user to look at.
 */
export function publish(tmp: string, dir: string): void {
  try {
    if (!isComplete(tmp)) throw failed(`${tmp} is not a complete data directory`);
    if (isComplete(dir)) return; // another agent's copy, which may be being copied now, is kept
    assertNothingInTheWay(dir);
    renameSync(tmp, dir);
  } catch (e) {
    if (isComplete(dir)) return; // another agent renamed its copy into place first
    if (e instanceof TwinError) throw e;
    const why = (e as NodeJS.ErrnoException).code ?? String(e);
    throw failed(`cannot put MariaDB's initialized data directory at ${dir} (${why}): move away what is there`);
  } finally {
    rmSync(tmp, { recursive: true, force: true }); // gone already once renamed
  }
}

/** A directory at `dir` that lattice-share did not complete: an error that says to move it away. */
function assertNothingInTheWay(dir: string): void {
  if (existsSync(dir) && !isComplete(dir))
    throw failed(`${dir} is in the way of MariaDB's initialized data directory and not complete: move it away`);
}

/** Small InnoDB files: a twin's databases hold test data, and a copy of the directory is most of a start-up. */
const INNODB = ['--innodb-log-file-size=8M'];

/** Starts mariadbd as the mysql user; resolves once it takes connections, rejects with its last error. */
const startMariadb = (mariadbd: string, args: string[], user: ServiceUser, log: Log) =>
  startServer(
    {
      name: 'mariadbd',
      command: mariadbd,
      args,
      user,
      ready: /ready for connections/,
      error: /^.*?\[ERROR\]\s*/,
      stopSignal: 'SIGTERM',
      code: 'LS_MARIADB_FAILED',
    },
    log,
  );

/** Statements run as root over the socket; their output (tab-separated; a \G row one "name: value" a line). */
export function admin(socket: string, sql: string, columnNames = true): string {
  const args = ['--no-defaults', `--socket=${socket}`, '--user=root', '--batch', ...(columnNames ? [] : ['-N'])];
  const r = spawnSync(tool('mariadb'), args, {
    input: sql,
    encoding: 'utf8',
  });
  if (r.status !== 0) throw failed(`MariaDB refused the twin's setup: ${(r.stderr ?? '').trim().split('\n').pop()}`);
  return r.stdout;
}

/** Waits until a reader's replication connects to the writer: only then does it see what the writer commits. */
async function untilReplicating(socket: string, writer: string, port: number): Promise<void> {
  const deadline = Date.now() + 60_000;
  for (;;) {
    if (/Slave_IO_Running: Yes/.test(admin(socket, 'SHOW SLAVE STATUS\\G'))) return;
    if (Date.now() > deadline)
      throw failed(`the reader did not replicate from the writer ${writer}:${port} within 60 s`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/**
 * One DB instance of an Aurora MySQL cluster on MariaDB: the writer (binary log on) or a reader replicating from it,
 * read-only. Ready once the master user can connect with the password; returns how to stop it.
 */
export async function runMariadb(c: DatabaseConfig, log: Log): Promise<RunningInstance> {
  const password = readFileSync(c.passwordFile, 'utf8').trim();
  const user = serviceUser('mysql', 'LS_MARIADB_FAILED');
  const mariadbd = tool('mariadbd');
  const copied = spawnSync('cp', ['-a', await template(mariadbd, user, log), c.dataDir], { encoding: 'utf8' });
  if (copied.status !== 0) throw failed(`cannot copy the initialized data directory: ${copied.stderr.trim()}`);
  const socket = join(c.dataDir, 'mysqld.sock');
  const args = [
    ...['--no-defaults', `--datadir=${c.dataDir}`, `--socket=${socket}`, `--pid-file=${join(c.dataDir, 'mysqld.pid')}`],
    ...[`--bind-address=${c.address}`, `--port=${c.port}`, '--skip-name-resolve', `--server-id=${c.instance}`],
    ...['--innodb-buffer-pool-size=32M', ...INNODB],
    // Every instance logs what it applies: any may be promoted, and the others then replicate from it.
    ...[`--log-bin=${join(c.dataDir, 'binlog')}`, '--log-slave-updates', `--relay-log=${join(c.dataDir, 'relay')}`],
  ];
  const start = () => startMariadb(mariadbd, args, user, log);
  const server = await start();
  admin(socket, setupSql(c, password));
  if (c.writer) {
    admin(socket, replicaSql(c, c.writer, password));
    await untilReplicating(socket, c.writer, c.port);
  }
  return runningInstance(server, start);
}
