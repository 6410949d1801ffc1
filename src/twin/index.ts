// Entry point of the twin box: runs an infra model on this machine with namespaces and kernel filtering.
import { spawnSync } from 'node:child_process';
import type { InfraModel } from '../model/index.js';
import { ioOf, type IoHelper, type IoHost } from '../shared/io.js';
import { down } from './down.js';
import { systemHost, type Host } from './host.js';
import { buildLattice, buildNetwork } from './network.js';
import { startServices, type Services } from './services.js';
import { planTwin, type TwinPlan } from './plan.js';
import { withStandIns, type StandIn } from './standins.js';
import { changeFaults, currentModel, keepForFaults, type FaultAction, type FaultsApplied } from './runtime.js';
import type { Fault } from './faults.js';
import { checkTwinName, readState, writeState, type TwinState } from './state.js';
import { InterruptedError, preflight, TwinError } from './sys.js';

export { clear, down, type DownResult } from './down.js';
export { RecordingHost, systemHost, type Host } from './host.js';
export { planTwin, renderNftables, namespacePrefix, type TwinPlan } from './plan.js';
export { InterruptedError, TwinError } from './sys.js';
export { checkTwinName, listTwins, readState, runRoot, type TwinState } from './state.js';
export { invoke, type InvokeResult } from './invoke.js';
export { withStandIns, type StandIn } from './standins.js';
export type { FaultAction, FaultsApplied } from './runtime.js';
export type { Fault } from './faults.js';

export interface TwinSummary {
  readonly name: string;
  readonly workloads: { name: string; vpc: string; ip: string }[];
  readonly endpoints: { name: string; resource: string; dnsNames: string[]; ips: string[] }[];
  readonly gateways: { name: string; ips: string[] }[];
  readonly databases: {
    name: string;
    /** What runs it: PostgreSQL, or MariaDB standing in for Aurora MySQL; none when the twin runs no server. */
    engine?: 'postgres' | 'mysql';
    /** An imported cluster: the twin runs a stand-in of its own (standins.ts). */
    standIn?: true;
    writer: string;
    reader: string;
    port: number;
    user?: string;
    database?: string;
    passwordFile?: string;
    ips: string[];
  }[];
  /** EventBridge API destinations and Step Functions HTTP tasks, and where `invoke` sends as them. */
  readonly callers: TwinCaller[];
  /** The CA of the APIs' certificates (the twin's stand-in for public CAs). */
  readonly caFile?: string;
  readonly skipped: string[];
  readonly warnings: string[];
}

export interface TwinCaller {
  readonly name: string;
  readonly kind: 'api-destination' | 'http-task';
  readonly connection: string;
  readonly url: string;
  readonly method: string;
  /** The caller namespace's label, and the address that stands for the connection's association. */
  readonly node?: string;
  readonly address?: string;
  readonly apiKey?: { readonly header: string; readonly file: string };
}

function summarize(plan: TwinPlan, m: InfraModel, services?: Services, standIns: StandIn[] = []): TwinSummary {
  const runs = services?.databases ?? [];
  const ips = (ids: string[]) => plan.nodes.filter((n) => ids.includes(n.eniId)).map((n) => n.ip);
  return {
    name: plan.name,
    workloads: m.instances.map((i) => ({
      name: i.name,
      vpc: m.enis.find((e) => e.id === i.eniId)?.vpcId ?? '?',
      ip: ips([i.eniId])[0] ?? '?',
    })),
    endpoints: m.endpoints.map((e) => ({
      name: e.id,
      resource:
        e.type === 'Resource'
          ? (m.configurations.find((c) => c.arn === e.configurationArn)?.name ?? e.configurationArn)
          : `service network ${m.serviceNetworks.find((n) => n.id === e.serviceNetwork.split('/').pop())?.name ?? e.serviceNetwork}`,
      dnsNames: e.associations.flatMap((a) => [a.dnsName, ...(a.privateDnsName ? [a.privateDnsName] : [])]),
      ips: ips(e.eniIds),
    })),
    gateways: m.gateways.map((g) => ({ name: g.name, ips: ips(g.eniIds) })),
    databases: m.databases.map((d) => {
      const run = runs.find((r) => r.id === d.id);
      return {
        name: d.id,
        writer: d.writerName,
        reader: d.readerName,
        port: d.port,
        ...(run ? { engine: run.engine } : {}),
        ...(standIns.some((x) => x.database === d.id) ? { standIn: true } : {}),
        user: run?.user ?? d.masterUser,
        database: run?.database,
        passwordFile: run?.passwordFile,
        ips: ips(d.eniIds),
      };
    }),
    callers: m.calls.map((c) => {
      const conn = m.connections.find((x) => x.arn === c.connectionArn);
      const key = services?.apiKeys.find((k) => k.connection === conn?.id);
      return {
        name: c.name,
        kind: c.kind,
        connection: conn?.name ?? c.connectionArn,
        url: c.url,
        method: c.method,
        node: plan.nodes.find((n) => n.role === 'caller' && n.ownerId === conn?.id)?.label,
        address: plan.nodes.find((n) => n.role === 'endpoint' && n.ownerId === conn?.id)?.ip,
        ...(key ? { apiKey: { header: key.header, file: key.file } } : {}),
      };
    }),
    ...(services?.caFile ? { caFile: services.caFile } : {}),
    skipped: plan.skipped,
    warnings: [
      ...standIns.map(
        (x) =>
          `database ${x.database}: imported, so the twin runs a stand-in at ${x.ip} (its own empty database and password; the real cluster and its data stay in AWS)`,
      ),
      ...(services?.warnings ?? []),
    ],
  };
}

