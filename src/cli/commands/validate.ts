// The `validate` command: its usage, options and what it runs.
import { say } from '../output.js';
import { JSON_OPT, config, oneArg, summary, type Command } from './common.js';

export const validateCommand: Command = {
  usage: 'lattice-share validate <config> [--json]',
  summary: 'check a lattice-share.yaml and report every problem with file:line:column',
  options: { json: JSON_OPT },
  async run(args, opts) {
    const file = oneArg(args, 'config file');
    const t = (await config()).loadConfig(file);
    if (opts.json)
      say(
        JSON.stringify(
          {
            ok: true,
            file,
            accounts: t.accounts.length,
            networks: t.networks.length,
            resources: t.resources.length,
            shares: t.shares.length,
            consumers: t.consumers.length,
            workloads: t.workloads.length,
          },
          null,
          2,
        ),
      );
    else say(`${file}: valid (${summary(t)})`);
    return 0;
  },
};
