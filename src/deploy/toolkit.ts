// StackDeployer backed by the AWS CDK toolkit library: real CloudFormation deployments with the caller's credentials.
import type { PlannedStack } from './plan.js';
import type { StackDeployer } from './run.js';

export interface ToolkitDeployerOptions {
  /** The synthesized cloud assembly. */
  readonly assemblyDir: string;
  /** Receives the toolkit's messages of level info and above. */
  readonly log: (level: string, message: string) => void;
}

/** The toolkit messages worth a line: info and above, with text (the toolkit also sends empty ones). */
export function relayed(msg: { level: string; message: string }): { level: string; message: string } | undefined {
  const message = (msg.message ?? '').trimEnd();
  return ['info', 'warn', 'error', 'result'].includes(msg.level) && message.trim()
    ? { level: msg.level, message }
    : undefined;
}

export async function toolkitDeployer(options: ToolkitDeployerOptions): Promise<StackDeployer> {
  // Loaded only here: synth and validate never pay for the toolkit and the AWS SDK.
  const tk = await import('@aws-cdk/toolkit-lib');
  const toolkit = new tk.Toolkit({
    ioHost: {
      notify: async (msg) => {
        const line = relayed(msg);
        if (line) options.log(line.level, line.message);
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
    async deploy(stack, parameters) {
      const result = await toolkit.deploy(source, {
        stacks: only(stack),
        parameters: tk.StackParameters.exactly(parameters),
      });
      const deployed = result.stacks.find((s) => s.stackName === stack.name);
      return Object.fromEntries(Object.entries(deployed?.outputs ?? {}).map(([k, v]) => [k, String(v)]));
    },
    async destroy(stack) {
      await toolkit.destroy(source, { stacks: only(stack) });
    },
  };
}
