// An infra model rendered as the AWS APIs would answer for it, account by account, in the SDK's own response shapes
// and in pages of a few items; served to doctor's live loader through real SDK clients whose `send` is replaced by
// aws-sdk-client-mock. What the round-trip test reads back.
import * as cloudformation from '@aws-sdk/client-cloudformation';
import * as ec2 from '@aws-sdk/client-ec2';
import * as events from '@aws-sdk/client-eventbridge';
import * as route53 from '@aws-sdk/client-route-53';
import * as sfn from '@aws-sdk/client-sfn';
import * as rds from '@aws-sdk/client-rds';
import * as ram from '@aws-sdk/client-ram';
import * as lattice from '@aws-sdk/client-vpc-lattice';
import { mockClient } from 'aws-sdk-client-mock';
import { SERVES_TAG, WORKLOAD_TAG } from '../../src/assembly/index.js';
import type { AccountClients, LiveTarget } from '../../src/model/live/index.js';
import type { Eni, InfraModel, SharePrincipal } from '../../src/model/index.js';
import { idOf } from '../../src/model/providers/vpclattice.js';

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
  readonly region: string;
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
    ...(owner.kind === 'gateway'
      ? { Operator: { Managed: true, Principal: 'vpc-lattice.amazonaws.com', HiddenByDefault: true } }
      : {}),
    ...(owner.kind === 'instance' ? { Attachment: { InstanceId: owner.id, DeviceIndex: 0 } } : {}),
  };
}

/** A service network's ARN, from the ID or ARN a template gives. */
const networkArn = (m: InfraModel, named: string) => m.serviceNetworks.find((n) => n.id === idOf(named))?.arn ?? named;

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

/** The account's groups; a VPC's default group as AWS names and describes it. */
function groupAnswers(v: AccountView) {
  return v.model.securityGroups
    .filter((g) => g.account === v.account && g.created)
    .map((g) => ({
      GroupId: g.id,
      VpcId: g.vpcId,
      OwnerId: g.account,
      ...(g.description.startsWith('the default security group of ')
        ? { GroupName: 'default', Description: 'default VPC security group' }
        : { Description: g.description }),
    }));
}

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
    SecurityGroups: () => groupAnswers(v),
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
    // A resource gateway's interfaces are managed, hidden unless asked for (IncludeManagedResources).
    NetworkInterfaces: (input) =>
      m.enis
        .filter((e) => mine(vpcOfEni(m, e)))
        .filter((e) => input.IncludeManagedResources || e.owner.kind !== 'gateway')
        .map((e) => interfaceOf(m, e)),
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
          ...(e.payer
            ? { PayerResponsibilities: [{ Scope: 'resource-gateway-charges', PayerResponsibilityType: e.payer }] }
            : {}),
        })),
    VpcEndpointAssociations: (input) => endpointRows(v, input.VpcEndpointIds as string[] | undefined),
  };
}

/** The associations of the account's endpoints (one per configuration each reaches), with their names. */
function endpointRows(v: AccountView, ids: string[] | undefined) {
  const m = v.model;
  return m.endpoints
    .filter((e) => e.account === v.account)
    .filter((e) => !ids || ids.includes(e.id))
    .flatMap((e) =>
      e.associations.map((a, k) => ({
        Id: `vpce-rsc-asc-${e.id.slice(5)}${k}`,
        VpcEndpointId: e.id,
        AssociatedResourceArn: a.configurationArn,
        ...(a.parentArn !== a.configurationArn ? { ResourceConfigurationGroupArn: a.parentArn } : {}),
        ...(e.type === 'ServiceNetwork' ? { ServiceNetworkArn: networkArn(m, e.serviceNetwork) } : {}),
        DnsEntry: { DnsName: a.dnsName },
        ...(a.privateDnsName ? { PrivateDnsEntry: { DnsName: a.privateDnsName } } : {}),
      })),
    );
}

const ec2Answers = (v: AccountView): Answers => ({ ...networkAnswers(v), ...hostAnswers(v) });

