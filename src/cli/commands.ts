// The CLI's commands: validate, synth, deploy, destroy.
import { existsSync, mkdtempSync, readdirSync, renameSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, dirname, join, resolve } from 'node:path';
import type { Topology } from '../config/index.js';
import { loadModel, type InfraModel } from '../model/index.js';
import { check, renderReport } from '../check/index.js';
import { LatticeShareError } from '../shared/errors.js';
import { cliHost } from './host.js';
import { EXIT, Interrupted, note, report, say, UsageError, withInterrupts } from './output.js';
import { fileURLToPath } from 'node:url';

type Opts = Record<string, string | boolean | string[] | undefined>;

// Boxes are loaded by the commands that use them: `check` on an assembly needs neither YAML nor the twin (nor CDK).
const config = () => import('../config/index.js');
const twin = () => import('../twin/index.js');
const app = () => import('../app/index.js');
const deploy = () => import('../deploy/index.js');

export interface Command {
  readonly usage: string;
  readonly summary: string;
  readonly options: Record<string, { type: 'string' | 'boolean'; help: string; multiple?: boolean }>;
  run(args: string[], opts: Opts): Promise<number>;
}

const JSON_OPT = { type: 'boolean', help: 'print the result as JSON on stdout' } as const;
const OUT_OPT = {
  type: 'string',
  help: 'where to keep the cloud assembly synthesized from a config (default: a temporary folder, removed after)',
} as const;
const DEPLOY_OUT_OPT = {
  type: 'string',
  help: 'where to write the cloud assembly synthesized from a config (default: cdk.out)',
} as const;
/** Bounds of --idle-timeout: conntrack takes up to 5 days; AWS's own is 350 s. */
const MAX_IDLE_S = 432_000;
const NAME_OPT = {
  type: 'string',
  help: "the twin's name, so several can run side by side (default: default)",
} as const;
/** The twin's name from --name, checked before anything is touched (a usage error, exit 2, when it is not a name). */
const twinName = async (opts: Opts): Promise<string> =>
  (await twin()).checkTwinName((opts.name as string | undefined) ?? 'default');

function oneArg(args: string[], what: string): string {
  if (args.length !== 1) throw new UsageError(`expected one ${what}, got ${args.length ? args.join(' ') : 'none'}`);
  return args[0]!;
}

function summary(t: Topology): string {
  const n = (xs: unknown[], w: string) => `${xs.length} ${w}${xs.length === 1 ? '' : 's'}`;
  return [
    n(t.accounts, 'account'),
    n(t.networks, 'network'),
    n(t.resources, 'resource'),
    n(t.shares, 'share'),
    n(t.serviceNetworks, 'service network'),
    n(t.consumers, 'consumer'),
    n(t.callers, 'caller'),
    n(t.workloads, 'workload'),
  ]
    .filter((x) => !/^0 (service network|caller)s$/.test(x))
    .join(', ');
}

/** Synthesizes into a fresh directory beside `out`, then swaps it in: a failed synth leaves `out` as it was. */
export async function synthesize(t: Topology, out: string, nag: boolean): Promise<string> {
  const { buildApp } = await app();
  return replaceDir(out, async (tmp) => {
    buildApp(t, { outdir: tmp, nag }).app.synth();
  });
}

/**
 * Produces a cloud assembly in a temporary sibling of `out`, then swaps it in; a failure or Ctrl-C leaves no sibling.
 */
async function replaceDir(out: string, produce: (tmp: string) => Promise<void>): Promise<string> {
  const target = resolve(out);
  if (
    existsSync(target) &&
    (!statSync(target).isDirectory() || (readdirSync(target).length && !existsSync(join(target, 'manifest.json'))))
  ) {
    throw new UsageError(`${out} exists and is not a cloud assembly; choose another --out`);
  }
  const tmp = mkdtempSync(join(dirname(target), `.${basename(target)}.tmp-`));
  try {
    await produce(tmp);
  } catch (e) {
    rmSync(tmp, { recursive: true, force: true });
    throw e;
  }
  rmSync(target, { recursive: true, force: true });
  renameSync(tmp, target);
  return target;
}

/** An assembly to read, and what to remove once the command is done with it. */
interface Assembly {
  readonly dir: string;
  readonly cleanup: () => void;
}

