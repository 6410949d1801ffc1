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
import { loadModel, type InfraModel } from '../src/model/index.js';
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

describe('the policy doctor prints', () => {
  it('holds every call the round trips above made, and no call doctor never makes', () => {
    assert.deepEqual([...sent].sort(), [...DOCTOR_ACTIONS].sort());
  });
});
