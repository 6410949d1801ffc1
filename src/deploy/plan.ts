// A deployment plan: the assembly's stacks in order, each with where its parameters come from.
import { readAssembly, type AssemblyStack } from '../assembly/index.js';

export type PlannedStack = Omit<AssemblyStack, 'template'>;

export function planFromAssembly(dir: string): PlannedStack[] {
  return readAssembly(dir).map(({ template: _template, ...stack }) => stack);
}
