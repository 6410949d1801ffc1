// The twin's engines and readers, with real parts: MariaDB standing in for Aurora MySQL through every consumer path
// (a resource endpoint, a service-network endpoint, a VPC association) with the mysql client and the mysql2 driver,
// and readers that replicate from the writer on both engines (PostgreSQL hot standby, MariaDB replication).
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { rootSuites } from '../support/root.js';
import { check } from '../../src/check/index.js';
import { loadModel } from '../../src/model/index.js';
import { repo } from '../support/synth.js';
import { fault, readState } from '../../src/twin/index.js';
import { execIn, hold, mysql, mysql2Query, psql, exampleTwin, type RunningTwin } from '../support/twin.js';

const { after, before, describe, it } = rootSuites(
  'the engine tests bring twins up (network namespaces, nftables, PostgreSQL and MariaDB)',
);

const replicaJs = join(repo, 'dist', 'test', 'support', 'replica.js');

/** What replica.js says from `workload`: a row written by the writer's name, read by the reader's name. */
function replication(
  t: RunningTwin,
  workload: string,
  names?: { writer: string; reader: string },
): { seenAfterMs?: number; readerWrite: string; replica: boolean } {
  const [db] = t.summary.databases;
  assert.ok(db?.engine && db.user && db.database, 'a database the twin runs');
  const { writer, reader } = names ?? db;
  const args = [db.engine, writer, reader, String(db.port), db.user, db.database];
  const r = execIn(t, workload, [process.execPath, replicaJs, ...args], {
    env: { DB_PASSWORD: t.password },
    stdoutOnly: true,
    timeoutMs: 60_000,
  });
  assert.equal(r.code, 0, r.out);
  return JSON.parse(r.out) as { seenAfterMs?: number; readerWrite: string; replica: boolean };
}

/** Each workload of examples/mysql with its path's own name: resource endpoint, network endpoint, association. */
function ownNames(t: RunningTwin): { workload: string; name?: string }[] {
  const endpoints = t.summary.endpoints;
  const ownName = (e: (typeof endpoints)[number] | undefined) => e?.dnsNames.find((n) => !n.endsWith('.amazonaws.com'));
  const isNetwork = (e: (typeof endpoints)[number]) => e.resource.startsWith('service network');
  return [
    { workload: 'a-app', name: ownName(endpoints.find((e) => e.name.startsWith('vpce-') && !isNetwork(e))) },
    { workload: 'b-app', name: ownName(endpoints.find((e) => e.name.startsWith('vpce-') && isNetwork(e))) },
    { workload: 'c-app', name: ownName(endpoints.find((e) => e.name.startsWith('snva-'))) }, // its VPC resolves it
  ];
}

