// Resources another account shares with ours (sharedBy, examples/from-partner): lattice-share writes only our side
// (the acceptance, the endpoint, its group, the outputs), check follows our side and says the owner's is theirs, and
// the model stands the owner's side in for the twin only.
import assert from 'node:assert/strict';
import { readFileSync, rmSync } from 'node:fs';
import { after, before, describe, it } from 'node:test';
import { PARTNER_METADATA, type PartnerFacts } from '../src/assembly/index.js';
import { check, type CheckReport } from '../src/check/index.js';
import { loadModel } from '../src/model/index.js';
import { example, ofType, synth, type Synthesized } from './support/synth.js';
import { editAssembly } from './support/twin.js';

const CONFIGURATION = 'arn:aws:vpc-lattice:us-east-1:333333333333:resourceconfiguration/rcfg-0a1b2c3d4e5f60718';
const SHARE = 'arn:aws:ram:us-east-1:333333333333:resource-share/7a1c2e4f-5b6d-4e8f-9a0b-1c2d3e4f5a6b';
const WRITER = 'inventory.cluster-c1a2b3c4d5e6.us-east-1.rds.amazonaws.com';

let synthesized: Synthesized;
before(() => (synthesized = synth({ file: example('from-partner') }, { nag: true })));
after(() => synthesized.cleanup());

describe('the consumer stack of a resource shared with us', () => {
  it('is the only stack: our endpoint to the owner configuration by ARN, after accepting its share', () => {
    assert.deepEqual([...synthesized.templates.keys()], ['FromSupplier-us-consumer']);
    const t = synthesized.templates.get('FromSupplier-us-consumer');
    assert.ok(t);
    const endpoints = ofType(t, 'AWS::EC2::VPCEndpoint');
    assert.equal(endpoints.length, 1);
    assert.equal(endpoints[0]?.[1].Properties?.ResourceConfigurationArn, CONFIGURATION);
    assert.ok(JSON.stringify(t.Resources).includes(SHARE), "the acceptance names the owner's share");
    const facts = t.Metadata?.[PARTNER_METADATA] as PartnerFacts[];
    assert.deepEqual(
      facts.map((x) => [x.name, x.party, x.account, x.ports, x.names.map((n) => n.name)]),
      [
        [
          'inventory-db',
          'Example Supplier Ltd.',
          '333333333333',
          ['5432'],
          [WRITER, WRITER.replace('.cluster-', '.cluster-ro-')],
        ],
      ],
    );
    assert.deepEqual(facts[0]?.zones, [
      { name: 'us-east-1a', id: 'use1-az1' },
      { name: 'us-east-1b', id: 'use1-az2' },
    ]);
  });
});

describe('check on our side of it', () => {
  let report: CheckReport;
  before(() => (report = check(loadModel(synthesized.dir))));
  it("follows the client to the owner's side and says that side is theirs, with what to ask", () => {
    const app = report.flows.filter((f) => f.client.label === 'app');
    assert.ok(app.some((f) => f.name === WRITER && f.nameKind === 'private-dns' && f.port === 5432));
    for (const flow of app) {
      assert.equal(flow.disposition, 'UNKNOWN');
      const hops = flow.attempts[0]?.hops ?? [];
      const share = hops.findIndex((h) => h.hop === 'share');
      assert.ok(
        hops.every((h, i) => (i === share ? h.status === 'unknown' : h.status === 'pass')),
        JSON.stringify(hops.map((h) => [h.hop, h.status])),
      );
      assert.deepEqual(
        hops.slice(share).map((h) => h.hop),
        ['share', 'port-range'],
        "the port is held to the owner's word",
      );
      const last = hops[share];
      assert.deepEqual([last?.hop, last?.status, last?.reason], ['share', 'unknown', 'OWNER_SIDE_OUTSIDE']);
      assert.match(
        last?.detail ?? '',
        /Example Supplier Ltd\.'s \(account 333333333333.*our account accepted its invitation/,
      );
      assert.match(last?.fix ?? '', /their share reaches account 111111111111.*port 5432.*use1-az1, use1-az2/);
    }
    assert.deepEqual(
      report.findings.filter((f) => f.severity === 'error'),
      [],
      'no lint of the owner side',
    );
  });
  it('blocks a workload that is not a client at our own security groups', () => {
    const other = report.flows.filter((f) => f.client.label === 'other');
    assert.ok(other.length && other.every((f) => f.disposition === 'BLOCKED' && f.decidedBy?.hop === 'client-egress'));
  });
  it("blocks at the share when our account does not accept the owner's invitation", () => {
    const dir = editAssembly(synthesized.dir, (_, t) => {
      for (const id of Object.keys(t.Resources)) if (id.startsWith('InventoryDbInvitation')) delete t.Resources[id];
      for (const r of Object.values(t.Resources))
        if (Array.isArray(r.DependsOn)) r.DependsOn = r.DependsOn.filter((d) => !d.startsWith('InventoryDbInvitation'));
    });
    try {
      const flows = check(loadModel(dir)).flows.filter((f) => f.client.label === 'app');
      assert.ok(
        flows.every((f) => f.decidedBy?.reason === 'INVITATION_NOT_ACCEPTED'),
        JSON.stringify(flows.map((f) => f.decidedBy)),
      );
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe("the model's stand-in of the owner's side", () => {
  it('is made only when asked (the twin), in the owner account, with its ARN and names', () => {
    const plain = loadModel(synthesized.dir);
    assert.ok(!plain.stacks.some((s) => s.standInFor));
    assert.equal(plain.configurations.find((c) => c.arn === CONFIGURATION)?.outside?.party, 'Example Supplier Ltd.');
    const stood = loadModel(synthesized.dir, { standIns: true });
    const stack = stood.stacks.find((s) => s.standInFor);
    assert.deepEqual(
      [stack?.name, stack?.account, stack?.standInFor],
      ['stand-in-inventory-db', '333333333333', 'Example Supplier Ltd.'],
    );
    const config = stood.configurations.find((c) => c.arn === CONFIGURATION);
    assert.ok(config && !config.outside && config.gatewayId);
    assert.equal(stood.databases[0]?.writerName, WRITER);
    assert.ok(
      stood.shares.some(
        (s) => s.arn === SHARE && s.principals.some((p) => p.kind === 'account' && p.id === '111111111111'),
      ),
    );
  });
  it('takes a share the config names no invitation for as received, and stands a TCP server in for a TCP service', () => {
    const config = readFileSync(example('from-partner'), 'utf8')
      .replace(/ {4}shareArn: .*\n/, '')
      .replace('type: aurora-postgresql\n    expose: arn', 'type: tcp\n    ports: [7000]')
      .replace(/ {6}names:\n.*\n.*\n/, '');
    const tcp = synth({ yaml: config });
    try {
      const stood = loadModel(tcp.dir, { standIns: true });
      assert.ok(
        stood.acceptances.some(
          (a) => a.account === '111111111111' && /stand-in for Example Supplier/.test(a.inferredFrom ?? ''),
        ),
      );
      assert.deepEqual(
        stood.services.map((x) => [x.protocol, x.port]),
        [['http', 7000]],
      );
      assert.equal(stood.databases.length, 0);
    } finally {
      tcp.cleanup();
    }
  });
});
