// VPC Lattice, RDS, RAM and the VPC endpoints, as doctor reads them in one account and Region.
// https://docs.aws.amazon.com/vpc-lattice/latest/APIReference/API_GetResourceConfiguration.html (ports and definition
// only in Get), https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_DescribeVpcEndpointAssociations.html (the
// only call that gives an endpoint's names), https://docs.aws.amazon.com/ram/latest/APIReference/Welcome.html
import {
  DescribeVpcEndpointAssociationsCommand,
  DescribeVpcEndpointsCommand,
  type DescribeVpcEndpointAssociationsCommandOutput,
  type DescribeVpcEndpointsCommandOutput,
  type VpcEndpoint,
  type VpcEndpointAssociation,
} from '@aws-sdk/client-ec2';
import {
  DescribeDBClustersCommand,
  DescribeDBInstancesCommand,
  type DBCluster,
  type DBInstance,
  type DescribeDBClustersCommandOutput,
  type DescribeDBInstancesCommandOutput,
} from '@aws-sdk/client-rds';
import {
  GetResourceShareInvitationsCommand,
  GetResourceSharesCommand,
  GetResourceShareAssociationsCommand,
  ListResourcesCommand,
  type GetResourceShareInvitationsCommandOutput,
  type GetResourceSharesCommandOutput,
  type GetResourceShareAssociationsCommandOutput,
  type ListResourcesCommandOutput,
} from '@aws-sdk/client-ram';
import {
  GetResourceConfigurationCommand,
  ListResourceConfigurationsCommand,
  ListResourceEndpointAssociationsCommand,
  ListResourceGatewaysCommand,
  type GetResourceConfigurationCommandOutput,
  type ListResourceEndpointAssociationsCommandOutput,
  type ListResourceConfigurationsCommandOutput,
  type ListResourceGatewaysCommandOutput,
  type ResourceGatewaySummary,
} from '@aws-sdk/client-vpc-lattice';
import { principal } from '../providers/ram.js';
import type { Configuration, Invitation, Unread } from '../types.js';
import type { Gathered } from './networks.js';
import { payerOf } from './payer.js';
import { accountOf, ec2List, NEXT_TOKEN as LATTICE, readEach, type Reading } from './reading.js';

/** What RDS says, kept for placing its interfaces. */
export interface RdsFacts {
  readonly clusters: DBCluster[];
  readonly instances: DBInstance[];
}

export async function readGateways(r: Reading): Promise<ResourceGatewaySummary[]> {
  type Page = ListResourceGatewaysCommandOutput;
  return (
    (await r.calls.all<Page, ResourceGatewaySummary>(r.target, 'vpc-lattice', r.clients.lattice, {
      ...LATTICE,
      make: (nextToken) => new ListResourceGatewaysCommand({ nextToken }),
      items: (p) => p.items,
    })) ?? []
  );
}

/** Every configuration the account owns or receives, each read whole (the list gives no ports nor definition). */
export async function readConfigurations(r: Reading): Promise<void> {
  type Page = ListResourceConfigurationsCommandOutput;
  const listed = await r.calls.all<Page, NonNullable<Page['items']>[number]>(
    r.target,
    'vpc-lattice',
    r.clients.lattice,
    {
      ...LATTICE,
      make: (nextToken) => new ListResourceConfigurationsCommand({ nextToken }),
      items: (p) => p.items,
    },
  );
  // The list omits ports and definitions: one Get each, at once (Lattice throttles with 429, which is retried).
  const read = await readEach<(typeof listed & object)[number], GetResourceConfigurationCommandOutput>(
    r,
    'vpc-lattice',
    r.clients.lattice,
    listed,
    (summary) => new GetResourceConfigurationCommand({ resourceConfigurationIdentifier: summary.id }),
  );
  for (const c of read) if (c?.arn) keepOwners(r.model.configurations, configurationOf(r, c), r.target.account);
  const owned = read.filter((c) => accountOf(c?.arn) === r.target.account && !c?.amazonManaged);
  await Promise.all(owned.map((c) => seenEndpoints(r, c?.id ?? '', c?.arn ?? '')));
}

