// One provider per AWS service (LocalStack-style): the registry, in the order their finishing phases run.
import type { ModelBuilder } from '../build.js';
import { custom } from './custom.js';
import { ec2 } from './ec2.js';
import { events } from './events.js';
import type { Provider, ServiceProvider } from './provider.js';
import { ram } from './ram.js';
import { rds } from './rds.js';
import { route53 } from './route53.js';
import { secretsmanager } from './secretsmanager.js';
import { stepfunctions } from './stepfunctions.js';
import { vpclattice } from './vpclattice.js';

export type { Provider, ServiceProvider } from './provider.js';

/** Every service the model reads. */
export const SERVICES: readonly ServiceProvider[] = [
  ec2,
  rds,
  secretsmanager,
  vpclattice,
  ram,
  route53,
  events,
  stepfunctions,
  custom,
];

const BY_TYPE: Record<string, Provider> = Object.assign({}, ...SERVICES.map((service) => service.resources));

/** A resource type's provider; `Custom::…` and `AWS::CloudFormation::CustomResource` are read as custom resources. */
export function providerFor(type: string): Provider {
  const custom = type.startsWith('Custom::') || type === 'AWS::CloudFormation::CustomResource';
  return BY_TYPE[type] ?? (custom ? BY_TYPE['Custom::AWS']! : {});
}

/** Every service's finishing phase, once every stack is built. */
export function finishModel(builder: ModelBuilder, region: (account: string) => string): void {
  for (const service of SERVICES) service.finish?.(builder, region);
}
