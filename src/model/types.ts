// The infra model: what the templates would create, with IDs, ARNs, addresses and DNS names allocated the way
// AWS formats them. Built from CloudFormation templates only; check and the twin read it, never YAML or CDK objects.
import type { Deployed, Invitation, OutsideSide, Paid, SeenEndpoint, Unread } from './types-outside.js';
export type * from './types-outside.js';

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
  /** The zone's name in the subnet's account (or its ID, when the template gives only AvailabilityZoneId). */
  readonly az?: string;
  /** The zone's ID (use1-az1): from AvailabilityZoneId, or the facts file's map of the account's zone names. */
  readonly azId?: string;
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

/** One entry of a network ACL: numbered, stateless, matched on the destination port. */
export interface NetworkAclEntry {
  readonly ruleNumber: number;
  /** True for an outbound entry (traffic leaving the subnet). */
  readonly egress: boolean;
  /** 'tcp', 'udp', 'icmp', '-1' (all) or another IANA protocol number. */
  readonly protocol: string;
  readonly action: 'allow' | 'deny';
  /** The IPv4 range; undefined for an IPv6 entry, which matches no address of the IPv4 model. */
  readonly cidr?: string;
  /** Destination ports (0-65535 for all protocols or '-1'). */
  readonly fromPort: number;
  readonly toPort: number;
  readonly source?: Source;
}

/** A network ACL: a VPC's default (allow-all entries 100) or one a template creates (denies all until entries). */
export interface NetworkAcl {
  readonly id: string;
  /** Unknown for an ACL a template references by ID but does not create. */
  readonly vpcId?: string;
  readonly account: string;
  readonly isDefault: boolean;
  /** False for an ACL referenced by ID: its other entries are not in the templates. */
  readonly created: boolean;
  readonly entries: NetworkAclEntry[];
  /** Subnets associated with it (SubnetNetworkAclAssociation); a VPC's other subnets use its default ACL. */
  readonly subnetIds: string[];
  readonly source?: Source;
}

export type EniOwner =
  | { readonly kind: 'instance'; readonly id: string }
  | { readonly kind: 'database'; readonly id: string; readonly cluster: string }
  | { readonly kind: 'gateway'; readonly id: string }
  | { readonly kind: 'endpoint'; readonly id: string };
// A service-network VPC association's addresses (129.224.0.0/17) are modelled as one ENI per zone, owned by the
// association as an 'endpoint': they take connections like endpoint ENIs, with the association's security groups.

