// Helpers for twin tests: bring a (possibly edited) assembly up under a unique name, connect with real clients.
import { spawn, spawnSync } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadModel, type InfraModel } from '../../src/model/index.js';
import { down, namespacePrefix, readState, status, up } from '../../src/twin/index.js';
import { repo } from './synth.js';

export const bin = join(repo, 'dist', 'src', 'cli', 'main.js');
export const tcp = join(repo, 'dist', 'test', 'support', 'tcp.js');
const holdJs = join(repo, 'dist', 'test', 'support', 'hold.js');

export const ourNamespaces = (name: string): string[] =>
  (spawnSync('ip', ['netns', 'list'], { encoding: 'utf8' }).stdout ?? '')
    .split('\n')
    .map((l) => l.split(' ')[0]!)
    .filter((n) => n.startsWith(namespacePrefix(name)));

type Template = {
  Resources: Record<string, { Type: string; Properties?: Record<string, unknown>; DependsOn?: string[] }>;
};

/** A copy of an assembly with its templates edited: how broken variants are made. */
export function editAssembly(dir: string, edit: (stack: string, t: Template) => void): string {
  const copy = mkdtempSync(join(tmpdir(), 'ls-variant-'));
  cpSync(dir, copy, { recursive: true });
  for (const f of readdirSync(copy).filter((x) => x.endsWith('.template.json'))) {
    const t = JSON.parse(readFileSync(join(copy, f), 'utf8')) as Template;
    edit(f.replace('.template.json', ''), t);
    writeFileSync(join(copy, f), JSON.stringify(t));
  }
  return copy;
}

export interface RunningTwin {
  readonly name: string;
  readonly summary: ReturnType<typeof status>;
  readonly password: string;
  close(): void;
}

export async function startTwin(name: string, assembly: string, idleTimeoutMs?: number): Promise<RunningTwin> {
  return startTwinOf(name, loadModel(assembly), assembly, idleTimeoutMs);
}

/** A twin of a model read any way (template files, a stacks file); `label` is what its state records as the input. */
export async function startTwinOf(
  name: string,
  model: InfraModel,
  label: string,
  idleTimeoutMs?: number,
): Promise<RunningTwin> {
  try {
    await up(model, { name, assembly: label, idleTimeoutMs });
  } catch (e) {
    down(name);
    throw e;
  }
  const summary = status(name);
  const db = summary.databases.find((d) => d.passwordFile);
  return { name, summary, password: db ? readFileSync(db.passwordFile!, 'utf8').trim() : '', close: () => down(name) };
}

/** The twin's first database as its clients name it: port, master user, database. */
function clusterOf(t: RunningTwin): { port: number; user: string; database: string } {
  const db = t.summary.databases[0];
  return { port: db?.port ?? 0, user: db?.user ?? '', database: db?.database ?? '' };
}

/** psql inside a workload, through `lattice-share exec`; returns its output or the error, and the exit code. */
export function psql(
  t: RunningTwin,
  workload: string,
  host: string,
  sql: string,
  timeout = 3,
): { code: number; out: string } {
  const db = clusterOf(t);
  const r = spawnSync(
    process.execPath,
    [
      bin,
      'exec',
      '--name',
      t.name,
      workload,
      '--',
      'psql',
      `host=${host} user=${db.user} dbname=${db.database} connect_timeout=${timeout}`,
      '-Atc',
      sql,
    ],
    { encoding: 'utf8', timeout: 30_000, env: { ...process.env, PGPASSWORD: t.password } },
  );
  return { code: r.status ?? -1, out: (r.stdout + r.stderr).trim() };
}

/** A TCP connection attempt from any namespace of the twin, by label. */
export function connectIn(t: RunningTwin, label: string, host: string, port: number, ms = 1200): string {
  const ns = readState(t.name)!.nodes!.find((n) => n.label === label)!.namespace;
  return spawnSync('ip', ['netns', 'exec', ns, process.execPath, tcp, 'connect', host, String(port), String(ms)], {
    encoding: 'utf8',
    timeout: 30_000,
  }).stdout.trim();
}

