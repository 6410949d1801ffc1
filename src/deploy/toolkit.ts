// StackDeployer backed by the AWS CDK toolkit library: real CloudFormation deployments with the caller's credentials.
import { IoHelper, type IoLevel, type IoMessage } from '../shared/io.js';
import type { PlannedStack } from './plan.js';
import type { StackDeployer } from './run.js';

export interface ToolkitDeployerOptions {
  /** The synthesized cloud assembly. */
  readonly assemblyDir: string;
}

const LEVELS: readonly string[] = ['error', 'warn', 'info', 'debug', 'trace', 'result'];

/**
 * A toolkit message as ours: its own code (`CDK_TOOLKIT_I5000`, …), level and data passed through; none for the
 * empty ones the toolkit also sends.
 */
export function relayed(msg: {
  level: string;
  code?: string;
  message: string;
  data?: unknown;
}): Pick<IoMessage, 'level' | 'code' | 'message' | 'data'> | undefined {
  const message = (msg.message ?? '').trimEnd();
  if (!message.trim()) return undefined;
  const level = (LEVELS.includes(msg.level) ? msg.level : 'info') as IoLevel;
  const code = (msg.code?.startsWith('CDK_') ? msg.code : 'CDK_TOOLKIT_I0000') as IoMessage['code'];
  return { level, code, message, data: msg.data };
}

export async function toolkitDeployer(options: ToolkitDeployerOptions): Promise<StackDeployer> {
  // Loaded only here: synth and validate never pay for the toolkit and the AWS SDK.
  const tk = await import('@aws-cdk/toolkit-lib');
  // The toolkit has one host for its life; its messages go to the span of the stack being worked on.
  let current = new IoHelper();
  const toolkit = new tk.Toolkit({
    ioHost: {
      notify: async (msg) => {
        const ours = relayed(msg);
        if (ours) current.notify(ours.level, ours.code, ours.message, ours.data);
      },
      requestResponse: async (msg) => msg.defaultResponse,
    },
  });
  const source = await toolkit.fromAssemblyDirectory(options.assemblyDir);
  const only = (stack: PlannedStack) => ({
    strategy: tk.StackSelectionStrategy.PATTERN_MUST_MATCH,
    patterns: [stack.name],
  });
  return {
    async deploy(stack, parameters, io) {
      current = io;
      const result = await toolkit.deploy(source, {
        stacks: only(stack),
        parameters: tk.StackParameters.exactly(parameters),
      });
      const deployed = result.stacks.find((s) => s.stackName === stack.name);
      return Object.fromEntries(Object.entries(deployed?.outputs ?? {}).map(([k, v]) => [k, String(v)]));
    },
    async destroy(stack, io) {
      current = io;
      await toolkit.destroy(source, { stacks: only(stack) });
    },
  };
}
