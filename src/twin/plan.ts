// The twin's plan: the infra model turned into namespaces, links, addresses and firewall rules. Pure data.
import { ASSOCIATION_RANGE, hex as h, inCidr, intToIp, ipToInt } from '../shared/index.js';
import type {
  Configuration,
  Endpoint,
  EndpointAssociation,
  Eni,
  Gateway,
  InfraModel,
  Rule,
  SecurityGroup,
} from '../model/index.js';

export interface Segment {
  /** The VPC this L2 segment stands for. */
  readonly vpcId: string;
  readonly cidr: string;
  /** The namespace holding the segment's bridge. */
  readonly namespace: string;
  /** The Amazon-provided resolver's address: the VPC base + 2. */
  readonly resolver: string;
  /** The VPC router's address, base + 1: every ENI's default gateway. It forwards nothing, so packets to
   * addresses outside the VPC are dropped, as the VPC router drops them without a route. */
  readonly router: string;
  /** Whether the VPC's resolver answers at all (EnableDnsSupport). */
  readonly dns: boolean;
  /** Names the resolver answers in this VPC: public ones everywhere, private DNS only in its VPC. */
  readonly records: Record<string, string[]>;
}

/** Where an endpoint ENI sends a connection to one of its association addresses. */
export interface LatticeRoute {
  /** The association's address on this endpoint ENI. */
  readonly listen: string;
  /** Port ranges as the configuration gives them ("5432", "8000-8010"). */
  readonly ports: string[];
  /** The target's address, resolved in the owner VPC. */
  readonly targetIp: string;
  /** Why connections are not carried, when they are not: the address then refuses, as no endpoint would exist. */
  readonly refused?: string;
  /**
   * The gateway ENI that carries it, and the mark (1…) of the link to it in the endpoint's namespace (set once links
   * are made).
   */
  readonly gatewayEni?: string;
  link?: number;
}

/** The Lattice hop between an endpoint ENI and the gateway ENI it uses: a veth pair, kernel NAT on both ends. */
export interface LatticeLink {
  readonly endpointEni: string;
  readonly gatewayEni: string;
  readonly endpointIf: string;
  readonly gatewayIf: string;
  /** Link-local /31: the endpoint side, then the gateway side. */
  readonly endpointAddr: string;
  readonly gatewayAddr: string;
  /** Connection mark in the gateway namespace: replies go back over this link. */
  readonly mark: number;
  /** Mark in the endpoint namespace: connections translated for this gateway go over this link. */
  readonly localMark: number;
}

export interface Node {
  /** The ENI this namespace stands for. */
  readonly eniId: string;
  /** 'caller': where EventBridge and Step Functions send from, for one connection. */
  readonly role: Eni['owner']['kind'] | 'caller';
  readonly ownerId: string;
  /** A readable name: the workload name, or role and owner ID. */
  readonly label: string;
  readonly vpcId: string;
  readonly namespace: string;
  readonly ip: string;
  /** Prefix length of the VPC: every address of the VPC is on-link, as through the VPC router. */
  readonly prefix: number;
  /** The veth end inside the segment namespace (≤ 15 characters). */
  readonly port: string;
  readonly secondaryIps: string[];
  /** Prefixes reached on the segment besides the node's own: 129.224.0.0/17 in a VPC with a service-network
   * association (AWS routes it in the VPC), and the VPC's CIDR for the association's own addresses. */
  readonly onLink: string[];
  readonly az?: string;
  readonly nftables: string;
  /** For endpoint ENIs: what the Lattice hop carries. */
  readonly routes: LatticeRoute[];
}

export interface TwinPlan {
  readonly name: string;
  readonly segments: Segment[];
  readonly nodes: Node[];
  readonly links: LatticeLink[];
  /** ENIs left out, with why. */
  readonly skipped: string[];
}

