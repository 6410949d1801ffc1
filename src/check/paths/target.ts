// Beyond the gateway: the target's address in the owner VPC, the gateway's egress, the target's ingress, and what
// listens there.
import { downAddresses, unknownIn, type Configuration, type Eni, type Gateway } from '../../model/index.js';
import { inCidr } from '../../shared/index.js';
import { allows, where, type Facts } from '../facts.js';
import type { Hop } from '../types.js';
import { block, party, pass, sgHop, unknown, wantedPeer } from './hops.js';
import { listenerHop } from './listener.js';
import { GATEWAY_EPHEMERAL, pushNacl } from './nacl.js';

/** From the gateway to what listens: the target's name in the owner VPC, the gateway's egress, the target's ingress. */
export function beyondGateway(
  f: Facts,
  config: Configuration | undefined,
  gateway: Gateway,
  gatewayEni: Eni,
  port: number,
  https?: string,
): Hop[] {
  const { hop: dns, ip } = targetAddress(f, config, gateway);
  if (!ip) return [dns];
  const located = targetEni(f, gateway, ip);
  if ('hop' in located) return [dns, located.hop];
  const { target } = located;
  const hops = [
    dns,
    sgHop(
      f,
      'gateway-egress',
      allows(f, gateway.securityGroupIds, 'egress', port, party(target), gatewayEni),
      gateway.securityGroupIds,
      () => ({
        text: `tcp ${port} to ${target.ip} (${target.securityGroupIds[0] ?? 'the target'})`,
        want: { port, peer: wantedPeer(target.securityGroupIds, target.ip, '0.0.0.0/0') },
      }),
    ),
  ];
  const replies = { vpcId: gateway.vpcId, port, replyTo: "the gateway's", replyPorts: GATEWAY_EPHEMERAL };
  const [gatewaySubnet, targetSubnet] = [gatewayEni.subnetId, target.subnetId];
  const [gatewayIp, targetIp] = [gatewayEni.ip ?? '0.0.0.0/0', target.ip ?? '0.0.0.0/0'];
  pushNacl(hops, f, {
    hop: 'gateway-nacl',
    subnetId: gatewaySubnet,
    request: 'out',
    peer: targetIp,
    peerSubnetId: targetSubnet,
    ...replies,
  });
  pushNacl(hops, f, {
    hop: 'target-nacl',
    subnetId: targetSubnet,
    request: 'in',
    peer: gatewayIp,
    peerSubnetId: gatewaySubnet,
    ...replies,
  });
  return [
    ...hops,
    sgHop(
      f,
      'target-ingress',
      allows(f, target.securityGroupIds, 'ingress', port, party(gatewayEni), target),
      target.securityGroupIds,
      () => ({
        text: `tcp ${port} from the gateway ${gatewayEni.ip} (${gateway.securityGroupIds[0] ?? 'its group'})`,
        want: { port, peer: wantedPeer(gateway.securityGroupIds, gatewayEni.ip, '0.0.0.0/0') },
      }),
    ),
    listenerHop(f, target, port, https),
  ];
}

/**
 * The gateway resolves a DNS target with public DNS (ResourceConfigDnsResolution PUBLIC, the default) or in its own
 * VPC (IN_VPC); an IP target is used as is.
 */
type TargetAddress = { readonly hop: Hop; readonly ip?: string };

function targetAddress(f: Facts, config: Configuration | undefined, gateway: Gateway): TargetAddress {
  const definition = config?.definition;
  if (!definition || 'arn' in definition)
    return {
      hop: block(
        'target-dns',
        'NO_TARGET',
        `${config?.name ?? 'the configuration'} has no DNS or IP target`,
        "use the configuration's child (writer or reader) names",
        { rule: f.ref(config?.source, config?.id) },
      ),
    };
  const value = unknownIn('ip' in definition ? definition.ip : definition.dns);
  if (value)
    return {
      hop: unknown(
        'target-dns',
        'VALUE_UNKNOWN',
        `the target of ${config?.name ?? 'the configuration'} is ${value}, which exists only once that resource is deployed`,
        'give the target as a parameter value, or as a literal in the template',
      ),
    };
  if ('ip' in definition) return { hop: pass('target-dns', `the target is ${definition.ip}`), ip: definition.ip };
  return dnsTarget(f, config, gateway, definition.dns);
}

