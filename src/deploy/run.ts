// Deploys the plan's stacks in order, handing each owner stack's outputs to the consumer stacks' parameters.
import { errorText as reason } from '../shared/index.js';
import { LatticeShareError } from '../shared/errors.js';
import { ioOf, type IoHelper, type IoHost } from '../shared/io.js';
import type { PlannedStack } from './plan.js';

export interface StackDeployer {
  /** Deploys one stack with these parameters and returns its outputs. */
  deploy(stack: PlannedStack, parameters: Record<string, string>, io: IoHelper): Promise<Record<string, string>>;
  /** Removes one stack; `io` sends what the deployer has to say inside the stack's span. */
  destroy(stack: PlannedStack, io: IoHelper): Promise<void>;
}

export class DeployError extends LatticeShareError {
  constructor(
    readonly stackName: string,
    message: string,
    options?: { cause?: unknown },
  ) {
    super('LS_DEPLOY_FAILED', `${stackName}: ${message}`, options);
  }
}

export async function deployAll(
  plan: PlannedStack[],
  deployer: StackDeployer,
  host?: IoHost,
): Promise<Map<string, Record<string, string>>> {
  const io = ioOf(host);
  const outputs = new Map<string, Record<string, string>>();
  for (const [i, stack] of plan.entries()) {
    if (stack.operatedBy) {
      leftTo(io, stack, 'deploys', { index: i + 1, total: plan.length });
      continue;
    }
    const parameters: Record<string, string> = {};
    for (const [param, input] of Object.entries(stack.inputs)) {
      const value = outputs.get(input.stack)?.[input.output];
      const runBy = plan.find((x) => x.name === input.stack)?.operatedBy;
      if (value === undefined)
        throw new DeployError(
          stack.name,
          runBy
            ? `parameter ${param} needs output ${input.output} of stack ${input.stack}, which ${runBy.party} deploys: ask them for it`
            : `parameter ${param} needs output ${input.output} of stack ${input.stack}, which did not produce it`,
        );
      parameters[param] = value;
    }
    const data = { stack: stack.name, account: stack.account, index: i + 1, total: plan.length };
    const span = io.span(
      'LS_DEPLOY_I2000',
      `[${i + 1}/${plan.length}] ${stack.name} (account ${stack.account}) …`,
      data,
    );
    try {
      outputs.set(stack.name, await deployer.deploy(stack, parameters, span.io));
    } catch (e) {
      throw new DeployError(stack.name, `deployment failed: ${reason(e)}`, { cause: e });
    }
    span.end('LS_DEPLOY_I2001', (ms) => `[${i + 1}/${plan.length}] ${stack.name} done in ${seconds(ms)}`);
  }
  return outputs;
}

/**
 * Destroys in reverse order: consumers (endpoints, accepted shares) before owners (shares, configurations, gateways).
 */
export async function destroyAll(plan: PlannedStack[], deployer: StackDeployer, host?: IoHost): Promise<void> {
  const io = ioOf(host);
  const reversed = [...plan].reverse();
  for (const [i, stack] of reversed.entries()) {
    if (stack.operatedBy) {
      leftTo(io, stack, 'removes', { index: i + 1, total: reversed.length });
      continue;
    }
    const step = `[${i + 1}/${reversed.length}] ${stack.name}`;
    const data = { stack: stack.name, account: stack.account, index: i + 1, total: reversed.length };
    const span = io.span('LS_DEPLOY_I2100', `${step} (account ${stack.account}): destroying …`, data);
    try {
      await deployer.destroy(stack, span.io);
    } catch (e) {
      throw new DeployError(stack.name, `destroy failed: ${reason(e)}`, { cause: e });
    }
    span.end('LS_DEPLOY_I2101', (ms) => `${step} destroyed in ${seconds(ms)}`);
  }
}

const seconds = (ms: number): string => `${(ms / 1000).toFixed(0)} s`;

/** A stack in an account another party runs: said, not touched. */
function leftTo(io: IoHelper, stack: PlannedStack, act: string, at: { index: number; total: number }): void {
  const party = stack.operatedBy?.party ?? 'another party';
  const contact = stack.operatedBy?.contact ? ` (${stack.operatedBy.contact})` : '';
  io.notify(
    'warn',
    'LS_DEPLOY_W2010',
    `[${at.index}/${at.total}] ${stack.name} (account ${stack.account}): ${party}${contact} runs this account and ${act} this stack; lattice-share does not touch it (hand over its template: ${stack.templateFile})`,
    { stack: stack.name, account: stack.account, party: stack.operatedBy?.party, ...at },
  );
}
