// ResourceGateway: the owner VPC's entry point for VPC Lattice resource configurations.
import { IResource, Resource, Stack } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import { CfnResourceGateway } from 'aws-cdk-lib/aws-vpclattice';
import type { Construct } from 'constructs';
import { known, LATTICE_NAME, latticeName, onePerZone, ownGroups, validateProps, type PropRule } from './common.js';

export enum GatewayIpAddressType {
  IPV4 = 'IPV4',
  IPV6 = 'IPV6',
  DUALSTACK = 'DUALSTACK',
}
export enum GatewayDnsResolution {
  /** Resolve domain targets with public DNS. */
  PUBLIC = 'PUBLIC',
  /** Resolve domain targets with the VPC's resolver (private hosted zones, on-premises DNS). */
  IN_VPC = 'IN_VPC',
}

export interface IResourceGateway extends IResource, ec2.IConnectable {
  /** @attribute */
  readonly resourceGatewayArn: string;
  /** @attribute */
  readonly resourceGatewayId: string;
}

export interface ResourceGatewayProps {
  /** The VPC that holds the resources. */
  readonly vpc: ec2.IVpc;
  /**
   * Subnets for the gateway's ENIs, one per availability zone. Consumers' endpoints need at least one zone in common.
   * @default - the VPC's private (or isolated) subnets, one per zone
   */
  readonly vpcSubnets?: ec2.SubnetSelection;
  /**
   * Security groups of the gateway. Their egress rules decide what the gateway may reach; inbound rules have no effect.
   * @default - a new security group with no inbound and no outbound rules; open the way with
   * `target.connections.allowDefaultPortFrom(gateway)`
   */
  readonly securityGroups?: ec2.ISecurityGroup[];
  /** @default GatewayIpAddressType.IPV4 */
  readonly ipAddressType?: GatewayIpAddressType;
  /**
   * IPv4 addresses per ENI, 1-62. Each address carries up to 55,000 connections per destination. Cannot be changed
   * later.
   * @default - the AWS default, 16
   */
  readonly ipv4AddressesPerEni?: number;
  /** How domain-name targets are resolved. Cannot be changed later. @default GatewayDnsResolution.PUBLIC */
  readonly dnsResolution?: GatewayDnsResolution;
  /** @default - derived from the construct path */
  readonly resourceGatewayName?: string;
}

const RULES: PropRule<ResourceGatewayProps>[] = [
  {
    id: 'LSC-RGW1',
    condition: (p) =>
      p.ipv4AddressesPerEni !== undefined &&
      known(p.ipv4AddressesPerEni) &&
      (p.ipv4AddressesPerEni < 1 || p.ipv4AddressesPerEni > 62 || !Number.isInteger(p.ipv4AddressesPerEni)),
    message: 'ipv4AddressesPerEni must be a whole number from 1 to 62',
  },
  {
    id: 'LSC-RGW2',
    condition: (p) => p.ipv4AddressesPerEni !== undefined && p.ipAddressType === GatewayIpAddressType.IPV6,
    message: 'ipv4AddressesPerEni does not apply to an IPV6 gateway',
  },
  {
    id: 'LSC-RGW3',
    condition: (p) => (p.securityGroups?.length ?? 0) > 5,
    message: 'a resource gateway takes at most 5 security groups',
  },
  {
    id: 'LSC-RGW4',
    condition: (p) =>
      p.resourceGatewayName !== undefined &&
      known(p.resourceGatewayName) &&
      (!LATTICE_NAME.test(p.resourceGatewayName) || p.resourceGatewayName.startsWith('rgw-')),
    message: 'resourceGatewayName must be 3-40 characters of a-z, 0-9 and single hyphens, not starting with "rgw-"',
  },
];

export interface ResourceGatewayAttributes {
  readonly resourceGatewayId: string;
  /** @default - the ARN is built from the ID, this stack's account and region */
  readonly resourceGatewayArn?: string;
  /** @default - none: `connections` then has no security groups */
  readonly securityGroups?: ec2.ISecurityGroup[];
}

/** A VPC Lattice resource gateway: ENIs in the owner VPC through which shared resources are reached. */
export class ResourceGateway extends Resource implements IResourceGateway {
  static fromResourceGatewayAttributes(
    scope: Construct,
    id: string,
    attrs: ResourceGatewayAttributes,
  ): IResourceGateway {
    class Imported extends Resource implements IResourceGateway {
      readonly resourceGatewayId = attrs.resourceGatewayId;
      readonly resourceGatewayArn =
        attrs.resourceGatewayArn ??
        Stack.of(scope).formatArn({
          service: 'vpc-lattice',
          resource: 'resourcegateway',
          resourceName: attrs.resourceGatewayId,
        });
      readonly connections = new ec2.Connections({ securityGroups: attrs.securityGroups });
    }
    return new Imported(scope, id);
  }

  readonly resourceGatewayArn: string;
  readonly resourceGatewayId: string;
  readonly connections: ec2.Connections;
  /** The subnets the gateway's ENIs live in. */
  readonly subnets: ec2.ISubnet[];
  readonly vpc: ec2.IVpc;

  constructor(scope: Construct, id: string, props: ResourceGatewayProps) {
    super(scope, id);
    validateProps(this, props, RULES);
    this.vpc = props.vpc;
    const selection = onePerZone(this, props.vpc, props.vpcSubnets, 'a resource gateway');
    this.subnets = selection.subnets;
    const securityGroups = ownGroups(
      this,
      props.vpc,
      props.securityGroups,
      `Resource gateway ${this.node.path}: egress to shared resources only`,
    );
    this.connections = new ec2.Connections({ securityGroups });
    const resource = new CfnResourceGateway(this, 'Resource', {
      name: props.resourceGatewayName ?? latticeName(this),
      vpcIdentifier: props.vpc.vpcId,
      subnetIds: selection.subnetIds,
      securityGroupIds: securityGroups.map((sg) => sg.securityGroupId),
      ipAddressType: props.ipAddressType ?? GatewayIpAddressType.IPV4,
      ipv4AddressesPerEni: props.ipv4AddressesPerEni,
      resourceConfigDnsResolution: props.dnsResolution,
    });
    this.resourceGatewayArn = resource.attrArn;
    this.resourceGatewayId = resource.attrId;
  }
}
