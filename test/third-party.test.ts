// Templates lattice-share did not write: CloudFormation files (JSON, YAML with short forms) with their account and
// Region, a stacks file with its order, parameters and hand-offs, and --parameters; each as a user runs the CLI.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { parseTemplate, readStacksFile, readTemplateFiles } from '../src/assembly/templates.js';
import { readAssembly } from '../src/assembly/index.js';
import { buildModel, loadModel } from '../src/model/index.js';
import { repo } from './support/synth.js';

const bin = join(repo, 'dist', 'src', 'cli', 'main.js');
const seedPlain = join(repo, 'test', 'fixtures', 'third-party', 'seed-plain');
const seedPartner = join(repo, 'test', 'fixtures', 'third-party', 'seed-partner');
const cli = (cwd: string, ...args: string[]) => spawnSync(process.execPath, [bin, ...args], { encoding: 'utf8', cwd });
const work = mkdtempSync(join(tmpdir(), 'ls-third-party-'));
after(() => rmSync(work, { recursive: true, force: true }));

describe('YAML templates with short forms', () => {
  it('reads every short form as its long form, and YAML 1.1 as CloudFormation does (yes is true, a date is text)', () => {
    const template = parseTemplate(
      [
        'Resources:',
        '  R:',
        '    Type: AWS::X::Y',
        '    Properties:',
        '      A: !Ref P',
        '      B: !GetAtt Res.Attr.Nested',
        '      C: !Sub "${AWS::Region}-x"',
        '      D: !Join [",", [a, !Ref P]]',
        '      E: !Select [0, !GetAZs ""]',
        '      F: !If [Cond, !Split [",", "a,b"], !Base64 text]',
        '      G: !Equals [!FindInMap [M, k, v], !ImportValue Shared]',
        '      H: !And [!Condition C1, !Not [!Or [!Condition C2, !Condition C3]]]',
        '      I: yes',
        '      J: [2010-09-09, "0123"]',
        '      K: !Cidr [10.0.0.0/16, 4, 8]',
      ].join('\n'),
      'short.yaml',
    );
    assert.deepEqual(template.Resources?.R?.Properties, {
      A: { Ref: 'P' },
      B: { 'Fn::GetAtt': ['Res', 'Attr.Nested'] },
      C: { 'Fn::Sub': '${AWS::Region}-x' },
      D: { 'Fn::Join': [',', ['a', { Ref: 'P' }]] },
      E: { 'Fn::Select': [0, { 'Fn::GetAZs': '' }] },
      F: { 'Fn::If': ['Cond', { 'Fn::Split': [',', 'a,b'] }, { 'Fn::Base64': 'text' }] },
      G: { 'Fn::Equals': [{ 'Fn::FindInMap': ['M', 'k', 'v'] }, { 'Fn::ImportValue': 'Shared' }] },
      H: {
        'Fn::And': [{ Condition: 'C1' }, { 'Fn::Not': [{ 'Fn::Or': [{ Condition: 'C2' }, { Condition: 'C3' }] }] }],
      },
      I: true,
      J: ['2010-09-09', '0123'],
      K: { 'Fn::Cidr': ['10.0.0.0/16', 4, 8] },
    });
  });
});

