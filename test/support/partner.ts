// The partner example as both companies would run it: the owner's stacks (synthesized from the config), the
// partner's own VPC (examples/partner/partner-vpc.yaml) and the kit's template, its parameters fed by that VPC's
// outputs, read as one model. The kit is made from the owner stacks' outputs, as deploy makes it.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { orderStacks, readAssembly, readTemplateFiles } from '../../src/assembly/index.js';
import { kitFiles, planKit, writeKit, type KitPlan } from '../../src/handoff/index.js';
import { buildModel, loadModel, type InfraModel } from '../../src/model/index.js';
import { example, repo, synth } from './synth.js';

export const PARTNER_ID = '222222222222';
export const partnerVpc = join(repo, 'examples', 'partner', 'partner-vpc.yaml');

export interface PartnerSystem {
  readonly plan: KitPlan;
  readonly kitDir: string;
  readonly model: InfraModel;
  cleanup(): void;
}

/** The owner's assembly, the partner's VPC and the kit in it; `clientGroup` is the partner VPC output it admits. */
export function partnerSystem(clientGroup = 'ClientSecurityGroupId'): PartnerSystem {
  const owner = synth({ file: example('partner') });
  const kitRoot = mkdtempSync(join(tmpdir(), 'ls-kit-'));
  try {
    const outputs = Object.fromEntries(loadModel(owner.dir).stacks.map((s) => [s.name, s.outputs]));
    const plan = planKit(owner.topology, 'partner', { outputs, sharedAt: new Date('2026-12-06T05:00:00Z') });
    const kitDir = writeKit(join(kitRoot, 'kit for partner'), kitFiles(plan));
    const files = readTemplateFiles([
      `${partnerVpc}@${PARTNER_ID}/us-east-1`,
      `${kitDir}/template.yaml@${PARTNER_ID}/us-east-1`,
    ]);
    const fed = files.map((stack) =>
      stack.name === 'template'
        ? {
            ...stack,
            inputs: {
              ...stack.inputs,
              VpcId: { stack: 'partner-vpc', output: 'VpcId' },
              SubnetIds: { stack: 'partner-vpc', output: 'SubnetIds' },
              ClientSecurityGroupId: { stack: 'partner-vpc', output: clientGroup },
            },
          }
        : stack,
    );
    const model = buildModel(orderStacks([...readAssembly(owner.dir), ...fed]));
    return {
      plan,
      kitDir,
      model,
      cleanup: () => {
        owner.cleanup();
        rmSync(kitRoot, { recursive: true, force: true });
      },
    };
  } catch (e) {
    owner.cleanup();
    rmSync(kitRoot, { recursive: true, force: true });
    throw e;
  }
}
