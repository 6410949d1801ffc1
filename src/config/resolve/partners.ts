// resources another account owns and shares with ours (`sharedBy`): known by the configuration ARN, in the config's
// Region, owned by the account the config names, with the names and ports its owner told us.
import type { Path } from '../errors.js';
import type { RawConfig } from '../schema.js';
import { defaultPort, type Account, type PartnerResource } from '../topology.js';
import { Section, type Context } from './context.js';

type RawResource = RawConfig['resources'][string];
type RawShared = Extract<RawResource, { type: 'aurora-postgresql' | 'aurora-mysql' | 'tcp' }>;
type SharedBy = NonNullable<RawShared['sharedBy']>;

export function resolvePartnerResources(ctx: Context, accounts: Section<Account>): Section<PartnerResource> {
  const partners: PartnerResource[] = [];
  for (const [name, raw] of Object.entries(ctx.raw.resources)) {
    if (!('sharedBy' in raw) || !raw.sharedBy) continue;
    const at = ['resources', name];
    const account = ownerAccount(ctx, [...at, 'sharedBy'], raw.sharedBy, accounts);
    notOurs(ctx, at, raw);
    const resource = raw.type === 'tcp' ? tcp(ctx, at, name, raw) : database(ctx, at, name, raw);
    if (account && resource) partners.push({ ...resource, account: account.name });
  }
  return new Section(partners);
}

/** The owner account: declared, and the one in the ARNs; the ARNs in the config's Region. */
function ownerAccount(ctx: Context, at: Path, by: SharedBy, accounts: Section<Account>): Account | undefined {
  if (!ctx.refCheck([...at, 'account'], 'account', by.account, accounts.declared)) return undefined;
  const account = accounts.get(by.account);
  const arns: [string, string | undefined][] = [
    ['configurationArn', by.configurationArn],
    ['shareArn', by.shareArn],
  ];
  for (const [key, arn] of arns) {
    if (arn === undefined) continue;
    const [, , , region, id] = arn.split(':');
    if (account && id !== account.id)
      ctx.bad(
        [...at, key],
        `${key} is of account ${id}, not of "${account.name}" (${account.id})`,
        'use the ARN the owner gave you, or fix sharedBy.account',
      );
    if (region !== ctx.raw.region)
      ctx.bad(
        [...at, key],
        `${key} is in ${region}, not in the config's Region ${ctx.raw.region}`,
        'a resource endpoint reaches configurations of its own Region',
      );
  }
  return account;
}

/** What only a resource of ours has: where it runs and how the gateway reaches it. */
function notOurs(ctx: Context, at: Path, raw: RawShared): void {
  const ours = ['network', 'create', 'import', 'target', 'securityGroupIds'].filter(
    (key) => (raw as Record<string, unknown>)[key] !== undefined,
  );
  for (const key of ours)
    ctx.bad(
      [...at, key],
      `${key} describes a resource of yours; a resource shared with you (sharedBy) is its owner's`,
      `remove ${key}`,
      'key',
    );
}

function database(
  ctx: Context,
  at: Path,
  name: string,
  raw: Extract<RawShared, { type: 'aurora-postgresql' | 'aurora-mysql' }>,
): Omit<PartnerResource, 'account'> | undefined {
  const port = raw.port ?? defaultPort(raw.type);
  const names = raw.expose === 'arn' ? raw.sharedBy?.names : raw.customDomains;
  if (raw.expose === 'arn' && !names)
    ctx.bad(
      [...at, 'sharedBy'],
      `database "${name}" is shared as an ARN configuration: its clients use the cluster's own names, which only its owner knows`,
      'add sharedBy.names: { writer: <cluster endpoint>, reader: <reader endpoint> } as the owner told you',
      'key',
    );
  if (raw.expose === 'dns' && raw.sharedBy?.names)
    ctx.bad(
      [...at, 'sharedBy', 'names'],
      'a DNS-type configuration keeps no cluster names; its names are the custom domains',
      'remove sharedBy.names; give customDomains if the owner set them',
      'key',
    );
  return {
    kind: 'partner',
    name,
    protocol: raw.type,
    ports: [String(port)],
    configurationArn: raw.sharedBy?.configurationArn ?? '',
    ...(raw.sharedBy?.shareArn ? { shareArn: raw.sharedBy.shareArn } : {}),
    expose: raw.expose,
    names: names ? Object.entries(names).flatMap(([role, value]) => (value ? [{ role, name: value, port }] : [])) : [],
  };
}

function tcp(
  ctx: Context,
  at: Path,
  name: string,
  raw: Extract<RawShared, { type: 'tcp' }>,
): Omit<PartnerResource, 'account'> {
  if (raw.sharedBy?.names)
    ctx.bad(
      [...at, 'sharedBy', 'names'],
      `tcp resource "${name}" has no cluster names`,
      'remove sharedBy.names; give customDomain if the owner set one',
      'key',
    );
  const port = Number((raw.ports[0] ?? '').split('-')[0]);
  return {
    kind: 'partner',
    name,
    protocol: 'tcp',
    ports: raw.ports,
    configurationArn: raw.sharedBy?.configurationArn ?? '',
    ...(raw.sharedBy?.shareArn ? { shareArn: raw.sharedBy.shareArn } : {}),
    expose: 'dns',
    names: raw.customDomain ? [{ role: '', name: raw.customDomain, port }] : [],
  };
}
