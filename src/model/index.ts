// Entry point of the model box: a cloud assembly → the infra model (what would exist once every stack is deployed).
import {
  orderStacks,
  readAssembly,
  readManifest,
  readStackTemplate,
  withTemplate,
  type AssemblyStack,
  type ListedStack,
  type OutsideFacts,
} from '../assembly/index.js';
import { copyWith, hex, Memo } from '../shared/index.js';
import { ModelBuilder, type ParameterValues } from './build.js';
import { LoadError } from './intrinsics.js';
import { applyFacts, zonesFrom } from './facts.js';
import { finishModel } from './providers/index.js';
import { acceptStandInShare, addOutsideConfigurations, standInStacks } from './partners.js';
import type { InfraModel } from './types.js';

export * from './types.js';
export { LoadError } from './intrinsics.js';
export * from './queries.js';
export { privateDnsCovers } from './providers/vpclattice.js';
export { type ParameterValues } from './build.js';
export { SERVICES, type ServiceProvider } from './providers/index.js';

export interface LoadOptions {
  /** Values for parameters that no stack output feeds, by stack name. */
  readonly parameters?: ParameterValues;
  /** What the templates cannot hold (`--facts`). */
  readonly facts?: OutsideFacts;
  /**
   * Stand in for other companies' sides of what our stacks reach by ARN only (for the twin: `up`, `demo`); check
   * never does, and says those sides are not in the templates. @default false
   */
  readonly standIns?: boolean;
}

/** The resource types a model does not read, with their counts, as one line; undefined when there are none. */
export function unmodelledLine(unmodelled: Readonly<Record<string, number>>): string | undefined {
  const types = Object.entries(unmodelled);
  return types.length
    ? `not modelled (no effect on reachability assumed): ${types.map(([t, n]) => `${t} ×${n}`).join(', ')}`
    : undefined;
}

/** Loads every stack of a cloud assembly in deploy order, handing outputs to parameters as `deploy` would. */
export function loadModel(dir: string, options: LoadOptions = {}) {
  // Stand-ins are made from every stack at once; otherwise each template is read just before its stack is built.
  return (!options.standIns && streamedModel(dir, options)) || buildModel(readAssembly(dir), options);
}

/** The model of stacks in deploy order (a cloud assembly's, template files', a stacks file's). */
export function buildModel(given: AssemblyStack[], options: LoadOptions = {}) {
  checkGivenParameters(given, options.parameters ?? {});
  const stacks = options.standIns ? [...standInStacks(given), ...given] : given;
  const b = startModel(stacks, options.facts);
  for (const stack of stacks) addStack(b, stack, options.parameters);
  return finishedModel(b, stacks, options.facts);
}

/**
 * The model of a cloud assembly with each template read just before its stack is built, and dropped after, in the
 * order the manifest's dependencies give: a model of thousands of stacks never holds every template at once. Undefined
 * when that order turns out not to be the deploy order (a template's inputs name a stack the manifest does not make
 * it depend on) or anything fails: loadModel then reads every template first, and fails as that way fails.
 */
function streamedModel(dir: string, options: LoadOptions): InfraModel | undefined {
  try {
    const listed = readManifest(dir);
    const names = new Set(listed.map((s) => s.name));
    const given = options.parameters ?? {};
    if (Object.keys(given).some((name) => !names.has(name))) return undefined;
    const order = orderStacks(listed.map((s) => copyWith(s, { inputs: {} })));
    const b = startModel(order, options.facts);
    const inputs = new Map<string, AssemblyStack['inputs']>();
    for (const next of order) {
      const stack = withTemplate(next, readStackTemplate(dir, next));
      // Inputs from a stack not built yet: the manifest's order is not the deploy order; stop before building on it.
      if (Object.values(stack.inputs).some((input) => names.has(input.stack) && !inputs.has(input.stack)))
        return undefined;
      const values = given[stack.name];
      checkGivenParameters([stack], values ? { [stack.name]: values } : {});
      addStack(b, stack, given);
      inputs.set(stack.name, stack.inputs);
    }
    // The deploy order with every template's inputs known: the order just built in, or start again.
    const deployOrder = orderStacks(listed.map((s) => copyWith(s, { inputs: inputs.get(s.name) ?? {} })));
    if (deployOrder.some((s, i) => s.name !== order[i]?.name)) return undefined;
    return finishedModel(b, order, options.facts);
  } catch {
    return undefined;
  }
}