describe('what CloudFormation would not read', () => {
  it('what CloudFormation refuses or does not take is one line with its place', () => {
    const cases: [string, RegExp][] = [
      [
        'Resources:\n  A: &x { Type: AWS::EC2::VPC }\n  B: *x\n',
        /short\.yaml:3:6: an alias \(\*x\): CloudFormation takes none/,
      ],
      [
        'Resources:\n  A:\n    <<: { Type: AWS::EC2::VPC }\n',
        /short\.yaml:3:5: a merge key \(<<\): CloudFormation takes none/,
      ],
      [
        'Transform: AWS::Serverless-2016-10-31\nResources: {}\n',
        /uses Transform "AWS::Serverless-2016-10-31": give the processed/,
      ],
      ['Resources:\n  A: { Properties: {} }\n', /Resources\.A: a resource needs a Type/],
      ['Resources:\n  A: { Type: X }\nParameters:\n  P: 3\n', /Parameters\.P must be a mapping/],
      ['Resources: []\n', /not a CloudFormation template/],
    ];
    for (const [text, message] of cases) assert.throws(() => parseTemplate(text, 'short.yaml'), message, text);
  });

  it('a byte-order mark is read past; a JSON error says where, never what the file holds', () => {
    assert.ok(parseTemplate('\uFEFF{"Resources": {"A": {"Type": "X"}}}', 'bom.json').Resources?.A);
    assert.throws(
      () => parseTemplate('{"Resources": {},\n "Secret": topsecretvalue}', 'secret.json'),
      (e: Error) => /^secret\.json(:2)?: not valid JSON$/.test(e.message) && !e.message.includes('topsecret'),
    );
  });

  it('a broken file says where; a file without Resources is not a template', () => {
    assert.throws(() => parseTemplate('Resources:\n  R: [\n', 'broken.yaml'), /^.*broken\.yaml:\d+:\d+: /);
    assert.throws(() => parseTemplate('{"Resources": ', 'broken.json'), /broken\.json(:\d+)?: not valid JSON/);
    assert.throws(() => parseTemplate('Outputs: {}\n', 'empty.yaml'), /empty\.yaml: not a CloudFormation template/);
  });
});

describe("the seed's system as plain CloudFormation", () => {
  it('a stacks file: order, parameters and the output that feeds a parameter; check finds the path', () => {
    const r = cli(seedPlain, 'check', 'stacks.yaml', '--expect', 'app -> orders-db', '--json');
    assert.equal(r.status, 0, r.stderr);
    const report = JSON.parse(r.stdout);
    assert.equal(report.expectations[0].result, 'holds');
    const flows = report.flows as { name: string; disposition: string }[];
    assert.ok(flows.length >= 2, 'the endpoint names and the private DNS names');
    assert.deepEqual([...new Set(flows.map((f) => f.disposition))], ['REACHABLE']);
    assert.ok(flows.some((f) => /^orders-owner-orderscluster-.*\.rds\.amazonaws\.com$/.test(f.name)));
  });

  it('template files as FILE@ACCOUNT/REGION, with --parameters and an output as a parameter (@STACK.OUTPUT)', () => {
    const r = cli(
      seedPlain,
      'check',
      'owner.yaml@111111111111/us-east-1',
      'consumer.json@111111111111/us-east-1',
      '--parameters',
      'owner:ConsumerAccount=111111111111',
      '--parameters',
      'consumer:ConfigurationArn=@owner.ConfigurationArn',
      '--expect',
      'app -> orders-db',
    );
    assert.equal(r.status, 0, r.stderr);
    assert.match(r.stdout, /✓ app -> orders-db: reachable/);
    const inspect = cli(seedPlain, 'inspect', 'stacks.yaml');
    assert.equal(inspect.status, 0, inspect.stderr);
    assert.match(inspect.stdout, /^configuration orders-db ARN rcfg-/m);
    assert.match(inspect.stdout, /^instance app i-[0-9a-f]{17} 10\.1\.0\.4$/m);
  });
});

describe('a cloud assembly folder written by hand', () => {
  it('the same model from a stacks file and from a cloud assembly folder whose manifest gives the parameters', () => {
    const stacks = readStacksFile(join(seedPlain, 'stacks.yaml'));
    const dir = join(work, 'assembly');
    cpSync(seedPlain, dir, { recursive: true });
    const artifacts = Object.fromEntries(
      stacks.map((s, i) => [
        s.name,
        {
          type: 'aws:cloudformation:stack',
          environment: `aws://${s.account}/${s.region}`,
          properties: {
            templateFile: `${s.name}.template.json`,
            ...(s.parameters && Object.keys(s.parameters).length ? { parameters: s.parameters } : {}),
          },
          ...(i ? { dependencies: [stacks[0]?.name] } : {}),
        },
      ]),
    );
    for (const s of stacks) {
      const template = { ...s.template, Metadata: { 'lattice-share:inputs': s.inputs } };
      writeFileSync(join(dir, `${s.name}.template.json`), JSON.stringify(template));
    }
    writeFileSync(join(dir, 'manifest.json'), JSON.stringify({ version: '36.0.0', artifacts }));
    assert.deepEqual(readAssembly(dir)[0]?.parameters, { ConsumerAccount: '111111111111' });
    const fromAssembly = loadModel(dir);
    const fromStacks = buildModel(stacks);
    assert.deepEqual(
      fromAssembly.endpoints.map((e) => e.associations.map((a) => a.dnsName)),
      fromStacks.endpoints.map((e) => e.associations.map((a) => a.dnsName)),
    );
  });
});

