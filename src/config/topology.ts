// The validated, resolved intent of a lattice-share.yaml: what to share with whom.
// Plain data; names refer to other entries of the same topology.

export interface Topology {
  /** The file the topology was read from, for messages. */
  readonly source: string;
  /** Prefix of every stack name. */
  readonly name: string;
  readonly region: string;
  readonly organization?: Organization;
  readonly accounts: Account[];
  readonly networks: Network[];
  readonly resources: SharedResource[];
  /** Resources other accounts own and share with ours: lattice-share writes only our side of them. */
  readonly partnerResources: PartnerResource[];
  readonly shares: Share[];
  readonly serviceNetworks: ServiceNetwork[];
  readonly consumers: Consumer[];
  readonly callers: Caller[];
  readonly workloads: Workload[];
}

export interface Organization {
  readonly id: string;
  readonly managementAccount: string;
  readonly arn: string;
}

export interface Account {
  readonly name: string;
  readonly id: string;
  readonly inOrganization: boolean;
  readonly organizationalUnit?: string;
  /** The party that runs the account, when not the config's owner: lattice-share does not deploy there. */
  readonly operatedBy?: { readonly party: string; readonly contact?: string };
  /** Zone name → zone ID in this account, when the config says. */
  readonly zoneIds?: Readonly<Record<string, string>>;
}

interface NetworkBase {
  readonly name: string;
  readonly account: string;
  readonly cidr: string;
  readonly availabilityZones: string[];
}
export interface NewNetwork extends NetworkBase {
  readonly kind: 'new';
  readonly subnetMask: number;
}
export interface ImportedNetwork extends NetworkBase {
  readonly kind: 'imported';
  readonly vpcId: string;
  readonly subnets: { id: string; az: string; cidr: string }[];
  readonly dnsSupport: boolean;
}
export type Network = NewNetwork | ImportedNetwork;

export type Engine = 'aurora-postgresql' | 'aurora-mysql';

export interface CreatedDatabase {
  readonly engineVersion: string;
  readonly instanceType: string;
  readonly readers: number;
  readonly databaseName: string;
  readonly username: string;
  readonly deletionProtection: boolean;
}
export interface ImportedDatabase {
  readonly arn: string;
  readonly clusterIdentifier: string;
  readonly writerEndpoint: string;
  readonly readerEndpoint?: string;
  readonly securityGroupIds: string[];
}

export interface DatabaseResource {
  readonly kind: 'database';
  readonly name: string;
  readonly network: string;
  readonly engine: Engine;
  readonly expose: 'arn' | 'dns';
  readonly port: number;
  readonly create?: CreatedDatabase;
  readonly import?: ImportedDatabase;
  readonly customDomains?: { writer: string; reader?: string };
}

export type Target = { dns: string } | { ip: string };

export interface TcpResource {
  readonly kind: 'tcp';
  readonly name: string;
  readonly network: string;
  readonly target: Target;
  readonly ports: string[];
  readonly customDomain?: string;
  readonly securityGroupIds: string[];
}

export interface GroupResource {
  readonly kind: 'group';
  readonly name: string;
  readonly network: string;
  readonly ports: string[];
  readonly groupDomain?: string;
  readonly securityGroupIds: string[];
  readonly members: { name: string; target: Target; customDomain?: string; ports?: string[] }[];
}

/** A private HTTPS API: what EventBridge and Step Functions call through a resource configuration. */
export interface HttpsResource {
  readonly kind: 'https';
  readonly name: string;
  readonly network: string;
  readonly domain: string;
  readonly port: number;
  readonly customDomain?: string;
  readonly server?: { readonly instanceType: string; readonly hostedZoneId: string };
  readonly securityGroupIds: string[];
}

export type SharedResource = DatabaseResource | TcpResource | GroupResource | HttpsResource;

/** A resource another account owns and shares with us, known by its configuration ARN and what its owner told us. */
export interface PartnerResource {
  readonly kind: 'partner';
  readonly name: string;
  /** The account (by name in the config) that owns it. */
  readonly account: string;
  /** What speaks on its ports: a database engine, or plain TCP. */
  readonly protocol: Engine | 'tcp';
  readonly ports: string[];
  readonly configurationArn: string;
  /** The owner's RAM share, when our accounts accept an invitation for it. */
  readonly shareArn?: string;
  /** arn: a database's own names resolve to our endpoint; dns: the custom domains (or only the endpoint's name). */
  readonly expose: 'arn' | 'dns';
  /** Names our clients use with private DNS, with their ports. */
  readonly names: { readonly role: string; readonly name: string; readonly port: number }[];
}

export type Principal =
  | { readonly kind: 'account'; readonly account: string }
  | { readonly kind: 'ou'; readonly id: string; readonly arn: string }
  | { readonly kind: 'organization'; readonly arn: string };

export interface Share {
  readonly name: string;
  /** The account that owns every resource of the share. */
  readonly owner: string;
  readonly resources: string[];
  readonly principals: Principal[];
  readonly allowExternalPrincipals: boolean;
}

/** A service network in one account that carries resources (its own, or shared with it) to consumers' VPCs. */
export interface ServiceNetwork {
  readonly name: string;
  readonly account: string;
  readonly resources: string[];
  readonly privateDns: boolean;
  readonly principals: Principal[];
  readonly allowExternalPrincipals: boolean;
  /** Shares (of other owners) whose invitations the network's account accepts to receive the resources. */
  readonly acceptShares: string[];
}

export interface Consumer {
  readonly name: string;
  readonly network: string;
  /** What the consumer reaches: one resource through a resource endpoint, or a service network's resources. */
  readonly path:
    | { readonly kind: 'resource-endpoint'; readonly resource: string }
    | { readonly kind: 'service-network'; readonly serviceNetwork: string; readonly via: 'endpoint' | 'association' };
  /** The resources the consumer reaches (one for a resource endpoint). */
  readonly resources: string[];
  readonly privateDns: boolean;
  readonly clientWorkloads: string[];
  readonly clientSecurityGroupIds: string[];
  /** The share through which the consumer's account receives the resource (none in the owner account), or, for a
   * service network, the network (its share is made by the network's stack). */
  readonly share?: string;
  /** True when the consumer account must accept a RAM invitation (outside the organization). */
  readonly acceptInvitation: boolean;
}

/** EventBridge and Step Functions in an account calling a private HTTPS API through its resource configuration. */
export interface Caller {
  readonly name: string;
  readonly account: string;
  readonly resource: string;
  readonly via: ('eventbridge' | 'stepfunctions')[];
  readonly path: string;
  readonly method: string;
  readonly apiKey: { readonly header: string; readonly secretName: string };
  readonly share?: string;
  readonly acceptInvitation: boolean;
}

export interface Workload {
  readonly name: string;
  readonly network: string;
  readonly instanceType: string;
}

export const defaultPort = (engine: Engine): number => (engine === 'aurora-mysql' ? 3306 : 5432);
/** The URL scheme of an engine's connection strings. */
export const schemeOf = (engine: Engine): 'mysql' | 'postgresql' =>
  engine === 'aurora-mysql' ? 'mysql' : 'postgresql';
