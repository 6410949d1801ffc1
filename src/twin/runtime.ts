// Faults applied to a running twin, without restarting it: the state records them first (so `down` still removes
// everything), then the kernel and the agents follow the faulted model. Every ENI's interface is up or down as its
// zone is; each VPC's resolver gets its zone again (rewritten config, SIGHUP, and the agent says which generation it
// loaded); each endpoint ENI's Lattice table is written again with the routes of the faulted model on the links `up`
// made. Links, namespaces and processes are neither made nor removed here.
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { InfraModel } from '../model/index.js';
import type { DnsConfig } from './agent.js';
import { zoneOf, type Zone } from './dns.js';
import { checkFault, clusterNamed, deadEnis, failoverOf, faultedModel, type Fault } from './faults.js';
import { latticeTable } from './network.js';
import type { Node as TwinNode, Segment, TwinPlan } from './plan.js';
import { sameProcess } from './proc.js';
import { latticeRoutes } from './routes.js';
import { namespacePrefix } from './plan.js';
import { agentNames } from './services.js';
import { twinDir, writeState, type TwinState } from './state.js';
import { run, TwinError } from './sys.js';

/** What `up` keeps in the twin's directory for faults: the model it ran and its plan (0600, no secret in them). */
export function keepForFaults(name: string, model: InfraModel, plan: TwinPlan): void {
  const dir = twinDir(name);
  writeFileSync(join(dir, 'model.json'), JSON.stringify(model), { mode: 0o600 });
  writeFileSync(join(dir, 'plan.json'), JSON.stringify(plan), { mode: 0o600 });
}

function kept(state: TwinState): { model: InfraModel; plan: TwinPlan } {
  const dir = twinDir(state.name);
  let kept: { model: InfraModel; plan: TwinPlan };
  try {
    const model = JSON.parse(readFileSync(join(dir, 'model.json'), 'utf8')) as InfraModel;
    const plan = JSON.parse(readFileSync(join(dir, 'plan.json'), 'utf8')) as TwinPlan;
    kept = { model, plan };
  } catch (e) {
    throw new TwinError(`twin "${state.name}" keeps no model for faults (${(e as Error).message}); bring it up again`);
  }
  // Root acts in these namespaces: each must be one the state says the twin made, under its prefix.
  const prefix = namespacePrefix(state.name);
  const foreign = kept.plan.nodes.find(
    (n) => !n.namespace.startsWith(prefix) || !state.namespaces.includes(n.namespace),
  );
  if (foreign)
    throw new TwinError(`${join(dir, 'plan.json')} names a namespace the twin did not make: ${foreign.namespace}`);
  return kept;
}

/** The model a running twin runs now: the one `up` kept, with the faults of its state applied. */
export function currentModel(state: TwinState): InfraModel {
  return faultedModel(kept(state).model, state.faults ?? []);
}

/**
 * An ENI off or on. Off drops every IP packet in or out of its interface, in the kernel, while ARP still answers: a
 * client that uses its address times out, as on AWS, instead of learning that the host is unreachable.
 */
function setOff(node: TwinNode, off: boolean): void {
  const table = off
    ? [
        'table inet twin_fault {',
        '  chain cut_in { type filter hook prerouting priority -500; iif "eth0" drop; }',
        '  chain cut_out { type filter hook output priority -500; oif "eth0" drop; }',
        '  chain cut_through { type filter hook forward priority -500; oif "eth0" drop; }',
        '}',
      ]
    : [];
  // Made empty and deleted first, so applying again does not add the rules twice.
  table.unshift('table inet twin_fault {}', 'delete table inet twin_fault');
  run('ip', ['netns', 'exec', node.namespace, 'nft', '-f', '-'], `${table.join('\n')}\n`);
}

/** The nodes the faults take off. */
const deadNodes = (plan: TwinPlan, dead: ReadonlySet<string>) => plan.nodes.filter((n) => dead.has(n.eniId));

/**
 * A VPC's zone under the faults: the names that answer only with endpoint addresses lose the dead ones (new
 * connections by name go to the other zones), unless none would be left.
 */