/** A DNS target as the gateway resolves it, or why it does not resolve (or what is not known). */
function dnsTarget(f: Facts, config: Configuration | undefined, gateway: Gateway, name: string): TargetAddress {
  const { answer, broken } = f.names.fromGateway(gateway, name);
  const address = unknownIn(answer?.addresses[0]);
  if (address)
    return {
      hop: unknown(
        'target-dns',
        'VALUE_UNKNOWN',
        `${name} resolves to ${address}, known only once that resource is deployed`,
      ),
    };
  if (answer)
    return {
      hop: pass(
        'target-dns',
        `${name} resolves ${resolvedWhere(gateway)} to ${answer.addresses.join(', ')} (${answer.why})`,
      ),
      // The gateway spreads connections over the addresses whose zone is up (all of them when none is).
      ip: answer.addresses.find((ip) => !downAddresses(f.m, gateway.vpcId).has(ip)) ?? answer.addresses[0],
    };
  const imported = f.m.databases.find((x) => !x.created && (x.writerName === name || x.readerName === name));
  if (imported)
    return {
      hop: unknown(
        'target-dns',
        'TARGET_ADDRESS_UNKNOWN',
        `${name} belongs to cluster ${imported.id}, which the templates reference but do not create: its address is not known`,
      ),
    };
  return { hop: notResolved(f, config, gateway, name, broken) };
}

/** Where a gateway resolves its DNS targets, in words. */
const resolvedWhere = (gateway: Gateway): string =>
  gateway.dnsResolution === 'IN_VPC'
    ? `in the owner VPC ${gateway.vpcId} (resource gateway ${gateway.name}: ResourceConfigDnsResolution IN_VPC)`
    : `with public DNS (resource gateway ${gateway.name}: ResourceConfigDnsResolution PUBLIC, the default)`;

/** The target-dns block for a name the gateway does not resolve; with PUBLIC, whether IN_VPC would resolve it. */
function notResolved(
  f: Facts,
  config: Configuration | undefined,
  gateway: Gateway,
  name: string,
  broken: string | undefined,
): Hop {
  const detail = `${name} does not resolve ${resolvedWhere(gateway)}${broken ? `: ${broken}` : ''}`;
  const target = where(config?.source, config?.id);
  const onConfig = { rule: f.ref(config?.source, config?.id) };
  if (gateway.dnsResolution === 'IN_VPC')
    return block(
      'target-dns',
      'TARGET_NOT_RESOLVED',
      detail,
      `point ${target} at a name that resolves there`,
      onConfig,
    );
  const gw = where(gateway.source, gateway.id);
  const inVpc = f.resolve(gateway.vpcId, name);
  if (inVpc)
    return block(
      'target-dns',
      'TARGET_NOT_RESOLVED',
      `${detail}; it resolves only in ${gateway.vpcId} (${inVpc.why})`,
      `set ResourceConfigDnsResolution: IN_VPC on ${gw}, so that it resolves the name in its VPC`,
      { rule: f.ref(gateway.source, gateway.id) },
    );
  return block(
    'target-dns',
    'TARGET_NOT_RESOLVED',
    detail,
    `point ${target} at a name that resolves publicly (for a name in a private hosted zone of ${gateway.vpcId}, set ResourceConfigDnsResolution: IN_VPC on ${gw})`,
    onConfig,
  );
}

/** The ENI with the target address in the gateway's VPC, or the hop that says why there is none (or none known). */
function targetEni(f: Facts, gateway: Gateway, ip: string): { readonly hop: Hop } | { readonly target: Eni } {
  const ownerVpc = f.vpcs.get(gateway.vpcId);
  const target = f.eniAt(gateway.vpcId, ip);
  if (ownerVpc?.cidr && inCidr(ip, ownerVpc.cidr) && target?.down)
    return {
      hop: block(
        'target-dns',
        'ZONE_DOWN',
        `the target ${ip} is ${f.describe(target)}, in ${target.azId ?? target.az ?? 'a zone'}, which is down: the gateway's connection times out`,
        'fail the cluster over to an instance in a zone that is up (lattice-share fault failover), or bring the zone back',
      ),
    };
  if (ownerVpc?.cidr && inCidr(ip, ownerVpc.cidr) && target) return { target };
  const outside = ownerVpc?.cidr && !inCidr(ip, ownerVpc.cidr);
  if (!outside && ownerVpc && !ownerVpc.created)
    return {
      hop: unknown(
        'target-dns',
        'TARGET_UNKNOWN',
        `the target ${ip} is in ${gateway.vpcId}, an existing VPC: what has that address (and its security groups) is not in the templates`,
      ),
    };
  return {
    hop: block(
      'target-dns',
      outside ? 'TARGET_OUTSIDE_VPC' : 'NO_ENI_AT_TARGET',
      outside
        ? `the target ${ip} is outside the owner VPC ${gateway.vpcId} (${ownerVpc?.cidr}): the gateway has no route to it`
        : `no ENI in ${gateway.vpcId} has the target address ${ip}`,
      "point the configuration at an address inside the gateway's VPC",
    ),
  };
}
