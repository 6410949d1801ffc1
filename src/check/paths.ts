// Follows a connection (client, name, port) hop by hop over the model: DNS, routing, security groups, the endpoint,
// the share, the Lattice hop, the gateway and the target. An implementation of the same semantics as the twin,
// written apart from it: the agreement test compares the two.
import type { ApiCall, Configuration, Endpoint, Eni, Gateway, Rule, SecurityGroup, Share } from '../model/index.js';
import { ASSOCIATION_RANGE, inCidr } from '../shared/index.js';
import { allows, inRanges, publicName, where, type Facts, type Match, type Party } from './facts.js';
import { ramAccess, type RamAccess, type Shared } from './access.js';
import type { Attempt, Client, Disposition, Hop, HopName } from './types.js';

const pass = (hop: HopName, detail: string, extra: Partial<Hop> = {}): Hop => ({
  hop,
  status: 'pass',
  detail,
  ...extra,
});
const block = (hop: HopName, detail: string, fix: string, extra: Partial<Hop> = {}): Hop => ({
  hop,
  status: 'block',
  detail,
  fix,
  ...extra,
});
const unknown = (hop: HopName, detail: string, fix?: string): Hop => ({
  hop,
  status: 'unknown',
  detail,
  ...(fix ? { fix } : {}),
});

const ruleRef = (f: Facts, r: Rule, g: SecurityGroup) => ({
  ...f.ref(r.source ?? g.source, g.id)!,
  ...(r.description ? { description: r.description } : {}),
});
const peerText = (r: Rule) =>
  'cidr' in r.peer ? r.peer.cidr : 'securityGroupId' in r.peer ? r.peer.securityGroupId : r.peer.prefixListId;
const groupsText = (f: Facts, ids: string[]) =>
  ids.length ? ids.map((id) => where(f.groups.get(id)?.source, id)).join(', ') : 'no security group';

/** A security-group hop from a match; `need` says in words what rule would let the flow on. */
function sgHop(f: Facts, hop: HopName, m: Match, groups: string[], need: string): Hop {
  if (m && 'rule' in m)
    return pass(
      hop,
      `${m.group.id} allows ${m.rule.protocol === '-1' ? 'all traffic' : `tcp ${m.rule.fromPort}-${m.rule.toPort}`} ${hop.endsWith('egress') ? 'to' : 'from'} ${peerText(m.rule)}`,
      { rule: ruleRef(f, m.rule, m.group) },
    );
  if (m && 'unknown' in m) return unknown(hop, m.unknown);
  const g = f.groups.get(groups[0] ?? '');
  return block(
    hop,
    `no ${hop.endsWith('egress') ? 'egress' : 'ingress'} rule of ${groupsText(f, groups)} allows ${need}`,
    `add to ${g ? where(g.source, g.id) : 'a security group of it'} ${hop.endsWith('egress') ? 'an egress' : 'an ingress'} rule: ${need}`,
    g ? { rule: f.ref(g.source, g.id) } : {},
  );
}

function party(e: Eni): Party {
  return { vpcId: e.vpcId ?? '?', ip: e.ip, securityGroupIds: e.securityGroupIds };
}

