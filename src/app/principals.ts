// The principals of a RAM share (of resources or of a service network), from the config's names.
import type { Principal, Topology } from '../config/index.js';
import { SharePrincipal } from '../constructs/index.js';

export const sharePrincipals = (t: Topology, principals: Principal[]): SharePrincipal[] =>
  principals.map((p) =>
    p.kind === 'account'
      ? SharePrincipal.account(t.accounts.find((a) => a.name === p.account)!.id)
      : p.kind === 'ou'
        ? SharePrincipal.organizationalUnit(p.arn)
        : SharePrincipal.organization(p.arn),
  );