/** A directory given as input must be a cloud assembly: anything else is a usage error, not a failure. */
function givenAssembly(input: string): Assembly | undefined {
  if (!existsSync(input) || !statSync(input).isDirectory()) return undefined;
  if (!existsSync(join(input, 'manifest.json'))) {
    const config = join(input, 'lattice-share.yaml');
    throw new UsageError(
      `${input} is a folder without manifest.json, so not a cloud assembly; ${existsSync(config) ? `did you mean ${config}?` : 'pass a lattice-share.yaml or a synthesized cdk.out folder'}`,
    );
  }
  return { dir: input, cleanup: () => {} };
}

/**
 * A cloud assembly directory as given, or a config synthesized in a child process (this one stays small, so what
 * follows, the twin's hundreds of forks, stays cheap): into `--out` when given (`fallbackOut` for deploy), else a
 * temporary folder removed by `cleanup`. Ctrl-C (the signal) stops the synth and leaves no partial folder.
 */
async function assemblyOf(
  input: string,
  opts: Opts,
  nag: boolean,
  signal?: AbortSignal,
  fallbackOut?: string,
): Promise<Assembly> {
  const given = givenAssembly(input);
  if (given) return given;
  (await config()).loadConfig(input); // a broken config reports file:line:column here
  const { synthesizeIsolated } = await app();
  const produce = async (tmp: string) => {
    const synth = await synthesizeIsolated(input, tmp, nag, signal);
    if (synth.interrupted) throw new Interrupted('interrupted during synth; nothing was made');
    if (!synth.ok) throw new LatticeShareError('LS_SYNTH_FAILED', `synth failed: ${synth.errors}`);
  };
  const out = (opts.out as string | undefined) ?? fallbackOut;
  if (out) {
    const dir = await replaceDir(out, produce);
    note(`lattice-share: synthesized ${input} into ${dir}`);
    return { dir, cleanup: () => {} };
  }
  const dir = mkdtempSync(join(tmpdir(), 'lattice-share-assembly-'));
  const cleanup = () => rmSync(dir, { recursive: true, force: true });
  try {
    await produce(dir);
  } catch (e) {
    cleanup();
    throw e;
  }
  return { dir, cleanup };
}

/** status with no twin named: the twins that are up, or an error when there is none. */
function listUp(names: string[], json: boolean): number {
  if (json) say(JSON.stringify({ ok: names.length > 0, twins: names }, null, 2));
  else if (!names.length) note('lattice-share: no twin is up; start one with lattice-share up <config>');
  else {
    say(`no twin named "default"; twins up: ${names.join(', ')}`);
    for (const n of names) say(`  lattice-share status --name ${n}`);
  }
  return names.length ? EXIT.ok : EXIT.failed;
}

/** One line that lists the resource types the model skipped. */
function unmodelledLine(m: InfraModel): string | undefined {
  const types = Object.entries(m.unmodelled);
  return types.length
    ? `not modelled (no effect on reachability assumed): ${types.map(([t, n]) => `${t} ×${n}`).join(', ')}`
    : undefined;
}

/** The plan and a toolkit deployer for a config (synthesized first) or a cloud assembly directory. */
async function prepare(input: string, opts: Opts) {
  const { dir } = await assemblyOf(input, opts, true, undefined, 'cdk.out');
  const { planFromAssembly, toolkitDeployer } = await deploy();
  const plan = planFromAssembly(dir);
  const deployer = await toolkitDeployer({ assemblyDir: dir });
  return { plan, deployer };
}

