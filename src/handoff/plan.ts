// What a kit holds for one account another party runs: pure, from the topology and (when deployed) the owner stacks'
// outputs. The resources the account receives through the config's shares, each with the values only the owner knows
// (configuration ARNs, the share's ARN, the database's names), the zones its gateway covers, and the deadline.
import {
  schemeOf,
  type Account,
  type DatabaseResource,
  type Share,
  type SharedResource,
  type Topology,
} from '../config/index.js';
import {
  configurationArnOutput,
  endpointNameOutput,
  pascal,
  resourceOwnerStack,
  shareArnOutput,
} from '../app/names.js';
import { configurationParts, customDomainsOf, portRanges } from '../app/parts.js';
import { LatticeShareError } from '../shared/errors.js';
import { LATTICE_INVITATION_HOURS as INVITATION_HOURS } from '../shared/index.js';

export { INVITATION_HOURS };

/** A value the owner knows: the template parameter that carries it, where it comes from, and the value if known. */
export interface OwnerValue {
  readonly parameter: string;
  readonly stack: string;
  readonly output: string;
  readonly value?: string;
}

export interface KitShare {
  readonly name: string;
  readonly ownerAccountId: string;
  readonly arn: OwnerValue;
  /** True when the partner's account must accept an invitation (outside the owner's organization). */
  readonly accept: boolean;
}

export interface KitZone {
  readonly name: string;
  /** The zone's ID (the same physical zone in every account), when the owner's config says. */
  readonly id?: string;
}

export interface KitResource {
  readonly name: string;
  readonly kind: SharedResource['kind'];
  readonly engine?: DatabaseResource['engine'];
  readonly ports: string[];
  /** One endpoint per configuration: '' for the resource, writer or reader for a DNS-exposed database. */
  readonly configurations: { readonly part: string; readonly arn: OwnerValue }[];
  /** Custom domains, which private DNS gives the endpoint only when they are named on it (not the cluster's names). */
  readonly customDomains: string[];
  /** Names clients use with private DNS on: the cluster's own names (ARN type) or the custom domains. */
  readonly names: { readonly role: string; readonly name: OwnerValue | string; readonly port: number }[];
  readonly database?: { readonly name: string; readonly user: string; readonly scheme: 'postgresql' | 'mysql' };
  readonly share: string;
  readonly zones: KitZone[];
}

export interface KitPlan {
  readonly app: string;
  readonly region: string;
  readonly account: Account;
  readonly shares: KitShare[];
  readonly resources: KitResource[];
  /** Parameters the owner has not filled in yet (no deployed outputs given). */
  readonly pending: string[];
  /** When the invitations expire, if the owner's share was made at a known time (ISO 8601). */
  readonly deadline?: string;
}

/** Outputs of deployed stacks, by stack name. */
export type StackOutputs = Readonly<Record<string, Readonly<Record<string, string>>>>;

export class HandoffError extends LatticeShareError {
  constructor(message: string) {
    super('LS_HANDOFF_REFUSED', message);
  }
}

/** A name the resolved topology holds (the config box checked every reference). */
function named<T extends { readonly name: string }>(list: readonly T[], name: string, what: string): T {
  const found = list.find((entry) => entry.name === name);
  if (!found) throw new HandoffError(`no ${what} "${name}" in the config`);
  return found;
}

/** The owner stack of a share: the one of its first resource. */
export const shareOwnerStack = (t: Topology, share: Share): string =>
  resourceOwnerStack(t, named(t.resources, share.resources[0] ?? '', 'resource'));

/** The shares of the config that reach `account`, by name of account principal or through its organization or OU. */
export function sharesReaching(t: Topology, account: Account): Share[] {
  return t.shares.filter((share) =>
    share.principals.some(
      (p) =>
        (p.kind === 'account' && p.account === account.name) ||
        (p.kind === 'organization' && account.inOrganization) ||
        (p.kind === 'ou' && account.organizationalUnit === p.id),
    ),
  );
}

/** The kit's plan for `accountName`; a HandoffError saying what to change when there is nothing to hand over. */
export function planKit(
  t: Topology,
  accountName: string,
  options: { outputs?: StackOutputs; sharedAt?: Date } = {},
): KitPlan {
  const account = accountNamed(t, accountName);
  const shares = sharesReaching(t, account).filter((s) => s.owner !== account.name);
  if (!shares.length) throw new HandoffError(notInAShare(t, account));
  const outputs = options.outputs ?? {};
  const kitShares = shares.map((s) => kitShare(t, s, account, outputs));
  const resources = resourcesOf(t, shares, outputs);
  const plan = { app: t.name, region: t.region, account, shares: kitShares, resources };
  const sharedAt = options.sharedAt;
  return {
    ...plan,
    pending: ownerValues(plan)
      .filter((v) => v.value === undefined)
      .map((v) => v.parameter),
    ...(sharedAt && kitShares.some((s) => s.accept) ? { deadline: invitationDeadline(sharedAt) } : {}),
  };
}

/** When an invitation made at `sharedAt` expires. */
export const invitationDeadline = (sharedAt: Date): string =>
  new Date(sharedAt.getTime() + INVITATION_HOURS * 3_600_000).toISOString();

/** An account of the config by name; a HandoffError listing them when there is none. */
export function accountNamed(t: Topology, name: string): Account {
  const account = t.accounts.find((a) => a.name === name);
  if (!account)
    throw new HandoffError(
      `no account "${name}" in ${t.source}; accounts: ${t.accounts.map((a) => a.name).join(', ')}`,
    );
  return account;
}

