// What the Lattice hop carries in the twin, decided once from the model: for each endpoint ENI's association, its
// listen address, ports, target, gateway ENI, or why AWS would carry nothing (the share, the invitation, the zones).
// Part of the twin's pure plan.
import { downAddresses, unknownIn, zoneKey } from '../model/queries.js';
import type { Configuration, Endpoint, EndpointAssociation, Eni, Gateway, InfraModel } from '../model/index.js';
import { follow, type Zone } from './dns.js';
import type { LatticeRoute, Segment } from './plan.js';

/** Where resource gateways resolve DNS targets: their VPC's resolver (IN_VPC), or public DNS alone (PUBLIC). */
export interface Resolvers {
  readonly segments: Segment[];
  readonly publicZone: Zone;
}

export const gatewayOf = (m: InfraModel, config: Configuration): Gateway | undefined => {
  const parent = config.groupId ? m.configurations.find((c) => c.id === config.groupId) : config;
  return m.gateways.find((g) => g.id === (parent?.gatewayId ?? config.gatewayId));
};

/** Why a resource owned by `owner` is not available to `account` through RAM, if it is not. */
export function sharedWith(
  m: InfraModel,
  arn: string,
  owner: string,
  account: string,
  what: string,
): string | undefined {
  if (owner === account) return undefined;
  const inOrg = m.stacks.find((s) => s.account === account)?.inOrganization;
  const shares = m.shares.filter((s) => s.resourceArns.includes(arn));
  const byOrg = shares.find((s) => s.principals.some((p) => p.kind !== 'account') && inOrg !== false);
  const byAccount = shares.find((s) => s.principals.some((p) => p.kind === 'account' && p.id === account));
  if (!byOrg && !byAccount) return `${what} is not shared with account ${account}`;
  if (!byOrg && inOrg !== true && !byAccount!.allowExternalPrincipals)
    return `share ${byAccount!.name} does not allow principals outside the organization`;
  if (!byOrg && inOrg !== true && !m.acceptances.some((a) => a.account === account && a.shareArn === byAccount!.arn)) {
    return `account ${account} has not accepted the invitation to share ${byAccount!.name}`;
  }
  return undefined;
}

/**
 * Whether Lattice carries an association's traffic at all. A resource endpoint: the configuration is shared with its
 * account and the gateway is in another VPC. A service-network path: the network is shared with its account, the
 * configuration with the network's account, and a sharable network takes only configurations that allow it.
 */
function access(m: InfraModel, endpoint: Endpoint, a: EndpointAssociation): string | undefined {
  const parent = m.configurations.find((c) => c.arn === a.parentArn);
  if (!parent) return `configuration ${a.parentArn} is not in the templates`;
  const gateway = gatewayOf(m, parent);
  if (!gateway) return `gateway ${parent.gatewayId ?? '?'} of ${parent.name} is not in the templates`;
  if (gateway.vpcId === endpoint.vpcId)
    return "the endpoint is in the gateway's own VPC, where AWS creates no resource endpoint";
  if (endpoint.type === 'Resource')
    return sharedWith(m, parent.arn, parent.account, endpoint.account, `configuration ${parent.name}`);
  const snId = endpoint.serviceNetwork.split('/').pop();
  const sn = m.serviceNetworks.find((x) => x.id === snId);
  if (!sn) return `service network ${endpoint.serviceNetwork} is not in the templates`;
  if (
    endpoint.type === 'VpcAssociation' &&
    !endpoint.serviceNetwork.startsWith('arn:') &&
    sn.account !== endpoint.account
  )
    return `association names service network ${sn.name} of another account by ID: AWS refuses it`;
  if (sn.sharable && !parent.allowSharableServiceNetwork)
    return `configuration ${parent.name} does not allow association to a sharable service network: AWS refuses the association`;
  return (
    sharedWith(m, sn.arn, sn.account, endpoint.account, `service network ${sn.name}`) ??
    sharedWith(m, parent.arn, parent.account, sn.account, `configuration ${parent.name}`)
  );
}

/**
 * The gateway ENI an endpoint ENI uses: one in its own zone, else one in a zone the endpoint also has; never one whose
 * zone is down (`live` false: all of them, to say why nothing carries).
 */
