// From the endpoint ENI that took the connection to the gateway: the endpoint's ingress, the share, the port
// ranges and the zone; then beyond the gateway (target.ts).
import { unknownIn, zoneKey, type Configuration, type Endpoint, type Eni, type Gateway } from '../../model/index.js';
import { allows, inRanges, where, type Facts, type Party } from '../facts.js';
import type { Hop } from '../types.js';
import { carriesTraffic } from '../deployed.js';
import { block, pass, sgHop, unknown, wantedPeer } from './hops.js';
import { CLIENT_EPHEMERAL, CLIENT_REPLIES, pushNacl } from './nacl.js';
import { outsideHop, shareHop } from './share.js';
import { beyondGateway } from './target.js';

/** From the endpoint ENI that took the connection to the listener: the endpoint's ingress, then the owner side. */
export function latticeHops(f: Facts, client: Party, endpointEni: Eni, address: string, port: number): Hop[] {
  const sgs = endpointEni.securityGroupIds;
  const ingress = sgHop(f, 'endpoint-ingress', allows(f, sgs, 'ingress', port, client, endpointEni), sgs, () => {
    const group = client.securityGroupIds[0];
    return {
      text: `tcp ${port} from ${client.ip ?? client.securityGroupIds.join(', ')}${group ? ` (${group})` : ''}`,
      want: { port, peer: wantedPeer(client.securityGroupIds, client.ip, client.vpcCidr ?? '0.0.0.0/0') },
    };
  });
  const hops: Hop[] = [];
  // A VPC association's addresses are in no subnet of the VPC: no ACL of the endpoint's side applies.
  if (!f.isAssociation(endpointEni))
    pushNacl(hops, f, {
      hop: 'endpoint-nacl',
      subnetId: endpointEni.subnetId,
      vpcId: client.vpcId,
      request: 'in',
      peer: client.ip ?? client.vpcCidr ?? '0.0.0.0/0',
      peerSubnetId: client.subnetId,
      port,
      replyTo: CLIENT_REPLIES,
      replyPorts: CLIENT_EPHEMERAL,
    });
  hops.push(ingress);
  // What follows does not depend on the client: worked out once per endpoint address and port.
  for (const hop of f.ownerSides.get([port, address, endpointEni.id], () => ownerSide(f, endpointEni, address, port)))
    hops.push(hop);
  return hops;
}

function ownerSide(f: Facts, endpointEni: Eni, address: string, port: number): Hop[] {
  // An ENI the model gives an endpoint owner belongs to an endpoint of the model.
  const endpoint = f.endpoints.get(endpointEni.owner.id)!;
  const index = endpoint.eniIds.indexOf(endpointEni.id);
  const association = endpoint.associations.find((a) => a.ips[index] === address);
  // An endpoint AWS says is not available carries nothing, whatever else holds (doctor reads its state).
  const state = endpointStateHop(f, endpoint);
  const hops = ownerSideOf(f, endpoint, endpointEni, association, port);
  return state ? [state, ...hops] : hops;
}

/** The owner's side of an association: the share, the port, the zone, and what lies beyond the gateway. */
function ownerSideOf(
  f: Facts,
  endpoint: Endpoint,
  endpointEni: Eni,
  association: Endpoint['associations'][number] | undefined,
  port: number,
): Hop[] {
  const parentArn = association?.parentArn ?? (endpoint.type === 'Resource' ? endpoint.configurationArn : '?');
  const parent = f.configurations.get(parentArn);
  const gateway = parent?.gatewayId ? f.gateways.get(parent.gatewayId) : undefined;
  const config = association ? f.configurations.get(association.configurationArn) : undefined;
  // Each hop is worked out once for what it depends on: the share for the endpoint and the configuration it names, the
  // port for the port and the configurations, the zone for the endpoint's ENI and the gateway.
  const share = f.shareHops.get([parentArn, endpoint.id], () =>
    // Another account's configuration: our acceptance, then theirs to confirm.
    parent?.outside
      ? outsideHop(f, endpoint, { ...parent, outside: parent.outside })
      : shareHop(f, endpoint, parentArn, parent, gateway),
  );
  const ports = f.portRangeHops.get([port, parentArn, config?.arn ?? ''], () => portRangeHop(f, port, config, parent));
  const hops = [share, ports];
  if (parent?.outside || !gateway) return hops;
  const { eni: gatewayEni, hop: az } = f.gatewayEnis.get([gateway.id, endpointEni.id], () =>
    gatewayEniOf(f, endpoint, endpointEni, gateway),
  );
  hops.push(az);
  if (!gatewayEni) return hops;
  // Beyond the gateway depends on the target, the gateway's ENI and the port only: worked out once for all endpoints.
  const beyond = f.beyondGateways.get([port, config?.id, gatewayEni.id], () =>
    beyondGateway(f, config, gateway, gatewayEni, port),
  );
  return hops.concat(beyond);
}

/** What AWS says of a deployed endpoint that is not available: pending, waiting for acceptance, failed or deleting. */
function endpointStateHop(f: Facts, endpoint: Endpoint): Hop | undefined {
  const state = endpoint.state;
  if (!state || carriesTraffic(state)) return undefined;
  const association = endpoint.type === 'VpcAssociation';
  const what = `${association ? 'service-network VPC association' : 'endpoint'} ${endpoint.id}`;
  const fix = /^pendingAcceptance$/i.test(state)
    ? `the endpoint waits to be accepted: the configuration's share must reach account ${endpoint.account} (the next hop says whether it does)`
    : /pending|in_progress/i.test(state)
      ? `wait for AWS to finish ${association ? 'the association' : 'the endpoint'}, then check again`
      : `${association ? `aws vpc-lattice get-service-network-vpc-association --service-network-vpc-association-identifier ${endpoint.id}` : `aws ec2 describe-vpc-endpoints --vpc-endpoint-ids ${endpoint.id}`} says why; once the cause is fixed, create it again`;
  return block(
    'share',
    'ENDPOINT_NOT_AVAILABLE',
    `${what} is ${state}${endpoint.lastError ? ` (${endpoint.lastError})` : ''}: AWS carries nothing through it`,
    fix,
    { rule: f.ref(endpoint.source, endpoint.id) },
  );
}

