// An infra model rendered as the AWS APIs would answer for it, account by account, in the SDK's own response shapes
// and in pages of a few items; served to doctor's live loader through real SDK clients whose `send` is replaced by
// aws-sdk-client-mock. What the round-trip test reads back.
import * as ec2 from '@aws-sdk/client-ec2';
import * as rds from '@aws-sdk/client-rds';
import * as ram from '@aws-sdk/client-ram';
import * as lattice from '@aws-sdk/client-vpc-lattice';
import { mockClient } from 'aws-sdk-client-mock';
import { SERVES_TAG, WORKLOAD_TAG } from '../../src/assembly/index.js';
import type { AccountClients, LiveTarget } from '../../src/model/live/index.js';
import type { Eni, InfraModel, SharePrincipal } from '../../src/model/index.js';

const CREDENTIALS = { accessKeyId: 'AKIDTEST', secretAccessKey: 'test-secret-not-used' };

/** Items of a list, a page at a time: the token is the index of the next page's first item. */
function paged<T>(items: T[], size: number, token: string | undefined): { items: T[]; next?: string } {
  const from = Number(token ?? 0);
  const next = from + size < items.length ? String(from + size) : undefined;
  return { items: items.slice(from, from + size), ...(next ? { next } : {}) };
}

/** What one account's APIs answer. */
interface AccountView {
  readonly account: string;
  readonly model: InfraModel;
  readonly vpcIds: Set<string>;
}

const vpcOfEni = (m: InfraModel, e: Eni) => e.vpcId ?? m.subnets.find((s) => s.id === e.subnetId)?.vpcId;

function interfaceOf(m: InfraModel, e: Eni): ec2.NetworkInterface {
  const owner = e.owner;
  return {
    NetworkInterfaceId: e.id,
    SubnetId: e.subnetId,
    VpcId: vpcOfEni(m, e),
    AvailabilityZone: e.az,
    ...(e.azId ? { AvailabilityZoneId: e.azId } : {}),
    PrivateIpAddress: e.ip,
    PrivateIpAddresses: [e.ip, ...e.secondaryIps]
      .filter(Boolean)
      .map((a, i) => ({ PrivateIpAddress: a, Primary: i === 0 })),
    Groups: e.securityGroupIds.map((GroupId) => ({ GroupId })),
    RequesterManaged: owner.kind !== 'instance',
    ...(owner.kind === 'database' ? { Description: 'RDSNetworkInterface' } : {}),
    ...(owner.kind === 'instance' ? { Attachment: { InstanceId: owner.id, DeviceIndex: 0 } } : {}),
  };
}

const principalValue = (p: SharePrincipal) => (p.kind === 'account' ? p.id : p.arn);

type Answers = Record<string, (input: Record<string, unknown>) => unknown[]>;

/** An endpoint's State and LastError, as EC2 gives them ("Code Message" in the model). */
const stateOf = (e: InfraModel['endpoints'][number]) => {
  const [code, ...words] = (e.lastError ?? '').split(' ');
  return {
    State: e.state ?? 'Available',
    ...(e.lastError ? { LastError: { Code: code, Message: words.join(' ') } } : {}),
  };
};

