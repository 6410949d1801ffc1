// Secrets Manager: a generated secret's ARN and the user name in its template. The password stays in AWS.
import { hex } from '../../shared/index.js';
import type { Provider } from './index.js';

export const secretsmanager: Record<string, Provider> = {
  'AWS::SecretsManager::Secret': {
    ref: (s, id) =>
      `arn:aws:secretsmanager:${s.region}:${s.account}:secret:${String(s.props(id).Name ?? id)}-${hex(`${s.stack}/${id}`, 6)}`,
    build(s, id) {
      const template = (s.props(id).GenerateSecretString as { SecretStringTemplate?: string } | undefined)
        ?.SecretStringTemplate;
      let username: string | undefined;
      try {
        username = template ? (JSON.parse(template) as { username?: string }).username : undefined;
      } catch {
        username = undefined;
      }
      s.builder.facts.set(`secret:${String(s.ref(id))}`, { username });
    },
  },
};
