// npm run soak:agreement [-- CASES [WORKERS]]: the agreement property (check vs the twin) on many generated
// topologies, split over workers with different seeds. Prints the seeds, so that any failure can be replayed with
// AGREEMENT_SEED=<seed> AGREEMENT_RUNS=<n> node --test dist/test/twin/agreement.test.js
import { spawn } from 'node:child_process';

const cases = Number(process.argv[2] ?? 300);
const workers = Number(process.argv[3] ?? 2);
const base = Number(process.env.AGREEMENT_SEED ?? Date.now() % 1_000_000_000);
const t0 = Date.now();
console.log(`soak: ${cases} cases over ${workers} workers, seeds ${base}..${base + workers - 1}`);
const results = await Promise.all(
  Array.from(
    { length: workers },
    (_, i) =>
      new Promise((done) => {
        const runs = Math.floor(cases / workers) + (i < cases % workers ? 1 : 0);
        const child = spawn(process.execPath, ['--test', 'dist/test/twin/agreement.test.js'], {
          env: {
            ...process.env,
            AGREEMENT_RUNS: String(runs),
            AGREEMENT_SEED: String(base + i),
            AGREEMENT_PROGRESS: `worker ${i + 1}`,
          },
          stdio: ['ignore', 'pipe', 'inherit'],
        });
        let out = '';
        child.stdout.on('data', (d) => {
          out += d;
        });
        child.on('close', (code) => done({ seed: base + i, runs, code, out }));
      }),
  ),
);
let failed = 0;
for (const r of results) {
  const ok = r.code === 0;
  if (!ok) {
    failed++;
    process.stdout.write(r.out);
  }
  console.log(`seed ${r.seed}: ${r.runs} cases ${ok ? 'agree' : 'DISAGREE (see above)'}`);
}
console.log(
  `soak: ${cases} cases in ${((Date.now() - t0) / 60000).toFixed(1)} min, ${failed ? `${failed} worker(s) found disagreements` : 'no disagreement'}`,
);
process.exitCode = failed ? 1 : 0;
