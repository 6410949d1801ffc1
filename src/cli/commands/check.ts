// The `check` command: its usage, options and what it runs.
import { EXIT, report, say } from '../output.js';
import { check, renderReport } from '../../check/index.js';
import { INPUT_USAGE, JSON_OPT, OUT_OPT, PARAMETERS_OPT, FACTS_OPT, modelOf, type Command } from './common.js';
import type { InfraModel } from '../../model/index.js';

export const checkCommand: Command = {
  usage: `lattice-share check ${INPUT_USAGE} [--expect "A -> B"]… [--strict] [--hops] [--out DIR] [--json]`,
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
    parameters: PARAMETERS_OPT,
    facts: FACTS_OPT,
    out: OUT_OPT,
    json: JSON_OPT,
  },
  async run(args, opts) {
    let model: InfraModel;
    try {
      ({ model } = await modelOf(args, opts));
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
