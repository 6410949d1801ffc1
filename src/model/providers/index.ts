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

// A Map, not an object: a type read from a template is text V8 has not interned, and an object looked up by such text
// searches V8's table of interned text on every call (a Map hashes it once); hundreds of thousands of calls ask.
const BY_TYPE = new Map<string, Provider>(SERVICES.flatMap((service) => Object.entries(service.resources)));
/** What a type no service reads has: no way to build it or to answer for it. */
const NONE: Provider = Object.freeze({});

/** A resource type's provider; `Custom::…` and `AWS::CloudFormation::CustomResource` are read as custom resources. */
export function providerFor(type: string): Provider {
  const custom = type.startsWith('Custom::') || type === 'AWS::CloudFormation::CustomResource';
  return BY_TYPE.get(type) ?? (custom ? BY_TYPE.get('Custom::AWS')! : NONE);
}

/** Every service's finishing phase, once every stack is built. */
export function finishModel(builder: ModelBuilder, region: (account: string) => string): void {
  for (const service of SERVICES) service.finish?.(builder, region);
}
