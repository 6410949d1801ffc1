// Follows a connection (client, name, port) hop by hop over the model: DNS, routing, security groups, the endpoint,
// the share, the Lattice hop, the gateway and the target. An implementation of the same semantics as the twin,
// written apart from it: the agreement test compares the two.
import type { Configuration, Endpoint, Eni, Gateway, Rule, SecurityGroup } from '../model/index.js';
import { inCidr } from '../shared/index.js';
import { allows, inRanges, where, type Facts, type Match, type Party } from './facts.js';
import type { Attempt, Client, Disposition, Hop, HopName } from './types.js';

const pass = (hop: HopName, detail: string, extra: Partial<Hop> = {}): Hop => ({ hop, status: 'pass', detail, ...extra });
const block = (hop: HopName, detail: string, fix: string, extra: Partial<Hop> = {}): Hop => ({ hop, status: 'block', detail, fix, ...extra });
const unknown = (hop: HopName, detail: string, fix?: string): Hop => ({ hop, status: 'unknown', detail, ...(fix ? { fix } : {}) });

const ruleRef = (f: Facts, r: Rule, g: SecurityGroup) => ({ ...f.ref(r.source ?? g.source, g.id)!, ...(r.description ? { description: r.description } : {}) });
const peerText = (r: Rule) => ('cidr' in r.peer ? r.peer.cidr : 'securityGroupId' in r.peer ? r.peer.securityGroupId : r.peer.prefixListId);
const groupsText = (f: Facts, ids: string[]) => (ids.length ? ids.map((id) => where(f.groups.get(id)?.source, id)).join(', ') : 'no security group');

/** A security-group hop from a match; `need` says in words what rule would let the flow on. */
function sgHop(f: Facts, hop: HopName, m: Match, groups: string[], need: string): Hop {
  if (m && 'rule' in m) return pass(hop, `${m.group.id} allows ${m.rule.protocol === '-1' ? 'all traffic' : `tcp ${m.rule.fromPort}-${m.rule.toPort}`} ${hop.endsWith('egress') ? 'to' : 'from'} ${peerText(m.rule)}`, { rule: ruleRef(f, m.rule, m.group) });
  if (m && 'unknown' in m) return unknown(hop, m.unknown);
  const g = f.groups.get(groups[0] ?? '');
  return block(hop, `no ${hop.endsWith('egress') ? 'egress' : 'ingress'} rule of ${groupsText(f, groups)} allows ${need}`,
    `add to ${g ? where(g.source, g.id) : 'a security group of it'} ${hop.endsWith('egress') ? 'an egress' : 'an ingress'} rule: ${need}`,
    g ? { rule: f.ref(g.source, g.id) } : {});
}

function party(e: Eni): Party {
  return { vpcId: e.vpcId ?? '?', ip: e.ip, securityGroupIds: e.securityGroupIds };
}

