// Indexes over the infra model that every hop and lint rule reads: built once, so a check stays linear in size.
import type {
  Acceptance,
  Configuration,
  Database,
  Endpoint,
  Eni,
  Gateway,
  InfraModel,
  Instance,
  Rule,
  SecurityGroup,
  Service,
  ServiceNetwork,
  Share,
  Source,
  Subnet,
  Vpc,
} from '../model/index.js';
import { by, cidrBounds, group, inCidr, Memo, publicName } from '../shared/index.js';
import { unknownIn } from '../model/index.js';
import { Names, type Answer, type Lookup } from './names.js';
import type { ReasonCode } from './reasons.js';

export { publicName };
export type { Answer, Lookup };
import type { Attempt, Client, Hop, HopName, Ref } from './types.js';
import type { Candidate } from './flows.js';

/** Where a client's hops after DNS are kept: by the name's fix, the port and the address. */
type AfterDnsKey = [nameFix: string, port: number, address: string];
type AfterDns = Pick<Attempt, 'disposition' | 'hops'>;

export class Facts {
  readonly vpcs: Map<string, Vpc>;
  readonly subnets: Map<string, Subnet>;
  readonly enis: Map<string, Eni>;
  readonly groups: Map<string, SecurityGroup>;
  readonly configurations: Map<string, Configuration>;
  readonly configurationsById: Map<string, Configuration>;
  readonly children: Map<string, Configuration[]>;
  readonly gateways: Map<string, Gateway>;
  readonly endpoints: Map<string, Endpoint>;
  readonly instances: Map<string, Instance>;
  readonly databasesByEni = new Map<string, Database>();
  readonly sharesByResource: Map<string, Share[]>;
  private stacksByAccount?: Map<string, InfraModel['stacks'][number]>;
  private sharesByOwner?: Map<string, Share[]>;
  private byGateway?: Map<string, Configuration[]>;
  /** Acceptances by account, then share ARN (the last of equal ones). */
  private acceptances?: Map<string, Map<string, Acceptance>>;
  /** Service networks by ID (references give an ID or an ARN: see serviceNetwork()). */
  private readonly networks: Map<string, ServiceNetwork>;
  /** VPCs with a service-network VPC association: 129.224.0.0/17 is routed in them. */
  readonly associatedVpcs: Set<string>;
  private readonly services: Map<string, Service[]>;
  /** ENIs by VPC, then address (primary and secondary). */
  private readonly byAddress = new Map<string, Map<string, Eni>>();
  /** ENIs anywhere by address: to say whose an unreachable address is. */
  private readonly anywhere = new Map<string, Eni[]>();
  /** What names mean, publicly and in each VPC (names.ts). */
  readonly names: Names;
  readonly endpointsByVpc: Map<string, Endpoint[]>;
  /** Template file of each stack, for references. */
  private readonly templates: Map<string, string | undefined>;
  /** The owner side of a path (the same for every client), by port, address and endpoint ENI (paths/owner.ts). */
  readonly ownerSides = new Memo<[number, string, string], Hop[]>();
  /** The share hop of an endpoint, by the configuration it names and the endpoint (paths/owner.ts). */
  readonly shareHops = new Memo<[string, string], Hop>();
  /** The port-range hop, by port, the configuration an endpoint names and the association's (paths/owner.ts). */
  readonly portRangeHops = new Memo<[number, string, string], Hop>();
  /** The gateway ENI carrying an endpoint ENI's flows, and its az hop, by gateway and endpoint ENI (paths/owner.ts). */
  readonly gatewayEnis = new Memo<[string, string], { readonly eni?: Eni; readonly hop: Hop }>();
  /** The hops beyond a gateway, by port, configuration and gateway ENI (see paths/owner.ts). */
  readonly beyondGateways = new Memo<[number, string | undefined, string], Hop[]>();
  /** The last client's hops after DNS, by name fix, port and address (see `afterDnsOf`). */
  private afterDns = { client: undefined as Client | undefined, hops: new Memo<AfterDnsKey, AfterDns>() };
  /** The hop a security-group rule lets a flow through, by hop, group and rule (paths/hops.ts): one object. */
  readonly ruleHops = new Memo<[HopName, string, Rule], Hop>();
  /** The route hop to an address in a VPC, by address and VPC (paths/trace.ts). */
  readonly routeHops = new Memo<[string, string], Hop>();
  /** What to do when a candidate name does not work, by candidate (flows.ts's dnsFix). */
  readonly dnsFixes = new Memo<[Candidate], string | undefined>();
  /** The dns hop of a name that resolves in a VPC, by VPC and name (paths/trace.ts). */
  readonly dnsHops = new Memo<[string, string], Hop>();

