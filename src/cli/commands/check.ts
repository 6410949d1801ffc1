// The `check` command: its usage, options and what it runs.
import { EXIT, report, say } from '../output.js';
import { check, renderReport } from '../../check/index.js';
import { loadModel } from '../../model/index.js';
import { JSON_OPT, OUT_OPT, assemblyOf, oneArg, type Command } from './common.js';
import type { InfraModel } from '../../model/index.js';

export const checkCommand: Command = {
  usage: 'lattice-share check <config | assembly dir> [--expect "A -> B"]… [--strict] [--hops] [--out DIR] [--json]',
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
    out: OUT_OPT,
    json: JSON_OPT,
  },
  async run(args, opts) {
    let model: InfraModel;
    try {
      const assembly = await assemblyOf(oneArg(args, 'config file or assembly directory'), opts, false);
      try {
        model = loadModel(assembly.dir);
      } finally {
        assembly.cleanup();
      }
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