describe('command lines a user gets wrong, in one line each', () => {
  const cases: [string, string[], number, RegExp][] = [
    ['a template without account', ['check', 'owner.yaml'], 2, /owner\.yaml is a CloudFormation template: give/],
    ['a malformed spec', ['check', 'owner.yaml@1111/us-east-1'], 2, /write FILE@ACCOUNT\/REGION, as owner\.yaml@/],
    ['a Region AWS does not have', ['check', 'owner.yaml@111111111111/mars-1'], 2, /"mars-1" is not an AWS Region/],
    ['a missing file', ['inspect', 'nope.yaml@111111111111/us-east-1'], 2, /nope\.yaml: no such file/],
    [
      'a parameter without value',
      ['check', 'owner.yaml@111111111111/us-east-1'],
      2,
      /--parameters owner:ConsumerAccount=VALUE/,
    ],
    ['a malformed --parameters', ['check', 'stacks.yaml', '--parameters', 'x=1'], 2, /takes STACK:KEY=VALUE/],
    [
      'a parameter the stack lacks',
      ['inspect', 'stacks.yaml', '--parameters', 'orders-app:Nope=1'],
      1,
      /has no parameter Nope/,
    ],
    ['nothing to read', ['inspect'], 2, /expected what to read: a lattice-share\.yaml, a cloud assembly folder/],
    [
      'an output reference with a stacks file',
      ['check', 'stacks.yaml', '--parameters', 'orders-app:ConfigurationArn=@orders-owner.ConfigurationArn'],
      2,
      /@STACK\.OUTPUT takes an output with template files; a stacks file says it with inputs/,
    ],
  ];
  for (const [what, args, status, message] of cases)
    it(what, () => {
      const r = cli(seedPlain, ...args);
      assert.equal(r.status, status, r.stderr);
      assert.equal(r.stderr.trim().split('\n').length, 1, r.stderr);
      assert.match(r.stderr, message);
      assert.doesNotMatch(r.stderr, /\n\s+at /);
    });
});

describe('stacks files a user gets wrong, in one line each', () => {
  const stacksFile = (name: string, text: string) => {
    const file = join(work, name);
    cpSync(join(seedPlain, 'owner.yaml'), join(work, 'owner.yaml'));
    cpSync(join(seedPlain, 'consumer.json'), join(work, 'consumer.json'));
    writeFileSync(file, text);
    return file;
  };
  const broken: [string, string, RegExp][] = [
    ['an account that is not 12 digits', 'account: "1111"', /stacks\.0\.account: an account ID/],
    [
      'a stack that depends on a stranger',
      'dependsOn: [ghost]',
      /stacks\[0\]\.dependsOn: "ghost" is not another stack/,
    ],
    ['an unknown key', 'tempalte: x.yaml', /stacks\.0: Unrecognized key\(s\) in object: 'tempalte'/],
  ];
  for (const [what, line, message] of broken)
    it(`a stacks file with ${what}`, () => {
      const base = 'version: 1\nstacks:\n  - name: owner\n    template: owner.yaml\n    account: "111111111111"\n';
      const text = line.startsWith('account')
        ? base.replace('account: "111111111111"', line) + '    region: us-east-1\n'
        : `${base}    region: us-east-1\n    ${line}\n`;
      const file = stacksFile(`broken-${what.length}.yaml`, text);
      const r = cli(work, 'check', file);
      assert.equal(r.status, 2, r.stderr);
      assert.match(r.stderr, message);
      assert.equal(r.stderr.trim().split('\n').length, 1, r.stderr);
    });

  it('a stacks file giving a parameter its template lacks, and one naming its template by an absolute path', () => {
    const lacking = stacksFile(
      'lacking.yaml',
      'stacks:\n  - name: owner\n    template: owner.yaml\n    account: "111111111111"\n    region: us-east-1\n' +
        '    parameters: { ConsumerAccount: "111111111111", Typo: "1" }\n',
    );
    const r = cli(work, 'check', lacking);
    assert.equal(r.status, 2, `check exits 2 for input it cannot read: ${r.stderr}`);
    assert.match(r.stderr, /stack owner has no parameter Typo \(given a value or an output\)/);
    const absolute = stacksFile(
      'absolute.yaml',
      `stacks:\n  - name: owner\n    template: ${join(work, 'owner.yaml')}\n    account: "111111111111"\n` +
        '    region: us-east-1\n    parameters: { ConsumerAccount: "111111111111" }\n',
    );
    assert.equal(cli(work, 'inspect', absolute).status, 0);
  });

  it('two templates with the same file name, and a stacks file naming one stack twice', () => {
    const r = cli(seedPlain, 'check', 'owner.yaml@111111111111/us-east-1', './owner.yaml@222222222222/us-east-1');
    assert.equal(r.status, 2);
    assert.match(r.stderr, /two templates make stack owner: rename a file, or name the stacks in a stacks file/);
    const twice = stacksFile(
      'twice.yaml',
      'stacks:\n  - { name: a, template: owner.yaml, account: "111111111111", region: us-east-1 }\n' +
        '  - { name: a, template: consumer.json, account: "111111111111", region: us-east-1 }\n',
    );
    assert.match(cli(work, 'check', twice).stderr, /stacks\[1\]\.name: a is named twice/);
  });

  it('a file that is neither says what would be accepted', () => {
    writeFileSync(join(work, 'notes.txt'), 'hello\n');
    const r = cli(work, 'inspect', join(work, 'notes.txt'));
    assert.notEqual(r.status, 0);
    assert.doesNotMatch(r.stderr, /\n\s+at /);
    assert.equal(readFileSync(join(work, 'notes.txt'), 'utf8'), 'hello\n');
  });
});

