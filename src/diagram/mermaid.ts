// A graph as a Mermaid flowchart, for READMEs and pull requests (GitHub renders it): subgraphs for accounts and VPCs,
// edges labelled, coloured by check's verdict with linkStyle.
import { COLOUR } from './dot.js';
import type { Box, Graph, Part, PartKind } from './graph.js';

const SHAPE: Record<PartKind, [string, string]> = {
  instance: ['[', ']'],
  endpoint: ['{{', '}}'],
  association: ['{{', '}}'],
  gateway: ['[/', '\\]'],
  writer: ['[(', ')]'],
  reader: ['[(', ')]'],
  caller: ['>', ']'],
};

/** Mermaid IDs are words: each ID of the model gets a short one, in order. */
function idsOf(graph: Graph): Map<string, string> {
  const ids = new Map<string, string>();
  for (const b of graph.boxes) ids.set(b.id, `b${ids.size}`);
  for (const p of graph.parts) ids.set(p.id, `n${ids.size}`);
  return ids;
}

/** Text Mermaid shows as is: quoted, with its own quotes as an entity and its line breaks as <br/>. */
const text = (s: string) => `"${s.replace(/"/g, '#quot;').replace(/\n/g, '<br/>')}"`;

function boxLines(graph: Graph, ids: Map<string, string>, box: Box, indent: string): string[] {
  const part = (p: Part) => {
    const [open, close] = SHAPE[p.kind];
    return `${indent}  ${ids.get(p.id)}${open}${text(p.label)}${close}`;
  };
  return [
    `${indent}subgraph ${ids.get(box.id)}[${text(box.label)}]`,
    ...graph.boxes.filter((b) => b.parent === box.id).flatMap((b) => boxLines(graph, ids, b, `${indent}  `)),
    ...graph.parts.filter((p) => p.box === box.id).map(part),
    `${indent}end`,
  ];
}

export function toMermaid(graph: Graph): string {
  const ids = idsOf(graph);
  const edges = graph.edges.filter((e) => ids.has(e.from) && ids.has(e.to));
  const styles = edges.flatMap((e, k) =>
    e.verdict ? [`  linkStyle ${k} stroke:${COLOUR[e.verdict]},stroke-width:${e.verdict === 'block' ? 3 : 1.5}px`] : [],
  );
  return [
    'flowchart LR',
    ...graph.boxes.filter((b) => !b.parent).flatMap((b) => boxLines(graph, ids, b, '  ')),
    ...edges.map((e) => `  ${ids.get(e.from)} -->|${text(e.label)}| ${ids.get(e.to)}`),
    ...styles,
    '',
  ].join('\n');
}
