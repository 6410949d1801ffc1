// resources: databases (created or imported), TCP services, HTTPS APIs and groups, each on a declared network.
import { inCidr } from '../../shared/index.js';
import type { Path } from '../errors.js';
import type { RawConfig } from '../schema.js';
import { defaultPort, type Account, type Network, type SharedResource, type Target } from '../topology.js';
import { Section, type Context } from './context.js';

type RawResource = RawConfig['resources'][string];
type Raw<K extends RawResource['type']> = Extract<RawResource, { type: K }>;

const PRIVATE_V4 = ['10.0.0.0/8', '100.64.0.0/10', '172.16.0.0/12', '192.168.0.0/16'];
const isPrivate = (addr: string) => PRIVATE_V4.some((cidr) => inCidr(addr, cidr));

/** What a resource resolver reads: the context, its path and name, and the network it names (when declared). */
interface Entry<T> {
  readonly ctx: Context;
  readonly at: Path;
  readonly name: string;
  readonly raw: T;
  /** The network's name, as the config gives it. */
  readonly networkName: string;
  readonly network?: Network;
}

export function resolveResources(
  ctx: Context,
  accounts: Section<Account>,
  networks: Section<Network>,
): Section<SharedResource> {
  const resources: SharedResource[] = [];
  for (const [name, raw] of Object.entries(ctx.raw.resources)) {
    const at = ['resources', name];
    if ('sharedBy' in raw && raw.sharedBy) continue; // another account's: resolvePartnerResources
    if (raw.network === undefined) {
      ctx.bad(
        at,
        `resource "${name}" needs network (a network of yours that holds it) or sharedBy (another account shares it with you)`,
        'add network: <name>, or sharedBy: { account, configurationArn }',
        'key',
      );
      continue;
    }
    const declared = ctx.refCheck([...at, 'network'], 'network', raw.network, networks.declared);
    const network = declared ? networks.get(raw.network) : undefined;
    const runBy = network ? accounts.get(network.account)?.operatedBy : undefined;
    if (runBy)
      ctx.bad(
        [...at, 'network'],
        `resource "${name}" would be shared from account "${network?.account}", which ${runBy.party} runs: lattice-share deploys the owner's side, so it cannot be there`,
        'put the resource in a network of an account you run',
      );
    const resource = resolveOne({ ctx, at, name, raw, networkName: raw.network, network }, accounts);
    if (resource) resources.push(resource);
  }
  return new Section(resources, new Set(Object.keys(ctx.raw.resources)));
}

function resolveOne(entry: Entry<RawResource>, accounts: Section<Account>): SharedResource | undefined {
  const { raw } = entry;
  if (raw.type === 'aurora-postgresql' || raw.type === 'aurora-mysql') return database({ ...entry, raw }, accounts);
  if (raw.type === 'tcp') return tcp({ ...entry, raw });
  if (raw.type === 'https') return https({ ...entry, raw });
  return group({ ...entry, raw });
}

function database(
  entry: Entry<Raw<'aurora-postgresql' | 'aurora-mysql'>>,
  accounts: Section<Account>,
): SharedResource | undefined {
  const { ctx, at, name, raw, network, networkName } = entry;
  if ((raw.create === undefined) === (raw.import === undefined)) {
    ctx.bad(
      at,
      `database "${name}" needs exactly one of create or import`,
      'add create: {} for a new cluster, or import: { arn, writerEndpoint, securityGroupIds } for an existing one',
      'key',
    );
    return undefined;
  }
  if (raw.customDomains && raw.expose !== 'dns')
    ctx.bad(
      [...at, 'customDomains'],
      "custom domains apply to expose: dns only; an ARN-type configuration keeps the cluster's own names",
      'set expose: dns or remove customDomains',
      'key',
    );
  if (raw.create && network && network.availabilityZones.length < 2)
    ctx.bad(
      [...at, 'network'],
      `network "${network.name}" has ${network.availabilityZones.length} availability zone; an Aurora cluster needs subnets in at least 2`,
      `set azs: 2 or more on network "${network.name}"`,
    );
  return {
    kind: 'database',
    name,
    network: networkName,
    engine: raw.type,
    expose: raw.expose,
    port: raw.port ?? defaultPort(raw.type),
    customDomains: raw.customDomains,
    import: raw.import && importedCluster(entry, raw.import, accounts),
    create: raw.create && {
      ...raw.create,
      engineVersion: raw.create.engineVersion ?? (raw.type === 'aurora-mysql' ? '3.08.2' : '16.6'),
    },
  };
}

