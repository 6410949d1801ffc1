// shares and workloads: a RAM share holds resources of one owner account; a workload sits on a declared network.
import type { Account, Network, PartnerResource, Share, SharedResource, Workload } from '../topology.js';
import { Section, type Context } from './context.js';
import { namesExternal, principalsOf } from './principals.js';

/** The account that owns a resource: the account of the network it is on. */
export const ownerOf = (resource: SharedResource | undefined, networks: Section<Network>): string | undefined =>
  resource && networks.get(resource.network)?.account;

/**
 * A resource another account shares with ours is reached by consumers: a share of ours cannot pass it on, and
 * lattice-share does not put it on a service network of ours.
 */
export function passedOn(
  ctx: Context,
  at: (string | number)[],
  partner: PartnerResource | undefined,
  by: 'share' | 'service network',
): boolean {
  if (partner)
    ctx.bad(
      at,
      by === 'share'
        ? `resource "${partner.name}" is shared with you by account "${partner.account}": only its owner shares it`
        : `resource "${partner.name}" is shared with you by account "${partner.account}": lattice-share reaches it through resource endpoints, not a service network of yours`,
      by === 'share'
        ? 'ask its owner to share it with the accounts that need it, and give each a consumer of its own'
        : `reach it with a consumer: { network: …, resource: ${partner.name} }`,
    );
  return !!partner;
}

export function resolveShares(
  ctx: Context,
  accounts: Section<Account>,
  networks: Section<Network>,
  resources: Section<SharedResource>,
  partners: Section<PartnerResource>,
): Share[] {
  const shares: Share[] = [];
  for (const [name, raw] of Object.entries(ctx.raw.shares)) {
    const at = ['shares', name];
    const owners = new Set<string>();
    raw.resources.forEach((resource, i) => {
      if (!ctx.refCheck([...at, 'resources', i], 'resource', resource, resources.declared)) return;
      if (passedOn(ctx, [...at, 'resources', i], partners.get(resource), 'share')) return;
      const owner = ownerOf(resources.get(resource), networks);
      if (owner) owners.add(owner);
    });
    if (owners.size > 1)
      ctx.bad(
        [...at, 'resources'],
        `share "${name}" mixes resources of accounts ${[...owners].join(', ')}; a RAM share belongs to one account`,
        'split it into one share per owner account',
      );
    const owner = [...owners][0] ?? '';
    const principals = principalsOf(ctx, accounts, raw.with, at, owner);
    const external = namesExternal(principals, accounts);
    if (raw.allowExternalPrincipals === false && external.length)
      ctx.bad(
        [...at, 'allowExternalPrincipals'],
        `allowExternalPrincipals is false but ${external.map((p) => `"${(p as { account: string }).account}"`).join(', ')} is outside the organization`,
        'set allowExternalPrincipals: true or mark the account inOrganization: true',
      );
    shares.push({
      name,
      owner,
      resources: raw.resources,
      principals,
      allowExternalPrincipals: raw.allowExternalPrincipals ?? external.length > 0,
    });
  }
  return shares;
}

export function resolveWorkloads(ctx: Context, networks: Section<Network>): Section<Workload> {
  const workloads: Workload[] = [];
  for (const [name, raw] of Object.entries(ctx.raw.workloads)) {
    ctx.refCheck(['workloads', name, 'network'], 'network', raw.network, networks.declared);
    workloads.push({ name, network: raw.network, instanceType: raw.instanceType });
  }
  return new Section(workloads);
}
