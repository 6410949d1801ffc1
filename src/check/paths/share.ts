// The share hop: who may use an endpoint, an association or a connection, told from RAM's one decision.
import {
  liveOrigin,
  unknownIn,
  type Configuration,
  type Endpoint,
  type Gateway,
  type Invitation,
  type OutsideSide,
  type ServiceNetworkPath,
  type Share,
} from '../../model/index.js';
import { LATTICE_INVITATION_HOURS } from '../../shared/index.js';
import { ramAccess, type RamAccess, type Shared } from '../access.js';
import { where, type Facts } from '../facts.js';
import type { Hop, Ref } from '../types.js';
import { block, pass, unknown } from './hops.js';

/** The share hop for `user` (the endpoint or connection that needs `shared`): RAM's decision, told. */
export function sharing(f: Facts, shared: Shared, account: string, user: string): Hop {
  const thing = `${shared.what} ${shared.name}`;
  const access = ramAccess(f, shared, account);
  const rule = (s: { source: Share['source']; arn: string }) => ({ rule: f.ref(s.source, s.arn) });
  const membership = (inOrg: boolean | undefined) =>
    inOrg === false ? 'outside the organization' : 'not known to be in the organization';
  switch (access.kind) {
    case 'same-account':
      return pass('share', `${thing} and ${user} are in the same account ${account}`);
    case 'granted':
      return grantedHop(f, access, thing, account);
    case 'unknown':
      if (access.via === 'value')
        return unknown(
          'share',
          'VALUE_UNKNOWN',
          `share ${access.share.name} names a principal or resource known only at deploy: whether it gives ${thing} to account ${account} is not in the templates`,
        );
      return unknown(
        'share',
        'MEMBERSHIP_UNKNOWN',
        `share ${access.share.name} gives ${thing} to ${access.via === 'ou' ? 'an organizational unit' : 'the organization'}; the templates do not say whether account ${account} is in it`,
        `say whether account ${account} is in the organization (and its OU) in a facts file: accounts.${account}.organization, .ou`,
      );
    case 'not-shared':
      return notSharedHop(f, shared, access.nearest, { account, thing, user });
    case 'external-not-allowed':
      return block(
        'share',
        'EXTERNAL_PRINCIPALS_NOT_ALLOWED',
        `share ${access.share.name} does not allow external principals, and account ${account} is ${membership(access.inOrganization)}: RAM does not share ${thing} with it`,
        liveCall(
          access.share,
          `update-resource-share --resource-share-arn ${access.share.arn} --allow-external-principals`,
        ) ?? `set AllowExternalPrincipals: true on ${where(access.share.source, access.share.name)}`,
        rule(access.share),
      );
    case 'shares-unread':
      return unknown(
        'share',
        'ACCOUNT_UNREAD',
        `account ${shared.account}'s shares could not be read (${access.unread.call}: ${access.unread.message}): whether one gives ${thing} to account ${account} is not known`,
        `give doctor read access to account ${shared.account}'s shares (the owner's policy: lattice-share doctor --print-policy --side owner)`,
      );
    case 'invitations-unread':
    case 'invitation-not-accepted':
      return notAcceptedHop(f, access, { account, thing, user });
  }
}

/** Not shared with the account: the nearest share is the one to add it to (doctor: RAM may have failed to, and why). */
function notSharedHop(
  f: Facts,
  shared: Shared,
  s: Share | undefined,
  { account, thing, user }: { account: string; thing: string; user: string },
): Hop {
  // The account's own association, else one of its OU or organization (as an ARN) that failed.
  const failed =
    s?.failedPrincipals?.find((x) => x.principal === account) ??
    s?.failedPrincipals?.find((x) => x.principal.startsWith('arn:'));
  const why = failed
    ? `; RAM failed to associate ${failed.principal === account ? 'it' : failed.principal} with share ${s?.name}${failed.message ? `: ${failed.message}` : ''}`
    : '';
  return block(
    'share',
    'NOT_SHARED',
    `${thing} is not shared with account ${account}, where ${user} needs it${why}`,
    s
      ? (liveCall(s, `associate-resource-share --resource-share-arn ${s.arn} --principals ${account}`) ??
          `add ${account} to Principals of ${where(s.source, s.name)}`)
      : `share ${shared.arn} with ${account} in an AWS::RAM::ResourceShare`,
    s ? { rule: f.ref(s.source, s.arn) } : {},
  );
}

/** For a share doctor read (its source is `live:ACCOUNT/REGION`): the one AWS CLI call in the owner's account. */
function liveCall(share: Share, call: string): string | undefined {
  const origin = liveOrigin(share.source.stack);
  return origin ? `in account ${origin.account}: aws ram ${call} --region ${origin.region}` : undefined;
}

