// npm run bench:synth: synthesizing examples/many-consumers against a plain L1 app with the same resources.
// Each run is a fresh process, as a user runs it; runs alternate so that machine noise hits both alike.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildApp } from '../src/app/index.js';
import { loadConfig } from '../src/config/index.js';
import { fileURLToPath } from 'node:url';
import { median } from './runs.js';

const RUNS = Number(process.env.RUNS ?? 5);
const here = fileURLToPath(new URL('.', import.meta.url));
const config = fileURLToPath(new URL('../../examples/many-consumers/lattice-share.yaml', import.meta.url));
const work = mkdtempSync(join(tmpdir(), 'ls-bench-'));

try {
  const assembly = buildApp(loadConfig(config), { outdir: join(work, 'reference') }).app.synth();
  const templates = Object.fromEntries(
    assembly.stacks.map((s) => [
      s.stackName,
      { env: { account: s.environment.account, region: s.environment.region }, template: s.template },
    ]),
  );
  const resources = assembly.stacks.reduce((n, s) => n + Object.keys(s.template.Resources).length, 0);
  writeFileSync(join(work, 'templates.json'), JSON.stringify(templates));

  const time = (args: string[]) => {
    const t0 = process.hrtime.bigint();
    const r = spawnSync(process.execPath, args, { encoding: 'utf8' });
    if (r.status !== 0) throw new Error(`${args.join(' ')} failed: ${r.stderr}`);
    return Number(process.hrtime.bigint() - t0) / 1e6;
  };
  const runs: Record<string, number[]> = { 'lattice-share': [], 'lattice-share + cdk-nag': [], 'L1 app': [] };
  for (let i = 0; i < RUNS; i++) {
    runs['L1 app']!.push(time([join(here, 'l1-app.js'), join(work, 'templates.json'), join(work, `l1-${i}`)]));
    runs['lattice-share']!.push(time([join(here, 'ours.js'), config, join(work, `ours-${i}`)]));
    runs['lattice-share + cdk-nag']!.push(time([join(here, 'ours.js'), config, join(work, `nag-${i}`), 'nag']));
  }
  const base = median(runs['L1 app']!);
  const sameResources = JSON.parse(
    readFileSync(join(work, 'l1-0', `${assembly.stacks[0]!.stackName}.template.json`), 'utf8'),
  ).Resources;
  console.log(
    `examples/many-consumers: ${assembly.stacks.length} stacks, ${resources} resources; ${RUNS} runs each, fresh process per run`,
  );
  console.log(
    `baseline check: the L1 app's first stack has ${Object.keys(sameResources).length} resources, ours ${Object.keys(assembly.stacks[0]!.template.Resources).length}`,
  );
  console.log('');
  console.log('app                        median ms   min ms   ratio to L1');
  for (const [name, xs] of Object.entries(runs)) {
    console.log(
      `${name.padEnd(26)} ${median(xs).toFixed(0).padStart(9)} ${Math.min(...xs)
        .toFixed(0)
        .padStart(8)}   ${(median(xs) / base).toFixed(2)}x`,
    );
  }
  const ratio = median(runs['lattice-share']!) / base;
  console.log(`\ntarget: lattice-share <= 2.00x the L1 app: ${ratio <= 2 ? 'met' : 'NOT met'} (${ratio.toFixed(2)}x)`);
} finally {
  rmSync(work, { recursive: true, force: true });
}