/** Who may use an endpoint: the share to its account, and the invitation outside the organization. */
function shareHop(f: Facts, endpoint: Endpoint, config: Configuration | undefined, gateway: Gateway | undefined): Hop {
  if (!config) return block('share', `configuration ${endpoint.configurationArn} is not in the templates`, 'deploy the owner stack, or check the endpoint\'s ResourceConfigurationArn', { rule: f.ref(endpoint.source, endpoint.id) });
  if (!gateway) return block('share', `configuration ${config.name} names gateway ${config.gatewayId ?? '(none)'}, which the templates do not create`, `set ResourceGatewayId of ${where(config.source, config.id)} to a resource gateway`, { rule: f.ref(config.source, config.id) });
  if (gateway.vpcId === endpoint.vpcId) {
    return block('share', `endpoint ${endpoint.id} is in the gateway's own VPC ${gateway.vpcId}: AWS carries no traffic for it`, 'reach the resource directly inside its own VPC, or put the endpoint in another VPC', { rule: f.ref(endpoint.source, endpoint.id) });
  }
  if (config.account === endpoint.account) return pass('share', `configuration ${config.name} and endpoint ${endpoint.id} are in the same account ${config.account}`);
  const shares = f.sharesByResource.get(config.arn) ?? [];
  const inOrg = f.stackOfAccount(endpoint.account)?.inOrganization;
  const byAccount = shares.find((s) => s.principals.some((p) => p.kind === 'account' && p.id === endpoint.account));
  const byOrg = shares.find((s) => s.principals.some((p) => p.kind === 'organization'));
  const byOu = shares.find((s) => s.principals.some((p) => p.kind === 'ou'));
  if (!byAccount) {
    if (byOrg && inOrg === true) return pass('share', `share ${byOrg.name} is with the organization, and account ${endpoint.account} is in it`, { rule: f.ref(byOrg.source, byOrg.arn) });
    if (byOrg && inOrg === undefined) return unknown('share', `share ${byOrg.name} is with the organization; the templates do not say whether account ${endpoint.account} is in it`);
    if (byOu && inOrg !== false) return unknown('share', `share ${byOu.name} is with an organizational unit; the templates do not say whether account ${endpoint.account} is in it`);
    const s = shares[0] ?? f.m.shares.find((x) => x.account === config.account);
    return block('share', `configuration ${config.name} is not shared with account ${endpoint.account}`,
      s ? `add ${endpoint.account} to Principals of ${where(s.source, s.name)}` : `share ${config.arn} with ${endpoint.account} in an AWS::RAM::ResourceShare`, s ? { rule: f.ref(s.source, s.arn) } : {});
  }
  if (inOrg !== true && !byAccount.allowExternalPrincipals) {
    return block('share', `share ${byAccount.name} does not allow external principals, and account ${endpoint.account} is ${inOrg === false ? 'outside the organization' : 'not known to be in the organization'}: RAM does not share with it`,
      `set AllowExternalPrincipals: true on ${where(byAccount.source, byAccount.name)}`, { rule: f.ref(byAccount.source, byAccount.arn) });
  }
  if (inOrg === true) return pass('share', `share ${byAccount.name} names account ${endpoint.account}, which is in the organization (no invitation)`, { rule: f.ref(byAccount.source, byAccount.arn) });
  const accepted = f.m.acceptances.find((a) => a.account === endpoint.account && a.shareArn === byAccount.arn);
  if (!accepted) {
    return block('share', `account ${endpoint.account} has not accepted the invitation to share ${byAccount.name}${inOrg === undefined ? ' (the templates do not say it is in the organization, so an invitation is assumed)' : ''}`,
      `accept the RAM invitation in account ${endpoint.account} (ResourceShareInvitationAccepter, or \`aws ram accept-resource-share-invitation\`) before the endpoint is created`, { rule: f.ref(byAccount.source, byAccount.arn) });
  }
  return pass('share', `share ${byAccount.name} names account ${endpoint.account}; the invitation is accepted`, { rule: f.ref(accepted.source) });
}

/** The gateway ENI that carries an endpoint ENI's flows: one in the same zone, else one in a zone both have. */
function gatewayEni(f: Facts, endpoint: Endpoint, eni: Eni, gateway: Gateway): { eni?: Eni; hop: Hop } {
  const gw = gateway.eniIds.map((id) => f.enis.get(id)).filter((x): x is Eni => !!x);
  const zones = endpoint.eniIds.map((id) => f.enis.get(id)?.az);
  if (gw.some((g) => !g.az) || zones.some((z) => !z)) return { hop: unknown('az', 'the zones of the endpoint or of the gateway are not in the templates') };
  const chosen = gw.find((g) => g.az === eni.az) ?? gw.find((g) => zones.includes(g.az));
  if (!chosen) {
    return { hop: block('az', `endpoint ${endpoint.id} is in ${[...new Set(zones)].join(', ')} and gateway ${gateway.name} in ${[...new Set(gw.map((g) => g.az))].join(', ') || 'no zone'}: no zone in common`,
      `give gateway ${gateway.name} a subnet in ${zones[0]} (or the endpoint one in ${gw[0]?.az ?? 'a gateway zone'})`, { rule: f.ref(gateway.source, gateway.id) }) };
  }
  return { eni: chosen, hop: pass('az', `the gateway's ENI in ${chosen.az} (${chosen.ip}) carries it${chosen.az === eni.az ? '' : ` (none in ${eni.az})`}`) };
}

/** What listens at the end: a database on its port. Other targets' services are not in the templates. */
function listenerHop(f: Facts, target: Eni, port: number): Hop {
  const db = f.databasesByEni.get(target.id);
  if (db) {
    return db.port === port ? pass('listener', `${db.engine} listens on ${target.ip}:${port}`)
      : block('listener', `${db.engine} on ${target.ip} listens on ${db.port}, not ${port}: the connection is refused`, `connect on port ${db.port}, or make the configuration's port ranges ${db.port}`, { rule: f.ref(db.source, db.id) });
  }
  if (target.owner.kind === 'instance') return unknown('listener', `what listens on ${f.describe(target)} (${target.ip}:${port}) is not in the templates`);
  return block('listener', `${f.describe(target)} accepts no connections on ${port}`, 'point the configuration at the resource itself');
}

