// Helpers for twin tests: bring a (possibly edited) assembly up under a unique name, connect with real clients.
import { spawn, spawnSync } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadModel, type InfraModel } from '../../src/model/index.js';
import { down, namespacePrefix, readState, status, up } from '../../src/twin/index.js';
import { example, repo, synth, type Synthesized } from './synth.js';

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

/**
 * A command inside a workload, through `lattice-share exec`, with `env` added: its exit code and output (stdout and
 * stderr, or stdout alone).
 */
export function execIn(
  t: RunningTwin,
  workload: string,
  argv: string[],
  options: { env?: NodeJS.ProcessEnv; stdoutOnly?: boolean; timeoutMs?: number } = {},
): { code: number; out: string } {
  const r = spawnSync(process.execPath, [bin, 'exec', '--name', t.name, workload, '--', ...argv], {
    encoding: 'utf8',
    timeout: options.timeoutMs ?? 30_000,
    cwd: repo,
    env: { ...process.env, ...options.env },
  });
  return { code: r.status ?? -1, out: (options.stdoutOnly ? r.stdout : r.stdout + r.stderr).trim() };
}

/** psql inside a workload, through `lattice-share exec`; returns its output or the error, and the exit code. */
export function psql(t: RunningTwin, workload: string, host: string, sql: string, timeout = 3) {
  const db = clusterOf(t);
  const conninfo = `host=${host} user=${db.user} dbname=${db.database} connect_timeout=${timeout}`;
  return execIn(t, workload, ['psql', conninfo, '-Atc', sql], { env: { PGPASSWORD: t.password } });
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
  const node = [process.execPath, '--input-type=module', '-e', script];
  return execIn(t, workload, node, { env: { PGPASSWORD: t.password }, stdoutOnly: true });
}

/** The mysql client inside a workload, through `lattice-share exec`: rows tab-separated, or the error. */
export function mysql(t: RunningTwin, workload: string, host: string, sql: string, timeout = 3) {
  const db = clusterOf(t);
  const client = ['mysql', '--no-defaults', '-h', host, '-P', String(db.port), '-u', db.user];
  const argv = [...client, `--connect-timeout=${timeout}`, '-NB', '-e', sql, db.database];
  return execIn(t, workload, argv, { env: { MYSQL_PWD: t.password } });
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
  const node = [process.execPath, '--input-type=module', '-e', script];
  return execIn(t, workload, node, { env: { MYSQL_PWD: t.password }, stdoutOnly: true });
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

/**
 * A suite's twin of a shipped example: synthesized and brought up (named `<prefix>-<pid>`) in its `before`, closed and
 * its assembly removed in its `after`, pass or fail. `use` receives the twin and the assembly's folder.
 */
export function exampleTwin(
  hooks: { before: (fn: () => Promise<void>) => void; after: (fn: () => void) => void },
  name: string,
  prefix: string,
  use: (twin: RunningTwin, dir: string) => void,
): void {
  let synthesized: Synthesized | undefined;
  let twin: RunningTwin | undefined;
  hooks.before(async () => {
    synthesized = synth({ file: example(name) });
    twin = await startTwin(`${prefix}-${process.pid}`, synthesized.dir);
    use(twin, synthesized.dir);
  });
  hooks.after(() => {
    twin?.close();
    synthesized?.cleanup();
  });
}
