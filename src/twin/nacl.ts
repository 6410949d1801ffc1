// A subnet's network ACL as nftables in each of its ENIs' namespaces: stateless (no conntrack: replies meet the
// entries of the other direction), evaluated in rule-number order, the first match decides, anything else dropped.
// Packets to and from the subnet's own range cross no subnet edge and are not filtered; nor is DNS to the VPC's
// resolver, which network ACLs do not filter (https://docs.aws.amazon.com/vpc/latest/userguide/vpc-network-acls.html).
import { orderedEntries, unknownIn } from '../model/queries.js';
import type { NetworkAcl, NetworkAclEntry } from '../model/index.js';

/** An entry as one nftables rule; undefined for an IPv6 entry (the twin is IPv4). */
function ruleOf(entry: NetworkAclEntry): string | undefined {
  if (!entry.cidr || unknownIn(entry.cidr)) return undefined;
  const peer = `ip ${entry.egress ? 'daddr' : 'saddr'} ${entry.cidr}`;
  const verdict = entry.action === 'allow' ? 'accept' : 'drop';
  const ports = entry.fromPort === entry.toPort ? `${entry.fromPort}` : `${entry.fromPort}-${entry.toPort}`;
  const match =
    entry.protocol === '-1'
      ? ''
      : entry.protocol === 'tcp' || entry.protocol === 'udp'
        ? ` ${entry.protocol} dport ${ports}`
        : ` ip protocol ${entry.protocol}`;
  return `    ${peer}${match} ${verdict} comment "rule ${entry.ruleNumber}"`;
}

/** The entries of one direction as rules, in AWS's order (IPv6 entries and ranges known only at deploy left out). */
const rulesOf = (acl: NetworkAcl, egress: boolean): string[] =>
  orderedEntries(acl, egress)
    .map(ruleOf)
    .filter((rule): rule is string => !!rule);

/**
 * The ACL of the subnet an ENI is in, on the ENI's link to its VPC (eth0): before conntrack on the way in, after
 * address translation on the way out, so that it sees the packets the subnet's edge would.
 */
export function renderNacl(acl: NetworkAcl, subnetCidr: string, resolver: string): string {
  /** One direction's chain: the subnet's own range and the resolver pass, then the entries, then '*'. */
  const chain = (egress: boolean) => {
    const [name, hook, link, peer] = egress
      ? ['outbound', 'postrouting priority 300', 'oifname', 'daddr']
      : ['inbound', 'prerouting priority -300', 'iifname', 'saddr'];
    return [
      `  chain ${name} {`,
      `    type filter hook ${hook}; policy accept;`,
      `    ${link} != "eth0" accept`,
      `    ip ${peer} ${subnetCidr} accept`,
      `    ip ${peer} ${resolver} accept`,
      ...rulesOf(acl, egress),
      '    drop comment "rule *"',
      '  }',
    ];
  };
  return ['table ip twin_nacl {', ...chain(false), ...chain(true), '}', ''].join('\n');
}
