// The `fault` command: its usage, options and what it runs.
import { say, UsageError } from '../output.js';
import { JSON_OPT, NAME_OPT, oneOf, twin, twinName, type Command } from './common.js';
import type { Fault, FaultAction } from '../../twin/index.js';

const ACTIONS =
  'zone-down ZONE | zone-up ZONE | failover CLUSTER | revoke SHARE ACCOUNT [--existing keep|reset] | expire SHARE ACCOUNT | restore';

/** The action the arguments name, or a usage error saying what was expected. */
function actionOf(args: string[], existing: unknown): FaultAction {
  const [kind, ...rest] = args;
  const expect = (count: number) => {
    if (rest.length !== count)
      throw new UsageError(`fault ${kind} takes ${count} argument${count === 1 ? '' : 's'}: ${ACTIONS}`);
  };
  if (existing !== undefined && kind !== 'revoke') throw new UsageError('--existing goes with revoke only');
  switch (kind) {
    case 'zone-down':
    case 'zone-up':
      expect(1);
      return { kind, zone: rest[0] ?? '' };
    case 'revoke':
      expect(2);
      return revokeOf(rest, existing);
    case 'expire':
      expect(2);
      if (!/^\d{12}$/.test(rest[1] ?? '')) throw new UsageError(`expire takes a 12-digit account ID, not "${rest[1]}"`);
      return { kind, share: rest[0] ?? '', account: rest[1] ?? '' };
    case 'failover':
      expect(1);
      return { kind, cluster: rest[0] ?? '' };
    case 'restore':
      expect(0);
      return { kind };
    default:
      throw new UsageError(`expected what to do: ${ACTIONS}`);
  }
}

/** revoke SHARE ACCOUNT, with what --existing says (keep by default). */
function revokeOf([share = '', account = '']: string[], existing: unknown): FaultAction {
  const onExisting = oneOf('existing', existing, ['keep', 'reset'] as const, 'keep');
  if (!/^\d{12}$/.test(account)) throw new UsageError(`revoke takes a 12-digit account ID, not "${account}"`);
  return { kind: 'revoke', share, account, existing: onExisting };
}

/** One fault as a line. */
function describe(f: Fault): string {
  if (f.kind === 'zone-down') return `zone ${f.zone} down`;
  if (f.kind === 'failover')
    return `cluster ${f.cluster} failed over (${f.stopped ? `writer ${f.writer}, ${f.stopped} stopped` : 'writer restarted'})`;
  if (f.kind === 'expire') return `the invitation of ${f.account} to share ${f.share} expired`;
  return `share ${f.share} revoked from ${f.account} (${f.existing})`;
}

export const faultCommand: Command = {
  usage: `lattice-share fault [--name N] <${ACTIONS}> [--json]`,
  summary: 'put a running twin through a fault (a zone down, a share revoked) or take it back, without restarting it',
  options: {
    name: NAME_OPT,
    existing: {
      type: 'string',
      help: 'with revoke: what happens to connections already open: keep (the default; AWS documents nothing) or reset',
    },
    json: JSON_OPT,
  },
  async run(args, opts) {
    const action = actionOf(args, opts.existing);
    const name = await twinName(opts);
    const r = await (await twin()).fault(name, action);
    if (opts.json) {
      say(JSON.stringify({ ok: true, ...r }, null, 2));
      return 0;
    }
    const faults = r.faults.map(describe);
    say(`twin "${name}": ${faults.length ? faults.join('; ') : 'no faults'}`);
    if (r.down.length) say(`  off: ${r.down.join(', ')}`);
    if (r.downtimeMs !== undefined)
      say(`  the writer was away ${r.downtimeMs} ms (new connections by its name reach the new one)`);
    for (const x of r.refused) say(`  ${x.endpoint} ${x.listen}: not carried: ${x.why}`);
    return 0;
  },
};
