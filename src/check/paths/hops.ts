// The hop vocabulary every path uses: pass, block and unknown (each block and unknown with its reason code), the
// security-group hop, and a path's disposition.
import type { Eni, Rule, SecurityGroup } from '../../model/index.js';
import { where, type Facts, type Match, type Party } from '../facts.js';
import type { ReasonCode } from '../reasons.js';
import type { Disposition, Hop, HopName } from '../types.js';

export const pass = (hop: HopName, detail: string, extra: Partial<Hop> = {}): Hop => ({
  hop,
  status: 'pass',
  detail,
  ...extra,
});

export const block = (
  hop: HopName,
  reason: ReasonCode,
  detail: string,
  fix: string,
  extra: Partial<Hop> = {},
): Hop => ({ hop, status: 'block', reason, detail, fix, ...extra });

export const unknown = (hop: HopName, reason: ReasonCode, detail: string, fix?: string): Hop => ({
  hop,
  status: 'unknown',
  reason,
  detail,
  ...(fix ? { fix } : {}),
});

/** The rule that decided, with its description: the `rule` of a passing security-group hop. */
function ruleRef(f: Facts, r: Rule, g: SecurityGroup): Partial<Hop> {
  const ref = f.ref(r.source ?? g.source, g.id);
  return ref ? { rule: { ...ref, ...(r.description ? { description: r.description } : {}) } } : {};
}
const peerText = (r: Rule) =>
  'cidr' in r.peer ? r.peer.cidr : 'securityGroupId' in r.peer ? r.peer.securityGroupId : r.peer.prefixListId;
const groupsText = (f: Facts, ids: string[]) =>
  ids.length ? ids.map((id) => where(f.groups.get(id)?.source, id)).join(', ') : 'no security group';

/** A security-group hop from a match; `need` says in words what rule would let the flow on. */
export function sgHop(f: Facts, hop: HopName, m: Match, groups: string[], need: string): Hop {
  const egress = hop.endsWith('egress');
  if (m && 'rule' in m) {
    const what = m.rule.protocol === '-1' ? 'all traffic' : `tcp ${m.rule.fromPort}-${m.rule.toPort}`;
    const detail = `${m.group.id} allows ${what} ${egress ? 'to' : 'from'} ${peerText(m.rule)}`;
    return pass(hop, detail, ruleRef(f, m.rule, m.group));
  }
  if (m && 'unknown' in m) return unknown(hop, m.reason, m.unknown);
  const g = f.groups.get(groups[0] ?? '');
  return block(
    hop,
    egress ? 'NO_EGRESS_RULE' : 'NO_INGRESS_RULE',
    `no ${egress ? 'egress' : 'ingress'} rule of ${groupsText(f, groups)} allows ${need}`,
    `add to ${g ? where(g.source, g.id) : 'a security group of it'} ${egress ? 'an egress' : 'an ingress'} rule: ${need}`,
    g ? { rule: f.ref(g.source, g.id) } : {},
  );
}

export function party(e: Eni): Party {
  return { vpcId: e.vpcId ?? '?', ip: e.ip, securityGroupIds: e.securityGroupIds };
}

/** Whether a hop list ends the connection, and how. */
export function dispositionOf(hops: Hop[]): Exclude<Disposition, 'PARTIAL'> {
  if (hops.some((h) => h.status === 'block')) return 'BLOCKED';
  return hops.some((h) => h.status === 'unknown') ? 'UNKNOWN' : 'REACHABLE';
}
