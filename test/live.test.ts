// doctor's live loader, against the AWS APIs as they would answer for each example (test/support/live.ts: real SDK
// clients whose send is replaced by aws-sdk-client-mock, pages of three items): check on what it reads gives the
// verdicts, hops and findings check gives on the templates. No call leaves the process.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { check, type CheckReport } from '../src/check/index.js';
import { drift, renderDrift, type DriftItem } from '../src/drift/index.js';
import { loadModel, type Endpoint, type InfraModel, type SecurityGroup } from '../src/model/index.js';
import type { Mutable } from '../src/model/live/reading.js';
import fc from 'fast-check';
import { DOCTOR_ACTIONS } from '../src/cli/commands/doctor.js';
import { readLive, snapshotOf, type AccountClients, type LiveTarget } from '../src/model/live/index.js';
import { apply, caseArb, REGRESSIONS, synthesizeBases } from './support/cases.js';
import { awsError, serveModel } from './support/live.js';
import { example, repo, synth } from './support/synth.js';
import { bin } from './support/twin.js';

/** What check decides, without where the model came from (a template's logical ID or a live ID). */
function verdicts(report: CheckReport): string[] {
  return report.flows
    .map(
      (f) =>
        `${f.client.label} ${f.name}:${f.port} ${f.disposition} ${f.attempts.map((a) => a.hops.map((h) => `${h.hop}=${h.status}${h.reason ? `(${h.reason})` : ''}`).join(' ')).join(' | ')}`,
    )
    .sort();
}

const targetsOf = (m: InfraModel): LiveTarget[] => [
  ...new Map(m.stacks.map((s) => [s.account, { account: s.account, region: s.region }])).values(),
];

/**
 * The one verdict the templates cannot give and a live account does: a target address in a VPC the templates only
 * reference (examples/existing-db's TCP service). The templates leave it UNKNOWN; the account lists what is there.
 */
const LIVE_KNOWS_MORE = new Set(['TARGET_UNKNOWN']);

/** The services doctor's clients call, as IAM names them. */
const SERVICE = {
  ec2: 'ec2',
  rds: 'rds',
  ram: 'ram',
  lattice: 'vpc-lattice',
  events: 'events',
  sfn: 'states',
  route53: 'route53',
  cloudformation: 'cloudformation',
};
/** Every IAM action the round trips made (`ec2:DescribeVpcs`…): the policy doctor prints must hold them all. */
const sent = new Set<string>();

/** The clients, with every command they send written down by its IAM action. */
const recording = (clientsFor: (t: LiveTarget) => AccountClients) => (t: LiveTarget) =>
  Object.fromEntries(
    Object.entries(clientsFor(t)).map(([key, client]) => [
      key,
      {
        send: (command: object) => {
          sent.add(`${SERVICE[key as keyof typeof SERVICE]}:${command.constructor.name.replace(/Command$/, '')}`);
          return client.send(command);
        },
      },
    ]),
  ) as unknown as AccountClients;

/** check on the templates' model, and on what doctor reads back from the APIs answering for it, flow by flow. */
async function roundTrip(templates: InfraModel): Promise<{ expected: string[]; got: string[]; findings: string[][] }> {
  const served = serveModel(templates, 3);
  try {
    const accounts = Object.fromEntries(templates.stacks.map((x) => [x.account, x]));
    const live = await readLive(targetsOf(templates), recording(served.clientsFor), { accounts });
    assert.deepEqual(live.problems, []);
    const [before, after] = [check(templates), check(live.model)];
    const kept = before.flows.filter(
      (f) => !f.attempts.some((a) => a.hops.some((h) => LIVE_KNOWS_MORE.has(h.reason ?? ''))),
    );
    const keys = new Set(kept.map((f) => `${f.client.label} ${f.name}:${f.port}`));
    const same = (r: CheckReport) => ({
      ...r,
      flows: r.flows.filter((f) => keys.has(`${f.client.label} ${f.name}:${f.port}`)),
    });
    return {
      expected: verdicts(same(before)),
      got: verdicts(same(after)),
      findings: [before, after].map((r) => r.findings.map((x) => x.id).sort()),
    };
  } finally {
    served.restore();
  }
}

