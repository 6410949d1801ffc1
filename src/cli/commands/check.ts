// The `check` command: its usage, options and what it runs.
import { EXIT, note, report, sayJson, sayLines, UsageError } from '../output.js';
import { check, reportLines } from '../../check/index.js';
import {
  INPUT_USAGE,
  JSON_OPT,
  LANGS,
  OUT_OPT,
  PARAMETERS_OPT,
  FACTS_OPT,
  modelOf,
  inputFiles,
  oneOf,
  outputTarget,
  twin,
  writeOutputFile,
  type Command,
  type Opts,
} from './common.js';
import type { InfraModel } from '../../model/index.js';

interface PageRequest {
  readonly file: string;
  readonly lang: (typeof LANGS)[number];
  /** The command's input files, which the page may not overwrite. */
  readonly inputs: string[];
}

/** The page --html asks for, its file checked first; --lang alone is a usage error. */
function pageRequest(args: string[], opts: Opts): PageRequest | undefined {
  if (opts.html === undefined) {
    if (opts.lang !== undefined)
      throw new UsageError('--lang is the language of the --html page: give --html FILE too');
    return undefined;
  }
  const file = String(opts.html);
  const inputs = inputFiles(args, opts);
  outputTarget(file, '--html', inputs);
  return { file, lang: oneOf('lang', opts.lang, LANGS, 'en'), inputs };
}

/** The model to check: a running twin's as its faults left it (--twin), or one read from the input. */
async function inputModel(args: string[], opts: Opts): Promise<InfraModel> {
  if (opts.twin === undefined) return (await modelOf(args, opts)).model;
  const extra = args.length ? args : ['parameters', 'facts', 'out'].filter((k) => opts[k] !== undefined);
  if (extra.length)
    throw new UsageError(
      `check --twin reads the running twin's own model: leave out ${extra.join(', ')} (or check the input without --twin)`,
    );
  // twinModel checks the name before it reads anything.
  return (await twin()).twinModel(opts.twin as string);
}

export const checkCommand: Command = {
  usage:
    `lattice-share check ${INPUT_USAGE} [--expect "A -> B"]… [--strict] [--hops] [--out DIR] [--json] ` +
    '[--html FILE [--lang en|ja]]\n' +
    '       lattice-share check --twin NAME [--expect "A -> B"]… [--strict] [--hops] [--json] ' +
    '[--html FILE [--lang en|ja]]',
  summary: 'explain, hop by hop, which clients reach which shared resources and why not; lint what AWS would reject',
  options: {
    expect: {
      type: 'string',
      multiple: true,
      help: '"CLIENT -> TARGET[:PORT]" must reach, "CLIENT !-> TARGET[:PORT]" must not (repeatable)',
    },
    hops: { type: 'boolean', help: 'print every hop of every path, not only the one that decides' },
    strict: {
      type: 'boolean',
      help: 'fail also when an expectation rests on paths the templates cannot settle (UNKNOWN)',
    },
    twin: {
      type: 'string',
      help: 'check the running twin NAME as its faults left it (zones down, failovers, revoked shares), not an input',
    },
    html: {
      type: 'string',
      help: 'also write the answer as one self-contained page: summary, diagram, paths that open to their hops',
    },
    lang: { type: 'string', help: 'the language of the --html page: en (default) or ja' },
    parameters: PARAMETERS_OPT,
    facts: FACTS_OPT,
    out: OUT_OPT,
    json: JSON_OPT,
  },
  async run(args, opts) {
    let model: InfraModel;
    let page: PageRequest | undefined;
    try {
      page = pageRequest(args, opts); // a page that cannot be written is refused before anything is checked
      model = await inputModel(args, opts);
    } catch (e) {
      // Unreadable input is a usage problem (2), apart from "checked and found broken" (1).
      report(e, !!opts.json);
      return EXIT.usage;
    }
    const result = check(model, { expect: (opts.expect as string[] | undefined) ?? [], strict: !!opts.strict });
    // The page is written before the answer is printed: a page that fails leaves stdout with no answer, not two.
    if (page) {
      const { checkPage } = await import('../../diagram/index.js');
      const source = opts.twin === undefined ? args[0] : `twin ${String(opts.twin)}`;
      const html = await checkPage(result, model, { lang: page.lang, source });
      try {
        note(`wrote ${writeOutputFile(page.file, html, '--html', page.inputs)} (${Buffer.byteLength(html)} bytes)`);
      } catch (e) {
        report(e, !!opts.json);
        return EXIT.usage;
      }
    }
    if (opts.json) await sayJson(result);
    else await sayLines(reportLines(result, { hops: !!opts.hops }));
    return result.ok ? EXIT.ok : EXIT.failed;
  },
};
