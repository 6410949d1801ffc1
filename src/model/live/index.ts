// The live loader: the infra model read from deployed accounts (doctor), the same shape the templates give, so check
// decides the same hops over it. Read calls only; accounts and Regions are read with bounded concurrency; a call that
// fails leaves what depends on it out of the model and is listed with its account (doctor says so).
import { newModel } from '../empty.js';
import type { InfraModel } from '../types.js';
import { Calls, type CallOptions, type LiveProblem, type LiveTarget } from './calls.js';
import { readNetwork } from './network.js';
import { readApiCallers } from './apis.js';
import { placeCarried } from './carried.js';
import { readRecords } from './dns.js';
import { readStackResources, type StackResources } from './stacks.js';
import { readServiceNetworks, type Gathered } from './networks.js';
import { place } from './place.js';
import { reading, type AccountClients, type Mutable } from './reading.js';
import { markOutside } from './outside.js';
import { markUnknown } from './partial.js';
import { DOCTOR_CALLS, type Side } from './policy.js';
import {
  readConfigurations,
  readEndpoints,
  readGateways,
  readInvitations,
  readRds,
  readReceived,
  readShares,
} from './services.js';

export type { AccountClients } from './reading.js';
export type { LiveProblem, LiveTarget, Sender } from './calls.js';
export { readSnapshot, snapshotOf, type Snapshot } from './snapshot.js';
export type { StackResource, StackResources } from './stacks.js';
export { callsFor, doctorPolicy, DOCTOR_CALLS, type Side } from './policy.js';

/** What an account's APIs do not say of it (a config does). */
export interface AccountFacts {
  /** In the owner's organization. */
  readonly inOrganization?: boolean;
  /** The OU it sits in directly. */
  readonly organizationalUnit?: string;
  /** Who runs it, when another company does (`operatedBy.party`). */
  readonly party?: string;
  /** Its sides of the shares (a config says): it is asked only their calls. @default both */
  readonly sides?: readonly Side[];
}

export interface LiveOptions extends CallOptions {
  /** Accounts read at once. @default 4 */
  readonly concurrency?: number;
  /** What an account's APIs do not say of it, by account ID: in the owner's organization, its OU (a config says). */
  readonly accounts?: Readonly<Record<string, AccountFacts>>;
  /** Stacks whose resources to list (drift): by account, their names. */
  readonly stacks?: Readonly<Record<string, readonly string[]>>;
}

export interface LiveModel {
  readonly model: InfraModel;
  readonly problems: LiveProblem[];
  /** Calls made, by service. */
  readonly calls: Record<string, number>;
  /** What CloudFormation says of the stacks asked for (`stacks`). */
  readonly stackResources: StackResources;
}

async function readTarget(
  target: LiveTarget,
  clients: AccountClients,
  calls: Calls,
  model: Mutable<InfraModel>,
  options: LiveOptions,
  gathered: Gathered,
): Promise<void> {
  const r = reading(target, clients, calls, model);
  // The services at once (none needs another's answer); then each interface is placed with its owner.
  const [rds, gateways, rows] = await Promise.all([
    readRds(r),
    readGateways(r),
    readEndpoints(r),
    readNetwork(r),
    readConfigurations(r),
    readShares(r),
    readInvitations(r),
    readServiceNetworks(r, gathered),
    readApiCallers(r),
    readRecords(r),
    readStackResources(r, options.stacks?.[target.account] ?? [], gathered.stacks),
    readReceived(r, gathered),
  ]);
  place(r, rds, gateways, rows);
  const facts = options.accounts?.[target.account];
  model.stacks.push({
    name: r.source('').stack,
    account: target.account,
    region: target.region,
    ...(facts?.inOrganization !== undefined ? { inOrganization: facts.inOrganization } : {}),
    ...(facts?.organizationalUnit ? { organizationalUnit: facts.organizationalUnit } : {}),
    outputs: {},
  });
}

/** Reads every target with its clients (`clientsFor`), `concurrency` at a time. */
export async function readLive(
  targets: readonly LiveTarget[],
  clientsFor: (target: LiveTarget) => AccountClients,
  options: LiveOptions = {},
): Promise<LiveModel> {
  const permits = (account: string, action: string) => {
    const sides = options.accounts?.[account]?.sides;
    return !sides || (DOCTOR_CALLS[action] ?? ['owner', 'consumer']).some((side) => sides.includes(side));
  };
  const calls = new Calls({ ...options, permits });
  const model = newModel() as Mutable<InfraModel>;
  const gathered: Gathered = { carried: [], received: [], stacks: { resources: [], missing: [] } };
  const queue = [...targets];
  const worker = async () => {
    for (let target = queue.shift(); target; target = queue.shift())
      await readTarget(target, clientsFor(target), calls, model, options, gathered);
  };
  await Promise.all(Array.from({ length: Math.min(options.concurrency ?? 4, targets.length) }, worker));
  placeCarried(model, gathered);
  markOutside(model, targets, gathered, options);
  markUnknown(model, calls.problems);
  return {
    model,
    problems: calls.problems,
    calls: Object.fromEntries(calls.counts),
    stackResources: gathered.stacks,
  };
}
