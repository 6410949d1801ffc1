// The `diagram` command: the model as a picture (SVG, DOT or Mermaid), its paths coloured by check with --check.
import { EXIT, note, report, say, UsageError } from '../output.js';
import { INPUT_USAGE, PARAMETERS_OPT, FACTS_OPT, modelOf, writeOutputFile, type Command } from './common.js';

const FORMATS = ['svg', 'dot', 'mermaid'] as const;
const LANGS = ['en', 'ja'] as const;

/** A choice among `allowed`, or a usage error naming them. */
function oneOf<T extends string>(option: string, given: unknown, allowed: readonly T[], fallback: T): T {
  if (given === undefined) return fallback;
  if (allowed.includes(given as T)) return given as T;
  throw new UsageError(`--${option} takes ${allowed.join(', ')}, not "${String(given)}"`);
}

export const diagramCommand: Command = {
  usage:
    `lattice-share diagram ${INPUT_USAGE} [--format svg|dot|mermaid] [--out FILE] [--check] [--lang en|ja] ` +
    '[--client TEXT] [--resource TEXT]',
  summary:
    'draw what the templates create (accounts, VPCs, endpoints, gateways, targets) and the paths along their hops',
  options: {
    format: { type: 'string', help: 'svg (Graphviz, offline; the default), dot, or mermaid (for READMEs and PRs)' },
    out: { type: 'string', help: 'the file to write (default: standard output)' },
    check: {
      type: 'boolean',
      help: "colour every path by check's verdict, the blocking hop's rule and fix as tooltip",
    },
    lang: { type: 'string', help: 'the words of the title and legend: en (default) or ja' },
    client: { type: 'string', help: 'only the paths of clients whose name contains TEXT' },
    resource: { type: 'string', help: 'only the paths to names or configurations that contain TEXT' },
    parameters: PARAMETERS_OPT,
    facts: FACTS_OPT,
  },
  async run(args, opts) {
    const format = oneOf('format', opts.format, FORMATS, 'svg');
    const lang = oneOf('lang', opts.lang, LANGS, 'en');
    let model;
    try {
      // --out is the picture here, not where to keep an assembly.
      ({ model } = await modelOf(args, { ...opts, out: undefined }));
    } catch (e) {
      report(e, false);
      return EXIT.usage;
    }
    const { diagram } = await import('../../diagram/index.js');
    const picture = await diagram(model, {
      format,
      lang,
      check: !!opts.check,
      client: opts.client as string | undefined,
      resource: opts.resource as string | undefined,
    });
    if (typeof opts.out === 'string') {
      note(`wrote ${writeOutputFile(opts.out, picture)} (${format}, ${picture.length} bytes)`);
    } else say(picture.trimEnd());
    return EXIT.ok;
  },
};
