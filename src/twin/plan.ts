// The twin's plan: the infra model turned into namespaces, links, addresses and firewall rules. Pure data.
import { ASSOCIATION_RANGE, hex as h, inCidr, intToIp, ipToInt } from '../shared/index.js';
import { subnetAcls } from '../model/queries.js';
import type { Eni, InfraModel, NetworkAcl } from '../model/index.js';
import { zoneOf, type Zone } from './dns.js';
import { renderNacl } from './nacl.js';
import { renderNftables } from './nftables.js';
import { gatewayOf, latticeRoutes, sharedWith, targetOf } from './routes.js';

export { renderNftables } from './nftables.js';

export interface Segment extends Zone {
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
  /** A records the resolver answers in this VPC (dns.ts): public ones everywhere, private ones only here. */
  readonly records: Record<string, string[]>;
  /** CNAME records it answers, followed as the Amazon-provided resolver follows them. */
  readonly aliases: Record<string, string>;
}

/** Where an endpoint ENI sends a connection to one of its association addresses. */
export interface LatticeRoute {
  /** The association's address on this endpoint ENI. */
  readonly listen: string;
  /** Port ranges as the configuration gives them ("5432", "8000-8010"). */
  readonly ports: string[];
  /** The target's addresses, resolved where the gateway resolves it: each connection goes to one of them in turn. */
  readonly targetIps: string[];
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
      ...zoneOf(m, v.id),
    }));
  const enis = m.enis.filter((e) => {
    const ok = e.ip && e.vpcId && segments.some((s) => s.vpcId === e.vpcId);
    if (!ok) skipped.push(`${e.id} (${e.owner.kind} ${e.owner.id}): no address or VPC known`);
    return ok;
  });
  const associated = new Set(m.endpoints.filter((x) => x.type === 'VpcAssociation').map((x) => x.vpcId));
  const publicZone = zoneOf(m, undefined);
  const plan: NodePlan = {
    name,
    prefix,
    m,
    segments,
    publicZone,
    enis,
    associated,
    aclOf: subnetAcls(m),
    subnetCidrs: new Map(m.subnets.map((x) => [x.id, x.cidr])),
  };
  const nodes = enis.map((e) => nodeOf(plan, e));
  callers(plan, nodes);
  return { name, segments, nodes, links: linksOf(name, nodes), skipped };
}

/** What every node of a plan is made from. */
interface NodePlan {
  readonly name: string;
  readonly prefix: string;
  readonly m: InfraModel;
  readonly segments: Segment[];
  /** Public DNS alone: where a resource gateway with ResourceConfigDnsResolution PUBLIC resolves its targets. */
  readonly publicZone: Zone;
  /** The ENIs the twin runs (an address and a VPC known). */
  readonly enis: Eni[];
  /** VPCs with a service-network VPC association: its address range is on-link there. */
  readonly associated: ReadonlySet<string>;
  readonly aclOf: (subnetId: string) => NetworkAcl | undefined;
  /** Each subnet's range, by ID. */
  readonly subnetCidrs: ReadonlyMap<string, string | undefined>;
}

/** An ENI's namespace: its address on the VPC's bridge, its security groups, its Lattice routes if an endpoint's. */
function nodeOf(plan: NodePlan, e: Eni): Node {
  const { name, prefix, m, segments, enis, associated } = plan;
  const seg = segments.find((s) => s.vpcId === e.vpcId)!; // planTwin keeps only ENIs of a segment
  const outside = !inCidr(e.ip!, seg.cidr);
  const label =
    e.owner.kind === 'instance'
      ? (m.instances.find((i) => i.id === e.owner.id)?.name ?? e.owner.id)
      : `${e.owner.kind}-${e.owner.id}`;
  return {
    eniId: e.id,
    role: e.owner.kind,
    ownerId: e.owner.id,
    label,
    vpcId: e.vpcId!,
    namespace: `${prefix}${h(e.id, 10)}`,
    ip: e.ip!,
    prefix: outside ? 17 : Number(seg.cidr.split('/')[1]),
    port: `lsp${h(`${name}/${e.id}`, 11)}`,
    secondaryIps: e.secondaryIps,
    az: e.az,
    onLink: outside ? [seg.cidr] : associated.has(seg.vpcId) ? [ASSOCIATION_RANGE] : [],
    nftables: renderNftables(e, m, enis, seg.resolver) + (outside ? '' : aclRules(plan, e, seg.resolver)),
    routes: e.owner.kind === 'endpoint' ? latticeRoutes(m, e, plan) : [],
  };
}

/**
 * The ACL of the ENI's subnet, unless it is a default ACL as AWS makes it (allows everything) or not known (the twin
 * filters nothing it cannot describe; check says UNKNOWN there).
 */
function aclRules(plan: NodePlan, e: Eni, resolver: string): string {
  const acl = plan.aclOf(e.subnetId);
  const cidr = plan.subnetCidrs.get(e.subnetId);
  if (!acl?.created || !cidr || (acl.isDefault && acl.entries.length === 2)) return '';
  return renderNacl(acl, cidr, resolver);
}

/** One link per endpoint ENI and gateway ENI it carries to; each route learns the mark of its link. */
function linksOf(name: string, nodes: Node[]): LatticeLink[] {
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
  return links;
}

/**
 * EventBridge and Step Functions reach a private API from AWS's side, through a service network of their own: each
 * connection gets a caller namespace and one that stands for its association (no security groups on either), on a
 * segment of its own. Addresses come from 198.18.0.0/15 (benchmarking space): they exist only in the twin.
 */
function callers(plan: NodePlan, nodes: Node[]): void {
  const { m, prefix, name, segments } = plan;
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
        aliases: {},
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
      const target = config && gateway ? targetOf(config, gateway, plan) : undefined;
      const parent = config?.groupId ? m.configurations.find((x) => x.id === config.groupId) : config;
      nodes.push(node(`${c.id}/caller`, 'caller', `caller-${c.id}`, `${base}.10`, []));
      nodes.push(
        node(`${c.id}/association`, 'endpoint', `association-${c.id}`, `${base}.11`, [
          {
            listen: `${base}.11`,
            ports: config?.portRanges.length ? config.portRanges : (parent?.portRanges ?? []),
            targetIps: target ?? [],
            gatewayEni: gwEni,
            refused:
              refused ??
              (!target
                ? `the target of ${config?.name ?? '?'} does not resolve where the gateway resolves it`
                : undefined),
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
