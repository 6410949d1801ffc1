// The twin's plan: the infra model turned into namespaces, links, addresses and firewall rules. Pure data.
import { hex as h, intToIp, ipToInt } from '../shared/index.js';
import type { Endpoint, Eni, InfraModel, Rule, SecurityGroup } from '../model/index.js';

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
}

export interface Node {
  /** The ENI this namespace stands for. */
  readonly eniId: string;
  readonly role: Eni['owner']['kind'];
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
export const namespacePrefix = (twin: string) => `lst-${h(twin, 6)}-`;


export function planTwin(name: string, m: InfraModel): TwinPlan {
  const prefix = namespacePrefix(name);
  const skipped: string[] = [];
  const segments: Segment[] = m.vpcs.filter((v) => v.cidr).map((v) => ({
    vpcId: v.id, cidr: v.cidr!, namespace: `${prefix}vpc-${h(v.id, 8)}`, dns: v.dnsSupport,
    resolver: intToIp(ipToInt(v.cidr!.split('/')[0]!) + 2), router: intToIp(ipToInt(v.cidr!.split('/')[0]!) + 1), records: records(m, v.id),
  }));
  const enis = m.enis.filter((e) => {
    const ok = e.ip && e.vpcId && segments.some((s) => s.vpcId === e.vpcId);
    if (!ok) skipped.push(`${e.id} (${e.owner.kind} ${e.owner.id}): no address or VPC known`);
    return ok;
  });
  const label = (e: Eni) => e.owner.kind === 'instance' ? m.instances.find((i) => i.id === e.owner.id)?.name ?? e.owner.id : `${e.owner.kind}-${e.owner.id}`;
  const nodes = enis.map((e): Node => {
    const seg = segments.find((s) => s.vpcId === e.vpcId)!;
    return {
      eniId: e.id, role: e.owner.kind, ownerId: e.owner.id, label: label(e), vpcId: e.vpcId!, namespace: `${prefix}${h(e.id, 10)}`,
      ip: e.ip!, prefix: Number(seg.cidr.split('/')[1]), port: `lsp${h(`${name}/${e.id}`, 11)}`, secondaryIps: e.secondaryIps, az: e.az,
      nftables: renderNftables(e, m, enis, seg.resolver),
      routes: e.owner.kind === 'endpoint' ? latticeRoutes(m, e, segments) : [],
    };
  });
  const links: LatticeLink[] = [];
  for (const n of nodes.filter((x) => x.role === 'endpoint' && x.routes.some((r) => !r.refused))) {
    const gw = preferredGateway(m, m.enis.find((e) => e.id === n.eniId)!);
    if (!gw || !nodes.some((x) => x.eniId === gw)) continue;
    const k = links.length;
    links.push({
      endpointEni: n.eniId, gatewayEni: gw, endpointIf: `lle${h(`${name}/${n.eniId}`, 11)}`, gatewayIf: `llg${h(`${name}/${n.eniId}`, 11)}`,
      endpointAddr: `169.254.${Math.floor(k / 128)}.${(k % 128) * 2}`, gatewayAddr: `169.254.${Math.floor(k / 128)}.${(k % 128) * 2 + 1}`, mark: k + 1,
    });
  }
  return { name, segments, nodes, links, skipped };
}

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
  for (const e of m.endpoints) for (const a of e.associations) r[a.dnsName] = a.ips;
  for (const e of m.endpoints.filter((x) => x.vpcId === vpcId)) {
    for (const a of e.associations) if (a.privateDnsName) r[a.privateDnsName] = a.ips;
  }
  // DNS names are case-insensitive: keys are kept lowercase.
  return Object.fromEntries(Object.entries(r).map(([k, v]) => [k.toLowerCase(), v]));
}

/** Whether Lattice carries traffic from this endpoint at all: shared, accepted, not in the gateway's own VPC. */
function access(m: InfraModel, endpoint: Endpoint): string | undefined {
  const config = m.configurations.find((c) => c.arn === endpoint.configurationArn);
  if (!config) return `configuration ${endpoint.configurationArn} is not in the templates`;
  const gateway = m.gateways.find((g) => g.id === config.gatewayId);
  if (!gateway) return `gateway ${config.gatewayId ?? '?'} of ${config.name} is not in the templates`;
  if (gateway.vpcId === endpoint.vpcId) return 'the endpoint is in the gateway\'s own VPC, where AWS creates no resource endpoint';
  if (config.account === endpoint.account) return undefined;
  const inOrg = m.stacks.find((s) => s.account === endpoint.account)?.inOrganization;
  const shares = m.shares.filter((s) => s.resourceArns.includes(config.arn));
  const byOrg = shares.find((s) => s.principals.some((p) => p.kind !== 'account') && inOrg !== false);
  const byAccount = shares.find((s) => s.principals.some((p) => p.kind === 'account' && p.id === endpoint.account));
  if (!byOrg && !byAccount) return `configuration ${config.name} is not shared with account ${endpoint.account}`;
  if (!byOrg && inOrg !== true && !byAccount!.allowExternalPrincipals) return `share ${byAccount!.name} does not allow principals outside the organization`;
  if (!byOrg && inOrg !== true && !m.acceptances.some((a) => a.account === endpoint.account && a.shareArn === byAccount!.arn)) {
    return `account ${endpoint.account} has not accepted the invitation to share ${byAccount!.name}`;
  }
  return undefined;
}

