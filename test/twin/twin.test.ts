// The seed in the twin, with real parts: namespaces, nftables, PostgreSQL, the Lattice hop, per-VPC DNS, and real
// clients (psql, the pg driver). Broken variants fail the way AWS fails: a timeout or a refusal. Needs root (CI is).
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, readdirSync, rmSync, statSync } from 'node:fs';
import { rootSuites } from '../support/root.js';
import { alive } from '../../src/twin/down.js';
import { namespacePrefix, readState, runRoot } from '../../src/twin/index.js';
import { example, synth, type Synthesized } from '../support/synth.js';
import {
  bin,
  connectIn,
  editAssembly,
  ourNamespaces,
  pgQuery,
  psql,
  startTwin,
  type RunningTwin,
} from '../support/twin.js';
import { fileURLToPath } from 'node:url';

const { after, before, describe, it } = rootSuites('the twin tests bring twins up (network namespaces, nftables)');

let seed: Synthesized;
before(() => {
  seed = synth({ file: example('seed') });
});
after(() => seed?.cleanup());

describe('the seed twin', () => {
  let t: RunningTwin;
  before(async () => {
    t = await startTwin(`seed-${process.pid}`, seed.dir);
  });
  after(() => t?.close());
  const db = () => t.summary.databases[0]!;
  const gatewayIps = () => t.summary.gateways.flatMap((g) => g.ips);
  const endpoint = (i: number) => t.summary.endpoints[i]!;

  it("psql over the cluster's own writer and reader names (private DNS) reaches PostgreSQL; it sees a gateway address", () => {
    for (const host of [db().writer, db().reader]) {
      const r = psql(t, 'app', host, 'select inet_client_addr()');
      assert.equal(r.code, 0, r.out);
      assert.ok(gatewayIps().includes(r.out.replace('/32', '')), `client address ${r.out} is a gateway ENI`);
    }
  });

  it("the pg driver over the endpoint's own DNS name works too", () => {
    const r = pgQuery(t, 'app', endpoint(0).dnsNames[0]!, 'select current_user, inet_server_addr() as server');
    assert.equal(r.code, 0, r.out);
    assert.deepEqual(JSON.parse(r.out), [{ current_user: 'orders_admin', server: db().ips[0] }]);
  });

  it('where private DNS is off, the endpoint name works and the original name fails (an owner-VPC address, timeout)', () => {
    const ok = psql(t, 'legacy', endpoint(1).dnsNames[0]!, 'select 1');
    assert.equal(ok.code, 0, ok.out);
    const bad = psql(t, 'legacy', db().writer, 'select 1', 2);
    assert.notEqual(bad.code, 0);
    assert.match(bad.out, new RegExp(`\\(${db().ips[0]!.replace(/\./g, '\\.')}\\), port 5432 failed: timeout expired`));
  });

  it('a host in the consumer VPC outside the client security group is refused (dropped, timeout)', () => {
    const r = psql(t, 'other', db().writer, 'select 1', 2);
    assert.notEqual(r.code, 0);
    assert.match(r.out, /timeout expired/);
  });

  it("a port outside the configuration is not carried: the client's own egress drops it, and the endpoint refuses it", () => {
    assert.equal(connectIn(t, 'app', endpoint(0).ips[0]!, 5433), 'TIMEOUT', 'client SG egress allows 5432 only');
    const ep = readState(t.name)!.nodes!.find((n) => n.role === 'endpoint' && n.ip === endpoint(0).ips[0])!;
    assert.equal(
      connectIn(t, ep.label, endpoint(0).ips[0]!, 5433),
      'ERROR ECONNREFUSED',
      'nothing listens on 5433 at the endpoint',
    );
  });

  it('names outside the twin do not resolve; the resolver answers per VPC', () => {
    const r = spawnSync(
      process.execPath,
      [bin, 'exec', '--name', t.name, 'app', '--', 'getent', 'hosts', 'example.com'],
      { encoding: 'utf8' },
    );
    assert.equal(r.status, 2, 'NXDOMAIN: no way out');
    const inApp = spawnSync(
      process.execPath,
      [bin, 'exec', '--name', t.name, 'app', '--', 'getent', 'hosts', db().writer],
      { encoding: 'utf8' },
    ).stdout;
    const inLegacy = spawnSync(
      process.execPath,
      [bin, 'exec', '--name', t.name, 'legacy', '--', 'getent', 'hosts', db().writer],
      { encoding: 'utf8' },
    ).stdout;
    assert.ok(endpoint(0).ips.includes(inApp.split(/\s+/)[0]!), `private DNS in app-vpc: ${inApp}`);
    assert.equal(inLegacy.split(/\s+/)[0], db().ips[0], 'elsewhere the public record: the owner-VPC address');
  });

  it('the password file is 0600 and the password appears in no output or state', () => {
    assert.equal(statSync(db().passwordFile!).mode & 0o777, 0o600);
    const shown = spawnSync(process.execPath, [bin, 'status', '--name', t.name, '--json'], { encoding: 'utf8' }).stdout;
    assert.ok(!shown.includes(t.password));
    for (const f of readdirSync(`${runRoot()}/${t.name}`).filter((x) => x.endsWith('.log') || x.endsWith('.json'))) {
      assert.notEqual(
        spawnSync('grep', ['-qF', t.password, `${runRoot()}/${t.name}/${f}`]).status,
        0,
        `${f} holds the password`,
      );
    }
  });

  it("exec returns the command's exit code; a second twin of the same name is refused", () => {
    assert.equal(
      spawnSync(process.execPath, [bin, 'exec', '--name', t.name, 'app', '--', 'sh', '-c', 'exit 7']).status,
      7,
    );
    const r = spawnSync(process.execPath, [bin, 'up', seed.dir, '--name', t.name], { encoding: 'utf8' });
    assert.equal(r.status, 1);
    assert.match(r.stderr, /is already up/);
  });
});

