// AWS RAM: who receives a configuration or a service network, told by the one decision the share hop also reads.
import type { Configuration } from '../../model/index.js';
import { ramAccess, type RamAccess, type Shared } from '../access.js';
import type { Facts } from '../facts.js';
import type { LintRule, Violation } from './rule.js';

/** Something that needs a shared thing in its account: an endpoint, an association, a resource association. */
interface Use {
  readonly shared: Shared & { readonly at: Violation['resource'] };
  readonly account: string;
  readonly user: string;
  readonly at: Violation['resource'];
}

const configShared = (f: Facts, c: Configuration) => ({
  arn: c.arn,
  name: c.name,
  account: c.account,
  what: 'configuration',
  at: f.ref(c.source, c.id),
});

/** Every use of a shared thing the templates make, in model order. */
function* uses(f: Facts): Iterable<Use> {
  for (const ep of f.m.endpoints) {
    const at = f.ref(ep.source, ep.id);
    if (ep.type !== 'Resource') {
      const sn = ep.serviceNetwork ? f.serviceNetwork(ep.serviceNetwork) : undefined;
      const user = `${ep.type === 'VpcAssociation' ? 'association' : 'endpoint'} ${ep.id}`;
      if (sn)
        yield {
          shared: { ...sn, what: 'service network', at: f.ref(sn.source, sn.id) },
          account: ep.account,
          user,
          at,
        };
      continue;
    }
    const config = ep.configurationArn ? f.configurations.get(ep.configurationArn) : undefined;
    if (config?.gatewayId && f.gateways.get(config.gatewayId))
      yield { shared: configShared(f, config), account: ep.account, user: `endpoint ${ep.id}`, at };
  }
  for (const a of f.m.resourceAssociations) {
    const config = f.configurationsById.get(a.configuration.split('/').pop() ?? '');
    const at = f.ref(a.source, a.id);
    if (config) yield { shared: configShared(f, config), account: a.account, user: `resource association ${a.id}`, at };
  }
}

/** RAM's decision for every use, made once per model and read by the three rules below. */
const decisions = new WeakMap<Facts, [Use, RamAccess][]>();

/** The uses RAM decides as `kind`, with its decision. */
function* decided<K extends RamAccess['kind']>(f: Facts, kind: K): Iterable<[Use, RamAccess & { kind: K }]> {
  let all = decisions.get(f);
  if (!all) decisions.set(f, (all = [...uses(f)].map((use) => [use, ramAccess(f, use.shared, use.account)])));
  for (const [use, access] of all) if (access.kind === kind) yield [use, access as RamAccess & { kind: K }];
}

const membership = (inOrg: boolean | undefined) =>
  inOrg === false ? 'outside the organization' : 'not known to be in the organization';

export const shareRules: LintRule[] = [
  {
    id: 'LS-RAM1',
    severities: ['error'],
    summary:
      "an endpoint's account is not a principal of any share of its configuration (or of its service network), or a service network's account is not a principal of any share of a configuration the network holds",
    why: 'RAM gives a resource only to the principals of a share that lists it; elsewhere the endpoint cannot be made',
    *check(f) {
      for (const [{ shared, account, user }, access] of decided(f, 'not-shared')) {
        // RAM failed to associate the account (doctor): LS-RAM6 says so, with why; adding it again is not the fix.
        if (access.nearest?.failedPrincipals?.some((p) => p.principal === account)) continue;
        const listed = (f.sharesByResource.get(shared.arn) ?? [])[0];
        yield {
          message: `${shared.what} ${shared.name} (account ${shared.account}) is not shared with account ${account}, where ${user} uses it`,
          fix: `add ${account} to the Principals of a RAM share listing ${shared.arn}`,
          resource: listed ? f.ref(listed.source, listed.arn) : shared.at,
        };
      }
    },
  },
  {
    id: 'LS-RAM2',
    severities: ['error'],
    summary: 'an account outside the organization (or not known to be in it) with nothing accepting the invitation',
    why: 'outside the organization RAM sends an invitation, and nothing is shared until the account accepts it',
    *check(f) {
      for (const [{ account, user, at }, access] of decided(f, 'invitation-not-accepted')) {
        yield {
          message: `account ${account} is ${membership(access.inOrganization)} and nothing accepts the invitation to share ${access.share.name}`,
          fix: `accept the invitation in ${account} before ${user} is created (RAM AcceptResourceShareInvitation; with aws-cdk, lattice-share's ResourceShareInvitationAccepter)`,
          resource: at,
        };
      }
    },
  },
  {
    id: 'LS-RAM3',
    severities: ['error'],
    summary: 'a share names an account outside the organization but does not allow external principals',
    why: 'a share without AllowExternalPrincipals reaches accounts of its own organization only',
    *check(f) {
      for (const [{ account }, access] of decided(f, 'external-not-allowed')) {
        yield {
          message: `share ${access.share.name} names account ${account}, ${membership(access.inOrganization)}, but does not allow external principals`,
          fix: 'set AllowExternalPrincipals: true, or move the account into the organization',
          resource: f.ref(access.share.source, access.share.arn),
        };
      }
    },
  },
  {
    id: 'LS-RAM4',
    severities: ['error'],
    summary: 'a share lists a CHILD configuration',
    why: "a group's child configuration is shared with its group, never by itself",
    *check(f) {
      for (const s of f.m.shares) {
        for (const c of s.resourceArns.map((arn) => f.configurations.get(arn))) {
          if (c?.type !== 'CHILD') continue;
          yield {
            message: `share ${s.name} lists CHILD configuration ${c.name}: a child cannot be shared by itself`,
            fix: 'share its GROUP instead',
            resource: f.ref(s.source, s.arn),
          };
        }
      }
    },
  },
  {
    id: 'LS-RAM5',
    severities: ['warning'],
    summary: 'an account another party runs, outside the organization, must accept an invitation in time',
    why: 'a RAM invitation for a resource configuration expires after 12 hours; then the owner must share again',
    *check(f) {
      for (const [{ account, user }, access] of decided(f, 'granted')) {
        const runBy = f.stackOfAccount(account)?.operatedBy;
        if (access.via !== 'accepted' || !runBy) continue;
        yield {
          message: `account ${account} is run by ${runBy.party}, outside the organization: the invitation to share ${access.share.name} expires 12 hours after it is sent, and ${user} waits for it`,
          fix: `tell ${runBy.party}${runBy.contact ? ` (${runBy.contact})` : ''} to accept within 12 hours of the share; after that, share again (disassociate and re-associate ${account} on ${access.share.name})`,
          resource: f.ref(access.share.source, access.share.arn),
        };
      }
    },
  },
  {
    id: 'LS-RAM6',
    severities: ['error'],
    summary: 'a principal RAM failed to associate with a share (doctor)',
    why: 'RAM gives nothing to a principal whose association failed; its status message says why',
    *check(f) {
      for (const share of f.m.shares)
        for (const failed of share.failedPrincipals ?? [])
          yield {
            message: `RAM failed to associate ${failed.principal} with share ${share.name}${failed.message ? `: ${failed.message}` : ''}`,
            fix: `fix the cause, then associate it again: aws ram associate-resource-share --resource-share-arn ${share.arn} --principals ${failed.principal}`,
            resource: f.ref(share.source, share.arn),
          };
    },
  },
];
