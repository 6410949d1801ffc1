// RDS: Aurora clusters and their instances (one ENI each), standalone DB instances, subnet groups.
import type { StackState } from '../build.js';
import { flat, hex, Memo } from '../../shared/index.js';
import type { Database } from '../types.js';
import { addEni, groupsOrDefault } from './eni.js';
import { deployed } from '../partners.js';
import { perResource, type Provider, type ServiceProvider } from './provider.js';
import { texts } from './values.js';

const identifier = (s: StackState, id: string, prop: unknown): string =>
  (typeof prop === 'string' ? prop : `${s.stack}-${id}-${hex(`${s.stack}/${id}`, 12)}`)
    .toLowerCase()
    .replace(/[^a-z0-9-]/g, '')
    .slice(0, 63);
/** The random part of RDS endpoint names is per account and region (made once for each: thousands of stacks ask). */
const endpointHashes = new Memo<[string, string], string>();
const endpointHash = (s: StackState) =>
  endpointHashes.get([s.account, s.region], () => hex(`rds/${s.account}/${s.region}`, 12));
/** The VPC of a database's subnets (its subnet group's first). */
const vpcOf = (s: StackState, subnets: string[]): string | undefined => {
  const [first] = subnets;
  return first === undefined ? undefined : s.builder.subnet(first).vpcId;
};

/** The port RDS gives an engine when the template names none (the engines' documented defaults). */
function defaultPort(engine: string): number {
  const name = engine.toLowerCase();
  if (/mysql|maria/.test(name)) return 3306;
  if (name.startsWith('oracle')) return 1521;
  if (name.startsWith('sqlserver')) return 1433;
  if (name.startsWith('db2')) return 50000;
  return 5432;
}

interface ClusterNames {
  readonly ident: string;
  readonly writer: string;
  readonly reader: string;
  readonly arn: string;
}

/** A cluster's identifier, endpoint names and ARN, made once per stack and cluster (every Fn::GetAtt asks). */
const clusterNames = perResource((s, id): ClusterNames => {
  const ident = identifier(s, id, s.property(id, 'DBClusterIdentifier'));
  // A stand-in's cluster keeps the names its owner's has.
  const asDeployed = deployed(s, id);
  return {
    ident,
    writer: asDeployed?.writer ?? flat(`${ident}.cluster-${endpointHash(s)}.${s.region}.rds.amazonaws.com`),
    reader: asDeployed?.reader ?? flat(`${ident}.cluster-ro-${endpointHash(s)}.${s.region}.rds.amazonaws.com`),
    arn: flat(`arn:aws:rds:${s.region}:${s.account}:cluster:${ident}`),
  };
});

/** The master user name, also when it is a dynamic reference to a generated secret's username. */
function masterUser(s: StackState, value: unknown): string | undefined {
  if (typeof value !== 'string') return undefined;
  const ref = /^\{\{resolve:secretsmanager:(.+?):SecretString:username::\}\}$/.exec(value);
  if (!ref) return value;
  return s.builder.stores.secretUsers.get(ref[1] ?? '');
}

function subnetGroup(s: StackState, name: unknown, where: string): string[] {
  const subnets = s.builder.stores.subnetGroups.get(String(name).toLowerCase());
  if (!subnets)
    s.builder.warnOnce(
      `${where}: DB subnet group ${String(name)} is not created by these templates; its instances get no address`,
    );
  return subnets ?? [];
}

