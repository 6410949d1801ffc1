// `node check-phases.js <assembly dir>`: times loading the model and checking it, in a fresh process (see check.ts).
import { check } from '../src/check/index.js';
import { loadModel } from '../src/model/index.js';

const t0 = performance.now();
const model = loadModel(process.argv[2]!);
const t1 = performance.now();
const report = check(model);
const t2 = performance.now();
console.log(
  JSON.stringify({
    load: t1 - t0,
    check: t2 - t1,
    stacks: model.stacks.length,
    vpcs: model.vpcs.length,
    flows: report.flows.length,
    ok: report.ok,
    reachable: report.summary.reachable,
    findings: report.findings.map((f) => f.id),
    failed: report.expectations
      .filter((x) => x.result !== 'holds')
      .map((x) => x.detail)
      .slice(0, 2),
    rules: model.securityGroups.reduce((n, g) => n + g.ingress.length + g.egress.length, 0),
    // Peak resident memory of this process (load and check), in MiB.
    peakMiB: process.resourceUsage().maxRSS / 1024,
  }),
);
