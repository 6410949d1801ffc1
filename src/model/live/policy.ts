// The read-only calls doctor makes, and which side of a share needs each: an owner (resources, gateways, shares, or a
// service network it shares) or a consumer (endpoints, VPC associations, callers, invitations). An account read with
// its sides known (a config says) is asked only its sides' calls, so each account's policy can be the least one.
// Plain data: the CLI prints the policies from it without loading the AWS SDK.

export type Side = 'owner' | 'consumer';

const BOTH: readonly Side[] = ['owner', 'consumer'];
const OWNER: readonly Side[] = ['owner'];
const CONSUMER: readonly Side[] = ['consumer'];

/** Every call doctor makes (IAM action names), with the sides that need it. */
export const DOCTOR_CALLS: Readonly<Record<string, readonly Side[]>> = {
  'ec2:DescribeVpcs': BOTH,
  'ec2:DescribeVpcAttribute': BOTH,
  'ec2:DescribeSubnets': BOTH,
  'ec2:DescribeSecurityGroups': BOTH,
  'ec2:DescribeSecurityGroupRules': BOTH,
  'ec2:DescribeNetworkAcls': BOTH,
  'ec2:DescribeNetworkInterfaces': BOTH,
  'ec2:DescribeInstances': BOTH,
  'ec2:DescribeVpcEndpoints': CONSUMER,
  'ec2:DescribeVpcEndpointAssociations': CONSUMER,
  'rds:DescribeDBClusters': OWNER,
  'rds:DescribeDBInstances': OWNER,
  'vpc-lattice:ListResourceGateways': OWNER,
  'vpc-lattice:ListResourceConfigurations': BOTH,
  'vpc-lattice:GetResourceConfiguration': BOTH,
  'vpc-lattice:ListResourceEndpointAssociations': OWNER,
  'vpc-lattice:ListServiceNetworks': BOTH,
  'vpc-lattice:GetServiceNetwork': BOTH,
  'vpc-lattice:ListServiceNetworkResourceAssociations': BOTH,
  'vpc-lattice:ListServiceNetworkVpcAssociations': CONSUMER,
  'vpc-lattice:GetServiceNetworkVpcAssociation': CONSUMER,
  'ram:GetResourceShares': OWNER,
  'ram:GetResourceShareAssociations': OWNER,
  'ram:ListResources': BOTH,
  'ram:GetResourceShareInvitations': CONSUMER,
  'events:ListConnections': CONSUMER,
  'events:DescribeConnection': CONSUMER,
  'events:ListApiDestinations': CONSUMER,
  'states:ListStateMachines': CONSUMER,
  'states:DescribeStateMachine': CONSUMER,
  'route53:ListHostedZones': BOTH,
  'route53:GetHostedZone': BOTH,
  'route53:ListResourceRecordSets': BOTH,
  'cloudformation:ListStackResources': BOTH,
};

/** The calls a side (or any of several) needs; every call without one. */
export const callsFor = (sides?: readonly Side[]): string[] =>
  Object.entries(DOCTOR_CALLS)
    .filter(([, needed]) => !sides || needed.some((side) => sides.includes(side)))
    .map(([action]) => action);

/** The read-only IAM policy for a side (or both): every action on every resource (none takes a narrower one). */
export const doctorPolicy = (sides?: readonly Side[]) => ({
  Version: '2012-10-17',
  Statement: [{ Sid: 'LatticeShareDoctorRead', Effect: 'Allow', Action: callsFor(sides), Resource: '*' }],
});
