// The picture as data: accounts, VPCs and the parts inside them, and the paths as edges along their hops (client →
// endpoint → gateway → target), each edge with check's verdict when asked. Pure: dot.ts and mermaid.ts write it out.
import { Facts, ramAccess, type CheckReport, type Flow, type Hop, type HopName } from '../check/index.js';
import {
  subnetAcls,
  type Configuration,
  type Eni,
  type Gateway,
  type InfraModel,
  type NetworkAcl,
} from '../model/index.js';

export type PartKind = 'instance' | 'endpoint' | 'association' | 'gateway' | 'writer' | 'reader' | 'caller';
/** partial: some paths along the edge get past it and some stop there. */
export type Verdict = 'pass' | 'block' | 'unknown' | 'partial';

export interface Box {
  readonly id: string;
  /** group: VPCs of one shape drawn once (group.ts). */
  readonly kind: 'account' | 'vpc' | 'group';
  readonly label: string;
  /** The account box a VPC sits in. */
  readonly parent?: string;
}

export interface Part {
  readonly id: string;
  readonly kind: PartKind;
  readonly label: string;
  /** The box it sits in: its VPC, or its account (a caller). */
  readonly box: string;
}

export interface Edge {
  readonly from: string;
  readonly to: string;
  readonly label: string;
  /** With check: the worst verdict of the paths along it (a path that stops earlier does not reach it). */
  readonly verdict?: Verdict;
  /** With check: the hops that block or cannot say there, with the rule and the fix. */
  readonly why: string[];
  /** With check: the reason codes of those hops, sorted. */
  readonly reasons: string[];
}

export interface Graph {
  readonly boxes: Box[];
  readonly parts: Part[];
  readonly edges: Edge[];
  readonly checked: boolean;
}

export interface GraphOptions {
  /** Colour the edges by check's verdicts. @default false */
  readonly check?: boolean;
  /** Only the paths of clients whose label contains this. */
  readonly client?: string;
  /** Only the paths to names or configurations that contain this. */
  readonly resource?: string;
}

/** Which stretch of a path a hop belongs to: the client's side, Lattice (share, ports, zone), or beyond the gateway. */
const STRETCH: Record<HopName, 0 | 1 | 2> = {
  scheme: 0,
  dns: 0,
  route: 0,
  'client-egress': 0,
  'client-nacl': 0,
  'endpoint-nacl': 0,
  'endpoint-ingress': 0,
  share: 1,
  'port-range': 1,
  az: 1,
  'target-dns': 2,
  'gateway-egress': 2,
  'gateway-nacl': 2,
  'target-nacl': 2,
  'target-ingress': 2,
  listener: 2,
};

/** An edge as the flows along it are laid on it: what they saw there. */
interface EdgeSeen {
  readonly edge: Omit<Edge, 'why' | 'verdict' | 'reasons'>;
  readonly seen: Set<Verdict>;
  readonly why: Set<string>;
  readonly reasons: Set<string>;
}

/** An edge's verdict from what the paths along it saw there. */
function edgeVerdict(seen: ReadonlySet<Verdict>): Verdict | undefined {
  const stopped = seen.has('block') ? 'block' : seen.has('unknown') ? 'unknown' : undefined;
  if (seen.has('pass')) return stopped ? 'partial' : 'pass';
  return stopped;
}

/** The graph of a model, with check's report for its paths. */
export function graphOf(model: InfraModel, report: CheckReport, options: GraphOptions = {}): Graph {
  const f = new Facts(model);
  const boxes = boxesOf(model);
  const parts = partsOf(model, f);
  const known = new Set(parts.map((p) => p.id));
  const edges = new Map<string, EdgeSeen>();
  for (const flow of report.flows.filter((x) => wanted(x, options))) {
    for (const [k, stretch] of stretchesOf(f, flow).entries()) {
      if (!known.has(stretch.from) || !known.has(stretch.to)) continue;
      const key = `${stretch.from}>${stretch.to}>${stretch.label}`;
      const entry = edges.get(key) ?? { edge: stretch, seen: new Set(), why: new Set(), reasons: new Set() };
      edges.set(key, entry);
      for (const seen of verdictsAt(flow, k)) {
        entry.seen.add(seen.verdict);
        if (seen.hop) entry.why.add(whyOf(seen.hop));
        if (seen.hop?.reason) entry.reasons.add(seen.hop.reason);
      }
    }
  }
  const out = [...edges.values()].map(({ edge, seen, why, reasons }) => ({
    ...edge,
    ...(options.check && seen.size ? { verdict: edgeVerdict(seen) } : {}),
    why: options.check ? [...why].sort() : [],
    reasons: options.check ? [...reasons].sort() : [],
  }));
  return { boxes, parts, edges: out.sort(byEnds), checked: !!options.check };
}

const byEnds = (a: Edge, b: Edge) =>
  a.from.localeCompare(b.from) || a.to.localeCompare(b.to) || a.label.localeCompare(b.label);

