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
  readonly shares: Share[];
  readonly consumers: Consumer[];
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

export type SharedResource = DatabaseResource | TcpResource | GroupResource;

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

export interface Consumer {
  readonly name: string;
  readonly network: string;
  readonly resource: string;
  readonly privateDns: boolean;
  readonly clientWorkloads: string[];
  readonly clientSecurityGroupIds: string[];
  /** The share through which the consumer's account receives the resource (none in the owner account). */
  readonly share?: string;
  /** True when the consumer account must accept a RAM invitation (outside the organization). */
  readonly acceptInvitation: boolean;
}

export interface Workload {
  readonly name: string;
  readonly network: string;
  readonly instanceType: string;
}

export const defaultPort = (engine: Engine): number => (engine === 'aurora-mysql' ? 3306 : 5432);
