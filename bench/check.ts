// npm run bench:check: `lattice-share check` on generated topologies up to 2,000 owner VPCs, 10,000 consumer VPCs and
// over 100,000 security-group rules (targets: 1,000 consumer VPCs under 2 s; 10,000 under 5 s, growing about
// linearly: 10 times the size in at most about 11 times the time), with the peak memory of load and check.
// The topology clones the seed's synthesized stacks: owner stack i (one VPC, gateway, Aurora, share), consumer
// stack j (two VPCs, three workloads, two endpoints) fed by owner j mod owners, plus 16 extra rules per consumer.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { synthesizeIsolated } from '../src/app/index.js';
import { generateAssembly } from './generate.js';
import { median, timeCheck, timePhases } from './runs.js';
import { fileURLToPath } from 'node:url';

const RUNS = Number(process.env.RUNS ?? 5);
const here = fileURLToPath(new URL('.', import.meta.url));
const bin = fileURLToPath(new URL('../src/cli/main.js', import.meta.url));
const seedConfig = fileURLToPath(new URL('../../examples/seed/lattice-share.yaml', import.meta.url));
const work = mkdtempSync(join(tmpdir(), 'ls-bench-check-'));

const cli = (dir: string, json: boolean): number => timeCheck(bin, [dir, ...(json ? ['--json'] : [])]).ms;
const phases = (dir: string) => timePhases(join(here, 'check-phases.js'), dir);

try {
  const seed = join(work, 'seed');
  const s = await synthesizeIsolated(seedConfig, seed);
  if (!s.ok) throw new Error(s.errors);
  if (process.env.KEEP) {
    // For profiling: generate one size (KEEP_SCALE, 1 = 1,000 consumer VPCs), keep it, print where it is.
    const scale = Number(process.env.KEEP_SCALE ?? 1);
    const keep = generateAssembly(seed, work, 200 * scale, 500 * scale);
    const target = join(tmpdir(), 'ls-bench-check-full');
    rmSync(target, { recursive: true, force: true });
    spawnSync('cp', ['-r', keep, target]);
    console.log(target);
    rmSync(work, { recursive: true, force: true }); // process.exit skips the finally below
    process.exit(0);
  }
  console.log(
    `check on generated topologies; CLI runs are fresh processes of the program as npx runs it (its #! flags too; median of ${RUNS}); phases from one more process`,
  );
  console.log('');
  console.log('owner VPCs  consumer VPCs  SG rules   paths   load ms  check ms  peak MiB   CLI ms  CLI --json ms');
  const rows = new Map<number, { vpcs: number; cli: number }>();
  for (const scale of [0.1, 0.25, 0.5, 1, 2.5, 5, 10]) {
    const owners = 200 * scale;
    const dir = generateAssembly(seed, work, owners, 500 * scale);
    const p = phases(dir);
    if (!p.ok) console.log(`  (not ok: ${[...new Set(p.findings)].join(', ')} ${p.failed.join('; ')})`);
    const runs = scale > 1 ? Math.min(RUNS, 3) : RUNS; // the large sizes take seconds each
    const human = median(Array.from({ length: runs }, () => cli(dir, false)));
    const json = median(Array.from({ length: runs }, () => cli(dir, true)));
    rows.set(scale, { vpcs: p.vpcs, cli: human });
    const cells = [
      [owners, 10],
      [p.vpcs - owners, 14],
      [p.rules, 9],
      [p.flows, 7],
      [p.load.toFixed(0), 9],
      [p.check.toFixed(0), 9],
      [p.peakMiB.toFixed(0), 9],
      [human.toFixed(0), 8],
      [json.toFixed(0), 14],
    ] as const;
    console.log(cells.map(([value, width]) => String(value).padStart(width)).join(' '));
    rmSync(dir, { recursive: true, force: true });
  }
  const row = (scale: number) => rows.get(scale) ?? { vpcs: 0, cli: 0 };
  const [tenth, one, ten] = [row(0.1), row(1), row(10)];
  const growth = (a: typeof one, b: typeof one) =>
    `${(b.vpcs / a.vpcs).toFixed(0)}x the VPCs took ${(b.cli / a.cli).toFixed(1)}x the time`;
  console.log(`\ngrowth (CLI): ${growth(tenth, one)}; ${growth(one, ten)}`);
  const met = (ok: boolean) => (ok ? 'met' : 'NOT met');
  console.log(`target: under 2,000 ms at 1,000 consumer VPCs: ${met(one.cli < 2000)} (${one.cli.toFixed(0)} ms)`);
  console.log(`target: under 5,000 ms at 10,000 consumer VPCs: ${met(ten.cli < 5000)} (${ten.cli.toFixed(0)} ms)`);
  const ratio = ten.cli / one.cli;
  console.log(`target: 10x the size in at most about 11x the time: ${met(ratio <= 11.5)} (${ratio.toFixed(1)}x)`);
} finally {
  rmSync(work, { recursive: true, force: true });
}
