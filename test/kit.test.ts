// The kit a partner company gets (handoff): its template held to the CloudFormation specification and to what a
// bootstrap-less account can deploy, its YAML read back, its READMEs, refusals, the CLI, what deploy and reinvite do
// for accounts other parties run, and check on the owner's stacks plus the kit in a sample partner VPC.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import {
  existsSync,
  linkSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import {
  AssociateResourceShareCommand,
  DisassociateResourceShareCommand,
  GetResourceShareAssociationsCommand,
  GetResourceSharesCommand,
  RAMClient,
} from '@aws-sdk/client-ram';
import { mockClient } from 'aws-sdk-client-mock';
import * as ram from '@aws-sdk/client-ram';
import { parseTemplate } from '../src/assembly/templates.js';
import { check } from '../src/check/index.js';
import { loadConfig, parseConfig, type Topology } from '../src/config/index.js';
import { deployAll, planFromAssembly, type StackDeployer } from '../src/deploy/index.js';
import {
  ACCEPT_INVITATION_CODE,
  afterDeploy,
  applyReinvite,
  HandoffError,
  kitFiles,
  kitTemplate,
  planKit,
  reinviteSteps,
  TEMPLATE_BODY_LIMIT,
  templateYaml,
  writeKit,
  type RamCommands,
} from '../src/handoff/index.js';
import { loadModel } from '../src/model/index.js';
import { RecordingIoHost } from '../src/shared/io.js';
import { checkTemplate, specDatabase } from './support/cfn-spec.js';
import { partnerSystem } from './support/partner.js';
import { example, synth } from './support/synth.js';
import { bin } from './support/twin.js';

const EXAMPLES = ['partner', 'seed', 'existing-db', 'many-consumers', 'service-network'];
const scratch = mkdtempSync(join(tmpdir(), 'ls-kit-test-'));
after(() => rmSync(scratch, { recursive: true, force: true }));

/** Every account of every example that receives a share from another: a kit each. */
function everyKit(): { label: string; topology: Topology; account: string }[] {
  return EXAMPLES.flatMap((name) => {
    const topology = loadConfig(example(name));
    return topology.accounts
      .filter((a) =>
        topology.shares.some(
          (s) => s.owner !== a.name && s.principals.some((p) => p.kind === 'account' && p.account === a.name),
        ),
      )
      .map((a) => ({ label: `${name}/${a.name}`, topology, account: a.name }));
  });
}

const deployedOutputs = (name: string) => {
  const s = synth({ file: example(name) });
  try {
    return Object.fromEntries(loadModel(s.dir).stacks.map((stack) => [stack.name, stack.outputs]));
  } finally {
    s.cleanup();
  }
};

