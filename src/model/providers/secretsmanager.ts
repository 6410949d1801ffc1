// Secrets Manager: a generated secret's ARN and the user name in its template. The password stays in AWS.
import { hex } from '../../shared/index.js';
import type { Provider, ServiceProvider } from './provider.js';

const resources: Record<string, Provider> = {
  'AWS::SecretsManager::Secret': {
    ref: (s, id) =>
      `arn:aws:secretsmanager:${s.region}:${s.account}:secret:${String(s.property(id, 'Name') ?? id)}-${hex(`${s.stack}/${id}`, 6)}`,
    build(s, id) {
      const template = (s.property(id, 'GenerateSecretString') as { SecretStringTemplate?: string } | undefined)
        ?.SecretStringTemplate;
      let username: string | undefined;
      try {
        username = template ? (JSON.parse(template) as { username?: string }).username : undefined;
      } catch {
        username = undefined;
      }
      s.builder.stores.secretUsers.set(String(s.ref(id)), username);
    },
  },
};

export const secretsmanager: ServiceProvider = {
  service: 'AWS::SecretsManager',
  resources,
  limitations: [`Only a generated secret's user name is read; the password stays in AWS (the twin makes its own)`],
};
