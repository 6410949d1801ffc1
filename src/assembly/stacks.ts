// What every input becomes, whoever wrote its templates: stacks with their account, Region, template, parameter
// hand-offs and given parameter values, in deploy order; and the error for an input that cannot be read.
import { LatticeShareError } from '../shared/errors.js';

/** Template metadata key under which a consumer stack lists where its parameters come from. */
export const INPUTS_METADATA = 'lattice-share:inputs';
/** The `kind` of a doctor snapshot: what the live accounts were read as (`check FILE` reads it back). */
export const SNAPSHOT_KIND = 'lattice-share-snapshot';

export interface StackInput {
  /** The stack whose output feeds the parameter of the same name. */
  readonly stack: string;
  readonly output: string;
}

export interface Template {
  readonly Resources?: Record<
    string,
    { Type: string; Properties?: Record<string, unknown>; DependsOn?: string | string[]; Condition?: string }
  >;
  readonly Parameters?: Record<string, { Type: string; Default?: unknown }>;
  readonly Outputs?: Record<string, { Value: unknown; Export?: { Name: unknown }; Condition?: string }>;
  readonly Conditions?: Record<string, unknown>;
  readonly Mappings?: Record<string, Record<string, Record<string, unknown>>>;
  readonly Metadata?: Record<string, unknown>;
}

export interface AssemblyStack {
  readonly name: string;
  readonly account: string;
  readonly region: string;
  readonly dependsOn: string[];
  /** The template's file name within the assembly. */
  readonly templateFile: string;
  /** Parameter name → the stack output that feeds it. */
  readonly inputs: Record<string, StackInput>;
  /** Values given for the stack's parameters (a stacks file's, or a manifest's `properties.parameters`). */
  readonly parameters?: Readonly<Record<string, string>>;
  readonly template: Template;
}

/** Thrown when an assembly cannot be read or ordered. */
export class AssemblyError extends LatticeShareError {
  constructor(message: string, options?: { cause?: unknown }) {
    super('LS_ASSEMBLY_INVALID', message, options);
  }
}

/** Stacks in deploy order: after the stacks they depend on and those whose outputs feed their parameters. */
export function orderStacks<T extends Pick<AssemblyStack, 'name' | 'dependsOn' | 'inputs'>>(stacks: T[]): T[] {
  const done = new Set<string>();
  const names = new Set(stacks.map((s) => s.name));
  const out: T[] = [];
  let left = [...stacks];
  while (left.length) {
    const ready = left.filter((s) =>
      [...s.dependsOn, ...Object.values(s.inputs).map((i) => i.stack)].every((d) => done.has(d) || !names.has(d)),
    );
    if (!ready.length)
      throw new AssemblyError(`stacks depend on each other in a cycle: ${left.map((s) => s.name).join(', ')}`);
    for (const s of ready) {
      out.push(s);
      done.add(s.name);
    }
    left = left.filter((s) => !done.has(s.name));
  }
  return out;
}

/** Which output feeds which parameter, as a template's lattice-share:inputs metadata says (none if silent). */
export const inputsOf = (template: Template): Record<string, StackInput> =>
  (template.Metadata?.[INPUTS_METADATA] as Record<string, StackInput> | undefined) ?? {};

/** Parameter values as CloudFormation takes them: strings (numbers and booleans as written). */
export const stringValues = (values: Record<string, unknown>): Record<string, string> =>
  Object.fromEntries(Object.entries(values).map(([key, value]) => [key, String(value)]));
