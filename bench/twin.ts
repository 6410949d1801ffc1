// npm run bench:twin: the seed twin measured in one run (root). pgbench through endpoint → gateway → database,
// directly against the database, and through a two-hop HAProxy chain on the same path; bring-up time; 1 GiB through
// the hop, checksum-verified. BENCH_SECONDS sets each pgbench run's length (default 10).
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildApp } from '../src/app/index.js';
import { loadConfig } from '../src/config/index.js';
import { down, readState, status } from '../src/twin/index.js';
import { fileURLToPath } from 'node:url';

const SECONDS = Number(process.env.BENCH_SECONDS ?? 10);
const NAME = `bench-${process.pid}`;
const work = mkdtempSync(join(tmpdir(), 'ls-bench-twin-'));
const children: ChildProcess[] = [];
const say = (s: string) => process.stdout.write(`${s}\n`);

function sh(cmd: string, args: string[], env: NodeJS.ProcessEnv = process.env): string {
  const r = spawnSync(cmd, args, { encoding: 'utf8', env, maxBuffer: 1 << 26 });
  if (r.status !== 0) throw new Error(`${cmd} ${args.slice(0, 6).join(' ')} failed: ${r.stderr || r.stdout}`);
  return r.stdout;
}
const inNs = (ns: string, args: string[], env?: NodeJS.ProcessEnv) => sh('ip', ['netns', 'exec', ns, ...args], env);

function ensureHaproxy(): void {
  if (spawnSync('haproxy', ['-v'], { stdio: 'ignore' }).status === 0) return;
  say('installing haproxy (Debian package) for the comparison');
  sh('apt-get', ['install', '-y', '-q', 'haproxy'], { ...process.env, DEBIAN_FRONTEND: 'noninteractive' });
}

interface Result {
  tps: number;
  p50: number;
  p99: number;
}

function pgbench(
  ns: string,
  conn: string,
  env: NodeJS.ProcessEnv,
  mode: 'select-only' | 'tpcb',
  label: string,
): Result {
  const logDir = mkdtempSync(join(work, 'log-'));
  const out = inNs(
    ns,
    [
      'pgbench',
      ...(mode === 'select-only' ? ['-S'] : []),
      '-c',
      '8',
      '-j',
      '2',
      '-T',
      String(SECONDS),
      '-n',
      '-l',
      `--log-prefix=${join(logDir, 'tx')}`,
      conn,
    ],
    env,
  );
  const tps = Number(/tps = ([\d.]+)/.exec(out)?.[1]);
  const latencies = readdirSync(logDir)
    .flatMap((f) =>
      readFileSync(join(logDir, f), 'utf8')
        .trim()
        .split('\n')
        .map((l) => Number(l.split(' ')[2])),
    )
    .sort((a, b) => a - b);
  const q = (p: number) => latencies[Math.min(latencies.length - 1, Math.floor(p * latencies.length))]! / 1000;
  say(
    `  ${label.padEnd(28)} ${mode.padEnd(12)} ${tps.toFixed(0).padStart(8)} tps   p50 ${q(0.5).toFixed(3)} ms   p99 ${q(0.99).toFixed(3)} ms`,
  );
  return { tps, p50: q(0.5), p99: q(0.99) };
}