/** From the endpoint ENI that took the connection to the listener: the endpoint's ingress, then the owner side. */
function latticeHops(f: Facts, client: Party, endpointEni: Eni, address: string, port: number): Hop[] {
  const sgs = endpointEni.securityGroupIds;
  const ingress = sgHop(f, 'endpoint-ingress', allows(f, sgs, 'ingress', port, client, endpointEni), sgs, `tcp ${port} from ${client.ip ?? client.securityGroupIds.join(', ')}${client.securityGroupIds[0] ? ` (${client.securityGroupIds[0]})` : ''}`);
  // What follows does not depend on the client: worked out once per endpoint address and port.
  const key = `${endpointEni.id}|${address}|${port}`;
  let rest = f.ownerSides.get(key);
  if (!rest) f.ownerSides.set(key, rest = ownerSide(f, endpointEni, address, port));
  return [ingress, ...rest];
}

function ownerSide(f: Facts, endpointEni: Eni, address: string, port: number): Hop[] {
  const endpoint = f.endpoints.get(endpointEni.owner.id)!;
  const hops: Hop[] = [];
  const parent = f.configurations.get(endpoint.configurationArn);
  const gateway = parent?.gatewayId ? f.gateways.get(parent.gatewayId) : undefined;
  hops.push(shareHop(f, endpoint, parent, gateway));
  const index = endpoint.eniIds.indexOf(endpointEni.id);
  const association = endpoint.associations.find((a) => a.ips[index] === address);
  const config = association ? f.configurations.get(association.configurationArn) : undefined;
  const ranges = config?.portRanges.length ? config.portRanges : parent?.portRanges ?? [];
  hops.push(inRanges(port, ranges) ? pass('port-range', `port ${port} is within ${ranges.join(', ')} of ${config?.name ?? parent?.name}`)
    : block('port-range', `port ${port} is outside the port ranges of ${config?.name ?? parent?.name ?? 'the configuration'} (${ranges.join(', ') || 'none'})`,
      ranges.length ? `connect on ${ranges[0]!.split('-')[0]}, or add ${port} to PortRanges of ${where((config?.amazonManaged ? parent : config)?.source, (config?.amazonManaged ? parent : config)?.id)}` : `set PortRanges on ${where(config?.source, config?.id)}`,
      { rule: f.ref((config?.amazonManaged ? parent : config)?.source, config?.id) }));
  if (!gateway) return hops;
  const { eni: gwEni, hop: az } = gatewayEni(f, endpoint, endpointEni, gateway);
  hops.push(az);
  if (!gwEni) return hops;
  // The gateway resolves a DNS target in its own VPC; an IP target is used as is.
  const d = config?.definition;
  let targetIp: string | undefined;
  if (!d || 'arn' in d) hops.push(block('target-dns', `${config?.name ?? 'the configuration'} has no DNS or IP target`, 'use the configuration\'s child (writer or reader) names', { rule: f.ref(config?.source, config?.id) }));
  else if ('ip' in d) { targetIp = d.ip; hops.push(pass('target-dns', `the target is ${d.ip}`)); }
  else {
    const a = f.resolve(gateway.vpcId, d.dns);
    const imported = f.m.databases.find((x) => !x.created && (x.writerName === d.dns || x.readerName === d.dns));
    if (a) { targetIp = a.addresses[0]; hops.push(pass('target-dns', `${d.dns} resolves in ${gateway.vpcId} to ${a.addresses.join(', ')} (${a.why})`)); }
    else if (imported) hops.push(unknown('target-dns', `${d.dns} belongs to cluster ${imported.id}, which the templates reference but do not create: its address is not known`));
    else hops.push(block('target-dns', `${d.dns} does not resolve in the owner VPC ${gateway.vpcId}`, `point ${where(config?.source, config?.id)} at a name that resolves there (or use IN_VPC resolution for a private zone)`, { rule: f.ref(config?.source, config?.id) }));
  }
  if (!targetIp) return hops;
  const ownerVpc = f.vpcs.get(gateway.vpcId);
  const target = f.eniAt(gateway.vpcId, targetIp);
  if (!ownerVpc?.cidr || !inCidr(targetIp, ownerVpc.cidr) || !target) {
    const outside = ownerVpc?.cidr && !inCidr(targetIp, ownerVpc.cidr);
    if (!outside && ownerVpc && !ownerVpc.created) {
      hops.push(unknown('target-dns', `the target ${targetIp} is in ${gateway.vpcId}, an existing VPC: what has that address (and its security groups) is not in the templates`));
      return hops;
    }
    hops.push(block('target-dns', outside ? `the target ${targetIp} is outside the owner VPC ${gateway.vpcId} (${ownerVpc.cidr}): the gateway has no route to it` : `no ENI in ${gateway.vpcId} has the target address ${targetIp}`,
      'point the configuration at an address inside the gateway\'s VPC'));
    return hops;
  }
  hops.push(sgHop(f, 'gateway-egress', allows(f, gateway.securityGroupIds, 'egress', port, party(target), gwEni), gateway.securityGroupIds, `tcp ${port} to ${target.ip} (${target.securityGroupIds[0] ?? 'the target'})`));
  hops.push(sgHop(f, 'target-ingress', allows(f, target.securityGroupIds, 'ingress', port, party(gwEni), target), target.securityGroupIds, `tcp ${port} from the gateway ${gwEni.ip} (${gateway.securityGroupIds[0] ?? 'its group'})`));
  hops.push(listenerHop(f, target, port));
  return hops;
}