function networkAnswers(v: AccountView): Answers {
  const m = v.model;
  const vpcs = m.vpcs.filter((x) => x.account === v.account);
  const mine = (vpcId?: string) => !!vpcId && v.vpcIds.has(vpcId);
  return {
    Vpcs: () => vpcs.map((x) => ({ VpcId: x.id, CidrBlock: x.cidr, OwnerId: x.account })),
    Subnets: () =>
      m.subnets
        .filter((s) => mine(s.vpcId))
        .map((s) => ({
          SubnetId: s.id,
          VpcId: s.vpcId,
          AvailabilityZone: s.az,
          ...(s.azId ? { AvailabilityZoneId: s.azId } : {}),
          CidrBlock: s.cidr,
        })),
    SecurityGroups: () =>
      m.securityGroups
        .filter((g) => g.account === v.account && g.created)
        .map((g) => ({ GroupId: g.id, VpcId: g.vpcId, OwnerId: g.account, Description: g.description })),
    SecurityGroupRules: () =>
      m.securityGroups
        .filter((g) => g.account === v.account && g.created)
        .flatMap((g) =>
          (['ingress', 'egress'] as const).flatMap((way) =>
            g[way].map((rule) => ({
              GroupId: g.id,
              IsEgress: way === 'egress',
              IpProtocol: rule.protocol,
              FromPort: rule.protocol === '-1' ? -1 : rule.fromPort,
              ToPort: rule.protocol === '-1' ? -1 : rule.toPort,
              ...('cidr' in rule.peer ? { CidrIpv4: rule.peer.cidr } : {}),
              ...('securityGroupId' in rule.peer
                ? { ReferencedGroupInfo: { GroupId: rule.peer.securityGroupId } }
                : {}),
              ...('prefixListId' in rule.peer ? { PrefixListId: rule.peer.prefixListId } : {}),
              ...(rule.description ? { Description: rule.description } : {}),
            })),
          ),
        ),
    NetworkAcls: () =>
      m.networkAcls
        .filter((a) => a.account === v.account && a.created)
        .map((a) => ({
          NetworkAclId: a.id,
          VpcId: a.vpcId,
          OwnerId: a.account,
          IsDefault: a.isDefault,
          Entries: a.entries.map((e) => ({
            RuleNumber: e.ruleNumber,
            Egress: e.egress,
            Protocol: ({ tcp: '6', udp: '17', icmp: '1' } as Record<string, string>)[e.protocol] ?? e.protocol,
            RuleAction: e.action,
            CidrBlock: e.cidr,
            PortRange: { From: e.fromPort, To: e.toPort },
          })),
          Associations: a.subnetIds.map((SubnetId) => ({ SubnetId })),
        })),
  };
}

function hostAnswers(v: AccountView): Answers {
  const m = v.model;
  const mine = (vpcId?: string) => !!vpcId && v.vpcIds.has(vpcId);
  return {
    NetworkInterfaces: () => m.enis.filter((e) => mine(vpcOfEni(m, e))).map((e) => interfaceOf(m, e)),
    Reservations: () =>
      m.instances
        .filter((i) => i.account === v.account)
        .map((i) => {
          const serves = m.services.find((s) => s.instanceId === i.id);
          const tags = [
            { Key: WORKLOAD_TAG, Value: i.name },
            ...(serves ? [{ Key: SERVES_TAG, Value: `${serves.protocol}:${serves.port}` }] : []),
          ];
          return {
            Instances: [
              {
                InstanceId: i.id,
                Tags: tags,
                NetworkInterfaces: [{ NetworkInterfaceId: i.eniId, Attachment: { DeviceIndex: 0 } }],
              },
            ],
          };
        }),
    VpcEndpoints: () =>
      m.endpoints
        .filter((e) => e.account === v.account && e.type !== 'VpcAssociation')
        .map((e) => ({
          VpcEndpointId: e.id,
          VpcEndpointType: e.type,
          VpcId: e.vpcId,
          OwnerId: e.account,
          Groups: e.securityGroupIds.map((GroupId) => ({ GroupId })),
          NetworkInterfaceIds: e.eniIds,
          PrivateDnsEnabled: e.privateDns,
          DnsOptions: {
            PrivateDnsPreference: e.privateDnsPreference,
            PrivateDnsSpecifiedDomains: e.privateDnsSpecifiedDomains,
          },
          ...(e.type === 'Resource'
            ? { ResourceConfigurationArn: e.configurationArn }
            : { ServiceNetworkArn: e.serviceNetwork }),
          ...stateOf(e),
        })),
    VpcEndpointAssociations: (input) =>
      m.endpoints
        .filter((e) => e.account === v.account)
        .filter((e) => !input.VpcEndpointIds || (input.VpcEndpointIds as string[]).includes(e.id))
        .flatMap((e) =>
          e.associations.map((a, k) => ({
            Id: `vpce-rsc-asc-${e.id.slice(5)}${k}`,
            VpcEndpointId: e.id,
            AssociatedResourceArn: a.configurationArn,
            DnsEntry: { DnsName: a.dnsName },
            ...(a.privateDnsName ? { PrivateDnsEntry: { DnsName: a.privateDnsName } } : {}),
          })),
        ),
  };
}

const ec2Answers = (v: AccountView): Answers => ({ ...networkAnswers(v), ...hostAnswers(v) });

