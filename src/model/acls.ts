// Which network ACL each subnet uses, as AWS decides it: the ACL it is associated with, else its VPC's default
// (https://docs.aws.amazon.com/vpc/latest/userguide/vpc-network-acls.html). Read by check and the twin alike.
import type { InfraModel, NetworkAcl, NetworkAclEntry } from './types.js';

/**
 * The ACL of a subnet by ID; undefined where the templates do not say (a subnet they reference but do not create, or
 * one they create in a VPC they do not create, whose default ACL they cannot describe).
 */
export function subnetAcls(m: InfraModel): (subnetId: string) => NetworkAcl | undefined {
  const associated = new Map<string, NetworkAcl>();
  const defaults = new Map<string, NetworkAcl>();
  for (const acl of m.networkAcls) {
    for (const subnet of acl.subnetIds) associated.set(subnet, acl);
    if (acl.isDefault && acl.vpcId) defaults.set(acl.vpcId, acl);
  }
  const subnets = new Map(m.subnets.map((x) => [x.id, x]));
  return (subnetId) => {
    const subnet = subnets.get(subnetId);
    const fallback = subnet?.created && subnet.vpcId ? defaults.get(subnet.vpcId) : undefined;
    return associated.get(subnetId) ?? fallback;
  };
}

/**
 * An ACL's entries of one direction in the order AWS evaluates them (rule number, lowest first); of a repeated rule
 * number only the first counts, since AWS refuses the others
 * (https://docs.aws.amazon.com/vpc/latest/userguide/nacl-rules.html).
 */
export function orderedEntries(acl: NetworkAcl, egress: boolean): NetworkAclEntry[] {
  const sorted = acl.entries.filter((entry) => entry.egress === egress).sort((a, b) => a.ruleNumber - b.ruleNumber);
  const counted: NetworkAclEntry[] = [];
  for (const entry of sorted) if (counted.at(-1)?.ruleNumber !== entry.ruleNumber) counted.push(entry);
  return counted;
}
