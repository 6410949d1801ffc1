// The `down` command: its usage, options and what it runs.
import { UsageError, say } from '../output.js';
import { JSON_OPT, NAME_OPT, twin, twinName, type Command } from './common.js';

export const downCommand: Command = {
  usage: 'lattice-share down [--name N] [--json]',
  summary: 'remove every namespace, process and file of a twin, also after a crash; safe to repeat',
  options: { name: NAME_OPT, json: JSON_OPT },
  async run(args, opts) {
    if (args.length) throw new UsageError(`down takes no arguments, got ${args.join(' ')}`);
    const name = await twinName(opts);
    const r = (await twin()).down(name);
    if (opts.json) say(JSON.stringify({ ok: true, ...r }, null, 2));
    else say(`twin "${name}" is down (${r.namespaces} namespaces, ${r.processes} processes removed)`);
    return 0;
  },
};