/** An imported cluster, in the config's Region and in the account that owns the network it is put on. */
function importedCluster<T extends { arn: string }>(
  { ctx, at, network }: Entry<unknown>,
  imported: T,
  accounts: Section<Account>,
): T & { clusterIdentifier: string } {
  const [, , , region, accountId, , clusterIdentifier] = imported.arn.split(':');
  if (region !== ctx.raw.region)
    ctx.bad(
      [...at, 'import', 'arn'],
      `cluster region ${region} differs from the config region ${ctx.raw.region}`,
      'share a cluster of the config region',
    );
  const owner = network && accounts.get(network.account);
  if (network && owner && accountId !== owner.id)
    ctx.bad(
      [...at, 'import', 'arn'],
      `cluster account ${accountId} differs from account "${owner.name}" (${owner.id}) that owns network "${network.name}"`,
      'put the resource on a network of the account that owns the cluster',
    );
  return { ...imported, clusterIdentifier: clusterIdentifier ?? '' };
}

function tcp({ ctx, at, name, raw, network, networkName }: Entry<Raw<'tcp'>>): SharedResource | undefined {
  const target = targetOf(ctx, [...at, 'target'], raw.target ?? {}, network);
  if (target && 'dns' in target && !raw.securityGroupIds?.length)
    ctx.bad(
      [...at, 'securityGroupIds'],
      `tcp resource "${name}" with a DNS target needs the target's security group IDs so the gateway may reach it`,
      'add securityGroupIds: [sg-…] (the security groups of the target)',
      'key',
    );
  if (!target) return undefined;
  return {
    kind: 'tcp',
    name,
    network: networkName,
    target,
    ports: raw.ports,
    customDomain: raw.customDomain,
    securityGroupIds: raw.securityGroupIds ?? [],
  };
}

function https({ ctx, at, name, raw }: Entry<Raw<'https'>>): SharedResource {
  if (!raw.server && !raw.securityGroupIds?.length)
    ctx.bad(
      at,
      `https resource "${name}" needs either server (a demo API server) or securityGroupIds (of the existing server behind ${raw.domain})`,
      'add server: { hostedZoneId: Z… } or securityGroupIds: [sg-…]',
      'key',
    );
  if (raw.server && raw.securityGroupIds)
    ctx.bad(
      [...at, 'securityGroupIds'],
      'securityGroupIds are for an existing server; a demo server gets its own group',
      'remove securityGroupIds or server',
      'key',
    );
  return {
    kind: 'https',
    name,
    network: raw.network,
    domain: raw.domain,
    port: raw.port,
    customDomain: raw.customDomain,
    server: raw.server,
    securityGroupIds: raw.securityGroupIds ?? [],
  };
}

function group({ ctx, at, name, raw, network }: Entry<Raw<'group'>>): SharedResource {
  const members: { name: string; target: Target; customDomain?: string; ports?: string[] }[] = [];
  for (const [member, spec] of Object.entries(raw.members)) {
    const memberAt = [...at, 'members', member];
    const target = targetOf(ctx, [...memberAt, 'target'], spec.target, network);
    if (name.length + 1 + member.length > 40)
      ctx.bad(
        memberAt,
        `member configuration name "${name}-${member}" is longer than the 40 characters VPC Lattice allows`,
        'use a shorter group or member name',
        'key',
      );
    if (spec.customDomain && raw.groupDomain && !spec.customDomain.endsWith(`.${raw.groupDomain}`))
      ctx.bad(
        [...memberAt, 'customDomain'],
        `member domain ${spec.customDomain} is not a subdomain of groupDomain ${raw.groupDomain}`,
        `use a name ending in .${raw.groupDomain}`,
      );
    if (target) members.push({ name: member, target, customDomain: spec.customDomain, ports: spec.ports });
  }
  if (members.some((member) => 'dns' in member.target) && !raw.securityGroupIds?.length)
    ctx.bad(
      [...at, 'securityGroupIds'],
      `group "${name}" has DNS targets; it needs their security group IDs so the gateway may reach them`,
      'add securityGroupIds: [sg-…]',
      'key',
    );
  return {
    kind: 'group',
    name,
    network: raw.network,
    ports: raw.ports,
    groupDomain: raw.groupDomain,
    securityGroupIds: raw.securityGroupIds ?? [],
    members,
  };
}

/** A target of exactly one of dns or ip; an IP is private and inside the network that holds it. */
function targetOf(
  ctx: Context,
  path: Path,
  target: { dns?: string; ip?: string },
  network?: Network,
): Target | undefined {
  if (target.dns !== undefined && target.ip === undefined) return { dns: target.dns };
  if (target.ip === undefined || target.dns !== undefined) {
    ctx.bad(path, 'a target needs exactly one of dns or ip', 'write target: { dns: name } or target: { ip: address }');
    return undefined;
  }
  if (!isPrivate(target.ip))
    ctx.bad(
      [...path, 'ip'],
      `IP target ${target.ip} is not a private address; AWS accepts only 10/8, 100.64/10, 172.16/12, 192.168/16`,
      'use the private address of the target',
    );
  else if (network && !inCidr(target.ip, network.cidr))
    ctx.bad(
      [...path, 'ip'],
      `IP target ${target.ip} is outside network "${network.name}" (${network.cidr})`,
      'use an address inside the VPC that holds the target',
    );
  return { ip: target.ip };
}
