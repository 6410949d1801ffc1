// Who receives what through RAM, indexed once: the shares of each resource and the principals of each share.
import type { Path } from '../errors.js';
import type { Account, Network, Principal, Share, SharedResource } from '../topology.js';
import type { Context, Section } from './context.js';
import { coversThroughOrganization } from './principals.js';
import { ownerOf } from './shares.js';

/** How an account receives a resource: through `share` (none in the owner's own account), accepting or not. */
export interface Receipt {
  readonly share?: Share;
  /** True when the account must accept a RAM invitation: an account principal outside the organization. */
  readonly accept: boolean;
}

export class Receipts {
  private readonly sharesOf = new Map<string, Share[]>();
  private readonly accountsOf = new Map<Share, Set<string>>();
  private readonly groupsOf = new Map<Share, Principal[]>();

  constructor(
    private readonly ctx: Context,
    shares: Share[],
    private readonly resources: Section<SharedResource>,
    private readonly networks: Section<Network>,
  ) {
    for (const share of shares) {
      for (const resource of new Set(share.resources))
        this.sharesOf.set(resource, [...(this.sharesOf.get(resource) ?? []), share]);
      const accounts = share.principals.flatMap((p) => (p.kind === 'account' ? [p.account] : []));
      this.accountsOf.set(share, new Set(accounts));
      this.groupsOf.set(
        share,
        share.principals.filter((p) => p.kind !== 'account'),
      );
    }
  }

  /**
   * How `account` receives `resource` through RAM, or undefined (recorded at `path` for `who`) when no share of the
   * owner's account covers it. A share through the organization or an OU wins over one that names the account.
   */
  receive(resource: string, account: Account, path: Path, who: string): Receipt | undefined {
    if (ownerOf(this.resources.get(resource), this.networks) === account.name) return { accept: false };
    const covering = this.sharesOf.get(resource) ?? [];
    const byAccount = covering.find((share) => this.accountsOf.get(share)?.has(account.name));
    const byOrg = covering.find((share) =>
      this.groupsOf.get(share)?.some((principal) => coversThroughOrganization(principal, account)),
    );
    const share = byOrg ?? byAccount;
    if (!share) {
      const hint = covering[0]
        ? `add "${account.name}" to shares.${covering[0].name}.with`
        : `add a share: shares: { ${resource}: { resources: [${resource}], with: [${account.name}] } }`;
      this.ctx.bad(path, `account "${account.name}" of ${who} is not in any share of resource "${resource}"`, hint);
      return undefined;
    }
    return { share, accept: !byOrg && !account.inOrganization };
  }
}