/** No acceptance: not known (doctor could not read), or not made (with what doctor read of the invitation). */
function notAcceptedHop(
  f: Facts,
  access: RamAccess & { kind: 'invitations-unread' | 'invitation-not-accepted' },
  { account, thing, user }: { account: string; thing: string; user: string },
): Hop {
  if (access.kind === 'invitations-unread')
    return unknown(
      'share',
      'ACCOUNT_UNREAD',
      `share ${access.share.name} names account ${account}, whose invitations could not be read (${access.unread.call}: ${access.unread.message}): whether it accepted is not known`,
      `give doctor read access to account ${account} (--profile ${account}=PROFILE or --role NAME; the policy: lattice-share doctor --print-policy)`,
    );
  // The newest invitation of the share to the account: an old EXPIRED one may precede a PENDING one.
  const sent = (f.m.invitations ?? [])
    .filter((i) => i.account === account && i.shareArn === access.share.arn)
    .sort((a, b) => (b.sentAt ?? '').localeCompare(a.sentAt ?? ''))[0];
  const rule = { rule: f.ref(access.share.source, access.share.arn) };
  if (sent) return invitationHop(sent, access.share, thing, rule);
  return block(
    'share',
    'INVITATION_NOT_ACCEPTED',
    `account ${account} has not accepted the invitation to share ${access.share.name} (${thing})${access.inOrganization === undefined ? ' (the templates do not say it is in the organization, so an invitation is assumed)' : ''}`,
    `accept the RAM invitation in account ${account} (ResourceShareInvitationAccepter, or \`aws ram accept-resource-share-invitation\`) before ${user} is created; accepted outside the templates, say so in a facts file (invitationsAccepted)`,
    rule,
  );
}

/** An invitation doctor read that is not accepted: PENDING (with its deadline), EXPIRED or REJECTED; the one call. */
function invitationHop(sent: Invitation, share: Share, thing: string, rule: { rule?: Ref }): Hop {
  const region = sent.arn.split(':')[3] ?? '';
  const deadline = sent.sentAt
    ? new Date(Date.parse(sent.sentAt) + LATTICE_INVITATION_HOURS * 3_600_000).toISOString()
    : undefined;
  const pending = sent.status === 'PENDING';
  return block(
    'share',
    'INVITATION_NOT_ACCEPTED',
    `account ${sent.account}'s invitation to share ${share.name} (${thing}) is ${sent.status}${pending && deadline ? `; RAM drops it at ${deadline}` : ''}`,
    pending
      ? `in account ${sent.account}: aws ram accept-resource-share-invitation --region ${region} --resource-share-invitation-arn ${sent.arn}`
      : `the owner invites again on the same share: lattice-share reinvite <config> --account <name of ${sent.account}> --apply (or aws ram disassociate-resource-share, then associate-resource-share, --principals ${sent.account})`,
    rule,
  );
}

function grantedHop(f: Facts, access: RamAccess & { kind: 'granted' }, thing: string, account: string): Hop {
  const rule = { rule: f.ref(access.share.source, access.share.arn) };
  const name = access.share.name;
  switch (access.via) {
    case 'ou':
      return pass(
        'share',
        `share ${name} gives ${thing} to organizational unit ${access.ou}, and account ${account} is in it (lattice-share:account metadata)`,
        rule,
      );
    case 'organization':
      return pass('share', `share ${name} gives ${thing} to the organization, and account ${account} is in it`, rule);
    case 'account-in-organization':
      return pass(
        'share',
        `share ${name} gives ${thing} to account ${account}, which is in the organization (no invitation)`,
        rule,
      );
    case 'accepted': {
      const how = access.acceptance.inferredFrom ? ` (inferred from ${access.acceptance.inferredFrom})` : '';
      return pass('share', `share ${name} gives ${thing} to account ${account}; the invitation is accepted${how}`, {
        rule: f.ref(access.acceptance.source),
      });
    }
  }
}

/**
 * The share hop of an endpoint to another account's configuration (what its owner told, PARTNER_METADATA): our
 * acceptance of the owner's invitation is ours to check; the owner's share, ports, zones, gateway and target are not in
 * these templates, and are the owner's to confirm.
 */
export function outsideHop(f: Facts, endpoint: Endpoint, config: Configuration & { outside: OutsideSide }): Hop {
  const { party, shareArn, account } = config.outside;
  const accepted = shareArn ? f.acceptance(endpoint.account, shareArn) : undefined;
  if (shareArn && !accepted)
    return block(
      'share',
      'INVITATION_NOT_ACCEPTED',
      `account ${endpoint.account} has not accepted the invitation to ${party}'s share ${shareArn}`,
      `accept it in account ${endpoint.account} before endpoint ${endpoint.id} is created (sharedBy.shareArn in the config makes the consumer stack accept it), within 12 hours of ${party} sharing`,
      { rule: f.ref(endpoint.source, endpoint.id) },
    );
  const zones = [...new Set(endpoint.eniIds.map((id) => f.enis.get(id)).map((e) => e?.azId ?? e?.az ?? '?'))];
  return unknown(
    'share',
    'OWNER_SIDE_OUTSIDE',
    `${config.name} is ${party}'s (account ${account}, ${config.arn})${accepted ? '; our account accepted its invitation' : ''}: its share, gateway and target are on their side, not in these templates`,
    `ask ${party} to confirm: their share reaches account ${endpoint.account}; the configuration serves port ${config.portRanges.join(', ')}; their gateway has a subnet in one of ${zones.join(', ')}; the target admits the gateway's security group`,
  );
}