/** Every namespace of a twin starts with this: what `down` may remove. */
/** 48 bits of the twin's name: no name can be found that makes one twin's down take another's namespaces. */
export const namespacePrefix = (twin: string) => `lst-${h(twin, 12)}-`;

export function planTwin(name: string, m: InfraModel): TwinPlan {
  const prefix = namespacePrefix(name);
  const skipped: string[] = [];
  const segments: Segment[] = m.vpcs
    .filter((v) => v.cidr)
    .map((v) => ({
      vpcId: v.id,
      cidr: v.cidr!,
      namespace: `${prefix}vpc-${h(v.id, 8)}`,
      dns: v.dnsSupport,
      resolver: intToIp(ipToInt(v.cidr!.split('/')[0]!) + 2),
      router: intToIp(ipToInt(v.cidr!.split('/')[0]!) + 1),
      records: records(m, v.id),
    }));
  const enis = m.enis.filter((e) => {
    const ok = e.ip && e.vpcId && segments.some((s) => s.vpcId === e.vpcId);
    if (!ok) skipped.push(`${e.id} (${e.owner.kind} ${e.owner.id}): no address or VPC known`);
    return ok;
  });
  const label = (e: Eni) =>
    e.owner.kind === 'instance'
      ? (m.instances.find((i) => i.id === e.owner.id)?.name ?? e.owner.id)
      : `${e.owner.kind}-${e.owner.id}`;
  const associated = new Set(m.endpoints.filter((x) => x.type === 'VpcAssociation').map((x) => x.vpcId));
  const nodes = enis.map((e): Node => {
    const seg = segments.find((s) => s.vpcId === e.vpcId)!;
    const outside = !inCidr(e.ip!, seg.cidr);
    return {
      eniId: e.id,
      role: e.owner.kind,
      ownerId: e.owner.id,
      label: label(e),
      vpcId: e.vpcId!,
      namespace: `${prefix}${h(e.id, 10)}`,
      ip: e.ip!,
      prefix: outside ? 17 : Number(seg.cidr.split('/')[1]),
      port: `lsp${h(`${name}/${e.id}`, 11)}`,
      secondaryIps: e.secondaryIps,
      az: e.az,
      onLink: outside ? [seg.cidr] : associated.has(seg.vpcId) ? [ASSOCIATION_RANGE] : [],
      nftables: renderNftables(e, m, enis, seg.resolver),
      routes: e.owner.kind === 'endpoint' ? latticeRoutes(m, e, segments) : [],
    };
  });
  callers(m, prefix, name, segments, nodes);
  const links: LatticeLink[] = [];
  for (const n of nodes.filter((x) => x.role === 'endpoint')) {
    const gateways = [...new Set(n.routes.filter((r) => !r.refused).map((r) => r.gatewayEni!))].filter((gw) =>
      nodes.some((x) => x.eniId === gw),
    );
    gateways.forEach((gw, i) => {
      const k = links.length;
      const key = `${name}/${n.eniId}/${gw}`;
      links.push({
        endpointEni: n.eniId,
        gatewayEni: gw,
        endpointIf: `lle${h(key, 11)}`,
        gatewayIf: `llg${h(key, 11)}`,
        endpointAddr: `169.254.${Math.floor(k / 128)}.${(k % 128) * 2}`,
        gatewayAddr: `169.254.${Math.floor(k / 128)}.${(k % 128) * 2 + 1}`,
        mark: k + 1,
        localMark: i + 1,
      });
      for (const r of n.routes) if (r.gatewayEni === gw && !r.refused) r.link = i + 1;
    });
  }
  return { name, segments, nodes, links, skipped };
}

/**
 * EventBridge and Step Functions reach a private API from AWS's side, through a service network of their own: each
 * connection gets a caller namespace and one that stands for its association (no security groups on either), on a
 * segment of its own. Addresses come from 198.18.0.0/15 (benchmarking space): they exist only in the twin.
 */
