// The diagram box: the DOT and Mermaid text of every example held to goldens (LATTICE_SHARE_UPDATE_GOLDEN=1 rewrites
// them), the SVG well-formed XML naming every account, VPC, endpoint, gateway and target, and with --check the edge
// where a broken variant stops marked with its hop, and the others not.
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { XMLValidator } from 'fast-xml-parser';
import { check } from '../src/check/index.js';
import { diagram, graphOf, groupGraph, type Graph, type GroupWords } from '../src/diagram/index.js';
import { grouped } from '../src/diagram/group.js';
import { loadModel, type InfraModel } from '../src/model/index.js';
import { example, exampleModel, repo, synth } from './support/synth.js';
import { brokenSeed } from './support/pictures.js';

const golden = (file: string) => join(repo, 'test', 'golden', file);
const examples = readdirSync(join(repo, 'examples')).filter((name) => existsSync(example(name)));

function holdsGolden(file: string, text: string): void {
  if (process.env.LATTICE_SHARE_UPDATE_GOLDEN) writeFileSync(golden(file), text);
  assert.equal(text, readFileSync(golden(file), 'utf8'), `${file} differs (LATTICE_SHARE_UPDATE_GOLDEN=1 rewrites it)`);
}

describe('diagram: every example as DOT and Mermaid', () => {
  for (const name of examples) {
    it(`${name}: DOT and Mermaid equal their goldens`, async () => {
      const s = synth({ file: example(name) });
      try {
        const model = loadModel(s.dir);
        holdsGolden(`${name}.diagram.dot`, await diagram(model, { format: 'dot', check: true }));
        holdsGolden(`${name}.diagram.mmd`, await diagram(model, { format: 'mermaid', check: true }));
      } finally {
        s.cleanup();
      }
    });
  }
});

/** The seed's model, for the suites below (synthesized once). */
let model: InfraModel;
exampleModel({ before, after }, 'seed', (_, loaded) => (model = loaded));

describe('diagram: the SVG of the seed', () => {
  it('is well-formed XML and names every account, VPC, endpoint, gateway and target', async () => {
    // Graphviz writes some characters as numeric entities ("-" as &#45;).
    const svg = (await diagram(model, { format: 'svg', check: true })).replace(/&#(\d+);/g, (_, code: string) =>
      String.fromCharCode(Number(code)),
    );
    assert.equal(XMLValidator.validate(svg), true);
    const named = [
      ...new Set(model.stacks.map((s) => s.account)),
      ...model.vpcs.map((v) => v.id),
      ...model.endpoints.map((e) => e.id),
      ...model.gateways.map((g) => g.name),
      ...model.databases.flatMap((d) => d.eniIds.map((id) => model.enis.find((e) => e.id === id)?.owner.id ?? id)),
    ];
    for (const text of named) assert.ok(svg.includes(text), `the SVG names ${text}`);
    // Graphviz writes an edge's tooltip as the xlink:title of the link around it: what a browser shows on hover.
    assert.match(svg, /xlink:title="[^"]*NO_EGRESS_RULE/, 'a blocked edge carries its hop as a tooltip');
  });

  it('is the same for the same model, and in Japanese has the Japanese legend', async () => {
    assert.equal(await diagram(model, { format: 'svg' }), await diagram(model, { format: 'svg' }));
    assert.match(await diagram(model, { format: 'dot', check: true, lang: 'ja' }), /凡例/);
  });
});

describe('diagram: subnets where they matter', () => {
  it("a part in a subnet under a network ACL of its own shows the subnet and ACL; the others don't", () => {
    const app = model.instances.find((i) => i.name === 'app');
    const subnetId = model.enis.find((e) => e.id === app?.eniId)?.subnetId ?? '';
    const acl = { id: 'acl-0test', account: '222222222222', isDefault: false, created: true, entries: [] };
    const g = graphOf(
      { ...model, networkAcls: [...model.networkAcls, { ...acl, subnetIds: [subnetId] }] },
      check(model),
    );
    const label = (name: string) => g.parts.find((p) => p.label.startsWith(`${name}\n`))?.label ?? '';
    assert.ok(subnetId && label('app').endsWith(`\n${subnetId} (acl-0test)`), label('app'));
    assert.doesNotMatch(label('legacy'), /subnet-/);
    assert.doesNotMatch(
      graphOf(model, check(model))
        .parts.map((p) => p.label)
        .join(),
      /subnet-/,
      'none by default',
    );
  });
});

