// Network ACLs on a path: where a connection enters or leaves a subnet, the subnet's ACL decides the request and,
// stateless, the replies too (to the ephemeral port the connection came from). Entries in rule-number order, the
// first that matches decides, '*' denies the rest.
// https://docs.aws.amazon.com/vpc/latest/userguide/nacl-rules.html,
// https://docs.aws.amazon.com/vpc-lattice/latest/ug/network-acls.html
import {
  orderedEntries,
  subnetAcls,
  unknownIn,
  type InfraModel,
  type NetworkAcl,
  type NetworkAclEntry,
} from '../../model/index.js';
import { covers, overlaps, where, type Facts } from '../facts.js';
import type { Hop, HopName } from '../types.js';
import { block, pass, unknown } from './hops.js';

/** Ports as closed intervals. */
type Ports = [number, number][];

/** What an ACL does with a flow's packets in one direction, over a set of destination ports. */
interface Decision {
  readonly allowed: Ports;
  /** The entries that allowed, in order. */
  readonly allowedBy: NetworkAclEntry[];
  /** The first entry that denied (undefined: '*', the rule AWS adds last). */
  readonly deniedBy?: NetworkAclEntry;
  /** An entry that covers part of the peer's range when only the peer's VPC is known: the ACL cannot be decided. */
  readonly undecidedBy?: NetworkAclEntry;
}

const size = (ports: Ports) => ports.reduce((n, [lo, hi]) => n + hi - lo + 1, 0);
const intersect = (ports: Ports, lo: number, hi: number): Ports =>
  ports.map(([a, b]): [number, number] => [Math.max(a, lo), Math.min(b, hi)]).filter(([a, b]) => a <= b);
const subtract = (ports: Ports, lo: number, hi: number): Ports =>
  ports.flatMap(([a, b]): Ports => {
    if (hi < a || b < lo) return [[a, b]];
    const out: Ports = [];
    if (a < lo) out.push([a, lo - 1]);
    if (hi < b) out.push([hi + 1, b]);
    return out;
  });

/** How an entry's range relates to the peer's: it covers it, misses it, or covers part of it. */
const relation = (entry: string, peer: string): 'covers' | 'misses' | 'part' =>
  covers(entry, peer) ? 'covers' : overlaps(entry, peer) ? 'part' : 'misses';

/** The ACL's answer for TCP packets to or from `peer` (a CIDR) on destination ports `from`-`to`. */
function decide(acl: NetworkAcl, egress: boolean, peer: string, from: number, to: number): Decision {
  let rest: Ports = [[from, to]];
  const allowed: Ports = [];
  const allowedBy: NetworkAclEntry[] = [];
  let deniedBy: NetworkAclEntry | undefined;
  for (const entry of orderedEntries(acl, egress)) {
    if (!rest.length) break;
    if ((entry.protocol !== 'tcp' && entry.protocol !== '-1') || !entry.cidr) continue;
    const hit = intersect(rest, entry.fromPort, entry.toPort);
    const covers = unknownIn(entry.cidr) ? 'part' : relation(entry.cidr, peer);
    if (!hit.length || covers === 'misses') continue;
    if (covers === 'part') return { allowed, allowedBy, undecidedBy: entry };
    if (entry.action === 'allow') {
      allowed.push(...hit);
      allowedBy.push(entry);
    } else deniedBy ??= entry;
    rest = subtract(rest, entry.fromPort, entry.toPort);
  }
  return { allowed, allowedBy, deniedBy };
}

/** Whether an ACL lets every TCP packet in and out: such an ACL adds no hop. */
function opensEverything(acl: NetworkAcl): boolean {
  if (!acl.created) return false;
  return [false, true].every((egress) => size(decide(acl, egress, '0.0.0.0/0', 0, 65535).allowed) === 65536);
}

