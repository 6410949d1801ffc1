// Service networks, as doctor reads them in one account and Region: the networks it owns or was shared, the
// configurations each carries (resource associations) and the VPCs associated with them. A VPC association has no
// interface AWS lists: once every account is read, each gets one stand-in per zone with addresses from AWS's range,
// as the template reader gives it, and the names AWS gives each carried configuration.
// https://docs.aws.amazon.com/vpc-lattice/latest/APIReference/API_ListServiceNetworkResourceAssociations.html
// https://docs.aws.amazon.com/vpc-lattice/latest/APIReference/API_GetServiceNetworkVpcAssociation.html
import {
  GetServiceNetworkCommand,
  GetServiceNetworkVpcAssociationCommand,
  ListServiceNetworkResourceAssociationsCommand,
  ListServiceNetworksCommand,
  ListServiceNetworkVpcAssociationsCommand,
  type GetServiceNetworkCommandOutput,
  type GetServiceNetworkVpcAssociationCommandOutput,
  type ListServiceNetworkResourceAssociationsCommandOutput,
  type ListServiceNetworksCommandOutput,
  type ListServiceNetworkVpcAssociationsCommandOutput,
  type ServiceNetworkResourceAssociationSummary,
  type ServiceNetworkSummary,
} from '@aws-sdk/client-vpc-lattice';
import type { ServiceNetworkPath } from '../types.js';
import { accountOf, NEXT_TOKEN as LATTICE, readEach, type Reading } from './reading.js';
import { keepOwners } from './services.js';
import type { StackResources } from './stacks.js';

/** What is kept until every account is read: what service networks carry, and what was shared with each account. */
export interface Gathered {
  readonly carried: ServiceNetworkResourceAssociationSummary[];
  /** Configurations other accounts share with a read account, with the share (RAM ListResources, OTHER-ACCOUNTS). */
  readonly received: { readonly arn: string; readonly shareArn: string }[];
  /** CloudFormation's stack resources, for drift. */
  readonly stacks: StackResources;
}

/** The networks the account sees, each with what it carries and the account's VPC associations to it. */
export async function readServiceNetworks(r: Reading, gathered: Gathered): Promise<void> {
  type Page = ListServiceNetworksCommandOutput;
  const networks = await r.calls.all<Page, ServiceNetworkSummary>(r.target, 'vpc-lattice', r.clients.lattice, {
    ...LATTICE,
    make: (nextToken) => new ListServiceNetworksCommand({ nextToken }),
    items: (p) => p.items,
  });
  // A network without an ID or ARN cannot be named in the calls that take one (they would list every network's).
  await Promise.all(
    (networks ?? [])
      .filter((sn) => sn.id && sn.arn)
      .map(async (sn) => {
        await Promise.all([readNetwork(r, sn), readCarried(r, sn, gathered), readVpcAssociations(r, sn)]);
      }),
  );
}

/** The network itself, once (the owner and the accounts it is shared with all list it). */
async function readNetwork(r: Reading, sn: ServiceNetworkSummary): Promise<void> {
  const owner = accountOf(sn.arn) === r.target.account;
  if (!sn.id || !sn.arn || (!owner && r.model.serviceNetworks.some((x) => x.arn === sn.arn))) return;
  const got = await r.calls.one<GetServiceNetworkCommandOutput>(
    r.target,
    'vpc-lattice',
    r.clients.lattice,
    new GetServiceNetworkCommand({ serviceNetworkIdentifier: identifier(sn) }),
  );
  keepOwners(
    r.model.serviceNetworks,
    {
      id: sn.id,
      arn: sn.arn ?? '',
      name: sn.name ?? sn.id,
      account: accountOf(sn.arn) ?? r.target.account,
      // AWS's default, as the template reader takes it, when the network could not be read whole.
      sharable: got?.sharingConfig?.enabled ?? true,
      source: r.source(sn.id),
    },
    r.target.account,
  );
}

