// callers: EventBridge and Step Functions in an account calling an https resource it receives through RAM.
import { publicName } from '../../shared/index.js';
import type { Caller } from '../topology.js';
import type { Context, Resolved } from './context.js';

export function resolveCallers(ctx: Context, known: Resolved): Caller[] {
  const callers: Caller[] = [];
  for (const [name, raw] of Object.entries(ctx.raw.callers)) {
    const at = ['callers', name];
    const account = known.accounts.get(raw.account);
    if (
      !ctx.refCheck([...at, 'account'], 'account', raw.account, known.accounts.declared) ||
      !ctx.refCheck([...at, 'resource'], 'resource', raw.resource, known.resources.declared) ||
      !account
    )
      continue;
    if (known.partners.get(raw.resource)) {
      ctx.bad(
        [...at, 'resource'],
        `resource "${raw.resource}" is shared with you by another account; callers reach https resources of yours only`,
        'point the caller at a resource of type https on a network of yours',
      );
      continue;
    }
    const resource = known.resources.get(raw.resource);
    if (!resource) continue;
    if (resource.kind !== 'https') {
      ctx.bad(
        [...at, 'resource'],
        `resource "${raw.resource}" is not an https resource: EventBridge and Step Functions call HTTPS APIs only`,
        'point the caller at a resource of type https',
      );
      continue;
    }
    if (raw.via.includes('stepfunctions') && !publicName(resource.domain))
      ctx.bad(
        [...at, 'via'],
        `Step Functions reaches private APIs only by a public domain name with a publicly trusted certificate; ${resource.domain} is not one`,
        `give resources.${resource.name}.domain a name in a public domain, or call it with eventbridge only`,
      );
    const got = known.receipts.receive(resource.name, account, [...at, 'resource'], `caller "${name}"`);
    if (!got) continue;
    const { via, path, method, apiKey } = raw;
    callers.push({ name, account: raw.account, resource: raw.resource, via, path, method, apiKey, ...shareOf(got) });
  }
  return callers;
}

const shareOf = (got: { share?: { name: string }; accept: boolean }) => ({
  share: got.share?.name,
  acceptInvitation: got.accept,
});
