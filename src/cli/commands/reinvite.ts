// The `reinvite` command: a new RAM invitation for an account outside the organization (its last one expired).
import type { RamCommands as RamCommandsOf } from '../../handoff/index.js';
import { cliHost } from '../host.js';
import { say, UsageError } from '../output.js';
import { JSON_OPT, OUTPUTS_OPT, config, oneArg, type Command } from './common.js';

export const reinviteCommand: Command = {
  usage: 'lattice-share reinvite <config> --account NAME [--outputs FILE] [--apply] [--json]',
  summary: "print (or with --apply, run with the owner's credentials) the RAM calls that invite an account again",
  options: {
    account: { type: 'string', help: 'the account (by its name in the config) whose invitation expired' },
    outputs: OUTPUTS_OPT,
    apply: { type: 'boolean', help: "make the calls (AWS credentials of the owner account, the config's Region)" },
    json: JSON_OPT,
  },
  async run(args, opts) {
    const file = oneArg(args, 'config file');
    if (typeof opts.account !== 'string') throw new UsageError('reinvite needs --account NAME');
    const handoff = await import('../../handoff/index.js');
    const outputs = typeof opts.outputs === 'string' ? handoff.readOutputsFile(opts.outputs) : undefined;
    const topology = (await config()).loadConfig(file);
    const steps = handoff.reinviteSteps(topology, opts.account, outputs);
    if (!opts.apply) {
      if (opts.json) say(JSON.stringify({ ok: true, applied: false, steps }, null, 2));
      else for (const step of steps) for (const line of step.commands) say(line);
      return 0;
    }
    const sdk = await import('@aws-sdk/client-ram');
    const client = new sdk.RAMClient({ region: topology.region });
    const done = await handoff.applyReinvite(
      steps,
      { client: client as never, commands: sdk as unknown as RamCommandsOf },
      { host: cliHost },
    );
    if (opts.json) say(JSON.stringify({ ok: true, applied: true, shares: done }, null, 2));
    else
      for (const d of done) say(`${d.share}: invited again (${d.shareArn}); the kit works as it is, within 12 hours`);
    return 0;
  },
};
