// Creates or imports the VPC of a network and the subnets lattice-share uses in it.
import { Stack, Validations } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import type { Construct } from 'constructs';
import type { Network } from '../config/index.js';
import { IMPORTED_METADATA, type ImportedFacts } from '../assembly/index.js';
import { pascal } from './names.js';

export interface NetworkHandle {
  readonly vpc: ec2.IVpc;
  readonly subnets: ec2.SubnetSelection;
}

/**
 * Records what a stack imports by ID in its template metadata, where CloudFormation never describes it, so that
 * the model (and so check and the twin) know it from the templates alone.
 */
export function describeImported(stack: Stack, facts: ImportedFacts): void {
  const all = (stack.templateOptions.metadata ??= {}) as Record<string, ImportedFacts>;
  const mine = (all[IMPORTED_METADATA] ??= {});
  for (const key of ['vpcs', 'subnets', 'databases'] as const) {
    if (facts[key]) mine[key] = { ...(mine[key] ?? {}), ...facts[key] } as never;
  }
}

export function buildNetwork(scope: Construct, network: Network): NetworkHandle {
  const id = pascal(network.name);
  if (network.kind === 'imported') {
    const vpc = ec2.Vpc.fromVpcAttributes(scope, id, {
      vpcId: network.vpcId,
      vpcCidrBlock: network.cidr,
      availabilityZones: network.availabilityZones,
    });
    const subnets = network.subnets.map((s, i) =>
      ec2.Subnet.fromSubnetAttributes(scope, `${id}Subnet${i + 1}`, {
        subnetId: s.id,
        availabilityZone: s.az,
        ipv4CidrBlock: s.cidr,
      }),
    );
    describeImported(Stack.of(scope), {
      vpcs: { [network.vpcId]: { cidr: network.cidr, dnsSupport: network.dnsSupport } },
      subnets: Object.fromEntries(network.subnets.map((s) => [s.id, { vpcId: network.vpcId, az: s.az, cidr: s.cidr }])),
    });
    return { vpc, subnets: { subnets } };
  }
  const vpc = new ec2.Vpc(scope, id, {
    vpcName: network.name,
    ipAddresses: ec2.IpAddresses.cidr(network.cidr),
    availabilityZones: network.availabilityZones,
    natGateways: 0,
    enableDnsSupport: true,
    enableDnsHostnames: true,
    subnetConfiguration: [
      { name: 'private', subnetType: ec2.SubnetType.PRIVATE_ISOLATED, cidrMask: network.subnetMask },
    ],
  });
  Validations.of(vpc).acknowledge({
    id: 'AwsSolutions-VPC7',
    reason:
      "Flow logs belong to the account's central logging (organization-wide flow logs); this VPC only carries private Lattice traffic.",
  });
  return { vpc, subnets: { subnetType: ec2.SubnetType.PRIVATE_ISOLATED } };
}
