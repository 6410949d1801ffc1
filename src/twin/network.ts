// Realizes a twin plan: a bridge namespace per VPC, a namespace per ENI joined to it by veth, addresses, nftables.
// Each object is recorded in the state before it is made. Every command goes through the Host.
import { join } from 'node:path';
import type { IoHelper } from '../shared/io.js';
import type { Host } from './host.js';
import type { LatticeLink as Link, Node as TwinNode, TwinPlan } from './plan.js';
import type { TwinState } from './state.js';
import { checkpoint } from './sys.js';

/** The `ip` commands of one host, in the root namespace or in a named one. */
class Ip {
  constructor(private readonly host: Host) {}
  root(...args: string[]): void {
    this.host.run('ip', args);
  }
  in(ns: string, ...args: string[]): void {
    this.host.run('ip', ['-n', ns, ...args]);
  }
  exec(ns: string, cmd: string[], input?: string): void {
    this.host.run('ip', ['netns', 'exec', ns, ...cmd], input);
  }
  /** A veth pair with one end in each namespace. */
  veth(name: string, ns: string, peer: string, peerNs: string): void {
    this.root('link', 'add', name, 'netns', ns, 'type', 'veth', 'peer', 'name', peer, 'netns', peerNs);
  }
}

function addNamespace(host: Host, state: TwinState, ns: string): void {
  state.namespaces.push(ns);
  host.saveState(state);
  const ip = new Ip(host);
  ip.root('netns', 'add', ns);
  ip.in(ns, 'link', 'set', 'lo', 'up');
}

export async function buildNetwork(
  host: Host,
  state: TwinState,
  plan: TwinPlan,
  io: IoHelper,
  signal?: AbortSignal,
): Promise<void> {
  const ip = new Ip(host);
  for (const seg of plan.segments) {
    await checkpoint(signal);
    addNamespace(host, state, seg.namespace);
    ip.in(seg.namespace, 'link', 'add', 'br0', 'type', 'bridge');
    ip.in(seg.namespace, 'link', 'set', 'br0', 'up');
    // The VPC router (forwards nothing) and the resolver live on the segment's bridge.
    const prefix = seg.cidr.split('/')[1];
    ip.in(seg.namespace, 'addr', 'add', `${seg.router}/${prefix}`, 'dev', 'br0');
    ip.in(seg.namespace, 'addr', 'add', `${seg.resolver}/${prefix}`, 'dev', 'br0');
  }
  io.info('LS_TWIN_I1100', `${plan.segments.length} VPC segments`, { step: 'segments', count: plan.segments.length });
  for (const node of plan.nodes) {
    await checkpoint(signal);
    addEni(host, state, plan, node);
  }
  io.info('LS_TWIN_I1100', `${plan.nodes.length} ENIs with security groups`, {
    step: 'enis',
    count: plan.nodes.length,
  });
}

/** An ENI: its namespace on the VPC's bridge, its addresses and routes, its security groups as nftables. */
function addEni(host: Host, state: TwinState, plan: TwinPlan, node: TwinNode): void {
  const ip = new Ip(host);
  const seg = plan.segments.find((s) => s.vpcId === node.vpcId)!; // the plan gives every node its VPC's segment
  addNamespace(host, state, node.namespace);
  ip.veth('eth0', node.namespace, node.port, seg.namespace);
  ip.in(seg.namespace, 'link', 'set', node.port, 'master', 'br0', 'up');
  ip.in(node.namespace, 'addr', 'add', `${node.ip}/${node.prefix}`, 'dev', 'eth0');
  for (const extra of node.secondaryIps) ip.in(node.namespace, 'addr', 'add', `${extra}/${node.prefix}`, 'dev', 'eth0');
  ip.in(node.namespace, 'link', 'set', 'eth0', 'up');
  for (const prefix of node.onLink) ip.in(node.namespace, 'route', 'add', prefix, 'dev', 'eth0');
  ip.in(node.namespace, 'route', 'add', 'default', 'via', seg.router);
  ip.exec(node.namespace, ['nft', '-f', '-'], node.nftables);
  // `ip netns exec` mounts /etc/netns/<ns>/resolv.conf over /etc/resolv.conf: the VPC's resolver.
  const etc = join('/etc/netns', node.namespace); // down removes /etc/netns entries of the twin's namespaces
  host.writeFile(join(etc, 'resolv.conf'), `nameserver ${seg.resolver}\noptions timeout:1 attempts:2\n`);
}