function callers(m: InfraModel, prefix: string, name: string, segments: Segment[], nodes: Node[]): void {
  m.connections
    .filter((c) => c.configurationArn)
    .forEach((c, k) => {
      const base = intToIp(ipToInt('198.18.0.0') + k * 256).replace(/\.0$/, '');
      segments.push({
        vpcId: c.id,
        cidr: `${base}.0/24`,
        namespace: `${prefix}vpc-${h(c.id, 8)}`,
        dns: false,
        resolver: `${base}.2`,
        router: `${base}.1`,
        records: {},
      });
      const node = (eniId: string, role: Node['role'], label: string, ip: string, routes: LatticeRoute[]): Node => ({
        eniId,
        role,
        ownerId: c.id,
        label,
        vpcId: c.id,
        namespace: `${prefix}${h(eniId, 10)}`,
        ip,
        prefix: 24,
        port: `lsp${h(`${name}/${eniId}`, 11)}`,
        secondaryIps: [],
        onLink: [],
        nftables: OPEN,
        routes,
      });
      const config = m.configurations.find((x) => x.arn === c.configurationArn);
      const gateway = config && gatewayOf(m, config);
      const gwEni = gateway?.eniIds[0];
      const refused = !config
        ? `configuration ${c.configurationArn} is not in the templates`
        : !gateway
          ? `gateway ${config.gatewayId ?? '?'} of ${config.name} is not in the templates`
          : sharedWith(m, config.arn, config.account, c.account, `configuration ${config.name}`);
      const target = config && gateway ? targetOf(m, config, gateway, segments) : undefined;
      const parent = config?.groupId ? m.configurations.find((x) => x.id === config.groupId) : config;
      nodes.push(node(`${c.id}/caller`, 'caller', `caller-${c.id}`, `${base}.10`, []));
      nodes.push(
        node(`${c.id}/association`, 'endpoint', `association-${c.id}`, `${base}.11`, [
          {
            listen: `${base}.11`,
            ports: config?.portRanges.length ? config.portRanges : (parent?.portRanges ?? []),
            targetIp: target ?? '0.0.0.0',
            gatewayEni: gwEni,
            refused:
              refused ??
              (!target ? `the target of ${config?.name ?? '?'} does not resolve in the owner VPC` : undefined),
          },
        ]),
      );
    });
}

/** No security groups: everything the Lattice hop carries passes. */
const OPEN = [
  'table inet twin_sg {',
  '  chain forward {',
  '    type filter hook forward priority 0; policy accept;',
  '  }',
  '}',
  '',
].join('\n');

/** The resolver's names for one VPC, like the Amazon-provided one: RDS and endpoint names are public records. */
function records(m: InfraModel, vpcId: string): Record<string, string[]> {
  const r: Record<string, string[]> = {};
  const ipOf = (eniId: string) => m.enis.find((e) => e.id === eniId)?.ip;
  for (const d of m.databases) {
    const writer = d.eniIds.map(ipOf).filter((x): x is string => !!x);
    if (!writer.length) continue;
    r[d.writerName] = [writer[0]!];
    r[d.readerName] = writer.length > 1 ? writer.slice(1) : [writer[0]!];
  }
  // Route 53 records: public ones everywhere, private zones in their VPCs.
  for (const x of m.records) if (!x.vpcIds || x.vpcIds.includes(vpcId)) r[x.name] = x.addresses;
  // An endpoint's own names are public; a VPC association's resolve only in its VPC (its addresses are per VPC).
  for (const e of m.endpoints.filter((x) => x.type !== 'VpcAssociation'))
    for (const a of e.associations) r[a.dnsName] = a.ips;
  for (const e of m.endpoints.filter((x) => x.vpcId === vpcId)) {
    for (const a of e.associations) {
      if (e.type === 'VpcAssociation') r[a.dnsName] = a.ips;
      if (a.privateDnsName) r[a.privateDnsName] = a.ips;
    }
  }
  // DNS names are case-insensitive: keys are kept lowercase.
  return Object.fromEntries(Object.entries(r).map(([k, v]) => [k.toLowerCase(), v]));
}