describe('broken variants fail as AWS would', () => {
  const variants: [
    string,
    (
      stack: string,
      t: { Resources: Record<string, { Type: string; Properties?: Record<string, unknown>; DependsOn?: string[] }> },
    ) => void,
  ][] = [
    [
      'not shared with the consumer',
      (_stack, t) => {
        for (const r of Object.values(t.Resources))
          if (r.Type === 'AWS::RAM::ResourceShare') r.Properties!.Principals = ['999999999999'];
      },
    ],
    [
      'invitation never accepted',
      (_stack, t) => {
        for (const [id, r] of Object.entries(t.Resources)) {
          if (r.Type === 'Custom::AWS' && JSON.stringify(r.Properties).includes('AcceptResourceShareInvitation'))
            delete t.Resources[id];
        }
        for (const r of Object.values(t.Resources))
          if (r.DependsOn) r.DependsOn = r.DependsOn.filter((d) => d in t.Resources);
      },
    ],
    [
      'database ingress from the gateway removed',
      (_stack, t) => {
        for (const [id, r] of Object.entries(t.Resources))
          if (r.Type === 'AWS::EC2::SecurityGroupIngress' && id.startsWith('OrdersDbSecurityGroup'))
            delete t.Resources[id];
      },
    ],
    // As CDK writes a gateway nobody opened to the database: no egress rule but its "no traffic" placeholder.
    // (Deleting the only standalone egress rule instead would bring back AWS's default allow-all egress.)
    [
      'gateway egress to the database missing',
      (_stack, t) => {
        for (const [id, r] of Object.entries(t.Resources)) {
          if (r.Type === 'AWS::EC2::SecurityGroupEgress' && id.startsWith('OwnerVpcGatewaySecurityGroup'))
            delete t.Resources[id];
          if (r.Type === 'AWS::EC2::SecurityGroup' && id.startsWith('OwnerVpcGatewaySecurityGroup')) {
            r.Properties!.SecurityGroupEgress = [
              {
                CidrIp: '255.255.255.255/32',
                Description: 'Disallow all traffic',
                FromPort: 252,
                IpProtocol: 'icmp',
                ToPort: 86,
              },
            ];
          }
        }
      },
    ],
    [
      'endpoint ingress from the client removed',
      (_stack, t) => {
        for (const [id, r] of Object.entries(t.Resources))
          if (r.Type === 'AWS::EC2::SecurityGroupIngress' && id.startsWith('PartnerAppEndpointSecurityGroup'))
            delete t.Resources[id];
      },
    ],
  ];
  for (const [i, [name, edit]] of variants.entries()) {
    it(name, async () => {
      const dir = editAssembly(seed.dir, edit);
      const t = await startTwin(`var${i}-${process.pid}`, dir);
      try {
        const r = psql(t, 'app', t.summary.databases[0]!.writer, 'select 1', 2);
        assert.notEqual(r.code, 0, `${name}: connected anyway`);
        assert.match(
          r.out,
          /timeout expired|server closed the connection unexpectedly|Connection refused|could not receive data|no connection to the server/,
          r.out,
        );
        assert.doesNotMatch(r.out, /lattice-share|twin/i, 'fails like AWS, not with a twin message');
      } finally {
        t.close();
        rmSync(dir, { recursive: true, force: true });
      }
    });
  }
});