describe('doctor reads back what the templates would deploy', () => {
  for (const name of readdirSync(join(repo, 'examples')).sort()) {
    it(`examples/${name}: check on the live model gives the templates' verdicts and findings`, async () => {
      const s = synth({ file: example(name) });
      try {
        const { expected, got, findings } = await roundTrip(loadModel(s.dir));
        assert.deepEqual(got, expected);
        assert.deepEqual(findings[1], findings[0]);
      } finally {
        s.cleanup();
      }
    });
  }
  it("the agreement test's topologies (its regressions, and generated ones from its seed)", async () => {
    const work = mkdtempSync(join(tmpdir(), 'ls-live-cases-'));
    try {
      const bases = await synthesizeBases(work);
      const generated = fc.sample(caseArb, { seed: 20261206, numRuns: Number(process.env.LIVE_CASES ?? 16) });
      for (const c of [...REGRESSIONS, ...generated]) {
        const dir = apply(bases[c.base] ?? '', c);
        try {
          const { expected, got, findings } = await roundTrip(loadModel(dir));
          assert.deepEqual(got, expected, `case ${JSON.stringify(c)}`);
          assert.deepEqual(findings[1], findings[0], `case ${JSON.stringify(c)}`);
        } finally {
          rmSync(dir, { recursive: true, force: true });
        }
      }
    } finally {
      rmSync(work, { recursive: true, force: true });
    }
  });
  it("a private zone's records are read with its VPCs: they resolve there only (examples/private-api)", async () => {
    const s = synth({ file: example('private-api') });
    try {
      const deployed = structuredClone(loadModel(s.dir));
      const owner = deployed.gateways[0]?.vpcId ?? '';
      const [record] = deployed.records as { vpcIds?: string[] }[];
      if (record) record.vpcIds = [owner];
      const { expected, got } = await roundTrip(deployed);
      assert.deepEqual(got, expected);
      assert.ok(
        got.length && got.every((x) => /BLOCKED .*target-dns=block\(TARGET_NOT_RESOLVED\)/.test(x)),
        got.join('\n'),
      );
    } finally {
      s.cleanup();
    }
  });
});

describe('doctor when AWS is slow or says no', () => {
  it('retries a throttled call with backoff, and reads the same', async () => {
    const s = synth({ file: example('seed') });
    const templates = loadModel(s.dir);
    const throttled = awsError('ThrottlingException', 'Rate exceeded');
    const served = serveModel(templates, 2, [
      { account: '111111111111', call: 'DescribeSubnets', error: throttled, times: 2 },
    ]);
    try {
      const live = await readLive(targetsOf(templates), served.clientsFor, { backoffMs: 1 });
      assert.deepEqual(live.problems, []);
      assert.deepEqual(verdicts(check(live.model)).length, verdicts(check(templates)).length);
    } finally {
      served.restore();
      s.cleanup();
    }
  });
  it('goes on when one of two accounts denies a call, and names the account and the call', async () => {
    const s = synth({ file: example('seed') });
    const templates = loadModel(s.dir);
    const denied = awsError(
      'AccessDeniedException',
      'User is not authorized to perform: ram:GetResourceShareInvitations',
    );
    const served = serveModel(templates, 3, [
      { account: '222222222222', call: 'GetResourceShareInvitations', error: denied },
    ]);
    try {
      const live = await readLive(targetsOf(templates), served.clientsFor, { backoffMs: 1 });
      assert.deepEqual(
        live.problems.map((p) => [p.account, p.call]),
        [['222222222222', 'ram:GetResourceShareInvitations']],
      );
      assert.match(live.problems[0]?.message ?? '', /not authorized/);
      assert.ok(
        live.model.vpcs.some((v) => v.account === '222222222222'),
        'the rest of that account is read',
      );
      const app = check(live.model).flows.filter((f) => f.client.label === 'app' && f.nameKind === 'private-dns');
      assert.ok(
        app.length && app.every((f) => f.disposition === 'UNKNOWN' && f.decidedBy?.reason === 'ACCOUNT_UNREAD'),
      );
    } finally {
      served.restore();
      s.cleanup();
    }
  });
});

