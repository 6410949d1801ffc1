// The owner account's stack: networks, databases, one resource gateway per network, configurations, RAM shares.
import { WORKLOAD_TAG, SERVES_TAG } from '../assembly/index.js';
import { CfnOutput, Duration, RemovalPolicy, Stack, Validations, type StackProps } from 'aws-cdk-lib';
import * as route53 from 'aws-cdk-lib/aws-route53';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as rds from 'aws-cdk-lib/aws-rds';
import type { Construct } from 'constructs';
import type {
  DatabaseResource,
  GroupResource,
  HttpsResource,
  ImportedDatabase,
  TcpResource,
  Topology,
} from '../config/index.js';
import {
  portOf,
  ResourceConfiguration,
  ResourceConfigurationGroup,
  ResourceGateway,
  ResourceShare,
  ResourceTarget,
  type IResourceConfiguration,
} from '../constructs/index.js';
import { sharePrincipals } from './principals.js';
import { configurationArnOutput, endpointNameOutput, pascal, shareArnOutput } from './names.js';
import { demoInstance } from './instances.js';
import { buildNetwork, describeImported, type NetworkHandle } from './network.js';
import { configurationParts } from './parts.js';

export interface OwnerStackProps extends StackProps {
  readonly topology: Topology;
  readonly account: string;
  /** Networks of every account by name; this stack adds the ones holding its resources. */
  readonly networks: Map<string, NetworkHandle>;
}

/** Where a resource goes: its network, that network's gateway, and its configurations by part (filled in). */
interface Placement {
  readonly gateway: ResourceGateway;
  readonly net: NetworkHandle;
  readonly parts: Map<string, IResourceConfiguration>;
}

export class OwnerStack extends Stack {
  /** Resource configurations by resource name, then part. */
  readonly configurations = new Map<string, Map<string, IResourceConfiguration>>();

  /** Resources a sharable service network carries: their configurations must allow it. */
  private readonly sharable: Set<string>;

  constructor(scope: Construct, id: string, props: OwnerStackProps) {
    super(scope, id, props);
    const t = props.topology;
    this.sharable = new Set(t.serviceNetworks.filter((n) => n.principals.length).flatMap((n) => n.resources));
    const mine = t.resources.filter((r) => t.networks.find((n) => n.name === r.network)?.account === props.account);
    for (const n of t.networks.filter((x) => mine.some((r) => r.network === x.name)))
      props.networks.set(n.name, buildNetwork(this, n));
    const gateways = new Map<string, ResourceGateway>();
    const gatewayOf = (network: string) => {
      let gw = gateways.get(network);
      if (!gw) {
        const net = props.networks.get(network)!;
        gw = new ResourceGateway(this, `${pascal(network)}Gateway`, {
          vpc: net.vpc,
          vpcSubnets: net.subnets,
          resourceGatewayName: `${network}-gw`,
        });
        gateways.set(network, gw);
        new CfnOutput(this, `${pascal(network)}GatewayId`, {
          value: gw.resourceGatewayId,
          description: `Resource gateway of network ${network}`,
        });
      }
      return gw;
    };

    for (const r of mine) {
      const parts = new Map<string, IResourceConfiguration>();
      this.configurations.set(r.name, parts);
      const placement = { gateway: gatewayOf(r.network), net: props.networks.get(r.network)!, parts };
      if (r.kind === 'database') this.database(r, placement);
      else if (r.kind === 'https') this.https(r, placement);
      else this.tcp(r, placement);
      for (const [part, config] of parts) {
        new CfnOutput(this, configurationArnOutput(r.name, part), {
          value: config.resourceConfigurationArn,
          description: `Resource configuration of ${r.name}${part ? ` (${part})` : ''}: consumers bind their endpoint to it`,
        });
      }
    }

    for (const s of t.shares.filter((x) => x.owner === props.account)) {
      const share = new ResourceShare(this, `${pascal(s.name)}Share`, {
        resourceShareName: s.name,
        allowExternalPrincipals: s.allowExternalPrincipals,
        principals: sharePrincipals(t, s.principals),
      });
      for (const r of s.resources)
        for (const config of this.configurations.get(r)!.values()) share.addResourceConfiguration(config);
      new CfnOutput(this, shareArnOutput(s.name), {
        value: share.resourceShareArn,
        description: `RAM share ${s.name}: consumers outside the organization accept its invitation`,
      });
    }
  }

