// A client's connection to a name: DNS in the client's VPC, then one attempt per address it resolves to (the route,
// the client's egress, and the endpoint's way to the target or a direct connection inside the VPC).
import { unknownIn, type Eni, type Vpc } from '../../model/index.js';
import { ASSOCIATION_RANGE, inCidr } from '../../shared/index.js';
import { allows, where, type Facts, type Party } from '../facts.js';
import type { Attempt, Client, Hop } from '../types.js';
import { block, dispositionOf, party, pass, sgHop, unknown, wantedPeer, type Needed } from './hops.js';
import { listenerHop } from './listener.js';
import { CLIENT_EPHEMERAL, CLIENT_REPLIES, clientSubnet, pushNacl } from './nacl.js';
import { latticeHops } from './owner.js';

/** A client's connection attempts to a name: one per address the name resolves to in the client's VPC. */
export function trace(f: Facts, client: Client, name: string, port: number, fixDns?: string): Attempt[] {
  const vpc = f.vpcs.get(client.vpcId);
  if (vpc && !vpc.dnsSupport) {
    const hop = block(
      'dns',
      'DNS_SUPPORT_DISABLED',
      `${client.vpcId} has EnableDnsSupport false: the Amazon-provided resolver does not answer`,
      `set EnableDnsSupport: true on ${where(vpc.source, vpc.id)}`,
      { rule: f.ref(vpc.source, vpc.id) },
    );
    return [{ disposition: 'BLOCKED', hops: [hop] }];
  }
  const down = clientDown(f, client);
  if (down) return [{ disposition: 'BLOCKED', hops: [down] }];
  const { answer, broken } = f.names.lookup(client.vpcId, name);
  const nameFix = fixDns ?? 'use a name of the endpoint in this VPC';
  if (!answer) {
    const detail = `${name} does not resolve in ${client.vpcId}${broken ? `: ${broken}` : ''}`;
    const hop = block('dns', 'NAME_NOT_RESOLVED', detail, nameFix);
    return [{ disposition: 'BLOCKED', hops: [hop] }];
  }
  const dns = f.dnsHops.get([client.vpcId, name], () =>
    pass('dns', `${name} resolves in ${client.vpcId} to ${answer.addresses.join(', ')}: ${answer.why}`),
  );
  const connection: Connection = { f, client, vpc, port, nameFix };
  return answer.addresses.map((address) => {
    // After DNS the hops depend on the client, the address, the port and the name's fix, not on the name (an endpoint's
    // name and the private DNS name of one association resolve alike): worked out once for each.
    const after = f.afterDnsOf(client).get([nameFix, port, address], () => attemptAt(connection, address));
    return { address, disposition: after.disposition, hops: [dns, ...after.hops] };
  });
}

/** The dns hop of a client whose own ENI is in a zone that is down: it reaches not even its resolver. */
function clientDown(f: Facts, client: Client): Hop | undefined {
  const instance = client.instanceId ? f.instances.get(client.instanceId) : undefined;
  const eni = instance && f.enis.get(instance.eniId);
  if (!eni?.down) return undefined;
  return block(
    'dns',
    'ZONE_DOWN',
    `${client.label}'s ENI ${eni.id} is in ${eni.azId ?? eni.az ?? 'a zone'}, which is down: it reaches nothing`,
    'bring the zone back (lattice-share fault zone-up), or run the client in a zone that is up',
  );
}

/** What every attempt of one connection shares. */
interface Connection {
  readonly f: Facts;
  readonly client: Client;
  readonly vpc?: Vpc;
  readonly port: number;
  readonly nameFix: string;
}

/** The ENI an address reaches in the client's VPC, or the route hop that says why none does (or none is known). */
function routeTo(connection: Connection, address: string): { readonly dest: Eni } | { readonly hop: Hop } {
  const { f, client, vpc, nameFix } = connection;
  const value = unknownIn(address);
  if (value)
    return {
      hop: unknown('route', 'VALUE_UNKNOWN', `the address is ${value}, known only once that resource is deployed`),
    };
  const dest = f.eniAt(client.vpcId, address);
  // A VPC with a service-network association has 129.224.0.0/17 in its route tables (AWS's addresses for it).
  const routed =
    !!vpc?.cidr &&
    (inCidr(address, vpc.cidr) || (f.associatedVpcs.has(client.vpcId) && inCidr(address, ASSOCIATION_RANGE)));
  if (vpc?.cidr && inCidr(address, vpc.cidr) && !dest && !vpc.created) {
    const detail = `${address} is in ${client.vpcId}, an existing VPC: what has that address is not in the templates`;
    return { hop: unknown('route', 'ADDRESS_UNKNOWN', detail) };
  }
  if (routed && dest?.down) {
    const detail = `${address} is ${f.describe(dest)}, in ${dest.azId ?? dest.az ?? 'a zone'}, which is down: the connection times out`;
    return { hop: block('route', 'ZONE_DOWN', detail, 'connect by a name that answers with the zones that are up') };
  }
  if (routed && dest) return { dest };
  const elsewhere = f.owners(address).find((e) => e.vpcId !== client.vpcId);
  const whose = elsewhere ? `, the address of ${f.describe(elsewhere)} in ${elsewhere.vpcId}` : '';
  const noRoute = vpc?.cidr && !routed;
  const detail = noRoute
    ? `${address} is outside ${client.vpcId} (${vpc.cidr})${whose}: ${client.vpcId} has no route to it`
    : `no ENI in ${client.vpcId} has ${address}${whose}: nothing answers`;
  return { hop: block('route', noRoute ? 'NO_ROUTE' : 'NO_ENI_AT_ADDRESS', detail, nameFix) };
}