/** The port against the ranges of the child configuration (an association), else of the one the endpoint names. */
function portRangeHop(f: Facts, port: number, config?: Configuration, parent?: Configuration): Hop {
  const ranges = config?.portRanges.length ? config.portRanges : (parent?.portRanges ?? []);
  const name = config?.name ?? parent?.name;
  if (inRanges(port, ranges)) return pass('port-range', `port ${port} is within ${ranges.join(', ')} of ${name}`);
  const value = ranges.map((range) => unknownIn(range)).find(Boolean);
  if (value) return unknown('port-range', 'VALUE_UNKNOWN', `a port range of ${name} is ${value}, known only at deploy`);
  // A child that AWS manages (a cluster's writer or reader) takes its ranges from its parent.
  const owner = config?.amazonManaged ? parent : config;
  return block(
    'port-range',
    'PORT_OUTSIDE_RANGES',
    `port ${port} is outside the port ranges of ${name ?? 'the configuration'} (${ranges.join(', ') || 'none'})`,
    ranges[0]
      ? `connect on ${ranges[0].split('-')[0]}, or add ${port} to PortRanges of ${where(owner?.source, owner?.id)}`
      : `set PortRanges on ${where(config?.source, config?.id)}`,
    { rule: f.ref(owner?.source, config?.id) },
  );
}

/** The gateway ENI that carries an endpoint ENI's flows: one in the same zone, else one in a zone both have. */
function gatewayEniOf(f: Facts, endpoint: Endpoint, eni: Eni, gateway: Gateway): { eni?: Eni; hop: Hop } {
  const gw = gateway.eniIds.map((id) => f.enis.get(id)).filter((x): x is Eni => !!x);
  const own = endpoint.eniIds.map((id) => f.enis.get(id));
  // No interface of the gateway is known: doctor could not list them (templates always give one per subnet).
  if (!gw.length)
    return { hop: unknown('az', 'ZONES_UNKNOWN', `the interfaces of gateway ${gateway.name} were not read`) };
  if (gw.some((g) => !g.az) || own.some((x) => !x?.az))
    return {
      hop: unknown('az', 'ZONES_UNKNOWN', 'the zones of the endpoint or of the gateway are not in the templates'),
    };
  const key = zoneKey([gw, own], endpoint.account === gateway.account);
  if (!key) return { hop: zoneIdsUnknown(endpoint, gateway) };
  const zones = own.map((x) => x && key(x));
  // Never a gateway ENI whose zone is down (a twin's fault): the flow goes through another zone both have.
  const pick = (among: Eni[]) => among.find((g) => key(g) === key(eni)) ?? among.find((g) => zones.includes(key(g)));
  const chosen = pick(gw.filter((g) => !g.down));
  const dead = chosen ? undefined : pick(gw);
  if (dead)
    return {
      hop: block(
        'az',
        'ZONE_DOWN',
        `the ENIs of gateway ${gateway.name} in the zones endpoint ${endpoint.id} has are down (${zoneText(dead)})`,
        `bring the zone back (lattice-share fault zone-up), or give gateway ${gateway.name} a subnet in another zone of the endpoint`,
      ),
    };
  if (!chosen) {
    const gatewayZones = [...new Set(gw.map(zoneText))].join(', ') || 'no zone';
    return {
      hop: block(
        'az',
        'NO_COMMON_ZONE',
        `endpoint ${endpoint.id} is in ${[...new Set(own.map(zoneText))].join(', ')} and gateway ${gateway.name} in ${gatewayZones}: no zone in common`,
        `give gateway ${gateway.name} a subnet in ${zoneText(own[0])} (or the endpoint one in ${gw[0] ? zoneText(gw[0]) : 'a gateway zone'})`,
        { rule: f.ref(gateway.source, gateway.id) },
      ),
    };
  }
  const elsewhere = key(chosen) === key(eni) ? '' : ` (none in ${zoneText(eni)})`;
  return {
    eni: chosen,
    hop: pass('az', `the gateway's ENI in ${zoneText(chosen)} (${chosen.ip}) carries it${elsewhere}`),
  };
}

/** A zone as people read it: its name in the ENI's account, with its ID when the model knows it. */
const zoneText = (eni?: Eni) => (eni?.azId && eni.azId !== eni.az ? `${eni.az} (${eni.azId})` : (eni?.az ?? '?'));

/** The az hop when the two sides are in different accounts and name their zones without IDs. */
const zoneIdsUnknown = (endpoint: Endpoint, gateway: Gateway): Hop =>
  unknown(
    'az',
    'ZONE_IDS_UNKNOWN',
    `endpoint ${endpoint.id} (account ${endpoint.account}) and gateway ${gateway.name} (account ${gateway.account}) name their zones without zone IDs: a zone name is a different physical zone in each account`,
    `give the subnets AvailabilityZoneId, or both accounts' zone IDs in a facts file (accounts.<id>.zones, --facts)`,
  );