describe('what only the deployed system says', () => {
  it('a failed endpoint and an expired invitation, read back with their verdicts and messages', async () => {
    const s = synth({ file: example('seed') });
    const deployed = structuredClone(loadModel(s.dir)) as InfraModel & { invitations?: unknown[] };
    const [failed] = deployed.endpoints as { id: string; state?: string; lastError?: string }[];
    if (failed) Object.assign(failed, { state: 'Failed', lastError: 'InvalidParameter the configuration is gone' });
    const share = deployed.shares[0]?.arn ?? '';
    deployed.acceptances.length = 0;
    const invitation = 'arn:aws:ram:us-east-1:111111111111:resource-share-invitation/7e57';
    deployed.invitations = [
      {
        arn: invitation,
        account: '222222222222',
        shareArn: share,
        status: 'EXPIRED',
        sentAt: '2026-12-01T00:00:00.000Z',
      },
    ];
    const served = serveModel(deployed, 3);
    try {
      const live = await readLive(targetsOf(deployed), served.clientsFor, { backoffMs: 1 });
      const report = check(live.model);
      const re4 = report.findings.find((f) => f.id === 'LS-RE4');
      assert.match(
        re4?.message ?? '',
        new RegExp(`endpoint ${failed?.id} is Failed: InvalidParameter the configuration is gone`),
      );
      const hop = report.flows.find((f) => f.client.label === 'app')?.decidedBy;
      assert.equal(hop?.reason, 'INVITATION_NOT_ACCEPTED');
      assert.match(hop?.detail ?? '', /invitation to share .* is EXPIRED/);
      assert.match(hop?.fix ?? '', /lattice-share reinvite/);
    } finally {
      served.restore();
      s.cleanup();
    }
  });
});

describe('what EC2 says in its own words', () => {
  it('network ACL protocols come as IANA numbers (6), and the `*` entries are left to check', async () => {
    const s = synth({ file: example('seed') });
    const deployed = structuredClone(loadModel(s.dir));
    const vpc = deployed.vpcs[0];
    const entry = { egress: false, action: 'allow' as const, cidr: '10.9.0.0/16', fromPort: 5432, toPort: 5432 };
    deployed.networkAcls.push({
      id: 'acl-0123456789abcdef0',
      vpcId: vpc?.id,
      account: vpc?.account ?? '',
      isDefault: false,
      created: true,
      entries: [
        { ...entry, ruleNumber: 100, protocol: 'tcp' },
        { ...entry, ruleNumber: 32767, protocol: '-1', action: 'deny' },
      ],
      subnetIds: [],
    });
    const served = serveModel(deployed, 3);
    try {
      const live = await readLive(targetsOf(deployed), served.clientsFor);
      const acl = live.model.networkAcls.find((a) => a.id === 'acl-0123456789abcdef0');
      assert.deepEqual(
        acl?.entries.map((e) => [e.ruleNumber, e.protocol]),
        [[100, 'tcp']],
      );
    } finally {
      served.restore();
      s.cleanup();
    }
  });
});

describe('what a call that failed would have said is UNKNOWN, not absent', () => {
  /** The seed read with `faults`, checked: the app's flows to the database's names. */
  async function appFlows(faults: Parameters<typeof serveModel>[2]) {
    const s = synth({ file: example('seed') });
    const templates = loadModel(s.dir);
    const served = serveModel(templates, 3, faults);
    try {
      const live = await readLive(targetsOf(templates), served.clientsFor, { backoffMs: 1 });
      const flows = check(live.model).flows.filter((f) => f.client.label === 'app' && f.nameKind === 'private-dns');
      return { live, flows };
    } finally {
      served.restore();
      s.cleanup();
    }
  }
  const denied = (call: string) => awsError('AccessDeniedException', `User is not authorized to perform: ${call}`);
  it('RDS denied in the owner account: the cluster is known by its configuration, where it answers is UNKNOWN', async () => {
    const { live, flows } = await appFlows([
      { account: '111111111111', call: 'DescribeDBClusters', error: denied('rds:DescribeDBClusters') },
    ]);
    const [db] = live.model.databases;
    assert.equal(db?.created, false);
    assert.match(db?.writerName ?? '', /\.cluster-[a-z0-9]+\.us-east-1\.rds\.amazonaws\.com$/);
    assert.equal(db?.port, 5432);
    assert.ok(flows.length && flows.every((f) => f.disposition === 'UNKNOWN'));
    assert.ok(
      flows.every((f) => f.decidedBy?.reason === 'TARGET_ADDRESS_UNKNOWN'),
      flows[0]?.decidedBy?.reason,
    );
  });
  it("interfaces denied in the owner account: its VPC's contents are unknown, nothing is BLOCKED for it", async () => {
    const { live, flows } = await appFlows([
      { account: '111111111111', call: 'DescribeNetworkInterfaces', error: denied('ec2:DescribeNetworkInterfaces') },
    ]);
    assert.ok(live.model.vpcs.filter((v) => v.account === '111111111111').every((v) => !v.created));
    assert.ok(flows.length && flows.every((f) => f.disposition !== 'BLOCKED' && f.disposition !== 'REACHABLE'));
  });
  it("the consumer read alone: the owner's configuration is its side, with the share the consumer accepted", async () => {
    const s = synth({ file: example('seed') });
    const templates = loadModel(s.dir);
    const served = serveModel(templates, 3);
    try {
      const live = await readLive([{ account: '222222222222', region: 'us-east-1' }], served.clientsFor, {
        accounts: { '111111111111': { party: 'Owner Co.' } },
      });
      const parent = live.model.configurations.find((c) => c.type === 'ARN');
      assert.equal(parent?.outside?.party, 'Owner Co.');
      assert.equal(parent?.outside?.shareArn, templates.shares[0]?.arn);
      const app = check(live.model).flows.filter((f) => f.client.label === 'app');
      assert.ok(app.length && app.every((f) => f.decidedBy?.reason === 'OWNER_SIDE_OUTSIDE'));
      assert.match(app[0]?.decidedBy?.fix ?? '', /^ask Owner Co\. to confirm/);
    } finally {
      served.restore();
      s.cleanup();
    }
  });
});

