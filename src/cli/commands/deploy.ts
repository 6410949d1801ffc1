// The `deploy` command: its usage, options and what it runs.
import { say } from '../output.js';
import { cliHost } from '../host.js';
import { DEPLOY_OUT_OPT, JSON_OPT, deploy, oneArg, prepare, type Command } from './common.js';

export const deployCommand: Command = {
  usage: 'lattice-share deploy <config | assembly dir> [--out DIR] [--json]',
  summary: "deploy the owner stacks, then the consumer stacks with the owners' outputs (uses your AWS credentials)",
  options: { out: DEPLOY_OUT_OPT, json: JSON_OPT },
  async run(args, opts) {
    const { plan, deployer } = await prepare(oneArg(args, 'config file or assembly directory'), opts);
    const { deployAll } = await deploy();
    const outputs = await deployAll(plan, deployer, cliHost);
    if (opts.json) say(JSON.stringify({ ok: true, outputs: Object.fromEntries(outputs) }, null, 2));
    else
      for (const [stack, out] of outputs) {
        say(stack);
        for (const [k, v] of Object.entries(out)) say(`  ${k} = ${v}`);
      }
    return 0;
  },
};
