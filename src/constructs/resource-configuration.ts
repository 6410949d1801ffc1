// ResourceConfiguration: what a consumer may reach through a resource gateway (SINGLE, ARN, GROUP, CHILD).
import { Arn, ArnFormat, Fn, IResource, Resource, Token } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import type * as rds from 'aws-cdk-lib/aws-rds';
import { CfnResourceConfiguration } from 'aws-cdk-lib/aws-vpclattice';
import type { Construct } from 'constructs';
import {
  isPortRange,
  known,
  LATTICE_NAME,
  latticeName,
  LatticeValidationError,
  validateProps,
  type PropRule,
} from './common.js';
import type { IResourceGateway } from './resource-gateway.js';

export enum ResourceConfigurationType {
  SINGLE = 'SINGLE',
  GROUP = 'GROUP',
  CHILD = 'CHILD',
  ARN = 'ARN',
}

export interface IResourceConfiguration extends IResource {
  /** @attribute */
  readonly resourceConfigurationArn: string;
  /** The `rcfg-…` ID. Service-network associations take this, not the ARN. @attribute */
  readonly resourceConfigurationId: string;
}

/** What a resource configuration points at. */
export abstract class ResourceTarget {
  /** A domain name, resolved by the gateway (publicly, or in the VPC with GatewayDnsResolution.IN_VPC). */
  static dns(domainName: string, ipAddressType: 'IPV4' | 'IPV6' = 'IPV4'): ResourceTarget {
    return new (class extends ResourceTarget {
      readonly kind = 'dns' as const;
      readonly definition = { dnsResource: { domainName, ipAddressType } };
    })();
  }
  /** A private IP address in the gateway's VPC. */
  static ip(address: string): ResourceTarget {
    return new (class extends ResourceTarget {
      readonly kind = 'ip' as const;
      readonly definition = { ipResource: address };
    })();
  }
  /**
   * An Aurora or RDS cluster, as an ARN-type configuration: consumers with private DNS keep using the cluster's
   * writer and reader names. The gateway is allowed to the cluster's port through `cluster.connections`.
   */
  static rdsCluster(cluster: rds.IDatabaseCluster): ResourceTarget {
    return new (class extends ResourceTarget {
      readonly kind = 'arn' as const;
      readonly definition = { arnResource: cluster.clusterArn };
      override readonly connectable = cluster;
    })();
  }
  /** An RDS DB instance, as an ARN-type configuration. */
  static rdsInstance(instance: rds.IDatabaseInstance): ResourceTarget {
    return new (class extends ResourceTarget {
      readonly kind = 'arn' as const;
      readonly definition = { arnResource: instance.instanceArn };
      override readonly connectable = instance;
    })();
  }
  /** An RDS resource by ARN. Only RDS is supported by AWS for ARN-type configurations. */
  static arn(arn: string): ResourceTarget {
    return new (class extends ResourceTarget {
      readonly kind = 'arn' as const;
      readonly definition = { arnResource: arn };
    })();
  }
  abstract readonly kind: 'dns' | 'ip' | 'arn';
  abstract readonly definition: CfnResourceConfiguration.ResourceConfigurationDefinitionProperty;
  /** The target's security groups, when known: the gateway is then allowed to reach it. */
  readonly connectable?: ec2.IConnectable;
}

interface CommonProps {
  /** @default - derived from the construct path */
  readonly resourceConfigurationName?: string;
  /**
   * Whether consumers may associate this configuration with a service network that is, or may be, shared onward.
   * @default false
   */
  readonly allowAssociationToSharableServiceNetwork?: boolean;
}

export interface ResourceConfigurationProps extends CommonProps {
  /** The gateway through which the target is reached. */
  readonly gateway: IResourceGateway;
  readonly target: ResourceTarget;
  /**
   * TCP ports or ranges consumers may use, such as "5432" or "8000-8010".
   * @default - none for an ARN (RDS) target, which AWS derives from the database; required otherwise
   */
  readonly portRanges?: string[];
  /** A custom domain name consumers can use with private DNS. Cannot be changed later. @default - none */
  readonly customDomainName?: string;
  /** The `dv-…` ID of a verified domain, for `customDomainName`. @default - unverified */
  readonly domainVerificationId?: string;
  /**
   * Allow the gateway to reach the target's security groups on the target's ports.
   * @default true when the target has connections (an RDS cluster or instance)
   */
  readonly allowGatewayToTarget?: boolean;
}