  constructor(readonly m: InfraModel) {
    this.vpcs = by(m.vpcs, (v) => v.id);
    this.subnets = by(m.subnets, (x) => x.id);
    this.templates = new Map(m.stacks.map((x) => [x.name, x.templateFile]));
    this.enis = by(m.enis, (e) => e.id);
    this.groups = by(m.securityGroups, (g) => g.id);
    this.configurations = by(m.configurations, (c) => c.arn);
    this.configurationsById = by(m.configurations, (c) => c.id);
    this.children = group(
      m.configurations.filter((c) => c.groupId),
      (c) => c.groupId!,
    );
    this.gateways = by(m.gateways, (g) => g.id);
    this.endpoints = by(m.endpoints, (e) => e.id);
    this.instances = by(m.instances, (i) => i.id);
    this.endpointsByVpc = group(m.endpoints, (e) => e.vpcId);
    this.networks = by(m.serviceNetworks, (n) => n.id);
    this.services = group(m.services, (x) => x.instanceId);
    this.associatedVpcs = new Set(m.endpoints.filter((e) => e.type === 'VpcAssociation').map((e) => e.vpcId));
    this.sharesByResource = group(
      m.shares.flatMap((s) => s.resourceArns.map((arn) => ({ arn, s }))),
      (x) => x.arn,
      (x) => x.s,
    );
    this.indexAddresses(m.enis);
    for (const d of m.databases) for (const id of d.eniIds) this.databasesByEni.set(id, d);
    this.names = new Names(m, this.enis);
  }

  /**
   * A client's hops after DNS, by name fix, port and address (paths/trace.ts): kept for the client last asked about
   * only. Flows are followed client by client, so a large check does not keep a map of every client's while it runs.
   */
  afterDnsOf(client: Client): Memo<AfterDnsKey, AfterDns> {
    if (this.afterDns.client !== client) this.afterDns = { client, hops: new Memo() };
    return this.afterDns.hops;
  }

  /** ENIs by VPC and address, and by address anywhere (primary and secondary addresses). */
  private indexAddresses(enis: Eni[]): void {
    for (const e of enis) {
      for (const ip of [e.ip, ...e.secondaryIps]) {
        if (!ip) continue;
        if (e.vpcId) {
          const inVpc = this.byAddress.get(e.vpcId);
          if (inVpc) inVpc.set(ip, e);
          else this.byAddress.set(e.vpcId, new Map([[ip, e]]));
        }
        const owners = this.anywhere.get(ip);
        if (owners) owners.push(e);
        else this.anywhere.set(ip, [e]);
      }
    }
  }

  /** What an instance serves (its lattice-share:serves tag). */
  servicesOf(instanceId: string): Service[] {
    return this.services.get(instanceId) ?? [];
  }

  /** The names a server's certificate carries in the twin: every record and DNS target that points at it. */
  certificateNames(e: Eni): string[] {
    const ips = [e.ip, ...e.secondaryIps];
    const names = this.m.records
      .filter((r) => r.addresses.some((a) => ips.includes(a)))
      .map((r) => r.name.toLowerCase());
    // Names a facts file says the certificate carries, besides those records give.
    const stated = e.owner.kind === 'instance' ? this.servicesOf(e.owner.id).flatMap((x) => x.names ?? []) : [];
    return [...new Set([...names, ...stated.map((n) => n.toLowerCase())])];
  }

  /** A service network by ID or ARN. */
  serviceNetwork(ref: string): ServiceNetwork | undefined {
    return this.networks.get(ref.split('/').pop()!);
  }

  /** The Amazon-provided resolver of a VPC: its private names (zones, private DNS) first, then public names. */
  resolve(vpcId: string, name: string): Answer | undefined {
    return this.names.lookup(vpcId, name).answer;
  }