/** The share hop for `user` (the endpoint or connection that needs `shared`): RAM's decision, told. */
function sharing(f: Facts, shared: Shared, account: string, user: string): Hop {
  const thing = `${shared.what} ${shared.name}`;
  const access = ramAccess(f, shared, account);
  const rule = (s: { source: Share['source']; arn: string }) => ({ rule: f.ref(s.source, s.arn) });
  const membership = (inOrg: boolean | undefined) =>
    inOrg === false ? 'outside the organization' : 'not known to be in the organization';
  switch (access.kind) {
    case 'same-account':
      return pass('share', `${thing} and ${user} are in the same account ${account}`);
    case 'granted':
      return grantedHop(f, access, thing, account);
    case 'unknown':
      return unknown(
        'share',
        `share ${access.share.name} gives ${thing} to ${access.via === 'ou' ? 'an organizational unit' : 'the organization'}; the templates do not say whether account ${account} is in it`,
      );
    case 'not-shared': {
      const s = access.nearest;
      return block(
        'share',
        `${thing} is not shared with account ${account}, where ${user} needs it`,
        s
          ? `add ${account} to Principals of ${where(s.source, s.name)}`
          : `share ${shared.arn} with ${account} in an AWS::RAM::ResourceShare`,
        s ? rule(s) : {},
      );
    }
    case 'external-not-allowed':
      return block(
        'share',
        `share ${access.share.name} does not allow external principals, and account ${account} is ${membership(access.inOrganization)}: RAM does not share ${thing} with it`,
        `set AllowExternalPrincipals: true on ${where(access.share.source, access.share.name)}`,
        rule(access.share),
      );
    case 'invitation-not-accepted':
      return block(
        'share',
        `account ${account} has not accepted the invitation to share ${access.share.name} (${thing})${access.inOrganization === undefined ? ' (the templates do not say it is in the organization, so an invitation is assumed)' : ''}`,
        `accept the RAM invitation in account ${account} (ResourceShareInvitationAccepter, or \`aws ram accept-resource-share-invitation\`) before ${user} is created`,
        rule(access.share),
      );
  }
}

function grantedHop(f: Facts, access: RamAccess & { kind: 'granted' }, thing: string, account: string): Hop {
  const rule = { rule: f.ref(access.share.source, access.share.arn) };
  switch (access.via) {
    case 'ou':
      return pass(
        'share',
        `share ${access.share.name} gives ${thing} to organizational unit ${access.ou}, and account ${account} is in it (lattice-share:account metadata)`,
        rule,
      );
    case 'organization':
      return pass(
        'share',
        `share ${access.share.name} gives ${thing} to the organization, and account ${account} is in it`,
        rule,
      );
    case 'account-in-organization':
      return pass(
        'share',
        `share ${access.share.name} gives ${thing} to account ${account}, which is in the organization (no invitation)`,
        rule,
      );
    case 'accepted':
      return pass(
        'share',
        `share ${access.share.name} gives ${thing} to account ${account}; the invitation is accepted`,
        {
          rule: f.ref(access.acceptance.source),
        },
      );
  }
}

const configShared = (c: Configuration): Shared => ({
  arn: c.arn,
  name: c.name,
  account: c.account,
  what: 'configuration',
});

/**
 * Who may use an endpoint. A resource endpoint: the configuration is shared with its account. A service-network
 * path: the network is shared with its account, and the configuration with the network's account; a sharable
 * network takes only configurations that allow it.
 */
function shareHop(
  f: Facts,
  endpoint: Endpoint,
  parentArn: string,
  config: Configuration | undefined,
  gateway: Gateway | undefined,
): Hop {
  if (!config)
    return block(
      'share',
      `configuration ${parentArn} is not in the templates`,
      'deploy the owner stack, or check the configuration the endpoint names',
      { rule: f.ref(endpoint.source, endpoint.id) },
    );
  if (!gateway)
    return block(
      'share',
      `configuration ${config.name} names gateway ${config.gatewayId ?? '(none)'}, which the templates do not create`,
      `set ResourceGatewayId of ${where(config.source, config.id)} to a resource gateway`,
      { rule: f.ref(config.source, config.id) },
    );
  if (gateway.vpcId === endpoint.vpcId) {
    return block(
      'share',
      `endpoint ${endpoint.id} is in the gateway's own VPC ${gateway.vpcId}: AWS carries no traffic for it`,
      'reach the resource directly inside its own VPC, or put the endpoint in another VPC',
      { rule: f.ref(endpoint.source, endpoint.id) },
    );
  }
  if (endpoint.type === 'Resource')
    return sharing(f, configShared(config), endpoint.account, `endpoint ${endpoint.id}`);
  const sn = f.serviceNetwork(endpoint.serviceNetwork!);
  if (!sn)
    return block(
      'share',
      `service network ${endpoint.serviceNetwork} is not in the templates`,
      `deploy the stack that creates it, or check ${where(endpoint.source, endpoint.id)}`,
      { rule: f.ref(endpoint.source, endpoint.id) },
    );
  if (
    endpoint.type === 'VpcAssociation' &&
    !endpoint.serviceNetwork!.startsWith('arn:') &&
    sn.account !== endpoint.account
  ) {
    return block(
      'share',
      `association ${endpoint.id} names service network ${sn.name} of account ${sn.account} by ID: AWS refuses the association`,
      `set ServiceNetworkIdentifier to ${sn.arn}`,
      { rule: f.ref(endpoint.source, endpoint.id) },
    );
  }
  if (sn.sharable && !config.allowSharableServiceNetwork) {
    return block(
      'share',
      `service network ${sn.name} is sharable, and configuration ${config.name} does not allow association to sharable service networks: AWS refuses the association`,
      `set AllowAssociationToSharableServiceNetwork: true on ${where(config.source, config.id)}, or SharingConfig.enabled: false on ${where(sn.source, sn.id)}`,
      { rule: f.ref(config.source, config.id) },
    );
  }
  const network = sharing(
    f,
    { arn: sn.arn, name: sn.name, account: sn.account, what: 'service network' },
    endpoint.account,
    `${endpoint.type === 'VpcAssociation' ? 'association' : 'endpoint'} ${endpoint.id}`,
  );
  const resource = sharing(f, configShared(config), sn.account, `service network ${sn.name}`);
  const first =
    [network, resource].find((h) => h.status === 'block') ?? [network, resource].find((h) => h.status === 'unknown');
  return (
    first ??
    pass(
      'share',
      `${network.detail}; ${resource.detail}`,
      network.rule ? { rule: network.rule } : resource.rule ? { rule: resource.rule } : {},
    )
  );
}

