// The deploy box: plans from a real cloud assembly, ordered runs and output hand-off with a recording deployer.
// The deployer is the one stand-in: live CloudFormation cannot exist here.
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import {
  AssemblyError,
  deployAll,
  DeployError,
  destroyAll,
  planFromAssembly,
  toolkitDeployer,
  type PlannedStack,
  type StackDeployer,
} from '../src/deploy/index.js';
import { example, synth, type Synthesized } from './support/synth.js';
import { RecordingIoHost } from '../src/shared/io.js';

let seed: Synthesized;
let many: Synthesized;
before(() => {
  seed = synth({ file: example('seed') });
  many = synth({ file: example('many-consumers') });
});
after(() => {
  seed.cleanup();
  many.cleanup();
});

/** Records calls; each stack "outputs" every output its template declares, with a recognisable value. */
function recorder(templates: Synthesized['templates'], fail?: string) {
  const calls: { op: string; stack: string; parameters?: Record<string, string> }[] = [];
  const deployer: StackDeployer = {
    async deploy(stack: PlannedStack, parameters) {
      calls.push({ op: 'deploy', stack: stack.name, parameters });
      if (stack.name === fail) throw new Error('CREATE_FAILED');
      return Object.fromEntries(
        Object.keys(templates.get(stack.name)!.Outputs ?? {}).map((k) => [k, `${stack.name}/${k}`]),
      );
    },
    async destroy(stack) {
      calls.push({ op: 'destroy', stack: stack.name });
    },
  };
  return { deployer, calls };
}