  private database(r: DatabaseResource, { gateway, net, parts }: Placement): void {
    const id = pascal(r.name);
    const cluster = r.import ? this.importCluster(r, r.import, net.vpc.vpcId) : this.createCluster(r, net);
    new CfnOutput(this, endpointNameOutput(r.name, 'writer'), {
      value: cluster.clusterEndpoint.hostname,
      description: `Writer name of ${r.name}`,
    });
    if (r.create || r.import?.readerEndpoint) {
      new CfnOutput(this, endpointNameOutput(r.name, 'reader'), {
        value: cluster.clusterReadEndpoint.hostname,
        description: `Reader name of ${r.name}`,
      });
    }
    if (r.expose === 'arn') {
      parts.set(
        '',
        new ResourceConfiguration(this, `${id}Configuration`, {
          gateway,
          target: ResourceTarget.rdsCluster(cluster),
          resourceConfigurationName: r.name,
          allowAssociationToSharableServiceNetwork: this.sharable.has(r.name),
        }),
      );
      return;
    }
    cluster.connections.allowDefaultPortFrom(gateway, 'from the resource gateway');
    for (const { part } of configurationParts(r)) {
      const hostname = part === 'reader' ? cluster.clusterReadEndpoint.hostname : cluster.clusterEndpoint.hostname;
      parts.set(
        part,
        new ResourceConfiguration(this, `${id}${pascal(part)}Configuration`, {
          gateway,
          target: ResourceTarget.dns(hostname),
          portRanges: [String(r.port)],
          customDomainName: part === 'reader' ? r.customDomains?.reader : r.customDomains?.writer,
          resourceConfigurationName: `${r.name}-${part}`,
          allowAssociationToSharableServiceNetwork: this.sharable.has(r.name),
        }),
      );
    }
  }

  /** Security groups imported by ID, as `<prefix>1`, `<prefix>2`, …, not assumed to allow all outbound traffic. */
  private importedGroups(prefix: string, securityGroupIds: string[]): ec2.ISecurityGroup[] {
    return securityGroupIds.map((securityGroupId, index) =>
      ec2.SecurityGroup.fromSecurityGroupId(this, `${prefix}${index + 1}`, securityGroupId, {
        allowAllOutbound: false,
      }),
    );
  }

  /** An existing cluster, by its names and security groups; described in the template for the model and the twin. */
  private importCluster(database: DatabaseResource, existing: ImportedDatabase, vpcId: string): rds.IDatabaseCluster {
    const id = pascal(database.name);
    const cluster = rds.DatabaseCluster.fromDatabaseClusterAttributes(this, id, {
      clusterIdentifier: existing.clusterIdentifier,
      clusterEndpointAddress: existing.writerEndpoint,
      readerEndpointAddress: existing.readerEndpoint,
      port: database.port,
      securityGroups: this.importedGroups(`${id}SecurityGroup`, existing.securityGroupIds),
    });
    describeImported(this, {
      databases: {
        [existing.arn]: {
          engine: database.engine,
          port: database.port,
          writerName: existing.writerEndpoint,
          readerName: existing.readerEndpoint,
          vpcId,
          securityGroupIds: existing.securityGroupIds,
        },
      },
    });
    return cluster;
  }

  private createCluster(r: DatabaseResource, net: NetworkHandle): rds.DatabaseCluster {
    const c = r.create!;
    const id = pascal(r.name);
    const engine =
      r.engine === 'aurora-mysql'
        ? rds.DatabaseClusterEngine.auroraMysql({
            version: rds.AuroraMysqlEngineVersion.of(`8.0.mysql_aurora.${c.engineVersion}`, '8.0'),
          })
        : rds.DatabaseClusterEngine.auroraPostgres({
            version: rds.AuroraPostgresEngineVersion.of(c.engineVersion, c.engineVersion.split('.')[0]!),
          });
    const securityGroup = new ec2.SecurityGroup(this, `${id}SecurityGroup`, {
      vpc: net.vpc,
      allowAllOutbound: false,
      description: `Database ${r.name}: inbound from the resource gateway only`,
    });
    const instanceType = new ec2.InstanceType(c.instanceType);
    const cluster = new rds.DatabaseCluster(this, id, {
      engine,
      vpc: net.vpc,
      vpcSubnets: net.subnets,
      securityGroups: [securityGroup],
      port: r.port,
      credentials: rds.Credentials.fromGeneratedSecret(c.username),
      defaultDatabaseName: c.databaseName,
      writer: rds.ClusterInstance.provisioned('writer', { instanceType, publiclyAccessible: false }),
      readers: Array.from({ length: c.readers }, (_, i) =>
        rds.ClusterInstance.provisioned(`reader${i + 1}`, { instanceType, publiclyAccessible: false }),
      ),
      storageEncrypted: true,
      iamAuthentication: true,
      deletionProtection: c.deletionProtection,
      removalPolicy: c.deletionProtection ? RemovalPolicy.SNAPSHOT : RemovalPolicy.DESTROY,
      backtrackWindow: r.engine === 'aurora-mysql' ? Duration.hours(24) : undefined,
      cloudwatchLogsExports: r.engine === 'aurora-mysql' ? ['audit', 'error', 'general', 'slowquery'] : ['postgresql'],
    });
    const v = Validations.of(cluster);
    v.acknowledge({
      id: 'AwsSolutions-RDS11',
      reason:
        "The database is reachable only from the resource gateway's security group; a non-default port adds nothing. Set port: to change it.",
    });
    v.acknowledge({
      id: 'AwsSolutions-SMG4',
      reason:
        'Rotation needs a Secrets Manager endpoint in this isolated VPC; enable it with cluster.addRotationSingleUser() where one exists.',
    });
    return cluster;
  }

