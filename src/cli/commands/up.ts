// The `up` command: its usage, options and what it runs.
import { Interrupted, note, say, UsageError, withInterrupts } from '../output.js';
import { cliHost } from '../host.js';
import { unmodelledLine } from '../../model/index.js';
import { LatticeShareError } from '../../shared/errors.js';
import {
  IDLE_TIMEOUT_OPT,
  INPUT_USAGE,
  JSON_OPT,
  MAX_IDLE_S,
  NAME_OPT,
  OUT_OPT,
  PARAMETERS_OPT,
  FACTS_OPT,
  modelOf,
  secondsOpt,
  twin,
  twinName,
  type Command,
} from './common.js';

export const upCommand: Command = {
  usage: `lattice-share up ${INPUT_USAGE} [--name N] [--idle-timeout S] [--out DIR] [--json]`,
  summary: 'run the system on this machine: a namespace per ENI, security groups in nftables (needs root)',
  options: {
    name: NAME_OPT,
    parameters: PARAMETERS_OPT,
    facts: FACTS_OPT,
    out: OUT_OPT,
    'idle-timeout': IDLE_TIMEOUT_OPT,
    json: JSON_OPT,
  },
  async run(args, opts) {
    if (!args.length) throw new UsageError(`expected what to bring up: ${INPUT_USAGE}`);
    const name = await twinName(opts);
    const idle = secondsOpt(
      opts,
      'idle-timeout',
      (given) => Number.isInteger(given) && given >= 1 && given <= MAX_IDLE_S,
      `--idle-timeout takes a whole number of seconds from 1 to ${MAX_IDLE_S}, not "${String(opts['idle-timeout'])}"`,
    );
    const { summary, seconds } = await withInterrupts(async (signal) => {
      // Other companies' sides of what our stacks reach by ARN only are stood in for (and said to be).
      const { model, label } = await modelOf(args, opts, signal, true);
      try {
        const skipped = unmodelledLine(model.unmodelled);
        if (skipped) note(`lattice-share: ${skipped}`);
        for (const stack of model.stacks.filter((x) => x.standInFor))
          note(
            `lattice-share: ${stack.name} is a stand-in for ${stack.standInFor}'s side, made for the twin with the names and ARNs the config gives: their real side is not in these templates`,
          );
        const t0 = Date.now();
        const up = await (
          await twin()
        ).up(model, {
          name,
          assembly: label,
          io: cliHost,
          idleTimeoutMs: idle && idle * 1000,
          signal,
        });
        return { summary: up, seconds: (Date.now() - t0) / 1000 };
      } catch (e) {
        if (LatticeShareError.isLatticeShareError(e) && e.code === 'LS_INTERRUPTED')
          throw new Interrupted(`interrupted; twin "${name}" was taken down (nothing is left)`);
        throw e;
      }
    }, `run lattice-share down --name ${name} to remove what is left`);
    if (opts.json) {
      say(JSON.stringify(summary, null, 2));
      return 0;
    }
    say(`twin "${summary.name}" is up in ${seconds.toFixed(1)} s`);
    for (const w of summary.workloads)
      say(`  workload ${w.name.padEnd(12)} ${w.ip}   lattice-share exec --name ${summary.name} ${w.name} -- <command>`);
    for (const e of summary.endpoints) say(`  endpoint ${e.name} ${e.ips.join(' ')}\n    ${e.dnsNames.join('\n    ')}`);
    for (const d of summary.databases.filter((x) => x.passwordFile)) {
      say(`  database ${d.writer}:${d.port} user ${d.user} database ${d.database}; password in ${d.passwordFile}`);
      const engine = `${d.engine === 'mysql' ? "MariaDB (Aurora MySQL's stand-in)" : 'PostgreSQL'}${d.standIn ? ', standing in for an imported cluster' : ''}`;
      const readers = d.ips.length - 1;
      say(`    ${engine}${readers ? `, ${readers} reader${readers === 1 ? '' : 's'} replicating at ${d.reader}` : ''}`);
    }
    for (const c of summary.callers)
      say(
        `  ${c.kind === 'api-destination' ? 'API destination' : 'HTTP task'} ${c.name}: ${c.method} ${c.url}   lattice-share invoke --name ${summary.name} ${c.name}`,
      );
    for (const s of summary.skipped) note(`lattice-share: warning: not in the twin: ${s}`);
    for (const w of summary.warnings) note(`lattice-share: warning: ${w}`);
    return 0;
  },
};
