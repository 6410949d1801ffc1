// Faults the agreement test generates: a kind and an index, resolved against the model of the running twin (its
// zones, its shares' account principals, its accepted invitations, its clusters) when the fault is applied.
import fc from 'fast-check';
import type { InfraModel } from '../../src/model/index.js';
import type { FaultAction } from '../../src/twin/index.js';

export interface FaultChoice {
  readonly kind: 'zone-down' | 'revoke' | 'expire' | 'failover';
  readonly index: number;
}

/** One or two faults, applied in turn. */
export const faultsArb: fc.Arbitrary<FaultChoice[]> = fc.array(
  fc.record({ kind: fc.constantFrom('zone-down', 'revoke', 'expire', 'failover'), index: fc.nat(20) }),
  { minLength: 1, maxLength: 2 },
);

const pick = <T>(items: readonly T[], index: number): T | undefined => items[index % Math.max(items.length, 1)];

/** The fault a choice means in `model`, or undefined when the model has nothing of that kind (no share, no cluster). */
export function faultOf(model: InfraModel, choice: FaultChoice): FaultAction | undefined {
  switch (choice.kind) {
    case 'zone-down': {
      const zones = [...new Set(model.enis.map((e) => e.azId ?? e.az).filter((z): z is string => !!z))].sort();
      const zone = pick(zones, choice.index);
      return zone === undefined ? undefined : { kind: 'zone-down', zone };
    }
    case 'revoke': {
      const principals = model.shares.flatMap((s) =>
        s.principals.filter((p) => p.kind === 'account').map((p) => ({ share: s.arn, account: p.id })),
      );
      const chosen = pick(principals, choice.index);
      return chosen && { kind: 'revoke', ...chosen, existing: choice.index % 2 ? 'reset' : 'keep' };
    }
    case 'expire': {
      const chosen = pick(model.acceptances, choice.index);
      return chosen && { kind: 'expire', share: chosen.shareArn, account: chosen.account };
    }
    case 'failover': {
      const chosen = pick(
        model.databases.filter((d) => d.eniIds.length),
        choice.index,
      );
      return chosen && { kind: 'failover', cluster: chosen.id };
    }
  }
}
