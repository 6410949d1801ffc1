// The other consumer paths in the twin, with real parts: a service network reached through a service-network
// endpoint and through a VPC association (PostgreSQL over them), and a private HTTPS API called the way EventBridge
// and Step Functions call it. Each broken variant fails as AWS would, and check names the hop and the fix.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { rmSync } from 'node:fs';
import { rootSuites } from '../support/root.js';
import { check, type CheckReport, type Flow } from '../../src/check/index.js';
import { loadModel } from '../../src/model/index.js';
import { invoke } from '../../src/twin/index.js';
import { example, synth, type Synthesized } from '../support/synth.js';
import { bin, editAssembly, pgQuery, psql, startTwin, type RunningTwin } from '../support/twin.js';
import { DATABASE_PATH_HOPS } from '../support/hops.js';

const { after, before, describe, it } = rootSuites(
  'the consumer-path tests bring twins up (network namespaces, nftables)',
);

type Template = Parameters<Parameters<typeof editAssembly>[1]>[1];
const drop = (t: Template, keep: (type: string, props: Record<string, unknown>, id: string) => boolean) => {
  for (const [id, r] of Object.entries(t.Resources)) if (!keep(r.Type, r.Properties ?? {}, id)) delete t.Resources[id];
};
const flowsOf = (r: CheckReport, client: string) => r.flows.filter((f) => f.client.label === client);
const decided = (f: Flow | undefined) => f?.decidedBy;
type Edit = (stack: string, t: Template) => void;

/** An edit that gives the RAM shares of the stacks `inStack` picks to `account` only. */
const shareOnlyWith =
  (account: string, inStack: (stack: string) => boolean): Edit =>
  (stack, t) => {
    if (!inStack(stack)) return;
    for (const r of Object.values(t.Resources))
      if (r.Type === 'AWS::RAM::ResourceShare') r.Properties!.Principals = [account];
  };

/**
 * A test for each broken variant: its edit of the assembly at `source()`, up in a twin named `<twin>-<pid>`, then
 * `test` on that twin and the edited assembly (`fails` says what fails there, in the test's name). The twin is closed
 * and the assembly removed after, pass or fail.
 */
function brokenVariants<Variant extends { name: string; edit: Edit }>(
  variants: Variant[],
  { source, twin, fails }: { source: () => string; twin: string; fails: string },
  test: (variant: Variant, broken: RunningTwin, dir: string) => Promise<void> | void,
): void {
  for (const variant of variants) {
    it(`broken: ${variant.name}: ${fails} in the twin, and check names the hop and the fix`, async () => {
      const dir = editAssembly(source(), variant.edit);
      const broken = await startTwin(`${twin}-${process.pid}`, dir);
      try {
        await test(variant, broken, dir);
      } finally {
        broken.close();
        rmSync(dir, { recursive: true, force: true });
      }
    });
  }
}

