// The `deploy` command: its usage, options and what it runs.
import { join } from 'node:path';
import { writeOwnFile } from '../../shared/files.js';
import { note, say } from '../output.js';
import { cliHost } from '../host.js';
import { DEPLOY_OUT_OPT, JSON_OPT, config, deploy, givenAssembly, oneArg, prepare, type Command } from './common.js';

export const deployCommand: Command = {
  usage: 'lattice-share deploy <config | assembly dir> [--out DIR] [--json]',
  summary:
    "deploy the owner stacks, then the consumer stacks with the owners' outputs (uses your AWS credentials); write kits for accounts other parties run",
  options: { out: DEPLOY_OUT_OPT, json: JSON_OPT },
  async run(args, opts) {
    const input = oneArg(args, 'config file or assembly directory');
    const fromConfig = !givenAssembly(input);
    const { plan, deployer, dir } = await prepare(input, opts);
    const { deployAll } = await deploy();
    const startedAt = new Date();
    const outputs = Object.fromEntries(await deployAll(plan, deployer, cliHost));
    // Outputs are names and ARNs, no secrets; 0600 all the same, as everything the deployer writes for one user.
    const unwritten = writeOwnFile(join(dir, 'outputs.json'), `${JSON.stringify(outputs, null, 2)}\n`, 0o600);
    if (unwritten) note(`lattice-share: warning: deployed, but the outputs were not saved (${unwritten})`);
    if (!fromConfig && plan.some((stack) => stack.operatedBy))
      note('lattice-share: no kits written for accounts other parties run: give deploy the config to write them');
    const kits = fromConfig
      ? (await import('../../handoff/index.js')).afterDeploy((await config()).loadConfig(input), outputs, {
          startedAt,
          kitsDir: join(dir, 'handoff'),
          host: cliHost,
        })
      : [];
    if (opts.json) say(JSON.stringify({ ok: true, outputs, kits }, null, 2));
    else
      for (const [stack, out] of Object.entries(outputs)) {
        say(stack);
        for (const [k, v] of Object.entries(out)) say(`  ${k} = ${v}`);
      }
    return 0;
  },
};
