// Cross-reference checks and defaults: RawConfig (shape-checked) → Topology. One resolver per section, in the
// order the sections refer to each other, over a shared context that collects the problems.
import type { Problem } from '../errors.js';
import type { RawConfig } from '../schema.js';
import type { Topology } from '../topology.js';
import { resolveAccounts } from './accounts.js';
import { resolveCallers } from './callers.js';
import { resolveConsumers } from './consumers.js';
import { Context, type Resolved } from './context.js';
import { resolveNetworks } from './networks.js';
import { resolvePartnerResources } from './partners.js';
import { Receipts } from './receipts.js';
import { resolveResources } from './resources.js';
import { resolveServiceNetworks } from './service-networks.js';
import { resolveShares, resolveWorkloads } from './shares.js';

export function resolve(raw: RawConfig, source: string): { topology?: Topology; problems: Problem[] } {
  const ctx = new Context(raw);
  const accounts = resolveAccounts(ctx);
  const networks = resolveNetworks(ctx, accounts);
  const resources = resolveResources(ctx, accounts, networks);
  const partners = resolvePartnerResources(ctx, accounts);
  const shares = resolveShares(ctx, accounts, networks, resources, partners);
  const workloads = resolveWorkloads(ctx, networks);
  const receipts = new Receipts(ctx, shares, resources, networks);
  const serviceNetworks = resolveServiceNetworks(ctx, accounts, resources, receipts, partners);
  const known: Resolved = { accounts, networks, resources, partners, workloads, serviceNetworks, receipts };
  const consumers = resolveConsumers(ctx, known);
  const callers = resolveCallers(ctx, known);
  const { problems } = ctx;
  if (problems.length) return { problems };
  return {
    problems,
    topology: {
      source,
      name: raw.name,
      region: raw.region,
      organization: ctx.organization,
      accounts: accounts.all,
      networks: networks.all,
      resources: resources.all,
      partnerResources: partners.all,
      shares,
      serviceNetworks: serviceNetworks.all,
      consumers,
      callers,
      workloads: workloads.all,
    },
  };
}
