// npm run bench:doctor: doctor's live loader and check over 50 accounts (10 owners, 40 consumers cloned from the
// seed: about 2,000 resources), every mocked AWS call answering after 50 ms (target: reading and checking in under
// 10 s), with the calls per service and per account, which must grow linearly with an account's resources.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { synthesizeIsolated } from '../src/app/index.js';
import { check } from '../src/check/index.js';
import { loadModel, type InfraModel } from '../src/model/index.js';
import { readLive } from '../src/model/live/index.js';
import { serveModel } from '../test/support/live.js';
import { generateAssembly } from './generate.js';

const DELAY_MS = Number(process.env.DELAY_MS ?? 50);
const seedConfig = fileURLToPath(new URL('../../examples/seed/lattice-share.yaml', import.meta.url));
const work = mkdtempSync(join(tmpdir(), 'ls-bench-doctor-'));

const resources = (m: InfraModel): number =>
  m.vpcs.length +
  m.subnets.length +
  m.securityGroups.length +
  m.securityGroups.reduce((n, g) => n + g.ingress.length + g.egress.length, 0) +
  m.enis.length +
  m.instances.length +
  m.databases.length +
  m.gateways.length +
  m.configurations.length +
  m.shares.length +
  m.endpoints.length;

async function measure(owners: number, consumers: number): Promise<void> {
  const model = loadModel(generateAssembly(join(work, 'seed'), work, owners, consumers));
  const targets = [...new Map(model.stacks.map((s) => [s.account, { account: s.account, region: s.region }])).values()];
  const served = serveModel(model, 50, [], DELAY_MS);
  try {
    const t0 = process.hrtime.bigint();
    const live = await readLive(targets, served.clientsFor); // four accounts at a time, as doctor reads
    const read = Number(process.hrtime.bigint() - t0) / 1e6;
    const report = check(live.model);
    const total = Number(process.hrtime.bigint() - t0) / 1e6;
    const calls = Object.values(live.calls).reduce((a, b) => a + b, 0);
    console.log(
      `${targets.length} accounts, ${resources(model)} resources: read ${read.toFixed(0)} ms, read and check ${total.toFixed(0)} ms; ${calls} calls (${(calls / targets.length).toFixed(1)} per account): ${Object.entries(
        live.calls,
      )
        .map(([service, n]) => `${service} ${n}`)
        .join(', ')}; ${report.flows.length} paths, ${live.problems.length} problems`,
    );
    if (owners === 10)
      console.log(
        `target: under 10,000 ms for 50 accounts with ${DELAY_MS} ms calls: ${total < 10_000 ? 'met' : 'NOT met'} (${total.toFixed(0)} ms)`,
      );
  } finally {
    served.restore();
  }
}

try {
  const s = await synthesizeIsolated(seedConfig, join(work, 'seed'));
  if (!s.ok) throw new Error(s.errors);
  for (const [owners, consumers] of [
    [2, 8],
    [5, 20],
    [10, 40],
  ] as const)
    await measure(owners, consumers);
} finally {
  rmSync(work, { recursive: true, force: true });
}
