// The `diagram` command: the model as a picture (SVG, DOT or Mermaid), its paths coloured by check with --check.
import { EXIT, note, report, say, UsageError } from '../output.js';
import { DIAGRAM_FORMATS, GROUP_ABOVE, GROUPINGS } from '../../diagram/index.js';
import {
  INPUT_USAGE,
  LANGS,
  PARAMETERS_OPT,
  FACTS_OPT,
  modelOf,
  inputFiles,
  oneOf,
  outputTarget,
  writeOutputFile,
  type Command,
} from './common.js';

export const diagramCommand: Command = {
  usage:
    `lattice-share diagram ${INPUT_USAGE} [--format svg|dot|mermaid|html] [--out FILE] [--check] ` +
    '[--lang en|ja] [--client TEXT] [--resource TEXT] [--group auto|always|never]',
  summary:
    'draw what the templates create (accounts, VPCs, endpoints, gateways, targets) and the paths along their hops',
  options: {
    format: {
      type: 'string',
      help: "svg (Graphviz, offline; the default), dot, mermaid (for READMEs and PRs), or html (check's page)",
    },
    out: { type: 'string', help: 'the file to write (default: standard output)' },
    check: {
      type: 'boolean',
      help: "colour every path by check's verdict, the blocking hop's rule and fix as tooltip",
    },
    lang: { type: 'string', help: 'the words of the title and legend: en (default) or ja' },
    client: { type: 'string', help: 'only the paths of clients whose name contains TEXT' },
    resource: { type: 'string', help: 'only the paths to names or configurations that contain TEXT' },
    group: {
      type: 'string',
      help: `draw VPCs of the same shape once: auto (above ${GROUP_ABOVE} VPCs; the default), always, never`,
    },
    parameters: PARAMETERS_OPT,
    facts: FACTS_OPT,
  },
  async run(args, opts) {
    const format = oneOf('format', opts.format, DIAGRAM_FORMATS, 'svg');
    const lang = oneOf('lang', opts.lang, LANGS, 'en');
    const group = oneOf('group', opts.group, GROUPINGS, 'auto');
    if (format === 'html' && (opts.client !== undefined || opts.resource !== undefined))
      throw new UsageError("--client and --resource thin the picture; check's page (html) filters its rows itself");
    const inputs = inputFiles(args, opts);
    if (typeof opts.out === 'string') outputTarget(opts.out, '--out', inputs); // refused before anything is read
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
      group,
      source: args[0],
      check: !!opts.check,
      client: opts.client as string | undefined,
      resource: opts.resource as string | undefined,
    });
    if (typeof opts.out === 'string') {
      note(
        `wrote ${writeOutputFile(opts.out, picture, '--out', inputs)} (${format}, ${Buffer.byteLength(picture)} bytes)`,
      );
    } else say(picture.trimEnd());
    return EXIT.ok;
  },
};
