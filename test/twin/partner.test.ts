// Other companies, with real parts. A partner's side: the owner's stacks, a sample partner VPC (examples/partner) and
// the kit's template created in it, up in one twin: psql from the partner's client (in the security group the partner
// chose) reaches the database by the cluster's own names; from another instance of the VPC it does not; check agrees.
// A partner's database we consume (examples/from-partner): our side up against the stand-in the twin makes for theirs.
import assert from 'node:assert/strict';
import { check } from '../../src/check/index.js';
import { loadModel } from '../../src/model/index.js';
import { example, synth, type Synthesized } from '../support/synth.js';
import { partnerSystem, type PartnerSystem } from '../support/partner.js';
import { rootSuites } from '../support/root.js';
import { psql, startTwinOf, type RunningTwin } from '../support/twin.js';

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
