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
import { DescribeNetworkInterfacesCommand } from '@aws-sdk/client-ec2';
import fc from 'fast-check';
import { DOCTOR_ACTIONS, sidesOf as sidesOfConfig } from '../src/cli/commands/doctor.js';
import {
  callsFor,
  readLive,
  snapshotOf,
  type AccountClients,
  type LiveTarget,
  type Side,
} from '../src/model/live/index.js';
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
/** The calls each account was asked, by IAM action. */
const sentBy = new Map<string, Set<string>>();

/** The clients, with every command they send written down by its IAM action (overall, and by account). */
const recording = (clientsFor: (t: LiveTarget) => AccountClients) => (t: LiveTarget) =>
  Object.fromEntries(
    Object.entries(clientsFor(t)).map(([key, client]) => [
      key,
      {
        send: (command: object) => {
          const action = `${SERVICE[key as keyof typeof SERVICE]}:${command.constructor.name.replace(/Command$/, '')}`;
          sent.add(action);
          sentBy.set(t.account, (sentBy.get(t.account) ?? new Set()).add(action));
          return client.send(command);
        },
      },
    ]),
  ) as unknown as AccountClients;

/**
 * Each account's sides, from what the templates make in it (as a config tells doctor): an owner has gateways,
 * configurations, shares, databases or service networks; a consumer has endpoints, acceptances or API callers.
 */
function sidesOf(m: InfraModel): Record<string, { sides: Side[] }> {
  const owners = [...m.gateways, ...m.configurations.filter((c) => !c.outside), ...m.shares, ...m.serviceNetworks];
  const consumers = [...m.endpoints, ...m.acceptances, ...m.connections, ...m.calls];
  const out: Record<string, { sides: Side[] }> = {};
  for (const [list, side] of [
    [owners, 'owner'],
    [consumers, 'consumer'],
  ] as const)
    for (const x of list) (out[x.account] ??= { sides: [] }).sides.push(side);
  for (const x of m.databases) (out[x.account] ??= { sides: [] }).sides.push('owner');
  return out;
}

/** check on the templates' model, and on what doctor reads back from the APIs answering for it, flow by flow. */
async function roundTrip(
  templates: InfraModel,
  given?: Record<string, { sides: Side[] }>,
): Promise<{ expected: string[]; got: string[]; findings: string[][] }> {
  const served = serveModel(templates, 3);
  sentBy.clear();
  try {
    // Each account is asked only its sides' calls (a config's, as doctor --config takes them, or the model's): the
    // least policies are enough for the same verdicts.
    const sides = given ?? sidesOf(templates);
    const accounts = Object.fromEntries(templates.stacks.map((x) => [x.account, { ...x, ...sides[x.account] }]));
    const live = await readLive(targetsOf(templates), recording(served.clientsFor), { accounts });
    assert.deepEqual(live.problems, []);
    for (const [account, actions] of sentBy) {
      const allowed = callsFor(sides[account]?.sides);
      assert.deepEqual(
        [...actions].filter((a) => !allowed.includes(a)),
        [],
        `account ${account}`,
      );
    }
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
        const sides = Object.fromEntries(
          [...sidesOfConfig(s.topology)].map(([account, set]) => [account, { sides: [...set] }]),
        );
        const { expected, got, findings } = await roundTrip(loadModel(s.dir), sides);
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
      assert.deepEqual(verdicts(check(live.model)), verdicts(check(templates)));
      const again = await readLive(targetsOf(templates), served.clientsFor, { backoffMs: 1 });
      assert.equal(live.calls.ec2, (again.calls.ec2 ?? 0) + 2, 'the two throttled calls were made again');
    } finally {
      served.restore();
      s.cleanup();
    }
  });
});

describe('doctor does not ask one service too much at once', () => {
  it('asks one service of one account at most perService calls at once', async () => {
    const s = synth({ file: example('seed') });
    const templates = loadModel(s.dir);
    const served = serveModel(templates, 3, [], 5);
    const inFlight = new Map<string, number>();
    let peak = 0;
    const counted = (t: LiveTarget) =>
      Object.fromEntries(
        Object.entries(served.clientsFor(t)).map(([service, client]) => [
          service,
          {
            send: async (command: object) => {
              const key = `${t.account}/${service}`;
              inFlight.set(key, (inFlight.get(key) ?? 0) + 1);
              peak = Math.max(peak, inFlight.get(key) ?? 0);
              try {
                return await client.send(command);
              } finally {
                inFlight.set(key, (inFlight.get(key) ?? 1) - 1);
              }
            },
          },
        ]),
      ) as unknown as AccountClients;
    try {
      const live = await readLive(targetsOf(templates), counted, { perService: 2 });
      assert.deepEqual(live.problems, []);
      assert.equal(peak, 2, 'EC2 alone has more than two calls to make at once');
    } finally {
      served.restore();
      s.cleanup();
    }
  });
});

