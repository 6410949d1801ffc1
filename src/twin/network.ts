// Realizes a twin plan: a bridge namespace per VPC, a namespace per ENI joined to it by veth, addresses, nftables.
// Each object is recorded in the state before it is made.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { TwinPlan } from './plan.js';
import { writeState, type TwinState } from './state.js';
import { run } from './sys.js';

const ip = (...args: string[]) => run('ip', args);
const inNs = (ns: string, ...args: string[]) => run('ip', ['-n', ns, ...args]);

export function addNamespace(state: TwinState, ns: string): void {
  state.namespaces.push(ns);
  writeState(state);
  ip('netns', 'add', ns);
  inNs(ns, 'link', 'set', 'lo', 'up');
}

export function buildNetwork(state: TwinState, plan: TwinPlan, progress: (line: string) => void): void {
  for (const seg of plan.segments) {
    addNamespace(state, seg.namespace);
    inNs(seg.namespace, 'link', 'add', 'br0', 'type', 'bridge');
    inNs(seg.namespace, 'link', 'set', 'br0', 'up');
    // The VPC router (forwards nothing) and the resolver live on the segment's bridge.
    const prefix = seg.cidr.split('/')[1];
    inNs(seg.namespace, 'addr', 'add', `${seg.router}/${prefix}`, 'dev', 'br0');
    inNs(seg.namespace, 'addr', 'add', `${seg.resolver}/${prefix}`, 'dev', 'br0');
  }
  progress(`${plan.segments.length} VPC segments`);
  for (const node of plan.nodes) {
    const seg = plan.segments.find((s) => s.vpcId === node.vpcId)!;
    addNamespace(state, node.namespace);
    ip('link', 'add', 'eth0', 'netns', node.namespace, 'type', 'veth', 'peer', 'name', node.port, 'netns', seg.namespace);
    inNs(seg.namespace, 'link', 'set', node.port, 'master', 'br0', 'up');
    inNs(node.namespace, 'addr', 'add', `${node.ip}/${node.prefix}`, 'dev', 'eth0');
    for (const extra of node.secondaryIps) inNs(node.namespace, 'addr', 'add', `${extra}/${node.prefix}`, 'dev', 'eth0');
    inNs(node.namespace, 'link', 'set', 'eth0', 'up');
    inNs(node.namespace, 'route', 'add', 'default', 'via', seg.router);
    run('ip', ['netns', 'exec', node.namespace, 'nft', '-f', '-'], node.nftables);
    // `ip netns exec` mounts /etc/netns/<ns>/resolv.conf over /etc/resolv.conf: the VPC's resolver.
    const etc = join('/etc/netns', node.namespace);
    state.etcDirs.push(etc);
    writeState(state);
    mkdirSync(etc, { recursive: true });
    writeFileSync(join(etc, 'resolv.conf'), `nameserver ${seg.resolver}\noptions timeout:1 attempts:2\n`);
  }
  progress(`${plan.nodes.length} ENIs with security groups`);
}
