// The `status` command: its usage, options and what it runs.
import { EXIT, note, say } from '../output.js';
import { twin, twinCommand, type Command } from './common.js';

/** status with no twin named: the twins that are up, or an error when there is none. */
function listUp(names: string[], json: boolean): number {
  if (json) say(JSON.stringify({ ok: names.length > 0, twins: names }, null, 2));
  else if (!names.length) note('lattice-share: no twin is up; start one with lattice-share up <config>');
  else {
    say(`no twin named "default"; twins up: ${names.join(', ')}`);
    for (const n of names) say(`  lattice-share status --name ${n}`);
  }
  return names.length ? EXIT.ok : EXIT.failed;
}

export const statusCommand: Command = twinCommand('status', {
  usage: 'lattice-share status [--name N] [--json]',
  summary: 'what a twin runs: workloads, endpoints and their names, gateways, databases',
  async run(name, opts) {
    const { listTwins, readState, status } = await twin();
    if (opts.name === undefined && !readState(name)) return listUp(listTwins(), !!opts.json);
    const s = status(name);
    if (opts.json) {
      say(JSON.stringify(s, null, 2));
      return 0;
    }
    say(`twin "${s.name}": ${s.phase}`);
    for (const w of s.workloads) say(`  workload ${w.name} ${w.ip} (${w.vpc})`);
    for (const e of s.endpoints) say(`  endpoint ${e.name} → ${e.resource}: ${e.ips.join(' ')}`);
    for (const g of s.gateways) say(`  gateway ${g.name}: ${g.ips.join(' ')}`);
    for (const d of s.databases) say(`  database ${d.name}: ${d.writer}:${d.port} ${d.ips.join(' ')}`);
    for (const c of s.callers ?? [])
      say(
        `  ${c.kind === 'api-destination' ? 'API destination' : 'HTTP task'} ${c.name}: ${c.method} ${c.url} (connection ${c.connection})`,
      );
    return 0;
  },
});