function rdsAnswers(v: AccountView) {
  const m = v.model;
  const dbs = m.databases.filter((d) => d.account === v.account && d.created);
  const instancesOf = (d: InfraModel['databases'][number]) =>
    d.eniIds.map((id) => m.enis.find((e) => e.id === id)).filter((e): e is Eni => !!e);
  return {
    DBClusters: () =>
      dbs.map((d) => ({
        DBClusterIdentifier: d.id,
        DBClusterArn: d.arn,
        Engine: d.engine,
        Port: d.port,
        Endpoint: d.writerName,
        ReaderEndpoint: d.readerName,
        MasterUsername: d.masterUser,
        DatabaseName: d.databaseName,
        VpcSecurityGroups: d.securityGroupIds.map((VpcSecurityGroupId) => ({ VpcSecurityGroupId })),
        DBClusterMembers: instancesOf(d).map((e, i) => ({
          DBInstanceIdentifier: e.owner.id,
          IsClusterWriter: i === 0,
        })),
        PubliclyAccessible: d.publiclyAccessible,
      })),
    DBInstances: () =>
      dbs.flatMap((d) =>
        instancesOf(d).map((e) => ({
          DBInstanceIdentifier: e.owner.id,
          DBClusterIdentifier: d.id,
          DBSubnetGroup: { VpcId: d.vpcId, Subnets: instancesOf(d).map((x) => ({ SubnetIdentifier: x.subnetId })) },
        })),
      ),
  };
}

function latticeAnswers(v: AccountView) {
  const m = v.model;
  const configs = m.configurations.filter((c) => c.account === v.account && !c.outside);
  return {
    gateways: () =>
      m.gateways
        .filter((g) => g.account === v.account)
        .map((g) => ({
          id: g.id,
          arn: g.arn,
          name: g.name,
          vpcIdentifier: g.vpcId,
          subnetIds: g.eniIds.map((id) => m.enis.find((e) => e.id === id)?.subnetId ?? ''),
          securityGroupIds: g.securityGroupIds,
          ipAddressType: g.ipAddressType,
          resourceConfigDnsResolution: g.dnsResolution,
        })),
    configurations: () => configs.map((c) => ({ id: c.id, arn: c.arn, name: c.name, type: c.type })),
    seen: (id: string) => {
      const arn = configs.find((c) => c.id === id)?.arn;
      return m.endpoints
        .filter((e) => e.type === 'Resource' && e.configurationArn === arn)
        .map((e) => ({ vpcEndpointId: e.id, vpcEndpointOwner: e.account, resourceConfigurationArn: arn }));
    },
    configuration: (id: string) => {
      const c = configs.find((x) => x.id === id);
      if (!c) return undefined;
      const d = c.definition;
      return {
        id: c.id,
        arn: c.arn,
        name: c.name,
        type: c.type,
        resourceGatewayId: c.gatewayId,
        resourceConfigurationGroupId: c.groupId,
        portRanges: c.portRanges,
        protocol: c.protocol,
        customDomainName: c.customDomain,
        domainVerificationId: c.domainVerificationId,
        groupDomain: c.groupDomain,
        amazonManaged: c.amazonManaged,
        allowAssociationToShareableServiceNetwork: c.allowSharableServiceNetwork,
        ...(d
          ? {
              resourceConfigurationDefinition:
                'arn' in d
                  ? { arnResource: { arn: d.arn } }
                  : 'dns' in d
                    ? { dnsResource: { domainName: d.dns } }
                    : { ipResource: { ipAddress: d.ip } },
            }
          : {}),
      };
    },
  };
}

function ramAnswers(v: AccountView) {
  const m = v.model;
  const shares = m.shares.filter((s) => s.account === v.account);
  return {
    shares: () =>
      shares.map((s) => ({
        resourceShareArn: s.arn,
        name: s.name,
        owningAccountId: s.account,
        allowExternalPrincipals: s.allowExternalPrincipals,
        status: 'ACTIVE',
      })),
    principals: () =>
      shares.flatMap((s) => s.principals.map((p) => ({ id: principalValue(p), resourceShareArn: s.arn }))),
    resources: () => shares.flatMap((s) => s.resourceArns.map((arn) => ({ arn, resourceShareArn: s.arn }))),
    invitations: () => [
      ...(m.invitations ?? [])
        .filter((i) => i.account === v.account)
        .map((i) => ({
          resourceShareInvitationArn: i.arn,
          resourceShareArn: i.shareArn,
          receiverAccountId: i.account,
          status: i.status,
          ...(i.sentAt ? { invitationTimestamp: new Date(i.sentAt) } : {}),
        })),
      ...m.acceptances
        .filter((a) => a.account === v.account)
        .map((a, i) => ({
          resourceShareInvitationArn: `${a.shareArn.replace(':resource-share/', ':resource-share-invitation/')}-${i}`,
          resourceShareArn: a.shareArn,
          receiverAccountId: a.account,
          status: 'ACCEPTED',
        })),
    ],
  };
}

