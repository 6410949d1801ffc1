// The `down` command: its usage, options and what it runs.
import { say } from '../output.js';
import { twin, twinCommand, type Command } from './common.js';

export const downCommand: Command = twinCommand('down', {
  usage: 'lattice-share down [--name N] [--json]',
  summary: 'remove every namespace, process and file of a twin, also after a crash; safe to repeat',
  async run(name, opts) {
    const r = (await twin()).down(name);
    if (opts.json) say(JSON.stringify({ ok: true, ...r }, null, 2));
    else say(`twin "${name}" is down (${r.namespaces} namespaces, ${r.processes} processes removed)`);
    return 0;
  },
});
