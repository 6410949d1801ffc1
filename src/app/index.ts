// Entry point of the app box: Topology → a CDK App with an owner and a consumer stack per account.
import { spawnSync } from 'node:child_process';
import { App, Validations, type Stack } from 'aws-cdk-lib';
import { ACCOUNT_METADATA, type AccountFacts } from '../assembly/index.js';
import { AwsSolutionsChecks } from 'cdk-nag';
import type { Topology } from '../config/index.js';
import { ConsumerStack } from './consumer-stack.js';
import { consumerStackName, ownerStackName } from './names.js';
import type { NetworkHandle } from './network.js';
import { OwnerStack } from './owner-stack.js';

export { INPUTS_METADATA, type StackInput } from './names.js';
export { OwnerStack, ConsumerStack };

export interface BuildOptions {
  /** Where the cloud assembly goes. @default - a temporary directory */
  readonly outdir?: string;
  /** Run the cdk-nag AwsSolutions pack when synthesizing. @default false */
  readonly nag?: boolean;
}

export interface BuiltApp {
  readonly app: App;
  readonly owners: OwnerStack[];
  readonly consumers: ConsumerStack[];
}

/**
 * Owner stacks hold the networks with shared resources, the gateways, configurations and shares; consumer stacks
 * hold the other networks, the workloads and the endpoints. Every consumer stack deploys after the owner stacks
 * whose resources it uses, with their outputs as its parameters.
 */
export function buildApp(t: Topology, options: BuildOptions = {}): BuiltApp {
  const app = new App({ outdir: options.outdir, context: zoneContext(t) });
  if (options.nag) Validations.of(app).addPlugins(new AwsSolutionsChecks(app));
  const networks = new Map<string, NetworkHandle>();
  const accountOfNetwork = (network: string) => t.networks.find((n) => n.name === network)!.account;
  const env = (account: string) => ({ account: t.accounts.find((a) => a.name === account)!.id, region: t.region });
  const owners = new Map<string, OwnerStack>();
  const consumers: ConsumerStack[] = [];

  for (const account of t.accounts) {
    if (!t.resources.some((r) => accountOfNetwork(r.network) === account.name)) continue;
    owners.set(account.name, new OwnerStack(app, ownerStackName(t.name, account.name), {
      env: env(account.name), topology: t, account: account.name, networks,
      description: `lattice-share ${t.name}: what account ${account.name} shares`,
    }));
  }
  for (const account of t.accounts) {
    const used = [...t.consumers, ...t.workloads].some((x) => accountOfNetwork(x.network) === account.name);
    if (!used) continue;
    const stack = new ConsumerStack(app, consumerStackName(t.name, account.name), {
      env: env(account.name), topology: t, account: account.name, networks,
      description: `lattice-share ${t.name}: how account ${account.name} reaches shared resources`,
    });
    const sources = new Set(t.consumers.filter((c) => accountOfNetwork(c.network) === account.name)
      .map((c) => accountOfNetwork(t.resources.find((r) => r.name === c.resource)!.network)));
    for (const s of sources) stack.addStackDependency(owners.get(s)!, 'its parameters are the owner stack\'s outputs');
    consumers.push(stack);
  }
  for (const stack of [...owners.values(), ...consumers]) describeAccount(stack, t.accounts.find((a) => a.id === stack.account)!.inOrganization);
  return { app, owners: [...owners.values()], consumers };
}

function describeAccount(stack: Stack, inOrganization: boolean): void {
  const facts: AccountFacts = { inOrganization };
  stack.templateOptions.metadata = { ...(stack.templateOptions.metadata ?? {}), [ACCOUNT_METADATA]: facts };
}

/**
 * Synthesizes a config into `outdir` in a child process. After a synth the process holds hundreds of MiB, and each
 * later fork (the twin runs hundreds of `ip` commands) then costs several times more: callers that go on to bring a
 * twin up synthesize this way.
 */
export function synthesizeIsolated(config: string, outdir: string, nag = false): { ok: boolean; errors: string } {
  const r = spawnSync(process.execPath, [new URL('./synth-child.js', import.meta.url).pathname, config, outdir, ...(nag ? ['nag'] : [])], { encoding: 'utf8' });
  return { ok: r.status === 0, errors: (r.stderr ?? '').trim() };
}

/** Pre-sets the availability zones of every account so that synth needs no lookup. */
function zoneContext(t: Topology): Record<string, string[]> {
  const ctx: Record<string, string[]> = {};
  for (const a of t.accounts) {
    const zones = new Set(t.networks.filter((n) => n.account === a.name).flatMap((n) => n.availabilityZones));
    for (const z of 'abc') zones.add(`${t.region}${z}`);
    ctx[`availability-zones:account=${a.id}:region=${t.region}`] = [...zones].sort();
  }
  return ctx;
}