describe('diagram --check on broken variants', () => {
  const graph = (m: InfraModel): Graph => graphOf(m, check(m), { check: true });
  const edgesTo = (g: Graph, kind: string) => g.edges.filter((e) => g.parts.find((p) => p.id === e.to)?.kind === kind);

  it('a missing egress rule: the client edge of "other" blocks with it; app\'s passes', () => {
    const g = graph(model);
    const other = g.parts.find((p) => p.label.startsWith('other\n'));
    const app = g.parts.find((p) => p.label.startsWith('app\n'));
    const fromOther = g.edges.find((e) => e.from === other?.id);
    assert.equal(fromOther?.verdict, 'block');
    assert.match(fromOther?.why.join('\n') ?? '', /client-egress block \(NO_EGRESS_RULE\)/);
    assert.equal(g.edges.find((e) => e.from === app?.id)?.verdict, 'pass');
    assert.ok(edgesTo(g, 'writer').every((e) => e.verdict === 'pass'));
  });

  it('an invitation not accepted: the Lattice edges block at the share hop, the client edges pass', () => {
    const g = graph(brokenSeed(model));
    const lattice = edgesTo(g, 'gateway');
    assert.ok(lattice.length && lattice.every((e) => e.verdict === 'block'));
    assert.ok(lattice.every((e) => /share block \(INVITATION_NOT_ACCEPTED\)/.test(e.why.join())));
    assert.match(lattice[0]?.label ?? '', /not accepted/);
    const app = g.parts.find((p) => p.label.startsWith('app\n'));
    assert.equal(g.edges.find((e) => e.from === app?.id)?.verdict, 'pass');
  });

  it('no zone in common: the Lattice edges block at the az hop', () => {
    const gateways = new Set(model.gateways.flatMap((x) => x.eniIds));
    const moved = model.enis.map((e) => (gateways.has(e.id) ? { ...e, az: 'us-east-1f', azId: 'use1-az6' } : e));
    const g = graph({ ...model, enis: moved });
    const lattice = edgesTo(g, 'gateway');
    assert.ok(lattice.length && lattice.every((e) => /az block \(NO_COMMON_ZONE\)/.test(e.why.join())));
    assert.ok(
      edgesTo(g, 'writer').every((e) => e.verdict === undefined),
      'nothing reaches beyond the gateway',
    );
  });
});

/**
 * A hand-made estate: an owner VPC with two gateways, and consumer VPCs (a client, an endpoint), each client edge's
 * verdict given, each endpoint to gateway rgw-1 unless `gateways` says which.
 */
function estate(verdicts: ('pass' | 'block')[], gateways: string[] = []): Graph {
  const consumers = verdicts.map((verdict, k) => ({
    ...{ k, verdict, vpc: `vpc-c${k}`, account: `account:2${k}` },
    gateway: gateways[k] ?? 'rgw-1',
  }));
  return {
    checked: true,
    boxes: [
      { id: 'account:1', kind: 'account', label: 'account 1' },
      { id: 'vpc-o', kind: 'vpc', label: 'vpc-o', parent: 'account:1' },
      ...consumers.flatMap(({ vpc, account }) => [
        { id: account, kind: 'account' as const, label: account },
        { id: vpc, kind: 'vpc' as const, label: vpc, parent: account },
      ]),
    ],
    parts: [
      { id: 'rgw-1', kind: 'gateway', label: 'gw', box: 'vpc-o' },
      { id: 'rgw-2', kind: 'gateway', label: 'gw', box: 'vpc-o' },
      { id: 'db-1', kind: 'writer', label: 'db', box: 'vpc-o' },
      ...consumers.flatMap(({ k, vpc }) => [
        { id: `i-${k}`, kind: 'instance' as const, label: 'app', box: vpc },
        { id: `vpce-${k}`, kind: 'endpoint' as const, label: `vpce-${k}`, box: vpc },
      ]),
    ],
    edges: [
      { from: 'rgw-1', to: 'db-1', label: 'tcp 5432', verdict: 'pass', why: [], reasons: [] },
      ...consumers.flatMap(({ k, verdict, gateway }) => [
        {
          from: `i-${k}`,
          to: `vpce-${k}`,
          label: 'tcp 5432',
          verdict,
          why: verdict === 'block' ? [`client-egress block (NO_EGRESS_RULE): sg-${k} has no rule`] : [],
          reasons: verdict === 'block' ? ['NO_EGRESS_RULE'] : [],
        },
        {
          ...{ from: `vpce-${k}`, to: gateway, label: `RAM share-${k} (accepted)` },
          ...{ verdict: 'pass' as const, why: [], reasons: [] },
        },
      ]),
    ],
  };
}

