// Other companies, with real parts. A partner's side: the owner's stacks, a sample partner VPC (examples/partner) and
// the kit's template created in it, up in one twin: psql from the partner's client (in the security group the partner
// chose) reaches the database by the cluster's own names; from another instance of the VPC it does not; check agrees.
// A partner's database we consume (examples/from-partner): our side up against the stand-in the twin makes for theirs.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { check } from '../../src/check/index.js';
import { loadModel } from '../../src/model/index.js';
import { example, synth, type Synthesized } from '../support/synth.js';
import { partnerSystem, type PartnerSystem } from '../support/partner.js';
import { rootSuites } from '../support/root.js';
import { bin, psql, startTwinOf, type RunningTwin } from '../support/twin.js';

const { after, before, describe, it } = rootSuites('the partner test brings a twin up (network namespaces, nftables)');

describe("a partner's kit in a sample partner VPC", () => {
  let system: PartnerSystem;
  let twin: RunningTwin;
  before(async () => {
    system = partnerSystem();
    twin = await startTwinOf(`kit-${process.pid}`, system.model, system.kitDir);
  });
  after(() => {
    twin?.close();
    system?.cleanup();
  });

  it("psql from the partner's client reaches the writer and the reader by their own names; check agrees", () => {
    const report = check(system.model);
    const names = report.flows.filter((f) => f.client.label === 'app' && f.nameKind === 'private-dns');
    assert.equal(names.length, 2);
    for (const flow of names) {
      assert.equal(flow.disposition, 'REACHABLE');
      const r = psql(twin, 'app', flow.name, 'select 1');
      assert.equal(r.code, 0, `${flow.name}: ${r.out}`);
      assert.equal(r.out, '1');
    }
  });
  it('from an instance outside the chosen group it does not: the endpoint refuses, as check says', () => {
    const report = check(system.model);
    const flows = report.flows.filter((f) => f.client.label === 'other' && f.nameKind === 'private-dns');
    assert.ok(flows.length);
    for (const flow of flows) {
      assert.equal(flow.disposition, 'BLOCKED');
      assert.equal(flow.decidedBy?.hop, 'endpoint-ingress');
      const r = psql(twin, 'other', flow.name, 'select 1', 2);
      assert.notEqual(r.code, 0, r.out);
      assert.match(r.out, /timeout|timed out|could not connect/i);
    }
  });
});

describe("a partner's database we consume, against the twin's stand-in for their side", () => {
  let synthesized: Synthesized;
  let twin: RunningTwin;
  before(async () => {
    synthesized = synth({ file: example('from-partner') });
    twin = await startTwinOf(`from-${process.pid}`, loadModel(synthesized.dir, { standIns: true }), synthesized.dir);
  });
  after(() => {
    twin?.close();
    synthesized?.cleanup();
  });

  it("psql from our client reaches the partner's writer and reader names; check passes our side and leaves theirs UNKNOWN", () => {
    const report = check(loadModel(synthesized.dir));
    const names = report.flows.filter((f) => f.client.label === 'app' && f.nameKind === 'private-dns');
    assert.equal(names.length, 2);
    for (const flow of names) {
      assert.equal(flow.disposition, 'UNKNOWN');
      assert.equal(flow.decidedBy?.reason, 'OWNER_SIDE_OUTSIDE');
      const r = psql(twin, 'app', flow.name, 'select 1');
      assert.equal(r.code, 0, `${flow.name}: ${r.out}`);
    }
    assert.ok(twin.summary.databases.some((d) => d.writer === names[0]?.name || d.writer === names[1]?.name));
  });
  it('a workload that is not a client is refused by our own groups, in the twin as in check', () => {
    const flows = check(loadModel(synthesized.dir)).flows.filter(
      (f) => f.client.label === 'other' && f.nameKind === 'private-dns',
    );
    assert.ok(flows.length);
    for (const flow of flows) {
      assert.equal(flow.disposition, 'BLOCKED');
      const r = psql(twin, 'other', flow.name, 'select 1', 2);
      assert.notEqual(r.code, 0, r.out);
    }
  });
});

/** A TCP connection from a workload, by name through its VPC's resolver: "connected", or why not. */
function connect(twin: RunningTwin, workload: string, host: string, port: number): string {
  const script = `const s = require('net').connect(${port}, '${host}', () => { console.log('connected'); s.end(); });
    s.setTimeout(2000, () => { console.log('timeout'); process.exit(1); });
    s.on('error', (e) => { console.log('error ' + e.code); process.exit(1); });`;
  const r = spawnSync(
    process.execPath,
    [bin, 'exec', '--name', twin.name, workload, '--', process.execPath, '-e', script],
    {
      encoding: 'utf8',
      timeout: 30_000,
    },
  );
  return r.stdout.trim();
}

describe("a partner's TCP service we consume, with no invitation to accept, against the twin's stand-in", () => {
  let synthesized: Synthesized;
  let twin: RunningTwin;
  before(async () => {
    const config = readFileSync(example('from-partner'), 'utf8')
      .replace(
        /resources:[\s\S]*?workloads:/,
        `resources:
  ledger:
    type: tcp
    ports: [7000]
    customDomain: ledger.supplier.example
    sharedBy:
      account: supplier
      configurationArn: arn:aws:vpc-lattice:us-east-1:333333333333:resourceconfiguration/rcfg-0b1b2c3d4e5f60718

workloads:`,
      )
      .replace('resource: inventory-db', 'resource: ledger');
    synthesized = synth({ yaml: config });
    twin = await startTwinOf(`tcp-${process.pid}`, loadModel(synthesized.dir, { standIns: true }), synthesized.dir);
  });
  after(() => {
    twin?.close();
    synthesized?.cleanup();
  });

  it('our client connects to the custom domain on its port; another workload does not; check agrees on our side', () => {
    const report = check(loadModel(synthesized.dir));
    const app = report.flows.find((f) => f.client.label === 'app' && f.name === 'ledger.supplier.example');
    assert.deepEqual([app?.disposition, app?.port, app?.decidedBy?.reason], ['UNKNOWN', 7000, 'OWNER_SIDE_OUTSIDE']);
    assert.equal(connect(twin, 'app', 'ledger.supplier.example', 7000), 'connected');
    const other = report.flows.find((f) => f.client.label === 'other' && f.name === 'ledger.supplier.example');
    assert.equal(other?.disposition, 'BLOCKED');
    assert.notEqual(connect(twin, 'other', 'ledger.supplier.example', 7000), 'connected');
  });
});