/** The gateway ENI that carries an endpoint ENI's flows: one in the same zone, else one in a zone both have. */
function gatewayEni(f: Facts, endpoint: Endpoint, eni: Eni, gateway: Gateway): { eni?: Eni; hop: Hop } {
  const gw = gateway.eniIds.map((id) => f.enis.get(id)).filter((x): x is Eni => !!x);
  const zones = endpoint.eniIds.map((id) => f.enis.get(id)?.az);
  if (gw.some((g) => !g.az) || zones.some((z) => !z))
    return { hop: unknown('az', 'the zones of the endpoint or of the gateway are not in the templates') };
  const chosen = gw.find((g) => g.az === eni.az) ?? gw.find((g) => zones.includes(g.az));
  if (!chosen) {
    return {
      hop: block(
        'az',
        `endpoint ${endpoint.id} is in ${[...new Set(zones)].join(', ')} and gateway ${gateway.name} in ${[...new Set(gw.map((g) => g.az))].join(', ') || 'no zone'}: no zone in common`,
        `give gateway ${gateway.name} a subnet in ${zones[0]} (or the endpoint one in ${gw[0]?.az ?? 'a gateway zone'})`,
        { rule: f.ref(gateway.source, gateway.id) },
      ),
    };
  }
  return {
    eni: chosen,
    hop: pass(
      'az',
      `the gateway's ENI in ${chosen.az} (${chosen.ip}) carries it${chosen.az === eni.az ? '' : ` (none in ${eni.az})`}`,
    ),
  };
}

/**
 * What listens at the end: a database on its port, or what an instance's tag says it serves. `https` is the name an
 * HTTPS caller (EventBridge, Step Functions) expects the server's certificate to carry.
 */
