// npm run bench:diagram: `lattice-share diagram --format svg --check` end to end (a fresh process each run: reading
// the input, check, the graph, Graphviz in WebAssembly), on the seed (target under 1 s) and on bench:check's
// topology of 1,000 consumer VPCs, grouped (the default above 12 VPCs; target under 10 s); the ungrouped picture of
// that topology once, for comparison. Also `check --html` of both, and the seed from its config (synthesis first).
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { synthesizeIsolated } from '../src/app/index.js';
import { generateAssembly } from './generate.js';
import { median } from './runs.js';

const RUNS = Number(process.env.RUNS ?? 5);
const bin = fileURLToPath(new URL('../src/cli/main.js', import.meta.url));
const seedConfig = fileURLToPath(new URL('../../examples/seed/lattice-share.yaml', import.meta.url));
const work = mkdtempSync(join(tmpdir(), 'ls-bench-diagram-'));

/** One run of the CLI: its time in ms and the size of what it wrote. */
function cli(args: string[], out: string): { ms: number; bytes: number } {
  const t0 = process.hrtime.bigint();
  const r = spawnSync(bin, args, { encoding: 'utf8', maxBuffer: 1 << 30 });
  const ms = Number(process.hrtime.bigint() - t0) / 1e6;
  // check exits 1 when a path it was asked about is broken: still an answer.
  if (r.status !== 0 && !(args[0] === 'check' && r.status === 1))
    throw new Error(`${args.join(' ')} exited ${r.status}: ${r.stderr.slice(0, 500)}`);
  return { ms, bytes: statSync(out).size };
}

function timed(what: string, args: string[], out: string, runs: number): number {
  const results = Array.from({ length: runs }, () => cli([...args, out], out));
  const ms = median(results.map((r) => r.ms));
  const kib = ((results[0]?.bytes ?? 0) / 1024).toFixed(0);
  console.log(`${what.padEnd(52)} ${ms.toFixed(0).padStart(7)} ms  ${kib.padStart(6)} KiB  (median of ${runs})`);
  return ms;
}

try {
  const seed = join(work, 'seed');
  const s = await synthesizeIsolated(seedConfig, seed);
  if (!s.ok) throw new Error(s.errors);
  const big = generateAssembly(seed, work, 200, 500);
  const svg = join(work, 'out.svg');
  const html = join(work, 'out.html');
  console.log('lattice-share diagram and check --html, end to end (fresh processes)\n');
  const seedMs = timed('seed: diagram --format svg --check', ['diagram', seed, '--check', '--out'], svg, RUNS);
  timed('seed: check --html', ['check', seed, '--html'], html, RUNS);
  // From the config, the synthesis of its CDK app comes first (as for every command given a config).
  timed('seed from its config (synthesized first)', ['diagram', seedConfig, '--check', '--out'], svg, RUNS);
  const bigArgs = ['diagram', big, '--check', '--out'];
  const bigMs = timed('1,000 consumer VPCs: diagram --check (grouped)', bigArgs, svg, Math.min(RUNS, 3));
  timed('1,000 consumer VPCs: check --html (grouped diagram)', ['check', big, '--html'], html, 1);
  timed(
    '1,000 consumer VPCs: diagram --check --group never',
    [...bigArgs.slice(0, 3), '--group', 'never', '--out'],
    svg,
    1,
  );
  const met = (ok: boolean) => (ok ? 'met' : 'NOT met');
  console.log(`\ntarget: the seed under 1,000 ms: ${met(seedMs < 1000)} (${seedMs.toFixed(0)} ms)`);
  console.log(`target: 1,000 consumer VPCs grouped under 10,000 ms: ${met(bigMs < 10000)} (${bigMs.toFixed(0)} ms)`);
} finally {
  rmSync(work, { recursive: true, force: true });
}