/** Every value the owner fills in: share ARNs to accept, configuration ARNs, database names; each once. */
export function ownerValues(plan: Pick<KitPlan, 'shares' | 'resources'>): OwnerValue[] {
  return [
    ...plan.shares.filter((s) => s.accept).map((s) => s.arn),
    ...plan.resources.flatMap((r) => [
      ...r.configurations.map((c) => c.arn),
      ...r.names.flatMap((n) => (typeof n.name === 'string' ? [] : [n.name])),
    ]),
  ];
}

/** The resources the shares carry to the account, each once; HTTPS APIs are for callers, not endpoints. */
function resourcesOf(t: Topology, shares: Share[], outputs: StackOutputs): KitResource[] {
  const seen = new Set<string>();
  const resources: KitResource[] = [];
  for (const share of shares)
    for (const name of share.resources) {
      const r = named(t.resources, name, 'resource');
      if (r.kind === 'https' || seen.has(name)) continue;
      seen.add(name);
      resources.push(kitResource(t, r, share.name, outputs));
    }
  if (!resources.length)
    throw new HandoffError(
      `the shares that reach this account (${shares.map((s) => s.name).join(', ')}) hold only HTTPS APIs, which callers reach: a kit has endpoints for databases and TCP services`,
    );
  return resources;
}

function notInAShare(t: Topology, account: Account): string {
  const owned = t.shares.find((s) => s.owner === account.name);
  if (owned)
    return `account "${account.name}" owns share ${owned.name}: a kit is for an account that receives a share, not the one that makes it`;
  const share = t.shares[0];
  const fix = share
    ? `add "${account.name}" to shares.${share.name}.with`
    : `add a share: shares: { to-${account.name}: { resources: [${t.resources[0]?.name ?? '<resource>'}], with: [${account.name}] } }`;
  return `account "${account.name}" is not in any share of ${t.source}, so there is nothing to hand over: ${fix}`;
}

function ownerValue(stack: string, output: string, parameter: string, outputs: StackOutputs): OwnerValue {
  const value = outputs[stack]?.[output];
  return { parameter, stack, output, ...(value !== undefined ? { value } : {}) };
}

function kitShare(t: Topology, share: Share, account: Account, outputs: StackOutputs): KitShare {
  const owner = named(t.accounts, share.owner, 'account');
  const stack = shareOwnerStack(t, share);
  const output = shareArnOutput(share.name);
  return {
    name: share.name,
    ownerAccountId: owner.id,
    arn: ownerValue(stack, output, output, outputs),
    // Outside the organization RAM sends an invitation; inside it (sharing with AWS Organizations on) it does not.
    accept: !account.inOrganization,
  };
}

function kitResource(t: Topology, r: SharedResource, share: string, outputs: StackOutputs): KitResource {
  const stack = resourceOwnerStack(t, r);
  const configurations = configurationParts(r).map(({ part }) => {
    const output = configurationArnOutput(r.name, part);
    return { part, arn: ownerValue(stack, output, output, outputs) };
  });
  return {
    name: r.name,
    kind: r.kind,
    ports: portRanges(r),
    configurations,
    names: namesOf(r, stack, outputs),
    customDomains: customDomainsOf(r),
    share,
    zones: zonesOf(t, r),
    ...(r.kind === 'database' ? { engine: r.engine, database: databaseOf(r) } : {}),
  };
}

function databaseOf(r: DatabaseResource): KitResource['database'] {
  return {
    name: r.create?.databaseName ?? '<database>',
    // The owner gives the partner a user of its own: the master user is not for sharing.
    user: '<user>',
    scheme: schemeOf(r.engine),
  };
}

/** The names clients use through the endpoint with private DNS on, with their ports. */
function namesOf(r: SharedResource, stack: string, outputs: StackOutputs): KitResource['names'] {
  const firstPort = (ports: string[]) => Number((ports[0] ?? '').split('-')[0]);
  if (r.kind === 'database') {
    const roles = r.create || r.import?.readerEndpoint ? (['writer', 'reader'] as const) : (['writer'] as const);
    if (r.expose === 'dns')
      return roles.flatMap((role) => {
        const name = r.customDomains?.[role];
        return name ? [{ role, name, port: r.port }] : [];
      });
    return roles.map((role) => {
      const known = role === 'writer' ? r.import?.writerEndpoint : r.import?.readerEndpoint;
      const output = endpointNameOutput(r.name, role);
      return {
        role,
        name: known ?? ownerValue(stack, output, `${pascal(r.name)}${pascal(role)}Name`, outputs),
        port: r.port,
      };
    });
  }
  if (r.kind === 'group')
    return r.members.flatMap((m) =>
      m.customDomain ? [{ role: m.name, name: m.customDomain, port: firstPort(m.ports ?? r.ports) }] : [],
    );
  if (r.kind === 'tcp' && r.customDomain) return [{ role: '', name: r.customDomain, port: firstPort(r.ports) }];
  return [];
}

/** The zones the resource's gateway has subnets in, by ID where the owner's config maps them. */
function zonesOf(t: Topology, r: SharedResource): KitZone[] {
  const network = named(t.networks, r.network, 'network');
  const zoneIds = t.accounts.find((a) => a.name === network.account)?.zoneIds ?? {};
  return network.availabilityZones.map((name) => ({ name, ...(zoneIds[name] ? { id: zoneIds[name] } : {}) }));
}
