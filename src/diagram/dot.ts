// A graph as Graphviz DOT: an account as an outer cluster, its VPCs inside, the parts in them; edges coloured by
// check's verdict, with the hops that block or cannot say as their tooltip (an SVG <title>). Deterministic: the same
// graph gives the same text.
import type { Box, Edge, Graph, Part, PartKind, Verdict } from './graph.js';
import type { Words } from './words.js';

const SHAPE: Record<PartKind, string> = {
  instance: 'box',
  endpoint: 'hexagon',
  association: 'hexagon',
  gateway: 'house',
  writer: 'cylinder',
  reader: 'cylinder',
  caller: 'component',
};
export const COLOUR: Record<Verdict | 'none', string> = {
  pass: '#2e7d32',
  block: '#c62828',
  unknown: '#ef6c00',
  partial: '#8e24aa',
  none: '#546e7a',
};

const BOX_STYLE: Record<Box['kind'], string> = { account: 'rounded', vpc: 'dashed', group: '"rounded,bold"' };

/** Text as HTML (a page, or a DOT HTML-like label): every character that could open markup written as an entity. */
export const esc = (text: string) =>
  text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

/** A DOT string literal. */
const q = (text: string) => `"${text.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n')}"`;

function partLine(part: Part): string {
  return `${q(part.id)} [label=${q(part.label)}, shape=${SHAPE[part.kind]}, class=${q(part.kind)}];`;
}

function edgeLine(edge: Edge): string {
  const colour = COLOUR[edge.verdict ?? 'none'];
  const style = edge.verdict === 'unknown' ? 'dashed' : edge.verdict === 'partial' ? 'bold' : 'solid';
  const width = edge.verdict === 'block' ? 2.5 : 1.2;
  const tooltip = edge.why.length ? edge.why.join('\n') : `${edge.label}${edge.verdict ? `: ${edge.verdict}` : ''}`;
  const attrs = [`label=${q(edge.label)}`, `color=${q(colour)}`, `fontcolor=${q(colour)}`, `style=${style}`];
  attrs.push(`penwidth=${width}`, `tooltip=${q(tooltip)}`, `class=${q(edge.verdict ?? 'unchecked')}`);
  return `${q(edge.from)} -> ${q(edge.to)} [${attrs.join(', ')}];`;
}

function clusterLines(graph: Graph, box: Box, indent: string): string[] {
  const inner = graph.boxes.filter((b) => b.parent === box.id);
  const parts = graph.parts.filter((p) => p.box === box.id);
  return [
    `${indent}subgraph ${q(`cluster_${box.id}`)} {`,
    `${indent}  label=${q(box.label)}; style=${BOX_STYLE[box.kind]}; class=${q(box.kind)};`,
    ...inner.flatMap((b) => clusterLines(graph, b, `${indent}  `)),
    ...parts.map((p) => `${indent}  ${partLine(p)}`),
    `${indent}}`,
  ];
}

/** Full-width characters (CJK, kana, hangul, full-width forms), which a CJK font draws 1 em wide. */
const WIDE = /[\u1100-\u115f\u2e80-\ua4cf\uac00-\ud7a3\uf900-\ufaff\ufe30-\ufe4f\uff00-\uff60\uffe0-\uffe6]/g;

/** The legend's font size: the graph's node font (see toDot). */
const LEGEND_POINTS = 10;

/**
 * A table cell's WIDTH for text with full-width characters: Graphviz estimates them narrower than a CJK font draws them
 * (9.3 points at 10, against 10), and a Japanese legend line ran out of its box. Other characters are counted at 0.6
 * em, wider than Helvetica's; the 6 points are the cell's padding and a margin. Text without them keeps Graphviz's own
 * estimate (and the DOT stays as it was).
 */
function cellWidth(text: string): string {
  const wide = text.match(WIDE)?.length ?? 0;
  if (!wide) return '';
  const points = LEGEND_POINTS * (wide + 0.6 * ([...text].length - wide)) + 6;
  return ` WIDTH="${Math.ceil(points)}"`;
}

/** The legend: one node, a line of each verdict's colour and style beside what it means. */
function legendLines(words: Words): string[] {
  const row = (text: string, colour: string, line: string) =>
    `<TR><TD><FONT COLOR="${colour}">${line}</FONT></TD><TD ALIGN="LEFT"${cellWidth(text)}>${esc(text)}</TD></TR>`;
  const rows = [
    row(words.reachable, COLOUR.pass, '———'),
    row(words.blocked, COLOUR.block, '<B>———</B>'),
    row(words.partial, COLOUR.partial, '<B>═══</B>'),
    row(words.unknown, COLOUR.unknown, '- - -'),
  ];
  const title = `<TR><TD COLSPAN="2"><B>${esc(words.legend)}</B></TD></TR>`;
  const table = `<TABLE BORDER="1" CELLBORDER="0" CELLSPACING="2" STYLE="rounded">${title}${rows.join('')}</TABLE>`;
  return [`  "lattice-share:legend" [shape=plaintext, class="legend", label=<${table}>];`];
}

export function toDot(graph: Graph, words: Words): string {
  const top = graph.boxes.filter((b) => !b.parent);
  const loose = graph.parts.filter((p) => !graph.boxes.some((b) => b.id === p.box));
  return [
    'digraph lattice {',
    `  graph [rankdir=LR, fontname="Helvetica", fontsize=11, label=${q(words.title)}, labelloc=t];`,
    '  node [fontname="Helvetica", fontsize=10, margin="0.15,0.07"];',
    '  edge [fontname="Helvetica", fontsize=9];',
    ...top.flatMap((b) => clusterLines(graph, b, '  ')),
    ...loose.map((p) => `  ${partLine(p)}`),
    ...graph.edges.map((e) => `  ${edgeLine(e)}`),
    ...(graph.checked ? legendLines(words) : []),
    '}',
    '',
  ].join('\n');
}