describe("from the owner's side alone", () => {
  it("lists the consumers' endpoints on its configurations, though their accounts are not read", async () => {
    const s = synth({ file: example('seed') });
    const templates = loadModel(s.dir);
    const served = serveModel(templates, 3);
    try {
      const live = await readLive([{ account: '111111111111', region: 'us-east-1' }], served.clientsFor);
      const expected = templates.endpoints.map((e) => [e.id, e.account]).sort();
      assert.deepEqual((live.model.seenEndpoints ?? []).map((x) => [x.endpointId, x.account]).sort(), expected);
      assert.ok(expected.length === 2 && expected.every(([, account]) => account === '222222222222'));
    } finally {
      served.restore();
      s.cleanup();
    }
  });
});

describe('the doctor command', () => {
  const run = (args: string[], env: NodeJS.ProcessEnv = {}) =>
    spawnSync(process.execPath, [bin, 'doctor', ...args], {
      encoding: 'utf8',
      env: { PATH: process.env.PATH, HOME: '/nonexistent', ...env },
    });
  it('prints its help and a read-only policy', () => {
    assert.equal(run(['--help']).status, 0);
    const printed = run(['--print-policy']);
    assert.equal(printed.status, 0);
    const actions = (JSON.parse(printed.stdout) as { Statement: { Action: string[] }[] }).Statement.flatMap(
      (x) => x.Action,
    );
    assert.ok(
      actions.length >= 10 && actions.every((a) => /^[a-z0-9-]+:(Describe|Get|List)\w+$/.test(a)),
      actions.join(' '),
    );
  });
  it('exits 2 with one line for what it cannot use: no credentials, no accounts, a bad account ID', () => {
    const none = run(['--accounts', '111111111111', '--region', 'us-east-1']);
    assert.equal(none.status, 2);
    assert.match(none.stderr, /^lattice-share: doctor needs AWS credentials: set AWS_PROFILE, give --profile/);
    assert.equal(none.stderr.trim().split('\n').length, 1);
    assert.equal(run(['--region', 'us-east-1']).status, 2);
    assert.match(run(['--accounts', '12', '--region', 'us-east-1']).stderr, /12-digit account IDs/);
  });
  it('--against takes what check takes, and refuses one line for a missing file or stacks in no account read', () => {
    const keys = { AWS_ACCESS_KEY_ID: 'AKIDTEST', AWS_SECRET_ACCESS_KEY: 'not-a-secret' };
    const target = ['--accounts', '999999999999', '--region', 'us-east-1'];
    const missing = run([...target, '--against', '/nonexistent/lattice-share.yaml'], keys);
    assert.equal(missing.status, 2);
    assert.equal(missing.stderr.trim().split('\n').length, 1, missing.stderr);
    const elsewhere = run([...target, '--against', example('seed')], keys);
    assert.equal(elsewhere.status, 2, elsewhere.stderr);
    assert.match(elsewhere.stderr, /--against .*: none of its stacks is in the accounts read \(999999999999\)/);
  });
  it('saves what it read, and check reads the snapshot again without credentials', async () => {
    const s = synth({ file: example('seed') });
    const templates = loadModel(s.dir);
    const served = serveModel(templates, 3);
    const dir = mkdtempSync(join(tmpdir(), 'ls-snapshot-'));
    try {
      const targets = targetsOf(templates);
      const live = await readLive(targets, served.clientsFor);
      const file = join(dir, 'snapshot.json');
      writeFileSync(file, JSON.stringify(snapshotOf(live, targets, new Date())));
      const again = spawnSync(process.execPath, [bin, 'check', file, '--json'], { encoding: 'utf8' });
      assert.equal(again.status, 0, again.stderr);
      assert.deepEqual(verdicts(JSON.parse(again.stdout) as CheckReport), verdicts(check(live.model)));
      assert.doesNotMatch(readFileSync(file, 'utf8'), /password|secretAccessKey/i);
    } finally {
      served.restore();
      rmSync(dir, { recursive: true, force: true });
      s.cleanup();
    }
  });
});

