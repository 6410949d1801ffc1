// The diagram box: the DOT and Mermaid text of every example held to goldens (LATTICE_SHARE_UPDATE_GOLDEN=1 rewrites
// them), the SVG well-formed XML naming every account, VPC, endpoint, gateway and target, and with --check the edge
// where a broken variant stops marked with its hop, and the others not.
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { XMLValidator } from 'fast-xml-parser';
import { check } from '../src/check/index.js';
import { diagram, graphOf, type Graph } from '../src/diagram/index.js';
import { loadModel, type InfraModel } from '../src/model/index.js';
import { example, exampleModel, repo, synth } from './support/synth.js';

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

describe('diagram --check on broken variants', () => {
  const graph = (m: InfraModel): Graph => graphOf(m, check(m), { check: true });
  const edgesTo = (g: Graph, kind: string) => g.edges.filter((e) => g.parts.find((p) => p.id === e.to)?.kind === kind);

  it('a missing egress rule: the client edge of "other" blocks with it; app\'s passes', () => {
    const g = graph(model);
    const other = g.parts.find((p) => p.label.startsWith('other '));
    const app = g.parts.find((p) => p.label.startsWith('app '));
    const fromOther = g.edges.find((e) => e.from === other?.id);
    assert.equal(fromOther?.verdict, 'block');
    assert.match(fromOther?.why.join('\n') ?? '', /client-egress block \(NO_EGRESS_RULE\)/);
    assert.equal(g.edges.find((e) => e.from === app?.id)?.verdict, 'pass');
    assert.ok(edgesTo(g, 'writer').every((e) => e.verdict === 'pass'));
  });

  it('an invitation not accepted: the Lattice edges block at the share hop, the client edges pass', () => {
    const g = graph({ ...model, acceptances: [] });
    const lattice = edgesTo(g, 'gateway');
    assert.ok(lattice.length && lattice.every((e) => e.verdict === 'block'));
    assert.ok(lattice.every((e) => /share block \(INVITATION_NOT_ACCEPTED\)/.test(e.why.join())));
    assert.match(lattice[0]?.label ?? '', /not accepted/);
    const app = g.parts.find((p) => p.label.startsWith('app '));
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
