// consumers: a VPC reaching one resource through a resource endpoint, or a service network's resources through a
// service-network endpoint or association; its clients are workloads of the same VPC or security groups.
import type { Path } from '../errors.js';
import type { RawConfig } from '../schema.js';
import type { Account, Consumer, Network, PartnerResource } from '../topology.js';
import type { Context, Resolved } from './context.js';
import { coversThroughOrganization } from './principals.js';

type RawConsumer = RawConfig['consumers'][string];

/** One consumer being resolved: where it is, what it says, and the account of its network. */
interface Entry {
  readonly ctx: Context;
  readonly known: Resolved;
  readonly at: Path;
  readonly name: string;
  readonly raw: RawConsumer;
  readonly network: Network;
  readonly account: Account;
}

type Base = Pick<Consumer, 'name' | 'network' | 'privateDns' | 'clientWorkloads' | 'clientSecurityGroupIds'>;

export function resolveConsumers(ctx: Context, known: Resolved): Consumer[] {
  const consumers: Consumer[] = [];
  const associations = new Map<string, string>();
  for (const [name, raw] of Object.entries(ctx.raw.consumers)) {
    const entry = checkedEntry(ctx, known, name, raw);
    if (!entry) continue;
    const consumer =
      raw.serviceNetwork !== undefined
        ? serviceNetworkConsumer(entry, raw.serviceNetwork, associations)
        : resourceEndpointConsumer(entry, raw.resource ?? '');
    if (consumer) consumers.push(consumer);
  }
  privateDnsClashes(ctx, known, consumers);
  return consumers;
}

/** The checks every consumer takes; the entry to resolve further, or undefined when its network is unusable. */
function checkedEntry(ctx: Context, known: Resolved, name: string, raw: RawConsumer): Entry | undefined {
  const at = ['consumers', name];
  const networkDeclared = ctx.refCheck([...at, 'network'], 'network', raw.network, known.networks.declared);
  if ((raw.resource === undefined) === (raw.serviceNetwork === undefined)) {
    ctx.bad(
      at,
      `consumer "${name}" needs exactly one of resource (a resource endpoint) or serviceNetwork`,
      'add resource: <name>, or serviceNetwork: <name> with via: endpoint | association',
      'key',
    );
    return undefined;
  }
  if (raw.via && !raw.serviceNetwork)
    ctx.bad(
      [...at, 'via'],
      'via applies to service-network consumers only',
      'remove via, or use serviceNetwork: instead of resource:',
      'key',
    );
  checkClients(ctx, known, at, name, raw);
  const network = known.networks.get(raw.network);
  const account = network && known.accounts.get(network.account);
  if (!networkDeclared || !network || !account) return undefined;
  if (raw.privateDns && network.kind === 'imported' && !network.dnsSupport)
    ctx.bad(
      [...at, 'privateDns'],
      `private DNS needs DNS support and DNS hostnames on network "${raw.network}"`,
      'enable both VPC attributes, or set privateDns: false',
    );
  return { ctx, known, at, name, raw, network, account };
}

/** Client workloads are declared and in the consumer's network; a consumer names at least one client. */
function checkClients(ctx: Context, known: Resolved, at: Path, name: string, raw: RawConsumer): void {
  raw.clients.workloads.forEach((workload, i) => {
    const path = [...at, 'clients', 'workloads', i];
    if (!ctx.refCheck(path, 'workload', workload, known.workloads.declared)) return;
    const network = known.workloads.get(workload)?.network;
    if (network && known.networks.declared.has(network) && network !== raw.network)
      ctx.bad(
        path,
        `workload "${workload}" is in network "${network}", not in the consumer's network "${raw.network}"`,
        'list only workloads of the same network: security-group references work inside one VPC',
      );
  });
  if (!raw.clients.workloads.length && !raw.clients.securityGroupIds.length)
    ctx.bad(
      [...at, 'clients'],
      `consumer "${name}" names no clients, so nothing may use its endpoint`,
      'list workloads or securityGroupIds under clients',
      'key',
    );
}

const baseOf = ({ name, raw }: Entry): Base => ({
  name,
  network: raw.network,
  privateDns: raw.privateDns,
  clientWorkloads: raw.clients.workloads,
  clientSecurityGroupIds: raw.clients.securityGroupIds,
});