describe('an invitation accepted by a Lambda-backed custom resource', () => {
  /** The partner fixture in a folder of its own, its partner template changed by `edit`; check's --json report. */
  const checkPartner = (edit: (template: string) => string = (template) => template) => {
    const dir = mkdtempSync(join(work, 'partner-'));
    cpSync(seedPartner, dir, { recursive: true });
    writeFileSync(join(dir, 'partner.yaml'), edit(readFileSync(join(seedPartner, 'partner.yaml'), 'utf8')));
    const r = cli(dir, 'check', 'stacks.yaml', '--facts', 'facts.yaml', '--json');
    return { status: r.status, stderr: r.stderr, report: JSON.parse(r.stdout || '{}') };
  };
  type Hop = { hop: string; status: string; reason?: string; detail: string };
  const shareHops = (report: { flows: { attempts: { hops: Hop[] }[] }[] }) =>
    report.flows.flatMap((f) => f.attempts.flatMap((a) => a.hops.filter((h) => h.hop === 'share')));

  it('counts as the acceptance of the share it is given, and the share hop says it was inferred', () => {
    const { status, report, stderr } = checkPartner();
    assert.equal(status, 0, stderr);
    const hops = shareHops(report);
    assert.ok(hops.length > 0);
    for (const hop of hops) {
      assert.equal(hop.status, 'pass');
      assert.match(
        hop.detail,
        /accepted \(inferred from Custom::AcceptShare AcceptShare, whose function AcceptFunction/,
      );
    }
  });

  it('code that does not accept, or a share it is not given, accepts nothing: the share hop blocks', () => {
    const variants = [
      (t: string) => t.replace(/ram\.accept_resource_share_invitation\([^)]*\)/s, 'print(invitation)'),
      (t: string) => t.replace('      ShareArn: !Ref ShareArn\n', '      Share: not-an-arn\n'),
    ];
    for (const edit of variants) {
      const { status, report } = checkPartner(edit);
      assert.equal(status, 1, 'an endpoint whose invitation is not accepted is an error finding');
      const findings = (report.findings as { id: string; severity: string }[]).filter((x) => x.severity === 'error');
      assert.ok(
        findings.some((x) => x.id.startsWith('LS-RAM')),
        JSON.stringify(findings),
      );
      const reasons = new Set(shareHops(report).map((h) => h.reason));
      assert.deepEqual([...reasons], ['INVITATION_NOT_ACCEPTED']);
    }
  });
});

