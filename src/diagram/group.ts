// Large estates stay legible: VPCs of the same shape (the same kinds of parts, the same edges with the same verdicts
// to VPCs of the same shape) are drawn once, as one box that says how many there are and in which accounts. Pure.
import type { Box, Edge, Graph, Part, Verdict } from './graph.js';

/** With 'auto', a picture of more VPCs than this is grouped. */
export const GROUP_ABOVE = 12;
/** How many tooltip lines a grouped edge keeps before it says how many more there are. */
const WHY_LINES = 6;

export const GROUPINGS = ['auto', 'always', 'never'] as const;
export type Grouping = (typeof GROUPINGS)[number];
/** The words of grouped pictures. */
export interface GroupWords {
  /** A group box's label, from its accounts, how many VPCs it draws, and the label of the one drawn. */
  readonly group: (accounts: string[], vpcs: number, drawn: string) => string;
  /** Before the example a merged edge's tooltip gives of a reason many of its edges share. */
  readonly example: string;
  /** The last tooltip line of a merged edge with more reasons than it lists. */
  readonly more: (count: number) => string;
}

/** Whether a graph of `vpcs` VPC boxes is grouped under `grouping`. */
export const grouped = (grouping: Grouping, vpcs: number) =>
  grouping === 'always' || (grouping === 'auto' && vpcs > GROUP_ABOVE);

