// Entry point of the diagram box: the model (and check's report) as a picture, in DOT, Mermaid or SVG. Reads the
// model and the report only; the library never prints.
import { check } from '../check/index.js';
import type { InfraModel } from '../model/index.js';
import { toDot } from './dot.js';
import { graphOf, type GraphOptions } from './graph.js';
import { toMermaid } from './mermaid.js';
import { svgOf } from './svg.js';
import { wordsOf, type Lang } from './words.js';

export { graphOf, type Graph, type GraphOptions, type Edge, type Part, type Box, type Verdict } from './graph.js';
export type { Lang } from './words.js';

export type DiagramFormat = 'svg' | 'dot' | 'mermaid';
export const DIAGRAM_FORMATS: readonly DiagramFormat[] = ['svg', 'dot', 'mermaid'];

export interface DiagramOptions extends GraphOptions {
  /** @default 'svg' */
  readonly format?: DiagramFormat;
  /** The words of the title and the legend. @default 'en' */
  readonly lang?: Lang;
}

/** The picture of a model: its parts, and its paths along their hops (coloured by check's verdicts with `check`). */
export async function diagram(model: InfraModel, options: DiagramOptions = {}): Promise<string> {
  const graph = graphOf(model, check(model), options);
  const words = wordsOf(options.lang ?? 'en');
  switch (options.format ?? 'svg') {
    case 'mermaid':
      return toMermaid(graph);
    case 'dot':
      return toDot(graph, words);
    case 'svg':
      return svgOf(toDot(graph, words));
  }
}