describe('Aurora MySQL in the twin (MariaDB), with two readers, through every consumer path', () => {
  let t: RunningTwin;
  let dir = '';
  exampleTwin({ before, after }, 'mysql', 'my', (twin, assembly) => {
    t = twin;
    dir = assembly;
  });
  const db = () => {
    const [cluster] = t.summary.databases;
    assert.ok(cluster, 'the twin runs the cluster');
    return cluster;
  };
  const gatewayIps = () => t.summary.gateways.flatMap((g) => g.ips);
  const clientHost = "SELECT SUBSTRING_INDEX(USER(), '@', -1)";

  it('runs MariaDB for the cluster: the writer and two readers', () => {
    assert.equal(db().engine, 'mysql');
    assert.equal(db().port, 3306);
    assert.equal(db().ips.length, 3);
  });

  it("the mysql client reaches the writer and reader by the cluster's own names on every path; MariaDB sees a gateway", () => {
    for (const workload of ['a-app', 'b-app', 'c-app']) {
      for (const host of [db().writer, db().reader]) {
        const r = mysql(t, workload, host, clientHost);
        assert.equal(r.code, 0, `${workload} → ${host}: ${r.out}`);
        assert.ok(gatewayIps().includes(r.out), `${workload}: the server sees a gateway address, not ${r.out}`);
      }
    }
  });

  it("the mysql2 driver reaches it by each path's own endpoint name", () => {
    const paths = ownNames(t);
    for (const { workload, name } of paths) {
      assert.ok(name, `${workload}: its path's own name among ${JSON.stringify(t.summary.endpoints)}`);
      const r = mysql2Query(t, workload, name, 'SELECT CURRENT_USER() AS user, DATABASE() AS db');
      assert.equal(r.code, 0, `${workload} → ${name}: ${r.out}`);
      assert.deepEqual(JSON.parse(r.out), [{ user: `${db().user}@%`, db: db().database }]);
    }
  });

  it("a workload outside the clients' security group is dropped (timeout)", () => {
    // The mysql client's --connect-timeout does not bound a TCP connect that gets no answer: the driver's does.
    const r = mysql2Query(t, 'a-other', db().writer, 'SELECT 1');
    assert.notEqual(r.code, 0);
    assert.match(r.out, /ERROR connect ETIMEDOUT/);
  });

  it('the reader name reaches the replicas, one connection after the other; the writer is not one', () => {
    const ids = new Set([1, 2, 3, 4].map(() => mysql(t, 'b-app', db().reader, 'SELECT @@server_id, @@read_only').out));
    assert.deepEqual([...ids].sort(), ['2\t1', '3\t1']);
    assert.equal(mysql(t, 'b-app', db().writer, 'SELECT @@server_id, @@read_only').out, '1\t0');
  });

  it('a replica sees a row written on the writer within a second, and refuses a write as a reader does', () => {
    const r = replication(t, 'a-app');
    assert.ok(r.seenAfterMs !== undefined && r.seenAfterMs < 1000, `seen after ${r.seenAfterMs} ms`);
    assert.equal(r.replica, true);
    assert.match(r.readerWrite, /read-only/);
  });

  it("each VPC's resolver answers dig over TCP and UDP: A records with their TTLs, an empty AAAA, NXDOMAIN", () => {
    const dig = (label: string, ...args: string[]) => {
      const ns = readState(t.name)?.nodes?.find((n) => n.label === label)?.namespace ?? '?';
      const r = spawnSync('ip', ['netns', 'exec', ns, 'dig', '+time=2', '+tries=1', '+nocookie', ...args], {
        encoding: 'utf8',
        timeout: 30_000,
      });
      return { out: r.stdout, answers: r.stdout.split('\n').filter((l) => /\sIN\s+(A|CNAME)\s/.test(l)) };
    };
    const gateway = readState(t.name)?.nodes?.find((n) => n.role === 'gateway')?.label ?? '?';
    // In the owner VPC the writer name is Aurora's, with Aurora's 5-second TTL, over TCP as over UDP.
    for (const transport of ['+tcp', '+notcp']) {
      const r = dig(gateway, transport, db().writer, 'A');
      assert.match(r.out, /status: NOERROR/);
      assert.match(r.out, transport === '+tcp' ? /\(TCP\)/ : /\(UDP\)/);
      assert.deepEqual(
        r.answers.map((l) => l.split(/\s+/).slice(1).join(' ')),
        [`5 IN A ${db().ips[0]}`],
      );
    }
    // In a consumer VPC private DNS maps it to the endpoint (AWS documents no TTL there: 60 s).
    const mapped = dig('a-app', '+tcp', db().writer, 'A');
    assert.equal(mapped.answers.length, 2, mapped.out);
    assert.ok(
      mapped.answers.every((l) => /\s60\s+IN\s+A\s+10\.10\./.test(l)),
      mapped.out,
    );
    const aaaa = dig('a-app', '+tcp', db().writer, 'AAAA');
    assert.match(aaaa.out, /status: NOERROR.*\n.*ANSWER: 0/);
    assert.match(dig('a-app', 'nowhere.example.com', 'A').out, /status: NXDOMAIN/);
  });

  it('check agrees: every declared path is reachable on port 3306', () => {
    const report = check(loadModel(dir));
    assert.equal(report.ok, true, JSON.stringify(report.expectations));
    assert.ok(report.flows.some((f) => f.port === 3306 && f.disposition === 'REACHABLE'));
  });

  it('failover: a reader becomes the writer, the writer name follows it, the other reader replicates from it', async () => {
    const before = mysql(t, 'a-app', db().writer, 'SELECT @@server_id').out;
    const r = await fault(t.name, { kind: 'failover', cluster: db().name });
    assert.ok(r.downtimeMs !== undefined, 'the downtime is measured');
    const after = mysql(t, 'a-app', db().writer, 'SELECT @@server_id, @@read_only');
    assert.equal(after.code, 0, after.out);
    assert.notEqual(after.out.split('\t')[0], before);
    assert.equal(after.out.split('\t')[1], '0', 'the new writer takes writes');
    const replica = replication(t, 'b-app');
    assert.ok(replica.seenAfterMs !== undefined && replica.seenAfterMs < 1000, `seen after ${replica.seenAfterMs} ms`);
    assert.equal(replica.replica, true);
  });
});

