// Entry point of the app box: Topology → a CDK App with an owner and a consumer stack per account.
import { spawn } from 'node:child_process';
import { App, Validations, type Stack } from 'aws-cdk-lib';
import { ACCOUNT_METADATA, type AccountFacts } from '../assembly/index.js';
import { AwsSolutionsChecks } from 'cdk-nag';
import type { Consumer, Topology } from '../config/index.js';
import { defaultZones } from '../shared/regions.js';
import { ConsumerStack } from './consumer-stack.js';
import { consumerStackName, networkStackName, ownerStackName } from './names.js';
import { NetworkStack } from './network-stack.js';
import type { NetworkHandle } from './network.js';
import { OwnerStack } from './owner-stack.js';
import { fileURLToPath } from 'node:url';

export { INPUTS_METADATA, type StackInput } from './names.js';
export { OwnerStack, ConsumerStack, NetworkStack };

export interface BuildOptions {
  /** Where the cloud assembly goes. @default - a temporary directory */
  readonly outdir?: string;
  /** Run the cdk-nag AwsSolutions pack when synthesizing. @default false */
  readonly nag?: boolean;
  /**
   * Run the CDK's built-in CloudFormation template validation when synthesizing (about two seconds a synth; it writes
   * validation-report.json). Off where an assembly is only analysed (check, inspect, the twin). @default true
   */
  readonly validate?: boolean;
}

export interface BuiltApp {
  readonly app: App;
  readonly owners: OwnerStack[];
  readonly networks: NetworkStack[];
  readonly consumers: ConsumerStack[];
}

/**
 * Owner stacks hold the networks with shared resources, the gateways, configurations and shares; consumer stacks
 * hold the other networks, the workloads and the endpoints. Every consumer stack deploys after the owner stacks
 * whose resources it uses, with their outputs as its parameters.
 */
export function buildApp(t: Topology, options: BuildOptions = {}): BuiltApp {
  const app = new App({
    outdir: options.outdir,
    context: zoneContext(t),
    builtinCloudFormationValidation: options.validate ?? true,
  });
  if (options.nag) Validations.of(app).addPlugins(new AwsSolutionsChecks(app));
  const networks = new Map<string, NetworkHandle>();
  const places = placesOf(t);
  const owners = addOwnerStacks(app, t, places, networks);
  const networkStacks = addNetworkStacks(app, t, places, owners);
  const consumers = addConsumerStacks(app, t, places, { networks, owners, networkStacks });
  for (const stack of [...owners.values(), ...networkStacks.values(), ...consumers]) {
    const account = t.accounts.find((a) => a.id === stack.account)!;
    describeAccount(stack, {
      inOrganization: account.inOrganization,
      ...(account.organizationalUnit ? { organizationalUnit: account.organizationalUnit } : {}),
      ...(account.zoneIds ? { zoneIds: account.zoneIds } : {}),
      ...(account.operatedBy ? { operatedBy: account.operatedBy } : {}),
    });
  }
  return { app, owners: [...owners.values()], networks: [...networkStacks.values()], consumers };
}

/** Where a topology puts things: the account of a network, the account owning a resource, an account's environment. */
interface Places {
  readonly accountOfNetwork: (network: string) => string;
  /** The account whose owner stack holds a resource; undefined for a resource another account shares with ours. */
  readonly ownerOfResource: (resource: string) => string | undefined;
  readonly env: (account: string) => { account: string; region: string };
}

function placesOf(topology: Topology): Places {
  const accountOfNetwork = (network: string) => topology.networks.find((n) => n.name === network)!.account;
  return {
    accountOfNetwork,
    ownerOfResource: (resource) => {
      const ours = topology.resources.find((r) => r.name === resource);
      return ours && accountOfNetwork(ours.network);
    },
    env: (account) => ({ account: topology.accounts.find((a) => a.name === account)!.id, region: topology.region }),
  };
}

/** An owner stack for every account that owns a shared resource, by account name. */
function addOwnerStacks(
  app: App,
  topology: Topology,
  places: Places,
  networks: Map<string, NetworkHandle>,
): Map<string, OwnerStack> {
  const owners = new Map<string, OwnerStack>();
  for (const account of topology.accounts) {
    if (!topology.resources.some((r) => places.accountOfNetwork(r.network) === account.name)) continue;
    owners.set(
      account.name,
      new OwnerStack(app, ownerStackName(topology.name, account.name), {
        env: places.env(account.name),
        topology,
        account: account.name,
        networks,
        description: `lattice-share ${topology.name}: what account ${account.name} shares`,
      }),
    );
  }
  return owners;
}