function listenerHop(f: Facts, target: Eni, port: number, https?: string): Hop {
  const db = f.databasesByEni.get(target.id);
  if (db) {
    return db.port === port
      ? pass('listener', `${db.engine} listens on ${target.ip}:${port}`)
      : block(
          'listener',
          `${db.engine} on ${target.ip} listens on ${db.port}, not ${port}: the connection is refused`,
          `connect on port ${db.port}, or make the configuration's port ranges ${db.port}`,
          { rule: f.ref(db.source, db.id) },
        );
  }
  if (target.owner.kind === 'instance') {
    const instance = f.instances.get(target.owner.id);
    const services = f.servicesOf(target.owner.id);
    const service = services.find((x) => x.port === port);
    if (!service) {
      if (https && services.length)
        return block(
          'listener',
          `${f.describe(target)} serves ${services.map((x) => `${x.protocol} on ${x.port}`).join(', ')}, not port ${port}`,
          `call port ${services[0]!.port}, or serve the API on ${port}`,
          { rule: f.ref(instance?.source, instance?.id) },
        );
      return unknown(
        'listener',
        `what listens on ${f.describe(target)} (${target.ip}:${port}) is not in the templates`,
      );
    }
    if (!https)
      return pass(
        'listener',
        `${f.describe(target)} serves ${service.protocol} on ${port} (its lattice-share:serves tag)`,
      );
    if (service.protocol !== 'https')
      return block(
        'listener',
        `${f.describe(target)} speaks plain HTTP on ${port}: the TLS handshake fails, and EventBridge and Step Functions call HTTPS only`,
        'serve the API over HTTPS (terminate TLS on the server or on a load balancer in front of it)',
        { rule: f.ref(instance?.source, instance?.id) },
      );
    const names = f.certificateNames(target);
    if (!names.includes(https.toLowerCase()))
      return block(
        'listener',
        `the certificate of ${f.describe(target)} is for ${names.join(', ') || 'no name the templates give'}, not ${https}: TLS verification fails`,
        `call the API by ${names[0] ?? 'a name its certificate carries'}, or add ${https} to the certificate`,
        { rule: f.ref(instance?.source, instance?.id) },
      );
    return pass('listener', `${f.describe(target)} serves HTTPS on ${port}, with a certificate for ${https}`);
  }
  return block(
    'listener',
    `${f.describe(target)} accepts no connections on ${port}`,
    'point the configuration at the resource itself',
  );
}

/** From the endpoint ENI that took the connection to the listener: the endpoint's ingress, then the owner side. */
function latticeHops(f: Facts, client: Party, endpointEni: Eni, address: string, port: number): Hop[] {
  const sgs = endpointEni.securityGroupIds;
  const ingress = sgHop(
    f,
    'endpoint-ingress',
    allows(f, sgs, 'ingress', port, client, endpointEni),
    sgs,
    `tcp ${port} from ${client.ip ?? client.securityGroupIds.join(', ')}${client.securityGroupIds[0] ? ` (${client.securityGroupIds[0]})` : ''}`,
  );
  // What follows does not depend on the client: worked out once per endpoint address and port.
  const key = `${endpointEni.id}|${address}|${port}`;
  let rest = f.ownerSides.get(key);
  if (!rest) f.ownerSides.set(key, (rest = ownerSide(f, endpointEni, address, port)));
  return [ingress, ...rest];
}

function ownerSide(f: Facts, endpointEni: Eni, address: string, port: number): Hop[] {
  const endpoint = f.endpoints.get(endpointEni.owner.id)!;
  const hops: Hop[] = [];
  const index = endpoint.eniIds.indexOf(endpointEni.id);
  const association = endpoint.associations.find((a) => a.ips[index] === address);
  const parentArn = association?.parentArn ?? endpoint.configurationArn ?? '?';
  const parent = f.configurations.get(parentArn);
  const gateway = parent?.gatewayId ? f.gateways.get(parent.gatewayId) : undefined;
  hops.push(shareHop(f, endpoint, parentArn, parent, gateway));
  const config = association ? f.configurations.get(association.configurationArn) : undefined;
  const ranges = config?.portRanges.length ? config.portRanges : (parent?.portRanges ?? []);
  hops.push(
    inRanges(port, ranges)
      ? pass('port-range', `port ${port} is within ${ranges.join(', ')} of ${config?.name ?? parent?.name}`)
      : block(
          'port-range',
          `port ${port} is outside the port ranges of ${config?.name ?? parent?.name ?? 'the configuration'} (${ranges.join(', ') || 'none'})`,
          ranges.length
            ? `connect on ${ranges[0]!.split('-')[0]}, or add ${port} to PortRanges of ${where((config?.amazonManaged ? parent : config)?.source, (config?.amazonManaged ? parent : config)?.id)}`
            : `set PortRanges on ${where(config?.source, config?.id)}`,
          { rule: f.ref((config?.amazonManaged ? parent : config)?.source, config?.id) },
        ),
  );
  if (!gateway) return hops;
  const { eni: gwEni, hop: az } = gatewayEni(f, endpoint, endpointEni, gateway);
  hops.push(az);
  if (!gwEni) return hops;
  return [...hops, ...beyondGateway(f, config, gateway, gwEni, port)];
}

