// Configurations of accounts doctor did not read: a consumer sees what was shared with it (the configuration, its
// ports and children), not the owner's share, gateway or target. Those are marked as the owner's side, as a consumer's
// template marks a partner's configuration, so check stops at the share hop with what to ask the owner.
import type { InfraModel, OutsideSide } from '../types.js';
import type { LiveTarget } from './calls.js';
import type { AccountFacts } from './index.js';
import type { Gathered } from './networks.js';
import type { Mutable } from './reading.js';

export function markOutside(
  model: Mutable<InfraModel>,
  targets: readonly LiveTarget[],
  gathered: Gathered,
  options: { readonly accounts?: Readonly<Record<string, AccountFacts>> },
): void {
  const read = new Set(targets.map((t) => t.account));
  const byId = new Map(model.configurations.map((c) => [c.id, c]));
  model.configurations = model.configurations.map((c) => {
    if (read.has(c.account) || c.outside) return c;
    const parent = (c.groupId ? byId.get(c.groupId) : undefined) ?? c;
    const shareArn = gathered.received.find((x) => x.arn === parent.arn || x.arn === c.arn)?.shareArn;
    const outside: OutsideSide = {
      party: options.accounts?.[c.account]?.party ?? `account ${c.account}`,
      account: c.account,
      resource: parent.name,
      ...(shareArn ? { shareArn } : {}),
    };
    return { ...c, outside };
  });
}