/** The gateway ENI an endpoint ENI uses: one in its own zone, else one in a zone the endpoint also has. */
function preferredGateway(m: InfraModel, e: Eni): string | undefined {
  const endpoint = m.endpoints.find((x) => x.id === e.owner.id)!;
  const parent = m.configurations.find((c) => c.arn === endpoint.configurationArn);
  const gateway = parent && m.gateways.find((g) => g.id === parent.gatewayId);
  const gwEnis = (gateway?.eniIds ?? []).map((id) => m.enis.find((x) => x.id === id)).filter((x): x is Eni => !!x);
  const zones = new Set(endpoint.eniIds.map((id) => m.enis.find((x) => x.id === id)?.az));
  return (gwEnis.find((g) => g.az === e.az) ?? gwEnis.find((g) => zones.has(g.az)))?.id;
}

function latticeRoutes(m: InfraModel, e: Eni, segments: Segment[]): LatticeRoute[] {
  const endpoint = m.endpoints.find((x) => x.id === e.owner.id)!;
  const refused = access(m, endpoint);
  const parent = m.configurations.find((c) => c.arn === endpoint.configurationArn);
  const gateway = parent && m.gateways.find((g) => g.id === parent.gatewayId);
  const owner = segments.find((s) => s.vpcId === gateway?.vpcId);
  const index = endpoint.eniIds.indexOf(e.id);
  return endpoint.associations.map((a) => {
    const config = m.configurations.find((c) => c.arn === a.configurationArn);
    const d = config?.definition;
    // The gateway resolves a DNS target in the owner VPC (resolved once, at bring-up).
    const targetIp = !d || 'arn' in d ? undefined : 'ip' in d ? d.ip : owner?.records[d.dns.toLowerCase()]?.[0];
    const why = refused
      ?? (!d || 'arn' in d ? `no DNS or IP target for ${a.configurationArn}` : undefined)
      ?? (!targetIp ? `target ${d && 'dns' in d ? d.dns : '?'} does not resolve in the owner VPC` : undefined)
      ?? (!preferredGateway(m, e) ? 'the endpoint and the gateway have no availability zone in common' : undefined);
    return { listen: a.ips[index]!, ports: config?.portRanges.length ? config.portRanges : parent?.portRanges ?? [], targetIp: targetIp ?? '0.0.0.0', refused: why };
  });
}

/** Addresses a rule's peer stands for, seen from a VPC: SG references expand to members in that VPC only. */
function peerAddresses(rule: Rule, vpcId: string, enis: Eni[]): string[] {
  if ('cidr' in rule.peer) return rule.peer.cidr.includes(':') ? [] : [rule.peer.cidr];
  if ('securityGroupId' in rule.peer) {
    const sg = rule.peer.securityGroupId;
    return enis.filter((e) => e.vpcId === vpcId && e.securityGroupIds.includes(sg)).flatMap((e) => [e.ip!, ...e.secondaryIps].map((ip) => `${ip}/32`));
  }
  return []; // prefix lists: none are modelled, so they match nothing
}

function match(rule: Rule, direction: 'saddr' | 'daddr', addresses: string[]): string | undefined {
  if (!addresses.length) return undefined;
  const addr = `ip ${direction} { ${addresses.join(', ')} }`;
  const ports = rule.fromPort === rule.toPort ? `${rule.fromPort}` : `${rule.fromPort}-${rule.toPort}`;
  switch (rule.protocol) {
    case '-1': return `${addr} accept`;
    case 'tcp': case 'udp': return `${addr} ${rule.protocol} dport ${ports} accept`;
    case 'icmp': return rule.fromPort === -1 ? `${addr} ip protocol icmp accept` : `${addr} icmp type ${rule.fromPort} accept`;
    default: return undefined;
  }
}

/**
 * A security group in the kernel: stateful (replies pass), inbound dropped unless a rule allows it, outbound as the
 * rules say. Traffic to the VPC's resolver is not subject to security groups on AWS, and is not here.
 */
export function renderNftables(eni: Eni, m: InfraModel, enis: Eni[], resolver: string): string {
  const groups = eni.securityGroupIds.map((id) => m.securityGroups.find((g) => g.id === id)).filter((g): g is SecurityGroup => !!g);
  const lines = (rules: Rule[], dir: 'saddr' | 'daddr', guard = '') =>
    rules.map((r) => match(r, dir, peerAddresses(r, eni.vpcId!, enis))).filter((x): x is string => !!x).map((x) => `    ${guard}${x}`);
  const ingress = groups.flatMap((g) => g.ingress);
  const egress = groups.flatMap((g) => g.egress);
  // The Lattice hop crosses endpoint and gateway ENIs as forwarded traffic: the endpoint's ingress rules apply to
  // connections it carries (only translated ones: it is no router), the gateway's egress rules to what it sends on.
  const forward = eni.owner.kind === 'endpoint' ? lines(ingress, 'saddr', 'iif "eth0" ct status dnat ')
    : eni.owner.kind === 'gateway' ? lines(egress, 'daddr', 'iifname "llg*" oif "eth0" ') : [];
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
    ...(forward.length || eni.owner.kind === 'endpoint' || eni.owner.kind === 'gateway' ? [
      '  chain forward {',
      '    type filter hook forward priority 0; policy drop;',
      '    ct state established,related accept',
      ...forward,
      '  }',
    ] : []),
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