/** From the gateway to what listens: the target's name in the owner VPC, the gateway's egress, the target's ingress. */
function beyondGateway(
  f: Facts,
  config: Configuration | undefined,
  gateway: Gateway,
  gwEni: Eni,
  port: number,
  https?: string,
): Hop[] {
  const hops: Hop[] = [];
  // The gateway resolves a DNS target in its own VPC; an IP target is used as is.
  const d = config?.definition;
  let targetIp: string | undefined;
  if (!d || 'arn' in d)
    hops.push(
      block(
        'target-dns',
        `${config?.name ?? 'the configuration'} has no DNS or IP target`,
        "use the configuration's child (writer or reader) names",
        { rule: f.ref(config?.source, config?.id) },
      ),
    );
  else if ('ip' in d) {
    targetIp = d.ip;
    hops.push(pass('target-dns', `the target is ${d.ip}`));
  } else {
    const a = f.resolve(gateway.vpcId, d.dns);
    const imported = f.m.databases.find((x) => !x.created && (x.writerName === d.dns || x.readerName === d.dns));
    if (a) {
      targetIp = a.addresses[0];
      hops.push(pass('target-dns', `${d.dns} resolves in ${gateway.vpcId} to ${a.addresses.join(', ')} (${a.why})`));
    } else if (imported)
      hops.push(
        unknown(
          'target-dns',
          `${d.dns} belongs to cluster ${imported.id}, which the templates reference but do not create: its address is not known`,
        ),
      );
    else
      hops.push(
        block(
          'target-dns',
          `${d.dns} does not resolve in the owner VPC ${gateway.vpcId}`,
          `point ${where(config?.source, config?.id)} at a name that resolves there (or use IN_VPC resolution for a private zone)`,
          { rule: f.ref(config?.source, config?.id) },
        ),
      );
  }
  if (!targetIp) return hops;
  const ownerVpc = f.vpcs.get(gateway.vpcId);
  const target = f.eniAt(gateway.vpcId, targetIp);
  if (!ownerVpc?.cidr || !inCidr(targetIp, ownerVpc.cidr) || !target) {
    const outside = ownerVpc?.cidr && !inCidr(targetIp, ownerVpc.cidr);
    if (!outside && ownerVpc && !ownerVpc.created) {
      hops.push(
        unknown(
          'target-dns',
          `the target ${targetIp} is in ${gateway.vpcId}, an existing VPC: what has that address (and its security groups) is not in the templates`,
        ),
      );
      return hops;
    }
    hops.push(
      block(
        'target-dns',
        outside
          ? `the target ${targetIp} is outside the owner VPC ${gateway.vpcId} (${ownerVpc.cidr}): the gateway has no route to it`
          : `no ENI in ${gateway.vpcId} has the target address ${targetIp}`,
        "point the configuration at an address inside the gateway's VPC",
      ),
    );
    return hops;
  }
  hops.push(
    sgHop(
      f,
      'gateway-egress',
      allows(f, gateway.securityGroupIds, 'egress', port, party(target), gwEni),
      gateway.securityGroupIds,
      `tcp ${port} to ${target.ip} (${target.securityGroupIds[0] ?? 'the target'})`,
    ),
  );
  hops.push(
    sgHop(
      f,
      'target-ingress',
      allows(f, target.securityGroupIds, 'ingress', port, party(gwEni), target),
      target.securityGroupIds,
      `tcp ${port} from the gateway ${gwEni.ip} (${gateway.securityGroupIds[0] ?? 'its group'})`,
    ),
  );
  hops.push(listenerHop(f, target, port, https));
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
    const hop = block(
      'dns',
      `${client.vpcId} has EnableDnsSupport false: the Amazon-provided resolver does not answer`,
      `set EnableDnsSupport: true on ${where(vpc.source, vpc.id)}`,
      { rule: f.ref(vpc.source, vpc.id) },
    );
    return [{ disposition: 'BLOCKED', hops: [hop] }];
  }
  const answer = f.resolve(client.vpcId, name);
  if (!answer) {
    return [
      {
        disposition: 'BLOCKED',
        hops: [
          block(
            'dns',
            `${name} does not resolve in ${client.vpcId}`,
            fixDns ?? 'use a name of the endpoint in this VPC',
          ),
        ],
      },
    ];
  }
  const dns = pass('dns', `${name} resolves in ${client.vpcId} to ${answer.addresses.join(', ')}: ${answer.why}`);
  const self: Party = {
    vpcId: client.vpcId,
    ip: client.ip,
    securityGroupIds: client.securityGroupIds,
    vpcCidr: vpc?.cidr,
  };
  return answer.addresses.map((address): Attempt => {
    const hops: Hop[] = [dns];
    const dest = f.eniAt(client.vpcId, address);
    // A VPC with a service-network association has 129.224.0.0/17 in its route tables (AWS's addresses for it).
    const routed =
      !!vpc?.cidr &&
      (inCidr(address, vpc.cidr) || (f.associatedVpcs.has(client.vpcId) && inCidr(address, ASSOCIATION_RANGE)));
    if (vpc?.cidr && inCidr(address, vpc.cidr) && !dest && !vpc.created) {
      hops.push(
        unknown(
          'route',
          `${address} is in ${client.vpcId}, an existing VPC: what has that address is not in the templates`,
        ),
      );
      return { address, disposition: 'UNKNOWN', hops };
    }
    if (!routed || !dest) {
      const elsewhere = f.owners(address).filter((e) => e.vpcId !== client.vpcId);
      const whose = elsewhere.length ? `, the address of ${f.describe(elsewhere[0]!)} in ${elsewhere[0]!.vpcId}` : '';
      hops.push(
        block(
          'route',
          vpc?.cidr && !routed
            ? `${address} is outside ${client.vpcId} (${vpc.cidr})${whose}: ${client.vpcId} has no route to it`
            : `no ENI in ${client.vpcId} has ${address}${whose}: nothing answers`,
          fixDns ?? 'use a name of the endpoint in this VPC',
        ),
      );
      return { address, disposition: 'BLOCKED', hops };
    }
    hops.push(pass('route', `${address} is ${f.describe(dest)} in ${client.vpcId}${dest.az ? ` (${dest.az})` : ''}`));
    // A VPC association's addresses carry no ENI of the VPC: rules that reference its groups do not match them.
    const association = f.isAssociation(dest);
    const egressTo = association ? { ...party(dest), securityGroupIds: [] } : party(dest);
    const need = association
      ? `tcp ${port} to ${ASSOCIATION_RANGE} (the association's addresses; or the VPC Lattice managed prefix list)`
      : `tcp ${port} to ${address}${dest.securityGroupIds[0] ? ` (${dest.securityGroupIds[0]})` : ''}`;
    hops.push(
      sgHop(
        f,
        'client-egress',
        allows(f, client.securityGroupIds, 'egress', port, egressTo, client),
        client.securityGroupIds,
        need,
      ),
    );
    if (dest.owner.kind === 'endpoint') hops.push(...latticeHops(f, self, dest, address, port));
    else {
      // A direct connection inside the VPC: the destination's own ingress, then what listens.
      hops.push(
        sgHop(
          f,
          'target-ingress',
          allows(f, dest.securityGroupIds, 'ingress', port, self, dest),
          dest.securityGroupIds,
          `tcp ${port} from ${client.ip ?? client.label}`,
        ),
      );
      hops.push(listenerHop(f, dest, port));
    }
    return { address, disposition: dispositionOf(hops), hops };
  });
}