/**
 * Both ends of a Lattice link forward; replies may come back on another interface than requests left by; and a
 * client's address may equal one of the gateway's own (addresses overlap across VPCs), so such sources are accepted.
 */
const FORWARDING = [
  'net.ipv4.ip_forward=1',
  'net.ipv4.conf.all.rp_filter=0',
  'net.ipv4.conf.default.rp_filter=0',
  'net.ipv4.conf.all.accept_local=1',
];

/** Lattice's idle timeout in whole seconds for conntrack (at least 1). */
const idleSeconds = (ms: number) => Math.max(1, Math.ceil(ms / 1000));

/**
 * The Lattice hop in the kernel. Endpoint side: DNAT from each association address and port range to the target,
 * packets from clients routed over the link, the idle timeout as the namespace's conntrack timeout. Gateway side: SNAT
 * to the gateway's address (the target sees the gateway), replies marked back to the link they came from (consumer
 * and owner addresses may overlap). Returns the idle timeout it set, in seconds.
 */
export function buildLattice(host: Host, plan: TwinPlan, idleMs: number): number {
  const nodes = new Map(plan.nodes.map((n) => [n.eniId, n]));
  const ip = new Ip(host);
  // The local routing table goes behind the Lattice rules (priority 100), once per namespace.
  const moved = new Set<string>();
  const localLast = (ns: string) => {
    if (moved.has(ns)) return;
    moved.add(ns);
    ip.in(ns, 'rule', 'add', 'lookup', 'local', 'priority', '1000');
    ip.in(ns, 'rule', 'del', 'priority', '0');
  };
  for (const link of plan.links) {
    // The plan links ENIs it has nodes for.
    addLink(ip, link, nodes.get(link.endpointEni)!.namespace, nodes.get(link.gatewayEni)!.namespace, localLast);
  }
  for (const endpoint of plan.nodes.filter((n) => plan.links.some((l) => l.endpointEni === n.eniId)))
    translateAtEndpoint(ip, endpoint, idleSeconds(idleMs));
  for (const gateway of plan.nodes.filter((n) => n.role === 'gateway')) {
    const mine = plan.links.filter((l) => l.gatewayEni === gateway.eniId);
    if (mine.length) translateAtGateway(ip, gateway, mine);
  }
  return idleSeconds(idleMs);
}

/** A link between an endpoint ENI and a gateway ENI, with the rules that send each side's flows over it. */
function addLink(ip: Ip, link: Link, endpointNs: string, gatewayNs: string, localLast: (ns: string) => void): void {
  ip.veth(link.endpointIf, endpointNs, link.gatewayIf, gatewayNs);
  ip.in(endpointNs, 'addr', 'add', `${link.endpointAddr}/31`, 'dev', link.endpointIf);
  ip.in(gatewayNs, 'addr', 'add', `${link.gatewayAddr}/31`, 'dev', link.gatewayIf);
  ip.in(endpointNs, 'link', 'set', link.endpointIf, 'up');
  ip.in(gatewayNs, 'link', 'set', link.gatewayIf, 'up');
  // Endpoint: connections it translated for this gateway (marked below) go over this link, even to a local address.
  localLast(endpointNs);
  const endpointTable = String(100 + link.localMark);
  ip.in(endpointNs, 'rule', 'add', 'fwmark', String(link.localMark), 'lookup', endpointTable, 'priority', '100');
  ip.in(endpointNs, 'route', 'add', 'default', 'via', link.gatewayAddr, 'dev', link.endpointIf, 'table', endpointTable);
  // Gateway: replies return over the link their flow came in on, even when the client's address is local here
  // (consumer and owner addresses may overlap).
  localLast(gatewayNs);
  const gatewayTable = String(1000 + link.mark);
  ip.in(gatewayNs, 'rule', 'add', 'fwmark', String(link.mark), 'lookup', gatewayTable, 'priority', '100');
  ip.in(gatewayNs, 'route', 'add', 'default', 'via', link.endpointAddr, 'dev', link.gatewayIf, 'table', gatewayTable);
}

