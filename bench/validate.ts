// npm run bench:validate: `lattice-share validate` on configs of 2,000 and 16,000 consumer accounts (one owner, one
// share with every account, a network, a workload and a consumer each), fresh processes, medians of RUNS. Validation
// should grow linearly: the per-account time at 16,000 should stay near the one at 2,000.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { median } from './runs.js';

const RUNS = Number(process.env.RUNS ?? 3);
const SIZES = [2000, 16000];
const bin = fileURLToPath(new URL('../src/cli/main.js', import.meta.url));
const work = mkdtempSync(join(tmpdir(), 'ls-bench-validate-'));

/** A config with `count` consumer accounts, each an /24 VPC in 10.0.0.0/8 or 172.16.0.0/12 (addresses may repeat). */
function config(count: number): string {
  const lines = ['version: 1', 'region: us-east-1', 'accounts:', '  owner: { id: "100000000000" }'];
  for (let i = 0; i < count; i++) lines.push(`  c${i}: { id: "${String(200000000000 + i)}" }`);
  lines.push('networks:', '  owner-vpc: { account: owner, cidr: 10.0.0.0/16, azs: 2 }');
  for (let i = 0; i < count; i++) lines.push(`  n${i}: { account: c${i}, cidr: 10.${1 + (i % 250)}.0.0/16, azs: 2 }`);
  lines.push('resources:', '  orders-db: { type: aurora-postgresql, network: owner-vpc, create: {} }');
  lines.push(
    'shares:',
    `  all: { resources: [orders-db], with: [${Array.from({ length: count }, (_, i) => `c${i}`).join(', ')}] }`,
  );
  lines.push('workloads:');
  for (let i = 0; i < count; i++) lines.push(`  w${i}: { network: n${i} }`);
  lines.push('consumers:');
  for (let i = 0; i < count; i++)
    lines.push(`  k${i}: { network: n${i}, resource: orders-db, clients: { workloads: [w${i}] } }`);
  return `${lines.join('\n')}\n`;
}

try {
  const results = SIZES.map((count) => {
    const file = join(work, `accounts-${count}.yaml`);
    writeFileSync(file, config(count));
    const times: number[] = [];
    for (let i = 0; i < RUNS; i++) {
      const t0 = process.hrtime.bigint();
      const r = spawnSync(process.execPath, [bin, 'validate', file], { encoding: 'utf8' });
      if (r.status !== 0) throw new Error(r.stderr);
      times.push(Number(process.hrtime.bigint() - t0) / 1e6);
    }
    return { count, bytes: statSync(file).size, ms: median(times) };
  });
  console.log(`validate, fresh processes, medians of ${RUNS}`);
  for (const r of results)
    console.log(
      `  ${String(r.count).padStart(6)} accounts  ${(r.bytes / 1048576).toFixed(1)} MB  ${r.ms.toFixed(0).padStart(6)} ms  ${((r.ms / r.count) * 1000).toFixed(1)} µs per account`,
    );
  const [small, large] = results;
  console.log(
    `  growth: ${(large!.ms / small!.ms).toFixed(1)}× the time for ${(large!.count / small!.count).toFixed(0)}× the accounts`,
  );
} finally {
  rmSync(work, { recursive: true, force: true });
}
