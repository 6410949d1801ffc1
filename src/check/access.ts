// The one RAM access decision: does AWS RAM give a resource configuration or a service network to an account?
// The share hop (paths/share.ts) and the LS-RAM lint rules (rules/shares.ts) both read it, so they cannot disagree.
// Sources: docs/check.md "share" (RAM principals, organization membership, invitations outside the organization).
import { unknownIn, type Acceptance, type Share, type Unread } from '../model/index.js';
import type { Facts } from './facts.js';

/** Something RAM shares: a resource configuration or a service network. */
export interface Shared {
  readonly arn: string;
  readonly name: string;
  readonly account: string;
  /** `configuration` or `service network`, for messages. */
  readonly what: string;
}

/** Whether the templates say the account is in the owner's organization: true, false, or undefined (they do not). */
type Membership = boolean | undefined;

export type RamAccess =
  | { readonly kind: 'same-account' }
  /** Through an organizational unit the account is in (its lattice-share:account metadata). */
  | { readonly kind: 'granted'; readonly via: 'ou'; readonly share: Share; readonly ou: string }
  | { readonly kind: 'granted'; readonly via: 'organization' | 'account-in-organization'; readonly share: Share }
  | { readonly kind: 'granted'; readonly via: 'accepted'; readonly share: Share; readonly acceptance: Acceptance }
  /**
   * Shared with the organization or an OU, and the templates do not say the account is in it; or a share of the
   * owner names a principal or a resource by a value known only at deploy (`value`).
   */
  | { readonly kind: 'unknown'; readonly via: 'organization' | 'ou' | 'value'; readonly share: Share }
  /** No share names the account; `nearest` is a share whose principals a fix would extend. */
  | { readonly kind: 'not-shared'; readonly nearest?: Share }
  | { readonly kind: 'external-not-allowed'; readonly share: Share; readonly inOrganization: Membership }
  | { readonly kind: 'invitation-not-accepted'; readonly share: Share; readonly inOrganization: Membership }
  /** doctor could not read the account's invitations: whether it accepted is not known. */
  | { readonly kind: 'invitations-unread'; readonly share: Share; readonly unread: Unread }
  /** doctor could not read the owner's shares: whether one gives it to the account is not known. */
  | { readonly kind: 'shares-unread'; readonly unread: Unread };

const names = (s: Share, kind: string, id?: string) =>
  s.principals.some((p) => p.kind === kind && (id === undefined || p.id === id));

/** What RAM does for `account` with `shared`, from the templates alone. */
export function ramAccess(f: Facts, shared: Shared, account: string): RamAccess {
  if (shared.account === account) return { kind: 'same-account' };
  const shares = f.sharesByResource.get(shared.arn) ?? [];
  // doctor could not read the owner's shares: none is known, and none is known to be missing.
  const region = shared.arn.split(':')[3];
  const sharesUnread = f.m.unread?.find(
    (u) => u.account === shared.account && u.what === 'shares' && (!u.region || u.region === region),
  );
  if (sharesUnread && !shares.length) return { kind: 'shares-unread', unread: sharesUnread };
  return accessThrough(f, shares, shared, account);
}

/** Access through the shares that hold the resource (or the nearest, when none gives it to the account). */
function accessThrough(f: Facts, shares: Share[], shared: Shared, account: string): RamAccess {
  const stack = f.stackOfAccount(account);
  const inOrganization = stack?.inOrganization;
  const byAccount = shares.find((s) => names(s, 'account', account));
  if (!byAccount) return notNamed(f, shared, shares, account);
  if (inOrganization !== true && !byAccount.allowExternalPrincipals)
    return { kind: 'external-not-allowed', share: byAccount, inOrganization };
  if (inOrganization === true) return { kind: 'granted', via: 'account-in-organization', share: byAccount };
  const acceptance = f.acceptance(account, byAccount.arn);
  const shareRegion = byAccount.arn.split(':')[3];
  const unread = f.m.unread?.find(
    (u) => u.account === account && u.what === 'invitations' && (!u.region || u.region === shareRegion),
  );
  if (!acceptance && unread) return { kind: 'invitations-unread', share: byAccount, unread };
  if (!acceptance) return { kind: 'invitation-not-accepted', share: byAccount, inOrganization };
  return { kind: 'granted', via: 'accepted', share: byAccount, acceptance };
}

/**
 * No share names the account. doctor may have read that RAM failed to associate it: on a share that does not allow
 * external principals (the usual cause) that is the answer, and that share is the one to change.
 */
function notNamed(f: Facts, shared: Shared, shares: Share[], account: string): RamAccess {
  const stack = f.stackOfAccount(account);
  const failedOn = shares.find((s) => s.failedPrincipals?.some((p) => p.principal === account));
  if (failedOn && !failedOn.allowExternalPrincipals && stack?.inOrganization !== true)
    return { kind: 'external-not-allowed', share: failedOn, inOrganization: stack?.inOrganization };
  const access = notByAccount(f, shared, shares, stack?.inOrganization, stack?.organizationalUnit);
  return access.kind === 'not-shared' && failedOn ? { ...access, nearest: failedOn } : access;
}

function notByAccount(
  f: Facts,
  shared: Shared,
  shares: Share[],
  inOrganization: Membership,
  ou: string | undefined,
): RamAccess {
  const byOwnOu = inOrganization === true && ou ? shares.find((s) => names(s, 'ou', ou)) : undefined;
  if (byOwnOu && ou) return { kind: 'granted', via: 'ou', share: byOwnOu, ou };
  const byOrg = shares.find((s) => names(s, 'organization'));
  if (byOrg && inOrganization === true) return { kind: 'granted', via: 'organization', share: byOrg };
  if (byOrg && inOrganization === undefined) return { kind: 'unknown', via: 'organization', share: byOrg };
  const byOu = shares.find((s) => names(s, 'ou'));
  if (byOu && inOrganization !== false) return { kind: 'unknown', via: 'ou', share: byOu };
  const blind = f
    .sharesOfAccount(shared.account)
    .find((s) => s.resourceArns.some((arn) => unknownIn(arn)) || s.principals.some((p) => unknownIn(p.id)));
  if (blind) return { kind: 'unknown', via: 'value', share: blind };
  return { kind: 'not-shared', nearest: shares[0] ?? f.sharesOfAccount(shared.account)[0] };
}