/** Runs the pg driver inside a workload's namespace (a child node process there). */
export function pgQuery(t: RunningTwin, workload: string, host: string, sql: string): { code: number; out: string } {
  const db = clusterOf(t);
  const script = `import pg from 'pg'; const c = new pg.Client({ host: ${JSON.stringify(host)}, user: ${JSON.stringify(db.user)}, database: ${JSON.stringify(db.database)}, password: process.env.PGPASSWORD, connectionTimeoutMillis: 3000, query_timeout: 5000 });
    try { await c.connect(); const r = await c.query(${JSON.stringify(sql)}); console.log(JSON.stringify(r.rows)); await c.end(); } catch (e) { console.log('ERROR ' + e.message); process.exit(1); }`;
  const r = spawnSync(
    process.execPath,
    [bin, 'exec', '--name', t.name, workload, '--', process.execPath, '--input-type=module', '-e', script],
    { encoding: 'utf8', timeout: 30_000, cwd: repo, env: { ...process.env, PGPASSWORD: t.password } },
  );
  return { code: r.status ?? -1, out: r.stdout.trim() };
}

/** The mysql client inside a workload, through `lattice-share exec`: rows tab-separated, or the error. */
export function mysql(
  t: RunningTwin,
  workload: string,
  host: string,
  sql: string,
  timeout = 3,
): { code: number; out: string } {
  const db = clusterOf(t);
  const client = ['mysql', '--no-defaults', '-h', host, '-P', String(db.port), '-u', db.user];
  const r = spawnSync(
    process.execPath,
    [
      bin,
      'exec',
      '--name',
      t.name,
      workload,
      '--',
      ...client,
      `--connect-timeout=${timeout}`,
      '-NB',
      '-e',
      sql,
      db.database,
    ],
    { encoding: 'utf8', timeout: 30_000, env: { ...process.env, MYSQL_PWD: t.password } },
  );
  return { code: r.status ?? -1, out: (r.stdout + r.stderr).trim() };
}

/** Runs the mysql2 driver inside a workload's namespace (a child node process there): its rows as JSON. */
export function mysql2Query(
  t: RunningTwin,
  workload: string,
  host: string,
  sql: string,
): { code: number; out: string } {
  const db = clusterOf(t);
  const options = { host, port: db.port, user: db.user, database: db.database, connectTimeout: 3000 };
  const script = `import mysql from 'mysql2/promise';
    try { const c = await mysql.createConnection({ ...${JSON.stringify(options)}, password: process.env.MYSQL_PWD });
      const [rows] = await c.query(${JSON.stringify(sql)}); console.log(JSON.stringify(rows)); await c.end();
    } catch (e) { console.log('ERROR ' + e.message); process.exit(1); }`;
  const r = spawnSync(
    process.execPath,
    [bin, 'exec', '--name', t.name, workload, '--', process.execPath, '--input-type=module', '-e', script],
    { encoding: 'utf8', timeout: 30_000, cwd: repo, env: { ...process.env, MYSQL_PWD: t.password } },
  );
  return { code: r.status ?? -1, out: r.stdout.trim() };
}

/** Polls `probe` until it returns true or `ms` pass; how long it took, or undefined when it never did. */
export async function within(ms: number, probe: () => boolean): Promise<number | undefined> {
  const t0 = Date.now();
  for (;;) {
    if (probe()) return Date.now() - t0;
    if (Date.now() - t0 > ms) return undefined;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/** A connection held open from `workload` to `host` for `seconds`, querying; resolves with what it saw. */
export function hold(t: RunningTwin, workload: string, host: string, seconds: number) {
  const db = t.summary.databases[0];
  const args = [host, String(db?.port), db?.user ?? '', db?.database ?? '', String(seconds)];
  const child = spawn(
    process.execPath,
    [bin, 'exec', '--name', t.name, workload, '--', process.execPath, holdJs, ...args],
    {
      cwd: repo,
      env: { ...process.env, PGPASSWORD: t.password },
    },
  );
  let out = '';
  child.stdout.on('data', (d: Buffer) => (out += d.toString()));
  const connected = new Promise<void>((resolve) => {
    const check = () => (out.includes('connected') ? resolve() : setTimeout(check, 20));
    check();
  });
  const result = new Promise<{ ok: number; error?: string }>((resolve) =>
    child.on('exit', () => resolve(JSON.parse(out.trim().split('\n').pop() ?? '{}') as { ok: number; error?: string })),
  );
  return { connected, result };
}
