// What the CLI's commands share: their shape, common options, and how a config or an assembly becomes an assembly.
import {
  existsSync,
  mkdtempSync,
  readdirSync,
  realpathSync,
  renameSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, dirname, join, resolve } from 'node:path';
import type { Topology } from '../../config/index.js';
import type { AssemblyStack, StackInput } from '../../assembly/index.js';
import type { InfraModel } from '../../model/index.js';
import { LatticeShareError } from '../../shared/errors.js';
import { notOwnFile } from '../../shared/files.js';
import { Interrupted, note, UsageError } from '../output.js';

export type Opts = Record<string, string | boolean | string[] | undefined>;

// Boxes are loaded by the commands that use them: `check` on an assembly needs neither YAML nor the twin (nor CDK).
export const config = () => import('../../config/index.js');
export const twin = () => import('../../twin/index.js');
export const app = () => import('../../app/index.js');
export const deploy = () => import('../../deploy/index.js');

export interface Command {
  readonly usage: string;
  readonly summary: string;
  readonly options: Record<string, { type: 'string' | 'boolean'; help: string; multiple?: boolean }>;
  run(args: string[], opts: Opts): Promise<number>;
}

export const JSON_OPT = { type: 'boolean', help: 'print the result as JSON on stdout' } as const;
export const OUT_OPT = {
  type: 'string',
  help: 'where to keep the cloud assembly synthesized from a config (default: a temporary folder, removed after)',
} as const;
export const DEPLOY_OUT_OPT = {
  type: 'string',
  help: 'where to write the cloud assembly synthesized from a config (default: cdk.out)',
} as const;
/** Bounds of --idle-timeout: conntrack takes up to 5 days; AWS's own is 350 s. */
export const MAX_IDLE_S = 432_000;
/** --idle-timeout, of `up`: how long the Lattice hop keeps an idle connection. */
export const IDLE_TIMEOUT_OPT = {
  type: 'string',
  help: 'seconds after which the Lattice hop closes idle connections (default: 350, as AWS)',
} as const;
export const NAME_OPT = {
  type: 'string',
  help: "the twin's name, so several can run side by side (default: default)",
} as const;
/** The twin's name from --name, checked before anything is touched (a usage error, exit 2, when it is not a name). */
export const twinName = async (opts: Opts): Promise<string> =>
  (await twin()).checkTwinName((opts.name as string | undefined) ?? 'default');

/** A command on one twin that takes no arguments: --name and --json, and the twin's name checked before `run`. */
export function twinCommand(
  commandName: string,
  definition: { usage: string; summary: string; run(name: string, opts: Opts): Promise<number> },
): Command {
  return {
    usage: definition.usage,
    summary: definition.summary,
    options: { name: NAME_OPT, json: JSON_OPT },
    async run(args, opts) {
      if (args.length) throw new UsageError(`${commandName} takes no arguments, got ${args.join(' ')}`);
      return definition.run(await twinName(opts), opts);
    },
  };
}

/** The seconds an option gives (undefined when it is not given); a usage error saying `rule` when `valid` refuses. */
export function secondsOpt(
  opts: Opts,
  key: string,
  valid: (seconds: number) => boolean,
  rule: string,
): number | undefined {
  const seconds = opts[key] === undefined ? undefined : Number(opts[key]);
  if (seconds !== undefined && !valid(seconds)) throw new UsageError(rule);
  return seconds;
}

/** --outputs, of handoff and reinvite: what deploy wrote, for the owner's values. */
export const OUTPUTS_OPT = {
  type: 'string',
  help: "the owner stacks' deployed outputs (deploy writes <assembly>/outputs.json): the owner's values, the share's ARN",
} as const;

/** --parameters, of the commands that read templates: values for parameters no output or default feeds. */
export const PARAMETERS_OPT = {
  type: 'string',
  multiple: true,
  help: 'STACK:KEY=VALUE, a value for a template parameter (repeatable)',
} as const;

/** --facts, of the commands that read templates: what the templates cannot hold. */
export const FACTS_OPT = {
  type: 'string',
  help: 'a facts file: accounts in the organization and OUs, invitations accepted, listeners, zone IDs',
} as const;

/** What check, inspect and up take. */
export const INPUT_USAGE =
  '<config | assembly dir | template@ACCOUNT/REGION… | stacks file> [--parameters STACK:KEY=VALUE]… [--facts FILE]';
const ACCEPTED =
  'a lattice-share.yaml, a cloud assembly folder (with manifest.json), template files as FILE@ACCOUNT/REGION ' +
  '(e.g. owner.yaml@111111111111/us-east-1), or a stacks file (README: "Templates lattice-share did not write")';

