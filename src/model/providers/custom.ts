// Custom::AWS (aws-cdk-lib's AwsCustomResource): the SDK calls whose effect the model knows. Accepting a RAM
// invitation becomes an acceptance; lookups answer like AWS. Any other call is counted as unmodelled.
import type { StackState } from '../build.js';
import { hex } from '../../shared/index.js';
import { LoadError } from '../intrinsics.js';
import type { Provider, ServiceProvider } from './provider.js';

interface SdkCall {
  service: string;
  action: string;
  parameters?: Record<string, unknown>;
  physicalResourceId?: { id?: string };
}

/** The SDK call a custom resource makes on create, parsed once per stack and resource. */
const calls = new WeakMap<StackState, Map<string, SdkCall | undefined>>();
function call(s: StackState, id: string): SdkCall | undefined {
  let mine = calls.get(s);
  if (!mine) calls.set(s, (mine = new Map()));
  if (!mine.has(id)) mine.set(id, parseCall(s, id));
  return mine.get(id);
}

function parseCall(s: StackState, id: string): SdkCall | undefined {
  const create = s.props(id).Create;
  if (typeof create !== 'string') return undefined;
  try {
    return JSON.parse(create) as SdkCall;
  } catch {
    throw new LoadError(`${s.stack}/${id}: Create is not a JSON SDK call`);
  }
}

const action = (c: SdkCall) => `${c.service.toLowerCase()}:${c.action.replace(/^./, (x) => x.toLowerCase())}`;

/** The invitation RAM sends this account for a share (the same ARN each time). */
function invitationArn(s: StackState, shareArn: string): string {
  const owner = shareArn.split(':')[4];
  const h = hex(`${shareArn}/${s.account}`, 32);
  const arn = `arn:aws:ram:${s.region}:${owner}:resource-share-invitation/${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
  s.builder.stores.invitationShares.set(arn, shareArn);
  return arn;
}

const resources: Record<string, Provider> = {
  'Custom::AWS': {
    ref: (s, id) => call(s, id)?.physicalResourceId?.id ?? s.physicalId('custom', id),
    attribute(s, id, name) {
      const c = call(s, id);
      if (!c) return undefined;
      if (
        action(c) === 'ram:getResourceShareInvitations' &&
        name === 'resourceShareInvitations.0.resourceShareInvitationArn'
      ) {
        const share = (c.parameters?.resourceShareArns as string[] | undefined)?.[0];
        return share ? invitationArn(s, share) : undefined;
      }
      const assoc = /^VpcEndpointAssociations\.(\d+)\.DnsEntry\.DnsName$/.exec(name);
      if (action(c) === 'ec2:describeVpcEndpointAssociations' && assoc) {
        const endpointId = (c.parameters?.VpcEndpointIds as string[] | undefined)?.[0];
        const found = endpointId
          ? s.builder.lookup(s.builder.model.endpoints, 'id', (e) => e.id, endpointId)
          : undefined;
        if (!found) return undefined;
        const dns = found.associations[Number(assoc[1])]?.dnsName;
        if (dns) return dns;
        // AWS would fail this lookup at deploy time; the model goes on, so that check can say why.
        s.builder.warnOnce(
          `${s.stack}/${id}: endpoint ${endpointId} has no association ${assoc[1]}, so this lookup fails at deploy time`,
        );
        return `no-association-${assoc[1]}.${endpointId}.invalid`;
      }
      return undefined;
    },
    build(s, id) {
      const m = s.builder.model;
      const c = call(s, id);
      const type = s.resources[id]!.Type;
      if (!c) {
        m.unmodelled[type] = (m.unmodelled[type] ?? 0) + 1;
        return;
      }
      switch (action(c)) {
        case 'ram:acceptResourceShareInvitation': {
          const invitation = String(c.parameters?.resourceShareInvitationArn);
          const shareArn = s.builder.stores.invitationShares.get(invitation);
          if (!shareArn)
            throw new LoadError(
              `${s.stack}/${id}: accepts invitation ${invitation}, which no GetResourceShareInvitations call found`,
            );
          m.acceptances.push({ account: s.account, shareArn, source: s.source(id) });
          return;
        }
        case 'ram:getResourceShareInvitations':
        case 'ec2:describeVpcEndpointAssociations':
          return; // lookups: answered through attribute()
        default: {
          const t = `${type} (${c.service}.${c.action})`;
          m.unmodelled[t] = (m.unmodelled[t] ?? 0) + 1;
        }
      }
    },
  },
};

export const custom: ServiceProvider = {
  service: 'Custom',
  resources,
  limitations: [
    `Only AwsCustomResource calls whose effect the model knows (accepting a RAM invitation, an endpoint's association DNS names) are read; any other custom resource is counted as unmodelled`,
  ],
};
