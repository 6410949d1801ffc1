// Service networks for shared resources: the network, its resource associations (they take the configuration's ID,
// not its ARN), and the two ways a VPC uses it: a service-network VPC endpoint, or a VPC association.
import { Fn, IResource, Resource, Token } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as vpclattice from 'aws-cdk-lib/aws-vpclattice';
import type { Construct } from 'constructs';
import {
  consumerEndpoint,
  dnsOptions,
  LATTICE_NAME,
  LatticeValidationError,
  latticeName,
  ownGroups,
  validateProps,
  type PropRule,
} from './common.js';
import type { IResourceConfiguration } from './resource-configuration.js';
import { PRIVATE_DNS_RULES, type PrivateDnsProps } from './resource-endpoint.js';

export interface IServiceNetwork extends IResource {
  /** The `sn-…` ID. @attribute */
  readonly serviceNetworkId: string;
  /** @attribute */
  readonly serviceNetworkArn: string;
}

export interface ServiceNetworkProps {
  /**
   * 3-40 characters of a-z, 0-9 and single hyphens, unique in the account. @default - derived from the construct path
   */
  readonly name?: string;
  /**
   * Whether the network may be shared onward (RAM). A configuration that disallows association to sharable service
   * networks cannot join a sharable one. @default false
   */
  readonly sharable?: boolean;
}

/** Give the ARN for a network of another account (endpoints need it); the ID is enough for VPC associations. */
export interface ServiceNetworkAttributes {
  /** @default - the last part of serviceNetworkArn */
  readonly serviceNetworkId?: string;
  /** @default - built from the ID with this stack's account and region */
  readonly serviceNetworkArn?: string;
}

const SN_ID = /^sn-[0-9a-z]{17}$/;
const RULES: PropRule<ServiceNetworkProps>[] = [
  {
    id: 'LSC-SN1',
    condition: (p) => p.name !== undefined && !Token.isUnresolved(p.name) && !LATTICE_NAME.test(p.name),
    message: 'name must be 3-40 characters of a-z, 0-9 and single hyphens, not starting or ending with a hyphen',
  },
];

/** A VPC Lattice service network that carries shared resources (resource configurations) to VPCs. */
export class ServiceNetwork extends Resource implements IServiceNetwork {
  static fromServiceNetworkAttributes(scope: Construct, id: string, attrs: ServiceNetworkAttributes): IServiceNetwork {
    const fromArn = (arn: string) =>
      Token.isUnresolved(arn) ? Fn.select(1, Fn.split('/', arn)) : arn.split('/').pop()!;
    class Imported extends Resource implements IServiceNetwork {
      readonly serviceNetworkId = attrs.serviceNetworkId ?? fromArn(attrs.serviceNetworkArn ?? '');
      readonly serviceNetworkArn =
        attrs.serviceNetworkArn ??
        this.stack.formatArn({
          service: 'vpc-lattice',
          resource: 'servicenetwork',
          resourceName: this.serviceNetworkId,
        });
      constructor() {
        super(scope, id);
        if (!attrs.serviceNetworkId && !attrs.serviceNetworkArn)
          throw new LatticeValidationError(this, 'give serviceNetworkId or serviceNetworkArn [LSC-SN3]');
        if (!Token.isUnresolved(this.serviceNetworkId) && !SN_ID.test(this.serviceNetworkId)) {
          throw new LatticeValidationError(
            this,
            `serviceNetworkId "${this.serviceNetworkId}" is not a service network ID (sn- and 17 characters) [LSC-SN2]`,
          );
        }
      }
    }
    return new Imported();
  }

  readonly serviceNetworkId: string;
  readonly serviceNetworkArn: string;

  constructor(scope: Construct, id: string, props: ServiceNetworkProps = {}) {
    super(scope, id);
    validateProps(this, props, RULES);
    const sn = new vpclattice.CfnServiceNetwork(this, 'Resource', {
      name: props.name ?? latticeName(this, 'sn-'),
      authType: 'NONE',
      // CloudFormation spells this one in lower case: SharingConfig.enabled
      sharingConfig: { enabled: props.sharable ?? false },
    });
    this.serviceNetworkId = sn.attrId;
    this.serviceNetworkArn = sn.attrArn;
  }
}

export interface ServiceNetworkResourceAssociationProps {
  readonly serviceNetwork: IServiceNetwork;
  /** The configuration to carry; the association takes its ID. */
  readonly resourceConfiguration: IResourceConfiguration;
  /** Private DNS for the configuration's custom domain (or RDS names) through this network. @default false */
  readonly privateDnsEnabled?: boolean;
}

/** Puts a resource configuration (one's own, or one shared by RAM) into a service network. */
export class ServiceNetworkResourceAssociation extends Resource {
  /** The `snra-…` ID. @attribute */
  readonly associationId: string;