  eniAt(vpcId: string, ip: string): Eni | undefined {
    return this.byAddress.get(vpcId)?.get(ip);
  }

  private databasesByTarget?: Map<string, Database>;

  /**
   * The database a configuration targets, if the model has it: an ARN target by the database's ARN, a DNS target by
   * its writer or reader name, an IP target by the address of one of its instances in the gateway's VPC.
   */
  databaseOf(config: Configuration | undefined): Database | undefined {
    const definition = config?.definition;
    if (!definition) return undefined;
    const targets = (this.databasesByTarget ??= this.databaseTargets());
    if ('arn' in definition) return targets.get(definition.arn);
    if ('dns' in definition) return targets.get(definition.dns.toLowerCase());
    const gateway = config?.gatewayId ? this.gateways.get(config.gatewayId) : undefined;
    return gateway ? targets.get(`${gateway.vpcId}|${definition.ip}`) : undefined;
  }

  /** Databases by ARN, by writer and reader name, and by `vpc|address` of their instances (addresses repeat). */
  private databaseTargets(): Map<string, Database> {
    const targets = new Map<string, Database>();
    const add = (key: string, db: Database) => targets.has(key) || targets.set(key, db);
    for (const db of this.m.databases) {
      for (const key of [db.arn, db.writerName.toLowerCase(), db.readerName.toLowerCase()]) add(key, db);
      for (const eniId of db.eniIds) {
        const eni = this.enis.get(eniId);
        if (eni?.ip) add(`${eni.vpcId}|${eni.ip}`, db);
      }
    }
    return targets;
  }

  /** Whose an address is, anywhere in the model: for explanations. */
  owners(ip: string): Eni[] {
    return this.anywhere.get(ip) ?? [];
  }

  /** The first stack of an account (its organization facts), looked up once per account. */
  stackOfAccount(account: string) {
    if (!this.stacksByAccount) {
      this.stacksByAccount = new Map();
      for (const s of this.m.stacks) if (!this.stacksByAccount.has(s.account)) this.stacksByAccount.set(s.account, s);
    }
    return this.stacksByAccount.get(account);
  }

  /** The configurations a gateway carries: its own, and the children of its groups. */
  configurationsOfGateway(gatewayId: string): Configuration[] {
    if (!this.byGateway) {
      this.byGateway = new Map();
      for (const c of this.m.configurations) {
        const parent = c.groupId ? this.configurationsById.get(c.groupId)?.gatewayId : undefined;
        for (const g of new Set([c.gatewayId, parent])) {
          if (!g) continue;
          const list = this.byGateway.get(g);
          if (list) list.push(c);
          else this.byGateway.set(g, [c]);
        }
      }
    }
    return this.byGateway.get(gatewayId) ?? [];
  }

  /** The shares an account owns. */
  sharesOfAccount(account: string): Share[] {
    this.sharesByOwner ??= group(this.m.shares, (s) => s.account);
    return this.sharesByOwner.get(account) ?? [];
  }

  /** What accepts the invitation to a share in an account, if anything. */
  acceptance(account: string, shareArn: string): Acceptance | undefined {
    if (!this.acceptances) {
      this.acceptances = new Map();
      for (const a of this.m.acceptances) {
        const ofAccount = this.acceptances.get(a.account) ?? new Map<string, Acceptance>();
        this.acceptances.set(a.account, ofAccount.set(a.shareArn, a));
      }
    }
    return this.acceptances.get(account)?.get(shareArn);
  }

  /** Where a model entity comes from, as check reports it: stack, template file, logical ID and the model's ID. */
  ref(source: Source | undefined, id?: string): Ref | undefined {
    if (!source) return undefined;
    const template = this.templates.get(source.stack);
    return {
      stack: source.stack,
      ...(template ? { template } : {}),
      logicalId: source.logicalId,
      ...(id ? { id } : {}),
    };
  }

  /** Whether an ENI stands for a service-network VPC association's addresses (129.224.0.0/17), not a real ENI. */
  isAssociation(e: Eni): boolean {
    return e.owner.kind === 'endpoint' && this.endpoints.get(e.owner.id)?.type === 'VpcAssociation';
  }