  /**
   * A private HTTPS API: a DNS-type configuration for its public name on its port. With `server`, a demo server (an
   * instance tagged with what it serves) and an A record for the name, in a public zone, at the server's private
   * address.
   */
  private https(r: HttpsResource, { gateway, net, parts }: Placement): void {
    const id = pascal(r.name);
    const target = r.server
      ? this.apiServer(r, r.server, net)
      : new ec2.Connections({ securityGroups: this.importedGroups(`${id}TargetSecurityGroup`, r.securityGroupIds) });
    target.allowFrom(gateway, ec2.Port.tcp(r.port), 'HTTPS from the resource gateway');
    parts.set(
      '',
      new ResourceConfiguration(this, `${id}Configuration`, {
        gateway,
        target: ResourceTarget.dns(r.domain),
        portRanges: [String(r.port)],
        customDomainName: r.customDomain,
        resourceConfigurationName: r.name,
        allowAssociationToSharableServiceNetwork: this.sharable.has(r.name),
      }),
    );
  }

  /** The demo server of an HTTPS API and the A record of its name; the connections of the server's security group. */
  private apiServer(
    api: HttpsResource,
    server: NonNullable<HttpsResource['server']>,
    net: NetworkHandle,
  ): ec2.Connections {
    const id = pascal(api.name);
    const { instance, securityGroup } = demoInstance(this, `${id}Server`, {
      net,
      instanceType: server.instanceType,
      securityGroupDescription: `API server ${api.name}: HTTPS from the resource gateway only`,
      tags: { [WORKLOAD_TAG]: `${api.name}-server`, [SERVES_TAG]: `https:${api.port}` },
      accessTo: 'demo server',
      label: 'A demo API server',
    });
    // A public name at a private address: the gateway (PUBLIC resolution) finds it; the internet cannot reach it.
    new route53.CfnRecordSet(this, `${id}Record`, {
      hostedZoneId: server.hostedZoneId,
      name: api.domain,
      type: 'A',
      ttl: '60',
      resourceRecords: [instance.instancePrivateIp],
    });
    new CfnOutput(this, `${id}ServerInstanceId`, {
      value: instance.instanceId,
      description: `API server of ${api.name}: it needs the API and a certificate for ${api.domain} (an AMI of your own; its subnets have no route out)`,
    });
    return securityGroup.connections;
  }

  private tcp(r: TcpResource | GroupResource, { gateway, parts }: Placement): void {
    const id = pascal(r.name);
    const target = r.securityGroupIds.length
      ? new ec2.Connections({ securityGroups: this.importedGroups(`${id}TargetSecurityGroup`, r.securityGroupIds) })
      : undefined;
    const allow = (ip: string | undefined, ranges: string[]) => {
      for (const range of ranges) {
        if (target) target.allowFrom(gateway, portOf(range), 'from the resource gateway');
        else if (ip) gateway.connections.allowTo(ec2.Peer.ipv4(`${ip}/32`), portOf(range), `to ${r.name}`);
      }
    };
    const toTarget = (t: { dns: string } | { ip: string }) =>
      'dns' in t ? ResourceTarget.dns(t.dns) : ResourceTarget.ip(t.ip);
    if (r.kind === 'tcp') {
      parts.set(
        '',
        new ResourceConfiguration(this, `${id}Configuration`, {
          gateway,
          target: toTarget(r.target),
          portRanges: r.ports,
          customDomainName: r.customDomain,
          resourceConfigurationName: r.name,
          allowAssociationToSharableServiceNetwork: this.sharable.has(r.name),
        }),
      );
      allow('ip' in r.target ? r.target.ip : undefined, r.ports);
      return;
    }
    const group = new ResourceConfigurationGroup(this, `${id}Configuration`, {
      gateway,
      portRanges: r.ports,
      groupDomain: r.groupDomain,
      resourceConfigurationName: r.name,
      allowAssociationToSharableServiceNetwork: this.sharable.has(r.name),
    });
    for (const m of r.members) {
      group.addMember(pascal(m.name), {
        target: toTarget(m.target),
        portRanges: m.ports,
        customDomainName: m.customDomain,
        resourceConfigurationName: `${r.name}-${m.name}`,
      });
      allow('ip' in m.target ? m.target.ip : undefined, m.ports ?? r.ports);
    }
    parts.set('', group);
  }
}
