// Faults a running twin can be put through, as data, and what each changes in the model the twin runs. Pure: the
// runtime (runtime.ts) applies the result to the kernel and the agents.
//   zone-down Z   the ENIs of zone Z (a zone ID such as use1-az1, or a zone name, matched in every account) go off:
//                 gateway, endpoint, instance and DB instance ENIs; an endpoint's names stop answering with its
//                 addresses there, so new connections by name use the other zones. A client that still uses a dead
//                 address times out.
//   failover C    cluster C's writer stops and a reader is promoted: the writer name follows it, the others replicate
//                 from it; without a reader the writer restarts. Not taken back by restore (as on Aurora).
//   expire S A    account A's invitation to share S expired before it was accepted: it behaves as an unaccepted one
//                 (a share outside the organization carries nothing to A). RAM invitations to resource
//                 configurations expire after 12 hours.
//   revoke S A    share S (its name or ARN) no longer has account A as a principal: new connections through what
//                 the share gave A are refused. Existing ones go on (AWS documents nothing about them; `reset` ends
//                 them with a TCP reset instead).
import type { Database, InfraModel } from '../model/index.js';
import { TwinError } from './sys.js';

export type Fault =
  | { readonly kind: 'zone-down'; readonly zone: string }
  | { readonly kind: 'revoke'; readonly share: string; readonly account: string; readonly existing: 'keep' | 'reset' }
  /** The account's accepted invitation to the share is gone, as an expired one is (12 hours for configurations). */
  | { readonly kind: 'expire'; readonly share: string; readonly account: string }
  /** A cluster's writer stopped and a reader promoted (`writer`, an ENI ID), or, without a reader, restarted. */
  | { readonly kind: 'failover'; readonly cluster: string; readonly writer: string; readonly stopped?: string };

/** The ENIs in a zone: by zone ID where the model knows it, else by zone name. */
export function enisInZone(model: InfraModel, zone: string): string[] {
  return model.enis.filter((e) => e.azId === zone || (!e.azId && e.az === zone) || e.az === zone).map((e) => e.id);
}

/** The share a user names (name, ID or ARN), or undefined. */
const shareNamed = (model: InfraModel, name: string) =>
  model.shares.find((s) => s.name === name || s.arn === name || s.arn.endsWith(`/${name}`));

/** Checks a fault against the model: a zone with ENIs, a share that has the account as a principal. */
export function checkFault(
  model: InfraModel,
  fault: Extract<Fault, { kind: 'zone-down' | 'revoke' | 'expire' }>,
): Fault {
  if (fault.kind === 'zone-down') {
    if (!enisInZone(model, fault.zone).length) {
      const zones = [...new Set(model.enis.flatMap((e) => [e.azId, e.az]).filter(Boolean))].sort();
      throw new TwinError(`no ENI of the twin is in zone ${fault.zone}; zones: ${zones.join(', ')}`, 'LS_USAGE');
    }
    return fault;
  }
  const share = shareNamed(model, fault.share);
  if (!share)
    throw new TwinError(
      `no share named ${fault.share}; shares: ${model.shares.map((s) => s.name).join(', ') || 'none'}`,
      'LS_USAGE',
    );
  if (fault.kind === 'expire') {
    if (!model.acceptances.some((a) => a.account === fault.account && a.shareArn === share.arn))
      throw new TwinError(
        `account ${fault.account} accepts no invitation to share ${share.name} (within the organization there is none)`,
        'LS_USAGE',
      );
    return { ...fault, share: share.arn };
  }
  if (!share.principals.some((p) => p.kind === 'account' && p.id === fault.account))
    throw new TwinError(`share ${share.name} does not have account ${fault.account} as a principal`, 'LS_USAGE');
  return { ...fault, share: share.arn };
}

/** The ENIs the faults take off. */
export function deadEnis(model: InfraModel, faults: readonly Fault[]): Set<string> {
  return new Set(faults.flatMap((f) => (f.kind === 'zone-down' ? enisInZone(model, f.zone) : [])));
}

/** The cluster a user names: its ID, ARN or writer name. */
export const clusterNamed = (model: InfraModel, name: string) =>
  model.databases.find((d) => d.id === name || d.arn === name || d.writerName.toLowerCase() === name.toLowerCase());

/** The model with each failover's writer first and its stopped writer gone: the names follow. */
function failedOver(model: InfraModel, faults: readonly Fault[]): InfraModel {
  const failovers = faults.filter((f) => f.kind === 'failover');
  if (!failovers.length) return model;
  const databases = model.databases.map((d) =>
    failovers
      .filter((f) => f.cluster === d.id)
      .reduce(
        (db, f) => ({ ...db, eniIds: [f.writer, ...db.eniIds.filter((e) => e !== f.writer && e !== f.stopped)] }),
        d,
      ),
  );
  return { ...model, databases };
}

/** The model with every ENI of a zone that is down marked so. */
function zonesDown(model: InfraModel, faults: readonly Fault[]): InfraModel {
  const dead = deadEnis(model, faults);
  return dead.size ? { ...model, enis: model.enis.map((e) => (dead.has(e.id) ? { ...e, down: true } : e)) } : model;
}

/**
 * The model with the faults applied: the ENIs of zones that are down marked `down`, failovers' writers, and each share
 * without the accounts revoked from it (and the invitations that expired). What the twin runs after the faults, and
 * what `check --twin` checks.
 */
export function faultedModel(original: InfraModel, faults: readonly Fault[]): InfraModel {
  const model = zonesDown(failedOver(original, faults), faults);
  const revoked = faults.filter((f) => f.kind === 'revoke');
  const expired = faults.filter((f) => f.kind === 'expire');
  if (!revoked.length && !expired.length) return model;
  return {
    ...model,
    acceptances: model.acceptances.filter(
      (a) => !expired.some((f) => f.share === a.shareArn && f.account === a.account),
    ),
    shares: model.shares.map((s) => {
      const gone = revoked.filter((f) => f.share === s.arn).map((f) => f.account);
      return gone.length
        ? { ...s, principals: s.principals.filter((p) => !(p.kind === 'account' && gone.includes(p.id))) }
        : s;
    }),
  };
}

/**
 * The failover of `cluster` under the faults so far (`current`: the model with them): the first reader in a live zone
 * becomes the writer and the writer stops; without one, the writer restarts.
 */
export function failoverOf(current: InfraModel, cluster: Database, dead: ReadonlySet<string>): Fault {
  const [writer, ...readers] = current.databases.find((d) => d.id === cluster.id)?.eniIds ?? [];
  if (!writer) throw new TwinError(`cluster ${cluster.id} has no instance the twin runs`, 'LS_TWIN_FAULT_FAILED');
  const next = readers.find((eni) => !dead.has(eni));
  return next
    ? { kind: 'failover', cluster: cluster.id, writer: next, stopped: writer }
    : { kind: 'failover', cluster: cluster.id, writer };
}
