// npm run bench:bringup: how long `lattice-share up` takes, as a user runs it (a fresh process, model load included),
// for the seed (target < 10 s) and for examples/mysql, an Aurora MySQL cluster with two readers (target < 15 s). Each
// is brought up BENCH_RUNS times (default 3) and taken down; the first run may fill the cache of initialized data
// directories, so the median of the others is reported beside it. Needs root.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildApp } from '../src/app/index.js';
import { loadConfig } from '../src/config/index.js';
import { down } from '../src/twin/index.js';
import { median } from './runs.js';

const RUNS = Math.max(2, Number(process.env.BENCH_RUNS ?? 3));
const cli = fileURLToPath(new URL('../src/cli/main.js', import.meta.url));
const say = (line: string) => process.stdout.write(`${line}\n`);

/** Seconds each `up` took, one run after the other, each taken down before the next. */
function bringUps(example: string, work: string): number[] {
  const assembly = join(work, example);
  const config = fileURLToPath(new URL(`../../examples/${example}/lattice-share.yaml`, import.meta.url));
  buildApp(loadConfig(config), { outdir: assembly }).app.synth();
  const name = `bench-up-${process.pid}`;
  const seconds: number[] = [];
  for (let run = 0; run < RUNS; run++) {
    const t0 = process.hrtime.bigint();
    const r = spawnSync(process.execPath, [cli, 'up', assembly, '--name', name], { encoding: 'utf8' });
    seconds.push(Number(process.hrtime.bigint() - t0) / 1e9);
    down(name);
    if (r.status !== 0) throw new Error(`lattice-share up ${example} failed: ${r.stderr.trim()}`);
  }
  return seconds;
}

function main(): void {
  if (process.getuid?.() !== 0) throw new Error('bench:bringup needs root (network namespaces)');
  const work = mkdtempSync(join(tmpdir(), 'ls-bench-bringup-'));
  try {
    for (const [example, target] of [
      ['seed', 10],
      ['mysql', 15],
    ] as const) {
      const seconds = bringUps(example, work);
      const warm = median(seconds.slice(1));
      say(
        `${example.padEnd(6)} up in ${warm.toFixed(2)} s (median of ${seconds.length - 1} runs; first ${seconds[0]?.toFixed(2)} s), target < ${target} s: ${warm < target && (seconds[0] ?? Infinity) < target ? 'met' : 'NOT met'}`,
      );
    }
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

main();