/** EC2 takes these characters only in a security group's or a rule's description. */
function descriptionsTakenByEc2(template: { Resources?: unknown }, label: string): void {
  const descriptions = Object.values(
    template.Resources as Record<string, { Type: string; Properties?: Record<string, unknown> }>,
  )
    .filter((r) => r.Type.startsWith('AWS::EC2::SecurityGroup'))
    .map((r) => String(r.Properties?.Description ?? r.Properties?.GroupDescription ?? ''));
  for (const d of descriptions) assert.match(d, /^[a-zA-Z0-9 ._\-:/()#,@[\]+=&;{}!$*]*$/, `${label}: ${d}`);
}

describe('the kit template', () => {
  const kits = everyKit();
  it('exists for every account of the examples that receives a share', () => {
    assert.ok(kits.length >= 4, kits.map((k) => k.label).join(', '));
  });
  it('passes the CloudFormation specification check, needs no bootstrap, and fits a console upload', async () => {
    const spec = await specDatabase();
    for (const { label, topology, account } of kits) {
      const text = kitFiles(planKit(topology, account))['template.yaml'];
      const template = parseTemplate(text, label);
      assert.deepEqual(checkTemplate(spec, template as never), [], label);
      assert.ok(Buffer.byteLength(text) < TEMPLATE_BODY_LIMIT, `${label}: ${Buffer.byteLength(text)} bytes`);
      assert.doesNotMatch(
        text,
        /cdk-hnb659fds|BootstrapVersion|CDKMetadata|aws:cdk:|aws:asset|AssetParameters|cdk-bootstrap|Transform/i,
        label,
      );
      assert.equal(
        (template as { Rules?: unknown }).Rules,
        undefined,
        `${label}: no rules (the bootstrap-version rule)`,
      );
      const types = Object.values(template.Resources as Record<string, { Type: string }>).map((r) => r.Type);
      assert.ok(types.includes('AWS::EC2::VPCEndpoint'), label);
      assert.ok(
        !types.some((t) => t.startsWith('Custom::AWS')),
        `${label}: no AwsCustomResource (its handler is an asset)`,
      );
      descriptionsTakenByEc2(template, label);
    }
  });
  it('asks for the partner network with AWS-specific parameter types, the owner values as defaults', () => {
    const plan = planKit(loadConfig(example('partner')), 'partner', { outputs: deployedOutputs('partner') });
    const template = kitTemplate(plan) as { Parameters: Record<string, { Type: string; Default?: string }> };
    assert.equal(template.Parameters.VpcId?.Type, 'AWS::EC2::VPC::Id');
    assert.equal(template.Parameters.SubnetIds?.Type, 'List<AWS::EC2::Subnet::Id>');
    assert.equal(template.Parameters.ClientSecurityGroupId?.Type, 'AWS::EC2::SecurityGroup::Id');
    assert.match(
      template.Parameters.OrdersDbConfigurationArn?.Default ?? '',
      /^arn:aws:vpc-lattice:us-east-1:111111111111:resourceconfiguration\/rcfg-/,
    );
    assert.match(
      template.Parameters.OrdersToPartnerShareArn?.Default ?? '',
      /^arn:aws:ram:us-east-1:111111111111:resource-share\//,
    );
    assert.deepEqual(plan.pending, []);
  });
  it('round-trips through a YAML reader of CloudFormation short forms, and is written with them', () => {
    for (const { label, topology, account } of kits) {
      const object = JSON.parse(JSON.stringify(kitTemplate(planKit(topology, account))));
      const text = templateYaml(object);
      assert.deepEqual(parseTemplate(text, label), object, label);
      for (const tag of ['!Ref ', '!GetAtt ', '!If ', '!Equals ', '!Sub '])
        assert.ok(text.includes(tag), `${label}: ${tag}`);
      assert.match(text, /AWSTemplateFormatVersion: '2010-09-09'/, 'quoted: a YAML 1.1 reader would take a date');
    }
  });
});

describe("the kit's invitation acceptance", () => {
  it('carries the acceptance code tested in handoff.test.ts, inline, skippable by a parameter', () => {
    const template = kitTemplate(planKit(loadConfig(example('partner')), 'partner')) as {
      Resources: Record<string, { Type: string; Condition?: string; Properties: { Code?: { ZipFile?: string } } }>;
    };
    const fn = Object.values(template.Resources).find((r) => r.Type === 'AWS::Lambda::Function');
    assert.equal(fn?.Properties.Code?.ZipFile, ACCEPT_INVITATION_CODE);
    assert.equal(fn?.Condition, 'AcceptHere');
    const custom = Object.values(template.Resources).filter((r) => r.Type.startsWith('Custom::'));
    assert.ok(custom.length && custom.every((r) => r.Condition === 'AcceptHere'));
  });
  it('leaves the acceptance out for an account in the organization reached through it', () => {
    const config = readFileSync(example('partner'), 'utf8')
      .replace('version: 1', 'version: 1\norganization: { id: o-abc123def4, managementAccount: "111111111111" }')
      .replace('id: "222222222222"', 'id: "222222222222"\n    inOrganization: true')
      .replace('with: [partner]', 'with: [organization]');
    const text = kitFiles(planKit(parseConfig(config, 'org.yaml'), 'partner'))['template.yaml'];
    assert.doesNotMatch(text, /AcceptInvitation|AWS::Lambda::Function|AWS::IAM::Role/);
  });
});

describe('the kit READMEs and kit.json', () => {
  const plan = planKit(loadConfig(example('partner')), 'partner', {
    outputs: deployedOutputs('partner'),
    sharedAt: new Date('2026-12-06T05:00:00Z'),
  });
  it('say the deadline, the steps, what to send back and how to remove it, in English and in Japanese', () => {
    const en = kitFiles(plan, 'en');
    const ja = kitFiles(plan, 'ja');
    assert.match(en['README.md'], /`README\.ja\.md`: this text in Japanese/);
    assert.match(en['README.ja.md'] ?? '', /`README\.md`: この文書の英語版/);
    assert.match(ja['README.md'], /`README\.en\.md`: この文書の英語版/);
    assert.match(ja['README.en.md'] ?? '', /`README\.md`: this text in Japanese/);
    for (const needle of [
      '2026-12-06T17:00:00.000Z',
      'aws cloudformation deploy',
      'psql "postgresql://<user>@',
      'delete-stack',
      'ModifyVpcEndpointPayerResponsibility',
      'reinvite',
    ]) {
      assert.ok(en['README.md'].includes(needle), `en: ${needle}`);
      assert.ok(en['README.ja.md'] ?? ''.includes(needle), `ja: ${needle}`);
    }
    assert.match(en['README.md'], /## What to send back/);
    assert.match(en['README.ja.md'] ?? '', /## 返送するもの/);
    assert.match(en['README.md'], /use1-az1 \(us-east-1a\), use1-az2 \(us-east-1b\)/);
    assert.doesNotMatch(en['README.md'], /password=|PGPASSWORD|secret:/i);
  });
  it('kit.json holds the same facts for machines', () => {
    const kit = JSON.parse(kitFiles(plan)['kit.json']);
    assert.equal(kit.kind, 'lattice-share-kit');
    assert.equal(kit.account.id, '222222222222');
    assert.equal(kit.invitation.deadline, '2026-12-06T17:00:00.000Z');
    assert.deepEqual(kit.resources[0].zones, [
      { name: 'us-east-1a', id: 'use1-az1' },
      { name: 'us-east-1b', id: 'use1-az2' },
    ]);
    assert.match(kit.shares[0].arn.value, /^arn:aws:ram:/);
    assert.equal(kit.template.bytes, Buffer.byteLength(kitFiles(plan)['template.yaml']));
  });
  it('without deployed values, the owner values are parameters to fill in and both READMEs say so', () => {
    const pending = planKit(loadConfig(example('partner')), 'partner');
    assert.deepEqual(pending.pending, [
      'OrdersToPartnerShareArn',
      'OrdersDbConfigurationArn',
      'OrdersDbWriterName',
      'OrdersDbReaderName',
    ]);
    const files = kitFiles(pending);
    assert.match(files['README.md'], /Not filled in yet/);
    assert.match(files['README.ja.md'] ?? '', /未記入/);
    assert.doesNotMatch(files['template.yaml'], /Default: arn:/);
  });
});

describe('handoff refuses', () => {
  const topology = parseConfig(
    readFileSync(example('partner'), 'utf8').replace('networks:', '  stranger: { id: "333333333333" }\nnetworks:'),
    'partner.yaml',
  );
  it('an account that receives nothing, naming the share to add it to', () => {
    assert.throws(
      () => planKit(topology, 'stranger'),
      (e: HandoffError) =>
        e.code === 'LS_HANDOFF_REFUSED' && /add "stranger" to shares\.orders-to-partner\.with/.test(e.message),
    );
    assert.throws(() => planKit(topology, 'owner'), /owns share orders-to-partner/);
    assert.throws(() => planKit(topology, 'nobody'), /no account "nobody".*accounts: owner, partner, stranger/);
  });
});

describe('writeKit', () => {
  const topology = parseConfig(readFileSync(example('partner'), 'utf8'), 'partner.yaml');
  it('writes over nothing it did not write: a folder with other files, a link, a file for a folder', () => {
    const files = kitFiles(planKit(topology, 'partner'));
    const busy = join(scratch, 'busy');
    mkdirSync(busy);
    writeFileSync(join(busy, 'notes.txt'), 'mine');
    assert.throws(() => writeKit(busy, files), /holds notes\.txt, which a kit does not/);
    const linked = writeKit(join(scratch, 'linked'), files);
    rmSync(join(linked, 'README.md'));
    writeFileSync(join(scratch, 'precious'), 'keep');
    symlinkSync(join(scratch, 'precious'), join(linked, 'README.md'));
    assert.throws(() => writeKit(linked, files), /README\.md is not a plain file/);
    assert.equal(readFileSync(join(scratch, 'precious'), 'utf8'), 'keep');
    writeFileSync(join(scratch, 'plain'), 'x');
    assert.throws(() => writeKit(join(scratch, 'plain'), files), /is not a folder/);
    const userReadme = join(scratch, 'docs');
    mkdirSync(userReadme);
    writeFileSync(join(userReadme, 'README.md'), 'my own');
    assert.throws(() => writeKit(userReadme, files), /holds files of a kit's names but no kit\.json of one/);
    assert.equal(readFileSync(join(userReadme, 'README.md'), 'utf8'), 'my own');
    const again = writeKit(join(scratch, 'again'), files);
    assert.equal(writeKit(again, files), again, 'a kit folder may be written again');
    rmSync(join(again, 'README.ja.md'));
    linkSync(join(scratch, 'precious'), join(again, 'README.ja.md'));
    assert.throws(() => writeKit(again, files), /other names \(hard links\)/);
    assert.equal(readFileSync(join(scratch, 'precious'), 'utf8'), 'keep');
  });
});

describe('the handoff command', () => {
  const run = (...args: string[]) => spawnSync(process.execPath, [bin, ...args], { encoding: 'utf8' });
  it('writes the kit where it is told, a path with a space, and tells what is missing', () => {
    const out = join(scratch, 'kit for partner');
    const r = run('handoff', example('partner'), '--account', 'partner', '--out', out, '--json');
    assert.equal(r.status, 0, r.stderr);
    const said = JSON.parse(r.stdout);
    assert.deepEqual(said.files, ['template.yaml', 'README.md', 'README.ja.md', 'kit.json']);
    for (const f of said.files) assert.ok(existsSync(join(out, f)), f);
    assert.match(r.stderr, /lacks the owner's deployed values .*--outputs/);
  });
  it('fills in the owner values from --outputs (what deploy wrote)', () => {
    const outputs = join(scratch, 'outputs.json');
    writeFileSync(outputs, JSON.stringify(deployedOutputs('partner')));
    const out = join(scratch, 'filled');
    const r = run(
      'handoff',
      example('partner'),
      '--account',
      'partner',
      '--out',
      out,
      '--outputs',
      outputs,
      '--lang',
      'ja',
    );
    assert.equal(r.status, 0, r.stderr);
    assert.equal(r.stderr, '');
    assert.match(readFileSync(join(out, 'template.yaml'), 'utf8'), /Default: arn:aws:vpc-lattice:/);
    assert.match(readFileSync(join(out, 'README.md'), 'utf8'), /へのプライベート接続/);
  });
  it('exits 2 on a wrong command line and 1 with one line when it refuses', () => {
    const noAccount = run('handoff', example('partner'));
    assert.equal(noAccount.status, 2);
    assert.match(noAccount.stderr, /^lattice-share: handoff needs --account NAME/);
    const refused = run('handoff', example('partner'), '--account', 'owner', '--out', join(scratch, 'never'));
    assert.equal(refused.status, 1);
    assert.equal(refused.stderr.trim().split('\n').length, 1);
    assert.ok(!existsSync(join(scratch, 'never')), 'nothing written when refused');
    assert.equal(run('handoff', example('partner'), '--account', 'partner', '--lang', 'fr').status, 2);
  });
});

describe('check on the owner stacks, a sample partner VPC and the kit in it', () => {
  it("the partner's client reaches the database by its own names; another instance of the VPC does not", () => {
    const system = partnerSystem();
    try {
      const report = check(system.model);
      assert.equal(report.findings.filter((f) => f.severity === 'error').length, 0);
      const app = report.flows.filter((f) => f.client.label === 'app');
      const other = report.flows.filter((f) => f.client.label === 'other');
      assert.ok(
        app.length >= 2 && app.every((f) => f.disposition === 'REACHABLE'),
        JSON.stringify(app.map((f) => f.disposition)),
      );
      assert.ok(app.some((f) => /\.cluster-[0-9a-f]+\.us-east-1\.rds\.amazonaws\.com$/.test(f.name)));
      assert.ok(
        other.length && other.every((f) => f.disposition === 'BLOCKED' && f.decidedBy?.hop === 'endpoint-ingress'),
      );
    } finally {
      system.cleanup();
    }
  });
});

describe('deploy with an account another party runs', () => {
  it('deploys nothing there, writes its kit with the deployed values, and says where and by when', async () => {
    const s = synth({ file: example('partner') }, { nag: true });
    try {
      const outputs = Object.fromEntries(loadModel(s.dir).stacks.map((stack) => [stack.name, stack.outputs]));
      const calls: string[] = [];
      const deployer: StackDeployer = {
        async deploy(stack) {
          calls.push(stack.name);
          return outputs[stack.name] ?? {};
        },
        async destroy() {},
      };
      const host = new RecordingIoHost();
      const deployed = Object.fromEntries(await deployAll(planFromAssembly(s.dir), deployer, host));
      assert.deepEqual(calls, ['OrdersShare-owner-owner'], 'only the owner stack');
      const kits = afterDeploy(s.topology, deployed, {
        startedAt: new Date('2026-12-06T05:00:00Z'),
        kitsDir: join(s.dir, 'handoff'),
        host,
      });
      assert.deepEqual(
        kits.map((k) => [k.account, k.deadline]),
        [['partner', '2026-12-06T17:00:00.000Z']],
      );
      const said = host.messages.map((m) => `${m.code} ${m.message}`);
      assert.ok(
        said.some(
          (m) =>
            m.startsWith('LS_DEPLOY_W2011 account partner (222222222222) is outside the organization') &&
            m.includes('2026-12-06T17:00:00.000Z'),
        ),
        said.join('\n'),
      );
      assert.ok(
        said.some((m) =>
          m.startsWith(
            `LS_DEPLOY_I2020 Example Partner Inc. runs account partner: its kit is in ${join(s.dir, 'handoff', 'partner')}`,
          ),
        ),
      );
      assert.match(readFileSync(join(kits[0]?.dir ?? '', 'template.yaml'), 'utf8'), /Default: arn:aws:ram:/);
    } finally {
      s.cleanup();
    }
  });
});

describe('reinvite', () => {
  const topology = loadConfig(example('partner'));
  it('prints the RAM calls that invite the account again on the same share', () => {
    const [step] = reinviteSteps(topology, 'partner');
    assert.ok(step);
    assert.match(
      step.commands[0] ?? '',
      /aws ram get-resource-shares --region us-east-1 --resource-owner SELF --name orders-to-partner/,
    );
    assert.match(step.commands.at(-1) ?? '', /aws ram associate-resource-share .*--principals 222222222222/);
    assert.throws(() => reinviteSteps(topology, 'owner'), /named in no share/);
  });
  it('with --apply, disassociates, waits until RAM says so, and associates again (SDK client replaced)', async () => {
    const mock = mockClient(RAMClient);
    const arn = 'arn:aws:ram:us-east-1:111111111111:resource-share/0a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d';
    mock.on(GetResourceSharesCommand).resolves({ resourceShares: [{ resourceShareArn: arn, status: 'ACTIVE' }] });
    mock.on(DisassociateResourceShareCommand).resolves({});
    mock
      .on(GetResourceShareAssociationsCommand)
      .resolvesOnce({ resourceShareAssociations: [{ status: 'FAILED' }] })
      .resolvesOnce({ resourceShareAssociations: [{ status: 'DISASSOCIATING' }] })
      .resolves({ resourceShareAssociations: [{ status: 'DISASSOCIATED' }] });
    mock.on(AssociateResourceShareCommand).resolves({});
    try {
      const host = new RecordingIoHost();
      const client = new RAMClient({ region: 'us-east-1' });
      const done = await applyReinvite(
        reinviteSteps(topology, 'partner'),
        { client: client as never, commands: ram as unknown as RamCommands },
        { host, pauseMs: 1 },
      );
      assert.deepEqual(done, [{ share: 'orders-to-partner', shareArn: arn }]);
      assert.deepEqual(
        mock.calls().map((c) => (c.args[0] as object).constructor.name),
        [
          'GetResourceSharesCommand',
          'GetResourceShareAssociationsCommand',
          'DisassociateResourceShareCommand',
          'GetResourceShareAssociationsCommand',
          'GetResourceShareAssociationsCommand',
          'AssociateResourceShareCommand',
        ],
      );
      assert.deepEqual(mock.commandCalls(AssociateResourceShareCommand)[0]?.args[0].input, {
        resourceShareArn: arn,
        principals: ['222222222222'],
      });
      assert.equal(host.messages[0]?.code, 'LS_HANDOFF_I4010');
    } finally {
      mock.restore();
    }
  });
});

describe('reinvite, when the account accepted', () => {
  const topology = loadConfig(example('partner'));
  it('with --apply, leaves an account that accepted alone (inviting it again would cut it off)', async () => {
    const mock = mockClient(RAMClient);
    const arn = 'arn:aws:ram:us-east-1:111111111111:resource-share/0a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d';
    mock.on(GetResourceShareAssociationsCommand).resolves({ resourceShareAssociations: [{ status: 'ASSOCIATED' }] });
    try {
      const steps = reinviteSteps(topology, 'partner', { 'OrdersShare-owner-owner': { OrdersToPartnerShareArn: arn } });
      await assert.rejects(
        applyReinvite(steps, {
          client: new RAMClient({ region: 'us-east-1' }) as never,
          commands: ram as unknown as RamCommands,
        }),
        /has accepted share orders-to-partner \(ASSOCIATED\).*nothing was changed/,
      );
      assert.equal(mock.commandCalls(DisassociateResourceShareCommand).length, 0);
      assert.equal(mock.commandCalls(AssociateResourceShareCommand).length, 0);
    } finally {
      mock.restore();
    }
  });
});
