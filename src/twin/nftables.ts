// A security group as nftables in an ENI's namespace: stateful, inbound dropped unless a rule allows it, references
// to groups expanded to their members' addresses in the same VPC. Part of the twin's pure plan.
import { ASSOCIATION_RANGE, inCidr } from '../shared/index.js';
import { unknownIn } from '../model/queries.js';
import type { Eni, InfraModel, Rule, SecurityGroup } from '../model/index.js';

/**
 * Addresses a rule's peer stands for, seen from a VPC: SG references expand to members in that VPC only. A VPC
 * association's addresses are no ENI of the VPC: references to its groups do not cover them.
 */
function peerAddresses(rule: Rule, vpcId: string, enis: Eni[]): string[] {
  if ('cidr' in rule.peer) return rule.peer.cidr.includes(':') || unknownIn(rule.peer.cidr) ? [] : [rule.peer.cidr];
  if ('securityGroupId' in rule.peer) {
    const sg = rule.peer.securityGroupId;
    return enis
      .filter((e) => e.vpcId === vpcId && e.securityGroupIds.includes(sg) && !inCidr(e.ip!, ASSOCIATION_RANGE))
      .flatMap((e) => [e.ip!, ...e.secondaryIps].map((ip) => `${ip}/32`));
  }
  return []; // prefix lists: none are modelled, so they match nothing
}

function match(rule: Rule, direction: 'saddr' | 'daddr', addresses: string[]): string | undefined {
  if (!addresses.length) return undefined;
  const addr = `ip ${direction} { ${addresses.join(', ')} }`;
  const ports = rule.fromPort === rule.toPort ? `${rule.fromPort}` : `${rule.fromPort}-${rule.toPort}`;
  switch (rule.protocol) {
    case '-1':
      return `${addr} accept`;
    case 'tcp':
    case 'udp':
      return `${addr} ${rule.protocol} dport ${ports} accept`;
    case 'icmp':
      return rule.fromPort === -1 ? `${addr} ip protocol icmp accept` : `${addr} icmp type ${rule.fromPort} accept`;
    default:
      return undefined;
  }
}

/**
 * A security group in the kernel: stateful (replies pass), inbound dropped unless a rule allows it, outbound as the
 * rules say. Traffic to the VPC's resolver is not subject to security groups on AWS, and is not here.
 */
export function renderNftables(eni: Eni, m: InfraModel, enis: Eni[], resolver: string): string {
  const groups = eni.securityGroupIds
    .map((id) => m.securityGroups.find((g) => g.id === id))
    .filter((g): g is SecurityGroup => !!g);
  const lines = (rules: Rule[], dir: 'saddr' | 'daddr', guard = '') =>
    rules
      .map((r) => match(r, dir, peerAddresses(r, eni.vpcId!, enis)))
      .filter((x): x is string => !!x)
      .map((x) => `    ${guard}${x}`);
  const ingress = groups.flatMap((g) => g.ingress);
  const egress = groups.flatMap((g) => g.egress);
  // The Lattice hop crosses endpoint and gateway ENIs as forwarded traffic: the endpoint's ingress rules apply to
  // connections it carries (only translated ones, which the Lattice table marks, even when the translation leaves the
  // address as it was: it is no router), the gateway's egress rules to what it sends on.
  const forward =
    eni.owner.kind === 'endpoint'
      ? lines(ingress, 'saddr', 'iif "eth0" ct mark != 0 ')
      : eni.owner.kind === 'gateway'
        ? lines(egress, 'daddr', 'iifname "llg*" oif "eth0" ')
        : [];
  const cluster = replication(eni, m, enis);
  return [
    'table inet twin_sg {',
    '  chain input {',
    '    type filter hook input priority 0; policy drop;',
    '    ct state established,related accept',
    '    iif lo accept',
    // A flow Lattice closed for idling: the client's next segment is answered with a reset.
    ...(eni.owner.kind === 'endpoint' ? ['    ct state invalid meta l4proto tcp reject with tcp reset'] : []),
    ...lines(ingress, 'saddr'),
    ...(cluster ? [`    ip saddr { ${cluster.peers} } tcp dport ${cluster.port} accept`] : []),
    '  }',
    ...(forward.length || eni.owner.kind === 'endpoint' || eni.owner.kind === 'gateway'
      ? [
          '  chain forward {',
          '    type filter hook forward priority 0; policy drop;',
          '    ct state established,related accept',
          ...forward,
          '  }',
        ]
      : []),
    '  chain output {',
    '    type filter hook output priority 0; policy drop;',
    '    ct state established,related accept',
    '    oif lo accept',
    // The reset that answers a flow Lattice closed for idling (see input) must get out.
    ...(eni.owner.kind === 'endpoint' ? ['    tcp flags rst accept'] : []),
    `    ip daddr ${resolver} udp dport 53 accept`,
    `    ip daddr ${resolver} tcp dport 53 accept`,
    ...lines(egress, 'daddr'),
    ...(cluster ? [`    ip daddr { ${cluster.peers} } tcp dport ${cluster.port} accept`] : []),
    '  }',
    '}',
    '',
  ].join('\n');
}

/**
 * A DB instance's peers in its cluster. Aurora replicates in its storage layer, where no security group applies; the
 * twin's readers stream from the writer over the VPC instead, so traffic between a cluster's instances on its port
 * passes their groups.
 */
function replication(eni: Eni, m: InfraModel, enis: Eni[]): { peers: string; port: number } | undefined {
  if (eni.owner.kind !== 'database') return undefined;
  const db = m.databases.find((d) => d.eniIds.includes(eni.id));
  const peers = enis.filter((e) => e.id !== eni.id && db?.eniIds.includes(e.id)).map((e) => e.ip);
  return db && peers.length ? { peers: peers.join(', '), port: db.port } : undefined;
}