/** --parameters as values by stack, each checked for its shape. */
export function parameterValues(opts: Opts): Record<string, Record<string, string>> {
  const out: Record<string, Record<string, string>> = {};
  for (const given of (opts.parameters as string[] | undefined) ?? []) {
    const [, stack, key, value] = /^([A-Za-z][A-Za-z0-9-]*):([A-Za-z0-9]+)=(.*)$/s.exec(given) ?? [];
    if (stack === undefined || key === undefined || value === undefined)
      throw new UsageError(`--parameters takes STACK:KEY=VALUE (e.g. consumer:DbPort=5432), not "${given}"`);
    (out[stack] ??= {})[key] = value;
  }
  return out;
}

/** `@STACK.OUTPUT`: a --parameters value that is another stack's output. */
const OUTPUT_REF = /^@([A-Za-z][A-Za-z0-9-]*)\.([A-Za-z0-9]+)$/;

/**
 * Template files have no place to say which output feeds which parameter: `--parameters app:ConfigArn=@owner.Arn` does
 * (the value `@STACK.OUTPUT` is that stack's output). The stacks with those inputs, and the values left.
 */
function withOutputInputs(
  stacks: AssemblyStack[],
  given: Record<string, Record<string, string>>,
): { stacks: AssemblyStack[]; parameters: Record<string, Record<string, string>> } {
  const parameters: Record<string, Record<string, string>> = {};
  const withInputs = stacks.map((stack) => {
    const inputs: Record<string, StackInput> = {};
    for (const [key, value] of Object.entries(given[stack.name] ?? {})) {
      const [, source, output] = OUTPUT_REF.exec(value) ?? [];
      if (source !== undefined && output !== undefined) inputs[key] = { stack: source, output };
      else (parameters[stack.name] ??= {})[key] = value;
    }
    return Object.keys(inputs).length ? { ...stack, inputs: { ...stack.inputs, ...inputs } } : stack;
  });
  for (const name of Object.keys(given))
    if (!stacks.some((stack) => stack.name === name)) parameters[name] = given[name]!;
  return { stacks: withInputs, parameters };
}

/** An output reference outside template files is refused: a stacks file says it with `inputs`. */
function refuseOutputRefs(parameters: Record<string, Record<string, string>>): void {
  for (const [stack, values] of Object.entries(parameters))
    for (const [key, value] of Object.entries(values))
      if (OUTPUT_REF.test(value))
        throw new UsageError(
          `--parameters ${stack}:${key}=${value}: @STACK.OUTPUT takes an output with template files; a stacks file says it with inputs`,
        );
}

/**
 * The model of what the command line names: a config (synthesized), an assembly folder, template files each with its
 * account and Region, or a stacks file; with --parameters. `label` says where it came from (for the twin's state).
 */
export async function modelOf(
  args: string[],
  opts: Opts,
  signal?: AbortSignal,
  standIns = false,
): Promise<{ model: InfraModel; label: string }> {
  const [input] = args;
  if (input === undefined) throw new UsageError(`expected what to read: ${ACCEPTED}`);
  const parameters = parameterValues(opts);
  const { buildModel, loadModel } = await import('../../model/index.js');
  const assembly = await import('../../assembly/index.js');
  const facts = typeof opts.facts === 'string' ? assembly.readFactsFile(opts.facts) : undefined;
  if (args.length > 1 || (input.includes('@') && !existsSync(input))) {
    const given = withOutputInputs(assembly.readTemplateFiles(args), parameters);
    const stacks = assembly.orderStacks(given.stacks);
    return {
      model: buildModel(stacks, { parameters: given.parameters, facts, standIns }),
      label: args.map((spec) => resolve(spec)).join(' '),
    };
  }
  refuseOutputRefs(parameters);
  const kind = assembly.whatFileIs(input);
  if (kind === 'snapshot')
    return { model: (await import('../../model/live/index.js')).readSnapshot(input), label: resolve(input) };
  if (kind === 'stacks')
    return {
      model: buildModel(assembly.readStacksFile(input), { parameters, facts, standIns }),
      label: resolve(input),
    };
  if (kind === 'template')
    throw new UsageError(
      `${input} is a CloudFormation template: give its account and Region, as ${input}@111111111111/us-east-1 (one per template), or list the templates in a stacks file`,
    );
  const given = await assemblyOf(input, opts, false, signal);
  try {
    return { model: loadModel(given.dir, { parameters, facts, standIns }), label: resolve(input) };
  } finally {
    given.cleanup();
  }
}

export function oneArg(args: string[], what: string): string {
  if (args.length !== 1) throw new UsageError(`expected one ${what}, got ${args.length ? args.join(' ') : 'none'}`);
  return args[0]!;
}