/** Which ACL each subnet uses (the model's answer), and which ACLs let everything through. */
class AclIndex {
  readonly of: (subnetId: string) => NetworkAcl | undefined;
  private readonly open = new Map<string, boolean>();
  constructor(private readonly m: InfraModel) {
    this.of = subnetAcls(m);
  }
  isOpen(acl: NetworkAcl): boolean {
    let open = this.open.get(acl.id);
    if (open === undefined) this.open.set(acl.id, (open = opensEverything(acl)));
    return open;
  }
  /** Whether every subnet of a VPC is known to let everything through: a client there needs no ACL hop. */
  vpcIsOpen(vpcId: string): boolean {
    if (!this.closedVpcs) {
      const closed = new Set<string>();
      for (const subnet of this.m.subnets) {
        const acl = this.of(subnet.id);
        if (subnet.vpcId && !(acl && this.isOpen(acl))) closed.add(subnet.vpcId);
      }
      this.closedVpcs = closed;
    }
    return !this.closedVpcs.has(vpcId);
  }
  /** VPCs with a subnet whose ACL does not let everything through (or is not known). */
  private closedVpcs?: Set<string>;
}

const indexes = new WeakMap<InfraModel, AclIndex>();
const aclIndex = (f: Facts): AclIndex => {
  let index = indexes.get(f.m);
  if (!index) indexes.set(f.m, (index = new AclIndex(f.m)));
  return index;
};

/** One place a connection crosses a subnet's edge. */
export interface Crossing {
  readonly hop: Extract<HopName, `${string}-nacl`>;
  /** The subnet on this side; undefined for a client known only by its group. */
  readonly subnetId?: string;
  readonly vpcId: string;
  /** Whether the request enters the subnet or leaves it. */
  readonly request: 'in' | 'out';
  /** The far end: its address, or its VPC's range when the address is not known. */
  readonly peer: string;
  readonly peerSubnetId?: string;
  readonly port: number;
  /** Who the replies go back to, and the ports that one may have taken (its ephemeral range). */
  readonly replyTo: string;
  readonly replyPorts: readonly [number, number];
}

/** The ACL hop of a crossing; none within one subnet (no edge is crossed) or through an ACL that allows everything. */
export function naclHop(f: Facts, c: Crossing): Hop | undefined {
  if (c.subnetId && c.subnetId === c.peerSubnetId) return undefined;
  const index = aclIndex(f);
  const subnetUnknown = () =>
    unknown(
      c.hop,
      'NACL_SUBNET_UNKNOWN',
      `the client's subnet in ${c.vpcId} is not known, and not every ACL there allows all traffic`,
      `name the client by its instance (--expect with a workload) rather than by its security group`,
    );
  if (!c.subnetId) return index.vpcIsOpen(c.vpcId) ? undefined : subnetUnknown();
  const acl = index.of(c.subnetId);
  if (acl && index.isOpen(acl)) return undefined;
  if (!acl || !acl.created)
    return unknown(
      c.hop,
      'NACL_UNKNOWN',
      `the network ACL of ${c.subnetId}${acl ? ` (${acl.id})` : ''} is not in the templates`,
      `read it where it lives: aws ec2 describe-network-acls --filters Name=association.subnet-id,Values=${c.subnetId}`,
    );
  const hop = aclHop(f, c, acl);
  // A client known only by its group may sit in this very subnet, where no ACL applies: no definite block.
  return hop.status === 'block' && !c.peerSubnetId && c.peer.includes('/') ? subnetUnknown() : hop;
}

const directionText = (egress: boolean) => (egress ? 'outbound' : 'inbound');
const ruleText = (entry?: NetworkAclEntry) => (entry ? `rule ${entry.ruleNumber}` : "the '*' rule");
const rulesText = (entries: NetworkAclEntry[]) =>
  entries.length > 1 ? `rules ${entries.map((e) => e.ruleNumber).join(', ')} allow` : `${ruleText(entries[0])} allows`;

