// What the database agents share: the cache of binaries and initialized data directories kept between twins, the
// unprivileged system users the servers run as (PostgreSQL and MariaDB both refuse root), and starting a server.
import { spawn, spawnSync } from 'node:child_process';
import { chmodSync, existsSync, lstatSync, mkdirSync } from 'node:fs';
import { isAbsolute, resolve } from 'node:path';
import { TwinError } from './sys.js';

/** Initialized clusters and the binaries, kept between twins: LATTICE_SHARE_CACHE_DIR, or /var/cache/lattice-share. */
export function cacheDir(): string {
  const dir = process.env.LATTICE_SHARE_CACHE_DIR ?? '/var/cache/lattice-share';
  if (!isAbsolute(dir) || resolve(dir) === '/')
    throw new TwinError(
      `LATTICE_SHARE_CACHE_DIR must be an absolute directory other than "/", not "${dir}"`,
      'LS_CACHE_DIR_INVALID',
    );
  return resolve(dir);
}

/**
 * The cache directory, made 0711 if absent. One that exists must be root's and writable by no one else: the
 * binaries run from it, and the tool never changes the mode of a directory it did not make.
 */
export function ensureCache(): string {
  const dir = cacheDir();
  if (!existsSync(dir)) {
    mkdirSync(dir, { recursive: true, mode: 0o711 });
    chmodSync(dir, 0o711); // the servers' users pass through to their own directories
  }
  const st = lstatSync(dir);
  if (!st.isDirectory() || st.uid !== 0 || st.mode & 0o022) {
    throw new TwinError(
      `the cache ${dir} must be a directory of root's that no one else can write; set LATTICE_SHARE_CACHE_DIR to a new directory`,
      'LS_CACHE_DIR_INVALID',
    );
  }
  return dir;
}

export interface ServiceUser {
  readonly uid: number;
  readonly gid: number;
}

/** A system user without a home or a shell (`postgres`, `mysql`), made if absent, as Debian's packages make them. */
export function serviceUser(name: 'postgres' | 'mysql', code: 'LS_POSTGRES_FAILED' | 'LS_MARIADB_FAILED'): ServiceUser {
  const id = (flag: string) => spawnSync('id', [flag, name], { encoding: 'utf8' });
  if (id('-u').status !== 0) {
    spawnSync('useradd', ['--system', '--no-create-home', '--shell', '/usr/sbin/nologin', name], {
      stdio: 'ignore',
    });
  }
  const uid = Number(id('-u').stdout);
  const gid = Number(id('-g').stdout);
  if (!Number.isInteger(uid) || !Number.isInteger(gid) || id('-u').status !== 0) {
    throw new TwinError(`cannot find or make the ${name} system user (useradd --system ${name} failed)`, code);
  }
  return { uid, gid };
}

/** A DB instance's server as its agent holds it: stopped when the agent stops, restarted by a fault. */
export interface RunningInstance {
  stop(): Promise<void>;
  /** Stops the server and starts it again on the same data directory (a writer's restart). */
  restart(): Promise<void>;
}

/** The instance whose server `start` started (`first`): a restart stops the server it runs and calls `start` again. */
export function runningInstance(first: Server, start: () => Promise<Server>): RunningInstance {
  let server = first;
  return {
    stop: () => server.stop(),
    restart: async () => {
      await server.stop();
      server = await start();
    },
  };
}

/** What a database agent runs: one DB instance of a cluster, the writer or a reader replicating from it. */
export interface DatabaseConfig {
  readonly engine: 'postgres' | 'mysql';
  readonly dataDir: string;
  readonly address: string;
  readonly port: number;
  readonly user: string;
  readonly passwordFile: string;
  readonly database: string;
  /** 1 for the writer, 2… for the readers (MariaDB's server_id, a replica's name). */
  readonly instance: number;
  /** A reader: the writer's address (same port) it replicates from. */
  readonly writer?: string;
  /** The cluster's other instances' addresses, allowed to replicate from this one (any may be promoted). */
  readonly peers: string[];
}

/** A database server process as its agent holds it. */
export interface Server {
  stop(): Promise<void>;
}

/** How one engine's server is started and how its log says it is ready or why it stopped. */
export interface ServerSpec {
  /** The program's name in messages (`postgres`, `mariadbd`). */
  readonly name: string;
  readonly command: string;
  readonly args: string[];
  readonly user: ServiceUser;
  readonly env?: NodeJS.ProcessEnv;
  /** A log line that says it takes connections. */
  readonly ready: RegExp;
  /** The start of a log line that says what went wrong; the rest is the reason. */
  readonly error: RegExp;
  /** How to stop it cleanly (PostgreSQL's fast shutdown is SIGINT, MariaDB's SIGTERM). */
  readonly stopSignal: NodeJS.Signals;
  readonly code: 'LS_POSTGRES_FAILED' | 'LS_MARIADB_FAILED';
}

/** Starts a server as its user; resolves once it takes connections, rejects with its last error line. */
export function startServer(spec: ServerSpec, log: (line: string) => void): Promise<Server> {
  const { name, user } = spec;
  const child = spawn(spec.command, spec.args, {
    uid: user.uid,
    gid: user.gid,
    stdio: ['ignore', 'ignore', 'pipe'],
    ...(spec.env ? { env: spec.env } : {}),
  });
  let last = '';
  const exited = new Promise<void>((resolve) => child.on('exit', () => resolve()));
  const server: Server = {
    stop: async () => {
      if (child.exitCode === null && child.signalCode === null) child.kill(spec.stopSignal);
      await exited;
    },
  };
  return new Promise((resolve, reject) => {
    child.stderr.setEncoding('utf8');
    child.stderr.on('data', (chunk: string) => {
      for (const line of chunk.split('\n').filter(Boolean)) {
        log(line);
        if (spec.error.test(line)) last = line.replace(spec.error, '');
        if (spec.ready.test(line)) resolve(server);
      }
    });
    child.on('error', (e) => reject(new TwinError(`${name} could not start: ${e.message}`, spec.code)));
    child.on('exit', (code, signal) =>
      reject(new TwinError(`${name} stopped (${signal ?? `exit ${code}`})${last ? `: ${last}` : ''}`, spec.code)),
    );
  });
}
