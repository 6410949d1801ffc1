// The demo instances of the stacks (a consumer's workloads, an owner's API servers): Amazon Linux in the network's
// subnets, reached with Session Manager, with a security group of their own that the stack opens.
import { Tags, Validations, type Stack } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as iam from 'aws-cdk-lib/aws-iam';
import type { NetworkHandle } from './network.js';

export interface DemoInstanceProps {
  readonly net: NetworkHandle;
  readonly instanceType: string;
  /** The description of its security group, which has no rules until the stack adds them. */
  readonly securityGroupDescription: string;
  /** Its tags, in this order. */
  readonly tags: Record<string, string>;
  /** What Session Manager reaches, in the reason for its role's managed policy: 'demo instance'. */
  readonly accessTo: string;
  /** What it is, opening the reason it stays removable (cdk-nag's EC29): 'A demo workload'. */
  readonly label: string;
}

/**
 * A demo instance of construct ID `id`, with its security group (`<id>SecurityGroup`) and role (`<id>Role`), made in
 * that order.
 */
export function demoInstance(
  stack: Stack,
  id: string,
  props: DemoInstanceProps,
): { instance: ec2.Instance; securityGroup: ec2.SecurityGroup } {
  const securityGroup = new ec2.SecurityGroup(stack, `${id}SecurityGroup`, {
    vpc: props.net.vpc,
    allowAllOutbound: false,
    description: props.securityGroupDescription,
  });
  const role = new iam.Role(stack, `${id}Role`, {
    assumedBy: new iam.ServicePrincipal('ec2.amazonaws.com'),
    managedPolicies: [iam.ManagedPolicy.fromAwsManagedPolicyName('AmazonSSMManagedInstanceCore')],
  });
  Validations.of(role).acknowledge({
    id: 'AwsSolutions::AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/AmazonSSMManagedInstanceCore]',
    reason: `AmazonSSMManagedInstanceCore is AWS's policy for Session Manager access to the ${props.accessTo}.`,
  });
  const instance = new ec2.Instance(stack, id, {
    vpc: props.net.vpc,
    vpcSubnets: props.net.subnets,
    instanceType: new ec2.InstanceType(props.instanceType),
    machineImage: ec2.MachineImage.latestAmazonLinux2023(),
    securityGroup,
    role,
    requireImdsv2: true,
    detailedMonitoring: true,
    blockDevices: [{ deviceName: '/dev/xvda', volume: ec2.BlockDeviceVolume.ebs(8, { encrypted: true }) }],
  });
  for (const [key, value] of Object.entries(props.tags)) Tags.of(instance).add(key, value);
  // In a VPC imported by ID the subnet's zone is a fact the config gives, not a choice the template makes.
  Validations.of(instance).acknowledge({
    id: 'CloudFormation-Validate::W3010',
    reason: `${props.label}: placed by its subnet; an imported subnet's zone is written as the config gives it.`,
  });
  Validations.of(instance).acknowledge({
    id: 'AwsSolutions-EC29',
    reason: `${props.label}: \`lattice-share destroy\` must be able to remove it.`,
  });
  return { instance, securityGroup };
}