const checkPorts = (p: { portRanges?: string[] }) => (p.portRanges ?? []).some((r) => known(r) && !isPortRange(r));
const RULES: PropRule<ResourceConfigurationProps>[] = [
  {
    id: 'LSC-RC1',
    condition: (p) => p.target.kind === 'arn' && p.portRanges !== undefined,
    message: 'an ARN (RDS) target takes no portRanges: AWS derives the port from the database',
  },
  {
    id: 'LSC-RC2',
    condition: (p) => p.target.kind !== 'arn' && !p.portRanges?.length,
    message: 'portRanges is required for a DNS or IP target, e.g. ["5432"]',
  },
  { id: 'LSC-RC3', condition: checkPorts, message: 'each port range must be "N" or "N-M" within 1-65535' },
  {
    id: 'LSC-RC4',
    condition: (p) => p.target.kind === 'arn' && p.customDomainName !== undefined,
    message: "an ARN (RDS) target takes no customDomainName: consumers use the database's own names with private DNS",
  },
  {
    id: 'LSC-RC5',
    condition: (p) => p.domainVerificationId !== undefined && p.customDomainName === undefined,
    message: 'domainVerificationId needs customDomainName',
  },
  {
    id: 'LSC-RC6',
    condition: (p) =>
      p.resourceConfigurationName !== undefined &&
      known(p.resourceConfigurationName) &&
      !LATTICE_NAME.test(p.resourceConfigurationName),
    message: 'resourceConfigurationName must be 3-40 characters of a-z, 0-9 and single hyphens',
  },
  {
    id: 'LSC-RC7',
    condition: (p) => {
      const d = p.target.definition.arnResource;
      return typeof d === 'string' && known(d) && Arn.split(d, ArnFormat.COLON_RESOURCE_NAME).service !== 'rds';
    },
    message: 'an ARN target must be an RDS database: AWS supports no other service',
  },
];

export interface ResourceConfigurationAttributes {
  readonly resourceConfigurationArn: string;
}

abstract class ResourceConfigurationBase extends Resource implements IResourceConfiguration {
  abstract readonly resourceConfigurationArn: string;
  abstract readonly resourceConfigurationId: string;
}

/** A SINGLE (DNS or IP target) or ARN (RDS) resource configuration. */
export class ResourceConfiguration extends ResourceConfigurationBase {
  static fromResourceConfigurationAttributes(
    scope: Construct,
    id: string,
    attrs: ResourceConfigurationAttributes,
  ): IResourceConfiguration {
    const arn = attrs.resourceConfigurationArn;
    const resourceId = Token.isUnresolved(arn) ? Fn.select(1, Fn.split('/', arn)) : arn.split('/')[1];
    if (!resourceId?.startsWith('rcfg-') && !Token.isUnresolved(arn))
      throw new LatticeValidationError(
        scope,
        `"${arn}" is not a resource configuration ARN (…:resourceconfiguration/rcfg-…)`,
      );
    class Imported extends ResourceConfigurationBase {
      readonly resourceConfigurationArn = arn;
      readonly resourceConfigurationId = resourceId!;
    }
    return new Imported(scope, id);
  }

  readonly resourceConfigurationArn: string;
  readonly resourceConfigurationId: string;
  readonly type: ResourceConfigurationType;

  constructor(scope: Construct, id: string, props: ResourceConfigurationProps) {
    super(scope, id);
    validateProps(this, props, RULES);
    const arn = props.target.kind === 'arn';
    this.type = arn ? ResourceConfigurationType.ARN : ResourceConfigurationType.SINGLE;
    const resource = new CfnResourceConfiguration(this, 'Resource', {
      name: props.resourceConfigurationName ?? latticeName(this),
      resourceConfigurationType: this.type,
      resourceGatewayId: props.gateway.resourceGatewayId,
      resourceConfigurationDefinition: props.target.definition,
      // ARN configurations take neither: the API lists protocol for SINGLE/GROUP and ports for SINGLE/GROUP/CHILD.
      protocolType: arn ? undefined : 'TCP',
      portRanges: props.portRanges,
      customDomainName: props.customDomainName,
      domainVerificationId: props.domainVerificationId,
      allowAssociationToSharableServiceNetwork: props.allowAssociationToSharableServiceNetwork ?? false,
    });
    this.resourceConfigurationArn = resource.attrArn;
    this.resourceConfigurationId = resource.attrId;
    const target = props.target.connectable;
    if (target && (props.allowGatewayToTarget ?? true)) {
      if (target.connections.defaultPort)
        target.connections.allowDefaultPortFrom(props.gateway, `from resource gateway ${props.gateway.node.path}`);
      else
        for (const r of props.portRanges ?? [])
          target.connections.allowFrom(props.gateway, portOf(r), `from resource gateway ${props.gateway.node.path}`);
    }
  }
}

