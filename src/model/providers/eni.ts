// What several services' resources share: ENIs with an address allocated from their subnet, and security groups that
// may be only referenced. Apart from ec2.ts so that the VPC Lattice and RDS providers use them without a cycle.
import type { StackState } from '../build.js';
import type { Eni, EniOwner, SecurityGroup } from '../types.js';

/** A security group by ID; one only referenced by ID becomes an entry with no rules of its own. */
export function securityGroup(s: StackState, id: string): SecurityGroup {
  const m = s.builder.model;
  let sg = s.builder.lookup(m.securityGroups, 'id', (x) => x.id, id);
  if (!sg) {
    sg = {
      id,
      account: s.account,
      description: 'referenced by ID, not created by these templates',
      ingress: [],
      egress: [],
      created: false,
    };
    m.securityGroups.push(sg);
  }
  return sg;
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
  const eni: Eni = {
    id: s.physicalId('eni', seed),
    subnetId,
    vpcId: subnet.vpcId,
    az: subnet.az,
    ip: ip ?? s.builder.allocateIp(subnet),
    secondaryIps: [],
    securityGroupIds,
    owner,
  };
  for (const sg of securityGroupIds) securityGroup(s, sg);
  s.builder.model.enis.push(eni);
  return eni;
}