export const commands: Record<string, Command> = {
  validate: {
    usage: 'lattice-share validate <config> [--json]',
    summary: 'check a lattice-share.yaml and report every problem with file:line:column',
    options: { json: JSON_OPT },
    async run(args, opts) {
      const file = oneArg(args, 'config file');
      const t = (await config()).loadConfig(file);
      if (opts.json)
        say(
          JSON.stringify(
            {
              ok: true,
              file,
              accounts: t.accounts.length,
              networks: t.networks.length,
              resources: t.resources.length,
              shares: t.shares.length,
              consumers: t.consumers.length,
              workloads: t.workloads.length,
            },
            null,
            2,
          ),
        );
      else say(`${file}: valid (${summary(t)})`);
      return 0;
    },
  },
  synth: {
    usage: 'lattice-share synth <config> [--out DIR] [--skip-nag] [--json]',
    summary:
      'write a CDK cloud assembly: owner stacks for accounts that share, consumer stacks for accounts that consume',
    options: {
      out: { type: 'string', help: 'where to write the cloud assembly (default: cdk.out)' },
      'skip-nag': { type: 'boolean', help: 'do not run the cdk-nag AwsSolutions checks' },
      json: JSON_OPT,
    },
    async run(args, opts) {
      const t = (await config()).loadConfig(oneArg(args, 'config file'));
      const dir = await synthesize(t, (opts.out as string | undefined) ?? 'cdk.out', !opts['skip-nag']);
      const { planFromAssembly } = await deploy();
      const plan = planFromAssembly(dir);
      if (opts.json) say(JSON.stringify({ ok: true, assembly: dir, stacks: plan }, null, 2));
      else {
        say(`wrote ${dir}`);
        for (const [i, s] of plan.entries())
          say(
            `  ${i + 1}. ${s.name}  account ${s.account}  ${s.region}${s.dependsOn.length ? `  after ${s.dependsOn.join(', ')}` : ''}`,
          );
      }
      return 0;
    },
  },
  inspect: {
    usage: 'lattice-share inspect <config | assembly dir> [--out DIR] [--json]',
    summary:
      'show what the templates would create: networks, addresses, gateways, configurations, shares, service networks, endpoints, DNS names, API callers',
    options: { out: OUT_OPT, json: JSON_OPT },
    async run(args, opts) {
      const assembly = await assemblyOf(oneArg(args, 'config file or assembly directory'), opts, false);
      let m: InfraModel;
      try {
        m = loadModel(assembly.dir);
      } finally {
        assembly.cleanup();
      }
      if (opts.json) {
        say(JSON.stringify(m, null, 2));
        return 0;
      }
      const ip = (id: string) => m.enis.find((e) => e.id === id)?.ip ?? '?';
      for (const v of m.vpcs) say(`vpc ${v.id} ${v.cidr ?? '?'} account ${v.account}${v.created ? '' : ' (existing)'}`);
      for (const i of m.instances) say(`instance ${i.name} ${i.id} ${ip(i.eniId)}`);
      for (const d of m.databases)
        say(
          `database ${d.id} ${d.engine}:${d.port} writer ${d.writerName} ${d.eniIds.map(ip).join(' ') || '(existing, placement unknown)'}`,
        );
      for (const g of m.gateways) say(`gateway ${g.name} ${g.id} ${g.eniIds.map(ip).join(' ')}`);
      for (const c of m.configurations)
        say(
          `configuration ${c.name} ${c.type} ${c.id}${c.definition ? ` → ${Object.values(c.definition)[0]}` : ''}${c.portRanges.length ? ` ports ${c.portRanges.join(',')}` : ''}`,
        );
      for (const s of m.shares)
        say(
          `share ${s.name} with ${s.principals.map((p) => p.id).join(', ')}${s.allowExternalPrincipals ? ' (external allowed)' : ''}`,
        );
      for (const a of m.acceptances) say(`invitation accepted by ${a.account} for ${a.shareArn}`);
      for (const n of m.serviceNetworks)
        say(`service network ${n.name} ${n.id} account ${n.account}${n.sharable ? ' (sharable)' : ''}`);
      for (const a of m.resourceAssociations)
        say(
          `resource association ${a.id} ${a.configuration} in ${a.serviceNetwork}${a.privateDns ? ' private DNS' : ''}`,
        );
      const kinds = {
        Resource: 'endpoint',
        ServiceNetwork: 'service-network endpoint',
        VpcAssociation: 'service-network VPC association',
      } as const;
      for (const e of m.endpoints) {
        say(
          `${kinds[e.type]} ${e.id} in ${e.vpcId} ${e.associations.flatMap((a) => a.ips).join(' ') || e.eniIds.map(ip).join(' ')} private DNS ${e.privateDns ? 'on' : 'off'}`,
        );
        for (const a of e.associations)
          say(`  ${a.dnsName}${a.privateDnsName ? `\n  ${a.privateDnsName} (private DNS)` : ''}`);
      }
      for (const r of m.records)
        say(
          `record ${r.name} → ${r.addresses.join(' ')}${r.vpcIds ? ` (private zone of ${r.vpcIds.join(', ')})` : ''}`,
        );
      for (const c of m.connections)
        say(
          `connection ${c.name} ${c.authorization}${c.configurationArn ? ` → ${c.configurationArn.split('/').pop()}` : ' (public)'}`,
        );
      for (const c of m.calls)
        say(
          `${c.kind === 'api-destination' ? 'API destination' : 'HTTP task'} ${c.name}: ${c.method} ${c.url || '(computed at run time)'}`,
        );
      const skipped = unmodelledLine(m);
      if (skipped) note(`lattice-share: ${skipped}`);
      for (const w of m.warnings) note(`lattice-share: warning: ${w}`);
      return 0;
    },
  },
  check: {
    usage: 'lattice-share check <config | assembly dir> [--expect "A -> B"]… [--strict] [--hops] [--out DIR] [--json]',
    summary: 'explain, hop by hop, which clients reach which shared resources and why not; lint what AWS would reject',
    options: {
      expect: {
        type: 'string',
        multiple: true,
        help: '"CLIENT -> TARGET[:PORT]" must reach, "CLIENT !-> TARGET[:PORT]" must not (repeatable)',
      },
      hops: { type: 'boolean', help: 'print every hop of every path, not only the one that decides' },
      strict: {
        type: 'boolean',
        help: 'fail also when an expectation rests on paths the templates cannot settle (UNKNOWN)',
      },
      out: OUT_OPT,
      json: JSON_OPT,
    },
    async run(args, opts) {
      let model: InfraModel;
      try {
        const assembly = await assemblyOf(oneArg(args, 'config file or assembly directory'), opts, false);
        try {
          model = loadModel(assembly.dir);
        } finally {
          assembly.cleanup();
        }
      } catch (e) {
        // Unreadable input is a usage problem (2), apart from "checked and found broken" (1).
        report(e, !!opts.json);
        return EXIT.usage;
      }
      const result = check(model, { expect: (opts.expect as string[] | undefined) ?? [], strict: !!opts.strict });
      if (opts.json) say(JSON.stringify(result, null, 2));
      else say(renderReport(result, { hops: !!opts.hops }));
      return result.ok ? EXIT.ok : EXIT.failed;
    },
  },
  up: {
    usage: 'lattice-share up <config | assembly dir> [--name N] [--idle-timeout S] [--out DIR] [--json]',
    summary: 'run the system on this machine: a namespace per ENI, security groups in nftables (needs root)',
    options: {
      name: NAME_OPT,
      out: OUT_OPT,
      'idle-timeout': {
        type: 'string',
        help: 'seconds after which the Lattice hop closes idle connections (default: 350, as AWS)',
      },
      json: JSON_OPT,
    },
    async run(args, opts) {
      const input = oneArg(args, 'config file or assembly directory');
      const name = await twinName(opts);
      const idle = opts['idle-timeout'] === undefined ? undefined : Number(opts['idle-timeout']);
      if (idle !== undefined && !(Number.isInteger(idle) && idle >= 1 && idle <= MAX_IDLE_S)) {
        throw new UsageError(
          `--idle-timeout takes a whole number of seconds from 1 to ${MAX_IDLE_S}, not "${String(opts['idle-timeout'])}"`,
        );
      }
      const { summary, seconds } = await withInterrupts(async (signal) => {
        const assembly = await assemblyOf(input, opts, false, signal);
        try {
          const model = loadModel(assembly.dir);
          const skipped = unmodelledLine(model);
          if (skipped) note(`lattice-share: ${skipped}`);
          const t0 = Date.now();
          const up = await (
            await twin()
          ).up(model, {
            name,
            assembly: resolve(input),
            io: cliHost,
            idleTimeoutMs: idle && idle * 1000,
            signal,
          });
          return { summary: up, seconds: (Date.now() - t0) / 1000 };
        } catch (e) {
          if (LatticeShareError.isLatticeShareError(e) && e.code === 'LS_INTERRUPTED')
            throw new Interrupted(`interrupted; twin "${name}" was taken down (nothing is left)`);
          throw e;
        } finally {
          assembly.cleanup();
        }
      }, `run lattice-share down --name ${name} to remove what is left`);
      if (opts.json) {
        say(JSON.stringify(summary, null, 2));
        return 0;
      }
      say(`twin "${summary.name}" is up in ${seconds.toFixed(1)} s`);
      for (const w of summary.workloads)
        say(
          `  workload ${w.name.padEnd(12)} ${w.ip}   lattice-share exec --name ${summary.name} ${w.name} -- <command>`,
        );
      for (const e of summary.endpoints)
        say(`  endpoint ${e.name} ${e.ips.join(' ')}\n    ${e.dnsNames.join('\n    ')}`);
      for (const d of summary.databases)
        if (d.passwordFile)
          say(`  database ${d.writer}:${d.port} user ${d.user} database ${d.database}; password in ${d.passwordFile}`);
      for (const c of summary.callers)
        say(
          `  ${c.kind === 'api-destination' ? 'API destination' : 'HTTP task'} ${c.name}: ${c.method} ${c.url}   lattice-share invoke --name ${summary.name} ${c.name}`,
        );
      for (const s of summary.skipped) note(`lattice-share: warning: not in the twin: ${s}`);
      for (const w of summary.warnings) note(`lattice-share: warning: ${w}`);
      return 0;
    },
  },
  status: {
    usage: 'lattice-share status [--name N] [--json]',
    summary: 'what a twin runs: workloads, endpoints and their names, gateways, databases',
    options: { name: NAME_OPT, json: JSON_OPT },
    async run(args, opts) {
      if (args.length) throw new UsageError(`status takes no arguments, got ${args.join(' ')}`);
      const name = await twinName(opts);
      const { listTwins, readState, status } = await twin();
      if (opts.name === undefined && !readState(name)) return listUp(listTwins(), !!opts.json);
      const s = status(name);
      if (opts.json) {
        say(JSON.stringify(s, null, 2));
        return 0;
      }
      say(`twin "${s.name}": ${s.phase}`);
      for (const w of s.workloads) say(`  workload ${w.name} ${w.ip} (${w.vpc})`);
      for (const e of s.endpoints) say(`  endpoint ${e.name} → ${e.resource}: ${e.ips.join(' ')}`);
      for (const g of s.gateways) say(`  gateway ${g.name}: ${g.ips.join(' ')}`);
      for (const d of s.databases) say(`  database ${d.name}: ${d.writer}:${d.port} ${d.ips.join(' ')}`);
      for (const c of s.callers ?? [])
        say(
          `  ${c.kind === 'api-destination' ? 'API destination' : 'HTTP task'} ${c.name}: ${c.method} ${c.url} (connection ${c.connection})`,
        );
      return 0;
    },
  },
  exec: {
    usage: 'lattice-share exec [--name N] <workload> -- <command…>',
    summary: "run a command inside a workload's namespace, with its VPC's resolver; exits with its exit code",
    options: { name: NAME_OPT },
    async run(args, opts) {
      const [workload, ...argv] = args;
      if (!workload || !argv.length)
        throw new UsageError('name a workload, then -- and a command, e.g. lattice-share exec app -- psql …');
      return (await twin()).exec(await twinName(opts), workload, argv);
    },
  },
  invoke: {
    usage:
      'lattice-share invoke [--name N] <destination | task | connection> [--path P] [--data JSON] [--timeout S] [--json]',
    summary:
      "send a request as EventBridge or Step Functions would (HTTPS, through the connection's configuration) and print the answer",
    options: {
      name: NAME_OPT,
      path: { type: 'string', help: "the path (and query) to call instead of the caller's own, e.g. /orders/42" },
      data: { type: 'string', help: 'the JSON body to send (default: {}; GET and DELETE send none)' },
      timeout: {
        type: 'string',
        help: "seconds to wait for the answer (default: 5, EventBridge's limit for API destinations)",
      },
      json: JSON_OPT,
    },
    async run(args, opts) {
      const target = oneArg(args, 'API destination, HTTP task or connection name');
      const name = await twinName(opts);
      const timeout = opts.timeout === undefined ? undefined : Number(opts.timeout);
      if (timeout !== undefined && !(timeout > 0)) throw new UsageError('--timeout takes a number of seconds above 0');
      if (opts.data !== undefined) {
        try {
          JSON.parse(opts.data as string);
        } catch {
          throw new UsageError('--data must be JSON, e.g. --data \'{"order": 42}\'');
        }
      }
      const r = (await twin()).invoke(name, target, {
        path: opts.path as string | undefined,
        data: opts.data as string | undefined,
        timeoutMs: timeout && timeout * 1000,
      });
      const ok = r.status !== undefined && r.status >= 200 && r.status < 300;
      if (opts.json) say(JSON.stringify({ ok, ...r }, null, 2));
      else if (r.status !== undefined) say(`${r.method} ${r.url} → HTTP ${r.status}\n${r.body ?? ''}`);
      else note(`lattice-share: ${r.method} ${r.url} failed: ${r.error}`);
      return ok ? EXIT.ok : EXIT.failed;
    },
  },
  down: {
    usage: 'lattice-share down [--name N] [--json]',
    summary: 'remove every namespace, process and file of a twin, also after a crash; safe to repeat',
    options: { name: NAME_OPT, json: JSON_OPT },
    async run(args, opts) {
      if (args.length) throw new UsageError(`down takes no arguments, got ${args.join(' ')}`);
      const name = await twinName(opts);
      const r = (await twin()).down(name);
      if (opts.json) say(JSON.stringify({ ok: true, ...r }, null, 2));
      else say(`twin "${name}" is down (${r.namespaces} namespaces, ${r.processes} processes removed)`);
      return 0;
    },
  },
  demo: {
    usage: 'lattice-share demo [config] [--name N] [--json]',
    summary: 'npm start: bring the seed up in the twin, check it from the consumer EC2 with psql, take it down',
    options: { name: NAME_OPT, json: JSON_OPT },
    async run(args, opts) {
      if (args.length > 1) throw new UsageError(`demo takes at most one config, got ${args.join(' ')}`);
      const config = args[0] ?? fileURLToPath(new URL('../../../examples/seed/lattice-share.yaml', import.meta.url));
      const name = (await twin()).checkTwinName((opts.name as string | undefined) ?? 'seed-demo');
      const { runSeedDemo, table } = await import('../demo/index.js');
      const checks = await withInterrupts(async (signal) => {
        try {
          return await runSeedDemo({ config, name, io: cliHost, signal });
        } catch (e) {
          if (LatticeShareError.isLatticeShareError(e) && e.code === 'LS_INTERRUPTED')
            throw new Interrupted(`interrupted; the demo's twin "${name}" was taken down (nothing is left)`);
          throw e;
        }
      }, `run lattice-share down --name ${name} to remove what is left`);
      const passed = checks.filter((c) => c.passed).length;
      if (opts.json) say(JSON.stringify({ ok: passed === checks.length, checks }, null, 2));
      else say(`\n${table(checks)}\n\n${passed}/${checks.length} checks passed; the twin is down`);
      return passed === checks.length ? 0 : 1;
    },
  },
  deploy: {
    usage: 'lattice-share deploy <config | assembly dir> [--out DIR] [--json]',
    summary: "deploy the owner stacks, then the consumer stacks with the owners' outputs (uses your AWS credentials)",
    options: { out: DEPLOY_OUT_OPT, json: JSON_OPT },
    async run(args, opts) {
      const { plan, deployer } = await prepare(oneArg(args, 'config file or assembly directory'), opts);
      const { deployAll } = await deploy();
      const outputs = await deployAll(plan, deployer, cliHost);
      if (opts.json) say(JSON.stringify({ ok: true, outputs: Object.fromEntries(outputs) }, null, 2));
      else
        for (const [stack, out] of outputs) {
          say(stack);
          for (const [k, v] of Object.entries(out)) say(`  ${k} = ${v}`);
        }
      return 0;
    },
  },
  destroy: {
    usage: 'lattice-share destroy <config | assembly dir> --yes [--out DIR] [--json]',
    summary: 'remove every stack, consumers first (uses your AWS credentials)',
    options: {
      yes: { type: 'boolean', help: 'confirm: destroy removes the stacks and what they created' },
      out: DEPLOY_OUT_OPT,
      json: JSON_OPT,
    },
    async run(args, opts) {
      const input = oneArg(args, 'config file or assembly directory');
      if (!opts.yes) throw new UsageError('destroy removes every stack of the config; add --yes to confirm');
      const { plan, deployer } = await prepare(input, opts);
      const { destroyAll } = await deploy();
      await destroyAll(plan, deployer, cliHost);
      if (opts.json) say(JSON.stringify({ ok: true, destroyed: [...plan].reverse().map((s) => s.name) }, null, 2));
      else say(`destroyed ${plan.length} stacks`);
      return 0;
    },
  },
};