describe('instances declared with NetworkInterfaces', () => {
  it('an interface that exists outside the templates leaves the instance out with a warning; the load goes on', () => {
    const file = join(work, 'outside.yaml');
    writeFileSync(
      file,
      [
        'Resources:',
        '  Vpc: { Type: AWS::EC2::VPC, Properties: { CidrBlock: 10.9.0.0/16 } }',
        '  Box:',
        '    Type: AWS::EC2::Instance',
        '    Properties:',
        '      NetworkInterfaces: [{ DeviceIndex: "0", NetworkInterfaceId: eni-0123456789abcdef0 }]',
      ].join('\n'),
    );
    const model = buildModel(readTemplateFiles([`${file}@111111111111/us-east-1`]));
    assert.deepEqual(model.instances, []);
    assert.ok(
      model.warnings.some((w) => /eni-0123456789abcdef0 is not in these templates: instance Box is left out/.test(w)),
    );
  });
});

describe('exports and imports between templates', () => {
  const template = (dir: string, name: string, body: string[]) => {
    writeFileSync(
      join(dir, name),
      ['Resources:', '  Vpc: { Type: AWS::EC2::VPC, Properties: { CidrBlock: 10.9.0.0/16 } }', ...body].join('\n'),
    );
    return join(dir, name);
  };
  const exporter = ['Outputs:', '  VpcId: { Value: !Ref Vpc, Export: { Name: shared-vpc } }'];
  const importer = [
    '  Group:',
    '    Type: AWS::EC2::SecurityGroup',
    '    Properties: { GroupDescription: g, VpcId: !ImportValue shared-vpc }',
  ];

  it('Fn::ImportValue reads an export of the same account and Region, and fails across accounts as CloudFormation does', () => {
    const dir = mkdtempSync(join(work, 'exports-'));
    const a = template(dir, 'a.yaml', exporter);
    const b = template(dir, 'b.yaml', importer);
    const same = buildModel(readTemplateFiles([`${a}@111111111111/us-east-1`, `${b}@111111111111/us-east-1`]));
    assert.equal(same.securityGroups.find((g) => g.description === 'g')?.vpcId, same.vpcs[0]?.id);
    assert.throws(
      () => buildModel(readTemplateFiles([`${a}@111111111111/us-east-1`, `${b}@222222222222/us-east-1`])),
      /Fn::ImportValue shared-vpc is exported by a in 111111111111\/us-east-1, not in 222222222222\/us-east-1: CloudFormation imports only within one account and Region/,
    );
  });

  it('a second export of one name in one account and Region is refused, as CloudFormation refuses it', () => {
    const dir = mkdtempSync(join(work, 'exports-'));
    const a = template(dir, 'a.yaml', exporter);
    const c = template(dir, 'c.yaml', exporter);
    assert.throws(
      () => buildModel(readTemplateFiles([`${a}@111111111111/us-east-1`, `${c}@111111111111/us-east-1`])),
      /export shared-vpc is already exported by a in 111111111111\/us-east-1/,
    );
    buildModel(readTemplateFiles([`${a}@111111111111/us-east-1`, `${c}@111111111111/eu-west-1`]));
  });
});

describe('custom resources the model does not read', () => {
  it('their attributes are values known only at deploy: the load goes on, and what they decide is UNKNOWN', () => {
    const dir = join(repo, 'test', 'fixtures', 'third-party', 'custom-resource-target');
    const model = buildModel(readStacksFile(join(dir, 'stacks.yaml')));
    const config = model.configurations.find((c) => c.name === 'orders-db');
    assert.deepEqual(config?.definition, { ip: '{{unknown orders-owner/DbAddress.Address}}' });
    const r = cli(dir, 'check', 'stacks.yaml', '--json');
    const report = JSON.parse(r.stdout) as {
      flows: { port: number; decidedBy?: { hop: string; reason?: string } }[];
      findings: { id: string }[];
    };
    const served = report.flows.filter((f) => f.port === 5432);
    assert.ok(served.length > 0);
    for (const f of served)
      assert.deepEqual(f.decidedBy && [f.decidedBy.hop, f.decidedBy.reason], ['target-dns', 'VALUE_UNKNOWN']);
    assert.deepEqual(
      report.findings.filter((x) => x.id === 'LS-RC3'),
      [],
      'an unknown target is not called a public one',
    );
  });
});
