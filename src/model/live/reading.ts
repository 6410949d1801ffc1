// What every reader of one account and Region shares: where it reads, its clients, the calls, the model being filled,
// and what is read raw before it can be placed (interfaces and instances, whose owners come from other services).
import type { Instance as Ec2Instance, NetworkInterface, VpcEndpoint } from '@aws-sdk/client-ec2';
import type { InfraModel, Source } from '../types.js';
import { liveStack } from '../origin.js';
import type { Calls, LiveTarget, Sender } from './calls.js';

/** The SDK clients of one account and Region (or stand-ins with the same `send`). */
export interface AccountClients {
  readonly ec2: Sender;
  readonly lattice: Sender;
  readonly ram: Sender;
  readonly rds: Sender;
  readonly events: Sender;
  readonly sfn: Sender;
  readonly route53: Sender;
  readonly cloudformation: Sender;
}

export type Mutable<T> = { -readonly [K in keyof T]: T[K] extends readonly (infer E)[] ? E[] : T[K] };

export interface Reading {
  readonly target: LiveTarget;
  readonly clients: AccountClients;
  readonly calls: Calls;
  readonly model: Mutable<InfraModel>;
  readonly interfaces: NetworkInterface[];
  readonly instances: Ec2Instance[];
  readonly vpcEndpoints: VpcEndpoint[];
  /** Where a live resource comes from: its account and Region, and its ID. */
  source(id: string): Source;
}

/** Every item of a paginated EC2 list in the reading's account: `make(token)` makes a page's command. */
export const ec2List = <P extends { NextToken?: string }, I>(
  r: Reading,
  make: (token?: string) => object,
  items: (page: P) => I[] | undefined,
): Promise<I[] | undefined> =>
  r.calls.all<P, I>(r.target, 'ec2', r.clients.ec2, { next: (p) => p.NextToken, make, items });

export function reading(
  target: LiveTarget,
  clients: AccountClients,
  calls: Calls,
  model: Mutable<InfraModel>,
): Reading {
  const stack = liveStack(target);
  return {
    target,
    clients,
    calls,
    model,
    interfaces: [],
    instances: [],
    vpcEndpoints: [],
    source: (logicalId) => ({ stack, logicalId }),
  };
}

/** How VPC Lattice, RAM and Step Functions give their next page. */
export const NEXT_TOKEN = { next: (p: { nextToken?: string }) => p.nextToken };

/** The account in an ARN. */
export const accountOf = (arn: string | undefined): string | undefined => arn?.split(':')[4];

/**
 * Each of `items` read whole, one call each, at once (for lists that give no details): `make` makes an item's
 * command; an item whose call failed is undefined (the problem is recorded).
 */
export const readEach = <T, O>(
  r: Reading,
  service: string,
  client: Sender,
  items: readonly T[] | undefined,
  make: (item: T) => object,
): Promise<(O | undefined)[]> =>
  Promise.all((items ?? []).map((x) => r.calls.one<O>(r.target, service, client, make(x))));