function rdsAnswers(v: AccountView) {
  const m = v.model;
  // A cluster the templates only reference is there, with an instance whose interface the templates do not know.
  const dbs = m.databases.filter((d) => d.account === v.account);
  type Member = { readonly id: string; readonly subnetId?: string };
  const instancesOf = (d: InfraModel['databases'][number]): Member[] =>
    d.created
      ? d.eniIds
          .map((id) => m.enis.find((e) => e.id === id))
          .filter((e): e is Eni => !!e)
          .map((e) => ({ id: e.owner.id, subnetId: e.subnetId }))
      : [{ id: `${d.id}-instance-1` }];
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
        DBClusterMembers: instancesOf(d).map((e, i) => ({ DBInstanceIdentifier: e.id, IsClusterWriter: i === 0 })),
        PubliclyAccessible: d.publiclyAccessible,
      })),
    DBInstances: () =>
      dbs.flatMap((d) =>
        instancesOf(d).map((e) => ({
          DBInstanceIdentifier: e.id,
          DBClusterIdentifier: d.id,
          DBSubnetGroup: {
            VpcId: d.vpcId,
            Subnets: instancesOf(d)
              .filter((x) => x.subnetId)
              .map((x) => ({ SubnetIdentifier: x.subnetId })),
          },
        })),
      ),
  };
}

/** A configuration as GetResourceConfiguration gives it. */
function configurationAnswer(c: InfraModel['configurations'][number]) {
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
}

function latticeAnswers(v: AccountView) {
  const m = v.model;
  // Its own, and those shared with it that its endpoints reach (a consumer sees shared configurations and children).
  const reached = new Set(
    m.endpoints
      .filter((e) => e.account === v.account)
      .flatMap((e) => [
        ...(e.type === 'Resource' ? [e.configurationArn] : []),
        ...e.associations.flatMap((a) => [a.configurationArn, a.parentArn]),
      ]),
  );
  const configs = m.configurations.filter((c) => (c.account === v.account && !c.outside) || reached.has(c.arn));
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
      const arn = configs.find((c) => c.id === id && c.account === v.account)?.arn;
      return m.endpoints
        .filter((e) => e.type === 'Resource' && e.configurationArn === arn)
        .map((e) => ({
          vpcEndpointId: e.id,
          vpcEndpointOwner: e.account,
          resourceConfigurationArn: arn,
          // VPC Lattice says it in its own words (PayerResponsibilityScope, PayerResponsibilityPayer).
          ...(e.payer
            ? {
                payerResponsibility: [
                  {
                    scope: 'ResourceGatewayCharges',
                    payerResponsibilityType:
                      e.payer === 'resource-gateway-account' ? 'ResourceGatewayAccount' : 'VpcEndpointAccount',
                  },
                ],
              }
            : {}),
        }));
    },
    configuration: (id: string) => {
      const c = configs.find((x) => x.id === id);
      return c ? configurationAnswer(c) : undefined;
    },
  };
}

const latticeArn = (v: AccountView, account: string, kind: string, id: string) =>
  `arn:aws:vpc-lattice:${v.region}:${account}:${kind}/${id}`;

/** The service networks an account sees (its own, and those its endpoints use), with what they carry. */
function serviceNetworkAnswers(v: AccountView) {
  const m = v.model;
  const paths = m.endpoints.filter((e) => e.type !== 'Resource');
  const seen = m.serviceNetworks.filter(
    (n) => n.account === v.account || paths.some((e) => e.account === v.account && idOf(e.serviceNetwork) === n.id),
  );
  const associationsOf = (sn: string) =>
    paths.filter((e) => e.type === 'VpcAssociation' && idOf(e.serviceNetwork) === sn);
  const vpcAssociation = (e: (typeof paths)[number]) => ({
    id: e.id,
    arn: latticeArn(v, e.account, 'servicenetworkvpcassociation', e.id),
    vpcId: e.vpcId,
    serviceNetworkId: idOf(e.serviceNetwork),
    serviceNetworkArn: networkArn(m, e.serviceNetwork),
    status: e.state ?? 'ACTIVE',
  });
  return {
    networks: () => seen.map((n) => ({ id: n.id, arn: n.arn, name: n.name })),
    network: (id: string) => {
      const n = m.serviceNetworks.find((x) => x.id === idOf(id));
      return n ? { id: n.id, arn: n.arn, name: n.name, sharingConfig: { enabled: n.sharable } } : {};
    },
    carried: (sn: string, children: boolean) =>
      m.resourceAssociations
        .filter((a) => idOf(a.serviceNetwork) === idOf(sn))
        .flatMap((a) => carriedRows(v, a, children)),
    vpcAssociations: (sn: string) => associationsOf(idOf(sn)).map(vpcAssociation),
    vpcAssociation: (id: string) => {
      const e = paths.find((x) => x.id === id);
      if (!e) return {};
      return {
        ...vpcAssociation(e),
        securityGroupIds: e.securityGroupIds,
        privateDnsEnabled: e.privateDns,
        dnsOptions: {
          privateDnsPreference: e.privateDnsPreference,
          privateDnsSpecifiedDomains: e.privateDnsSpecifiedDomains,
        },
      };
    },
  };
}

