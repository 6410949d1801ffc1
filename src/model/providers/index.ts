// One provider per AWS service: how each resource type answers Ref and Fn::GetAtt, and what it adds to the model.
import type { StackState } from '../build.js';
import { custom } from './custom.js';
import { ec2 } from './ec2.js';
import { events } from './events.js';
import { ram } from './ram.js';
import { rds } from './rds.js';
import { route53 } from './route53.js';
import { secretsmanager } from './secretsmanager.js';
import { stepfunctions } from './stepfunctions.js';
import { vpclattice } from './vpclattice.js';

export interface Provider {
  ref?(s: StackState, logicalId: string): unknown;
  attribute?(s: StackState, logicalId: string, name: string): unknown;
  /** Adds the resource to the model. Types without build are counted as unmodelled. */
  build?(s: StackState, logicalId: string): void;
}

const PROVIDERS: Record<string, Provider> = {
  ...ec2,
  ...rds,
  ...secretsmanager,
  ...vpclattice,
  ...ram,
  ...route53,
  ...events,
  ...stepfunctions,
  ...custom,
};

export function providerFor(type: string): Provider {
  return PROVIDERS[type] ?? (type.startsWith('Custom::') ? PROVIDERS['Custom::AWS']! : {});
}
