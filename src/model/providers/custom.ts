// Custom::AWS (aws-cdk-lib's AwsCustomResource): the SDK calls whose effect the model knows. Accepting a RAM
// invitation becomes an acceptance; lookups answer like AWS. Any other call is counted as unmodelled.
import type { StackState } from '../build.js';
import { hex } from '../../shared/index.js';
import { LoadError, resolve } from '../intrinsics.js';
import { unknownValue } from '../unknown.js';
import { perResource, type Provider, type ServiceProvider } from './provider.js';

interface SdkCall {
  service: string;
  action: string;
  parameters?: Record<string, unknown>;
  physicalResourceId?: { id?: string };
}

function parseCall(s: StackState, id: string): SdkCall | undefined {
  const create = s.property(id, 'Create');
  if (typeof create !== 'string') return undefined;
  try {
    return JSON.parse(create) as SdkCall;
  } catch {
    throw new LoadError(`${s.stack}/${id}: Create is not a JSON SDK call`);
  }
}

/** The SDK call a custom resource makes on create, parsed once per stack and resource. */
const call = perResource(parseCall);

const action = (c: SdkCall) => `${c.service.toLowerCase()}:${c.action.charAt(0).toLowerCase()}${c.action.slice(1)}`;

/** The invitation RAM sends this account for a share (the same ARN each time). */
function invitationArn(s: StackState, shareArn: string): string {
  const owner = shareArn.split(':')[4];
  const h = hex(`${shareArn}/${s.account}`, 32);
  const arn = `arn:aws:ram:${s.region}:${owner}:resource-share-invitation/${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
  s.builder.stores.invitationShares.set(arn, shareArn);
  return arn;
}

/** A call that accepts a RAM invitation, in the SDKs' spellings (JavaScript v2 and v3, Python, Go, Java, the CLI). */
const ACCEPTS =
  /\b(acceptResourceShareInvitation\s*\(|accept_resource_share_invitation\s*\(|AcceptResourceShareInvitation(Command|Request|WithContext)?\s*\(|new\s+AcceptResourceShareInvitationCommand\b|accept-resource-share-invitation\b)/;
const SHARE_ARN = /^arn:aws[a-z-]*:ram:[a-z0-9-]*:\d{12}:resource-share\/[A-Za-z0-9-]+$/;

/** The logical ID of the Lambda function a custom resource's ServiceToken names with Fn::GetAtt, if any. */
function serviceFunction(s: StackState, id: string): string | undefined {
  const token = s.resource(id)?.Properties?.ServiceToken as { 'Fn::GetAtt'?: unknown } | undefined;
  const getAtt = token?.['Fn::GetAtt'];
  const [fn] = Array.isArray(getAtt) ? getAtt : typeof getAtt === 'string' ? getAtt.split('.') : [];
  return typeof fn === 'string' && s.resource(fn)?.Type === 'AWS::Lambda::Function' ? fn : undefined;
}

/** Every RAM share ARN among a resource's resolved properties, however deep. */
function shareArnsIn(value: unknown, out = new Set<string>()): Set<string> {
  if (typeof value === 'string' && SHARE_ARN.test(value)) out.add(value);
  else if (Array.isArray(value)) for (const item of value) shareArnsIn(item, out);
  else if (value && typeof value === 'object') for (const item of Object.values(value)) shareArnsIn(item, out);
  return out;
}

/**
 * A Lambda-backed custom resource whose inline code (Code.ZipFile) calls AcceptResourceShareInvitation, given the
 * share's ARN among its properties: how teams without aws-cdk accept an invitation. It counts as an acceptance of
 * that share by this account, marked as inferred. False when the resource is not one.
 */
function lambdaAcceptance(s: StackState, id: string): boolean {
  const fn = serviceFunction(s, id);
  // Only the inline code is read: the function's other properties may use what the model does not resolve.
  const zipFile = fn ? (s.resource(fn)?.Properties?.Code as { ZipFile?: unknown } | undefined)?.ZipFile : undefined;
  const code = zipFile === undefined ? undefined : resolve(zipFile, s, `${s.stack}/${fn}.Code.ZipFile`);
  if (typeof code !== 'string' || !ACCEPTS.test(code)) return false;
  const shares = shareArnsIn(s.props(id));
  if (!shares.size) {
    s.builder.warnOnce(
      `${s.stack}/${id}: its function ${fn} accepts a RAM invitation, but no share ARN is among its properties: which share it accepts is not known`,
    );
    return false;
  }
  const type = s.resource(id)?.Type ?? 'Custom';
  for (const shareArn of shares)
    s.builder.model.acceptances.push({
      account: s.account,
      shareArn,
      source: s.source(id),
      inferredFrom: `${type} ${id}, whose function ${fn} calls AcceptResourceShareInvitation`,
    });
  return true;
}

const resources: Record<string, Provider> = {
  'Custom::AWS': {
    ref: (s, id) => call(s, id)?.physicalResourceId?.id ?? s.physicalId('custom', id),
    attribute(s, id, name) {
      const c = call(s, id);
      // A custom resource the model does not read: its attributes exist only once its function has run.
      if (!c) return unknownValue(`${s.stack}/${id}.${name}`);
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
      const type = s.resource(id)!.Type;
      if (!c) {
        if (!lambdaAcceptance(s, id)) s.builder.countUnmodelled(type);
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
          s.builder.countUnmodelled(t);
        }
      }
    },
  },
};

export const custom: ServiceProvider = {
  service: 'Custom',
  resources,
  limitations: [
    `Only AwsCustomResource calls whose effect the model knows (accepting a RAM invitation, an endpoint's association DNS names) are read, and a Lambda-backed custom resource whose inline code accepts a RAM invitation (for the share ARN among its properties); any other custom resource is counted as unmodelled, and its attributes are values known only at deploy (what they decide is UNKNOWN)`,
  ],
};
