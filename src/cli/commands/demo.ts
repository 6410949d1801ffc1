// The `demo` command: its usage, options and what it runs.
import { Interrupted, UsageError, say, withInterrupts } from '../output.js';
import { cliHost } from '../host.js';
import { LatticeShareError } from '../../shared/errors.js';
import { fileURLToPath } from 'node:url';
import { JSON_OPT, NAME_OPT, twin, type Command } from './common.js';

export const demoCommand: Command = {
  usage: 'lattice-share demo [config] [--name N] [--json]',
  summary:
    "npm start: bring a config (the seed) up in the twin, try check's verdicts from its EC2 instances with real clients, take it down",
  options: { name: NAME_OPT, json: JSON_OPT },
  async run(args, opts) {
    if (args.length > 1) throw new UsageError(`demo takes at most one config, got ${args.join(' ')}`);
    const config = args[0] ?? fileURLToPath(new URL('../../../../examples/seed/lattice-share.yaml', import.meta.url));
    const name = (await twin()).checkTwinName((opts.name as string | undefined) ?? 'seed-demo');
    const { runDemo, table } = await import('../../demo/index.js');
    const checks = await withInterrupts(async (signal) => {
      try {
        return await runDemo({ config, name, io: cliHost, signal });
      } catch (e) {
        if (LatticeShareError.isLatticeShareError(e) && e.code === 'LS_INTERRUPTED')
          throw new Interrupted(`interrupted; the demo's twin "${name}" was taken down (nothing is left)`);
        throw e;
      }
    }, `run lattice-share down --name ${name} to remove what is left`);
    const passed = checks.filter((c) => c.passed).length;
    if (opts.json) say(JSON.stringify({ ok: passed === checks.length, checks }, null, 2));
    else say(`\n${table(checks)}\n\n${passed}/${checks.length} checks passed; the twin is down`);
    return passed === checks.length ? 0 : 1;
  },
};
