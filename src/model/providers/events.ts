// EventBridge: connections (with private-API connectivity through a resource configuration) and API destinations.
import { hex } from '../../shared/index.js';
import type { StackState } from '../build.js';
import type { Provider, ServiceProvider } from './provider.js';
import { optText } from './values.js';

const nameOf = (s: StackState, id: string) =>
  optText(s.property(id, 'Name'), `${s.stack}/${id}.Name`) ?? `${s.stack}-${id}`.slice(0, 64);
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
      const p = s.reader(id);
      const resource = p.child('InvocationConnectivityParameters').child('ResourceParameters');
      const apiKey = p.child('AuthParameters').child('ApiKeyAuthParameters');
      s.builder.model.connections.push({
        id: s.physicalId('conn', id),
        arn: connectionArn(s, id),
        name: nameOf(s, id),
        account: s.account,
        configurationArn: resource.optText('ResourceConfigurationArn'),
        authorization: p.text('AuthorizationType'),
        apiKeyName: apiKey.optText('ApiKeyName'),
        source: s.source(id),
      });
    },
  },
  'AWS::Events::ApiDestination': {
    ref: (s, id) => nameOf(s, id),
    attribute: (s, id, name) => (name === 'Arn' ? destinationArn(s, id) : undefined),
    build(s, id) {
      const p = s.reader(id);
      s.builder.model.calls.push({
        kind: 'api-destination',
        name: nameOf(s, id),
        account: s.account,
        connectionArn: p.text('ConnectionArn'),
        url: p.text('InvocationEndpoint'),
        method: p.text('HttpMethod'),
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