export interface UpOptions {
  readonly name: string;
  readonly assembly: string;
  /** Receives the bring-up's messages (LS_TWIN_I…). @default none: the library never prints */
  readonly io?: IoHost;
  /** Lattice's idle timeout. @default 350 s, as on AWS */
  readonly idleTimeoutMs?: number;
  /** Aborted on Ctrl-C: up stops at the next step, removes what it made and throws an InterruptedError. */
  readonly signal?: AbortSignal;
}

/** How a plan is realised: what `up` does between its state file and its summary, through `host`. */
export interface RealiseOptions {
  readonly io: IoHelper;
  readonly signal?: AbortSignal;
  /** Lattice's idle timeout. @default 350_000 */
  readonly idleTimeoutMs?: number;
}

/**
 * Makes the plan's segments, ENIs and Lattice links, then starts its agents, each through `host` and each recorded
 * in `state` before it is made. `up` runs it on the system host; a RecordingHost gives the exact command script.
 */
export async function realise(
  host: Host,
  state: TwinState,
  plan: TwinPlan,
  model: InfraModel,
  options: RealiseOptions,
): Promise<Services> {
  await buildNetwork(host, state, plan, options.io, options.signal);
  const idle = buildLattice(host, plan, options.idleTimeoutMs ?? 350_000);
  const links = `${plan.links.length} Lattice links (kernel NAT, idle timeout ${idle} s)`;
  options.io.info('LS_TWIN_I1100', links, { step: 'links', count: plan.links.length });
  return startServices(host, state, plan, model, { io: options.io, signal: options.signal });
}

/** Brings a twin up; on any failure removes what it made, so nothing is left half-built. */
export async function up(model: InfraModel, options: UpOptions): Promise<TwinSummary> {
  checkTwinName(options.name);
  preflight();
  if (readState(options.name))
    throw new TwinError(
      `twin "${options.name}" is already up (or was left by a crash); run lattice-share down --name ${options.name}`,
      'LS_TWIN_ALREADY_UP',
    );
  // An imported cluster gets a stand-in instance: what the twin runs is that model.
  const { model: twinModel, standIns } = withStandIns(model);
  const plan = planTwin(options.name, twinModel);
  const state: TwinState = {
    name: options.name,
    assembly: options.assembly,
    createdAt: new Date().toISOString(),
    phase: 'starting',
    namespaces: [],
    processes: [],
  };
  writeState(state);
  try {
    keepForFaults(options.name, twinModel, plan);
    const counts = { vpcs: plan.segments.length, enis: plan.nodes.length, links: plan.links.length };
    const span = ioOf(options.io).span('LS_TWIN_I1000', `bringing up twin "${options.name}"`, {
      name: options.name,
      ...counts,
    });
    const services = await realise(systemHost, state, plan, twinModel, { ...options, io: span.io });
    span.end('LS_TWIN_I1001', (ms) => `twin "${options.name}" is up in ${(ms / 1000).toFixed(1)} s`);
    state.phase = 'up';
    state.summary = summarize(plan, twinModel, services, standIns);
    state.nodes = plan.nodes.map((n) => ({ label: n.label, role: n.role, namespace: n.namespace, ip: n.ip }));
    writeState(state);
    return state.summary as TwinSummary;
  } catch (e) {
    // Let a signal that came with the failure reach its handler (it aborts options.signal) before deciding below.
    await new Promise((settled) => setImmediate(settled));
    try {
      down(options.name);
    } catch (cleanup) {
      throw new TwinError(
        `${(e as Error).message}; then removing the half-built twin failed: ${(cleanup as Error).message}; run lattice-share down --name ${options.name}`,
        'LS_TWIN_FAILED',
        { cause: e },
      );
    }
    // Once aborted, whatever failed did so because of the interruption (a tool killed with the process group).
    if (options.signal?.aborted && !(e instanceof InterruptedError))
      throw new InterruptedError(String(options.signal.reason ?? 'aborted'));
    throw e;
  }
}

