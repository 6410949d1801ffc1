// The `synth` command: its usage, options and what it runs.
import { say } from '../output.js';
import type { Topology } from '../../config/index.js';
import { JSON_OPT, app, config, deploy, oneArg, replaceDir, type Command } from './common.js';

/** Synthesizes into a fresh directory beside `out`, then swaps it in: a failed synth leaves `out` as it was. */
async function synthesize(t: Topology, out: string, nag: boolean): Promise<string> {
  const { buildApp } = await app();
  return replaceDir(out, async (tmp) => {
    buildApp(t, { outdir: tmp, nag }).app.synth();
  });
}

export const synthCommand: Command = {
  usage: 'lattice-share synth <config> [--out DIR] [--skip-nag] [--json]',
  summary:
    'write a CDK cloud assembly: owner stacks for accounts that share, consumer stacks for accounts that consume',
  options: {
    out: { type: 'string', help: 'where to write the cloud assembly (default: cdk.out)' },
    'skip-nag': { type: 'boolean', help: 'do not run the cdk-nag AwsSolutions checks' },
    json: JSON_OPT,
  },
  async run(args, opts) {
    const t = (await config()).loadConfig(oneArg(args, 'config file'));
    const dir = await synthesize(t, (opts.out as string | undefined) ?? 'cdk.out', !opts['skip-nag']);
    const { planFromAssembly } = await deploy();
    const plan = planFromAssembly(dir);
    if (opts.json) say(JSON.stringify({ ok: true, assembly: dir, stacks: plan }, null, 2));
    else {
      say(`wrote ${dir}`);
      for (const [i, s] of plan.entries())
        say(
          `  ${i + 1}. ${s.name}  account ${s.account}  ${s.region}${s.dependsOn.length ? `  after ${s.dependsOn.join(', ')}` : ''}`,
        );
    }
    return 0;
  },
};