describe('a service network: endpoint and VPC association', () => {
  let sn: Synthesized;
  let t: RunningTwin;
  before(async () => {
    sn = synth({ file: example('service-network') });
    t = await startTwin(`sn-${process.pid}`, sn.dir);
  });
  after(() => {
    t?.close();
    sn?.cleanup();
  });
  const db = () => t.summary.databases[0]!;
  const gatewayIps = () => t.summary.gateways.flatMap((g) => g.ips);
  const path = (prefix: string) => t.summary.endpoints.find((e) => e.name.startsWith(prefix))!;

  it('psql reaches the cluster by its own names through the endpoint (team-a) and through the association (team-b)', () => {
    for (const workload of ['a-app', 'b-app']) {
      for (const host of [db().writer, db().reader]) {
        const r = psql(t, workload, host, 'select inet_client_addr()');
        assert.equal(r.code, 0, `${workload} → ${host}: ${r.out}`);
        assert.ok(
          gatewayIps().includes(r.out.replace('/32', '')),
          `${workload}: the database sees a gateway address, not ${r.out}`,
        );
      }
    }
  });

  it('the endpoint has addresses in its VPC and public names; the association has 129.224.0.0/17 addresses and names only its VPC resolves', () => {
    const endpoint = path('vpce-');
    const association = path('snva-');
    assert.ok(
      endpoint.ips.every((ip) => ip.startsWith('10.10.')),
      endpoint.ips.join(),
    );
    assert.ok(
      association.ips.length >= 2 && association.ips.every((ip) => ip.startsWith('129.224.')),
      association.ips.join(),
    );
    const own = association.dnsNames.find((n) => n.startsWith('snra-'))!;
    const viaAssociation = pgQuery(t, 'b-app', own, 'select current_user');
    assert.equal(viaAssociation.code, 0, viaAssociation.out);
    assert.deepEqual(JSON.parse(viaAssociation.out), [{ current_user: 'orders_admin' }]);
    const viaEndpoint = pgQuery(
      t,
      'a-app',
      endpoint.dnsNames.find((n) => n.includes('-snra-'))!,
      'select current_user',
    );
    assert.equal(viaEndpoint.code, 0, viaEndpoint.out);
    const elsewhere = psql(t, 'a-app', own, 'select 1', 2);
    assert.notEqual(elsewhere.code, 0);
    assert.match(
      elsewhere.out,
      /could not translate host name/,
      "the association's name does not resolve in another VPC",
    );
  });

  it("a workload outside the clients' security group is dropped (timeout)", () => {
    const r = psql(t, 'a-other', db().writer, 'select 1', 2);
    assert.notEqual(r.code, 0);
    assert.match(r.out, /timeout expired/);
  });

  it('check explains both paths hop by hop: every hop passes for the clients, and the declared paths hold', () => {
    const r = check(loadModel(sn.dir));
    assert.equal(r.ok, true, JSON.stringify(r.expectations));
    assert.equal(r.expectations.filter((x) => x.result === 'holds').length, 2);
    for (const client of ['a-app', 'b-app']) {
      const declared = flowsOf(r, client).filter((f) => f.expected);
      assert.equal(declared.length, 2, `${client}: writer and reader names`);
      for (const f of declared) {
        assert.equal(f.disposition, 'REACHABLE');
        const hops = f.attempts[0]!.hops.map((h) => h.hop);
        assert.deepEqual(hops, [...DATABASE_PATH_HOPS]);
        assert.match(
          f.attempts[0]!.hops.find((h) => h.hop === 'share')!.detail,
          /service network shared to account .*configuration orders-db to account 333333333333/,
        );
      }
    }
    assert.match(flowsOf(r, 'b-app')[0]!.attempts[0]!.hops[1]!.detail, /service-network association snva-/);
  });

  const noClientRule = (team: string) => (stack: string, t: Template) => {
    if (stack.includes(team))
      drop(
        t,
        (type, p) => !(type === 'AWS::EC2::SecurityGroupIngress' && String(p.Description).startsWith('from client')),
      );
  };
  const variants: {
    name: string;
    edit: Edit;
    clients: string[];
    hop: string;
    fix: RegExp;
  }[] = [
    {
      name: 'missing association: the network does not carry the cluster',
      edit: (stack, t) => {
        if (stack.endsWith('-network'))
          drop(t, (type) => type !== 'AWS::VpcLattice::ServiceNetworkResourceAssociation');
      },
      clients: ['a-app', 'b-app'],
      hop: 'route',
      fix: /associate configuration orders-db with service network shared: an AWS::VpcLattice::ServiceNetworkResourceAssociation/,
    },
    {
      name: 'wrong security group: the endpoint admits no client',
      edit: noClientRule('team-a'),
      clients: ['a-app'],
      hop: 'endpoint-ingress',
      fix: /an ingress rule: tcp 5432/,
    },
    {
      name: 'wrong security group: the association admits no client',
      edit: noClientRule('team-b'),
      clients: ['b-app'],
      hop: 'endpoint-ingress',
      fix: /an ingress rule: tcp 5432/,
    },
    {
      name: 'the service network is not shared with team-b',
      edit: shareOnlyWith('444444444444', (stack) => stack.endsWith('-network')),
      clients: ['b-app'],
      hop: 'share',
      fix: /add 555555555555 to Principals/,
    },
  ];
  brokenVariants(variants, { source: () => sn.dir, twin: 'snx', fails: 'the query fails' }, (variant, broken, dir) => {
    const report = check(loadModel(dir));
    assert.equal(report.ok, false);
    for (const client of variant.clients) {
      const r = psql(broken, client, broken.summary.databases[0]!.writer, 'select 1', 2);
      assert.notEqual(r.code, 0, `${variant.name}: ${client} connected anyway`);
      assert.match(r.out, /timeout expired|Connection refused|could not translate host name/, r.out);
      const flow = flowsOf(report, client).find((f) => f.expected && f.name === broken.summary.databases[0]!.writer);
      assert.equal(flow?.disposition, 'BLOCKED', `${client}: ${JSON.stringify(flow?.attempts)}`);
      assert.equal(decided(flow)?.hop, variant.hop, `${client}: ${JSON.stringify(decided(flow))}`);
      assert.match(decided(flow)?.fix ?? '', variant.fix);
    }
    // The other team's path is not broken by this variant.
    for (const other of ['a-app', 'b-app'].filter((c) => !variant.clients.includes(c))) {
      assert.equal(
        psql(broken, other, broken.summary.databases[0]!.writer, 'select 1').code,
        0,
        `${other} still reaches it`,
      );
    }
  });
});

