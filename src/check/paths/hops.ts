// The hop vocabulary every path uses: pass, block and unknown (each block and unknown with its reason code), the
// security-group hop, and a path's disposition.
import { liveOrigin, type Eni, type Rule, type SecurityGroup } from '../../model/index.js';
import { copyWith, flat } from '../../shared/index.js';
import { where, type Facts, type Match, type Party } from '../facts.js';
import type { ReasonCode } from '../reasons.js';
import type { Disposition, Hop, HopName } from '../types.js';

// A large check keeps hundreds of thousands of hops: their texts are kept flat (see `flat`).
export const pass = (hop: HopName, detail: string, extra: Partial<Hop> = {}): Hop => ({
  hop,
  status: 'pass',
  detail: flat(detail),
  ...extra,
});

export const block = (
  hop: HopName,
  reason: ReasonCode,
  detail: string,
  fix: string,
  extra: Partial<Hop> = {},
): Hop => ({ hop, status: 'block', reason, detail: flat(detail), fix: flat(fix), ...extra });

export const unknown = (hop: HopName, reason: ReasonCode, detail: string, fix?: string): Hop => ({
  hop,
  status: 'unknown',
  reason,
  detail: flat(detail),
  ...(fix ? { fix: flat(fix) } : {}),
});

/** The rule that decided, with its description: the `rule` of a passing security-group hop. */
function ruleRef(f: Facts, r: Rule, g: SecurityGroup): Partial<Hop> {
  const ref = f.ref(r.source ?? g.source, g.id);
  return ref ? { rule: r.description ? copyWith(ref, { description: r.description }) : ref } : {};
}
const peerText = (r: Rule) =>
  'cidr' in r.peer ? r.peer.cidr : 'securityGroupId' in r.peer ? r.peer.securityGroupId : r.peer.prefixListId;
const groupsText = (f: Facts, ids: string[]) =>
  ids.length ? ids.map((id) => where(f.groups.get(id)?.source, id)).join(', ') : 'no security group';

/** The rule a flow needs, for the one AWS CLI call that adds it to a deployed group: its port and its peer. */
export interface Wanted {
  readonly port: number;
  /** None: no command (it would open the group to every address). */
  readonly peer?: { readonly groupId: string } | { readonly cidr: string };
}

/**
 * The peer of a wanted rule: the other side's first group, else its address, else `fallback` (a CIDR); none when
 * that would open the group to every address (no command is printed then).
 */
export function wantedPeer(groups: readonly string[], ip: string | undefined, fallback: string) {
  const peer: Wanted['peer'] = groups[0] ? { groupId: groups[0] } : { cidr: ip ? `${ip}/32` : fallback };
  return 'cidr' in peer && peer.cidr.endsWith('/0') ? undefined : peer;
}

/** For a group doctor read (its source is `live:ACCOUNT/REGION`): the AWS CLI call that adds the rule. */
function cliFix(g: SecurityGroup, egress: boolean, want: Wanted | undefined): string | undefined {
  const origin = liveOrigin(g.source?.stack);
  if (!want?.peer || !origin) return undefined;
  const peer =
    'groupId' in want.peer
      ? `UserIdGroupPairs=[{GroupId=${want.peer.groupId}}]`
      : `IpRanges=[{CidrIp=${want.peer.cidr}}]`;
  const permissions = `IpProtocol=tcp,FromPort=${want.port},ToPort=${want.port},${peer}`;
  // The group's own account (a shared VPC's group may be another's than the account read).
  return `in account ${g.account}: aws ec2 authorize-security-group-${egress ? 'egress' : 'ingress'} --region ${origin.region} --group-id ${g.id} --ip-permissions '${permissions}'`;
}

/** The hop a rule lets a flow through: the same for every flow it lets through, made once per rule, hop and group. */
function ruleHop(f: Facts, hop: HopName, rule: Rule, group: SecurityGroup): Hop {
  return f.ruleHops.get([hop, group.id, rule], () => {
    const what = rule.protocol === '-1' ? 'all traffic' : `tcp ${rule.fromPort}-${rule.toPort}`;
    const detail = `${group.id} allows ${what} ${hop.endsWith('egress') ? 'to' : 'from'} ${peerText(rule)}`;
    return pass(hop, detail, ruleRef(f, rule, group));
  });
}

/** The rule that would let a flow on: in words, and what it is (for the AWS CLI call adding it to a deployed group). */
export interface Needed {
  readonly text: string;
  readonly want?: Wanted;
}

/** A security-group hop from a match; `needed` is asked only when no rule lets the flow on. */
export function sgHop(f: Facts, hop: HopName, m: Match, groups: string[], needed: () => Needed): Hop {
  if (m && 'rule' in m) return ruleHop(f, hop, m.rule, m.group);
  if (m && 'unknown' in m) return unknown(hop, m.reason, m.unknown);
  const egress = hop.endsWith('egress');
  const { text: need, want } = needed();
  const g = f.groups.get(groups[0] ?? '');
  return block(
    hop,
    egress ? 'NO_EGRESS_RULE' : 'NO_INGRESS_RULE',
    `no ${egress ? 'egress' : 'ingress'} rule of ${groupsText(f, groups)} allows ${need}`,
    (g && cliFix(g, egress, want)) ??
      `add to ${g ? where(g.source, g.id) : 'a security group of it'} ${egress ? 'an egress' : 'an ingress'} rule: ${need}`,
    g ? { rule: f.ref(g.source, g.id) } : {},
  );
}

/** An ENI as one side of a connection: at its own address and groups unless the connection is to others of it. */
export function party(e: Eni, ip = e.ip, securityGroupIds = e.securityGroupIds): Party {
  return { vpcId: e.vpcId ?? '?', ip, securityGroupIds };
}

/** Whether a hop list ends the connection, and how. */
export function dispositionOf(hops: Hop[]): Exclude<Disposition, 'PARTIAL'> {
  if (hops.some((h) => h.status === 'block')) return 'BLOCKED';
  return hops.some((h) => h.status === 'unknown') ? 'UNKNOWN' : 'REACHABLE';
}