/**
 * The Lattice table of an endpoint ENI: each carried association address and port range translated to its target
 * (several targets in turn), the flow marked with its link. Flows to an address in `reset` (a revoked share, with
 * `--existing reset`) are ended with a TCP reset, and what comes back for them is dropped.
 */
export function latticeTable(endpoint: TwinNode, reset: readonly string[] = []): string {
  const carried = endpoint.routes.filter((r) => !r.refused && r.link && r.ports.length);
  const set = (r: { ports: string[] }) => `{ ${r.ports.join(', ')} }`;
  // Several addresses (a reader name on several readers): one after the other, connection by connection.
  const to = ({ targetIps: ips }: { targetIps: string[] }) =>
    ips.length === 1 ? ips[0] : `numgen inc mod ${ips.length} map { ${ips.map((ip, k) => `${k} : ${ip}`).join(', ')} }`;
  const nat = carried.map((r) => `    ip daddr ${r.listen} tcp dport ${set(r)} ct mark set ${r.link} dnat to ${to(r)}`);
  const cut = reset.length
    ? [
        '  chain cut {',
        '    type filter hook forward priority -1;',
        `    ct original ip daddr { ${reset.join(', ')} } ct direction original reject with tcp reset`,
        `    ct original ip daddr { ${reset.join(', ')} } drop`,
        '  }',
      ]
    : [];
  return [
    'table ip lattice {',
    '  chain pre {',
    '    type nat hook prerouting priority dstnat;',
    ...nat,
    '  }',
    '  chain carry {',
    '    type filter hook prerouting priority -99;',
    '    ct direction original ct mark != 0 meta mark set ct mark',
    '  }',
    ...cut,
    '}',
    '',
  ].join('\n');
}

/** An endpoint ENI translates its association addresses to their targets, marking each flow with its link. */
function translateAtEndpoint(ip: Ip, endpoint: TwinNode, idle: number): void {
  ip.exec(endpoint.namespace, ['sysctl', '-q', '-w', ...FORWARDING]);
  ip.exec(endpoint.namespace, ['nft', '-f', '-'], latticeTable(endpoint));
  // Every tracked TCP flow in an endpoint ENI's namespace is a Lattice flow: its established timeout is Lattice's
  // idle timeout, and a flow that expired is not picked up again mid-stream (the client gets a reset instead).
  ip.exec(endpoint.namespace, [
    'sysctl',
    '-q',
    '-w',
    'net.netfilter.nf_conntrack_tcp_loose=0',
    `net.netfilter.nf_conntrack_tcp_timeout_established=${idle}`,
  ]);
}

/** A gateway ENI marks replies back to their link and sends what it carries on from its own address. */
function translateAtGateway(ip: Ip, gateway: TwinNode, links: Link[]): void {
  ip.exec(gateway.namespace, ['sysctl', '-q', '-w', ...FORWARDING]);
  ip.exec(
    gateway.namespace,
    ['nft', '-f', '-'],
    [
      'table ip lattice {',
      '  chain replies {',
      '    type filter hook prerouting priority mangle;',
      ...links.map((l) => `    iif "${l.gatewayIf}" ct mark set ${l.mark}`),
      '    ct direction reply meta mark set ct mark',
      '  }',
      '  chain post {',
      '    type nat hook postrouting priority srcnat;',
      `    iifname "llg*" oif "eth0" snat to ${gateway.ip}`,
      '  }',
      '}',
      '',
    ].join('\n'),
  );
}