describe('the Lattice idle timeout', () => {
  it('closes a connection idle longer than the timeout (350 s on AWS; 1.5 s here); a busy one lives on', async () => {
    const t = await startTwin(`idle-${process.pid}`, seed.dir, 1500);
    try {
      const db = t.summary.databases[0]!;
      const script = `import pg from 'pg';
        const c = new pg.Client({ host: ${JSON.stringify(db.writer)}, user: ${JSON.stringify(db.user)}, database: ${JSON.stringify(db.database)}, password: process.env.PGPASSWORD, query_timeout: 5000 });
        c.on('error', () => {});
        await c.connect();
        for (let i = 0; i < 6; i++) { await c.query('select 1'); await new Promise((r) => setTimeout(r, 500)); }
        console.log('busy ok');
        await new Promise((r) => setTimeout(r, 2500));
        try { await c.query('select 1'); console.log('idle survived'); } catch (e) { console.log('idle closed: ' + e.message); }`;
      const r = spawnSync(
        process.execPath,
        [bin, 'exec', '--name', t.name, 'app', '--', process.execPath, '--input-type=module', '-e', script],
        {
          encoding: 'utf8',
          timeout: 30_000,
          cwd: fileURLToPath(new URL('../../../', import.meta.url)),
          env: { ...process.env, PGPASSWORD: t.password },
        },
      );
      assert.match(r.stdout, /busy ok/, r.stdout + r.stderr);
      assert.match(r.stdout, /idle closed: /, r.stdout + r.stderr);
    } finally {
      t.close();
    }
  });
});

describe('clean-up', () => {
  it('down removes everything of a twin killed with SIGKILL in the middle of up, and is idempotent', async () => {
    const name = `kill-${process.pid}`;
    const child = spawn(process.execPath, [bin, 'up', seed.dir, '--name', name], { stdio: 'ignore' });
    const t0 = Date.now();
    while (
      !existsSync(`${runRoot()}/${name}`) ||
      !readdirSync(`${runRoot()}/${name}`).some((f) => f.startsWith('db-') && f.endsWith('.log'))
    ) {
      if (Date.now() - t0 > 30_000) break;
      await new Promise((r) => setTimeout(r, 20));
    }
    child.kill('SIGKILL');
    await new Promise((r) => child.on('exit', r));
    const pids = (readState(name)?.processes ?? []).map((p) => p.pid);
    assert.ok(ourNamespaces(name).length >= 10 && pids.length >= 1, 'killed while namespaces and agents existed');
    const r = spawnSync(process.execPath, [bin, 'down', '--name', name, '--json'], { encoding: 'utf8' });
    assert.equal(r.status, 0, r.stderr);
    assert.deepEqual(ourNamespaces(name), []);
    for (const pid of pids) assert.equal(alive(pid), false, `agent process ${pid} gone`);
    assert.ok(!existsSync('/etc/netns') || !readdirSync('/etc/netns').some((d) => d.startsWith(namespacePrefix(name))));
    assert.equal(existsSync(`${runRoot()}/${name}`), false);
    const postgres = spawnSync('pgrep', ['-f', `${runRoot()}/${name}/`], { encoding: 'utf8' }).stdout.trim();
    assert.equal(postgres, '', 'no PostgreSQL of this twin is left');
    const again = spawnSync(process.execPath, [bin, 'down', '--name', name], { encoding: 'utf8' });
    assert.match(again.stdout, /is down \(0 namespaces, 0 processes removed\)/);
  });
});