/** A resource association's row, and with `children` one row per child of a group or ARN configuration. */
function carriedRows(v: AccountView, a: InfraModel['resourceAssociations'][number], children: boolean) {
  const m = v.model;
  const parent = m.configurations.find((c) => c.id === idOf(a.configuration));
  const leaves =
    parent && parent.type !== 'SINGLE' && children ? m.configurations.filter((c) => c.groupId === parent.id) : [];
  const named = (arn: string) =>
    m.endpoints
      .flatMap((e) => (e.type === 'VpcAssociation' ? e.associations : []))
      .find((x) => x.resourceAssociationId === a.id && x.configurationArn === arn)?.dnsName ??
    `${a.id}.${idOf(arn)}.vpc-lattice-rsc.${v.region}.on.aws`;
  const row = (c: { id: string; arn: string }) => ({
    id: a.id,
    arn: latticeArn(v, a.account, 'servicenetworkresourceassociation', a.id),
    serviceNetworkId: idOf(a.serviceNetwork),
    serviceNetworkArn: networkArn(m, a.serviceNetwork),
    resourceConfigurationId: c.id,
    resourceConfigurationArn: c.arn,
    privateDnsEnabled: a.privateDns,
    status: a.state ?? 'ACTIVE',
    dnsEntry: { domainName: named(c.arn) },
    ...(c !== parent && 'customDomain' in c && c.customDomain
      ? { privateDnsEntry: { domainName: c.customDomain } }
      : {}),
  });
  const own = parent ?? { id: idOf(a.configuration), arn: a.configuration };
  return [row(own), ...leaves.map(row)];
}

/** Whether an account's endpoints reach a configuration (directly, or through a service network). */
const reachedBy = (m: InfraModel, account: string, arn: string) =>
  m.endpoints.some(
    (e) =>
      e.account === account &&
      ((e.type === 'Resource' && e.configurationArn === arn) || e.associations.some((a) => a.parentArn === arn)),
  );

