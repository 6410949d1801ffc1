// The `exec` command: its usage, options and what it runs.
import { UsageError } from '../output.js';
import { NAME_OPT, twin, twinName, type Command } from './common.js';

export const execCommand: Command = {
  usage: 'lattice-share exec [--name N] <workload> -- <command…>',
  summary: "run a command inside a workload's namespace, with its VPC's resolver; exits with its exit code",
  options: { name: NAME_OPT },
  async run(args, opts) {
    const [workload, ...argv] = args;
    if (!workload || !argv.length)
      throw new UsageError('name a workload, then -- and a command, e.g. lattice-share exec app -- psql …');
    return (await twin()).exec(await twinName(opts), workload, argv);
  },
};