const wanted = (flow: Flow, options: GraphOptions) =>
  (!options.client || flow.client.label.includes(options.client)) &&
  (!options.resource || flow.name.includes(options.resource) || flow.configuration.includes(options.resource));

/** A hop as a tooltip line: the hop, what it says, the rule and the fix. */
function whyOf(hop: Hop): string {
  const rule = hop.rule ? ` [${hop.rule.stack}/${hop.rule.logicalId}]` : '';
  return `${hop.hop} ${hop.status} (${hop.reason ?? ''}): ${hop.detail}${rule}${hop.fix ? ` — fix: ${hop.fix}` : ''}`;
}

/**
 * What each attempt of a flow saw at its k-th stretch: pass when it got past it, the hop that stopped it when it
 * stopped there; nothing from an attempt that stopped earlier.
 */
function verdictsAt(flow: Flow, k: number): { verdict: Verdict; hop?: Hop }[] {
  return flow.attempts.flatMap((attempt): { verdict: Verdict; hop?: Hop }[] => {
    const stop = attempt.hops.find((h) => h.status !== 'pass');
    const at = stop ? STRETCH[stop.hop] : 3;
    if (at < k) return [];
    return stop && at === k
      ? [{ verdict: stop.status === 'block' ? 'block' : 'unknown', hop: stop }]
      : [{ verdict: 'pass' }];
  });
}

/** The edges a flow runs along: client → endpoint, endpoint → gateway, gateway → each target (or a caller's). */
function stretchesOf(f: Facts, flow: Flow): { from: string; to: string; label: string }[] {
  const { config, parent } = configurationOf(f, flow);
  const gatewayId = parent?.gatewayId ?? config?.gatewayId;
  const from = flow.nameKind === 'api' ? callerId(flow.client.label) : clientId(flow);
  const tcp = `tcp ${flow.port}`;
  const viaEndpoint = flow.nameKind !== 'api' && f.endpoints.has(flow.endpointId);
  const first = viaEndpoint ? flow.endpointId : (gatewayId ?? '');
  const shareLabel = shareText(f, flow.endpointId, parent?.arn);
  const stretches = [{ from, to: first, label: tcp }];
  if (viaEndpoint) stretches.push({ from: flow.endpointId, to: gatewayId ?? '', label: shareLabel });
  const gateway = gatewayId ? f.gateways.get(gatewayId) : undefined;
  for (const target of targetsOf(f, config, gateway)) stretches.push({ from: gatewayId ?? '', to: target, label: tcp });
  // A caller has no stretch on the client's side: its first stretch is Lattice's.
  return flow.nameKind === 'api' ? [{ from: '', to: '', label: '' }, ...stretches] : stretches;
}

/** The configuration a flow names (by name: the endpoint's association of that name first), and its parent. */
function configurationOf(f: Facts, flow: Flow): { config?: Configuration; parent?: Configuration } {
  for (const a of f.endpoints.get(flow.endpointId)?.associations ?? []) {
    const config = f.configurations.get(a.configurationArn);
    if (config?.name === flow.configuration) return { config, parent: f.configurations.get(a.parentArn) ?? config };
  }
  const config = f.m.configurations.find((c) => c.name === flow.configuration || c.arn === flow.configuration);
  const parent = config?.groupId ? f.m.configurations.find((c) => c.id === config.groupId) : config;
  return { config, parent };
}

const callerId = (name: string) => `caller:${name}`;
const clientId = (flow: Flow) => flow.client.instanceId ?? flow.client.label;

/** How the configuration reaches the endpoint's account, as check's one RAM decision says (ramAccess). */
function shareText(f: Facts, endpointId: string, configurationArn: string | undefined): string {
  const endpoint = f.endpoints.get(endpointId);
  const config = configurationArn ? f.configurations.get(configurationArn) : undefined;
  if (!endpoint || !config) return 'Lattice';
  if (endpoint.type !== 'Resource') return `service network ${endpoint.serviceNetwork.split('/').pop() ?? ''}`;
  const access = ramAccess(f, { ...config, what: 'configuration' }, endpoint.account);
  if (access.kind === 'same-account') return 'same account';
  if (!('share' in access)) return access.kind === 'not-shared' ? 'not shared' : "owner's shares not read";
  return `RAM ${access.share.name} (${SHARE_STATE[access.kind === 'granted' ? access.via : access.kind]})`;
}

/** The share's state on the Lattice edge, by what ramAccess decided. */
const SHARE_STATE: Record<string, string> = {
  accepted: 'accepted',
  organization: 'organization',
  'account-in-organization': 'organization',
  ou: 'organizational unit',
  unknown: 'membership unknown',
  'external-not-allowed': 'external principals not allowed',
  'invitation-not-accepted': 'not accepted',
  'invitations-unread': 'invitations not read',
};