async function main(): Promise<void> {
  if (process.getuid?.() !== 0) throw new Error('bench:twin needs root (network namespaces)');
  ensureHaproxy();
  const assembly = join(work, 'cdk.out');
  buildApp(loadConfig(fileURLToPath(new URL('../../examples/seed/lattice-share.yaml', import.meta.url))), {
    outdir: assembly,
  }).app.synth();
  // Bring-up as a user runs it: `lattice-share up` in a fresh process (model load included).
  const t0 = process.hrtime.bigint();
  const cli = spawnSync(
    process.execPath,
    [fileURLToPath(new URL('../src/cli/main.js', import.meta.url)), 'up', assembly, '--name', NAME],
    { encoding: 'utf8' },
  );
  const bringUp = Number(process.hrtime.bigint() - t0) / 1e9;
  if (cli.status !== 0) throw new Error(`lattice-share up failed: ${cli.stderr}`);
  const s = status(NAME);
  const nodes = readState(NAME)!.nodes!;
  const db = s.databases[0]!;
  const dbIp = db.ips[0]!;
  const app = nodes.find((n) => n.label === 'app')!;
  const epIp = s.endpoints[0]!.ips[0]!;
  const ep = nodes.find((n) => n.role === 'endpoint' && n.ip === epIp)!;
  const gw = nodes.find((n) => n.role === 'gateway' && n.ip === s.gateways[0]!.ips[0])!;
  const env = { ...process.env, PGPASSWORD: readFileSync(db.passwordFile!, 'utf8').trim() };
  const conn = (host: string, port = 5432) => `host=${host} port=${port} user=${db.user} dbname=${db.database}`;
  say(
    `seed twin up in ${bringUp.toFixed(2)} s with \`lattice-share up\` (fresh process, model load included; target < 10 s)`,
  );
  inNs(gw.namespace, ['pgbench', '-i', '-q', '-s', '10', conn(dbIp)], env);

  // The HAProxy chain: two user-space relays on the same path (endpoint namespace → Unix socket → gateway namespace →
  // DB).
  // Bench-only nftables rules let app reach port 6432 on the endpoint; nothing else changes.
  const sock = join(work, 'haproxy.sock');
  const cfg = (name: string, body: string) => {
    const f = join(work, `${name}.cfg`);
    writeFileSync(
      f,
      `global\n  maxconn 1000\ndefaults\n  mode tcp\n  timeout connect 5s\n  timeout client 350s\n  timeout server 350s\n${body}`,
    );
    return f;
  };
  const back = cfg('gw', `listen gw\n  bind unix@${sock}\n  server db ${dbIp}:5432 source ${gw.ip}\n`);
  const front = cfg('ep', `listen ep\n  bind ${epIp}:6432\n  server gw unix@${sock}\n`);
  for (const [ns, f] of [
    [gw.namespace, back],
    [ep.namespace, front],
  ] as const) {
    const c = spawn('ip', ['netns', 'exec', ns, 'haproxy', '-db', '-f', f], { stdio: 'ignore' });
    children.push(c); // killed in finally; down also clears anything left in the twin's namespaces
  }
  inNs(app.namespace, [
    'nft',
    'add',
    'rule',
    'inet',
    'twin_sg',
    'output',
    'ip',
    'daddr',
    epIp,
    'tcp',
    'dport',
    '6432',
    'accept',
  ]);
  inNs(ep.namespace, ['nft', 'add', 'rule', 'inet', 'twin_sg', 'input', 'tcp', 'dport', '6432', 'accept']);
  await new Promise((r) => setTimeout(r, 500));

  say(`\npgbench, 8 clients, ${SECONDS} s each, one run:`);
  const r: Record<string, Record<string, Result>> = { twin: {}, direct: {}, haproxy: {} };
  for (const mode of ['select-only', 'tpcb'] as const) {
    r.direct![mode] = pgbench(gw.namespace, conn(dbIp), env, mode, 'direct (gateway ENI → DB)');
    r.twin![mode] = pgbench(app.namespace, conn(db.writer), env, mode, 'twin (app → endpoint → DB)');
    r.haproxy![mode] = pgbench(app.namespace, conn(epIp, 6432), env, mode, 'HAProxy chain (same path)');
  }
  say('\nratios (TPS)              select-only    tpcb     target');
  const ratio = (a: Result, b: Result) => (a.tps / b.tps).toFixed(2);
  say(
    `  twin / direct            ${ratio(r.twin!['select-only']!, r.direct!['select-only']!).padStart(6)}       ${ratio(r.twin!.tpcb!, r.direct!.tpcb!).padStart(6)}   ≥ 0.85`,
  );
  say(
    `  twin / HAProxy chain     ${ratio(r.twin!['select-only']!, r.haproxy!['select-only']!).padStart(6)}       ${ratio(r.twin!.tpcb!, r.haproxy!.tpcb!).padStart(6)}   ≥ 1.00`,
  );

  // 1 GiB through the hop: 1024 rows of 1 MiB, each md5(i) repeated; the same bytes hashed here.
  const hash = createHash('sha256');
  for (let i = 1; i <= 1024; i++) hash.update(`${createHash('md5').update(String(i)).digest('hex').repeat(32768)}\n`);
  const expected = hash.digest('hex');
  const sql = 'COPY (SELECT repeat(md5(i::text), 32768) FROM generate_series(1, 1024) i) TO STDOUT';
  say('');
  for (const [label, ns, host] of [
    ['twin (through the hop)', app.namespace, db.writer],
    ['direct', gw.namespace, dbIp],
  ] as const) {
    const t = process.hrtime.bigint();
    const got = inNs(ns, ['sh', '-c', `psql "${conn(host)}" -c "${sql}" | sha256sum`], env).split(' ')[0];
    const secs = Number(process.hrtime.bigint() - t) / 1e9;
    say(
      `1 GiB ${label.padEnd(24)} ${(1024 / secs).toFixed(0).padStart(5)} MiB/s   checksum ${got === expected ? 'verified' : 'MISMATCH'}`,
    );
  }
}

main()
  .catch((e: Error) => {
    process.stderr.write(`bench:twin: ${e.message}\n`);
    process.exitCode = 1;
  })
  .finally(() => {
    for (const c of children) c.kill('SIGKILL');
    down(NAME);
    rmSync(work, { recursive: true, force: true });
  });