describe('a private HTTPS API called by EventBridge and Step Functions', () => {
  let api: Synthesized;
  let t: RunningTwin;
  const destination = 'LatticeShare-partner-orders';
  const task = 'LatticeShare-partner-orders/PartnerOrdersCall';
  before(async () => {
    api = synth({ file: example('private-api') });
    t = await startTwin(`api-${process.pid}`, api.dir);
  });
  after(() => {
    t?.close();
    api?.cleanup();
  });

  it("invoke sends as the API destination: HTTPS to the API's name, through the configuration, with the connection's key", () => {
    const r = invoke(t.name, destination, { data: '{"order":42}' });
    assert.equal(r.status, 200, r.error ?? r.body);
    const seen = JSON.parse(r.body!);
    assert.equal(seen.host, 'api.orders.example.com');
    assert.equal(seen.path, '/orders');
    assert.equal(seen.method, 'POST');
    assert.equal(seen.body, '{"order":42}');
    assert.ok(
      t.summary.gateways.flatMap((g) => g.ips).includes(seen.from),
      `the API sees the gateway, not ${seen.from}`,
    );
  });

  it('the Step Functions HTTP task reaches it the same way; the CLI prints the answer and exits 0', () => {
    const r = spawnSync(process.execPath, [bin, 'invoke', '--name', t.name, task, '--path', '/orders/7'], {
      encoding: 'utf8',
    });
    assert.equal(r.status, 0, r.stderr);
    assert.match(r.stdout, /POST https:\/\/api\.orders\.example\.com\/orders\/7 → HTTP 200/);
    const unknown = spawnSync(process.execPath, [bin, 'invoke', '--name', t.name, 'nope'], { encoding: 'utf8' });
    assert.equal(unknown.status, 1);
    assert.match(
      unknown.stderr,
      /no API destination, HTTP task or connection named "nope"; callers: LatticeShare-partner-orders/,
    );
  });

  it('check follows both calls hop by hop to the HTTPS listener', () => {
    const r = check(loadModel(api.dir));
    assert.equal(r.ok, true, JSON.stringify(r.expectations));
    for (const name of [destination, task]) {
      const f = flowsOf(r, name)[0]!;
      assert.equal(f.disposition, 'REACHABLE');
      assert.deepEqual(
        f.attempts[0]!.hops.map((h) => h.hop),
        ['scheme', 'share', 'port-range', 'az', 'target-dns', 'gateway-egress', 'target-ingress', 'listener'],
      );
      assert.match(
        f.attempts[0]!.hops.at(-1)!.detail,
        /serves HTTPS on 443, with a certificate for api\.orders\.example\.com/,
      );
    }
  });

  const owner = (stack: string) => stack.endsWith('-owner');
  const variants: {
    name: string;
    edit: Edit;
    error: RegExp;
    hop: string;
    fix: RegExp;
    lint?: string;
  }[] = [
    {
      name: 'plain HTTP endpoint',
      edit: (stack, t) => {
        if (owner(stack)) return;
        for (const r of Object.values(t.Resources))
          if (r.Type === 'AWS::Events::ApiDestination')
            r.Properties!.InvocationEndpoint = 'http://api.orders.example.com/orders';
      },
      error: /EventBridge API destinations call HTTPS endpoints only/,
      hop: 'scheme',
      fix: /serve the API over HTTPS/,
      lint: 'LS-EB1',
    },
    {
      name: 'the server speaks plain HTTP on 443',
      edit: (stack, t) => {
        if (!owner(stack)) return;
        for (const r of Object.values(t.Resources)) {
          if (r.Type !== 'AWS::EC2::Instance') continue;
          for (const tag of r.Properties!.Tags as { Key: string; Value: string }[])
            if (tag.Key === 'lattice-share:serves') tag.Value = 'http:443';
        }
      },
      error: /EPROTO|wrong version number|SSL/i,
      hop: 'listener',
      fix: /serve the API over HTTPS/,
    },
    {
      name: 'wrong security group: the server does not admit the gateway',
      edit: (stack, t) => {
        if (owner(stack)) drop(t, (type, p) => !(type === 'AWS::EC2::SecurityGroupIngress' && p.FromPort === 443));
      },
      error: /timeout/,
      hop: 'target-ingress',
      fix: /an ingress rule: tcp 443 from the gateway/,
    },
    {
      name: "the configuration is not shared with the caller's account",
      edit: shareOnlyWith('999999999999', owner),
      error: /ECONNREFUSED/,
      hop: 'share',
      fix: /add 222222222222 to Principals/,
    },
  ];
  brokenVariants(variants, { source: () => api.dir, twin: 'apix', fails: 'the call fails' }, (variant, broken, dir) => {
    const r = invoke(broken.name, destination, { timeoutMs: 1500 });
    assert.equal(r.status, undefined, `${variant.name}: answered ${r.status}`);
    assert.match(r.error!, variant.error);
    const report = check(loadModel(dir));
    assert.equal(report.ok, false);
    const flow = flowsOf(report, destination)[0];
    assert.equal(flow?.disposition, 'BLOCKED');
    assert.equal(decided(flow)?.hop, variant.hop, JSON.stringify(decided(flow)));
    assert.match(decided(flow)?.fix ?? '', variant.fix);
    if (variant.lint)
      assert.ok(
        report.findings.some((f) => f.id === variant.lint && f.severity === 'error'),
        JSON.stringify(report.findings),
      );
  });
});