/** A network stack for every account with service networks, after the owner stacks whose resources they carry. */
function addNetworkStacks(
  app: App,
  topology: Topology,
  places: Places,
  owners: Map<string, OwnerStack>,
): Map<string, NetworkStack> {
  const networkStacks = new Map<string, NetworkStack>();
  for (const account of topology.accounts.filter((a) => topology.serviceNetworks.some((n) => n.account === a.name))) {
    const stack = new NetworkStack(app, networkStackName(topology.name, account.name), {
      env: places.env(account.name),
      topology,
      account: account.name,
      description: `lattice-share ${topology.name}: the service networks of account ${account.name}`,
    });
    const sources = new Set(
      topology.serviceNetworks
        .filter((n) => n.account === account.name)
        .flatMap((n) => n.resources)
        .flatMap((r) => places.ownerOfResource(r) ?? []),
    );
    for (const s of sources) stack.addStackDependency(owners.get(s)!, "it associates the owner stack's configurations");
    networkStacks.set(account.name, stack);
  }
  return networkStacks;
}

/** The stacks a consumer stack builds on: the networks built so far, the owner and network stacks by account. */
interface Built {
  readonly networks: Map<string, NetworkHandle>;
  readonly owners: Map<string, OwnerStack>;
  readonly networkStacks: Map<string, NetworkStack>;
}

/**
 * A consumer stack for every account with consumers, workloads or callers, after the owner stacks that feed its
 * parameters and the network stacks of the service networks it reaches.
 */
function addConsumerStacks(app: App, topology: Topology, places: Places, built: Built): ConsumerStack[] {
  const consumers: ConsumerStack[] = [];
  for (const account of topology.accounts) {
    const used =
      [...topology.consumers, ...topology.workloads].some((x) => places.accountOfNetwork(x.network) === account.name) ||
      topology.callers.some((c) => c.account === account.name);
    if (!used) continue;
    const stack = new ConsumerStack(app, consumerStackName(topology.name, account.name), {
      env: places.env(account.name),
      topology,
      account: account.name,
      networks: built.networks,
      description: `lattice-share ${topology.name}: how account ${account.name} reaches shared resources`,
    });
    const mine = topology.consumers.filter((c) => places.accountOfNetwork(c.network) === account.name);
    for (const s of consumerSources(topology, places, account.name, mine))
      stack.addStackDependency(built.owners.get(s)!, "its parameters are the owner stack's outputs");
    for (const { path } of mine) {
      if (path.kind !== 'service-network') continue;
      const networkAccount = topology.serviceNetworks.find((n) => n.name === path.serviceNetwork)!.account;
      stack.addStackDependency(built.networkStacks.get(networkAccount)!, "it uses the network stack's service network");
    }
    consumers.push(stack);
  }
  return consumers;
}

/** The accounts whose owner stacks feed a consumer stack's parameters. */
function consumerSources(topology: Topology, places: Places, account: string, mine: Consumer[]): Set<string> {
  // Private DNS names of databases in a service network come from their owner stacks too; a resource another account
  // shares with ours has none.
  const owners = [
    ...mine.flatMap((c) => c.resources).map(places.ownerOfResource),
    ...topology.callers.filter((c) => c.account === account).map((c) => places.ownerOfResource(c.resource)),
  ];
  return new Set(owners.filter((owner): owner is string => owner !== undefined));
}

function describeAccount(stack: Stack, facts: AccountFacts): void {
  stack.templateOptions.metadata = { ...(stack.templateOptions.metadata ?? {}), [ACCOUNT_METADATA]: facts };
}

/**
 * Synthesizes a config into `outdir` in a child process. After a synth the process holds hundreds of MiB, and each
 * later fork (the twin runs hundreds of `ip` commands) then costs several times more: callers that go on to bring a
 * twin up synthesize this way.
 */
export function synthesizeIsolated(
  config: string,
  outdir: string,
  options: Pick<BuildOptions, 'nag' | 'validate'> = {},
  signal?: AbortSignal,
): Promise<SynthResult> {
  if (signal?.aborted) return Promise.resolve({ ok: false, errors: '', interrupted: true });
  const script = fileURLToPath(new URL('./synth-child.js', import.meta.url));
  const flags = [...(options.nag ? ['nag'] : []), ...(options.validate === false ? ['no-validation'] : [])];
  const child = spawn(process.execPath, [script, config, outdir, ...flags], {
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let errors = '';
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => {
    errors += chunk;
  });
  const abort = () => child.kill('SIGTERM');
  signal?.addEventListener('abort', abort, { once: true });
  return new Promise((resolve) => {
    child.on('close', (code) => {
      signal?.removeEventListener('abort', abort);
      resolve({ ok: code === 0 && !signal?.aborted, errors: errors.trim(), interrupted: !!signal?.aborted });
    });
  });
}

export interface SynthResult {
  readonly ok: boolean;
  /** What the synth printed on stderr: config diagnostics or the error. */
  readonly errors: string;
  /** Stopped because the signal was aborted (the child is killed; its partial output is the caller's to remove). */
  readonly interrupted: boolean;
}

/** Pre-sets the availability zones of every account so that synth needs no lookup. */
function zoneContext(t: Topology): Record<string, string[]> {
  const ctx: Record<string, string[]> = {};
  for (const a of t.accounts) {
    const zones = new Set(t.networks.filter((n) => n.account === a.name).flatMap((n) => n.availabilityZones));
    for (const z of defaultZones(t.region, 3)) zones.add(z);
    ctx[`availability-zones:account=${a.id}:region=${t.region}`] = [...zones].sort();
  }
  return ctx;
}