  constructor(scope: Construct, id: string, props: ServiceNetworkResourceAssociationProps) {
    super(scope, id);
    const configId = props.resourceConfiguration.resourceConfigurationId;
    if (!Token.isUnresolved(configId) && configId.startsWith('arn:')) {
      throw new LatticeValidationError(
        this,
        "a service-network resource association takes the configuration's ID (rcfg-…), not its ARN [LSC-SNRA1]",
      );
    }
    const assoc = new vpclattice.CfnServiceNetworkResourceAssociation(this, 'Resource', {
      serviceNetworkId: props.serviceNetwork.serviceNetworkId,
      resourceConfigurationId: configId,
      privateDnsEnabled: props.privateDnsEnabled ?? false,
    });
    this.associationId = assoc.attrId;
  }
}

/**
 * Private DNS: custom domains (and RDS names) of the network's configurations resolve to this path in the VPC, where
 * their resource association enables it too (`privateDnsEnabled` defaults to true here as well).
 */
interface ConsumerProps extends PrivateDnsProps {
  readonly vpc: ec2.IVpc;
  readonly serviceNetwork: IServiceNetwork;
  /** @default - a new security group with no rules; open it with `connections.allowFrom(client, port)` */
  readonly securityGroups?: ec2.ISecurityGroup[];
}

export interface ServiceNetworkEndpointProps extends ConsumerProps {
  /** @default - the VPC's private (or isolated) subnets, one per zone */
  readonly vpcSubnets?: ec2.SubnetSelection;
}

/**
 * A service-network VPC endpoint: ENIs in the VPC for every resource of the network (one address per resource and
 * zone), reachable also from peered VPCs, VPN and Direct Connect.
 */
export class ServiceNetworkEndpoint extends Resource implements ec2.IConnectable {
  /** @attribute */
  readonly vpcEndpointId: string;
  readonly connections: ec2.Connections;

  constructor(scope: Construct, id: string, props: ServiceNetworkEndpointProps) {
    super(scope, id);
    validateProps(this, props, PRIVATE_DNS_RULES);
    const { endpoint, securityGroups } = consumerEndpoint(this, 'ServiceNetwork', props, {
      serviceNetworkArn: props.serviceNetwork.serviceNetworkArn,
    });
    this.connections = new ec2.Connections({ securityGroups });
    this.vpcEndpointId = endpoint.ref;
  }
}

export type ServiceNetworkVpcAssociationProps = ConsumerProps;

/**
 * A service-network VPC association: no addresses from the VPC (resources get addresses from 129.224.0.0/17, routed
 * in the VPC), up to five security groups, usable from inside the VPC only. Those addresses carry no ENI that a
 * security-group reference could name: open it to a client with `allowClient`, which also gives the client egress to
 * the range (`connections.allowFrom` would give egress to the association's groups, which matches nothing).
 */
export class ServiceNetworkVpcAssociation extends Resource implements ec2.IConnectable {
  /** Where VPC Lattice puts an association's addresses (part of the com.amazonaws.<region>.vpc-lattice prefix list). */
  static readonly ADDRESS_RANGE = '129.224.0.0/17';

  /** The `snva-…` ID. @attribute */
  readonly associationId: string;
  readonly connections: ec2.Connections;

  /**
   * Lets a client group in on `port` (the association's ingress) and out to the association's addresses (its egress).
   */
  allowClient(client: ec2.ISecurityGroup, port: ec2.Port, description = `from client ${client.node.id}`): void {
    for (const sg of this.connections.securityGroups) sg.addIngressRule(client, port, description);
    client.addEgressRule(
      ec2.Peer.ipv4(ServiceNetworkVpcAssociation.ADDRESS_RANGE),
      port,
      `to service-network association ${this.node.path}`,
    );
  }

  constructor(scope: Construct, id: string, props: ServiceNetworkVpcAssociationProps) {
    super(scope, id);
    validateProps(this, props, PRIVATE_DNS_RULES);
    if ((props.securityGroups?.length ?? 0) > 5)
      throw new LatticeValidationError(
        this,
        `a VPC association takes at most 5 security groups, got ${props.securityGroups!.length} [LSC-SNVA1]`,
      );
    const securityGroups = ownGroups(
      this,
      props.vpc,
      props.securityGroups,
      `Service-network VPC association ${this.node.path}: inbound from clients only`,
    );
    this.connections = new ec2.Connections({ securityGroups });
    const assoc = new vpclattice.CfnServiceNetworkVpcAssociation(this, 'Resource', {
      // An ID works only for a network of this account; the ARN works for any (a network shared by RAM).
      serviceNetworkIdentifier: props.serviceNetwork.serviceNetworkArn,
      vpcIdentifier: props.vpc.vpcId,
      securityGroupIds: securityGroups.map((sg) => sg.securityGroupId),
      privateDnsEnabled: props.privateDnsEnabled ?? true,
      dnsOptions: dnsOptions(props),
    });
    this.associationId = assoc.attrId;
  }
}