/**
 * Puts a running twin through a fault, or takes one back (`zone-up`, `restore`), without restarting it: recorded in
 * its state first, so `down` still removes everything.
 */
export async function fault(name: string, action: FaultAction): Promise<FaultsApplied> {
  checkTwinName(name);
  preflight();
  return changeFaults(upState(name), action);
}

/** The state of the twin `name`, which must be up. */
function upState(name: string): TwinState {
  const state = readState(name);
  if (!state || state.phase !== 'up')
    throw new TwinError(`no twin named "${name}" is up; start one with lattice-share up <config>`, 'LS_TWIN_NOT_UP');
  return state;
}

/**
 * The model a running twin runs, as its faults left it (ENIs of zones that are down marked `down`, failovers' writers,
 * shares without revoked accounts, expired invitations gone): what `check --twin` checks.
 */
export function twinModel(name: string): InfraModel {
  checkTwinName(name);
  return currentModel(upState(name));
}

export function status(name: string): TwinSummary & { phase: string; faults: Fault[] } {
  checkTwinName(name);
  const state = readState(name);
  if (!state)
    throw new TwinError(`no twin named "${name}" is up; start one with lattice-share up <config>`, 'LS_TWIN_NOT_UP');
  const summary = (state.summary as TwinSummary | undefined) ?? {
    name,
    workloads: [],
    endpoints: [],
    gateways: [],
    databases: [],
    callers: [],
    skipped: [],
    warnings: [],
  };
  return { ...summary, phase: state.phase, faults: state.faults ?? [] };
}

/** Runs a command inside a workload's namespace and captures what it prints. */
export function execCapture(
  name: string,
  workload: string,
  argv: string[],
  env: NodeJS.ProcessEnv = process.env,
): { code: number; output: string } {
  const ns = workloadNamespace(name, workload);
  const r = spawnSync('ip', ['netns', 'exec', ns, ...argv], { encoding: 'utf8', env });
  if (r.error) throw new TwinError(`cannot run ${argv[0]}: ${r.error.message}`, 'LS_TWIN_TOOL_FAILED');
  return { code: r.status ?? 1, output: `${r.stdout}${r.stderr}`.trim() };
}

function workloadNamespace(name: string, workload: string): string {
  checkTwinName(name);
  const state = readState(name);
  if (!state || state.phase !== 'up')
    throw new TwinError(`no twin named "${name}" is up; start one with lattice-share up <config>`, 'LS_TWIN_NOT_UP');
  const node = state.nodes?.find((n) => n.role === 'instance' && n.label === workload);
  if (!node)
    throw new TwinError(
      `twin "${name}" has no workload "${workload}"; workloads: ${(state.nodes ?? [])
        .filter((n) => n.role === 'instance')
        .map((n) => n.label)
        .join(', ')}`,
      'LS_TWIN_NO_SUCH_PART',
    );
  return node.namespace;
}

/** Runs a command inside a workload's namespace, with its VPC's resolver; returns its exit code. */
export function exec(name: string, workload: string, argv: string[]): number {
  const ns = workloadNamespace(name, workload);
  if (!argv.length)
    throw new TwinError('name a command to run after --, e.g. lattice-share exec app -- psql …', 'LS_USAGE');
  const r = spawnSync('ip', ['netns', 'exec', ns, ...argv], { stdio: 'inherit', env: process.env });
  if (r.error) throw new TwinError(`cannot run ${argv[0]}: ${r.error.message}`, 'LS_TWIN_TOOL_FAILED');
  return r.status ?? (r.signal ? 128 : 1);
}