/** A builder that knows which stacks it will be given, with the zones a facts file names. */
function startModel(stacks: readonly ListedStack[], facts: OutsideFacts | undefined): ModelBuilder {
  const b = new ModelBuilder();
  for (const stack of stacks) b.stores.inputStacks.add(`${stack.name}|${stack.account}|${stack.region}`);
  zonesFrom(b, facts);
  return b;
}

function addStack(b: ModelBuilder, stack: AssemblyStack, given: ParameterValues | undefined): void {
  addOutsideConfigurations(b, stack);
  b.addStack(stack, parameters(b, stack, { ...stack.parameters, ...given?.[stack.name] }));
  acceptStandInShare(b, stack);
}

/** The model once every stack is built: each service's finishing phase, then what a facts file says. */
function finishedModel(b: ModelBuilder, stacks: readonly ListedStack[], facts: OutsideFacts | undefined) {
  const regions = new Map(stacks.map((s) => [s.account, s.region]));
  finishModel(b, (account) => regions.get(account) ?? 'us-east-1');
  applyFacts(b, facts);
  return b.model;
}

/** Values given for a stack or a parameter that does not exist are refused, as CloudFormation refuses them. */
function checkGivenParameters(stacks: AssemblyStack[], given: ParameterValues): void {
  for (const stack of stacks) {
    const declared = Object.keys(stack.template.Parameters ?? {});
    const named = [...Object.keys(stack.parameters ?? {}), ...Object.keys(stack.inputs)];
    const unknown = named.find((name) => !declared.includes(name));
    if (unknown !== undefined)
      throw new LoadError(
        `stack ${stack.name} has no parameter ${unknown} (given a value or an output); its parameters: ${declared.join(', ') || 'none'}`,
      );
  }
  for (const [stackName, values] of Object.entries(given)) {
    const stack = stacks.find((s) => s.name === stackName);
    if (!stack)
      throw new LoadError(
        `a parameter value is given for stack ${stackName}, which is not among these stacks (${stacks.map((s) => s.name).join(', ')})`,
      );
    const declared = Object.keys(stack.template.Parameters ?? {});
    for (const name of Object.keys(values))
      if (!declared.includes(name))
        throw new LoadError(
          `stack ${stackName} has no parameter ${name}; its parameters: ${declared.join(', ') || 'none'}`,
        );
  }
}

/** The stand-in value of an SSM parameter, by its name (stacks of one app share the names: made once each). */
const ssmPlaceholders = new Memo<[string, boolean], string>();
const ssmPlaceholder = (name: string, image: boolean) =>
  ssmPlaceholders.get([name, image], () => (image ? `ami-${hex(name, 17)}` : `ssm-${hex(name, 8)}`));

function parameters(b: ModelBuilder, stack: AssemblyStack, given: Record<string, string>): Record<string, string> {
  const out: Record<string, string> = {};
  // An output of a stack not read here (the other company's) leaves the parameter to its value or default.
  const read = (source: string) => !!b.lookup(b.model.stacks, 'name', (s) => s.name, source);
  for (const [name, p] of Object.entries(stack.template.Parameters ?? {})) {
    const input = stack.inputs[name];
    if (name in given) out[name] = given[name]!;
    else if (input && (read(input.stack) || p.Default === undefined)) {
      const value = b.lookup(b.model.stacks, 'name', (s) => s.name, input.stack)?.outputs[input.output];
      if (value === undefined)
        throw new LoadError(
          `${stack.name}: parameter ${name} needs output ${input.output} of stack ${input.stack}, which does not produce it`,
        );
      out[name] = value;
    } else if (p.Type.startsWith('AWS::SSM::Parameter::Value<')) {
      // Resolved by AWS at deploy time; the model needs only a stable placeholder.
      out[name] = ssmPlaceholder(name, /Image::Id/.test(p.Type));
    } else if (p.Default !== undefined) out[name] = String(p.Default);
    else
      throw new LoadError(
        `${stack.name}: parameter ${name} has no value and no default; give it one: --parameters ${stack.name}:${name}=VALUE`,
      );
  }
  return out;
}