describe('plan', () => {
  it('orders owners before consumers and lists where each consumer parameter comes from', () => {
    const plan = planFromAssembly(many.dir);
    assert.equal(plan[0]!.name, 'Orders-owner-owner');
    assert.equal(plan.length, 5);
    for (const s of plan.slice(1)) {
      assert.deepEqual(s.dependsOn, ['Orders-owner-owner']);
      assert.ok(Object.values(s.inputs).every((i) => i.stack === 'Orders-owner-owner'));
    }
    assert.deepEqual(Object.keys(plan.find((s) => s.name === 'Orders-partner-a-consumer')!.inputs).sort(), [
      'OrdersDbReaderConfigurationArn',
      'OrdersDbWriterConfigurationArn',
      'OrdersShareArn',
    ]);
    assert.ok(
      !('OrdersShareArn' in plan.find((s) => s.name === 'Orders-analytics-consumer')!.inputs),
      'no invitation inside the organization',
    );
    assert.equal(plan[0]!.account, '111111111111');
    assert.equal(plan[0]!.region, 'us-west-2');
  });
  it('refuses a directory that is not an assembly, and a cycle', () => {
    const dir = mkdtempSync(join(tmpdir(), 'ls-plan-'));
    try {
      assert.throws(() => planFromAssembly(dir), AssemblyError);
      const stack = (name: string, dep: string) => [
        name,
        {
          type: 'aws:cloudformation:stack',
          environment: 'aws://111111111111/us-east-1',
          dependencies: [dep],
          properties: { templateFile: `${name}.json` },
        },
      ];
      writeFileSync(
        join(dir, 'manifest.json'),
        JSON.stringify({ artifacts: Object.fromEntries([stack('A', 'B'), stack('B', 'A')]) }),
      );
      for (const n of ['A', 'B']) writeFileSync(join(dir, `${n}.json`), '{}');
      assert.throws(() => planFromAssembly(dir), /cycle: A, B/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('deploy and destroy', () => {
  it('hands each owner output to the consumer parameter of the same name', async () => {
    const { deployer, calls } = recorder(seed.templates);
    const host = new RecordingIoHost();
    await deployAll(planFromAssembly(seed.dir), deployer, host);
    const progress = host.messages.map((m) => {
      const d = m.data as { index: number; total: number; stack: string };
      return `${m.code} ${d.index}/${d.total} ${d.stack} at depth ${m.depth}`;
    });
    assert.deepEqual(
      calls.map((c) => c.stack),
      ['LatticeShare-owner-owner', 'LatticeShare-partner-consumer'],
    );
    assert.deepEqual(calls[0]!.parameters, {});
    assert.deepEqual(calls[1]!.parameters, {
      OrdersToPartnerShareArn: 'LatticeShare-owner-owner/OrdersToPartnerShareArn',
      OrdersDbConfigurationArn: 'LatticeShare-owner-owner/OrdersDbConfigurationArn',
      OrdersDbWriterEndpoint: 'LatticeShare-owner-owner/OrdersDbWriterEndpoint',
      OrdersDbReaderEndpoint: 'LatticeShare-owner-owner/OrdersDbReaderEndpoint',
    });
    assert.deepEqual(progress, [
      'LS_DEPLOY_I2000 1/2 LatticeShare-owner-owner at depth 0',
      'LS_DEPLOY_I2001 1/2 LatticeShare-owner-owner at depth 0',
      'LS_DEPLOY_I2000 2/2 LatticeShare-partner-consumer at depth 0',
      'LS_DEPLOY_I2001 2/2 LatticeShare-partner-consumer at depth 0',
    ]);
    assert.ok(
      host.messages.every(
        (m) => m.code !== 'LS_DEPLOY_I2001' || typeof (m.data as { durationMs?: number }).durationMs === 'number',
      ),
    );
  });
  it('stops at the first failure, naming the stack, and deploys nothing after it', async () => {
    const { deployer, calls } = recorder(many.templates, 'Orders-owner-owner');
    await assert.rejects(
      deployAll(planFromAssembly(many.dir), deployer),
      (e: unknown) =>
        e instanceof DeployError && e.stackName === 'Orders-owner-owner' && /CREATE_FAILED/.test(e.message),
    );
    assert.equal(calls.length, 1);
  });
  it('refuses to deploy a consumer whose owner output is missing', async () => {
    const { deployer } = recorder(new Map([...seed.templates].map(([k, v]) => [k, { ...v, Outputs: {} }])));
    await assert.rejects(
      deployAll(planFromAssembly(seed.dir), deployer),
      /LatticeShare-partner-consumer: parameter \w+ needs output \w+ of stack LatticeShare-owner-owner/,
    );
  });
  it('destroys consumers before owners', async () => {
    const { deployer, calls } = recorder(many.templates);
    await destroyAll(planFromAssembly(many.dir), deployer);
    assert.equal(calls.at(-1)!.stack, 'Orders-owner-owner');
    assert.ok(calls.slice(0, -1).every((c) => c.op === 'destroy' && c.stack.endsWith('-consumer')));
  });
  it('the CDK toolkit library loads the assembly (no AWS call is made)', async () => {
    const d = await toolkitDeployer({ assemblyDir: seed.dir });
    assert.equal(typeof d.deploy, 'function');
    assert.equal(typeof d.destroy, 'function');
  });
});

describe('accounts another party runs', () => {
  it('deploy and destroy leave their stacks alone and say so; the others deploy as before', async () => {
    const config = readFileSync(example('seed'), 'utf8').replace(
      '  partner:\n    id: "222222222222"',
      '  partner:\n    operatedBy: { party: Example Partner Inc., contact: ops@partner.example }\n    id: "222222222222"',
    );
    assert.match(config, /operatedBy/);
    const partner = synth({ yaml: config });
    try {
      const plan = planFromAssembly(partner.dir);
      const left = plan.filter((s) => s.operatedBy);
      assert.deepEqual(
        left.map((s) => [s.account, s.operatedBy?.party]),
        [['222222222222', 'Example Partner Inc.']],
      );
      const { deployer, calls } = recorder(partner.templates);
      const host = new RecordingIoHost();
      await deployAll(plan, deployer, host);
      await destroyAll(plan, deployer, host);
      assert.ok(
        calls.every((c) => !c.stack.includes('partner')),
        'nothing deployed or destroyed there',
      );
      assert.deepEqual(
        calls.map((c) => `${c.op} ${c.stack}`),
        ['deploy LatticeShare-owner-owner', 'destroy LatticeShare-owner-owner'],
      );
      const warned = host.messages.filter((m) => m.code === 'LS_DEPLOY_W2010');
      assert.equal(warned.length, 2);
      assert.match(
        warned[0]?.message ?? '',
        /LatticeShare-partner-consumer \(account 222222222222\): Example Partner Inc\. \(ops@partner\.example\) runs this account and deploys this stack; lattice-share does not touch it/,
      );
    } finally {
      partner.cleanup();
    }
  });
});