export const configShared = (c: Configuration): Shared => ({
  arn: c.arn,
  name: c.name,
  account: c.account,
  what: 'configuration',
});

/**
 * Who may use an endpoint. A resource endpoint: the configuration is shared with its account. A service-network
 * path: the network is shared with its account, and the configuration with the network's account; a sharable
 * network takes only configurations that allow it.
 */
export function shareHop(
  f: Facts,
  endpoint: Endpoint,
  parentArn: string,
  config: Configuration | undefined,
  gateway: Gateway | undefined,
): Hop {
  const onEndpoint = { rule: f.ref(endpoint.source, endpoint.id) };
  const value = unknownIn(parentArn);
  if (!config && value)
    return unknown(
      'share',
      'VALUE_UNKNOWN',
      `the configuration ${endpoint.id} names is ${value}, which exists only once that resource is deployed`,
      "give the configuration ARN as a parameter value (the owner stack's output)",
    );
  if (!config)
    return block(
      'share',
      'CONFIGURATION_MISSING',
      `configuration ${parentArn} is not in the templates`,
      'deploy the owner stack, or check the configuration the endpoint names',
      onEndpoint,
    );
  if (!gateway)
    return block(
      'share',
      'GATEWAY_MISSING',
      `configuration ${config.name} names gateway ${config.gatewayId ?? '(none)'}, which the templates do not create`,
      `set ResourceGatewayId of ${where(config.source, config.id)} to a resource gateway`,
      { rule: f.ref(config.source, config.id) },
    );
  if (gateway.vpcId === endpoint.vpcId)
    return block(
      'share',
      'ENDPOINT_IN_GATEWAY_VPC',
      `endpoint ${endpoint.id} is in the gateway's own VPC ${gateway.vpcId}: AWS carries no traffic for it`,
      'reach the resource directly inside its own VPC, or put the endpoint in another VPC',
      onEndpoint,
    );
  if (endpoint.type === 'Resource')
    return sharing(f, configShared(config), endpoint.account, `endpoint ${endpoint.id}`);
  return serviceNetworkShareHop(f, endpoint, config);
}

/** The share hop of a service-network endpoint or association: the network's share, then the configuration's. */
function serviceNetworkShareHop(f: Facts, endpoint: ServiceNetworkPath, config: Configuration): Hop {
  const onEndpoint = { rule: f.ref(endpoint.source, endpoint.id) };
  const named = endpoint.serviceNetwork;
  const sn = f.serviceNetwork(named);
  if (!sn)
    return block(
      'share',
      'SERVICE_NETWORK_MISSING',
      `service network ${endpoint.serviceNetwork} is not in the templates`,
      `deploy the stack that creates it, or check ${where(endpoint.source, endpoint.id)}`,
      onEndpoint,
    );
  if (endpoint.type === 'VpcAssociation' && !named.startsWith('arn:') && sn.account !== endpoint.account)
    return block(
      'share',
      'ASSOCIATION_BY_ID',
      `association ${endpoint.id} names service network ${sn.name} of account ${sn.account} by ID: AWS refuses the association`,
      `set ServiceNetworkIdentifier to ${sn.arn}`,
      onEndpoint,
    );
  if (sn.sharable && !config.allowSharableServiceNetwork)
    return block(
      'share',
      'SHARABLE_NETWORK_REFUSED',
      `service network ${sn.name} is sharable, and configuration ${config.name} does not allow association to sharable service networks: AWS refuses the association`,
      `set AllowAssociationToSharableServiceNetwork: true on ${where(config.source, config.id)}, or SharingConfig.enabled: false on ${where(sn.source, sn.id)}`,
      { rule: f.ref(config.source, config.id) },
    );
  const network = sharing(
    f,
    { arn: sn.arn, name: sn.name, account: sn.account, what: 'service network' },
    endpoint.account,
    `${endpoint.type === 'VpcAssociation' ? 'association' : 'endpoint'} ${endpoint.id}`,
  );
  const resource = sharing(f, configShared(config), sn.account, `service network ${sn.name}`);
  const both = [network, resource];
  const first = both.find((h) => h.status === 'block') ?? both.find((h) => h.status === 'unknown');
  const rule = network.rule ?? resource.rule;
  return first ?? pass('share', `${network.detail}; ${resource.detail}`, rule ? { rule } : {});
}
