// Which flows a check follows: every client of a VPC with endpoints, every name it could use, the port served.
import { privateDnsCovers, unknownIn, type Endpoint } from '../model/index.js';
import { where, type Facts } from './facts.js';
import { trace } from './paths/index.js';
import type { Attempt, Client, Disposition, Flow, Hop, NameKind } from './types.js';

/**
 * Clients of each VPC with endpoints: its instances, and groups that endpoint rules or declarations name without an
 * instance.
 */
export function clientsOf(f: Facts): Client[] {
  const out: Client[] = [];
  const seen = new Set<string>();
  for (const i of f.m.instances) {
    const e = f.enis.get(i.eniId);
    if (!e?.vpcId || !f.endpointsByVpc.has(e.vpcId)) continue;
    out.push({ label: i.name, vpcId: e.vpcId, ip: e.ip, instanceId: i.id, securityGroupIds: e.securityGroupIds });
    for (const g of e.securityGroupIds) seen.add(`${e.vpcId}|${g}`);
  }
  const groupClient = (vpcId: string, sg: string) => {
    if (seen.has(`${vpcId}|${sg}`)) return;
    seen.add(`${vpcId}|${sg}`);
    out.push({ label: sg, vpcId, securityGroupIds: [sg] });
  };
  for (const [vpcId, endpoints] of f.endpointsByVpc) {
    for (const ep of endpoints) {
      for (const g of ep.securityGroupIds) {
        for (const r of f.groups.get(g)?.ingress ?? []) {
          if ('securityGroupId' in r.peer && !ep.securityGroupIds.includes(r.peer.securityGroupId))
            groupClient(vpcId, r.peer.securityGroupId);
        }
      }
    }
  }
  for (const x of f.m.expectations) {
    const ep = f.endpoints.get(x.endpointId);
    for (const c of x.clients) if (ep && 'securityGroupId' in c) groupClient(ep.vpcId, c.securityGroupId);
  }
  return out;
}

export interface Candidate {
  readonly name: string;
  readonly kind: NameKind;
  readonly port: number;
  readonly endpoint: Endpoint;
  readonly configuration: string;
  /** The configuration the endpoint reaches it through (the same, or its group or ARN configuration). */
  readonly parent: string;
  /** The configuration's custom domain (an RDS name for an ARN type): what private DNS would map. */
  readonly customDomain?: boolean;
  /** What to do when the name does not work, when the general advice does not fit. */
  readonly fix?: string;
}

/** Every name a client of this VPC could use for what its endpoints reach, with the port a client would use. */
export function namesOf(f: Facts, vpcId: string): Candidate[] {
  const out = new Map<string, Candidate>();
  for (const ep of f.endpointsByVpc.get(vpcId) ?? []) {
    for (const a of ep.associations) {
      const config = f.configurations.get(a.configurationArn);
      const parent = f.configurations.get(a.parentArn);
      const ranges = config?.portRanges.length ? config.portRanges : (parent?.portRanges ?? []);
      // A client uses the target's own port (a database's) when the model knows it, else the first one served.
      const port = f.databaseOf(config)?.port ?? Number(ranges[0]?.split('-')[0] ?? 0);
      const [configuration, parentName] = [config?.name ?? a.configurationArn, parent?.name ?? a.parentArn];
      const add = (name: string | undefined, kind: NameKind, customDomain = false) => {
        // A name known only at deploy (a custom resource's attribute) is no name a client can be said to use.
        if (!name || unknownIn(name)) return;
        const key = name.toLowerCase();
        const had = out.get(key);
        if (had && (had.kind !== 'original' || kind === 'original')) return;
        const flag = customDomain || had?.customDomain ? { customDomain: true } : {};
        out.set(key, { port, endpoint: ep, configuration, parent: parentName, name, kind, ...flag });
      };
      add(a.dnsName, 'endpoint');
      add(a.privateDnsName, 'private-dns');
      add(config?.customDomain, 'original', true);
      const d = config?.definition;
      if (d && 'dns' in d) add(d.dns, 'original');
    }
  }
  return [...out.values()];
}

/**
 * A name a service-network path was declared to serve but none of its associations does: the configuration it
 * belongs to is missing from the network (or from the templates).
 */