function liveZone(zone: Zone, deadIps: ReadonlySet<string>, endpointIps: ReadonlySet<string>): Zone {
  const records = Object.fromEntries(
    Object.entries(zone.records).map(([name, ips]) => {
      const live = ips.filter((ip) => !deadIps.has(ip));
      return [name, ips.every((ip) => endpointIps.has(ip)) && live.length ? live : ips];
    }),
  );
  return { ...zone, records };
}

/** Rewrites a resolver's config and waits until its agent loaded it. */
async function reloadResolver(state: TwinState, seg: Segment, zone: Zone, generation: number): Promise<void> {
  const configFile = join(twinDir(state.name), `${agentNames.resolver(seg.vpcId)}.json`);
  const agent = state.processes.find((p) => p.argument === configFile);
  if (!agent || !sameProcess(agent, twinDir(state.name)))
    throw new TwinError(`the resolver of ${seg.vpcId} is not running; bring the twin up again`, 'LS_TWIN_AGENT_FAILED');
  const config: DnsConfig = { listen: seg.resolver, ...zone, generation };
  writeFileSync(configFile, JSON.stringify(config), { mode: 0o600 });
  process.kill(agent.pid, 'SIGHUP');
  const t0 = Date.now();
  const loaded = () => {
    try {
      return readFileSync(`${configFile}.generation`, 'utf8').trim() === String(generation);
    } catch {
      return false;
    }
  };
  while (!loaded()) {
    if (Date.now() - t0 > 5000)
      throw new TwinError(`the resolver of ${seg.vpcId} did not reload within 5 s`, 'LS_TWIN_AGENT_FAILED');
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

/** The routes of an endpoint ENI under the faulted model, on the links `up` made (matched by address). */
function faultedRoutes(node: TwinNode, model: InfraModel, segments: Segment[], publicZone: Zone): TwinNode {
  const eni = model.enis.find((e) => e.id === node.eniId);
  if (!eni) return node;
  const now = latticeRoutes(model, eni, { segments, publicZone });
  const routes = node.routes.map((before) => {
    const after = now.find((r) => r.listen === before.listen);
    return after ? { ...before, targetIps: after.targetIps, refused: after.refused } : before;
  });
  return { ...node, routes };
}

export interface FaultsApplied {
  readonly faults: Fault[];
  /** Labels of the ENIs that are off. */
  readonly down: string[];
  /** A failover: from stopping the writer until the names and the Lattice hop reach the new one. */
  readonly downtimeMs?: number;
  /** Endpoint addresses whose association no longer carries, with why. */
  readonly refused: { readonly endpoint: string; readonly listen: string; readonly why: string }[];
}

/** Records `faults` as the twin's faults (replacing the earlier ones) and applies them. */
export async function applyFaults(state: TwinState, faults: Fault[]): Promise<FaultsApplied> {
  const { model, plan } = kept(state);
  state.faults = faults;
  state.generation = (state.generation ?? 0) + 1;
  writeState(state);
  const effective = faultedModel(model, faults);
  const dead = deadEnis(model, faults);
  for (const node of plan.nodes.filter((n) => n.role !== 'caller')) setOff(node, dead.has(node.eniId));
  // Per VPC: private addresses repeat across VPCs, and a resolver weighs only its own VPC's (as check's names do).
  const addressesIn = (nodes: readonly TwinNode[], vpcId: string) =>
    new Set(nodes.filter((n) => n.vpcId === vpcId).flatMap((n) => [n.ip, ...n.secondaryIps]));
  const deadNodesNow = deadNodes(plan, dead);
  const endpointNodes = plan.nodes.filter((n) => n.role === 'endpoint');
  const segments = plan.segments.map((seg) =>
    model.vpcs.some((v) => v.id === seg.vpcId)
      ? {
          ...seg,
          ...liveZone(
            zoneOf(effective, seg.vpcId),
            addressesIn(deadNodesNow, seg.vpcId),
            addressesIn(endpointNodes, seg.vpcId),
          ),
        }
      : seg,
  );
  for (const seg of segments.filter((s) => s.dns)) await reloadResolver(state, seg, seg, state.generation);
  const publicZone = zoneOf(effective, undefined);
  const refused: FaultsApplied['refused'] = [];
  // Connections already open are reset only where a revoke that says so refuses them.
  const resets = faults.filter((f) => f.kind === 'revoke' && f.existing === 'reset');
  const resetOnly = resets.length ? faultedModel(model, resets) : undefined;
  for (const node of plan.nodes.filter((n) => plan.links.some((l) => l.endpointEni === n.eniId))) {
    const now = faultedRoutes(node, effective, segments, publicZone);
    const byReset = resetOnly ? faultedRoutes(node, resetOnly, segments, publicZone).routes : [];
    const cut = byReset.filter((r, k) => r.refused && !node.routes[k]?.refused).map((r) => r.listen);
    for (const r of now.routes.filter((x, k) => x.refused && !node.routes[k]?.refused))
      refused.push({ endpoint: node.label, listen: r.listen, why: r.refused ?? '' });
    const table = `flush table ip lattice\n${latticeTable(now, cut)}`;
    run('ip', ['netns', 'exec', node.namespace, 'nft', '-f', '-'], table);
  }
  return { faults, down: deadNodes(plan, dead).map((n) => `${n.label} (${n.ip})`), refused };
}

/** What a user asks of a running twin's faults. */
export type FaultAction =
  | { readonly kind: 'zone-down' | 'zone-up'; readonly zone: string }
  | { readonly kind: 'revoke'; readonly share: string; readonly account: string; readonly existing: 'keep' | 'reset' }
  | { readonly kind: 'failover'; readonly cluster: string }
  | { readonly kind: 'expire'; readonly share: string; readonly account: string }
  | { readonly kind: 'restore' };

/** The twin's faults after `action`: checked against its model, each recorded once. */
function nextFaults(current: readonly Fault[], action: FaultAction, model: InfraModel): Fault[] {
  switch (action.kind) {
    case 'restore':
      return current.filter((f) => f.kind === 'failover'); // a failover is not taken back, as on Aurora
    case 'zone-up': {
      if (!current.some((f) => f.kind === 'zone-down' && f.zone === action.zone))
        throw new TwinError(`zone ${action.zone} is not down in this twin`, 'LS_USAGE');
      return current.filter((f) => !(f.kind === 'zone-down' && f.zone === action.zone));
    }
    case 'zone-down': {
      const fault = checkFault(model, { kind: 'zone-down', zone: action.zone });
      return current.some((f) => f.kind === 'zone-down' && f.zone === action.zone) ? [...current] : [...current, fault];
    }
    case 'revoke':
    case 'expire': {
      const fault = checkFault(model, { ...action });
      const same = (f: Fault) =>
        f.kind === fault.kind &&
        'share' in f &&
        'share' in fault &&
        f.share === fault.share &&
        f.account === fault.account;
      return [...current.filter((f) => !same(f)), fault];
    }
    case 'failover': {
      const cluster = clusterNamed(model, action.cluster);
      if (!cluster)
        throw new TwinError(
          `no cluster named ${action.cluster}; clusters: ${model.databases.map((d) => d.id).join(', ') || 'none'}`,
          'LS_USAGE',
        );
      return [...current, failoverOf(faultedModel(model, current), cluster, deadEnis(model, current))];
    }
  }
}

/** Applies `action` to the running twin `state` describes; a failover says how long the writer was away. */
export async function changeFaults(state: TwinState, action: FaultAction): Promise<FaultsApplied> {
  const { model, plan } = kept(state);
  const previous = state.faults ?? [];
  const faults = nextFaults(previous, action, model);
  const t0 = Date.now();
  const added = faults[faults.length - 1];
  if (action.kind === 'failover' && added?.kind === 'failover') {
    state.faults = faults;
    writeState(state); // recorded before the instances are touched
    const original = model.databases.find((d) => d.id === added.cluster);
    const readers =
      faultedModel(model, faults)
        .databases.find((d) => d.id === added.cluster)
        ?.eniIds.slice(1) ?? [];
    // Loaded only here: it drives the database engines, whose modules need packages a twin's reader may not have.
    const { failOver } = await import('./failover.js');
    if (original)
      await failOver(state, plan, original, added, readers).catch(async (e: unknown) => {
        // Not failed over: the twin goes back to the faults it had (a stopped writer stays stopped; say so).
        await applyFaults(state, previous).catch(() => undefined);
        throw e;
      });
  }
  const applied = await applyFaults(state, faults);
  return action.kind === 'failover' ? { ...applied, downtimeMs: Date.now() - t0 } : applied;
}