/** The parts a configuration's target is: DB instances or instances at the addresses it resolves to. */
function targetsOf(f: Facts, config: Configuration | undefined, gateway: Gateway | undefined): string[] {
  const d = config?.definition;
  if (!d || 'arn' in d || !gateway) return [];
  const addresses = 'ip' in d ? [d.ip] : (f.names.fromGateway(gateway, d.dns).answer?.addresses ?? []);
  return addresses
    .map((ip) => f.eniAt(gateway.vpcId, ip))
    .filter((e): e is Eni => e?.owner.kind === 'database' || e?.owner.kind === 'instance')
    .map(partIdOfEni);
}

const partIdOfEni = (e: Eni): string => e.owner.id;

function boxesOf(model: InfraModel): Box[] {
  const accounts = [...new Set([...model.stacks.map((s) => s.account), ...model.vpcs.map((v) => v.account)])].sort();
  const accountBoxes = accounts.map((account): Box => {
    const stack = model.stacks.find((s) => s.account === account);
    const org = stack?.inOrganization ? ' · in the organization' : '';
    return { id: `account:${account}`, kind: 'account', label: `account ${account}${org}` };
  });
  const vpcBoxes = [...model.vpcs]
    .sort((a, b) => a.id.localeCompare(b.id))
    .map((v): Box => {
      const zones = [...new Set(model.subnets.filter((s) => s.vpcId === v.id).map((s) => s.azId ?? s.az))]
        .filter(Boolean)
        .sort();
      const label = `${v.id}${v.cidr ? ` ${v.cidr}` : ''}${zones.length ? ` · ${zones.join(', ')}` : ''}`;
      return { id: v.id, kind: 'vpc', label, parent: `account:${v.account}` };
    });
  return [...accountBoxes, ...vpcBoxes];
}

/** The security groups of a part, as a line of its label. */
const groupsLine = (ids: readonly string[] | undefined) => (ids?.length ? `\n${ids.join(', ')}` : '');

/**
 * The subnets of a part's ENIs that matter: those under a network ACL of their own (not their VPC's default), as a
 * line of its label with the ACL; nothing for a part whose subnets all use the default.
 */
function subnetsLine(f: Facts, aclOf: (subnetId: string) => NetworkAcl | undefined, eniIds: readonly string[]): string {
  const shown: string[] = [];
  for (const subnetId of new Set(eniIds.map((id) => f.enis.get(id)?.subnetId ?? ''))) {
    const acl = aclOf(subnetId);
    if (acl && !acl.isDefault) shown.push(`${subnetId} (${acl.id})`);
  }
  return shown.length ? `\n${shown.join(', ')}` : '';
}

function partsOf(model: InfraModel, f: Facts): Part[] {
  const vpcOf = (eniId: string | undefined) => (eniId ? f.enis.get(eniId)?.vpcId : undefined);
  // Which ACL a subnet uses, as check and the twin decide it.
  const aclOf = subnetAcls(model);
  const lines = (eniIds: readonly string[], groups: readonly string[] | undefined) =>
    `${groupsLine(groups)}${subnetsLine(f, aclOf, eniIds)}`;
  const parts: Part[] = [];
  for (const i of model.instances) {
    const eni = f.enis.get(i.eniId);
    const label = `${i.name}${eni?.ip ? `\n${eni.ip}` : ''}${lines([i.eniId], eni?.securityGroupIds)}`;
    parts.push({ id: i.id, kind: 'instance', label, box: eni?.vpcId ?? '' });
  }
  for (const e of model.endpoints) {
    const kind = e.type === 'VpcAssociation' ? 'association' : 'endpoint';
    const what =
      e.type === 'Resource'
        ? 'resource endpoint'
        : e.type === 'VpcAssociation'
          ? 'VPC association'
          : 'service-network endpoint';
    parts.push({ id: e.id, kind, label: `${what}\n${e.id}${lines(e.eniIds, e.securityGroupIds)}`, box: e.vpcId });
  }
  for (const g of model.gateways) {
    const label = `resource gateway\n${g.name}${lines(g.eniIds, g.securityGroupIds)}`;
    parts.push({ id: g.id, kind: 'gateway', label, box: g.vpcId });
  }
  for (const d of model.databases) {
    d.eniIds.forEach((eniId, k) => {
      const eni = f.enis.get(eniId);
      if (!eni || eni.owner.kind !== 'database') return;
      const role = k === 0 ? 'writer' : 'reader';
      const address = eni.ip ? `\n${eni.ip}:${d.port}` : '';
      const label = `${d.engine} ${role}\n${eni.owner.id}${address}${lines([eniId], eni.securityGroupIds)}`;
      parts.push({ id: eni.owner.id, kind: role, label, box: vpcOf(eniId) ?? d.vpcId ?? '' });
    });
  }
  for (const c of model.calls)
    parts.push({ id: callerId(c.name), kind: 'caller', label: `${c.kind}\n${c.name}`, box: `account:${c.account}` });
  return parts.filter((p) => p.box).sort((a, b) => a.id.localeCompare(b.id));
}
