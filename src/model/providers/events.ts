// EventBridge: connections (with private-API connectivity through a resource configuration) and API destinations.
import { hex } from '../../shared/index.js';
import type { StackState } from '../build.js';
import type { Provider, ServiceProvider } from './provider.js';
import { optText, text } from './values.js';

const nameOf = (s: StackState, id: string) =>
  optText(s.props(id).Name, `${s.stack}/${id}.Name`) ?? `${s.stack}-${id}`.slice(0, 64);
const uuid = (seed: string) => {
  const h = hex(seed, 32);
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
};
const connectionArn = (s: StackState, id: string) =>
  `arn:aws:events:${s.region}:${s.account}:connection/${nameOf(s, id)}/${uuid(`${s.account}/${s.stack}/${id}`)}`;
const destinationArn = (s: StackState, id: string) =>
  `arn:aws:events:${s.region}:${s.account}:api-destination/${nameOf(s, id)}/${uuid(`${s.account}/${s.stack}/${id}/d`)}`;

const resources: Record<string, Provider> = {
  'AWS::Events::Connection': {
    ref: (s, id) => nameOf(s, id),
    attribute: (s, id, name) =>
      (
        ({
          Arn: connectionArn(s, id),
          ArnForPolicy: connectionArn(s, id),
          SecretArn: `arn:aws:secretsmanager:${s.region}:${s.account}:secret:events!connection/${nameOf(s, id)}/${hex(id, 6)}`,
        }) as Record<string, unknown>
      )[name],
    build(s, id) {
      const p = s.props(id);
      const where = `${s.stack}/${id}`;
      const resource = ((p.InvocationConnectivityParameters as Record<string, unknown> | undefined)
        ?.ResourceParameters ?? {}) as Record<string, unknown>;
      const auth = (p.AuthParameters ?? {}) as { ApiKeyAuthParameters?: { ApiKeyName?: unknown } };
      s.builder.model.connections.push({
        id: s.physicalId('conn', id),
        arn: connectionArn(s, id),
        name: nameOf(s, id),
        account: s.account,
        configurationArn: optText(
          resource.ResourceConfigurationArn,
          `${where}.InvocationConnectivityParameters.ResourceParameters.ResourceConfigurationArn`,
        ),
        authorization: text(p.AuthorizationType, `${where}.AuthorizationType`),
        apiKeyName: optText(
          auth.ApiKeyAuthParameters?.ApiKeyName,
          `${where}.AuthParameters.ApiKeyAuthParameters.ApiKeyName`,
        ),
        source: s.source(id),
      });
    },
  },
  'AWS::Events::ApiDestination': {
    ref: (s, id) => nameOf(s, id),
    attribute: (s, id, name) => (name === 'Arn' ? destinationArn(s, id) : undefined),
    build(s, id) {
      const p = s.props(id);
      const where = `${s.stack}/${id}`;
      s.builder.model.calls.push({
        kind: 'api-destination',
        name: nameOf(s, id),
        account: s.account,
        connectionArn: text(p.ConnectionArn, `${where}.ConnectionArn`),
        url: text(p.InvocationEndpoint, `${where}.InvocationEndpoint`),
        method: text(p.HttpMethod, `${where}.HttpMethod`),
        source: s.source(id),
      });
    },
  },
};

export const events: ServiceProvider = {
  service: 'AWS::Events',
  resources,
  limitations: [
    'Rules, targets and event buses are not read: an API destination is expected to be called as written',
    `OAuth and basic authorization are read as their type only; the API key is the twin's own`,
  ],
};