export function unservedName(f: Facts, ep: Endpoint, name: string, port: number): Candidate {
  const n = name.toLowerCase();
  const config = f.m.configurations.find(
    (c) =>
      c.customDomain?.toLowerCase() === n ||
      (!!c.definition && 'dns' in c.definition && c.definition.dns.toLowerCase() === n),
  );
  const parent = config?.groupId ? f.configurationsById.get(config.groupId) : config;
  const sn = ep.type === 'Resource' ? undefined : f.serviceNetwork(ep.serviceNetwork);
  const fix =
    parent && sn
      ? `associate configuration ${parent.name} with service network ${sn.name}: an AWS::VpcLattice::ServiceNetworkResourceAssociation with ResourceConfigurationId ${parent.id} and ServiceNetworkId ${sn.id}`
      : `no configuration in the templates serves ${name}: share it and associate it with the service network`;
  return {
    name,
    kind: 'original',
    port,
    endpoint: ep,
    configuration: config?.name ?? name,
    parent: parent?.name ?? name,
    customDomain: true,
    fix,
  };
}

/**
 * What to do when a name of the resource does not work from this VPC. Private DNS maps a configuration's custom
 * domain (as the endpoint's PrivateDnsPreference allows) and an RDS cluster's names under an ARN configuration; it
 * never maps a DNS target that is neither, so there the fix is on the owner's side.
 */
export function dnsFix(f: Facts, c: Candidate): string | undefined {
  if (c.fix) return c.fix;
  if (c.kind !== 'original') return undefined;
  const ep = c.endpoint;
  const n = c.name.toLowerCase();
  const configs = ep.associations.map((a) => f.configurations.get(a.configurationArn));
  const byDomain = configs.find((x) => x?.customDomain?.toLowerCase() === n);
  const byTarget = configs.find(
    (x) => !!x?.definition && 'dns' in x.definition && x.definition.dns.toLowerCase() === n,
  );
  const named = byDomain ?? byTarget;
  const own = (named ? ep.associations[configs.indexOf(named)] : ep.associations[0])?.dnsName;
  const use = `use the endpoint's name ${own ?? "(the endpoint's name)"}`;
  const at = where(ep.source, ep.id);
  if (byDomain || !byTarget) {
    const cover = `PrivateDnsPreference: ALL_DOMAINS, or SPECIFIED_DOMAINS_ONLY with ${c.name} in PrivateDnsSpecifiedDomains`;
    if (!ep.privateDns && byDomain && privateDnsCovers(ep, byDomain))
      return `${use}, or turn on private DNS for ${at} (PrivateDnsEnabled: true)`;
    if (!ep.privateDns) return `${use}, or turn on private DNS for ${at} (PrivateDnsEnabled: true, with ${cover})`;
    return `${use}, or let private DNS of ${at} cover ${c.name} (${cover})`;
  }
  const cluster = f.m.databases.find((d) => d.writerName.toLowerCase() === n || d.readerName.toLowerCase() === n);
  const owner = where(byTarget.source, byTarget.id);
  if (cluster)
    return `${use}, or have the owner share cluster ${cluster.id} through an ARN configuration (ResourceConfigurationType: ARN, ArnResource: its ARN, in place of ${owner})${ep.privateDns ? '' : ` and turn on private DNS for ${at} (PrivateDnsEnabled: true)`}: private DNS then maps the cluster's own names`;
  return `${use}, or have the owner set CustomDomainName: ${c.name} on ${owner} and turn on private DNS for ${at} (PrivateDnsEnabled: true, with PrivateDnsPreference: ALL_DOMAINS): private DNS maps a configuration's custom domain, never its DNS target`;
}

/** A path's disposition from its attempts': theirs when they agree, else PARTIAL when some get through. */
function pathDisposition(attempts: readonly Attempt[]): Disposition {
  const first = attempts[0]?.disposition;
  if (attempts.every((a) => a.disposition === first)) return first ?? 'UNKNOWN';
  const has = (d: Disposition) => attempts.some((a) => a.disposition === d);
  return has('REACHABLE') && has('BLOCKED') ? 'PARTIAL' : has('BLOCKED') ? 'BLOCKED' : 'UNKNOWN';
}

/** The first hop of any attempt, in order, with this status. */
function firstHop(attempts: readonly Attempt[], status: Hop['status']): Hop | undefined {
  for (const attempt of attempts) for (const hop of attempt.hops) if (hop.status === status) return hop;
  return undefined;
}

export function flowOf(f: Facts, client: Client, c: Candidate, expected: boolean, port = c.port): Flow {
  // The fix is the candidate's, for every client of its VPC: made once (the same text then keys the hops after DNS).
  const fix = f.dnsFixes.get([c], () => dnsFix(f, c));
  const attempts = trace(f, client, c.name, port, fix);
  const decidedBy = firstHop(attempts, 'block') ?? firstHop(attempts, 'unknown');
  return {
    client,
    name: c.name,
    port,
    nameKind: c.kind,
    endpointId: c.endpoint.id,
    configuration: c.configuration,
    expected,
    disposition: pathDisposition(attempts),
    attempts,
    ...(decidedBy ? { decidedBy } : {}),
  };
}
