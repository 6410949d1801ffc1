// A deployment plan: the assembly's stacks in order, each with where its parameters come from, and who runs its
// account when another party does (its lattice-share:account metadata).
import { ACCOUNT_METADATA, readAssembly, type AccountFacts, type AssemblyStack } from '../assembly/index.js';

export type PlannedStack = Omit<AssemblyStack, 'template'> & {
  /** Another party runs the stack's account: lattice-share neither deploys nor destroys it. */
  readonly operatedBy?: AccountFacts['operatedBy'];
};

export function planFromAssembly(dir: string): PlannedStack[] {
  return readAssembly(dir).map(({ template, ...stack }) => {
    const operatedBy = (template.Metadata?.[ACCOUNT_METADATA] as AccountFacts | undefined)?.operatedBy;
    return operatedBy ? { ...stack, operatedBy } : stack;
  });
}