/** A Lattice edge's label without its share's own name: the shape it has, not which share it is. */
const labelShape = (label: string) => label.replace(/^RAM .* \(/, 'RAM (');

interface Index {
  readonly vpcs: Box[];
  /** Each box's parts, sorted by kind and label: the k-th part of one VPC stands for the k-th of another. */
  readonly partsIn: Map<string, Part[]>;
  readonly positionOf: Map<string, number>;
  readonly boxOfPart: Map<string, string>;
  readonly edgesFrom: Map<string, Edge[]>;
}

function pushTo<T>(map: Map<string, T[]>, key: string, value: T): void {
  const list = map.get(key);
  if (list) list.push(value);
  else map.set(key, [value]);
}

function indexOf(graph: Graph): Index {
  const partsIn = new Map<string, Part[]>();
  const boxOfPart = new Map<string, string>();
  for (const part of graph.parts) {
    pushTo(partsIn, part.box, part);
    boxOfPart.set(part.id, part.box);
  }
  const positionOf = new Map<string, number>();
  for (const parts of partsIn.values()) {
    parts.sort((a, b) => a.kind.localeCompare(b.kind) || a.label.localeCompare(b.label));
    parts.forEach((part, k) => positionOf.set(part.id, k));
  }
  const edgesFrom = new Map<string, Edge[]>();
  for (const edge of graph.edges) pushTo(edgesFrom, boxOfPart.get(edge.from) ?? '', edge);
  return { vpcs: graph.boxes.filter((b) => b.kind === 'vpc'), partsIn, positionOf, boxOfPart, edgesFrom };
}

/**
 * Each VPC's shape, as text: equal texts are drawn as one. An edge to another VPC says that VPC's shape and which of
 * its parts it lands on; a VPC met again while its own shape is being worked out (a loop) is named by its ID, so VPCs
 * on loops are drawn apart.
 */
function shapesOf(index: Index): Map<string, string> {
  const vpcIds = new Set(index.vpcs.map((v) => v.id));
  const shapes = new Map<string, string>();
  const shaping = new Set<string>();
  const shapeOf = (vpc: string): string => {
    const known = shapes.get(vpc);
    if (known !== undefined) return known;
    if (!vpcIds.has(vpc) || shaping.has(vpc)) return `id:${vpc}`;
    shaping.add(vpc);
    const edges = (index.edgesFrom.get(vpc) ?? []).map((edge) => {
      const toBox = index.boxOfPart.get(edge.to) ?? '';
      const to = `${toBox === vpc ? 'self' : shapeOf(toBox)}#${index.positionOf.get(edge.to)}`;
      const from = index.positionOf.get(edge.from);
      return `${from}>${to}|${labelShape(edge.label)}|${edge.verdict ?? ''}|${edge.reasons.join()}`;
    });
    const kinds = (index.partsIn.get(vpc) ?? []).map((p) => p.kind);
    const shape = `[${kinds.join(',')}]{${edges.sort().join(';')}}`;
    shaping.delete(vpc);
    shapes.set(vpc, shape);
    return shape;
  };
  for (const vpc of index.vpcs) shapeOf(vpc.id);
  return shapes;
}

/** The graph with VPCs of one shape drawn once: a group box per shape of two or more VPCs. */
export function groupGraph(graph: Graph, words: GroupWords): Graph {
  const index = indexOf(graph);
  const shapes = shapesOf(index);
  const byShape = new Map<string, Box[]>();
  for (const vpc of index.vpcs) pushTo(byShape, shapes.get(vpc.id) ?? vpc.id, vpc);
  const stand = new Map<string, string>(); // part or box ID → the one drawn for it
  const groups: Box[] = [];
  for (const [first, ...others] of byShape.values()) {
    if (!first || !others.length) continue;
    const id = `group:${first.id}`;
    const members = [first, ...others];
    const accounts = [...new Set(members.map((m) => (m.parent ?? '').replace(/^account:/, '')))].sort();
    groups.push({ id, kind: 'group', label: words.group(accounts, members.length, first.label) });
    const drawn = index.partsIn.get(first.id) ?? [];
    for (const member of members) {
      stand.set(member.id, id);
      (index.partsIn.get(member.id) ?? []).forEach((p, k) => stand.set(p.id, drawn[k]?.id ?? p.id));
    }
  }
  return redrawn(graph, stand, groups, words);
}

/** The graph with every grouped part drawn by its group's first, edges merged where they now meet. */
function redrawn(graph: Graph, stand: Map<string, string>, groups: Box[], words: GroupWords): Graph {
  const kept = (id: string) => stand.get(id) ?? id;
  const parts = graph.parts
    .filter((p) => kept(p.id) === p.id)
    .map((p) => (stand.has(p.box) ? { ...p, box: kept(p.box) } : p));
  const edges = new Map<string, Merged>();
  for (const edge of graph.edges) {
    const from = kept(edge.from);
    const to = kept(edge.to);
    const key = `${from}>${to}>${labelShape(edge.label)}`;
    const entry = edges.get(key) ?? {
      edge: { ...edge, from, to },
      verdicts: new Set(),
      why: new Set(),
      reasons: new Set(),
      labels: new Set(),
      count: 0,
    };
    edges.set(key, entry);
    entry.labels.add(edge.label);
    entry.count += 1;
    if (edge.verdict) entry.verdicts.add(edge.verdict);
    for (const line of edge.why) entry.why.add(line);
    for (const reason of edge.reasons) entry.reasons.add(reason);
  }
  const boxes = graph.boxes.filter((b) => !stand.has(b.id));
  const used = new Set([...parts.map((p) => p.box), ...boxes.flatMap((b) => (b.parent ? [b.parent] : []))]);
  return {
    ...graph,
    boxes: [...boxes.filter((b) => b.kind !== 'account' || used.has(b.id)), ...groups],
    parts,
    edges: [...edges.values()].map((merged) => mergedEdge(merged, words)),
  };
}

interface Merged {
  readonly edge: Edge;
  readonly verdicts: Set<Verdict>;
  readonly why: Set<string>;
  readonly reasons: Set<string>;
  /** The labels of the edges drawn as one, and how many there were. */
  readonly labels: Set<string>;
  count: number;
}

/** Edges drawn as one: labelled by their shape and how many they are, their verdicts merged, their whys. */
function mergedEdge({ edge, verdicts, why, reasons, labels, count }: Merged, words: GroupWords): Edge {
  const label = labels.size > 1 ? labelShape(edge.label) : edge.label;
  return {
    ...edge,
    label: count > 1 ? `${label} ×${count}` : label,
    ...(verdicts.size ? { verdict: mergedVerdict(verdicts) } : {}),
    why: count > 1 ? whysByReason([...why], words) : [...why].sort(),
    reasons: [...reasons].sort(),
  };
}

/** Tooltip lines of many edges: one per hop and reason, with how many said it and the first as an example. */
function whysByReason(lines: string[], words: GroupWords): string[] {
  const byReason = new Map<string, string[]>();
  for (const line of lines.sort()) {
    const cut = line.indexOf(': ');
    const reason = cut < 0 ? line : line.slice(0, cut);
    pushTo(byReason, reason, cut < 0 ? '' : line.slice(cut + 2));
  }
  const out = [...byReason.entries()].map(([reason, said]) =>
    said.length > 1 ? `${reason} ×${said.length}, ${words.example}: ${said[0] ?? ''}` : `${reason}: ${said[0] ?? ''}`,
  );
  const more = out.length - WHY_LINES;
  return more > 0 ? [...out.slice(0, WHY_LINES), words.more(more)] : out;
}

/** The verdict of edges drawn as one: the one they share, else partial when some get past and some stop there. */
function mergedVerdict(verdicts: Set<Verdict>): Verdict {
  if (verdicts.size === 1) return [...verdicts][0] ?? 'pass';
  if (verdicts.has('pass') || verdicts.has('partial')) return 'partial';
  return verdicts.has('block') ? 'block' : 'unknown';
}
