// ResourceEndpoint: a VPC endpoint of type Resource in the consumer VPC, bound to one resource configuration.
import { IResource, Resource, Validations } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as iam from 'aws-cdk-lib/aws-iam';
import type { Construct } from 'constructs';
import { consumerEndpoint, validateProps, type PropRule } from './common.js';
import { sdkCall } from './custom-lookup.js';
import type { IResourceConfiguration } from './resource-configuration.js';

export enum PrivateDnsPreference {
  VERIFIED_DOMAINS_ONLY = 'VERIFIED_DOMAINS_ONLY',
  ALL_DOMAINS = 'ALL_DOMAINS',
  VERIFIED_DOMAINS_AND_SPECIFIED_DOMAINS = 'VERIFIED_DOMAINS_AND_SPECIFIED_DOMAINS',
  SPECIFIED_DOMAINS_ONLY = 'SPECIFIED_DOMAINS_ONLY',
}

export interface IResourceEndpoint extends IResource, ec2.IConnectable {
  /** @attribute */
  readonly vpcEndpointId: string;
}

/** Private DNS settings, the same on resource endpoints, service-network endpoints and VPC associations. */
export interface PrivateDnsProps {
  /**
   * Create private DNS: ARN (RDS) configurations and custom domains then resolve to this endpoint inside the VPC.
   * Needs the VPC's DNS support and DNS hostnames. Cannot be changed later.
   * @default true
   */
  readonly privateDnsEnabled?: boolean;
  /** @default - AWS's default, PrivateDnsPreference.VERIFIED_DOMAINS_ONLY */
  readonly privateDnsPreference?: PrivateDnsPreference;
  /** Domains (wildcards allowed) for the SPECIFIED preferences. @default - none */
  readonly privateDnsSpecifiedDomains?: string[];
}

export const PRIVATE_DNS_RULES: PropRule<PrivateDnsProps>[] = [
  {
    id: 'LSC-RE1',
    condition: (p) =>
      p.privateDnsEnabled === false &&
      (p.privateDnsPreference !== undefined || p.privateDnsSpecifiedDomains !== undefined),
    message: 'privateDnsPreference and privateDnsSpecifiedDomains need privateDnsEnabled',
  },
  {
    id: 'LSC-RE2',
    condition: (p) => !!p.privateDnsSpecifiedDomains?.length && !p.privateDnsPreference?.includes('SPECIFIED'),
    message: 'privateDnsSpecifiedDomains needs a SPECIFIED_DOMAINS privateDnsPreference',
  },
  {
    id: 'LSC-RE3',
    condition: (p) => !!p.privateDnsPreference?.includes('SPECIFIED') && !p.privateDnsSpecifiedDomains?.length,
    message: 'a SPECIFIED_DOMAINS privateDnsPreference needs privateDnsSpecifiedDomains',
  },
];

// dnsOptions lives in common.ts, beside the consumer endpoint that uses it; exported from here as before.
export { dnsOptions } from './common.js';

export interface ResourceEndpointProps extends PrivateDnsProps {
  readonly vpc: ec2.IVpc;
  /** The shared configuration (SINGLE, GROUP or ARN) this endpoint connects to. Cannot be changed later. */
  readonly resourceConfiguration: IResourceConfiguration;
  /** @default - the VPC's private (or isolated) subnets, one per zone */
  readonly vpcSubnets?: ec2.SubnetSelection;
  /**
   * @default - a new security group with no inbound rules and no outbound rules; open it with
   * `endpoint.connections.allowDefaultPortFrom(client)`
   */
  readonly securityGroups?: ec2.ISecurityGroup[];
  /** The port clients use, the default port of `connections`. @default - none */
  readonly port?: ec2.Port;
  /** @default 'ipv4' */
  readonly ipAddressType?: 'ipv4' | 'ipv6' | 'dualstack';
}

export interface ResourceEndpointAttributes {
  readonly vpcEndpointId: string;
  /** @default - none */
  readonly securityGroups?: ec2.ISecurityGroup[];
  /** @default - none */
  readonly port?: ec2.Port;
}

/** A resource VPC endpoint: the consumer side of a shared resource configuration. */
export class ResourceEndpoint extends Resource implements IResourceEndpoint {
  static fromResourceEndpointAttributes(
    scope: Construct,
    id: string,
    attrs: ResourceEndpointAttributes,
  ): IResourceEndpoint {
    class Imported extends Resource implements IResourceEndpoint {
      readonly vpcEndpointId = attrs.vpcEndpointId;
      readonly connections = new ec2.Connections({ securityGroups: attrs.securityGroups, defaultPort: attrs.port });
    }
    return new Imported(scope, id);
  }

  readonly vpcEndpointId: string;
  readonly connections: ec2.Connections;
  readonly privateDnsEnabled: boolean;
  private associations?: ReturnType<typeof sdkCall>;

  constructor(scope: Construct, id: string, props: ResourceEndpointProps) {
    super(scope, id);
    validateProps(this, props, PRIVATE_DNS_RULES);
    const { endpoint, securityGroups } = consumerEndpoint(this, 'Resource', props, {
      resourceConfigurationArn: props.resourceConfiguration.resourceConfigurationArn,
      ipAddressType: props.ipAddressType,
    });
    this.connections = new ec2.Connections({ securityGroups, defaultPort: props.port });
    this.privateDnsEnabled = props.privateDnsEnabled ?? true;
    this.vpcEndpointId = endpoint.ref;
  }

  /**
   * The endpoint's own DNS name (`vpce-….rcfg-….vpc-lattice-rsc.<region>.on.aws`), which resolves to its ENIs from
   * anywhere. AWS publishes it on the endpoint's association, not on the endpoint, so reading this adds a deploy-time
   * DescribeVpcEndpointAssociations call to the stack.
   */
  get dnsName(): string {
    if (!this.associations) {
      this.associations = sdkCall(this, 'Associations', {
        service: 'EC2',
        action: 'DescribeVpcEndpointAssociations',
        parameters: { VpcEndpointIds: [this.vpcEndpointId] },
        physicalId: this.vpcEndpointId,
        outputPaths: ['VpcEndpointAssociations.0.DnsEntry.DnsName'],
        statements: [new iam.PolicyStatement({ actions: ['ec2:DescribeVpcEndpointAssociations'], resources: ['*'] })],
      });
      Validations.of(this.associations).acknowledge({
        id: 'AwsSolutions::AwsSolutions-IAM5[Resource::*]',
        reason: 'ec2:DescribeVpcEndpointAssociations supports no resource-level permissions; the call is read-only.',
      });
    }
    return this.associations.getResponseField('VpcEndpointAssociations.0.DnsEntry.DnsName');
  }
}
