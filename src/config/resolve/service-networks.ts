// service networks: in one account, carrying resources it owns or receives through RAM, shared with principals.
import type { Account, PartnerResource, ServiceNetwork, SharedResource } from '../topology.js';
import { passedOn } from './shares.js';
import { Section, type Context } from './context.js';
import { namesExternal, principalsOf } from './principals.js';
import type { Receipts } from './receipts.js';

export function resolveServiceNetworks(
  ctx: Context,
  accounts: Section<Account>,
  resources: Section<SharedResource>,
  receipts: Receipts,
  partners: Section<PartnerResource>,
): Section<ServiceNetwork> {
  const serviceNetworks: ServiceNetwork[] = [];
  for (const [name, raw] of Object.entries(ctx.raw.serviceNetworks)) {
    const at = ['serviceNetworks', name];
    const account = accounts.get(raw.account);
    if (!ctx.refCheck([...at, 'account'], 'account', raw.account, accounts.declared) || !account) continue;
    const acceptShares = new Set<string>();
    raw.resources.forEach((resource, i) => {
      if (!ctx.refCheck([...at, 'resources', i], 'resource', resource, resources.declared)) return;
      if (passedOn(ctx, [...at, 'resources', i], partners.get(resource), 'service network')) return;
      const got = receipts.receive(resource, account, [...at, 'resources', i], `service network "${name}"`);
      if (got?.accept && got.share) acceptShares.add(got.share.name);
    });
    const principals = principalsOf(ctx, accounts, raw.with, at, raw.account);
    const external = namesExternal(principals, accounts).length > 0;
    if (raw.allowExternalPrincipals === false && external)
      ctx.bad(
        [...at, 'allowExternalPrincipals'],
        'allowExternalPrincipals is false but the network is shared with an account outside the organization',
        'set allowExternalPrincipals: true or mark the account inOrganization: true',
      );
    serviceNetworks.push({
      name,
      account: raw.account,
      resources: raw.resources,
      privateDns: raw.privateDns,
      principals,
      allowExternalPrincipals: raw.allowExternalPrincipals ?? external,
      acceptShares: [...acceptShares],
    });
  }
  return new Section(serviceNetworks, new Set(Object.keys(ctx.raw.serviceNetworks)));
}
