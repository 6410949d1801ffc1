// The `check` command: its usage, options and what it runs.
import { EXIT, report, say } from '../output.js';
import { check, renderReport } from '../../check/index.js';
import { UsageError } from '../output.js';
import {
  INPUT_USAGE,
  JSON_OPT,
  OUT_OPT,
  PARAMETERS_OPT,
  FACTS_OPT,
  modelOf,
  twin,
  type Command,
  type Opts,
} from './common.js';
import type { InfraModel } from '../../model/index.js';

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
    `lattice-share check ${INPUT_USAGE} [--expect "A -> B"]… [--strict] [--hops] [--out DIR] [--json]\n` +
    '       lattice-share check --twin NAME [--expect "A -> B"]… [--strict] [--hops] [--json]',
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
    parameters: PARAMETERS_OPT,
    facts: FACTS_OPT,
    out: OUT_OPT,
    json: JSON_OPT,
  },
  async run(args, opts) {
    let model: InfraModel;
    try {
      model = await inputModel(args, opts);
    } catch (e) {
      // Unreadable input is a usage problem (2), apart from "checked and found broken" (1).
      report(e, !!opts.json);
      return EXIT.usage;
    }
    const result = check(model, { expect: (opts.expect as string[] | undefined) ?? [], strict: !!opts.strict });
    if (opts.json) say(JSON.stringify(result, null, 2));
    else say(renderReport(result, { hops: !!opts.hops }));
    return result.ok ? EXIT.ok : EXIT.failed;
  },
};
