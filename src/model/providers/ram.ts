// RAM: resource shares and their principals.
import { hex } from '../../shared/index.js';
import type { StackState } from '../build.js';
import type { SharePrincipal } from '../types.js';
import { deployed } from '../partners.js';
import type { Provider, ServiceProvider } from './provider.js';

const shareArn = (s: StackState, id: string) => {
  // A stand-in's share keeps the ARN its owner deployed it with.
  const asDeployed = deployed(s, id)?.arn;
  if (asDeployed) return asDeployed;
  const h = hex(`${s.account}/${s.stack}/${id}/share`, 32);
  return `arn:aws:ram:${s.region}:${s.account}:resource-share/${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20, 32)}`;
};

export function principal(value: string): SharePrincipal {
  const ou = /:ou\/(o-[a-z0-9]+)\/(ou-[0-9a-z-]+)$/.exec(value);
  if (ou) return { kind: 'ou', arn: value, id: ou[2]! };
  const org = /:organization\/(o-[a-z0-9]+)$/.exec(value);
  if (org) return { kind: 'organization', arn: value, id: org[1]! };
  return { kind: 'account', id: value };
}

const resources: Record<string, Provider> = {
  'AWS::RAM::ResourceShare': {
    ref: (s, id) => shareArn(s, id),
    attribute: (s, id, name) => (name === 'Arn' ? shareArn(s, id) : undefined),
    build(s, id) {
      const p = s.reader(id);
      s.builder.model.shares.push({
        arn: shareArn(s, id),
        name: p.text('Name'),
        account: s.account,
        resourceArns: p.texts('ResourceArns'),
        principals: p.texts('Principals').map(principal),
        allowExternalPrincipals: p.bool('AllowExternalPrincipals', true),
        source: s.source(id),
      });
    },
  },
};

export const ram: ServiceProvider = {
  service: 'AWS::RAM',
  resources,
  limitations: ['PermissionArns and Sources are not read: a share gives the default permission'],
};
