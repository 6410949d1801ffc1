// What several services' resources share: ENIs with an address allocated from their subnet, and security groups that
// may be only referenced. Apart from ec2.ts so that the VPC Lattice and RDS providers use them without a cycle.
import { hex } from '../../shared/index.js';
import type { StackState } from '../build.js';
import type { Eni, EniOwner, SecurityGroup } from '../types.js';
import { unknownIn } from '../unknown.js';

/**
 * A security group by ID. One only referenced by ID becomes an entry with no rules of its own, unless it is the default
 * group of a VPC these templates create: then it has AWS's default rules (all traffic from its own members, all
 * outbound; https://docs.aws.amazon.com/vpc/latest/userguide/default-security-group.html).
 */
export function securityGroup(s: StackState, id: string): SecurityGroup {
  const m = s.builder.model;
  let sg = s.builder.lookup(m.securityGroups, 'id', (x) => x.id, id);
  if (!sg) {
    const vpcId = s.builder.stores.defaultGroupVpcs.get(id);
    sg = vpcId ? defaultGroup(s, id, vpcId) : referencedGroup(s, id);
    m.securityGroups.push(sg);
  }
  return sg;
}

const referencedGroup = (s: StackState, id: string): SecurityGroup => ({
  id,
  account: s.account,
  description: 'referenced by ID, not created by these templates',
  ingress: [],
  egress: [],
  created: false,
});

const defaultGroup = (s: StackState, id: string, vpcId: string): SecurityGroup => ({
  id,
  vpcId,
  account: s.account,
  description: `the default security group of ${vpcId}`,
  ingress: [
    {
      protocol: '-1',
      fromPort: 0,
      toPort: 65535,
      peer: { securityGroupId: id },
      description: 'AWS default: from members',
    },
  ],
  egress: [
    {
      protocol: '-1',
      fromPort: 0,
      toPort: 65535,
      peer: { cidr: '0.0.0.0/0' },
      description: 'AWS default: all outbound',
    },
  ],
  created: true,
});

/**
 * The groups of something created without any: the default group of its subnet's VPC, as AWS assigns it to an
 * instance or a VPC endpoint created without groups. A VPC the templates do not create has a default group whose rules
 * they cannot say.
 */
export function groupsOrDefault(s: StackState, groups: string[], vpcId: string | undefined): string[] {
  if (groups.length || !vpcId) return groups;
  return [s.builder.stores.defaultGroups.get(vpcId) ?? `sg-${hex(`default/${vpcId}`, 17)}`];
}

/** Adds an ENI in a subnet, with an address allocated from it unless one is given. */
export function addEni(
  s: StackState,
  subnetId: string,
  securityGroupIds: string[],
  owner: EniOwner,
  seed: string,
  ip?: string,
): Eni {
  const subnet = s.builder.subnet(subnetId);
  if (unknownIn(ip)) {
    s.builder.warnOnce(`${s.stack}/${seed}: its address is ${ip}, known only at deploy time: the ENI gets none`);
    ip = undefined;
  }
  const eni: Eni = {
    id: s.physicalId('eni', seed),
    subnetId,
    vpcId: subnet.vpcId,
    az: subnet.az,
    azId: subnet.azId,
    ip: ip ?? (unknownIn(subnetId) ? undefined : s.builder.allocateIp(subnet)),
    secondaryIps: [],
    securityGroupIds,
    owner,
  };
  for (const sg of securityGroupIds) securityGroup(s, sg);
  s.builder.model.enis.push(eni);
  return eni;
}

/**
 * The groups of a resource whose default AWS does not document (a resource gateway, a service-network endpoint or VPC
 * association created without groups): one group of unknown rules, so that what they decide is UNKNOWN, not a guess.
 */
export function groupsOrUnknown(s: StackState, groups: string[], logicalId: string): string[] {
  return groups.length ? groups : [`sg-${hex(`${s.stack}/${logicalId}/unstated`, 17)}`];
}
