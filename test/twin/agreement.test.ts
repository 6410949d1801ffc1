// check and the twin are two implementations of the same semantics: reasoning over the model, and packets in the
// kernel. This property test generates topologies (bases with random breakages), asks check for a verdict on every
// (client, name, port), brings each topology up in the twin, tries each for real, and asserts they agree; then puts
// the twin through generated faults (zone-down, revoke, expire, failover), one at a time, and asserts they agree
// again, check reading the twin's model as `check --twin` does.
//   npm test:                AGREEMENT_RUNS=6 cases from a fixed seed, plus the regression cases below
//   npm run soak:agreement:  300 cases over two workers, each from a fresh seed (printed, to replay a failure)
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { rootSuites } from '../support/root.js';
import fc from 'fast-check';
import { synthesizeIsolated } from '../../src/app/index.js';
import { check, clientsOf, Facts, flowOf, namesOf, unservedName, type Flow } from '../../src/check/index.js';
import { loadModel, type InfraModel } from '../../src/model/index.js';
import { fault, invoke, readState, twinModel } from '../../src/twin/index.js';
import { example, repo } from '../support/synth.js';
import { startTwinOf } from '../support/twin.js';
import { absoluteInput, corpusCases } from '../support/corpus.js';
import { apply, caseArb, REGRESSIONS, synthesizeBases, type Case } from '../support/cases.js';
import { faultOf, faultsArb, type FaultChoice } from '../support/faults.js';
import { modelOf } from '../../src/cli/commands/common.js';

const { after, before, describe, it } = rootSuites('the agreement test brings twins up (network namespaces, nftables)');

const RUNS = Number(process.env.AGREEMENT_RUNS ?? 6);
const SEED = Number(process.env.AGREEMENT_SEED ?? 20261129);
const probe = join(repo, 'dist', 'test', 'support', 'probe.js');
/** How long a connection attempt may take before it counts as dropped: inside namespaces, answers take microseconds. */
const PROBE_MS = Number(process.env.AGREEMENT_PROBE_MS ?? 1000);

const run = (cmd: string, args: string[]) =>
  new Promise<{ code: number; stdout: string; stderr: string }>((done) => {
    const p = spawn(cmd, args);
    let stdout = '';
    let stderr = '';
    p.stdout.on('data', (d) => {
      stdout += d;
    });
    p.stderr.on('data', (d) => {
      stderr += d;
    });
    p.on('close', (code) => done({ code: code ?? 1, stdout, stderr }));
  });

interface Outcome {
  addresses: string[] | null;
  results: Record<string, string>;
}

/** Every (client, name, port) the twin tried, with what check said of the same, where they differ. */
async function disagreements(dir: string, name: string, faults: FaultChoice[] = []): Promise<string[]> {
  return disagreementsOf(loadModel(dir), dir, name, faults);
}

/**
 * The same for a model read any way; `label` names its input in the twin's state. After the first round, each fault
 * is applied to the running twin in turn and the round repeated, with check on the model as `check --twin` reads it.
 */
async function disagreementsOf(
  model: InfraModel,
  label: string,
  name: string,
  faults: FaultChoice[] = [],
): Promise<string[]> {
  const twin = await startTwinOf(name, model, label);
  try {
    const out = [...(await round(model, name)), ...(await calls(model, name))];
    for (const choice of faults) {
      const action = faultOf(twinModel(name), choice);
      if (!action) continue;
      await fault(name, action);
      if (process.env.AGREEMENT_PROGRESS)
        process.stderr.write(`${process.env.AGREEMENT_PROGRESS}: ${name} ${JSON.stringify(action)}\n`);
      const after = await round(twinModel(name), name);
      out.push(...after.map((x) => `after ${JSON.stringify(action)}: ${x}`));
    }
    return out;
  } finally {
    twin.close();
  }
}

/** Every client of the running twin `name` resolves and tries every name and port; check's verdict on each. */
async function round(model: InfraModel, name: string): Promise<string[]> {
  const report = check(model);
  const f = new Facts(model);
  const clients = clientsOf(f).filter((c) => c.instanceId);
  // Every name any endpoint answers to, and every name a service-network path was declared to serve, from every
  // client, on the served port and the next one.
  const declared = model.expectations.flatMap((x) =>
    x.names.map((n) => unservedName(f, f.endpoints.get(x.endpointId)!, n.name, n.port)),
  );
  const names = [
    ...new Map(
      [...declared, ...[...f.endpointsByVpc.keys()].flatMap((v) => namesOf(f, v))].map((c) => [c.name, c]),
    ).values(),
  ];
  const tries = names.flatMap((c) => [c.port, c.port === 5433 ? 5432 : 5433].map((port) => ({ c, port })));
  const verdicts = new Map<string, Flow>();
  for (const client of clients) {
    for (const { c, port } of tries) {
      const existing = report.flows.find((x) => x.client === client && x.name === c.name && x.port === port);
      verdicts.set(`${client.label}|${c.name}|${port}`, existing ?? flowOf(f, client, c, false, port));
    }
  }
  const out: string[] = [];
  const nodes = readState(name)!.nodes!;
  // Every client probes at once, each from its own namespace.
  const seen = await Promise.all(
    clients.map(async (client) => {
      const ns = nodes.find((n) => n.role === 'instance' && n.label === client.label)!.namespace;
      const r = await run('ip', [
        'netns',
        'exec',
        ns,
        process.execPath,
        probe,
        JSON.stringify({ tries: tries.map((t) => ({ name: t.c.name, port: t.port })), ms: PROBE_MS }),
      ]);
      assert.equal(r.code, 0, r.stderr);
      return { client, outcomes: JSON.parse(r.stdout) as (Outcome & { name: string; port: number })[] };
    }),
  );
  for (const { client, outcomes } of seen) {
    for (const s of outcomes) {
      const v = verdicts.get(`${client.label}|${s.name}|${s.port}`)!;
      out.push(...compared(`${client.label} → ${s.name}:${s.port}`, v, s));
    }
  }
  return out;
}