const gatewayOf = (m: InfraModel, config: Configuration): Gateway | undefined => {
  const parent = config.groupId ? m.configurations.find((c) => c.id === config.groupId) : config;
  return m.gateways.find((g) => g.id === (parent?.gatewayId ?? config.gatewayId));
};

/** Why a resource owned by `owner` is not available to `account` through RAM, if it is not. */
function sharedWith(m: InfraModel, arn: string, owner: string, account: string, what: string): string | undefined {
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
  const snId = endpoint.serviceNetwork!.split('/').pop();
  const sn = m.serviceNetworks.find((x) => x.id === snId);
  if (!sn) return `service network ${endpoint.serviceNetwork} is not in the templates`;
  if (
    endpoint.type === 'VpcAssociation' &&
    !endpoint.serviceNetwork!.startsWith('arn:') &&
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

/** The gateway ENI an endpoint ENI uses: one in its own zone, else one in a zone the endpoint also has. */
function preferredGateway(m: InfraModel, e: Eni, endpoint: Endpoint, gateway: Gateway | undefined): string | undefined {
  const gwEnis = (gateway?.eniIds ?? []).map((id) => m.enis.find((x) => x.id === id)).filter((x): x is Eni => !!x);
  const zones = new Set(endpoint.eniIds.map((id) => m.enis.find((x) => x.id === id)?.az));
  return (gwEnis.find((g) => g.az === e.az) ?? gwEnis.find((g) => zones.has(g.az)))?.id;
}

/** The target's address as the gateway resolves it in its VPC (once, at bring-up), or an IP target as is. */
function targetOf(m: InfraModel, config: Configuration, gateway: Gateway, segments: Segment[]): string | undefined {
  const d = config.definition;
  if (!d || 'arn' in d) return undefined;
  return 'ip' in d ? d.ip : segments.find((s) => s.vpcId === gateway.vpcId)?.records[d.dns.toLowerCase()]?.[0];
}

function latticeRoutes(m: InfraModel, e: Eni, segments: Segment[]): LatticeRoute[] {
  const endpoint = m.endpoints.find((x) => x.id === e.owner.id)!;
  const index = endpoint.eniIds.indexOf(e.id);
  return endpoint.associations
    .map((a) => {
      const parent = m.configurations.find((c) => c.arn === a.parentArn);
      const gateway = parent && gatewayOf(m, parent);
      const config = m.configurations.find((c) => c.arn === a.configurationArn);
      const d = config?.definition;
      const gatewayEni = preferredGateway(m, e, endpoint, gateway);
      const targetIp = config && gateway ? targetOf(m, config, gateway, segments) : undefined;
      const why =
        access(m, endpoint, a) ??
        (!d || 'arn' in d ? `no DNS or IP target for ${a.configurationArn}` : undefined) ??
        (!targetIp ? `target ${d && 'dns' in d ? d.dns : '?'} does not resolve in the owner VPC` : undefined) ??
        (!gatewayEni ? 'the endpoint and the gateway have no availability zone in common' : undefined);
      return {
        listen: a.ips[index]!,
        ports: config?.portRanges.length ? config.portRanges : (parent?.portRanges ?? []),
        targetIp: targetIp ?? '0.0.0.0',
        refused: why,
        gatewayEni,
      };
    })
    .filter((r) => r.listen);
}

/**
 * Addresses a rule's peer stands for, seen from a VPC: SG references expand to members in that VPC only. A VPC
 * association's addresses are no ENI of the VPC: references to its groups do not cover them.
 */
function peerAddresses(rule: Rule, vpcId: string, enis: Eni[]): string[] {
  if ('cidr' in rule.peer) return rule.peer.cidr.includes(':') ? [] : [rule.peer.cidr];
  if ('securityGroupId' in rule.peer) {
    const sg = rule.peer.securityGroupId;
    return enis
      .filter((e) => e.vpcId === vpcId && e.securityGroupIds.includes(sg) && !inCidr(e.ip!, ASSOCIATION_RANGE))
      .flatMap((e) => [e.ip!, ...e.secondaryIps].map((ip) => `${ip}/32`));
  }
  return []; // prefix lists: none are modelled, so they match nothing
}

function match(rule: Rule, direction: 'saddr' | 'daddr', addresses: string[]): string | undefined {
  if (!addresses.length) return undefined;
  const addr = `ip ${direction} { ${addresses.join(', ')} }`;
  const ports = rule.fromPort === rule.toPort ? `${rule.fromPort}` : `${rule.fromPort}-${rule.toPort}`;
  switch (rule.protocol) {
    case '-1':
      return `${addr} accept`;
    case 'tcp':
    case 'udp':
      return `${addr} ${rule.protocol} dport ${ports} accept`;
    case 'icmp':
      return rule.fromPort === -1 ? `${addr} ip protocol icmp accept` : `${addr} icmp type ${rule.fromPort} accept`;
    default:
      return undefined;
  }
}

/**
 * A security group in the kernel: stateful (replies pass), inbound dropped unless a rule allows it, outbound as the
 * rules say. Traffic to the VPC's resolver is not subject to security groups on AWS, and is not here.
 */
export function renderNftables(eni: Eni, m: InfraModel, enis: Eni[], resolver: string): string {
  const groups = eni.securityGroupIds
    .map((id) => m.securityGroups.find((g) => g.id === id))
    .filter((g): g is SecurityGroup => !!g);
  const lines = (rules: Rule[], dir: 'saddr' | 'daddr', guard = '') =>
    rules
      .map((r) => match(r, dir, peerAddresses(r, eni.vpcId!, enis)))
      .filter((x): x is string => !!x)
      .map((x) => `    ${guard}${x}`);
  const ingress = groups.flatMap((g) => g.ingress);
  const egress = groups.flatMap((g) => g.egress);
  // The Lattice hop crosses endpoint and gateway ENIs as forwarded traffic: the endpoint's ingress rules apply to
  // connections it carries (only translated ones, which the Lattice table marks, even when the translation leaves the
  // address as it was: it is no router), the gateway's egress rules to what it sends on.
  const forward =
    eni.owner.kind === 'endpoint'
      ? lines(ingress, 'saddr', 'iif "eth0" ct mark != 0 ')
      : eni.owner.kind === 'gateway'
        ? lines(egress, 'daddr', 'iifname "llg*" oif "eth0" ')
        : [];
  return [
    'table inet twin_sg {',
    '  chain input {',
    '    type filter hook input priority 0; policy drop;',
    '    ct state established,related accept',
    '    iif lo accept',
    // A flow Lattice closed for idling: the client's next segment is answered with a reset.
    ...(eni.owner.kind === 'endpoint' ? ['    ct state invalid meta l4proto tcp reject with tcp reset'] : []),
    ...lines(ingress, 'saddr'),
    '  }',
    ...(forward.length || eni.owner.kind === 'endpoint' || eni.owner.kind === 'gateway'
      ? [
          '  chain forward {',
          '    type filter hook forward priority 0; policy drop;',
          '    ct state established,related accept',
          ...forward,
          '  }',
        ]
      : []),
    '  chain output {',
    '    type filter hook output priority 0; policy drop;',
    '    ct state established,related accept',
    '    oif lo accept',
    // The reset that answers a flow Lattice closed for idling (see input) must get out.
    ...(eni.owner.kind === 'endpoint' ? ['    tcp flags rst accept'] : []),
    `    ip daddr ${resolver} udp dport 53 accept`,
    `    ip daddr ${resolver} tcp dport 53 accept`,
    ...lines(egress, 'daddr'),
    '  }',
    '}',
    '',
  ].join('\n');
}