/** The templates' stacks, by account: what doctor asks CloudFormation for. */
const stacksOf = (m: InfraModel) => {
  const out: Record<string, string[]> = {};
  for (const s of m.stacks) (out[s.account] ??= []).push(s.name);
  return out;
};

/** What doctor --against finds: the templates, against `deployed` served by the mocked APIs. */
async function driftOf(templates: InfraModel, deployed: InfraModel) {
  const served = serveModel(deployed, 3);
  try {
    const live = await readLive(targetsOf(templates), recording(served.clientsFor), { stacks: stacksOf(templates) });
    assert.deepEqual(live.problems, []);
    return drift(templates, live.model, live.stackResources);
  } finally {
    served.restore();
  }
}

describe('drift: what is deployed as written has none (doctor --against)', () => {
  for (const name of ['seed', 'service-network', 'private-api', 'existing-db']) {
    it(`examples/${name} deployed as written: no drift`, async () => {
      const s = synth({ file: example(name) });
      try {
        const templates = loadModel(s.dir);
        assert.deepEqual(await driftOf(templates, templates), []);
      } finally {
        s.cleanup();
      }
    });
  }
});

describe('drift: what differs, with the template path that sets it (doctor --against)', () => {
  it('names each rule, principal, setting and resource that differs, with the template path that sets it', async () => {
    const s = synth({ file: example('seed') });
    try {
      const templates = loadModel(s.dir);
      const deployed = structuredClone(templates) as Mutable<InfraModel>;
      const db = deployed.databases[0];
      const group = deployed.securityGroups.find((g) => g.id === db?.securityGroupIds[0]) as Mutable<SecurityGroup>;
      const [removed] = group.ingress.splice(0, 1);
      group.ingress.push({ protocol: 'tcp', fromPort: 5432, toPort: 5432, peer: { cidr: '0.0.0.0/0' } });
      const [first, second] = deployed.endpoints as Mutable<Endpoint>[];
      if (first) first.privateDns = !first.privateDns;
      if (second) deployed.endpoints.splice(deployed.endpoints.indexOf(second), 1);
      const share = deployed.shares[0] as Mutable<InfraModel['shares'][number]>;
      share.principals = [...share.principals, { kind: 'account', id: '999999999999' }];
      const items = await driftOf(templates, deployed);
      const line = (x: DriftItem) => `${x.change} ${x.what} @ ${x.path}`;
      const lines = items.map(line);
      const has = (pattern: RegExp) =>
        assert.ok(
          lines.some((x) => pattern.test(x)),
          `${pattern}\n${lines.join('\n')}`,
        );
      has(
        new RegExp(
          `^missing ingress rule tcp 5432-5432 from \\S+ of ${group.id} @ ${removed?.source?.stack}/${removed?.source?.logicalId}$`,
        ),
      );
      has(
        new RegExp(
          `^extra ingress rule tcp 5432-5432 from 0\\.0\\.0\\.0/0 of ${group.id} @ .*/${group.source?.logicalId}$`,
        ),
      );
      has(new RegExp(`^changed endpoint ${first?.id}: private DNS @ .*\\.PrivateDnsEnabled$`));
      has(new RegExp(`^missing endpoint ${second?.id}: .* @ .*/${second?.source.logicalId}$`));
      has(/^changed share .*: principals @ .*\.Principals$/);
      assert.equal(items.find((x) => x.what.includes('principals'))?.live, '222222222222, 999999999999');
      assert.equal(items.length, 5, lines.join('\n'));
      assert.match(renderDrift(items), /^drift: 5 difference\(s\)/);
    } finally {
      s.cleanup();
    }
  });
  it('a stack of the templates that is not deployed is missing, not a failed call', async () => {
    const s = synth({ file: example('seed') });
    try {
      const templates = loadModel(s.dir);
      const deployed = structuredClone(templates) as Mutable<InfraModel>;
      const gone = deployed.stacks.splice(deployed.stacks.length - 1, 1)[0];
      const items = await driftOf(templates, deployed);
      assert.ok(items.some((x) => x.change === 'missing' && x.what === `stack ${gone?.name} is not deployed`));
    } finally {
      s.cleanup();
    }
  });
});

describe('the policy doctor prints', () => {
  it('holds every call the round trips above made, and no call doctor never makes', () => {
    assert.deepEqual([...sent].sort(), [...DOCTOR_ACTIONS].sort());
  });
});