/** The route hop to an ENI in the client's VPC: the same for every client there, so made once per VPC and address. */
function routeHop(f: Facts, vpcId: string, address: string, dest: Eni): Hop {
  return f.routeHops.get([address, vpcId], () =>
    pass('route', `${address} is ${f.describe(dest)} in ${vpcId}${dest.az ? ` (${dest.az})` : ''}`),
  );
}

/** The egress rule a client needs to reach an address: to it (its group), or to an association's range. */
function egressNeeded(port: number, address: string, dest: Eni, association: boolean): Needed {
  if (association)
    return {
      text: `tcp ${port} to ${ASSOCIATION_RANGE} (the association's addresses; or the VPC Lattice managed prefix list)`,
      want: { port, peer: { cidr: ASSOCIATION_RANGE } },
    };
  const group = dest.securityGroupIds[0];
  return {
    text: `tcp ${port} to ${address}${group ? ` (${group})` : ''}`,
    want: { port, peer: wantedPeer(dest.securityGroupIds, address, address) },
  };
}

/** An attempt's hops from the route on: where the address leads, and everything on the way there. */
function attemptAt(connection: Connection, address: string): Pick<Attempt, 'disposition' | 'hops'> {
  const { f, client, vpc, port } = connection;
  const hops: Hop[] = [];
  const routed = routeTo(connection, address);
  if ('hop' in routed) {
    hops.push(routed.hop);
    return { disposition: dispositionOf(hops), hops };
  }
  const { dest } = routed;
  hops.push(routeHop(f, client.vpcId, address, dest));
  // A VPC association's addresses carry no ENI of the VPC: rules that reference its groups do not match them.
  const association = f.isAssociation(dest);
  // A CIDR rule matches the address connected to (an association's may be a secondary one), not the ENI's first.
  const egressTo = party(dest, address, association ? [] : dest.securityGroupIds);
  const groups = client.securityGroupIds;
  const egress = allows(f, groups, 'egress', port, egressTo, client);
  hops.push(sgHop(f, 'client-egress', egress, groups, () => egressNeeded(port, address, dest, association)));
  const subnetId = clientSubnet(f, client.instanceId);
  pushNacl(hops, f, {
    hop: 'client-nacl',
    subnetId,
    vpcId: client.vpcId,
    request: 'out',
    peer: address,
    // A VPC association's addresses are in no subnet: the request leaves the client's whichever subnet it is in.
    peerSubnetId: association ? undefined : dest.subnetId,
    port,
    replyTo: CLIENT_REPLIES,
    replyPorts: CLIENT_EPHEMERAL,
  });
  const self: Party = { vpcId: client.vpcId, ip: client.ip, securityGroupIds: groups, vpcCidr: vpc?.cidr, subnetId };
  if (dest.owner.kind === 'endpoint') for (const hop of latticeHops(f, self, dest, address, port)) hops.push(hop);
  else {
    // A direct connection inside the VPC: the destination subnet's ACL and own ingress, then what listens.
    const peer = client.ip ?? vpc?.cidr ?? '0.0.0.0/0';
    pushNacl(hops, f, {
      hop: 'target-nacl',
      subnetId: dest.subnetId,
      vpcId: client.vpcId,
      request: 'in',
      peer,
      peerSubnetId: subnetId,
      port,
      replyTo: CLIENT_REPLIES,
      replyPorts: CLIENT_EPHEMERAL,
    });
    const ingress = allows(f, dest.securityGroupIds, 'ingress', port, self, dest);
    const needed = () => ({
      text: `tcp ${port} from ${client.ip ?? client.label}`,
      want: { port, peer: wantedPeer(groups, client.ip, peer) },
    });
    hops.push(sgHop(f, 'target-ingress', ingress, dest.securityGroupIds, needed), listenerHop(f, dest, port));
  }
  return { disposition: dispositionOf(hops), hops };
}
