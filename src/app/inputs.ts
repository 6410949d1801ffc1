// Parameters a stack takes from another stack's outputs, recorded in its template metadata for deploy and the model.
import { CfnParameter, type Stack } from 'aws-cdk-lib';
import { INPUTS_METADATA, type StackInput } from './names.js';

export class Inputs {
  private readonly inputs: Record<string, StackInput> = {};

  constructor(private readonly stack: Stack) {
    stack.templateOptions.metadata = { ...(stack.templateOptions.metadata ?? {}), [INPUTS_METADATA]: this.inputs };
  }

  /** A parameter fed by the output of the same name of stack `from`. */
  get(from: string, output: string, description: string): string {
    if (!this.inputs[output]) {
      new CfnParameter(this.stack, output, {
        type: 'String',
        description: `${description} (output ${output} of stack ${from})`,
      });
      this.inputs[output] = { stack: from, output };
    }
    return (this.stack.node.findChild(output) as CfnParameter).valueAsString;
  }
}