/**
 * Adds what an account read unless another account already did; the owner's copy (its account is the one in the
 * ARN) replaces a consumer's, whichever account was read first: it is whole, and its source is the owner's.
 */
export function keepOwners<T extends { readonly arn: string }>(list: T[], read: T, reader: string): void {
  const at = list.findIndex((x) => x.arn === read.arn);
  if (at < 0) list.push(read);
  else if (accountOf(read.arn) === reader) list[at] = read;
}

/** The endpoints the owner sees on one of its configurations (the call takes one configuration). */
async function seenEndpoints(r: Reading, id: string, arn: string): Promise<void> {
  type Page = ListResourceEndpointAssociationsCommandOutput;
  const seen = await r.calls.all<Page, NonNullable<Page['items']>[number]>(r.target, 'vpc-lattice', r.clients.lattice, {
    ...LATTICE,
    make: (nextToken) =>
      new ListResourceEndpointAssociationsCommand({ resourceConfigurationIdentifier: id, nextToken }),
    items: (p) => p.items,
  });
  const found = (seen ?? []).map((x) => ({
    configurationArn: arn,
    endpointId: x.vpcEndpointId ?? '',
    account: x.vpcEndpointOwner ?? '',
    ...payerOf(x.payerResponsibility?.map((p) => [p.scope, p.payerResponsibilityType])),
  }));
  if (found.length) r.model.seenEndpoints = [...(r.model.seenEndpoints ?? []), ...found];
}

function definitionOf(c: GetResourceConfigurationCommandOutput): Configuration['definition'] {
  const d = c.resourceConfigurationDefinition;
  if (d?.arnResource?.arn) return { arn: d.arnResource.arn };
  if (d?.dnsResource?.domainName) return { dns: d.dnsResource.domainName };
  if (d?.ipResource?.ipAddress) return { ip: d.ipResource.ipAddress };
  return undefined;
}

/** The fields given only when AWS gives them, as the template reader leaves them out. */
function optionalFields(c: GetResourceConfigurationCommandOutput): Partial<Configuration> {
  const pairs: [keyof Configuration, unknown][] = [
    ['gatewayId', c.resourceGatewayId],
    ['groupId', c.resourceConfigurationGroupId],
    ['definition', definitionOf(c)],
    ['protocol', c.protocol],
    ['customDomain', c.customDomainName],
    ['domainVerificationId', c.domainVerificationId],
    ['groupDomain', c.groupDomain],
    ['state', c.status],
    ['lastError', c.failureReason],
  ];
  return Object.fromEntries(pairs.filter(([, value]) => value !== undefined && value !== null));
}

function configurationOf(r: Reading, c: GetResourceConfigurationCommandOutput): Configuration {
  const id = c.id ?? '';
  return {
    id,
    arn: c.arn ?? '',
    name: c.name ?? '',
    account: c.arn?.split(':')[4] ?? r.target.account,
    type: (c.type ?? 'SINGLE') as Configuration['type'],
    ...optionalFields(c),
    portRanges: c.portRanges ?? [],
    allowSharableServiceNetwork: !!c.allowAssociationToShareableServiceNetwork,
    amazonManaged: !!c.amazonManaged,
    source: r.source(id),
  };
}

export async function readRds(r: Reading): Promise<RdsFacts> {
  const next = (p: { Marker?: string }) => p.Marker;
  const clusters = await r.calls.all<DescribeDBClustersCommandOutput, DBCluster>(r.target, 'rds', r.clients.rds, {
    next,
    make: (Marker) => new DescribeDBClustersCommand({ Marker }),
    items: (p) => p.DBClusters,
  });
  const instances = await r.calls.all<DescribeDBInstancesCommandOutput, DBInstance>(r.target, 'rds', r.clients.rds, {
    next,
    make: (Marker) => new DescribeDBInstancesCommand({ Marker }),
    items: (p) => p.DBInstances,
  });
  return { clusters: clusters ?? [], instances: instances ?? [] };
}

