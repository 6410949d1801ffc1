// accounts: unique IDs, and organization membership that the config can back.
import type { Account } from '../topology.js';
import { Section, type Context } from './context.js';

export function resolveAccounts(ctx: Context): Section<Account> {
  const accounts: Account[] = [];
  const seenIds = new Map<string, string>();
  for (const [name, account] of Object.entries(ctx.raw.accounts)) {
    const at = ['accounts', name];
    if (seenIds.has(account.id))
      ctx.bad(
        [...at, 'id'],
        `account ID ${account.id} is already used by account "${seenIds.get(account.id)}"`,
        'give each account its own ID',
      );
    seenIds.set(account.id, name);
    if (account.organizationalUnit && !account.inOrganization)
      ctx.bad(
        [...at, 'organizationalUnit'],
        'an account outside the organization cannot be in an OU',
        'set inOrganization: true or remove organizationalUnit',
      );
    if (account.inOrganization && !ctx.organization)
      ctx.bad(
        [...at, 'inOrganization'],
        'inOrganization needs the top-level organization block',
        'add organization: { id: o-…, managementAccount: "…" }',
      );
    accounts.push({ name, ...account });
  }
  return new Section(accounts);
}
