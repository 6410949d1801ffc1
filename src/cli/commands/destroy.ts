// The `destroy` command: its usage, options and what it runs.
import { UsageError, say } from '../output.js';
import { cliHost } from '../host.js';
import { DEPLOY_OUT_OPT, JSON_OPT, deploy, oneArg, prepare, type Command } from './common.js';

export const destroyCommand: Command = {
  usage: 'lattice-share destroy <config | assembly dir> --yes [--out DIR] [--json]',
  summary: 'remove every stack, consumers first (uses your AWS credentials)',
  options: {
    yes: { type: 'boolean', help: 'confirm: destroy removes the stacks and what they created' },
    out: DEPLOY_OUT_OPT,
    json: JSON_OPT,
  },
  async run(args, opts) {
    const input = oneArg(args, 'config file or assembly directory');
    if (!opts.yes) throw new UsageError('destroy removes every stack of the config; add --yes to confirm');
    const { plan, deployer } = await prepare(input, opts);
    const { destroyAll } = await deploy();
    await destroyAll(plan, deployer, cliHost);
    if (opts.json) say(JSON.stringify({ ok: true, destroyed: [...plan].reverse().map((s) => s.name) }, null, 2));
    else say(`destroyed ${plan.length} stacks`);
    return 0;
  },
};