  /** A readable name for an ENI's owner. */
  describe(e: Eni): string {
    switch (e.owner.kind) {
      case 'instance':
        return `instance ${this.instances.get(e.owner.id)?.name ?? e.owner.id}`;
      case 'database':
        return `DB instance ${e.owner.id} of cluster ${e.owner.cluster}`;
      case 'gateway':
        return `resource gateway ${e.owner.id}`;
      case 'endpoint':
        return this.isAssociation(e) ? `service-network association ${e.owner.id}` : `endpoint ${e.owner.id}`;
    }
  }
}

export const where = (source: Source | undefined, id?: string): string =>
  source ? `${id ? `${id} ` : ''}(${source.stack}/${source.logicalId})` : (id ?? '?');

/** The peer seen by a rule: an address (when known) and the groups it belongs to, in one VPC. */
export interface Party {
  readonly vpcId: string;
  readonly ip?: string;
  readonly securityGroupIds: string[];
  readonly vpcCidr?: string;
  readonly subnetId?: string;
}

export type Match =
  | { readonly rule: Rule; readonly group: SecurityGroup }
  | { readonly unknown: string; readonly reason: ReasonCode }
  | undefined;

/** Why a rule cannot be decided for a peer: its text and code. */
type Unsure = { readonly unknown: string; readonly reason: ReasonCode };

/**
 * Whether any rule of these groups lets TCP `port` go to (egress) or come from (ingress) `peer`. Security group
 * references match members in the same VPC only; prefix lists are not modelled (unknown).
 */
export function allows(
  f: Facts,
  groupIds: string[],
  direction: 'ingress' | 'egress',
  port: number,
  peer: Party,
  self: { vpcId?: string },
): Match {
  let unsure: Unsure | undefined;
  for (const gid of groupIds) {
    const g = f.groups.get(gid);
    if (!g || !g.created) {
      unsure ??= { unknown: `the rules of ${gid} are not in the templates`, reason: 'GROUP_RULES_UNKNOWN' };
      continue;
    }
    for (const r of g[direction]) {
      if (!carries(r, port)) continue;
      const verdict = peerVerdict(r, peer, self);
      if (verdict === true) return { rule: r, group: g };
      if (verdict) unsure ??= verdict;
    }
  }
  return unsure;
}

/** True when a rule's protocol and ports carry TCP `port`. */
const carries = (r: Rule, port: number): boolean =>
  r.protocol === '-1' || (r.protocol === 'tcp' && port >= r.fromPort && port <= r.toPort);

/** Whether a rule's peer (a CIDR, a group or a prefix list) takes `peer`: true, false, or why it cannot say. */
function peerVerdict(r: Rule, peer: Party, self: { vpcId?: string }): boolean | Unsure {
  if ('securityGroupId' in r.peer)
    return (
      self.vpcId !== undefined && peer.vpcId === self.vpcId && peer.securityGroupIds.includes(r.peer.securityGroupId)
    );
  if (!('cidr' in r.peer))
    return { unknown: `prefix list ${r.peer.prefixListId} is not modelled`, reason: 'PREFIX_LIST_NOT_MODELLED' };
  const { cidr } = r.peer;
  const unknownCidr = unknownIn(cidr);
  if (unknownCidr)
    return { unknown: `the range of a rule is ${unknownCidr}, known only at deploy`, reason: 'VALUE_UNKNOWN' };
  if (cidr.includes(':')) return false;
  if (peer.ip) return inCidr(peer.ip, cidr);
  if (peer.vpcCidr && covers(cidr, peer.vpcCidr)) return true;
  if (peer.vpcCidr && overlaps(cidr, peer.vpcCidr))
    return {
      unknown: `${cidr} covers only part of ${peer.vpcCidr}, and the client's address is not known`,
      reason: 'PEER_ADDRESS_UNKNOWN',
    };
  return false;
}

const covers = (outer: string, inner: string) => {
  const [a, b] = cidrBounds(outer);
  const [c, d] = cidrBounds(inner);
  return a <= c && d <= b;
};
const overlaps = (x: string, y: string) => {
  const [a, b] = cidrBounds(x);
  const [c, d] = cidrBounds(y);
  return a <= d && c <= b;
};
export { covers, overlaps };

export const inRanges = (port: number, ranges: string[]) =>
  ranges.some((r) => {
    const [lo, hi = lo] = r.split('-').map(Number);
    return port >= lo! && port <= hi!;
  });