export interface Eni {
  readonly id: string;
  readonly subnetId: string;
  /** Unknown when the subnet is not described by any template. */
  readonly vpcId?: string;
  readonly az?: string;
  readonly azId?: string;
  readonly ip?: string;
  /** Further addresses: an endpoint ENI has one per association after the first. */
  readonly secondaryIps: string[];
  readonly securityGroupIds: string[];
  readonly owner: EniOwner;
  /** Off, its zone down (a twin's fault, as `check --twin` reads it): nothing reaches or leaves it. @default false */
  readonly down?: boolean;
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

export interface Configuration extends Deployed {
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
  /**
   * Another account's configuration that a consumer's stack names by ARN (its PARTNER_METADATA): the model knows what
   * the owner told, not its gateway, share or target.
   */
  readonly outside?: OutsideSide;
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
  /** Principals RAM failed to associate (doctor), with why: they are not among `principals`. */
  readonly failedPrincipals?: readonly { readonly principal: string; readonly message?: string }[];
  readonly source: Source;
}

/** A RAM invitation a consumer account accepts at deploy time. */
export interface Acceptance {
  readonly account: string;
  readonly shareArn: string;
  readonly source: Source;
  /** How the model knows, when no AWS SDK call in the templates says it (a custom resource's own code). */
  readonly inferredFrom?: string;
}

export interface EndpointAssociation {
  /** The configuration this association reaches: the endpoint's own, or a child of it. */
  readonly configurationArn: string;
  /** The configuration the endpoint reaches it through: the endpoint's own, or the one a service network carries. */
  readonly parentArn: string;
  /** For service-network paths: the resource association (snra-…) that puts the parent into the network. */
  readonly resourceAssociationId?: string;
  /** The association's public name: resolves to the endpoint's ENIs from anywhere. */
  readonly dnsName: string;
  /** The name private DNS points at the endpoint inside its VPC, when there is one. */
  readonly privateDnsName?: string;
  /** The association's address on each of the endpoint's ENIs, in ENI order. */
  readonly ips: string[];
}

/**
 * How a VPC reaches shared resources: a resource endpoint (one configuration), a service-network endpoint (every
 * configuration of a network, ENIs in the VPC) or a service-network VPC association (addresses from 129.224.0.0/17,
 * usable from inside the VPC only).
 */
export type EndpointType = 'Resource' | 'ServiceNetwork' | 'VpcAssociation';

interface EndpointBase extends Deployed, Paid {
  /** vpce-… for endpoints, snva-… for a VPC association. */
  readonly id: string;
  readonly account: string;
  readonly vpcId: string;
  readonly securityGroupIds: string[];
  readonly eniIds: string[];
  readonly privateDns: boolean;
  readonly privateDnsPreference: string;
  readonly privateDnsSpecifiedDomains: string[];
  readonly associations: EndpointAssociation[];
  readonly source: Source;
}

/** A VPC endpoint of type Resource: it binds to one resource configuration. */
export interface ResourceEndpoint extends EndpointBase {
  readonly type: 'Resource';
  readonly configurationArn: string;
}

/** A service-network endpoint or VPC association: it reaches every configuration associated with the network. */
export interface ServiceNetworkPath extends EndpointBase {
  readonly type: 'ServiceNetwork' | 'VpcAssociation';
  /** The network's ARN (or ID, as the template gives it). */
  readonly serviceNetwork: string;
}

/** Every consumer path is an endpoint: told apart by `type`. */
export type Endpoint = ResourceEndpoint | ServiceNetworkPath;

export interface ServiceNetwork {
  readonly id: string;
  readonly arn: string;
  readonly name: string;
  readonly account: string;
  /** SharingConfig.enabled: whether RAM may share it. */
  readonly sharable: boolean;
  readonly source: Source;
}

/** A service-network resource association: a configuration carried by a network. */
export interface ResourceAssociation extends Deployed {
  readonly id: string;
  readonly account: string;
  /** As the template gives it: an ID (sn-…) or an ARN. */
  readonly serviceNetwork: string;
  /** As the template gives it: AWS takes an ID (rcfg-…) here. */
  readonly configuration: string;
  readonly privateDns: boolean;
  readonly source: Source;
}

/**
 * A name a Route 53 record gives: public (resolves in every VPC) or in a private zone of some VPCs. An A record gives
 * addresses; a CNAME record gives another name (`cname`), and no addresses.
 */
export interface DnsRecord {
  readonly name: string;
  /** The A record's addresses; empty for a CNAME. */
  readonly addresses: string[];
  /** The name a CNAME record points to (without a trailing dot); resolvers follow it. */
  readonly cname?: string;
  /** VPCs of the private hosted zone; undefined for a public zone. */
  readonly vpcIds?: string[];
  /** Seconds, as the record set gives them. */
  readonly ttl?: number;
  readonly source: Source;
}

/** What an instance serves, as its `lattice-share:serves` tag says ("https:443", "http:8080"). */
export interface Service {
  readonly instanceId: string;
  readonly protocol: 'https' | 'http';
  readonly port: number;
  /** Names its certificate carries besides the names records give it (the facts file can say). */
  readonly names?: readonly string[];
  /** Who says so, when not the instance's lattice-share:serves tag: "the facts file facts.yaml". */
  readonly from?: string;
}

/** An EventBridge connection to a private API through a resource configuration. */
export interface Connection {
  readonly id: string;
  readonly arn: string;
  readonly name: string;
  readonly account: string;
  /** InvocationConnectivityParameters.ResourceParameters.ResourceConfigurationArn; undefined for a public API. */
  readonly configurationArn?: string;
  readonly authorization: string;
  /** The header an API key goes in, for API_KEY authorization. */
  readonly apiKeyName?: string;
  readonly source: Source;
}

/** What calls an API through a connection: an EventBridge API destination or a Step Functions HTTP task. */
export interface ApiCall {
  readonly kind: 'api-destination' | 'http-task';
  /** The destination's name, or the state machine's name and the state's. */
  readonly name: string;
  readonly account: string;
  readonly connectionArn: string;
  readonly url: string;
  readonly method: string;
  readonly source: Source;
}

/** A path the templates' author declared (template metadata): these clients must reach through this endpoint. */
export interface Expectation {
  readonly consumer: string;
  readonly endpointId: string;
  /** The resource's own names must work too, through private DNS. */
  readonly privateDns: boolean;
  readonly clients: ({ readonly instanceId: string } | { readonly securityGroupId: string })[];
  /** Service-network paths: the names (and ports) clients use for the network's resources, each to be reachable. */
  readonly names: { readonly name: string; readonly port: number }[];
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
  /** The OU the account sits in directly, from template metadata; undefined when the templates do not say. */
  readonly organizationalUnit?: string;
  /** Another party runs the account (template metadata): it deploys this stack itself. */
  readonly operatedBy?: { readonly party: string; readonly contact?: string };
  /** A stand-in lattice-share made for another company's side (the twin only): whose side. */
  readonly standInFor?: string;
  readonly outputs: Record<string, string>;
}

export interface InfraModel {
  readonly stacks: StackInfo[];
  readonly vpcs: Vpc[];
  readonly subnets: Subnet[];
  readonly securityGroups: SecurityGroup[];
  readonly networkAcls: NetworkAcl[];
  readonly enis: Eni[];
  readonly instances: Instance[];
  readonly databases: Database[];
  readonly gateways: Gateway[];
  readonly configurations: Configuration[];
  readonly shares: Share[];
  readonly acceptances: Acceptance[];
  readonly endpoints: Endpoint[];
  readonly serviceNetworks: ServiceNetwork[];
  readonly resourceAssociations: ResourceAssociation[];
  readonly records: DnsRecord[];
  readonly services: Service[];
  readonly connections: Connection[];
  readonly calls: ApiCall[];
  readonly expectations: Expectation[];
  /** Resource types the model does not represent, with how many of each were skipped. */
  readonly unmodelled: Record<string, number>;
  /** Things the model could not know or had to assume, one line each. */
  readonly warnings: string[];
  /** What could not be read from a live account (doctor): what depends on it is unknown, not absent. */
  readonly unread?: readonly Unread[];
  /** Invitations a live account received and has not accepted (doctor): PENDING, EXPIRED, REJECTED. */
  readonly invitations?: readonly Invitation[];
  /** The endpoints each owner sees on its configurations (doctor), also those of accounts it could not read. */
  readonly seenEndpoints?: readonly SeenEndpoint[];
}