/** How to name a network in a call: its ARN, which AWS takes for any network (an ID only for the account's own). */
const identifier = (sn: ServiceNetworkSummary) => sn.arn ?? sn.id;

/**
 * The configurations the network carries, with the children of group and ARN configurations (each child's row gives
 * its own names). Which row is the association itself is decided once every configuration is read (placeCarried).
 */
async function readCarried(r: Reading, sn: ServiceNetworkSummary, gathered: Gathered): Promise<void> {
  type Page = ListServiceNetworkResourceAssociationsCommandOutput;
  const rows = await r.calls.all<Page, ServiceNetworkResourceAssociationSummary>(
    r.target,
    'vpc-lattice',
    r.clients.lattice,
    {
      ...LATTICE,
      make: (nextToken) =>
        new ListServiceNetworkResourceAssociationsCommand({
          serviceNetworkIdentifier: identifier(sn),
          includeChildren: true,
          nextToken,
        }),
      items: (p) => p.items,
    },
  );
  for (const row of rows ?? [])
    if (!gathered.carried.some((x) => x.id === row.id && x.resourceConfigurationArn === row.resourceConfigurationArn))
      gathered.carried.push(row);
}

/** The account's own VPC associations to the network, each read whole (the list gives no groups nor DNS options). */
async function readVpcAssociations(r: Reading, sn: ServiceNetworkSummary): Promise<void> {
  type Page = ListServiceNetworkVpcAssociationsCommandOutput;
  const listed = await r.calls.all<Page, NonNullable<Page['items']>[number]>(
    r.target,
    'vpc-lattice',
    r.clients.lattice,
    {
      ...LATTICE,
      make: (nextToken) =>
        new ListServiceNetworkVpcAssociationsCommand({ serviceNetworkIdentifier: identifier(sn), nextToken }),
      items: (p) => p.items,
    },
  );
  const mine = (listed ?? []).filter((a) => accountOf(a.arn) === r.target.account);
  const read = await readEach<(typeof mine)[number], GetServiceNetworkVpcAssociationCommandOutput>(
    r,
    'vpc-lattice',
    r.clients.lattice,
    mine,
    (a) => new GetServiceNetworkVpcAssociationCommand({ serviceNetworkVpcAssociationIdentifier: a.id }),
  );
  for (const a of read) if (a?.id) r.model.endpoints.push(vpcAssociationOf(r, a));
}

function vpcAssociationOf(r: Reading, a: GetServiceNetworkVpcAssociationCommandOutput): ServiceNetworkPath {
  const id = a.id ?? '';
  return {
    id,
    account: accountOf(a.arn) ?? r.target.account,
    vpcId: a.vpcId ?? '',
    type: 'VpcAssociation',
    serviceNetwork: a.serviceNetworkArn ?? a.serviceNetworkId ?? '',
    securityGroupIds: a.securityGroupIds ?? [],
    eniIds: [],
    ...dnsOf(a),
    associations: [],
    ...stateOf(a),
    source: r.source(id),
  };
}

/** Private DNS as the association gives it; on, for verified domains, when it does not say (AWS's defaults). */
const dnsOf = (a: GetServiceNetworkVpcAssociationCommandOutput) => ({
  privateDns: a.privateDnsEnabled ?? true,
  privateDnsPreference: a.dnsOptions?.privateDnsPreference ?? 'VERIFIED_DOMAINS_ONLY',
  privateDnsSpecifiedDomains: a.dnsOptions?.privateDnsSpecifiedDomains ?? [],
});

/** The association's status, and why it failed. */
function stateOf(a: GetServiceNetworkVpcAssociationCommandOutput): { state?: string; lastError?: string } {
  const failure = a.failureMessage ? `${a.failureCode ?? ''} ${a.failureMessage}`.trim() : undefined;
  return { ...(a.status ? { state: a.status } : {}), ...(failure ? { lastError: failure } : {}) };
}