/** The shares the account owns, with their principals and resources (two paginated calls, not one per share). */
export async function readShares(r: Reading): Promise<void> {
  type Shares = GetResourceSharesCommandOutput;
  const shares = await r.calls.all<Shares, NonNullable<Shares['resourceShares']>[number]>(
    r.target,
    'ram',
    r.clients.ram,
    {
      ...LATTICE,
      make: (nextToken) => new GetResourceSharesCommand({ resourceOwner: 'SELF', nextToken }),
      items: (p) => p.resourceShares,
    },
  );
  if (!shares) return unreadAs(r, 'shares', 'ram:GetResourceShares');
  const active = shares.filter((s) => s.status === undefined || s.status === 'ACTIVE');
  if (!active.length) return;
  // The principals with their association's status: a FAILED one is no principal, and RAM says why.
  const principals = await r.calls.all<Associations, ResourceShareAssociation>(r.target, 'ram', r.clients.ram, {
    ...LATTICE,
    make: (nextToken) => new GetResourceShareAssociationsCommand({ associationType: 'PRINCIPAL', nextToken }),
    items: (p) => p.resourceShareAssociations,
  });
  const resources = await r.calls.all<
    ListResourcesCommandOutput,
    NonNullable<ListResourcesCommandOutput['resources']>[number]
  >(r.target, 'ram', r.clients.ram, {
    ...LATTICE,
    make: (nextToken) => new ListResourcesCommand({ resourceOwner: 'SELF', nextToken }),
    items: (p) => p.resources,
  });
  // Without its principals or resources a share would say it gives nothing: its account's shares are unread instead.
  if (!principals || !resources)
    return unreadAs(r, 'shares', principals ? 'ram:ListResources' : 'ram:GetResourceShareAssociations');
  for (const s of active) {
    const arn = s.resourceShareArn ?? '';
    const of = principals.filter((p) => p.resourceShareArn === arn && p.associatedEntity);
    const failed = of.filter((p) => p.status === 'FAILED');
    r.model.shares.push({
      arn,
      name: s.name ?? '',
      account: s.owningAccountId ?? r.target.account,
      resourceArns: resources.filter((x) => x.resourceShareArn === arn).map((x) => x.arn ?? ''),
      principals: of.filter((p) => LIVE_PRINCIPAL.has(p.status ?? '')).map((p) => principal(p.associatedEntity ?? '')),
      allowExternalPrincipals: s.allowExternalPrincipals ?? true,
      ...(failed.length ? { failedPrincipals: failed.map(failedOf) } : {}),
      source: r.source(arn.split('/').pop() ?? arn),
    });
  }
}

type Associations = GetResourceShareAssociationsCommandOutput;
type ResourceShareAssociation = NonNullable<Associations['resourceShareAssociations']>[number];

/** Associations that give the principal the share (ASSOCIATING: RAM is at it, as right after a deploy). */
const LIVE_PRINCIPAL = new Set(['ASSOCIATED', 'ASSOCIATING']);

const failedOf = (p: ResourceShareAssociation) => ({
  principal: p.associatedEntity ?? '',
  ...(p.statusMessage ? { message: p.statusMessage } : {}),
});

