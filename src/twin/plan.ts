// The twin's plan: the infra model turned into namespaces, links, addresses and firewall rules. Pure data.
import { createHash } from 'node:crypto';
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
  /** Names the resolver answers in this VPC: public ones everywhere, private DNS only in its VPC. */
  readonly records: Record<string, string[]>;
}

/** Where an endpoint ENI sends a connection to one of its association addresses. */
export interface LatticeRoute {
  /** The association's address on this endpoint ENI. */
  readonly listen: string;
  readonly ports: number[];
  /** The target as the gateway resolves it: a DNS name or an IP. */
  readonly target: { dns: string } | { ip: string };
  /** Gateway ENIs to use, in order of preference (same zone first). */
  readonly gatewayEnis: string[];
  /** Why connections are not carried, when they are not: nothing listens then, as no endpoint would exist. */
  readonly refused?: string;
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
  /** ENIs left out, with why. */
  readonly skipped: string[];
}

const h = (s: string, n: number) => createHash('sha256').update(s).digest('hex').slice(0, n);
/** Every namespace of a twin starts with this: what `down` may remove. */
export const namespacePrefix = (twin: string) => `lst-${h(twin, 6)}-`;

const toInt = (ip: string) => ip.split('.').reduce((a, o) => a * 256 + Number(o), 0);
const toIp = (n: number) => [24, 16, 8, 0].map((s) => Math.floor(n / 2 ** s) % 256).join('.');
export const inCidr = (ip: string, cidr: string): boolean => {
  const [base, bits] = cidr.split('/');
  const size = 2 ** (32 - Number(bits));
  return Math.floor(toInt(ip) / size) === Math.floor(toInt(base!) / size);
};

export function planTwin(name: string, m: InfraModel): TwinPlan {
  const prefix = namespacePrefix(name);
  const skipped: string[] = [];
  const segments: Segment[] = m.vpcs.filter((v) => v.cidr).map((v) => ({
    vpcId: v.id, cidr: v.cidr!, namespace: `${prefix}vpc-${h(v.id, 8)}`,
    resolver: toIp(toInt(v.cidr!.split('/')[0]!) + 2), router: toIp(toInt(v.cidr!.split('/')[0]!) + 1), records: records(m, v.id),
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
      routes: e.owner.kind === 'endpoint' ? latticeRoutes(m, e) : [],
    };
  });
  return { name, segments, nodes, skipped };
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
  return r;
}

/** Whether Lattice carries traffic from this endpoint at all: shared, accepted, not in the gateway's own VPC. */
export function access(m: InfraModel, endpoint: Endpoint): string | undefined {
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
  if (!byOrg && inOrg !== true && !m.acceptances.some((a) => a.account === endpoint.account && a.shareArn === byAccount!.arn)) {
    return `account ${endpoint.account} has not accepted the invitation to share ${byAccount!.name}`;
  }
  return undefined;
}

const MAX_PORTS = 256;
function expandPorts(ranges: string[]): number[] {
  const out: number[] = [];
  for (const r of ranges) {
    const [lo, hi] = r.split('-').map(Number);
    for (let p = lo!; p <= (hi ?? lo!) && out.length < MAX_PORTS; p++) out.push(p);
  }
  return out;
}

function latticeRoutes(m: InfraModel, e: Eni): LatticeRoute[] {
  const endpoint = m.endpoints.find((x) => x.id === e.owner.id)!;
  const refused = access(m, endpoint);
  const parent = m.configurations.find((c) => c.arn === endpoint.configurationArn);
  const gateway = parent && m.gateways.find((g) => g.id === parent.gatewayId);
  const gwEnis = (gateway?.eniIds ?? []).map((id) => m.enis.find((x) => x.id === id)!).filter(Boolean);
  const zones = new Set(endpoint.eniIds.map((id) => m.enis.find((x) => x.id === id)?.az));
  const usable = gwEnis.filter((g) => zones.has(g.az));
  const ordered = [...usable.filter((g) => g.az === e.az), ...usable.filter((g) => g.az !== e.az)].map((g) => g.id);
  const index = endpoint.eniIds.indexOf(e.id);
  return endpoint.associations.map((a) => {
    const config = m.configurations.find((c) => c.arn === a.configurationArn);
    const target = config?.definition && !('arn' in config.definition) ? config.definition : undefined;
    const why = refused ?? (!target ? `no DNS or IP target for ${a.configurationArn}` : !ordered.length ? 'the endpoint and the gateway have no availability zone in common' : undefined);
    return { listen: a.ips[index]!, ports: expandPorts(config?.portRanges.length ? config.portRanges : parent?.portRanges ?? []), target: target ?? { ip: '0.0.0.0' }, gatewayEnis: ordered, refused: why };
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
  const lines = (rules: Rule[], dir: 'saddr' | 'daddr') =>
    rules.map((r) => match(r, dir, peerAddresses(r, eni.vpcId!, enis))).filter((x): x is string => !!x).map((x) => `    ${x}`);
  return [
    'table inet twin_sg {',
    '  chain input {',
    '    type filter hook input priority 0; policy drop;',
    '    ct state established,related accept',
    '    iif lo accept',
    ...lines(groups.flatMap((g) => g.ingress), 'saddr'),
    '  }',
    '  chain output {',
    '    type filter hook output priority 0; policy drop;',
    '    ct state established,related accept',
    '    oif lo accept',
    `    ip daddr ${resolver} udp dport 53 accept`,
    `    ip daddr ${resolver} tcp dport 53 accept`,
    ...lines(groups.flatMap((g) => g.egress), 'daddr'),
    '  }',
    '}',
    '',
  ].join('\n');
}
