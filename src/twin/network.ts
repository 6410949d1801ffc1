// Realizes a twin plan: a bridge namespace per VPC, a namespace per ENI joined to it by veth, addresses, nftables.
// Each object is recorded in the state before it is made.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { IoHelper } from '../shared/io.js';
import type { TwinPlan } from './plan.js';
import { writeState, type TwinState } from './state.js';
import { checkpoint, run } from './sys.js';

const ip = (...args: string[]) => run('ip', args);
const inNs = (ns: string, ...args: string[]) => run('ip', ['-n', ns, ...args]);

function addNamespace(state: TwinState, ns: string): void {
  state.namespaces.push(ns);
  writeState(state);
  ip('netns', 'add', ns);
  inNs(ns, 'link', 'set', 'lo', 'up');
}

export async function buildNetwork(
  state: TwinState,
  plan: TwinPlan,
  io: IoHelper,
  signal?: AbortSignal,
): Promise<void> {
  for (const seg of plan.segments) {
    await checkpoint(signal);
    addNamespace(state, seg.namespace);
    inNs(seg.namespace, 'link', 'add', 'br0', 'type', 'bridge');
    inNs(seg.namespace, 'link', 'set', 'br0', 'up');
    // The VPC router (forwards nothing) and the resolver live on the segment's bridge.
    const prefix = seg.cidr.split('/')[1];
    inNs(seg.namespace, 'addr', 'add', `${seg.router}/${prefix}`, 'dev', 'br0');
    inNs(seg.namespace, 'addr', 'add', `${seg.resolver}/${prefix}`, 'dev', 'br0');
  }
  io.info('LS_TWIN_I1100', `${plan.segments.length} VPC segments`, { step: 'segments', count: plan.segments.length });
  for (const node of plan.nodes) {
    await checkpoint(signal);
    const seg = plan.segments.find((s) => s.vpcId === node.vpcId)!;
    addNamespace(state, node.namespace);
    ip(
      'link',
      'add',
      'eth0',
      'netns',
      node.namespace,
      'type',
      'veth',
      'peer',
      'name',
      node.port,
      'netns',
      seg.namespace,
    );
    inNs(seg.namespace, 'link', 'set', node.port, 'master', 'br0', 'up');
    inNs(node.namespace, 'addr', 'add', `${node.ip}/${node.prefix}`, 'dev', 'eth0');
    for (const extra of node.secondaryIps)
      inNs(node.namespace, 'addr', 'add', `${extra}/${node.prefix}`, 'dev', 'eth0');
    inNs(node.namespace, 'link', 'set', 'eth0', 'up');
    for (const prefix of node.onLink) inNs(node.namespace, 'route', 'add', prefix, 'dev', 'eth0');
    inNs(node.namespace, 'route', 'add', 'default', 'via', seg.router);
    run('ip', ['netns', 'exec', node.namespace, 'nft', '-f', '-'], node.nftables);
    // `ip netns exec` mounts /etc/netns/<ns>/resolv.conf over /etc/resolv.conf: the VPC's resolver.
    const etc = join('/etc/netns', node.namespace); // down removes /etc/netns entries of the twin's namespaces
    mkdirSync(etc, { recursive: true });
    writeFileSync(join(etc, 'resolv.conf'), `nameserver ${seg.resolver}\noptions timeout:1 attempts:2\n`);
  }
  io.info('LS_TWIN_I1100', `${plan.nodes.length} ENIs with security groups`, {
    step: 'enis',
    count: plan.nodes.length,
  });
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
 * to the gateway's
 * address (the target sees the gateway), replies marked back to the link they came from (consumer and owner
 * addresses may overlap).
 */
/** Returns the idle timeout it set, in seconds. */
export function buildLattice(plan: TwinPlan, idleMs: number): number {
  const nodeOf = (eni: string) => plan.nodes.find((n) => n.eniId === eni)!;
  const sysctl = (ns: string, ...kv: string[]) => run('ip', ['netns', 'exec', ns, 'sysctl', '-q', '-w', ...kv]);
  // The local routing table goes behind the Lattice rules (priority 100), once per namespace.
  const moved = new Set<string>();
  const localLast = (ns: string) => {
    if (moved.has(ns)) return;
    moved.add(ns);
    inNs(ns, 'rule', 'add', 'lookup', 'local', 'priority', '1000');
    inNs(ns, 'rule', 'del', 'priority', '0');
  };
  for (const l of plan.links) {
    const ep = nodeOf(l.endpointEni);
    const gw = nodeOf(l.gatewayEni);
    ip(
      'link',
      'add',
      l.endpointIf,
      'netns',
      ep.namespace,
      'type',
      'veth',
      'peer',
      'name',
      l.gatewayIf,
      'netns',
      gw.namespace,
    );
    inNs(ep.namespace, 'addr', 'add', `${l.endpointAddr}/31`, 'dev', l.endpointIf);
    inNs(gw.namespace, 'addr', 'add', `${l.gatewayAddr}/31`, 'dev', l.gatewayIf);
    inNs(ep.namespace, 'link', 'set', l.endpointIf, 'up');
    inNs(gw.namespace, 'link', 'set', l.gatewayIf, 'up');
    // Endpoint: connections it translated for this gateway (marked below) go over this link, even to a local address.
    localLast(ep.namespace);
    inNs(
      ep.namespace,
      'rule',
      'add',
      'fwmark',
      String(l.localMark),
      'lookup',
      String(100 + l.localMark),
      'priority',
      '100',
    );
    inNs(
      ep.namespace,
      'route',
      'add',
      'default',
      'via',
      l.gatewayAddr,
      'dev',
      l.endpointIf,
      'table',
      String(100 + l.localMark),
    );
    // Gateway: replies return over the link their flow came in on, even when the client's address is local here
    // (consumer and owner addresses may overlap).
    localLast(gw.namespace);
    inNs(gw.namespace, 'rule', 'add', 'fwmark', String(l.mark), 'lookup', String(1000 + l.mark), 'priority', '100');
    inNs(
      gw.namespace,
      'route',
      'add',
      'default',
      'via',
      l.endpointAddr,
      'dev',
      l.gatewayIf,
      'table',
      String(1000 + l.mark),
    );
  }
  // Each endpoint ENI translates its association addresses to their targets, marking each flow with its link.
  for (const ep of plan.nodes.filter((n) => plan.links.some((l) => l.endpointEni === n.eniId))) {
    sysctl(ep.namespace, ...FORWARDING);
    const carried = ep.routes.filter((r) => !r.refused && r.link && r.ports.length);
    const set = (r: { ports: string[] }) => `{ ${r.ports.join(', ')} }`;
    run(
      'ip',
      ['netns', 'exec', ep.namespace, 'nft', '-f', '-'],
      [
        'table ip lattice {',
        '  chain pre {',
        '    type nat hook prerouting priority dstnat;',
        ...carried.map(
          (r) => `    ip daddr ${r.listen} tcp dport ${set(r)} ct mark set ${r.link} dnat to ${r.targetIp}`,
        ),
        '  }',
        '  chain carry {',
        '    type filter hook prerouting priority -99;',
        '    ct direction original ct mark != 0 meta mark set ct mark',
        '  }',
        '}',
        '',
      ].join('\n'),
    );
    // Every tracked TCP flow in an endpoint ENI's namespace is a Lattice flow: its established timeout is Lattice's
    // idle timeout, and a flow that expired is not picked up again mid-stream (the client gets a reset instead).
    sysctl(
      ep.namespace,
      'net.netfilter.nf_conntrack_tcp_loose=0',
      `net.netfilter.nf_conntrack_tcp_timeout_established=${idleSeconds(idleMs)}`,
    );
  }
  for (const gw of plan.nodes.filter((n) => n.role === 'gateway')) {
    const mine = plan.links.filter((l) => l.gatewayEni === gw.eniId);
    if (!mine.length) continue;
    run('ip', ['netns', 'exec', gw.namespace, 'sysctl', '-q', '-w', ...FORWARDING]);
    run(
      'ip',
      ['netns', 'exec', gw.namespace, 'nft', '-f', '-'],
      [
        'table ip lattice {',
        '  chain replies {',
        '    type filter hook prerouting priority mangle;',
        ...mine.map((l) => `    iif "${l.gatewayIf}" ct mark set ${l.mark}`),
        '    ct direction reply meta mark set ct mark',
        '  }',
        '  chain post {',
        '    type nat hook postrouting priority srcnat;',
        `    iifname "llg*" oif "eth0" snat to ${gw.ip}`,
        '  }',
        '}',
        '',
      ].join('\n'),
    );
  }
  return idleSeconds(idleMs);
}
