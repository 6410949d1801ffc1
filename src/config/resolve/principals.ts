// Principals of a share or a service network: account names, OU IDs, or "organization".
import type { Path } from '../errors.js';
import type { Account, Principal } from '../topology.js';
import type { Context, Section } from './context.js';

const NEEDS_ORGANIZATION = 'add organization: { id: o-…, managementAccount: "…" }';

/** The principals listed under `with` at `at`; `owner` (the account that shares) may not list itself. */
export function principalsOf(
  ctx: Context,
  accounts: Section<Account>,
  list: string[],
  at: Path,
  owner: string,
): Principal[] {
  const principals: Principal[] = [];
  list.forEach((entry, i) => {
    const principal = principalOf(ctx, accounts, entry, [...at, 'with', i], owner);
    if (principal) principals.push(principal);
  });
  return principals;
}

function principalOf(
  ctx: Context,
  accounts: Section<Account>,
  entry: string,
  path: Path,
  owner: string,
): Principal | undefined {
  const { organization } = ctx;
  if (entry === 'organization') {
    if (organization) return { kind: 'organization', arn: organization.arn };
    ctx.bad(path, 'sharing with "organization" needs the top-level organization block', NEEDS_ORGANIZATION);
  } else if (entry.startsWith('ou-')) {
    if (!/^ou-[0-9a-z]{4,32}-[a-z0-9]{8,32}$/.test(entry))
      ctx.bad(path, `"${entry}" is not an OU ID`, 'write it as ou-<root>-<suffix>, e.g. ou-ab12-cdef3456');
    else if (!organization)
      ctx.bad(path, 'sharing with an OU needs the top-level organization block', NEEDS_ORGANIZATION);
    else
      return {
        kind: 'ou',
        id: entry,
        arn: `arn:aws:organizations::${organization.managementAccount}:ou/${organization.id}/${entry}`,
      };
  } else if (ctx.refCheck(path, 'account', entry, accounts.declared)) {
    if (entry !== owner) return { kind: 'account', account: entry };
    ctx.bad(
      path,
      `account "${entry}" owns what is shared; sharing with yourself is not needed`,
      'remove it from with:',
    );
  }
  return undefined;
}

/** True when `principal` is the organization or an OU that holds `account` (not an account principal). */
export const coversThroughOrganization = (principal: Principal, account: Account): boolean =>
  (principal.kind === 'organization' && account.inOrganization) ||
  (principal.kind === 'ou' && account.inOrganization && principal.id === account.organizationalUnit);

/** The account principals among `principals` that are outside the organization. */
export const namesExternal = (principals: Principal[], accounts: Section<Account>): Principal[] =>
  principals.filter((principal) => principal.kind === 'account' && !accounts.get(principal.account)?.inOrganization);
