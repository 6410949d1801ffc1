// The `handoff` command: the kit for an account another party runs (template, READMEs, kit.json).
import { ioOf } from '../../shared/io.js';
import { cliHost } from '../host.js';
import { say, UsageError } from '../output.js';
import { JSON_OPT, LANGS, OUTPUTS_OPT, config, oneArg, oneOf, type Command } from './common.js';

export const handoffCommand: Command = {
  usage: 'lattice-share handoff <config> --account NAME [--out DIR] [--lang en|ja] [--outputs FILE] [--json]',
  summary: 'write the kit a partner deploys in an account lattice-share does not touch',
  options: {
    account: { type: 'string', help: 'the account (by its name in the config) the kit is for' },
    out: {
      type: 'string',
      help: 'a new or empty folder for the kit, or an earlier kit (default: ./handoff-<account>)',
    },
    lang: { type: 'string', help: 'language of README.md: en or ja (the other is beside it; default: en)' },
    outputs: OUTPUTS_OPT,
    json: JSON_OPT,
  },
  async run(args, opts) {
    const file = oneArg(args, 'config file');
    const account = opts.account;
    if (typeof account !== 'string') throw new UsageError('handoff needs --account NAME: the account the kit is for');
    const lang = oneOf('lang', opts.lang, LANGS, 'en');
    const handoff = await import('../../handoff/index.js');
    const outputs = typeof opts.outputs === 'string' ? handoff.readOutputsFile(opts.outputs) : undefined;
    const topology = (await config()).loadConfig(file);
    const plan = handoff.planKit(topology, account, { outputs });
    const files = handoff.kitFiles(plan, lang);
    const dir = handoff.writeKit((opts.out as string | undefined) ?? `handoff-${account}`, files);
    const bytes = Buffer.byteLength(files['template.yaml']);
    if (plan.pending.length)
      ioOf(cliHost).notify(
        'warn',
        'LS_HANDOFF_W4001',
        `the kit lacks the owner's deployed values (${plan.pending.join(', ')}): deploy, then run handoff again with --outputs <assembly>/outputs.json`,
        { pending: plan.pending },
      );
    if (opts.json)
      say(
        JSON.stringify(
          { ok: true, dir, files: Object.keys(files), templateBytes: bytes, pending: plan.pending },
          null,
          2,
        ),
      );
    else say(`${dir}: kit for account ${account} (${Object.keys(files).join(', ')}; template ${bytes} bytes)`);
    return 0;
  },
};