function serviceNetworkConsumer(
  entry: Entry,
  serviceNetwork: string,
  associations: Map<string, string>,
): Consumer | undefined {
  const { ctx, known, at, name, raw, account } = entry;
  const declared = known.serviceNetworks.declared;
  if (!ctx.refCheck([...at, 'serviceNetwork'], 'service network', serviceNetwork, declared)) return undefined;
  const network = known.serviceNetworks.get(serviceNetwork);
  if (!network) return undefined;
  const via = raw.via ?? 'endpoint';
  if (via === 'association') {
    const other = associations.get(raw.network);
    if (other !== undefined) {
      ctx.bad(
        [...at, 'network'],
        `network "${raw.network}" is already associated with a service network (consumer "${other}"): a VPC takes one service-network association`,
        'use via: endpoint for the second network',
      );
      return undefined;
    }
    associations.set(raw.network, name);
  }
  for (const resource of network.resources) {
    if (known.resources.get(resource)?.network === raw.network)
      ctx.bad(
        [...at, 'network'],
        `network "${raw.network}" holds the gateway of resource "${resource}" of service network "${network.name}": AWS carries nothing to the gateway's own VPC`,
        'reach it directly there, or use another network',
      );
  }
  let accept = false;
  if (account.name !== network.account) {
    const byAccount = network.principals.some((p) => p.kind === 'account' && p.account === account.name);
    const byOrg = network.principals.some((principal) => coversThroughOrganization(principal, account));
    if (!byAccount && !byOrg) {
      ctx.bad(
        [...at, 'serviceNetwork'],
        `account "${account.name}" of consumer "${name}" is not in serviceNetworks.${network.name}.with`,
        `add "${account.name}" to serviceNetworks.${network.name}.with`,
      );
      return undefined;
    }
    accept = !byOrg && !account.inOrganization;
  }
  return {
    ...baseOf(entry),
    path: { kind: 'service-network', serviceNetwork: network.name, via },
    resources: network.resources,
    share: network.name,
    acceptInvitation: accept,
  };
}

function resourceEndpointConsumer(entry: Entry, resourceName: string): Consumer | undefined {
  const { ctx, known, at, name, raw, account } = entry;
  const declared = ctx.refCheck([...at, 'resource'], 'resource', resourceName, known.resources.declared);
  const partner = known.partners.get(resourceName);
  if (partner) return partnerConsumer(entry, partner);
  const resource = known.resources.get(resourceName);
  const gatewayNetwork = resource && known.networks.get(resource.network);
  if (!declared || !resource || !gatewayNetwork) return undefined;
  if (resource.kind === 'https') {
    ctx.bad(
      [...at, 'resource'],
      `resource "${resource.name}" is an HTTPS API for EventBridge and Step Functions; consumers reach databases and TCP services`,
      `call it from callers: { …: { account: ${account.name}, resource: ${resource.name} } }`,
    );
    return undefined;
  }
  if (raw.network === resource.network) {
    ctx.bad(
      [...at, 'network'],
      `consumer "${name}" is in network "${raw.network}", which holds the resource gateway; AWS does not create a resource endpoint in the gateway's own VPC`,
      'clients in the same VPC connect to the resource directly; remove this consumer',
    );
    return undefined;
  }
  const got = known.receipts.receive(resource.name, account, [...at, 'resource'], `consumer "${name}"`);
  if (!got) return undefined;
  const zones = entry.network.availabilityZones;
  if (!zones.some((zone) => gatewayNetwork.availabilityZones.includes(zone)) && account.name === gatewayNetwork.account)
    ctx.bad(
      [...at, 'network'],
      `network "${raw.network}" shares no availability zone with the gateway network "${resource.network}"`,
      'use at least one common zone',
    );
  return {
    ...baseOf(entry),
    path: { kind: 'resource-endpoint', resource: resource.name },
    resources: [resource.name],
    share: got.share?.name,
    acceptInvitation: got.accept,
  };
}

/** A consumer of a resource another account shares with ours: it accepts the owner's invitation, given its share. */
function partnerConsumer(entry: Entry, partner: PartnerResource): Consumer | undefined {
  const { ctx, at, name, account } = entry;
  if (account.name === partner.account) {
    ctx.bad(
      [...at, 'network'],
      `consumer "${name}" is in account "${account.name}", which owns resource "${partner.name}": it is not shared with itself`,
      'consume it from an account it is shared with',
    );
    return undefined;
  }
  return {
    ...baseOf(entry),
    path: { kind: 'resource-endpoint', resource: partner.name },
    resources: [partner.name],
    acceptInvitation: partner.shareArn !== undefined,
  };
}

/** A VPC takes a configuration's private DNS from one path only. */
function privateDnsClashes(ctx: Context, known: Resolved, consumers: Consumer[]): void {
  const serviceEndpointsIn = new Map<string, { consumer: Consumer; serviceNetwork: string }[]>();
  for (const consumer of consumers) {
    const { path } = consumer;
    if (path.kind !== 'service-network' || path.via !== 'endpoint') continue;
    const list = serviceEndpointsIn.get(consumer.network) ?? [];
    serviceEndpointsIn.set(consumer.network, [...list, { consumer, serviceNetwork: path.serviceNetwork }]);
  }
  for (const consumer of consumers) {
    if (!consumer.privateDns || consumer.path.kind !== 'resource-endpoint') continue;
    // On a service-network path the resource association decides private DNS; an ARN database always gets it.
    const reached = consumer.path.resource;
    const resource = known.resources.get(reached);
    const arnDatabase = resource?.kind === 'database' && resource.expose === 'arn';
    const clash = (serviceEndpointsIn.get(consumer.network) ?? []).find(
      (other) =>
        other.consumer.resources.includes(reached) &&
        (arnDatabase || known.serviceNetworks.get(other.serviceNetwork)?.privateDns),
    );
    if (clash)
      ctx.bad(
        ['consumers', consumer.name, 'privateDns'],
        `network "${consumer.network}" reaches resource "${reached}" through consumer "${clash.consumer.name}" (a service-network endpoint) too, both with private DNS: AWS allows only one`,
        `set privateDns: false on one of them, or drop consumer "${consumer.name}"`,
      );
  }
}
