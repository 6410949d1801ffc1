// What the benchmarks share: the median of their timings, `check` run and timed as a program, and its phases timed.
import { spawnSync } from 'node:child_process';

/** The middle of some timings (the mean of the two middle ones for an even count; NaN for none). */
export function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const half = Math.floor(sorted.length / 2);
  const at = (i: number) => sorted[i] ?? NaN;
  return sorted.length % 2 ? at(half) : (at(half - 1) + at(half)) / 2;
}

/**
 * `bin check …args` in a fresh process, run as a program (its #! line gives node its flags, as npx runs it): its time
 * in ms and what it printed. Exits 0 and 1 are answers (1: a path or finding is broken); anything else throws.
 */
export function timeCheck(bin: string, args: readonly string[]): { ms: number; stdout: string } {
  const t0 = process.hrtime.bigint();
  const r = spawnSync(bin, ['check', ...args], { encoding: 'utf8', maxBuffer: 1 << 30 });
  const ms = Number(process.hrtime.bigint() - t0) / 1e6;
  if (r.error) throw new Error(`${bin} check did not run: ${r.error.message}`);
  if (r.signal) throw new Error(`${bin} check was stopped by ${r.signal}`);
  if (r.status !== 0 && r.status !== 1) throw new Error(`${bin} check exited ${r.status}: ${r.stderr.slice(0, 500)}`);
  return { ms, stdout: r.stdout };
}

/** What `check-phases.js` measured of one check (load and check phases in ms, the model's and report's sizes). */
export interface Phases {
  readonly load: number;
  readonly check: number;
  readonly vpcs: number;
  readonly rules: number;
  readonly flows: number;
  readonly stacks: number;
  readonly ok: boolean;
  /** Peak resident memory of load and check, MiB. */
  readonly peakMiB: number;
  readonly failed: string[];
  readonly findings: string[];
}

/**
 * A build's `bench/check-phases.js` (`script`) on an assembly, in a fresh process with node's defaults. An earlier
 * build's script may lack fields added since (e76d756's has no `peakMiB`): read only `load` and `check` from one.
 */
export function timePhases(script: string, dir: string): Phases {
  const r = spawnSync(process.execPath, [script, dir], { encoding: 'utf8', maxBuffer: 1 << 26 });
  if (r.error) throw new Error(`${script} did not run: ${r.error.message}`);
  if (r.status !== 0) throw new Error(`${script} exited ${r.status ?? r.signal}: ${r.stderr.slice(0, 500)}`);
  return JSON.parse(r.stdout) as Phases;
}