/**
 * An EventBridge API destination or a Step Functions HTTP task calling a private API: HTTPS only; EventBridge sends
 * through its own service network to the configuration's gateway (any of its zones), with no security group of its own.
 */
export function traceCall(f: Facts, call: ApiCall): { host: string; port: number; attempt: Attempt } {
  let url: URL | undefined;
  try {
    url = call.url ? new URL(call.url) : undefined;
  } catch {
    url = undefined;
  }
  const host = url?.hostname ?? call.url;
  const port = url ? Number(url.port || (url.protocol === 'http:' ? 80 : 443)) : 443;
  const hops: Hop[] = [];
  const done = (): { host: string; port: number; attempt: Attempt } => ({
    host,
    port,
    attempt: { disposition: dispositionOf(hops), hops },
  });
  const service = call.kind === 'api-destination' ? 'EventBridge API destinations' : 'Step Functions HTTP tasks';
  if (!url) {
    hops.push(unknown('scheme', call.url ? `${call.url} is not a URL` : 'the endpoint is computed at run time'));
    return done();
  }
  if (url.protocol !== 'https:') {
    hops.push(
      block(
        'scheme',
        `${call.url} is ${url.protocol.replace(':', '')}: ${service} call HTTPS endpoints only, and AWS rejects the ${call.kind === 'api-destination' ? 'destination' : 'task'}`,
        `serve the API over HTTPS and call https://${url.host}${url.pathname}`,
        { rule: f.ref(call.source) },
      ),
    );
    return done();
  }
  if (call.kind === 'http-task' && !publicName(url.hostname)) {
    hops.push(
      block(
        'scheme',
        `${url.hostname} is not a public domain name: Step Functions reaches private APIs only by one, with a publicly trusted certificate`,
        'give the API a name in a public domain with a certificate from a public CA',
        { rule: f.ref(call.source) },
      ),
    );
    return done();
  }
  hops.push(pass('scheme', `${service} call https://${url.host}`));
  const conn = f.m.connections.find((c) => c.arn === call.connectionArn);
  if (!conn?.configurationArn) {
    hops.push(
      block(
        'share',
        conn
          ? `connection ${conn.name} has no InvocationConnectivityParameters: it calls the public internet, not the private API`
          : `connection ${call.connectionArn || '(none)'} is not in the templates`,
        conn
          ? `set InvocationConnectivityParameters.ResourceParameters.ResourceConfigurationArn on ${where(conn.source, conn.name)}`
          : 'point the caller at an AWS::Events::Connection',
        { rule: f.ref(conn?.source ?? call.source) },
      ),
    );
    return done();
  }
  const config = f.configurations.get(conn.configurationArn);
  const parent = config?.groupId ? f.configurationsById.get(config.groupId) : config;
  const gateway = parent?.gatewayId ? f.gateways.get(parent.gatewayId) : undefined;
  if (!config || !gateway) {
    hops.push(
      block(
        'share',
        `configuration ${conn.configurationArn} ${config ? `names gateway ${parent?.gatewayId ?? '(none)'}, which the templates do not create` : 'is not in the templates'}`,
        "deploy the owner stack, or check the connection's ResourceConfigurationArn",
        { rule: f.ref(conn.source, conn.id) },
      ),
    );
    return done();
  }
  hops.push(sharing(f, configShared(config), conn.account, `connection ${conn.name}`));
  const ranges = config.portRanges.length ? config.portRanges : (parent?.portRanges ?? []);
  hops.push(
    inRanges(port, ranges)
      ? pass('port-range', `port ${port} is within ${ranges.join(', ')} of ${config.name}`)
      : block(
          'port-range',
          `port ${port} is outside the port ranges of ${config.name} (${ranges.join(', ') || 'none'})`,
          `add ${port} to PortRanges of ${where(config.source, config.id)}`,
          { rule: f.ref(config.source, config.id) },
        ),
  );
  const gwEni = gateway.eniIds.map((id) => f.enis.get(id)).find((x): x is Eni => !!x);
  if (!gwEni) {
    hops.push(unknown('az', `gateway ${gateway.name} has no ENI in the templates`));
    return done();
  }
  hops.push(
    pass('az', `EventBridge's service network uses the gateway's ENI in ${gwEni.az ?? 'its zone'} (${gwEni.ip})`),
  );
  hops.push(...beyondGateway(f, config, gateway, gwEni, port, url.hostname));
  return done();
}