const resources: Record<string, Provider> = {
  'AWS::RDS::DBSubnetGroup': {
    ref: (s, id) => identifier(s, id, s.property(id, 'DBSubnetGroupName')),
    build(s, id) {
      s.builder.stores.subnetGroups.set(
        identifier(s, id, s.property(id, 'DBSubnetGroupName')),
        texts(s.property(id, 'SubnetIds'), `${s.stack}/${id}.SubnetIds`),
      );
    },
  },
  'AWS::RDS::DBCluster': {
    ref: (s, id) => clusterNames(s, id).ident,
    attribute(s, id, name) {
      const n = clusterNames(s, id);
      // Only the attribute asked for is made (DBClusterResourceId is a hash).
      switch (name) {
        case 'Endpoint.Address':
          return n.writer;
        case 'Endpoint.Port': {
          const p = s.reader(id);
          return String(p.raw('Port') ?? defaultPort(String(p.raw('Engine'))));
        }
        case 'ReadEndpoint.Address':
          return n.reader;
        case 'DBClusterArn':
          return n.arn;
        case 'DBClusterResourceId':
          return `cluster-${hex(n.arn, 26).toUpperCase()}`;
        default:
          return undefined;
      }
    },
    build(s, id) {
      const p = s.reader(id);
      const n = clusterNames(s, id);
      const engine = p.text('Engine');
      const subnets = subnetGroup(s, p.raw('DBSubnetGroupName'), p.where);
      const db: Database = {
        id: n.ident,
        arn: n.arn,
        account: s.account,
        engine,
        port: Number(p.raw('Port') ?? defaultPort(engine)),
        writerName: n.writer,
        readerName: n.reader,
        masterUser: masterUser(s, p.raw('MasterUsername')),
        databaseName: p.optText('DatabaseName'),
        vpcId: vpcOf(s, subnets),
        securityGroupIds: groupsOrDefault(s, p.texts('VpcSecurityGroupIds'), vpcOf(s, subnets)),
        eniIds: [],
        publiclyAccessible: false,
        created: true,
        source: s.source(id),
      };
      s.builder.stores.clusterSubnets.set(n.ident, subnets);
      s.builder.model.databases.push(db);
    },
  },
  'AWS::RDS::DBInstance': {
    ref: (s, id) => identifier(s, id, s.property(id, 'DBInstanceIdentifier')),
    attribute(s, id, name) {
      const ident = identifier(s, id, s.property(id, 'DBInstanceIdentifier'));
      return (
        {
          'Endpoint.Address': `${ident}.${endpointHash(s)}.${s.region}.rds.amazonaws.com`,
          'Endpoint.Port': String(s.property(id, 'Port') ?? defaultPort(String(s.property(id, 'Engine')))),
        } as Record<string, unknown>
      )[name];
    },
    build(s, id) {
      const p = s.reader(id);
      const ident = identifier(s, id, p.raw('DBInstanceIdentifier'));
      const m = s.builder.model;
      if (p.raw('DBClusterIdentifier') !== undefined) {
        const cluster = s.builder.lookup(
          m.databases,
          'id',
          (d) => d.id,
          String(p.raw('DBClusterIdentifier')).toLowerCase(),
        );
        if (!cluster) {
          s.builder.warnOnce(`${p.where}: cluster ${String(p.raw('DBClusterIdentifier'))} is not in these templates`);
          return;
        }
        const subnets = s.builder.stores.clusterSubnets.get(cluster.id) ?? [];
        if (!subnets.length) return;
        const eni = addEni(
          s,
          subnets[cluster.eniIds.length % subnets.length]!,
          cluster.securityGroupIds,
          { kind: 'database', id: ident, cluster: cluster.id },
          id,
        );
        cluster.eniIds.push(eni.id);
        if (p.bool('PubliclyAccessible', false)) (cluster as { publiclyAccessible: boolean }).publiclyAccessible = true;
        return;
      }
      const engine = p.text('Engine');
      const subnets = subnetGroup(s, p.raw('DBSubnetGroupName'), p.where);
      const name = `${ident}.${endpointHash(s)}.${s.region}.rds.amazonaws.com`;
      const db: Database = {
        id: ident,
        arn: `arn:aws:rds:${s.region}:${s.account}:db:${ident}`,
        account: s.account,
        engine,
        port: Number(p.raw('Port') ?? defaultPort(engine)),
        writerName: name,
        readerName: name,
        masterUser: masterUser(s, p.raw('MasterUsername')),
        databaseName: p.optText('DBName'),
        vpcId: vpcOf(s, subnets),
        securityGroupIds: groupsOrDefault(s, p.texts('VPCSecurityGroups'), vpcOf(s, subnets)),
        eniIds: [],
        publiclyAccessible: p.bool('PubliclyAccessible', false),
        created: true,
        source: s.source(id),
      };
      if (subnets.length)
        db.eniIds.push(
          addEni(s, subnets[0]!, db.securityGroupIds, { kind: 'database', id: ident, cluster: ident }, id).id,
        );
      m.databases.push(db);
    },
  },
};

export const rds: ServiceProvider = {
  service: 'AWS::RDS',
  resources,
  limitations: [
    'Parameter groups, IAM database authentication, TLS requirements, backups and global databases are not read',
    'RDS Proxy is not modelled (VPC Lattice reaches the database without it)',
  ],
};
