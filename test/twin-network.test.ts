// The twin's network on the seed: real namespaces, real kernel filtering, real TCP. Needs root (CI runs as root).
import assert from 'node:assert/strict';
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { loadModel } from '../src/model/index.js';
import { down, namespacePrefix, readState, up } from '../src/twin/index.js';
import { example, repo, synth, type Synthesized } from './support/synth.js';

const bin = join(repo, 'dist', 'src', 'cli', 'main.js');
const tcp = join(repo, 'dist', 'test', 'support', 'tcp.js');
const ourNamespaces = (name: string) => (spawnSync('ip', ['netns', 'list'], { encoding: 'utf8' }).stdout ?? '')
  .split('\n').map((l) => l.split(' ')[0]!).filter((n) => n.startsWith(namespacePrefix(name)));

function listen(ns: string, ip: string, ports: number[]): Promise<ChildProcess> {
  const child = spawn('ip', ['netns', 'exec', ns, process.execPath, tcp, 'listen', ip, ...ports.map(String)], { stdio: ['ignore', 'pipe', 'inherit'] });
  return new Promise((resolve, reject) => {
    child.stdout!.on('data', (d) => { if (String(d).includes('ready')) resolve(child); });
    child.on('exit', (code) => reject(new Error(`listener in ${ns} exited with ${code}`)));
  });
}
/** Connects from a workload through `lattice-share exec`, as a user would. */
const connectFrom = (twin: string, workload: string, host: string, port: number) =>
  spawnSync(process.execPath, [bin, 'exec', '--name', twin, workload, '--', process.execPath, tcp, 'connect', host, String(port), '1200'], { encoding: 'utf8' }).stdout.trim();
/** Connects from any namespace of the twin, by its label. */
const connectIn = (twin: string, label: string, host: string, port: number) => {
  const ns = readState(twin)!.nodes!.find((n) => n.label === label)!.namespace;
  return spawnSync('ip', ['netns', 'exec', ns, process.execPath, tcp, 'connect', host, String(port), '1200'], { encoding: 'utf8' }).stdout.trim();
};

describe('the twin network (root)', () => {
  const twin = `net-${process.pid}`;
  let seed: Synthesized;
  const children: ChildProcess[] = [];

  before(() => {
    assert.equal(process.getuid?.(), 0, 'twin tests need root: run npm test as root (CI does)');
    seed = synth({ file: example('seed') });
    up(loadModel(seed.dir), { name: twin, assembly: seed.dir });
  });
  after(() => {
    for (const c of children) c.kill('SIGKILL');
    down(twin);
    seed?.cleanup();
  });

  const nsOf = (label: string) => readState(twin)!.nodes!.find((n) => n.label === label)!;

  it('one namespace per VPC segment and per ENI, all under the twin\'s prefix, none routed to the host', () => {
    const names = ourNamespaces(twin);
    assert.equal(names.length, 13);
    const routes = spawnSync('ip', ['-n', nsOf('app').namespace, 'route'], { encoding: 'utf8' }).stdout.trim().split('\n');
    assert.deepEqual(routes, ['10.1.0.0/16 dev eth0 proto kernel scope link src 10.1.0.4'], 'only the VPC, no default route');
  });

  it('client → endpoint: allowed on the resource port, silently dropped elsewhere and for non-clients', async () => {
    const ep = nsOf('endpoint-' + readState(twin)!.nodes!.find((n) => n.role === 'endpoint' && n.ip === '10.1.0.6')!.label.slice('endpoint-'.length));
    children.push(await listen(ep.namespace, '10.1.0.6', [5432, 5433]));
    assert.equal(connectFrom(twin, 'app', '10.1.0.6', 5432), 'CONNECTED hello 5432');
    assert.equal(connectFrom(twin, 'app', '10.1.0.6', 5433), 'TIMEOUT', 'no rule for 5433: dropped, as AWS drops');
    assert.equal(connectFrom(twin, 'other', '10.1.0.6', 5432), 'TIMEOUT', 'other is not a client: its egress has no rule');
    assert.equal(connectFrom(twin, 'legacy', '10.1.0.6', 5432), 'ERROR ENETUNREACH', 'another VPC: no route');
  });

  it('gateway → database allowed; a client cannot reach the owner VPC at all', async () => {
    const db = readState(twin)!.nodes!.find((n) => n.role === 'database')!;
    children.push(await listen(db.namespace, db.ip, [5432]));
    const gw = readState(twin)!.nodes!.find((n) => n.role === 'gateway')!;
    assert.equal(connectIn(twin, gw.label, db.ip, 5432), 'CONNECTED hello 5432');
    assert.equal(connectFrom(twin, 'app', db.ip, 5432), 'ERROR ENETUNREACH', 'the owner VPC address means nothing in the consumer VPC');
  });

  it('a second twin of the same name is refused and the first is untouched', () => {
    const r = spawnSync(process.execPath, [bin, 'up', seed.dir, '--name', twin], { encoding: 'utf8' });
    assert.equal(r.status, 1);
    assert.match(r.stderr, new RegExp(`twin "${twin}" is already up`));
    assert.equal(ourNamespaces(twin).length, 13);
  });

  it('exec returns the command\'s exit code and gives the workload its VPC resolver', () => {
    const r = spawnSync(process.execPath, [bin, 'exec', '--name', twin, 'app', '--', 'sh', '-c', 'cat /etc/resolv.conf; exit 7'], { encoding: 'utf8' });
    assert.equal(r.status, 7);
    assert.match(r.stdout, /^nameserver 10\.1\.0\.2$/m);
    const bad = spawnSync(process.execPath, [bin, 'exec', '--name', twin, 'nosuch', '--', 'true'], { encoding: 'utf8' });
    assert.equal(bad.status, 1);
    assert.match(bad.stderr, /has no workload "nosuch"; workloads: app, other, legacy/);
  });
});

describe('clean-up (root)', () => {
  it('down removes everything of a twin killed with SIGKILL in the middle of up, and is idempotent', async () => {
    const twin = `kill-${process.pid}`;
    const seed = synth({ file: example('seed') });
    try {
      const child = spawn(process.execPath, [bin, 'up', seed.dir, '--name', twin], { stdio: 'ignore' });
      const t0 = Date.now();
      while (ourNamespaces(twin).length < 4 && Date.now() - t0 < 20_000) await new Promise((r) => setTimeout(r, 20));
      child.kill('SIGKILL');
      await new Promise((r) => child.on('exit', r));
      assert.ok(ourNamespaces(twin).length >= 4, 'killed while namespaces existed');
      const r = spawnSync(process.execPath, [bin, 'down', '--name', twin, '--json'], { encoding: 'utf8' });
      assert.equal(r.status, 0, r.stderr);
      assert.ok(JSON.parse(r.stdout).namespaces >= 4);
      assert.deepEqual(ourNamespaces(twin), []);
      assert.ok(!existsSync('/etc/netns') || !readdirSync('/etc/netns').some((d) => d.startsWith(namespacePrefix(twin))));
      assert.equal(readState(twin), undefined);
      const again = spawnSync(process.execPath, [bin, 'down', '--name', twin], { encoding: 'utf8' });
      assert.equal(again.status, 0);
      assert.match(again.stdout, /is down \(0 namespaces, 0 processes removed\)/);
    } finally {
      down(twin);
      seed.cleanup();
    }
  });
});
