// Deploys the plan's stacks in order, handing each owner stack's outputs to the consumer stacks' parameters.
import { errorText as reason } from '../shared/index.js';
import type { PlannedStack } from './plan.js';

export interface StackDeployer {
  /** Deploys one stack with these parameters and returns its outputs. */
  deploy(stack: PlannedStack, parameters: Record<string, string>): Promise<Record<string, string>>;
  destroy(stack: PlannedStack): Promise<void>;
}

export type Progress = (event: {
  stack: string;
  account: string;
  phase: 'start' | 'done';
  index: number;
  total: number;
  ms?: number;
}) => void;

export class DeployError extends Error {
  readonly code = 'LS_DEPLOY_FAILED';
  constructor(
    readonly stackName: string,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(`${stackName}: ${message}`, options);
  }
}

export async function deployAll(
  plan: PlannedStack[],
  deployer: StackDeployer,
  progress: Progress = () => {},
): Promise<Map<string, Record<string, string>>> {
  const outputs = new Map<string, Record<string, string>>();
  for (const [i, stack] of plan.entries()) {
    const parameters: Record<string, string> = {};
    for (const [param, input] of Object.entries(stack.inputs)) {
      const value = outputs.get(input.stack)?.[input.output];
      if (value === undefined)
        throw new DeployError(
          stack.name,
          `parameter ${param} needs output ${input.output} of stack ${input.stack}, which did not produce it`,
        );
      parameters[param] = value;
    }
    const t0 = Date.now();
    progress({ stack: stack.name, account: stack.account, phase: 'start', index: i + 1, total: plan.length });
    try {
      outputs.set(stack.name, await deployer.deploy(stack, parameters));
    } catch (e) {
      throw new DeployError(stack.name, `deployment failed: ${reason(e)}`, { cause: e });
    }
    progress({
      stack: stack.name,
      account: stack.account,
      phase: 'done',
      index: i + 1,
      total: plan.length,
      ms: Date.now() - t0,
    });
  }
  return outputs;
}

/**
 * Destroys in reverse order: consumers (endpoints, accepted shares) before owners (shares, configurations, gateways).
 */
export async function destroyAll(
  plan: PlannedStack[],
  deployer: StackDeployer,
  progress: Progress = () => {},
): Promise<void> {
  const reversed = [...plan].reverse();
  for (const [i, stack] of reversed.entries()) {
    const t0 = Date.now();
    progress({ stack: stack.name, account: stack.account, phase: 'start', index: i + 1, total: reversed.length });
    try {
      await deployer.destroy(stack);
    } catch (e) {
      throw new DeployError(stack.name, `destroy failed: ${reason(e)}`, { cause: e });
    }
    progress({
      stack: stack.name,
      account: stack.account,
      phase: 'done',
      index: i + 1,
      total: reversed.length,
      ms: Date.now() - t0,
    });
  }
}