/** An error an account's API gives instead of its answer: `times` calls (default: every call). */
export interface Fault {
  readonly account: string;
  /** The command's name without "Command", e.g. DescribeSubnets. */
  readonly call: string;
  readonly error: Error;
  readonly times?: number;
}

/** An AWS SDK error as the SDK makes it: its name says what went wrong. */
export const awsError = (name: string, message: string): Error =>
  Object.assign(new Error(message), { name, $fault: 'client' });

let faults: Fault[] = [];
const used = new Map<Fault, number>();
/** How long every answer takes (bench:doctor: a real API's round trip). */
let delayMs = 0;

/** The fake for `call` in `account`, failing as the faults say. */
function faulty<I, O>(account: string, call: string, fake: (input: I) => O): (input: I) => O {
  return (input) => {
    const fault = faults.find(
      (f) => f.account === account && f.call === call && (f.times === undefined || (used.get(f) ?? 0) < f.times),
    );
    if (fault) {
      used.set(fault, (used.get(fault) ?? 0) + 1);
      throw fault.error;
    }
    if (!delayMs) return fake(input);
    return new Promise((done) => setTimeout(() => done(fake(input)), delayMs)) as O;
  };
}

/** Every account's clients, each a real SDK client answering for the model; `restore` puts `send` back. */
export function serveModel(
  model: InfraModel,
  pageSize = 3,
  given: Fault[] = [],
  delay = 0,
): { clientsFor: (t: LiveTarget) => AccountClients; restore: () => void } {
  faults = given;
  delayMs = delay;
  used.clear();
  const mocks: { restore(): void }[] = [];
  const made = new Map<string, AccountClients>();
  const clientsFor = (target: LiveTarget): AccountClients => {
    const known = made.get(target.account);
    if (known) return known;
    const v: AccountView = {
      account: target.account,
      model,
      vpcIds: new Set(model.vpcs.filter((x) => x.account === target.account).map((x) => x.id)),
    };
    const config = { region: target.region, credentials: CREDENTIALS };
    const clients = {
      ec2: new ec2.EC2Client(config),
      rds: new rds.RDSClient(config),
      ram: new ram.RAMClient(config),
      lattice: new lattice.VPCLatticeClient(config),
    };
    mocks.push(
      ...serveEc2(clients.ec2, v, pageSize),
      ...serveRds(clients.rds, v, pageSize),
      ...serveRam(clients.ram, v, pageSize),
      ...serveLattice(clients.lattice, v, pageSize),
    );
    made.set(target.account, clients);
    return clients;
  };
  return { clientsFor, restore: () => mocks.forEach((x) => x.restore()) };
}

function serveEc2(client: ec2.EC2Client, v: AccountView, size: number) {
  const mock = mockClient(client);
  const a = ec2Answers(v);
  const list = (key: string) => (input: Record<string, unknown>) => {
    const page = paged(a[key]?.(input) ?? [], size, input.NextToken as string | undefined);
    return { [key]: page.items, ...(page.next ? { NextToken: page.next } : {}) };
  };
  for (const [command, key] of [
    [ec2.DescribeVpcsCommand, 'Vpcs'],
    [ec2.DescribeSubnetsCommand, 'Subnets'],
    [ec2.DescribeSecurityGroupsCommand, 'SecurityGroups'],
    [ec2.DescribeSecurityGroupRulesCommand, 'SecurityGroupRules'],
    [ec2.DescribeNetworkAclsCommand, 'NetworkAcls'],
    [ec2.DescribeNetworkInterfacesCommand, 'NetworkInterfaces'],
    [ec2.DescribeInstancesCommand, 'Reservations'],
    [ec2.DescribeVpcEndpointsCommand, 'VpcEndpoints'],
    [ec2.DescribeVpcEndpointAssociationsCommand, 'VpcEndpointAssociations'],
  ] as const)
    mock.on(command as never).callsFake(faulty(v.account, command.name.replace(/Command$/, ''), list(key)) as never);
  mock.on(ec2.DescribeVpcAttributeCommand).callsFake(
    faulty(v.account, 'DescribeVpcAttribute', (input: ec2.DescribeVpcAttributeCommandInput) => {
      const vpc = v.model.vpcs.find((x) => x.id === input.VpcId);
      return input.Attribute === 'enableDnsSupport'
        ? { EnableDnsSupport: { Value: vpc?.dnsSupport } }
        : { EnableDnsHostnames: { Value: vpc?.dnsHostnames } };
    }) as never,
  );
  return [mock];
}