describe('diagram: VPCs of the same shape drawn once (large estates)', () => {
  const words: GroupWords = {
    group: (accounts, vpcs, drawn) => `${vpcs} VPCs in ${accounts.join(',')}\n${drawn}`,
    example: 'e.g.',
    more: (count) => `${count} more`,
  };

  it('draws VPCs of one shape once, in a box that says how many and where; a VPC of another shape apart', () => {
    const g = groupGraph(estate(['pass', 'pass', 'block', 'pass']), words);
    assert.deepEqual(
      g.boxes.filter((b) => b.kind === 'group').map((b) => b.label.split('\n')[0]),
      ['3 VPCs in 20,21,23'],
    );
    assert.deepEqual(
      g.boxes
        .filter((b) => b.kind === 'vpc')
        .map((b) => b.id)
        .sort(),
      ['vpc-c2', 'vpc-o'],
    );
    assert.ok(!g.boxes.some((b) => b.id === 'account:21'), 'an account left empty is not drawn');
    const client = g.edges.filter((e) => e.to === 'vpce-0');
    assert.deepEqual(
      client.map((e) => [e.label, e.verdict]),
      [['tcp 5432 ×3', 'pass']],
    );
    assert.deepEqual(
      g.edges.filter((e) => e.from === 'vpce-0').map((e) => e.label),
      ['RAM (accepted) ×3'],
    );
    assert.equal(g.edges.find((e) => e.from === 'i-2')?.verdict, 'block', 'the odd one keeps its verdict and why');
  });

  it('keeps VPCs apart that differ only in which part of another VPC they reach (two gateways of one VPC)', () => {
    const g = estate(['pass', 'pass'], ['rgw-1', 'rgw-2']);
    assert.deepEqual(groupGraph(g, words), g);
    const same = groupGraph(estate(['pass', 'pass'], ['rgw-2', 'rgw-2']), words);
    assert.equal(same.boxes.filter((b) => b.kind === 'group').length, 1);
  });
});

describe('diagram: grouping the examples', () => {
  let many: InfraModel;
  exampleModel({ before, after }, 'many-consumers', (_, loaded) => (many = loaded));

  it('groups under auto above 12 VPCs only; many-consumers (5 VPCs) stays ungrouped, as never draws it', async () => {
    assert.deepEqual(
      [grouped('auto', 12), grouped('auto', 13), grouped('always', 2), grouped('never', 99)],
      [false, true, true, false],
    );
    const auto = await diagram(many, { format: 'dot', check: true });
    assert.equal(auto, await diagram(many, { format: 'dot', check: true, group: 'never' }));
    assert.notEqual(auto, await diagram(many, { format: 'dot', check: true, group: 'always' }), 'always does group it');
  });

  it('many-consumers grouped: its two partner VPCs of one shape drawn once, every verdict still drawn', async () => {
    const never = await diagram(many, { format: 'dot', check: true, group: 'never' });
    const always = await diagram(many, { format: 'dot', check: true, group: 'always' });
    const count = (dot: string, what: RegExp) => dot.match(what)?.length ?? 0;
    assert.equal(count(always, /class="vpc"/g), count(never, /class="vpc"/g) - 2);
    assert.match(always, /label="2 VPCs of this shape, in 2 accounts: 333333333333, 444444444444\\n/);
    const verdicts = (dot: string) => new Set(dot.match(/class="(pass|block|partial|unknown)"/g));
    assert.deepEqual(verdicts(always), verdicts(never));
  });
});
