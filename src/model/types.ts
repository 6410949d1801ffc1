// The infra model: what the templates would create, with IDs, ARNs, addresses and DNS names allocated the way
// AWS formats them. Built from CloudFormation templates only; check and the twin read it, never YAML or CDK objects.

/** Where a model entity comes from. */
export interface Source {
  readonly stack: string;
  readonly logicalId: string;
}

export interface Vpc {
  readonly id: string;
  readonly account: string;
  readonly region: string;
  readonly cidr?: string;
  readonly dnsSupport: boolean;
  readonly dnsHostnames: boolean;
  /** False for a VPC that a template references by ID but does not create. */
  readonly created: boolean;
  readonly source?: Source;
}

export interface Subnet {
  readonly id: string;
  /** Unknown (undefined) for a subnet a template references by ID without describing it. */
  readonly vpcId?: string;
  readonly az?: string;
  readonly cidr?: string;
  readonly created: boolean;
  readonly source?: Source;
}

export type Peer = { readonly cidr: string } | { readonly securityGroupId: string } | { readonly prefixListId: string };

export interface Rule {
  /** 'tcp', 'udp', 'icmp' or '-1' (all). */
  readonly protocol: string;
  readonly fromPort: number;
  readonly toPort: number;
  readonly peer: Peer;
  readonly description?: string;
  readonly source?: Source;
}

export interface SecurityGroup {
  readonly id: string;
  /** Unknown for a group a template references by ID but does not create. */
  readonly vpcId?: string;
  readonly account: string;
  readonly description: string;
  readonly ingress: Rule[];
  readonly egress: Rule[];
  readonly created: boolean;
  readonly source?: Source;
}

export type EniOwner =
  | { readonly kind: 'instance'; readonly id: string }
  | { readonly kind: 'database'; readonly id: string; readonly cluster: string }
  | { readonly kind: 'gateway'; readonly id: string }
  | { readonly kind: 'endpoint'; readonly id: string };

export interface Eni {
  readonly id: string;
  readonly subnetId: string;
  /** Unknown when the subnet is not described by any template. */
  readonly vpcId?: string;
  readonly az?: string;
  readonly ip?: string;
  /** Further addresses: an endpoint ENI has one per association after the first. */
  readonly secondaryIps: string[];
  readonly securityGroupIds: string[];
  readonly owner: EniOwner;
}

export interface Instance {
  readonly id: string;
  readonly name: string;
  readonly account: string;
  readonly eniId: string;
  readonly source: Source;
}

export interface Database {
  readonly id: string;
  readonly arn: string;
  readonly account: string;
  readonly engine: string;
  readonly port: number;
  readonly writerName: string;
  readonly readerName: string;
  readonly masterUser?: string;
  readonly databaseName?: string;
  readonly vpcId?: string;
  readonly securityGroupIds: string[];
  /** One ENI per DB instance; the first is the writer. */
  readonly eniIds: string[];
  readonly publiclyAccessible: boolean;
  /** False for an existing cluster the templates reference by ARN; its instances' placement is unknown. */
  readonly created: boolean;
  readonly source?: Source;
}

export interface Gateway {
  readonly id: string;
  readonly arn: string;
  readonly name: string;
  readonly account: string;
  readonly vpcId: string;
  readonly securityGroupIds: string[];
  /** One ENI per subnet (availability zone). */
  readonly eniIds: string[];
  readonly ipAddressType: string;
  readonly dnsResolution: 'PUBLIC' | 'IN_VPC';
  readonly source: Source;
}

export type Definition = { readonly dns: string } | { readonly ip: string } | { readonly arn: string };

export interface Configuration {
  readonly id: string;
  readonly arn: string;
  readonly name: string;
  readonly account: string;
  readonly type: 'SINGLE' | 'GROUP' | 'CHILD' | 'ARN';
  readonly gatewayId?: string;
  readonly groupId?: string;
  readonly definition?: Definition;
  readonly protocol?: string;
  readonly portRanges: string[];
  readonly customDomain?: string;
  /** The `dv-…` verification of the custom domain, when it is verified. */
  readonly domainVerificationId?: string;
  readonly groupDomain?: string;
  readonly allowSharableServiceNetwork: boolean;
  /** Children AWS creates for an ARN (RDS) configuration: writer and reader, with the cluster's names. */
  readonly amazonManaged: boolean;
  readonly source?: Source;
}

export type SharePrincipal =
  | { readonly kind: 'account'; readonly id: string }
  | { readonly kind: 'ou'; readonly arn: string; readonly id: string }
  | { readonly kind: 'organization'; readonly arn: string; readonly id: string };

export interface Share {
  readonly arn: string;
  readonly name: string;
  readonly account: string;
  readonly resourceArns: string[];
  readonly principals: SharePrincipal[];
  readonly allowExternalPrincipals: boolean;
  readonly source: Source;
}

/** A RAM invitation a consumer account accepts at deploy time. */
export interface Acceptance {
  readonly account: string;
  readonly shareArn: string;
  readonly source: Source;
}

export interface EndpointAssociation {
  /** The configuration this association reaches: the endpoint's own, or a child of it. */
  readonly configurationArn: string;
  /** The association's public name: resolves to the endpoint's ENIs from anywhere. */
  readonly dnsName: string;
  /** The name private DNS points at the endpoint inside its VPC, when there is one. */
  readonly privateDnsName?: string;
  /** The association's address on each of the endpoint's ENIs, in ENI order. */
  readonly ips: string[];
}

export interface Endpoint {
  readonly id: string;
  readonly account: string;
  readonly vpcId: string;
  readonly type: 'Resource';
  readonly configurationArn: string;
  readonly securityGroupIds: string[];
  readonly eniIds: string[];
  readonly privateDns: boolean;
  readonly privateDnsPreference: string;
  readonly privateDnsSpecifiedDomains: string[];
  readonly associations: EndpointAssociation[];
  readonly source: Source;
}

/** A path the templates' author declared (template metadata): these clients must reach through this endpoint. */
export interface Expectation {
  readonly consumer: string;
  readonly endpointId: string;
  /** The resource's own names must work too, through private DNS. */
  readonly privateDns: boolean;
  readonly clients: ({ readonly instanceId: string } | { readonly securityGroupId: string })[];
  readonly source: Source;
}

export interface StackInfo {
  readonly name: string;
  /** The template's file name in the cloud assembly. */
  readonly templateFile?: string;
  readonly account: string;
  readonly region: string;
  /** From template metadata; undefined when the templates do not say. */
  readonly inOrganization?: boolean;
  readonly outputs: Record<string, string>;
}

export interface InfraModel {
  readonly stacks: StackInfo[];
  readonly vpcs: Vpc[];
  readonly subnets: Subnet[];
  readonly securityGroups: SecurityGroup[];
  readonly enis: Eni[];
  readonly instances: Instance[];
  readonly databases: Database[];
  readonly gateways: Gateway[];
  readonly configurations: Configuration[];
  readonly shares: Share[];
  readonly acceptances: Acceptance[];
  readonly endpoints: Endpoint[];
  readonly expectations: Expectation[];
  /** Resource types the model does not represent, with how many of each were skipped. */
  readonly unmodelled: Record<string, number>;
  /** Things the model could not know or had to assume, one line each. */
  readonly warnings: string[];
}
