// Entry point of the diagram box: the model (and check's report) as a picture, in DOT, Mermaid or SVG, and check's
// answer as a self-contained page. Reads the model and the report only; the library never prints.
import { check, type CheckReport } from '../check/index.js';
import type { InfraModel } from '../model/index.js';
import { toDot } from './dot.js';
import { graphOf, type Graph, type GraphOptions } from './graph.js';
import { groupGraph, grouped, type Grouping } from './group.js';
import { toMermaid } from './mermaid.js';
import { checkPageOf } from './page.js';
import { svgOf } from './svg.js';
import { wordsOf, type Lang } from './words.js';

export { graphOf, type Graph, type GraphOptions, type Edge, type Part, type Box, type Verdict } from './graph.js';
export type { Lang } from './words.js';
export { GROUP_ABOVE, GROUPINGS, groupGraph, type Grouping, type GroupWords } from './group.js';

export type DiagramFormat = 'svg' | 'dot' | 'mermaid' | 'html';
export const DIAGRAM_FORMATS: readonly DiagramFormat[] = ['svg', 'dot', 'mermaid', 'html'];

export interface DiagramOptions extends GraphOptions {
  /** html: check's page (checkPage) with this picture in it. @default 'svg' */
  readonly format?: DiagramFormat;
  /** The words of the title and the legend. @default 'en' */
  readonly lang?: Lang;
  /**
   * Draw VPCs of the same shape once: 'auto' does so above GROUP_ABOVE VPCs (large estates), 'always', 'never'.
   * @default 'auto'
   */
  readonly group?: Grouping;
  /** What the picture is of (the input's path), for the page's title. */
  readonly source?: string;
}

/** The picture of a model: its parts, and its paths along their hops (coloured by check's verdicts with `check`). */
export async function diagram(model: InfraModel, options: DiagramOptions = {}): Promise<string> {
  const format = options.format ?? 'svg';
  if (format === 'html') return checkPage(check(model), model, options);
  const graph = graphFor(model, check(model), options);
  const words = wordsOf(options.lang ?? 'en');
  if (format === 'mermaid') return toMermaid(graph);
  const dot = toDot(graph, words);
  return format === 'dot' ? dot : svgOf(dot);
}

/** The graph to draw: grouped when asked, or when 'auto' and the estate is large. */
function graphFor(model: InfraModel, report: CheckReport, options: DiagramOptions): Graph {
  const drawn = graphOf(model, report, options);
  const vpcs = drawn.boxes.filter((b) => b.kind === 'vpc').length;
  return grouped(options.group ?? 'auto', vpcs) ? groupGraph(drawn, wordsOf(options.lang ?? 'en')) : drawn;
}

/**
 * check's answer as one self-contained page: the summary, the diagram coloured by `report`, every path as a row that
 * opens to its hops (filterable by client, resource and verdict), the findings and their fixes.
 */
export async function checkPage(
  report: CheckReport,
  model: InfraModel,
  options: Omit<DiagramOptions, 'format' | 'check'> = {},
): Promise<string> {
  const lang = options.lang ?? 'en';
  const svg = await svgOf(toDot(graphFor(model, report, { ...options, check: true }), wordsOf(lang)));
  return checkPageOf(report, svg, { lang, source: options.source });
}