export function summary(t: Topology): string {
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

/**
 * Produces a cloud assembly in a temporary sibling of `out`, then swaps it in; a failure or Ctrl-C leaves no sibling.
 */
export async function replaceDir(out: string, produce: (tmp: string) => Promise<void>): Promise<string> {
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

/** The files a command reads (its inputs as given, its --facts file): what an output it writes may not be. */
export const inputFiles = (args: string[], opts: Opts): string[] => [
  ...args,
  ...(typeof opts.facts === 'string' ? [opts.facts] : []),
];

/** The languages of pictures and pages. */
export const LANGS = ['en', 'ja'] as const;

/** A choice among `allowed` (`fallback` when not given), or a usage error naming them: "--lang takes en or ja". */
export function oneOf<T extends string>(option: string, given: unknown, allowed: readonly T[], fallback: T): T {
  if (given === undefined) return fallback;
  if (allowed.includes(given as T)) return given as T;
  const choices = allowed.length > 1 ? `${allowed.slice(0, -1).join(', ')} or ${allowed.at(-1)}` : allowed.join('');
  throw new UsageError(`--${option} takes ${choices}, not "${String(given)}"`);
}

/**
 * The file `option` names, resolved, if it can be written: a usage error (one line) when it is a folder or a link, or
 * one of the command's own input files (`inputs`: an input as given, a template's path before its @, a facts file).
 */
export function outputTarget(out: string, option = '--out', inputs: readonly string[] = []): string {
  const target = resolve(out);
  // The project's one rule for a file it writes over (shared/files.ts): a plain file with no other names.
  if (notOwnFile(target))
    throw new UsageError(
      `${option} ${out} exists and is not a regular file (a folder, a link, or a file with other names); give a file path`,
    );
  if (!existsSync(dirname(target)) || !statSync(dirname(target)).isDirectory())
    throw new UsageError(`${option} ${out}: the folder ${dirname(target)} does not exist`);
  const real = (path: string) => (existsSync(path) ? realpathSync(path) : resolve(path));
  const given = inputs.flatMap((input) => [input, input.split('@')[0] ?? input]).filter(Boolean);
  if (existsSync(target) && given.some((input) => real(input) === real(target)))
    throw new UsageError(`${option} ${out} is one of this command's inputs; give another file to write`);
  return target;
}

/**
 * Writes a file the user named (--out): a new file, or one that is a regular file already (never a folder, a link or a
 * device), written beside it first and renamed into place, so a failure leaves no half-written file.
 */
export function writeOutputFile(out: string, text: string, option = '--out', inputs: readonly string[] = []): string {
  const target = outputTarget(out, option, inputs);
  const tmp = join(dirname(target), `.${basename(target)}.tmp-${process.pid}`);
  let made = false;
  try {
    writeFileSync(tmp, text, { flag: 'wx' }); // never over a file this run did not make
    made = true;
    renameSync(tmp, target);
  } catch (e) {
    if (made) rmSync(tmp, { force: true });
    throw new UsageError(`cannot write ${option} ${out}: ${(e as Error).message}`);
  }
  return target;
}

/** An assembly to read, and what to remove once the command is done with it. */
export interface Assembly {
  readonly dir: string;
  readonly cleanup: () => void;
}

/** A directory given as input must be a cloud assembly: anything else is a usage error, not a failure. */
export function givenAssembly(input: string): Assembly | undefined {
  if (!existsSync(input) || !statSync(input).isDirectory()) return undefined;
  if (!existsSync(join(input, 'manifest.json'))) {
    const config = join(input, 'lattice-share.yaml');
    throw new UsageError(
      `${input} is a folder without manifest.json, so not a cloud assembly; ${existsSync(config) ? `did you mean ${config}?` : `pass ${ACCEPTED}`}`,
    );
  }
  return { dir: input, cleanup: () => {} };
}

/**
 * A cloud assembly directory as given, or a config synthesized in a child process (this one stays small, so what
 * follows, the twin's hundreds of forks, stays cheap): into `--out` when given (`fallbackOut` for deploy), else a
 * temporary folder removed by `cleanup`. Ctrl-C (the signal) stops the synth and leaves no partial folder. An
 * assembly `forDeploy` is checked as `synth` checks it (cdk-nag and the CDK's template validation); one that is only
 * analysed (check, inspect, up) skips both.
 */
export async function assemblyOf(
  input: string,
  opts: Opts,
  forDeploy: boolean,
  signal?: AbortSignal,
  fallbackOut?: string,
): Promise<Assembly> {
  const given = givenAssembly(input);
  if (given) return given;
  (await config()).loadConfig(input); // a broken config reports file:line:column here
  const { synthesizeIsolated } = await app();
  const produce = async (tmp: string) => {
    const synth = await synthesizeIsolated(input, tmp, { nag: forDeploy, validate: forDeploy }, signal);
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

/** One line that lists the resource types the model skipped. */

/** The plan and a toolkit deployer for a config (synthesized first) or a cloud assembly directory. */
export async function prepare(input: string, opts: Opts) {
  const { dir } = await assemblyOf(input, opts, true, undefined, 'cdk.out');
  const { planFromAssembly, toolkitDeployer } = await deploy();
  const plan = planFromAssembly(dir);
  const deployer = await toolkitDeployer({ assemblyDir: dir });
  return { plan, deployer, dir };
}
