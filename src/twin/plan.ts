// The twin's plan: the infra model turned into namespaces, links, addresses and firewall rules. Pure data.
import { createHash } from 'node:crypto';
import type { Eni, InfraModel, Rule, SecurityGroup } from '../model/index.js';

export interface Segment {
  /** The VPC this L2 segment stands for. */
  readonly vpcId: string;
  readonly cidr: string;
  /** The namespace holding the segment's bridge. */
  readonly namespace: string;
  /** The Amazon-provided resolver's address: the VPC base + 2. */
  readonly resolver: string;
}

export interface Node {
  /** The ENI this namespace stands for. */
  readonly eniId: string;
  readonly role: Eni['owner']['kind'];
  readonly ownerId: string;
  /** A readable name: the workload name, or role and owner ID. */
  readonly label: string;
  readonly vpcId: string;
  readonly namespace: string;
  readonly ip: string;
  /** Prefix length of the VPC: every address of the VPC is on-link, as through the VPC router. */
  readonly prefix: number;
  /** The veth end inside the segment namespace (≤ 15 characters). */
  readonly port: string;
  readonly nftables: string;
}

export interface TwinPlan {
  readonly name: string;
  readonly segments: Segment[];
  readonly nodes: Node[];
  /** ENIs left out, with why. */
  readonly skipped: string[];
}

const h = (s: string, n: number) => createHash('sha256').update(s).digest('hex').slice(0, n);
/** Every namespace of a twin starts with this: what `down` may remove. */
export const namespacePrefix = (twin: string) => `lst-${h(twin, 6)}-`;

const toInt = (ip: string) => ip.split('.').reduce((a, o) => a * 256 + Number(o), 0);
const toIp = (n: number) => [24, 16, 8, 0].map((s) => Math.floor(n / 2 ** s) % 256).join('.');
export const inCidr = (ip: string, cidr: string): boolean => {
  const [base, bits] = cidr.split('/');
  const size = 2 ** (32 - Number(bits));
  return Math.floor(toInt(ip) / size) === Math.floor(toInt(base!) / size);
};

export function planTwin(name: string, m: InfraModel): TwinPlan {
  const prefix = namespacePrefix(name);
  const skipped: string[] = [];
  const segments: Segment[] = m.vpcs.filter((v) => v.cidr).map((v) => ({
    vpcId: v.id, cidr: v.cidr!, namespace: `${prefix}vpc-${h(v.id, 8)}`, resolver: toIp(toInt(v.cidr!.split('/')[0]!) + 2),
  }));
  const enis = m.enis.filter((e) => {
    const ok = e.ip && e.vpcId && segments.some((s) => s.vpcId === e.vpcId);
    if (!ok) skipped.push(`${e.id} (${e.owner.kind} ${e.owner.id}): no address or VPC known`);
    return ok;
  });
  const label = (e: Eni) => e.owner.kind === 'instance' ? m.instances.find((i) => i.id === e.owner.id)?.name ?? e.owner.id : `${e.owner.kind}-${e.owner.id}`;
  const nodes = enis.map((e): Node => {
    const seg = segments.find((s) => s.vpcId === e.vpcId)!;
    return {
      eniId: e.id, role: e.owner.kind, ownerId: e.owner.id, label: label(e), vpcId: e.vpcId!, namespace: `${prefix}${h(e.id, 10)}`,
      ip: e.ip!, prefix: Number(seg.cidr.split('/')[1]), port: `lsp${h(`${name}/${e.id}`, 11)}`,
      nftables: renderNftables(e, m, enis, seg.resolver),
    };
  });
  return { name, segments, nodes, skipped };
}

/** Addresses a rule's peer stands for, seen from a VPC: SG references expand to members in that VPC only. */
function peerAddresses(rule: Rule, vpcId: string, enis: Eni[]): string[] {
  if ('cidr' in rule.peer) return rule.peer.cidr.includes(':') ? [] : [rule.peer.cidr];
  if ('securityGroupId' in rule.peer) {
    const sg = rule.peer.securityGroupId;
    return enis.filter((e) => e.vpcId === vpcId && e.securityGroupIds.includes(sg)).map((e) => `${e.ip}/32`);
  }
  return []; // prefix lists: none are modelled, so they match nothing
}

function match(rule: Rule, direction: 'saddr' | 'daddr', addresses: string[]): string | undefined {
  if (!addresses.length) return undefined;
  const addr = `ip ${direction} { ${addresses.join(', ')} }`;
  const ports = rule.fromPort === rule.toPort ? `${rule.fromPort}` : `${rule.fromPort}-${rule.toPort}`;
  switch (rule.protocol) {
    case '-1': return `${addr} accept`;
    case 'tcp': case 'udp': return `${addr} ${rule.protocol} dport ${ports} accept`;
    case 'icmp': return rule.fromPort === -1 ? `${addr} ip protocol icmp accept` : `${addr} icmp type ${rule.fromPort} accept`;
    default: return undefined;
  }
}

/**
 * A security group in the kernel: stateful (replies pass), inbound dropped unless a rule allows it, outbound as the
 * rules say. Traffic to the VPC's resolver is not subject to security groups on AWS, and is not here.
 */
export function renderNftables(eni: Eni, m: InfraModel, enis: Eni[], resolver: string): string {
  const groups = eni.securityGroupIds.map((id) => m.securityGroups.find((g) => g.id === id)).filter((g): g is SecurityGroup => !!g);
  const lines = (rules: Rule[], dir: 'saddr' | 'daddr') =>
    rules.map((r) => match(r, dir, peerAddresses(r, eni.vpcId!, enis))).filter((x): x is string => !!x).map((x) => `    ${x}`);
  return [
    'table inet twin_sg {',
    '  chain input {',
    '    type filter hook input priority 0; policy drop;',
    '    ct state established,related accept',
    '    iif lo accept',
    ...lines(groups.flatMap((g) => g.ingress), 'saddr'),
    '  }',
    '  chain output {',
    '    type filter hook output priority 0; policy drop;',
    '    ct state established,related accept',
    '    oif lo accept',
    `    ip daddr ${resolver} udp dport 53 accept`,
    `    ip daddr ${resolver} tcp dport 53 accept`,
    ...lines(groups.flatMap((g) => g.egress), 'daddr'),
    '  }',
    '}',
    '',
  ].join('\n');
}