describe('PostgreSQL readers in the twin (a hot standby)', () => {
  let t: RunningTwin;
  exampleTwin({ before, after }, 'many-consumers', 'mc', (twin) => (t = twin));

  it('a standby sees a row written on the writer within a second, and refuses a write as a reader does', () => {
    // The cluster's custom domain names, which the consumers' private DNS maps to their endpoints.
    const r = replication(t, 'analytics-app', { writer: 'orders.db.example.com', reader: 'orders-ro.db.example.com' });
    assert.ok(r.seenAfterMs !== undefined && r.seenAfterMs < 1000, `seen after ${r.seenAfterMs} ms`);
    assert.equal(r.replica, true);
    assert.match(r.readerWrite, /cannot execute INSERT in a read-only transaction/);
  });

  it('failover: a connection held to the writer breaks, the writer name reaches the promoted standby, which takes writes', async () => {
    const writer = 'orders.db.example.com';
    const held = hold(t, 'analytics-app', writer, 5);
    await held.connected;
    const cluster = t.summary.databases[0]?.name ?? '?';
    const r = await fault(t.name, { kind: 'failover', cluster });
    assert.ok(r.downtimeMs !== undefined);
    assert.ok((await held.result).error, 'the held connection broke');
    const now = psql(t, 'analytics-app', writer, 'select pg_is_in_recovery(), inet_server_addr()');
    assert.equal(now.code, 0, now.out);
    assert.equal(now.out, `f|${t.summary.databases[0]?.ips[1]}`);
    assert.equal(psql(t, 'analytics-app', writer, 'create table after_failover (i int)').code, 0);
    // No reader is left: the reader name is the writer, as on Aurora.
    assert.equal(psql(t, 'analytics-app', 'orders-ro.db.example.com', 'select pg_is_in_recovery()').out, 'f');
  });
});

describe('an imported cluster in the twin: a stand-in (examples/existing-db)', () => {
  let t: RunningTwin;
  exampleTwin({ before, after }, 'existing-db', 'ex', (twin) => (t = twin));

  it("runs a stand-in at a free address of the cluster's subnets, and says it is one", () => {
    const [db] = t.summary.databases;
    assert.equal(db?.standIn, true);
    assert.equal(db?.ips.length, 1);
    assert.match(db?.ips[0] ?? '', /^10\.20\.1\./, "in the first subnet of the cluster's VPC");
    assert.ok(t.summary.warnings.some((w) => /imported, so the twin runs a stand-in/.test(w)));
  });

  it("psql reaches it by the imported cluster's own name through the endpoint; it sees a gateway address", () => {
    const r = psql(t, 'web-app', t.summary.databases[0]?.writer ?? '?', 'select inet_client_addr()');
    assert.equal(r.code, 0, r.out);
    assert.ok(t.summary.gateways.flatMap((g) => g.ips).includes(r.out.replace('/32', '')), r.out);
  });
});