/** The configurations other accounts share with this one, and through which share (access, once accepted). */
export async function readReceived(r: Reading, gathered: Gathered): Promise<void> {
  type Page = ListResourcesCommandOutput;
  const received = await r.calls.all<Page, NonNullable<Page['resources']>[number]>(r.target, 'ram', r.clients.ram, {
    ...LATTICE,
    make: (nextToken) =>
      new ListResourcesCommand({
        resourceOwner: 'OTHER-ACCOUNTS',
        resourceType: 'vpc-lattice:ResourceConfiguration',
        nextToken,
      }),
    items: (p) => p.resources,
  });
  for (const x of received ?? [])
    if (x.arn && x.resourceShareArn) gathered.received.push({ arn: x.arn, shareArn: x.resourceShareArn });
}

type RamInvitation = NonNullable<GetResourceShareInvitationsCommandOutput['resourceShareInvitations']>[number];

/** The invitations the account received: an accepted one is an acceptance; the others are kept with their status. */
export async function readInvitations(r: Reading): Promise<void> {
  const invitations = await r.calls.all<GetResourceShareInvitationsCommandOutput, RamInvitation>(
    r.target,
    'ram',
    r.clients.ram,
    {
      ...LATTICE,
      make: (nextToken) => new GetResourceShareInvitationsCommand({ nextToken }),
      items: (p) => p.resourceShareInvitations,
    },
  );
  if (!invitations) return unreadAs(r, 'invitations', 'ram:GetResourceShareInvitations');
  for (const i of invitations) {
    const [account, shareArn, arn] = [
      i.receiverAccountId ?? r.target.account,
      i.resourceShareArn ?? '',
      i.resourceShareInvitationArn ?? '',
    ];
    if (i.status === 'ACCEPTED')
      r.model.acceptances.push({
        account,
        shareArn,
        source: r.source(arn.split('/').pop() ?? ''),
        inferredFrom: `RAM invitation ${arn} (ACCEPTED)`,
      });
    else r.model.invitations = [...(r.model.invitations ?? []), invitationOf(i, account, shareArn, arn)];
  }
}

function invitationOf(i: RamInvitation, account: string, shareArn: string, arn: string): Invitation {
  const sentAt = i.invitationTimestamp ? new Date(i.invitationTimestamp).toISOString() : undefined;
  return { arn, account, shareArn, status: i.status ?? 'PENDING', ...(sentAt ? { sentAt } : {}) };
}

/** A part of the account could not be read: what depends on it is unknown (the problem says why). */
function unreadAs(r: Reading, what: Unread['what'], call: string): void {
  const problem = r.calls.problems.find(
    (p) => p.account === r.target.account && p.region === r.target.region && p.call === call,
  );
  r.model.unread = [
    ...(r.model.unread ?? []),
    { account: r.target.account, region: r.target.region, what, call, message: problem?.message ?? '' },
  ];
}

/** The account's resource and service-network endpoints, and each one's associations (its names). */
export async function readEndpoints(r: Reading): Promise<VpcEndpointAssociation[]> {
  type Page = DescribeVpcEndpointsCommandOutput;
  const filter = [{ Name: 'vpc-endpoint-type', Values: ['Resource', 'ServiceNetwork'] }];
  const endpoints = await ec2List<Page, VpcEndpoint>(
    r,
    (NextToken) => new DescribeVpcEndpointsCommand({ NextToken, MaxResults: 1000, Filters: filter }),
    (p) => p.VpcEndpoints,
  );
  r.vpcEndpoints.push(...(endpoints ?? []));
  if (!endpoints?.length) return [];
  type Associations = DescribeVpcEndpointAssociationsCommandOutput;
  // No paginator in the SDK for this one: the same loop by hand, every association of the account (not a list of IDs,
  // which would bound the request's size); the rows name their endpoints.
  const ids = new Set(endpoints.map((e) => e.VpcEndpointId ?? ''));
  const rows = await ec2List<Associations, VpcEndpointAssociation>(
    r,
    (NextToken) => new DescribeVpcEndpointAssociationsCommand({ NextToken, MaxResults: 1000 }),
    (p) => p.VpcEndpointAssociations,
  );
  return (rows ?? []).filter((row) => ids.has(row.VpcEndpointId ?? ''));
}