function preferredGateway(
  m: InfraModel,
  e: Eni,
  endpoint: Endpoint,
  gateway: Gateway | undefined,
  live = true,
): string | undefined {
  const all = (gateway?.eniIds ?? []).map((id) => m.enis.find((x) => x.id === id)).filter((x): x is Eni => !!x);
  const own = endpoint.eniIds.map((id) => m.enis.find((x) => x.id === id));
  // By zone ID where known; where check cannot compare (names of two accounts), the twin goes by name.
  const key = zoneKey([all, own], endpoint.account === gateway?.account) ?? ((x: Eni) => x.az);
  const zones = new Set(own.map((x) => x && key(x)));
  const gwEnis = all.filter((x) => !(live && x.down));
  return (gwEnis.find((g) => key(g) === key(e)) ?? gwEnis.find((g) => zones.has(key(g))))?.id;
}

/**
 * The target's addresses as the gateway resolves it (at bring-up): with public DNS alone (PUBLIC, the default) or with
 * its VPC's resolver (IN_VPC), CNAMEs followed; an IP target as is. A name with several addresses (a reader name on a
 * cluster with several readers) is spread over them, connection by connection.
 */
export function targetOf(config: Configuration, gateway: Gateway, resolvers: Resolvers): string[] | undefined {
  const d = config.definition;
  if (!d || 'arn' in d || unknownIn('ip' in d ? d.ip : d.dns)) return undefined;
  if ('ip' in d) return [d.ip];
  const zone =
    gateway.dnsResolution === 'IN_VPC'
      ? resolvers.segments.find((s) => s.vpcId === gateway.vpcId)
      : resolvers.publicZone;
  const addresses = zone ? follow(zone, d.dns)?.addresses : undefined;
  return addresses?.length ? addresses : undefined;
}

/**
 * The addresses a gateway spreads connections over: those whose zone is up, unless none is (the reader endpoint
 * balances over the available replicas:
 * https://docs.aws.amazon.com/AmazonRDS/latest/AuroraUserGuide/Aurora.Overview.Endpoints.html).
 */
function liveAddresses(addresses: string[], down: ReadonlySet<string>): string[] {
  const live = down.size ? addresses.filter((ip) => !down.has(ip)) : addresses;
  return live.length ? live : addresses;
}

/** Why no gateway ENI carries an endpoint ENI's flows: no zone in common, or the common zones are down. */
const noZone = (m: InfraModel, e: Eni, endpoint: Endpoint, gateway: Gateway | undefined): string =>
  preferredGateway(m, e, endpoint, gateway, false)
    ? "the gateway's ENIs in the endpoint's zones are down"
    : 'the endpoint and the gateway have no availability zone in common';

export function latticeRoutes(m: InfraModel, e: Eni, resolvers: Resolvers): LatticeRoute[] {
  const endpoint = m.endpoints.find((x) => x.id === e.owner.id)!;
  const index = endpoint.eniIds.indexOf(e.id);
  return endpoint.associations
    .map((a) => {
      const parent = m.configurations.find((c) => c.arn === a.parentArn);
      const gateway = parent && gatewayOf(m, parent);
      const config = m.configurations.find((c) => c.arn === a.configurationArn);
      const d = config?.definition;
      const gatewayEni = preferredGateway(m, e, endpoint, gateway);
      const resolved = config && gateway ? targetOf(config, gateway, resolvers) : undefined;
      const targetIps = resolved && gateway && liveAddresses(resolved, downAddresses(m, gateway.vpcId));
      const why =
        access(m, endpoint, a) ??
        (!d || 'arn' in d ? `no DNS or IP target for ${a.configurationArn}` : undefined) ??
        (!targetIps
          ? `target ${d && 'dns' in d ? d.dns : '?'} does not resolve where the gateway resolves it`
          : undefined) ??
        (!gatewayEni ? noZone(m, e, endpoint, gateway) : undefined);
      return {
        listen: a.ips[index]!,
        ports: (config?.portRanges.length ? config.portRanges : (parent?.portRanges ?? [])).filter(
          (x) => !unknownIn(x),
        ),
        targetIps: targetIps ?? [],
        refused: why,
        gatewayEni,
      };
    })
    .filter((r) => r.listen);
}