/** Where check's verdict on one flow and the twin's outcome differ. */
function compared(where: string, v: Flow, s: Outcome): string[] {
  const resolved = v.attempts
    .filter((a) => a.address)
    .map((a) => a.address!)
    .sort();
  if (JSON.stringify(resolved) !== JSON.stringify([...(s.addresses ?? [])].sort()))
    return [`${where}: check resolves to [${resolved}], the twin to [${s.addresses ?? 'nothing'}]`];
  const out: string[] = [];
  for (const a of v.attempts.filter((x) => x.address)) {
    if (a.disposition === 'UNKNOWN') continue; // the templates do not say (e.g. what listens on an instance)
    const open = s.results[a.address!] === 'open';
    if (open !== (a.disposition === 'REACHABLE')) {
      const decided = a.hops.find((h) => h.status !== 'pass');
      out.push(
        `${where} via ${a.address}: check says ${a.disposition}${decided ? ` (${decided.hop}: ${decided.detail})` : ''}, the twin ${s.results[a.address!]}`,
      );
    }
  }
  return out;
}

/**
 * API destinations and HTTP tasks: invoke sends as EventBridge or Step Functions would. Before faults only: the
 * twin's caller paths do not follow faults (README, "Faults").
 */
async function calls(model: InfraModel, name: string): Promise<string[]> {
  const report = check(model);
  const out: string[] = [];
  for (const call of model.calls) {
    const v = report.flows.find((x) => x.nameKind === 'api' && x.client.label === call.name)!;
    if (v.disposition === 'UNKNOWN') continue;
    const r = invoke(name, call.name, { timeoutMs: PROBE_MS });
    const open = r.status !== undefined;
    if (open !== (v.disposition === 'REACHABLE')) {
      out.push(
        `${call.name} → ${call.url}: check says ${v.disposition}${v.decidedBy ? ` (${v.decidedBy.hop}: ${v.decidedBy.detail})` : ''}, invoke ${r.status ?? r.error}`,
      );
    }
  }
  return out;
}

describe('check agrees with the twin', () => {
  const bases: string[] = [];
  const work = mkdtempSync(join(tmpdir(), 'ls-agreement-'));
  before(async () => {
    bases.push(...(await synthesizeBases(work)));
  });
  after(() => rmSync(work, { recursive: true, force: true }));

  let k = 0;
  const runCase = async (c: Case, faults: FaultChoice[] = []) => {
    const dir = apply(bases[c.base]!, c);
    if (process.env.AGREEMENT_PROGRESS && k % 10 === 0)
      process.stderr.write(`${process.env.AGREEMENT_PROGRESS}: case ${k}\n`);
    try {
      const found = await disagreements(dir, `agr-${process.pid}-${k++}`, faults);
      assert.deepEqual(found, [], `case ${JSON.stringify(c)}, faults ${JSON.stringify(faults)}:\n${found.join('\n')}`);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  };

  for (const c of REGRESSIONS) it(`regression: ${JSON.stringify(c)}`, () => runCase(c));

  // The examples a user runs first: check must not promise what the twin refuses (a reader name, an OU share).
  // many-consumers also through a zone outage and a failover of its cluster with readers.
  const shipped: [string, FaultChoice[]][] = [
    [
      'many-consumers',
      [
        { kind: 'zone-down', index: 1 },
        { kind: 'failover', index: 0 },
      ],
    ],
    ['existing-db', []],
  ];
  for (const [name, faults] of shipped) {
    it(`the shipped example ${name} agrees with itself${faults.length ? ', before and after faults' : ''}`, async () => {
      const dir = join(work, `example-${name}`);
      const r = await synthesizeIsolated(example(name), dir);
      assert.ok(r.ok, r.errors);
      const found = await disagreements(dir, `agr-${process.pid}-${name.slice(0, 8)}`, faults);
      assert.deepEqual(found, [], found.join('\n'));
    });
  }

  // Templates lattice-share did not write: every case of the third-party corpus, as a user gives it.
  corpusCases().forEach((c, i) =>
    it(`the third-party case ${c.name} agrees with itself`, async () => {
      const facts = c.facts ? join(c.dir, c.facts) : undefined;
      const { model, label } = await modelOf(absoluteInput(c), { parameters: c.parameters, facts });
      const found = await disagreementsOf(model, label, `agr-${process.pid}-tp${i}`);
      assert.deepEqual(found, [], found.join('\n'));
    }),
  );

  it(`${RUNS} generated topologies, each then through generated faults (seed ${SEED})`, async () => {
    await fc.assert(
      fc.asyncProperty(caseArb, faultsArb, async (c, faults) => {
        await runCase(c, faults);
      }),
      { numRuns: RUNS, seed: SEED, endOnFailure: !process.env.AGREEMENT_SHRINK, includeErrorInReport: true },
    );
  });
});
