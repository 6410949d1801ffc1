// Faults in a running twin (the seed), with real parts: a zone taken down and brought back, a share revoked with the
// connections already open kept or reset, and restore. Each is tried on new connections and on one held open through
// it; down afterwards leaves nothing.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { rootSuites } from '../support/root.js';
import { fault, readState } from '../../src/twin/index.js';
import { bin, execIn, hold, ourNamespaces, psql, exampleTwin, type RunningTwin } from '../support/twin.js';

const { after, before, describe, it } = rootSuites('the fault tests bring twins up (network namespaces, nftables)');

const cli = (t: RunningTwin, ...args: string[]) => {
  const r = spawnSync(process.execPath, [bin, 'fault', '--name', t.name, ...args], { encoding: 'utf8' });
  return { code: r.status, out: (r.stdout + r.stderr).trim() };
};

describe('faults in a running twin (the seed)', () => {
  let t: RunningTwin;
  exampleTwin({ before, after }, 'seed', 'ft', (twin) => (t = twin));
  const endpoint = () => {
    const [first] = t.summary.endpoints;
    assert.ok(first, 'the seed has an endpoint');
    return first;
  };
  /** The first endpoint's own name. */
  const name = () => endpoint().dnsNames[0] ?? '?';
  const dig = (host: string) =>
    execIn(t, 'app', ['dig', '+short', '+time=2', host], { stdoutOnly: true }).out.split('\n').filter(Boolean);

  it('zone-down: the endpoint name answers with the live zone only, new connections by name go there, the dead address times out, a connection held through the live zone goes on; zone-up brings it back', async () => {
    const [live = '?', dead = '?'] = endpoint().ips;
    const held = hold(t, 'app', live, 3);
    await held.connected;
    const r = await fault(t.name, { kind: 'zone-down', zone: 'use1-az2' });
    assert.ok(
      r.down.some((x) => x.includes(dead)),
      r.down.join(),
    );
    assert.deepEqual(dig(name()), [live]);
    assert.equal(psql(t, 'app', name(), 'select 1').code, 0);
    const timedOut = psql(t, 'app', dead, 'select 1', 2);
    assert.match(timedOut.out, /timeout expired/);
    assert.deepEqual(readState(t.name)?.faults, [{ kind: 'zone-down', zone: 'use1-az2' }]);
    const seen = await held.result;
    assert.equal(seen.error, undefined);
    assert.ok(seen.ok > 10, `${seen.ok} queries on the held connection`);
    // check --twin answers for the twin as the fault left it: app (in use1-az1) still reaches by the live zone.
    const checked = spawnSync(process.execPath, [bin, 'check', '--twin', t.name, '--json'], { encoding: 'utf8' });
    const report = JSON.parse(checked.stdout) as {
      flows: { client: { label: string }; name: string; attempts: { address?: string }[]; disposition: string }[];
    };
    const byName = report.flows.find((f) => f.client.label === 'app' && f.name === name());
    assert.deepEqual(
      byName?.attempts.map((a) => a.address),
      [live],
    );
    assert.equal(byName?.disposition, 'REACHABLE');
    await fault(t.name, { kind: 'zone-up', zone: 'use1-az2' });
    assert.deepEqual(dig(name()).sort(), [live, dead].sort());
    const back = psql(t, 'app', dead, 'select 1');
    assert.equal(back.code, 0, back.out);
  });

  it('revoke (existing connections kept): new connections are refused, the held one goes on; restore carries again', async () => {
    const held = hold(t, 'app', endpoint().ips[0] ?? '?', 2);
    await held.connected;
    const r = cli(t, 'revoke', 'orders-to-partner', '222222222222', '--json');
    assert.equal(r.code, 0, r.out);
    assert.ok((JSON.parse(r.out) as { refused: unknown[] }).refused.length > 0);
    const refused = psql(t, 'app', name(), 'select 1');
    assert.match(refused.out, /Connection refused|accepting TCP\/IP connections/);
    const seen = await held.result;
    assert.equal(seen.error, undefined);
    assert.equal(cli(t, 'restore').code, 0);
    assert.equal(psql(t, 'app', name(), 'select 1').code, 0);
  });

  it('revoke --existing reset: the held connection is reset too; restore carries again', async () => {
    const held = hold(t, 'app', endpoint().ips[0] ?? '?', 3);
    await held.connected;
    assert.equal(cli(t, 'revoke', 'orders-to-partner', '222222222222', '--existing', 'reset').code, 0);
    const seen = await held.result;
    assert.ok(seen.error, 'the held connection broke');
    assert.equal(cli(t, 'restore').code, 0);
    assert.equal(psql(t, 'app', name(), 'select 1').code, 0);
  });

  it('expire: an invitation gone before acceptance is an unaccepted one (new connections refused); restore', () => {
    assert.equal(cli(t, 'expire', 'orders-to-partner', '222222222222').code, 0);
    assert.match(psql(t, 'app', name(), 'select 1').out, /Connection refused|accepting TCP\/IP connections/);
    assert.equal(cli(t, 'restore').code, 0);
    assert.equal(psql(t, 'app', name(), 'select 1').code, 0);
  });

  it('failover without a reader restarts the writer: a connection held open breaks, a new one by its name succeeds', async () => {
    const writer = t.summary.databases[0]?.writer ?? '?';
    const held = hold(t, 'app', writer, 5);
    await held.connected;
    const r = await fault(t.name, { kind: 'failover', cluster: writer });
    assert.ok(r.downtimeMs !== undefined && r.downtimeMs > 0, `downtime ${r.downtimeMs} ms`);
    const seen = await held.result;
    assert.ok(seen.error, 'the held connection broke');
    assert.equal(psql(t, 'app', writer, 'select 1').code, 0);
    assert.ok(readState(t.name)?.faults?.some((f) => f.kind === 'failover'));
  });

  it('bad input is one line and exit 2: an unknown zone, a zone that is not down, a share or account not there', () => {
    for (const args of [
      ['zone-down', 'mars-az1'],
      ['zone-up', 'use1-az1'],
      ['revoke', 'nope', '222222222222'],
      ['revoke', 'orders-to-partner', '999999999999'],
      ['revoke', 'orders-to-partner', 'x'],
      ['restore', 'now'],
      ['failover', 'no-such-cluster'],
      ['expire', 'orders-to-partner', '111111111111'],
      ['explode'],
    ]) {
      const r = cli(t, ...args);
      assert.equal(r.code, 2, `${args.join(' ')}: ${r.out}`);
      assert.equal(r.out.split('\n').length, 1, r.out);
    }
  });

  it('down after faults leaves nothing', async () => {
    await fault(t.name, { kind: 'zone-down', zone: 'use1-az1' });
    t.close();
    assert.deepEqual(ourNamespaces(t.name), []);
    assert.equal(readState(t.name), undefined);
  });
});