/** An ec2.Port for a port-range string. */
export function portOf(range: string): ec2.Port {
  const [lo, hi] = range.split('-').map(Number);
  return hi === undefined ? ec2.Port.tcp(lo!) : ec2.Port.tcpRange(lo!, hi);
}

export interface ResourceConfigurationGroupProps extends CommonProps {
  readonly gateway: IResourceGateway;
  /** TCP ports or ranges of the group's members. */
  readonly portRanges: string[];
  /** Children's custom domains must be subdomains of it. Cannot be changed later. @default - none */
  readonly groupDomain?: string;
}

export interface GroupMemberOptions {
  /** A DNS or IP target. */
  readonly target: ResourceTarget;
  /** @default - the group's port ranges */
  readonly portRanges?: string[];
  /** @default - none */
  readonly customDomainName?: string;
  /** @default - derived from the construct path */
  readonly resourceConfigurationName?: string;
}

/** A GROUP resource configuration; its members are CHILD configurations. Share and connect to the group. */
export class ResourceConfigurationGroup extends ResourceConfigurationBase {
  readonly resourceConfigurationArn: string;
  readonly resourceConfigurationId: string;
  readonly members: IResourceConfiguration[] = [];
  private readonly groupDomain?: string;

  constructor(scope: Construct, id: string, props: ResourceConfigurationGroupProps) {
    super(scope, id);
    if (!props.portRanges.length || checkPorts(props))
      throw new LatticeValidationError(this, 'portRanges must list ports "N" or ranges "N-M" within 1-65535 [LSC-RC3]');
    this.groupDomain = props.groupDomain;
    const resource = new CfnResourceConfiguration(this, 'Resource', {
      name: props.resourceConfigurationName ?? latticeName(this),
      resourceConfigurationType: ResourceConfigurationType.GROUP,
      resourceGatewayId: props.gateway.resourceGatewayId,
      protocolType: 'TCP',
      portRanges: props.portRanges,
      groupDomain: props.groupDomain,
      allowAssociationToSharableServiceNetwork: props.allowAssociationToSharableServiceNetwork ?? false,
    });
    this.resourceConfigurationArn = resource.attrArn;
    this.resourceConfigurationId = resource.attrId;
    this.node.addValidation({
      validate: () =>
        this.members.length
          ? []
          : ['a resource configuration group needs at least one member: call addMember() [LSC-RC8]'],
    });
  }

  /** Adds a CHILD configuration to the group. */
  addMember(id: string, options: GroupMemberOptions): IResourceConfiguration {
    if (options.target.kind === 'arn')
      throw new LatticeValidationError(this, `member ${id}: group members take DNS or IP targets, not ARNs [LSC-RC9]`);
    if (options.portRanges && checkPorts(options))
      throw new LatticeValidationError(
        this,
        `member ${id}: each port range must be "N" or "N-M" within 1-65535 [LSC-RC3]`,
      );
    const domain = options.customDomainName;
    if (domain && this.groupDomain && known(domain) && !domain.endsWith(`.${this.groupDomain}`)) {
      throw new LatticeValidationError(
        this,
        `member ${id}: customDomainName ${domain} must be a subdomain of the group domain ${this.groupDomain} [LSC-RC10]`,
      );
    }
    const child = new CfnResourceConfiguration(this, id, {
      name: options.resourceConfigurationName ?? latticeName(this, `${id.toLowerCase()}-`),
      resourceConfigurationType: ResourceConfigurationType.CHILD,
      resourceConfigurationGroupId: this.resourceConfigurationId,
      resourceConfigurationDefinition: options.target.definition,
      portRanges: options.portRanges,
      customDomainName: domain,
    });
    const member = ResourceConfiguration.fromResourceConfigurationAttributes(this, `${id}Ref`, {
      resourceConfigurationArn: child.attrArn,
    });
    this.members.push(member);
    return member;
  }
}