describe('doctor when an account says no', () => {
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
      // The flow stops at the endpoint AWS says failed, and at the expired invitation after it.
      const app = report.flows.find((f) => f.client.label === 'app');
      assert.ok(app);
      assert.equal(app.decidedBy?.reason, 'ENDPOINT_NOT_AVAILABLE');
      const hop = app.attempts.flatMap((a) => a.hops).find((h) => h.reason === 'INVITATION_NOT_ACCEPTED');
      assert.ok(hop);
      assert.equal(hop.status, 'block');
      assert.match(hop.detail, /invitation to share .* is EXPIRED/);
      assert.match(hop.fix ?? '', /lattice-share reinvite/);
    } finally {
      served.restore();
      s.cleanup();
    }
  });
});

describe('a fix on a deployed group is the one AWS CLI call that adds the rule', () => {
  it("the gateway's rule missing from the database's group, and the client's egress", async () => {
    const s = synth({ file: example('seed') });
    const deployed = structuredClone(loadModel(s.dir)) as Mutable<InfraModel>;
    const db = deployed.databases[0];
    const group = deployed.securityGroups.find((g) => g.id === db?.securityGroupIds[0]) as Mutable<SecurityGroup>;
    group.ingress = [];
    const served = serveModel(deployed, 3);
    try {
      const live = await readLive(targetsOf(deployed), served.clientsFor);
      const flows = check(live.model).flows;
      const app = flows.find((f) => f.client.label === 'app' && f.nameKind === 'private-dns')?.decidedBy;
      const gatewayGroup = deployed.gateways[0]?.securityGroupIds[0];
      assert.equal(app?.reason, 'NO_INGRESS_RULE');
      assert.equal(
        app?.fix,
        `in account 111111111111: aws ec2 authorize-security-group-ingress --region us-east-1 --group-id ${group.id} --ip-permissions 'IpProtocol=tcp,FromPort=5432,ToPort=5432,UserIdGroupPairs=[{GroupId=${gatewayGroup}}]'`,
      );
      const other = flows.find((f) => f.client.label === 'other')?.decidedBy;
      assert.equal(other?.reason, 'NO_EGRESS_RULE');
      assert.match(
        other?.fix ?? '',
        /^in account 222222222222: aws ec2 authorize-security-group-egress --region us-east-1 --group-id sg-[0-9a-f]+ --ip-permissions 'IpProtocol=tcp,FromPort=5432,ToPort=5432,UserIdGroupPairs=\[\{GroupId=sg-[0-9a-f]+\}\]'$/,
      );
      // The same hop on the templates still names the template resource to change.
      const fromTemplates = check(deployed).flows.find((f) => f.client.label === 'app')?.decidedBy;
      assert.match(fromTemplates?.fix ?? '', /^add to sg-[0-9a-f]+ \(LatticeShare-owner-owner\/\w+\) an ingress rule/);
    } finally {
      served.restore();
      s.cleanup();
    }
  });
});

describe('a fix on a deployed share is the one AWS RAM call', () => {
  it('an account missing from the principals: associate-resource-share in the owner account', async () => {
    const s = synth({ file: example('seed') });
    const deployed = structuredClone(loadModel(s.dir)) as Mutable<InfraModel>;
    const share = deployed.shares[0] as Mutable<InfraModel['shares'][number]>;
    share.principals = [];
    const served = serveModel(deployed, 3);
    try {
      const live = await readLive(targetsOf(deployed), served.clientsFor);
      const app = check(live.model).flows.find((f) => f.client.label === 'app')?.decidedBy;
      assert.equal(app?.reason, 'NOT_SHARED');
      assert.equal(
        app?.fix,
        `in account 111111111111: aws ram associate-resource-share --resource-share-arn ${share.arn} --principals 222222222222 --region us-east-1`,
      );
    } finally {
      served.restore();
      s.cleanup();
    }
  });
});

