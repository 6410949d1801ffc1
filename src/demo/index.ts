// Entry point of the demo box: the seed system, end to end on this machine (npm start). Synthesizes
// examples/seed, brings it up in the twin, checks it from the consumer's EC2 with psql, and takes it down.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { synthesizeIsolated } from '../app/index.js';
import { loadConfig } from '../config/index.js';
import { loadModel } from '../model/index.js';
import { LatticeShareError } from '../shared/errors.js';
import { ioOf, type IoHost } from '../shared/io.js';
import { down, execCapture, InterruptedError, readState, status, up } from '../twin/index.js';

export interface Check {
  readonly check: string;
  readonly from: string;
  readonly name: string;
  readonly expect: 'connects' | 'fails';
  readonly passed: boolean;
  readonly detail: string;
}

export interface DemoOptions {
  readonly config: string;
  readonly name: string;
  /** Receives the demo's messages (LS_DEMO_I…, and the twin's inside). @default none */
  readonly io?: IoHost;
  /** Aborted on Ctrl-C: the demo stops where it is and takes down what it made. */
  readonly signal?: AbortSignal;
}

export async function runSeedDemo(o: DemoOptions): Promise<Check[]> {
  const work = mkdtempSync(join(tmpdir(), 'lattice-share-demo-'));
  try {
    if (readState(o.name)) down(o.name); // left by an earlier run that was killed
    const io = ioOf(o.io);
    io.info('LS_DEMO_I3000', `synthesizing ${o.config}`, { config: o.config });
    loadConfig(o.config); // invalid input: the config error, before anything is made
    const synth = await synthesizeIsolated(o.config, join(work, 'cdk.out'), { validate: false }, o.signal);
    if (synth.interrupted) throw new InterruptedError(String(o.signal?.reason ?? 'aborted'));
    if (!synth.ok) throw new LatticeShareError('LS_SYNTH_FAILED', `synth failed: ${synth.errors}`);
    const t0 = Date.now();
    await up(loadModel(join(work, 'cdk.out'), { standIns: true }), {
      name: o.name,
      assembly: join(work, 'cdk.out'),
      io: io.host,
      signal: o.signal,
    });
    const durationMs = Date.now() - t0;
    io.info('LS_DEMO_I3001', "checking from the consumer's EC2 instances", { durationMs });
    return checks(o.name);
  } finally {
    down(o.name);
    rmSync(work, { recursive: true, force: true });
  }
}

function checks(name: string): Check[] {
  const s = status(name);
  const db = s.databases.find((d) => d.passwordFile)!;
  const env = { ...process.env, PGPASSWORD: readFileSync(db.passwordFile!, 'utf8').trim(), PGCONNECT_TIMEOUT: '3' };
  const gateways = s.gateways.flatMap((g) => g.ips);
  const psql = (from: string, host: string, sql: string) =>
    execCapture(name, from, ['psql', `host=${host} user=${db.user} dbname=${db.database}`, '-Atc', sql], env);
  const [withDns, withoutDns] = s.endpoints;
  const out: Check[] = [];
  const add = (
    check: string,
    from: string,
    host: string,
    expect: Check['expect'],
    sql: string,
    verify: (output: string) => boolean = () => true,
  ) => {
    const r = psql(from, host, sql);
    const ok = expect === 'connects' ? r.code === 0 && verify(r.output) : r.code !== 0;
    const reason = /failed: ([^\n]+)$/m.exec(r.output)?.[1];
    out.push({
      check,
      from,
      name: host,
      expect,
      passed: ok,
      detail: r.code === 0 ? (r.output.split('\n')[0] ?? '') : `error: ${reason ?? r.output.split('\n')[0]}`,
    });
  };
  add(
    "PostgreSQL query over the endpoint's DNS name",
    'app',
    withDns!.dnsNames[0]!,
    'connects',
    'select count(*) from pg_database',
  );
  add('original writer name through private DNS', 'app', db.writer, 'connects', "select 'writer ok'");
  add('original reader name through private DNS', 'app', db.reader, 'connects', "select 'reader ok'");
  add('the database sees a gateway address', 'app', db.writer, 'connects', 'select inet_client_addr()', (o) =>
    gateways.includes(o.replace('/32', '')),
  );
  add('original name where private DNS is off', 'legacy', db.writer, 'fails', 'select 1');
  add('endpoint name where private DNS is off', 'legacy', withoutDns!.dnsNames[0]!, 'connects', 'select 1');
  add('a host outside the client security group', 'other', db.writer, 'fails', 'select 1');
  return out;
}

export function table(checks: Check[]): string {
  const rows = checks.map((c) => [
    c.passed ? 'PASS' : 'FAIL',
    c.check,
    c.from,
    `${c.expect}`,
    c.name.length > 48 ? `${c.name.slice(0, 45)}...` : c.name,
    c.detail.length > 60 ? `${c.detail.slice(0, 57)}...` : c.detail,
  ]);
  const head = ['', 'check', 'from', 'expected', 'name', 'observed'];
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const line = (r: string[]) =>
    r
      .map((x, i) => x.padEnd(widths[i]!))
      .join('  ')
      .trimEnd();
  return [line(head), line(widths.map((w) => '-'.repeat(w))), ...rows.map(line)].join('\n');
}