/** Each principal's association, as GetResourceShareAssociations gives it: ASSOCIATED, or FAILED and why. */
function associationRows(shares: InfraModel['shares']) {
  return shares.flatMap((s) => [
    ...s.principals.map((p) => ({
      resourceShareArn: s.arn,
      associatedEntity: principalValue(p),
      associationType: 'PRINCIPAL',
      status: 'ASSOCIATED',
    })),
    ...(s.failedPrincipals ?? []).map((p) => ({
      resourceShareArn: s.arn,
      associatedEntity: p.principal,
      associationType: 'PRINCIPAL',
      status: 'FAILED',
      ...(p.message ? { statusMessage: p.message } : {}),
    })),
  ]);
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
    principals: () => associationRows(shares),
    resources: () => shares.flatMap((s) => s.resourceArns.map((arn) => ({ arn, resourceShareArn: s.arn }))),
    /** What other accounts share with this one: the configurations its endpoints reach, through the owner's share. */
    received: () =>
      m.configurations
        .filter((c) => c.account !== v.account && c.type !== 'CHILD')
        .map((c) => ({
          arn: c.arn,
          resourceShareArn:
            c.outside?.shareArn ??
            m.shares.find(
              (s) =>
                s.resourceArns.includes(c.arn) &&
                m.acceptances.some((a) => a.account === v.account && a.shareArn === s.arn),
            )?.arn,
        }))
        .filter((x) => x.resourceShareArn && reachedBy(m, v.account, x.arn)),
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
      region: target.region,
      model,
      vpcIds: new Set(model.vpcs.filter((x) => x.account === target.account).map((x) => x.id)),
    };
    const config = { region: target.region, credentials: CREDENTIALS };
    const clients = {
      ec2: new ec2.EC2Client(config),
      rds: new rds.RDSClient(config),
      ram: new ram.RAMClient(config),
      lattice: new lattice.VPCLatticeClient(config),
      events: new events.EventBridgeClient(config),
      sfn: new sfn.SFNClient(config),
      route53: new route53.Route53Client(config),
      cloudformation: new cloudformation.CloudFormationClient(config),
    };
    mocks.push(
      ...serveEc2(clients.ec2, v, pageSize),
      ...serveRds(clients.rds, v, pageSize),
      ...serveRam(clients.ram, v, pageSize),
      ...serveLattice(clients.lattice, v, pageSize),
      ...serveCallers(clients.events, clients.sfn, v, pageSize),
      ...serveRoute53(clients.route53, v, pageSize),
      ...serveStacks(clients.cloudformation, v, pageSize),
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
    .on(ram.GetResourceShareAssociationsCommand)
    .callsFake(
      faulty(v.account, 'GetResourceShareAssociations', list('resourceShareAssociations', a.principals)) as never,
    );
  mock
    .on(ram.ListResourcesCommand)
    .callsFake(
      faulty(v.account, 'ListResources', (input: { resourceOwner?: string; nextToken?: string }) =>
        list('resources', input.resourceOwner === 'OTHER-ACCOUNTS' ? a.received : a.resources)(input),
      ) as never,
    );
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
  serveNetworks(mock, v, size);
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

function serveNetworks(mock: ReturnType<typeof mockClient>, v: AccountView, size: number) {
  const a = serviceNetworkAnswers(v);
  const page = (items: unknown[], token?: string) => {
    const got = paged(items, size, token);
    return { items: got.items, ...(got.next ? { nextToken: got.next } : {}) };
  };
  type Input = { serviceNetworkIdentifier: string; includeChildren?: boolean; nextToken?: string };
  mock
    .on(lattice.ListServiceNetworksCommand)
    .callsFake(
      faulty(v.account, 'ListServiceNetworks', (input: Input) => page(a.networks(), input.nextToken)) as never,
    );
  mock
    .on(lattice.GetServiceNetworkCommand)
    .callsFake(
      faulty(v.account, 'GetServiceNetwork', (input: Input) => a.network(input.serviceNetworkIdentifier)) as never,
    );
  mock
    .on(lattice.ListServiceNetworkResourceAssociationsCommand)
    .callsFake(
      faulty(v.account, 'ListServiceNetworkResourceAssociations', (input: Input) =>
        page(a.carried(input.serviceNetworkIdentifier, !!input.includeChildren), input.nextToken),
      ) as never,
    );
  mock
    .on(lattice.ListServiceNetworkVpcAssociationsCommand)
    .callsFake(
      faulty(v.account, 'ListServiceNetworkVpcAssociations', (input: Input) =>
        page(a.vpcAssociations(input.serviceNetworkIdentifier), input.nextToken),
      ) as never,
    );
  mock
    .on(lattice.GetServiceNetworkVpcAssociationCommand)
    .callsFake(
      faulty(
        v.account,
        'GetServiceNetworkVpcAssociation',
        (input: { serviceNetworkVpcAssociationIdentifier: string }) =>
          a.vpcAssociation(input.serviceNetworkVpcAssociationIdentifier),
      ) as never,
    );
}

/** EventBridge connections and API destinations, and state machines with their HTTP tasks (as ASL JSON). */
function callerAnswers(v: AccountView) {
  const m = v.model;
  const connections = m.connections.filter((c) => c.account === v.account);
  const calls = m.calls.filter((c) => c.account === v.account);
  const machines = [...new Set(calls.filter((c) => c.kind === 'http-task').map((c) => c.name.split('/')[0] ?? ''))];
  const definition = (machine: string) => ({
    StartAt: 'Start',
    States: Object.fromEntries(
      calls
        .filter((c) => c.kind === 'http-task' && c.name.startsWith(`${machine}/`))
        .map((c) => [
          c.name.slice(machine.length + 1),
          {
            Type: 'Task',
            Resource: 'arn:aws:states:::http:invoke',
            Parameters: { ApiEndpoint: c.url, Method: c.method, Authentication: { ConnectionArn: c.connectionArn } },
            End: true,
          },
        ]),
    ),
  });
  const machineArn = (name: string) => `arn:aws:states:${v.region}:${v.account}:stateMachine:${name}`;
  return {
    connections: () =>
      connections.map((c) => ({ Name: c.name, ConnectionArn: c.arn, AuthorizationType: c.authorization })),
    connection: (name: string) => {
      const c = connections.find((x) => x.name === name);
      if (!c) return {};
      return {
        Name: c.name,
        ConnectionArn: c.arn,
        ConnectionState: 'ACTIVE',
        AuthorizationType: c.authorization,
        ...(c.apiKeyName ? { AuthParameters: { ApiKeyAuthParameters: { ApiKeyName: c.apiKeyName } } } : {}),
        ...(c.configurationArn
          ? {
              InvocationConnectivityParameters: {
                ResourceParameters: { ResourceConfigurationArn: c.configurationArn },
              },
            }
          : {}),
      };
    },
    destinations: () =>
      calls
        .filter((c) => c.kind === 'api-destination')
        .map((c) => ({
          Name: c.name,
          ConnectionArn: c.connectionArn,
          InvocationEndpoint: c.url,
          HttpMethod: c.method,
        })),
    machines: () => machines.map((name) => ({ name, stateMachineArn: machineArn(name), type: 'STANDARD' })),
    machine: (arn: string) => {
      const name = machines.find((x) => machineArn(x) === arn);
      return name ? { name, stateMachineArn: arn, definition: JSON.stringify(definition(name)) } : {};
    },
  };
}

function serveCallers(eventsClient: events.EventBridgeClient, sfnClient: sfn.SFNClient, v: AccountView, size: number) {
  const a = callerAnswers(v);
  const onEvents = mockClient(eventsClient);
  const onSfn = mockClient(sfnClient);
  const page = (key: string, items: unknown[], token: string | undefined, tokenKey = 'NextToken') => {
    const got = paged(items, size, token);
    return { [key]: got.items, ...(got.next ? { [tokenKey]: got.next } : {}) };
  };
  type Input = { NextToken?: string; nextToken?: string; Name?: string; stateMachineArn?: string };
  onEvents
    .on(events.ListConnectionsCommand)
    .callsFake(
      faulty(v.account, 'ListConnections', (i: Input) => page('Connections', a.connections(), i.NextToken)) as never,
    );
  onEvents
    .on(events.DescribeConnectionCommand)
    .callsFake(faulty(v.account, 'DescribeConnection', (i: Input) => a.connection(i.Name ?? '')) as never);
  onEvents
    .on(events.ListApiDestinationsCommand)
    .callsFake(
      faulty(v.account, 'ListApiDestinations', (i: Input) =>
        page('ApiDestinations', a.destinations(), i.NextToken),
      ) as never,
    );
  onSfn
    .on(sfn.ListStateMachinesCommand)
    .callsFake(
      faulty(v.account, 'ListStateMachines', (i: Input) =>
        page('stateMachines', a.machines(), i.nextToken, 'nextToken'),
      ) as never,
    );
  onSfn
    .on(sfn.DescribeStateMachineCommand)
    .callsFake(faulty(v.account, 'DescribeStateMachine', (i: Input) => a.machine(i.stateMachineArn ?? '')) as never);
  return [onEvents, onSfn];
}

/** The account's records, a zone for each set of VPCs (none: a public zone), as Route 53 lists them. */
function zoneAnswers(v: AccountView) {
  const m = v.model;
  const accountOf = (stack: string) => m.stacks.find((x) => x.name === stack)?.account;
  const records = m.records.filter((x) => accountOf(x.source.stack) === v.account);
  const keyOf = (vpcIds?: string[]) => (vpcIds ? [...vpcIds].sort().join(',') : 'public');
  const keys = [...new Set(records.map((x) => keyOf(x.vpcIds)))];
  const zoneId = (key: string) => `Z${String(keys.indexOf(key)).padStart(20, '0')}`;
  return {
    zones: () =>
      keys.map((key) => ({
        Id: `/hostedzone/${zoneId(key)}`,
        Name: 'example.com.',
        CallerReference: key,
        Config: { PrivateZone: key !== 'public' },
      })),
    zone: (id: string) => {
      const key = keys.find((k) => zoneId(k) === id);
      return {
        HostedZone: { Id: `/hostedzone/${id}`, Name: 'example.com.', CallerReference: key },
        VPCs: key && key !== 'public' ? key.split(',').map((VPCId) => ({ VPCId, VPCRegion: v.region })) : [],
      };
    },
    records: (id: string) =>
      records
        .filter((x) => zoneId(keyOf(x.vpcIds)) === id)
        .map((x) => ({
          Name: `${x.name}.`,
          Type: x.cname ? 'CNAME' : 'A',
          TTL: 60,
          ResourceRecords: (x.cname ? [x.cname] : x.addresses).map((Value) => ({ Value })),
        })),
  };
}

function serveRoute53(client: route53.Route53Client, v: AccountView, size: number) {
  const a = zoneAnswers(v);
  const mock = mockClient(client);
  mock.on(route53.ListHostedZonesCommand).callsFake(
    faulty(v.account, 'ListHostedZones', (i: { Marker?: string }) => {
      const got = paged(a.zones(), size, i.Marker);
      return { HostedZones: got.items, IsTruncated: !!got.next, ...(got.next ? { NextMarker: got.next } : {}) };
    }) as never,
  );
  mock
    .on(route53.GetHostedZoneCommand)
    .callsFake(faulty(v.account, 'GetHostedZone', (i: { Id: string }) => a.zone(i.Id)) as never);
  // Route 53 names the next page by its first record; here that is the record's index, which the loader passes back.
  mock.on(route53.ListResourceRecordSetsCommand).callsFake(
    faulty(v.account, 'ListResourceRecordSets', (i: { HostedZoneId: string; StartRecordName?: string }) => {
      const got = paged(a.records(i.HostedZoneId), size, i.StartRecordName);
      return {
        ResourceRecordSets: got.items,
        IsTruncated: !!got.next,
        ...(got.next ? { NextRecordName: got.next, NextRecordType: 'A' } : {}),
      };
    }) as never,
  );
  return [mock];
}

/** What CloudFormation made of each template resource: here the model's own IDs (ARNs for Lattice and RAM). */
function stackResources(v: AccountView, stack: string) {
  const m = v.model;
  const made = [
    ...m.vpcs.filter((x) => x.created),
    ...m.subnets.filter((x) => x.created),
    ...m.securityGroups.filter((x) => x.created),
    ...m.databases.filter((x) => x.created),
    ...m.instances,
    ...m.endpoints,
    ...m.resourceAssociations,
  ].map((x) => ({ source: x.source, physical: x.id }));
  const byArn = [...m.gateways, ...m.configurations.filter((x) => !x.amazonManaged), ...m.serviceNetworks, ...m.shares];
  return [...made, ...byArn.map((x) => ({ source: x.source, physical: x.arn }))]
    .filter((x) => x.source?.stack === stack)
    .map((x) => ({
      LogicalResourceId: x.source?.logicalId,
      PhysicalResourceId: x.physical,
      ResourceType: 'AWS::Unknown',
      ResourceStatus: 'CREATE_COMPLETE',
      LastUpdatedTimestamp: new Date(0),
    }));
}

function serveStacks(client: cloudformation.CloudFormationClient, v: AccountView, size: number) {
  const mock = mockClient(client);
  mock.on(cloudformation.ListStackResourcesCommand).callsFake(
    faulty(v.account, 'ListStackResources', (i: { StackName: string; NextToken?: string }) => {
      if (!v.model.stacks.some((x) => x.name === i.StackName && x.account === v.account))
        throw awsError('ValidationError', `Stack with id ${i.StackName} does not exist`);
      const got = paged(stackResources(v, i.StackName), size, i.NextToken);
      return { StackResourceSummaries: got.items, ...(got.next ? { NextToken: got.next } : {}) };
    }) as never,
  );
  return [mock];
}