/** Whether a hop list ends the connection, and how. */
function dispositionOf(hops: Hop[]): Exclude<Disposition, 'PARTIAL'> {
  if (hops.some((h) => h.status === 'block')) return 'BLOCKED';
  return hops.some((h) => h.status === 'unknown') ? 'UNKNOWN' : 'REACHABLE';
}

/** A client's connection attempts to a name: one per address the name resolves to in the client's VPC. */
export function trace(f: Facts, client: Client, name: string, port: number, fixDns?: string): Attempt[] {
  const vpc = f.vpcs.get(client.vpcId);
  if (vpc && !vpc.dnsSupport) {
    const hop = block('dns', `${client.vpcId} has EnableDnsSupport false: the Amazon-provided resolver does not answer`, `set EnableDnsSupport: true on ${where(vpc.source, vpc.id)}`, { rule: f.ref(vpc.source, vpc.id) });
    return [{ disposition: 'BLOCKED', hops: [hop] }];
  }
  const answer = f.resolve(client.vpcId, name);
  if (!answer) {
    return [{ disposition: 'BLOCKED', hops: [block('dns', `${name} does not resolve in ${client.vpcId}`, fixDns ?? 'use a name of the endpoint in this VPC')] }];
  }
  const dns = pass('dns', `${name} resolves in ${client.vpcId} to ${answer.addresses.join(', ')}: ${answer.why}`);
  const self: Party = { vpcId: client.vpcId, ip: client.ip, securityGroupIds: client.securityGroupIds, vpcCidr: vpc?.cidr };
  return answer.addresses.map((address): Attempt => {
    const hops: Hop[] = [dns];
    const dest = f.eniAt(client.vpcId, address);
    if (vpc?.cidr && inCidr(address, vpc.cidr) && !dest && !vpc.created) {
      hops.push(unknown('route', `${address} is in ${client.vpcId}, an existing VPC: what has that address is not in the templates`));
      return { address, disposition: 'UNKNOWN', hops };
    }
    if (!vpc?.cidr || !inCidr(address, vpc.cidr) || !dest) {
      const elsewhere = f.owners(address).filter((e) => e.vpcId !== client.vpcId);
      const whose = elsewhere.length ? `, the address of ${f.describe(elsewhere[0]!)} in ${elsewhere[0]!.vpcId}` : '';
      hops.push(block('route', vpc?.cidr && !inCidr(address, vpc.cidr)
        ? `${address} is outside ${client.vpcId} (${vpc.cidr})${whose}: ${client.vpcId} has no route to it`
        : `no ENI in ${client.vpcId} has ${address}${whose}: nothing answers`, fixDns ?? 'use a name of the endpoint in this VPC'));
      return { address, disposition: 'BLOCKED', hops };
    }
    hops.push(pass('route', `${address} is ${f.describe(dest)} in ${client.vpcId}${dest.az ? ` (${dest.az})` : ''}`));
    hops.push(sgHop(f, 'client-egress', allows(f, client.securityGroupIds, 'egress', port, party(dest), client), client.securityGroupIds, `tcp ${port} to ${address}${dest.securityGroupIds[0] ? ` (${dest.securityGroupIds[0]})` : ''}`));
    if (dest.owner.kind === 'endpoint') hops.push(...latticeHops(f, self, dest, address, port));
    else {
      // A direct connection inside the VPC: the destination's own ingress, then what listens.
      hops.push(sgHop(f, 'target-ingress', allows(f, dest.securityGroupIds, 'ingress', port, self, dest), dest.securityGroupIds, `tcp ${port} from ${client.ip ?? client.label}`));
      hops.push(listenerHop(f, dest, port));
    }
    return { address, disposition: dispositionOf(hops), hops };
  });
}