function aclHop(f: Facts, c: Crossing, acl: NetworkAcl): Hop {
  const out = c.request === 'out';
  const peer = c.peer.includes('/') ? c.peer : `${c.peer}/32`;
  const toFrom = (egress: boolean) => (egress ? 'to' : 'from');
  const on = `${acl.id} of ${c.subnetId}`;
  const request = decide(acl, out, peer, c.port, c.port);
  const refOf = (entry?: NetworkAclEntry) => ({ rule: f.ref(entry?.source ?? acl.source, acl.id) });
  if (request.undecidedBy) return undecided(c, on, request.undecidedBy);
  const what = `${directionText(out)} tcp ${c.port} ${toFrom(out)} ${c.peer}`;
  if (!request.allowed.length)
    return block(
      c.hop,
      'NACL_DENIES',
      `${ruleText(request.deniedBy)} of ${on} denies ${what}`,
      `add to ${where(acl.source, acl.id)} an ${directionText(out)} entry allowing tcp ${c.port} ${toFrom(out)} ${peer}${below(request.deniedBy)}`,
      refOf(request.deniedBy),
    );
  const [lo, hi] = c.replyPorts;
  const reply = decide(acl, !out, peer, lo, hi);
  const replies = `${directionText(!out)} tcp ${lo}-${hi} ${toFrom(!out)} ${c.peer} (replies to ${c.replyTo} ephemeral port)`;
  const replyFix = `add to ${where(acl.source, acl.id)} an ${directionText(!out)} entry allowing tcp ${lo}-${hi} ${toFrom(!out)} ${peer}${below(reply.deniedBy)}`;
  if (reply.undecidedBy) return undecided(c, on, reply.undecidedBy);
  if (!reply.allowed.length)
    return block(
      c.hop,
      'NACL_DENIES_REPLIES',
      `${ruleText(reply.deniedBy)} of ${on} denies ${replies}`,
      replyFix,
      refOf(reply.deniedBy),
    );
  if (size(reply.allowed) < hi - lo + 1)
    return unknown(
      c.hop,
      'NACL_REPLY_PORTS_PARTIAL',
      `${on} allows only ${reply.allowed.map(([a, b]) => `${a}-${b}`).join(', ')} of ${replies}: which port the connection takes is not in the templates`,
      replyFix,
    );
  return pass(
    c.hop,
    `${on}: ${rulesText(request.allowedBy)} ${what}; ${rulesText(reply.allowedBy)} ${replies}`,
    refOf(request.allowedBy[0]),
  );
}

/** An entry that cannot be matched: its range is a value known only at deploy, or covers part of the peer's VPC. */
function undecided(c: Crossing, on: string, entry: NetworkAclEntry): Hop {
  const value = unknownIn(entry.cidr);
  return value
    ? unknown(c.hop, 'VALUE_UNKNOWN', `the range of ${ruleText(entry)} of ${on} is ${value}, known only at deploy`)
    : unknown(
        c.hop,
        'NACL_PEER_PARTIAL',
        `${ruleText(entry)} of ${on} covers only part of ${c.peer}, and the peer's address is not known`,
      );
}

/** Where a new entry must go to act: below the rule that denies (any number when only '*' denies). */
const below = (deniedBy?: NetworkAclEntry) =>
  !deniedBy
    ? ''
    : deniedBy.ruleNumber > 1
      ? `, numbered below ${deniedBy.ruleNumber}`
      : ', in place of rule 1 (no rule comes before it: renumber it first)';

/**
 * The ports replies may go to. A client's ephemeral port depends on its operating system (Linux 32768-60999, Windows
 * 49152-65535; https://docs.aws.amazon.com/vpc/latest/userguide/custom-network-acl.html#nacl-ephemeral-ports): an ACL
 * that lets replies through to only part of 1025-65535 (VPC Lattice's own example entry for client subnets) leaves
 * the hop UNKNOWN. A resource gateway's are 1024-65535, as VPC Lattice's example entries for target subnets say
 * (https://docs.aws.amazon.com/vpc-lattice/latest/ug/network-acls.html).
 */
export const CLIENT_EPHEMERAL = [1025, 65535] as const;
export const GATEWAY_EPHEMERAL = [1024, 65535] as const;
/** Whose ephemeral port a client's replies go back to, in a hop's words. */
export const CLIENT_REPLIES = "the client's";

/** The subnet of a client's ENI, when the client is an instance the model has. */
export function clientSubnet(f: Facts, instanceId?: string): string | undefined {
  const instance = instanceId ? f.instances.get(instanceId) : undefined;
  return instance ? f.enis.get(instance.eniId)?.subnetId : undefined;
}

/** Pushes a crossing's hop, when it has one. */
export function pushNacl(hops: Hop[], f: Facts, c: Crossing): void {
  const hop = naclHop(f, c);
  if (hop) hops.push(hop);
}