function serveRds(client: rds.RDSClient, v: AccountView, size: number) {
  const mock = mockClient(client);
  const a = rdsAnswers(v);
  const list = (key: 'DBClusters' | 'DBInstances') => (input: { Marker?: string }) => {
    const page = paged(a[key]() as unknown[], size, input.Marker);
    return { [key]: page.items, ...(page.next ? { Marker: page.next } : {}) };
  };
  mock
    .on(rds.DescribeDBClustersCommand)
    .callsFake(faulty(v.account, 'DescribeDBClusters', list('DBClusters')) as never);
  mock
    .on(rds.DescribeDBInstancesCommand)
    .callsFake(faulty(v.account, 'DescribeDBInstances', list('DBInstances')) as never);
  return [mock];
}

function serveRam(client: ram.RAMClient, v: AccountView, size: number) {
  const mock = mockClient(client);
  const a = ramAnswers(v);
  const list = (key: string, items: () => unknown[]) => (input: { nextToken?: string }) => {
    const page = paged(items(), size, input.nextToken);
    return { [key]: page.items, ...(page.next ? { nextToken: page.next } : {}) };
  };
  mock
    .on(ram.GetResourceSharesCommand)
    .callsFake(faulty(v.account, 'GetResourceShares', list('resourceShares', a.shares)) as never);
  mock
    .on(ram.ListPrincipalsCommand)
    .callsFake(faulty(v.account, 'ListPrincipals', list('principals', a.principals)) as never);
  mock
    .on(ram.ListResourcesCommand)
    .callsFake(faulty(v.account, 'ListResources', list('resources', a.resources)) as never);
  mock
    .on(ram.GetResourceShareInvitationsCommand)
    .callsFake(
      faulty(v.account, 'GetResourceShareInvitations', list('resourceShareInvitations', a.invitations)) as never,
    );
  return [mock];
}

function serveLattice(client: lattice.VPCLatticeClient, v: AccountView, size: number) {
  const mock = mockClient(client);
  const a = latticeAnswers(v);
  const list = (items: () => unknown[]) => (input: { nextToken?: string }) => {
    const page = paged(items(), size, input.nextToken);
    return { items: page.items, ...(page.next ? { nextToken: page.next } : {}) };
  };
  mock
    .on(lattice.ListResourceGatewaysCommand)
    .callsFake(faulty(v.account, 'ListResourceGateways', list(a.gateways)) as never);
  mock.on(lattice.ListResourceEndpointAssociationsCommand).callsFake(
    faulty(
      v.account,
      'ListResourceEndpointAssociations',
      (input: { resourceConfigurationIdentifier: string; nextToken?: string }) => {
        const page = paged(a.seen(input.resourceConfigurationIdentifier), size, input.nextToken);
        return { items: page.items, ...(page.next ? { nextToken: page.next } : {}) };
      },
    ) as never,
  );
  mock
    .on(lattice.ListResourceConfigurationsCommand)
    .callsFake(faulty(v.account, 'ListResourceConfigurations', list(a.configurations)) as never);
  mock
    .on(lattice.GetResourceConfigurationCommand)
    .callsFake(
      faulty(
        v.account,
        'GetResourceConfiguration',
        (input: { resourceConfigurationIdentifier: string }) =>
          a.configuration(input.resourceConfigurationIdentifier) ?? {},
      ) as never,
    );
  return [mock];
}
