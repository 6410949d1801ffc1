// npm run bench:faults (root): a soak, not a test. examples/many-consumers in the twin (Aurora PostgreSQL, a writer and
// a reader in two zones); pgbench (TPC-B-like, 4 clients, a new connection per transaction, in one-second rounds) runs
// from analytics-app through its endpoint by the writer's custom name while the zone of the reader goes down and comes
// back, then the writer fails over to the reader. Reports transactions, failures, the longest gap without a
// successful transaction (from pgbench's per-transaction logs), and whether every committed transaction is there
// afterwards (pgbench_history rows against the transactions pgbench counted). BENCH_SECONDS sets the length (30).
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildApp } from '../src/app/index.js';
import { loadConfig } from '../src/config/index.js';
import { loadModel } from '../src/model/index.js';
import { down, fault, readState, status, twinModel, up } from '../src/twin/index.js';

const SECONDS = Math.max(20, Number(process.env.BENCH_SECONDS ?? 30));
const NAME = `bench-faults-${process.pid}`;
const WRITER = 'orders.db.example.com';
const say = (line: string) => process.stdout.write(`${line}\n`);

interface Round {
  readonly transactions: number;
  readonly failed: boolean;
  /** Each successful transaction's end, in ms since the epoch. */
  readonly ends: number[];
}

function main(): Promise<void> {
  if (process.getuid?.() !== 0) throw new Error('bench:faults needs root (network namespaces)');
  const work = mkdtempSync(join(tmpdir(), 'ls-bench-faults-'));
  return soak(work).finally(() => {
    down(NAME);
    rmSync(work, { recursive: true, force: true });
  });
}

async function soak(work: string): Promise<void> {
  const assembly = join(work, 'cdk.out');
  const config = fileURLToPath(new URL('../../examples/many-consumers/lattice-share.yaml', import.meta.url));
  buildApp(loadConfig(config), { outdir: assembly }).app.synth();
  await up(loadModel(assembly), { name: NAME, assembly });
  const s = status(NAME);
  const db = s.databases[0];
  if (!db?.passwordFile) throw new Error('the twin runs no database');
  const ns = readState(NAME)?.nodes?.find((n) => n.label === 'analytics-app')?.namespace ?? '';
  const env = { ...process.env, PGPASSWORD: readFileSync(db.passwordFile, 'utf8').trim(), PGCONNECT_TIMEOUT: '2' };
  const conninfo = `host=${WRITER} user=${db.user} dbname=${db.database}`;
  const pgbench = (args: string[]) =>
    spawnSync('ip', ['netns', 'exec', ns, 'pgbench', ...args, conninfo], { encoding: 'utf8', env });
  if (pgbench(['-i', '-q', '-s', '1']).status !== 0) throw new Error('pgbench -i failed');
  const readerZone = zoneOfReader(db.ips[1] ?? '');
  if (!readerZone) throw new Error('the cluster has no reader with a zone');
  const schedule = [
    { at: 0.25, what: `zone ${readerZone} down`, run: () => fault(NAME, { kind: 'zone-down', zone: readerZone }) },
    { at: 0.45, what: `zone ${readerZone} up`, run: () => fault(NAME, { kind: 'zone-up', zone: readerZone }) },
    { at: 0.6, what: 'writer fails over', run: () => fault(NAME, { kind: 'failover', cluster: db.name }) },
  ];
  // pgbench runs on while the faults are applied: both loops run at once.
  const rounds: Round[] = [];
  const t0 = Date.now();
  const elapsed = () => Date.now() - t0;
  const load = (async () => {
    while (elapsed() < SECONDS * 1000) rounds.push(await round(work, ns, env, conninfo));
  })();
  for (const step of schedule) {
    while (elapsed() < step.at * SECONDS * 1000) await new Promise((resolve) => setTimeout(resolve, 50));
    const r = await step.run();
    say(`  ${(elapsed() / 1000).toFixed(1)} s: ${step.what}${r.downtimeMs ? ` (writer away ${r.downtimeMs} ms)` : ''}`);
  }
  await load;
  report(rounds, ns, env, conninfo);
}

/** The zone ID of the reader's address, from the twin's model. */
function zoneOfReader(ip: string): string | undefined {
  const eni = twinModel(NAME).enis.find((e) => e.ip === ip);
  return eni?.azId ?? eni?.az;
}

/** One second of pgbench, run asynchronously: its transactions and their ends. */
async function round(work: string, ns: string, env: NodeJS.ProcessEnv, conninfo: string): Promise<Round> {
  const logs = mkdtempSync(join(work, 'round-'));
  const args = ['-n', '-C', '-c', '4', '-j', '2', '-T', '1', '-l', `--log-prefix=${join(logs, 'tx')}`, conninfo];
  const child = spawn('ip', ['netns', 'exec', ns, 'pgbench', ...args], { env });
  let out = '';
  child.stdout.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr.on('data', (d: Buffer) => (out += d.toString()));
  const status = await new Promise<number | null>((resolve) => child.on('exit', resolve));
  const transactions = Number(/number of transactions actually processed: (\d+)/.exec(out)?.[1] ?? 0);
  const ends = readdirSync(logs).flatMap((f) =>
    readFileSync(join(logs, f), 'utf8')
      .trim()
      .split('\n')
      .filter(Boolean)
      .map((line) => line.split(' '))
      .filter((cols) => cols[2] !== 'failed')
      .map((cols) => Number(cols[4]) * 1000 + Number(cols[5]) / 1000),
  );
  rmSync(logs, { recursive: true, force: true });
  return { transactions, failed: status !== 0 || /aborted|error/i.test(out), ends };
}

/** What the soak saw, and whether pgbench_history holds every transaction pgbench counted. */
function report(rounds: Round[], ns: string, env: NodeJS.ProcessEnv, conninfo: string): void {
  const transactions = rounds.reduce((n, r) => n + r.transactions, 0);
  const ends = rounds.flatMap((r) => r.ends).sort((a, b) => a - b);
  const gap = ends.slice(1).reduce((max, end, k) => Math.max(max, end - (ends[k] ?? end)), 0);
  const history = spawnSync(
    'ip',
    ['netns', 'exec', ns, 'psql', conninfo, '-Atc', 'select count(*) from pgbench_history'],
    {
      encoding: 'utf8',
      env,
    },
  ).stdout.trim();
  say(`pgbench through the endpoint, ${rounds.length} one-second rounds, 4 clients, a connection per transaction:`);
  const failed = rounds.filter((r) => r.failed).length;
  say(`  ${transactions} transactions; ${failed} of the rounds had clients whose connection or transaction failed`);
  say(`  longest gap without a successful transaction: ${gap.toFixed(0)} ms`);
  say(
    `  pgbench_history holds ${history} rows for ${transactions} transactions counted: ${Number(history) >= transactions ? 'nothing committed was lost' : 'COMMITTED TRANSACTIONS LOST'}`,
  );
}

main().catch((e: Error) => {
  process.stderr.write(`bench:faults: ${e.message}\n`);
  process.exit(1);
});