describe('what EC2 hides unless asked', () => {
  it("a gateway's interfaces are managed: listed only with IncludeManagedResources, which doctor sets", async () => {
    const s = synth({ file: example('seed') });
    const templates = loadModel(s.dir);
    const served = serveModel(templates, 3);
    try {
      const owner = { account: '111111111111', region: 'us-east-1' };
      /** Every interface the owner's EC2 lists, page after page. */
      const listed = async (IncludeManagedResources?: boolean) => {
        const ids: string[] = [];
        let NextToken: string | undefined;
        do {
          const page = (await served
            .clientsFor(owner)
            .ec2.send(
              new DescribeNetworkInterfacesCommand({ MaxResults: 1000, IncludeManagedResources, NextToken }),
            )) as { NetworkInterfaces?: { NetworkInterfaceId?: string }[]; NextToken?: string };
          ids.push(...(page.NetworkInterfaces ?? []).map((n) => n.NetworkInterfaceId ?? ''));
          NextToken = page.NextToken;
        } while (NextToken);
        return ids;
      };
      const gatewayEnis = templates.gateways.flatMap((g) => g.eniIds);
      assert.ok(gatewayEnis.length > 0);
      assert.ok(!(await listed()).some((id) => gatewayEnis.includes(id)), 'hidden by default');
      const managed = await listed(true);
      assert.ok(
        gatewayEnis.every((id) => managed.includes(id)),
        'listed when asked for',
      );
      const live = await readLive(targetsOf(templates), served.clientsFor);
      assert.deepEqual(live.model.gateways.flatMap((g) => g.eniIds).sort(), [...gatewayEnis].sort());
      // With the gateway's interfaces, the verified system's app reaches the database through a zone they share.
      const app = check(live.model).flows.filter((f) => f.client.label === 'app');
      assert.ok(app.length && app.every((f) => f.disposition === 'REACHABLE'));
      assert.ok(app.every((f) => f.attempts[0]?.hops.some((h) => h.hop === 'az' && h.status === 'pass')));
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

describe('what a call that failed would have said is UNKNOWN, not absent', () => {
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
});

describe('what a failed RAM call leaves UNKNOWN', () => {
  it("the owner's share principals denied: whether it is shared is UNKNOWN (ACCOUNT_UNREAD), not NOT_SHARED", async () => {
    const { live, flows } = await appFlows([
      {
        account: '111111111111',
        call: 'GetResourceShareAssociations',
        error: denied('ram:GetResourceShareAssociations'),
      },
    ]);
    assert.deepEqual(live.model.shares, []);
    assert.ok(flows.length && flows.every((f) => f.disposition === 'UNKNOWN'));
    assert.ok(
      flows.every((f) => f.decidedBy?.reason === 'ACCOUNT_UNREAD'),
      flows[0]?.decidedBy?.detail,
    );
    assert.match(
      flows[0]?.decidedBy?.detail ?? '',
      /account 111111111111's shares could not be read \(ram:GetResourceShareAssociations/,
    );
  });
  it("shares unread in another Region leave this Region's sharing as read", () => {
    const s = synth({ file: example('seed') });
    try {
      const m = structuredClone(loadModel(s.dir)) as InfraModel & { unread?: unknown[] };
      const call = { what: 'shares' as const, call: 'ram:GetResourceShares', message: 'denied' };
      m.unread = [{ account: '111111111111', region: 'eu-west-1', ...call }];
      m.shares.length = 0;
      const away = check(m).flows.find((f) => f.client.label === 'app')?.decidedBy;
      assert.equal(away?.reason, 'NOT_SHARED');
      m.unread = [{ account: '111111111111', region: 'us-east-1', ...call }];
      assert.equal(check(m).flows.find((f) => f.client.label === 'app')?.decidedBy?.reason, 'ACCOUNT_UNREAD');
    } finally {
      s.cleanup();
    }
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

describe('who pays the resource-gateway charges', () => {
  it("read from the partner's endpoint, or from the owner's side when the partner's cannot be listed (LS-RE5)", async () => {
    const s = synth({ file: example('seed') });
    const deployed = structuredClone(loadModel(s.dir));
    for (const e of deployed.endpoints as { payer?: string }[]) e.payer = 'resource-gateway-account';
    // The partner's endpoints cannot be listed the second time: the owner's side still says who pays.
    const denied = awsError('UnauthorizedOperation', 'You are not authorized to perform this operation.');
    const served = serveModel(deployed, 3, [
      { account: '222222222222', call: 'DescribeVpcEndpoints', error: denied, times: 1 },
    ]);
    try {
      const accounts = Object.fromEntries(deployed.stacks.map((x) => [x.account, x]));
      const owner = await readLive(targetsOf(deployed), served.clientsFor, { accounts, backoffMs: 1 });
      const both = await readLive(targetsOf(deployed), served.clientsFor, { accounts });
      assert.equal(owner.model.endpoints.length, 0);
      assert.ok(both.model.endpoints.every((e) => e.payer === 'resource-gateway-account'));
      assert.ok((owner.model.seenEndpoints ?? []).every((e) => e.payer === 'resource-gateway-account'));
      for (const live of [both, owner]) {
        const paid = check(live.model).findings.filter((x) => x.id === 'LS-RE5');
        assert.equal(paid.length, deployed.endpoints.length);
        assert.ok(paid.every((x) => /account 222222222222 \(outside the organization\)/.test(x.message)));
      }
    } finally {
      served.restore();
      s.cleanup();
    }
  });
});

describe('a principal RAM failed to associate', () => {
  it('on a share that does not allow external principals: that is the answer, and the share to change', async () => {
    const s = synth({ file: example('seed') });
    const deployed = structuredClone(loadModel(s.dir)) as Mutable<InfraModel>;
    const share = deployed.shares[0] as Mutable<InfraModel['shares'][number]>;
    share.principals = [];
    share.allowExternalPrincipals = false;
    share.failedPrincipals = [{ principal: '222222222222', message: 'The principal is not in your organization' }];
    const served = serveModel(deployed, 3);
    try {
      const live = await readLive(targetsOf(deployed), served.clientsFor, {
        accounts: { '222222222222': { inOrganization: false } },
      });
      const app = check(live.model).flows.find((f) => f.client.label === 'app')?.decidedBy;
      assert.equal(app?.reason, 'EXTERNAL_PRINCIPALS_NOT_ALLOWED');
      assert.match(app?.fix ?? '', /aws ram update-resource-share --resource-share-arn .* --allow-external-principals/);
    } finally {
      served.restore();
      s.cleanup();
    }
  });
  it('is no principal: the path is NOT_SHARED with why, and LS-RAM6 names it', async () => {
    const s = synth({ file: example('seed') });
    const deployed = structuredClone(loadModel(s.dir)) as Mutable<InfraModel>;
    const share = deployed.shares[0] as Mutable<InfraModel['shares'][number]>;
    share.principals = [];
    share.failedPrincipals = [{ principal: '222222222222', message: 'The account is suspended' }];
    const served = serveModel(deployed, 3);
    try {
      const live = await readLive(targetsOf(deployed), served.clientsFor);
      assert.deepEqual(live.model.shares[0]?.failedPrincipals, share.failedPrincipals);
      const report = check(live.model);
      const app = report.flows.find((f) => f.client.label === 'app')?.decidedBy;
      assert.equal(app?.reason, 'NOT_SHARED');
      assert.match(app?.detail ?? '', /RAM failed to associate it with share .*: The account is suspended/);
      assert.ok(!report.findings.some((x) => x.id === 'LS-RAM1'), 'LS-RAM6 says it, with why; not LS-RAM1');
      const ram6 = report.findings.find((x) => x.id === 'LS-RAM6');
      assert.match(ram6?.message ?? '', /RAM failed to associate 222222222222 with share/);
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

/** The doctor command in a process of its own, with no credentials unless given. */
const run = (args: string[], env: NodeJS.ProcessEnv = {}) =>
  spawnSync(process.execPath, [bin, 'doctor', ...args], {
    encoding: 'utf8',
    env: { PATH: process.env.PATH, HOME: '/nonexistent', ...env },
  });

describe('the doctor command', () => {
  it("prints its help, and read-only policies: an owner's, a consumer's, or one of them as a document", () => {
    assert.equal(run(['--help']).status, 0);
    type Policy = { Statement: { Action: string[] }[] };
    const actionsOf = (p?: Policy) => (p?.Statement ?? []).flatMap((x) => x.Action);
    const printed = run(['--print-policy']);
    assert.equal(printed.status, 0);
    const both = JSON.parse(printed.stdout) as { owner: Policy; consumer: Policy };
    const [owner, consumer] = [actionsOf(both.owner), actionsOf(both.consumer)];
    for (const actions of [owner, consumer])
      assert.ok(actions.length >= 10 && actions.every((a) => /^[a-z0-9-]+:(Describe|Get|List)\w+$/.test(a)));
    assert.ok(owner.includes('rds:DescribeDBClusters') && !consumer.includes('rds:DescribeDBClusters'));
    assert.ok(consumer.includes('ec2:DescribeVpcEndpoints') && !owner.includes('ec2:DescribeVpcEndpoints'));
    assert.deepEqual([...new Set([...owner, ...consumer])].sort(), [...DOCTOR_ACTIONS].sort());
    const one = run(['--print-policy', '--side', 'consumer']);
    assert.deepEqual(actionsOf(JSON.parse(one.stdout) as Policy), consumer);
    const bad = run(['--print-policy', '--side', 'partner']);
    assert.equal(bad.status, 2);
    assert.match(bad.stderr, /--side takes owner or consumer, not "partner"/);
  });
  it('exits 2 with one line for what it cannot use: no credentials, no accounts, a bad account ID', () => {
    const none = run(['--accounts', '111111111111', '--region', 'us-east-1']);
    assert.equal(none.status, 2);
    assert.match(none.stderr, /^lattice-share: doctor needs AWS credentials: set AWS_PROFILE, give --profile/);
    assert.equal(none.stderr.trim().split('\n').length, 1);
    assert.equal(run(['--region', 'us-east-1']).status, 2);
    assert.match(run(['--accounts', '12', '--region', 'us-east-1']).stderr, /12-digit account IDs/);
    // A bad --role or --profile is refused before anything is read: one line, no "reading" note.
    const keys = { AWS_ACCESS_KEY_ID: 'AKIDTEST', AWS_SECRET_ACCESS_KEY: 'not-a-secret' };
    for (const bad of [
      ['--role', 'not a role!'],
      ['--profile', 'owner-read'],
    ]) {
      const refused = run(['--accounts', '111111111111', '--region', 'us-east-1', ...bad], keys);
      assert.equal(refused.status, 2, refused.stderr);
      assert.equal(refused.stderr.trim().split('\n').length, 1, refused.stderr);
      assert.match(refused.stderr, /--(role takes a role name|profile takes ACCOUNT=PROFILE)/);
    }
  });
});

describe('the doctor command: --against and --save', () => {
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

/**
 * The deployed system as AWS would name it: every ID, cluster name and instance address other than the templates'
 * model gave, the same way everywhere (so only drift's translation through CloudFormation can match them).
 */
function renamed(m: InfraModel): InfraModel {
  let text = JSON.stringify(m);
  // What the templates create; what they take by ID (an imported VPC, group or cluster) keeps its ID.
  const created = <T extends { id: string; created?: boolean }>(list: readonly T[]) =>
    list.filter((x) => x.created !== false).map((x) => x.id);
  const ids = [
    ...created(m.vpcs),
    ...created(m.subnets),
    ...created(m.securityGroups),
    ...created(m.networkAcls),
    ...m.enis.map((e) => e.id),
    ...m.instances.map((i) => i.id),
    ...[...m.gateways, ...m.configurations, ...m.endpoints, ...m.serviceNetworks, ...m.resourceAssociations].map(
      (x) => x.id,
    ),
  ].filter((id) => /^[a-z]+-[0-9a-f]{17}$/.test(id));
  ids.forEach((id, k) => {
    text = text.replaceAll(id, `${id.split('-')[0]}-${(0xa0000 + k).toString(16).padStart(17, 'f')}`);
  });
  for (const db of m.databases.filter((d) => d.created)) text = text.replaceAll(db.id, `${db.id}-live`);
  for (const i of m.instances) {
    const ip = m.enis.find((e) => e.id === i.eniId)?.ip;
    if (ip) text = text.replaceAll(`"${ip}"`, `"${ip.replace(/\d+$/, (n) => String(Number(n) + 100))}"`);
  }
  return JSON.parse(text) as InfraModel;
}

describe('drift: what is deployed under AWS names has none (doctor --against)', () => {
  for (const name of ['seed', 'service-network', 'private-api', 'existing-db']) {
    it(`examples/${name} with other IDs, names and addresses: CloudFormation's resources match them`, async () => {
      const s = synth({ file: example(name) });
      try {
        const templates = loadModel(s.dir);
        const deployed = renamed(templates);
        assert.notDeepEqual(
          deployed.enis.map((e) => e.id),
          templates.enis.map((e) => e.id),
        );
        assert.deepEqual(await driftOf(templates, deployed), []);
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
