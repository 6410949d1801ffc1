// The command line on a config and on an assembly: synth, inspect and check as a user meets them (split from
// cli.test.ts so that the two halves run side by side).
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { generateAssembly } from '../bench/generate.js';
import { check } from '../src/check/index.js';
import { loadModel } from '../src/model/index.js';
import { example, repo } from './support/synth.js';
import { DATABASE_PATH_HOPS } from './support/hops.js';

const bin = join(repo, 'dist', 'src', 'cli', 'main.js');
const run = (...args: string[]) => spawnSync(process.execPath, [bin, ...args], { encoding: 'utf8', cwd: repo });
const work = mkdtempSync(join(tmpdir(), 'ls-cli-'));
after(() => rmSync(work, { recursive: true, force: true }));

describe('inspect', () => {
  it('shows what the templates create, with addresses and DNS names, and lists skipped types once on stderr', () => {
    const r = run('inspect', example('seed'), '--out', join(work, 'inspect.out'));
    assert.equal(r.status, 0, r.stderr);
    assert.match(r.stdout, /^gateway owner-vpc-gw rgw-[0-9a-f]{17} 10\.0\.0\.4 10\.0\.1\.4$/m);
    assert.match(r.stdout, /^instance app i-[0-9a-f]{17} 10\.1\.0\.4$/m);
    assert.match(
      r.stdout,
      /^ {2}vpce-[0-9a-f]{17}-snra-[0-9a-f]{17}\.rcfg-[0-9a-f]{17}\.[0-9a-f]{7}\.vpc-lattice-rsc\.us-east-1\.on\.aws$/m,
    );
    assert.match(r.stdout, /\.cluster-ro-[0-9a-f]{12}\.us-east-1\.rds\.amazonaws\.com \(private DNS\)$/m);
    const notes = r.stderr.trim().split('\n');
    assert.equal(notes.length, 2, r.stderr);
    assert.match(notes[0]!, /^lattice-share: synthesized .*seed\/lattice-share\.yaml into .*inspect\.out$/);
    assert.match(notes[1]!, /^lattice-share: not modelled \(no effect on reachability assumed\): .*AWS::IAM::Role ×4/);
  });
  it('--json gives the whole model', () => {
    const r = run('inspect', join(work, 'inspect.out'), '--json');
    assert.equal(r.status, 0, r.stderr);
    const m = JSON.parse(r.stdout);
    assert.equal(m.endpoints.length, 2);
    assert.equal(m.enis.length, 10);
  });
});

describe('synth', () => {
  it('writes a cloud assembly and lists the stacks in deploy order', () => {
    const out = join(work, 'seed.out');
    const r = run('synth', example('seed'), '--out', out);
    assert.equal(r.status, 0, r.stderr);
    assert.match(r.stdout, /1\. LatticeShare-owner-owner {2}account 111111111111/);
    assert.match(
      r.stdout,
      /2\. LatticeShare-partner-consumer {2}account 222222222222 {2}us-east-1 {2}after LatticeShare-owner-owner/,
    );
    assert.ok(
      existsSync(join(out, 'manifest.json')) && existsSync(join(out, 'LatticeShare-owner-owner.template.json')),
    );
  });
  it('a failed synth leaves the previous assembly as it was and no temporary directory', () => {
    const out = join(work, 'keep.out');
    assert.equal(run('synth', example('seed'), '--out', out).status, 0);
    const before = readFileSync(join(out, 'manifest.json'), 'utf8');
    const file = join(work, 'bad.yaml');
    writeFileSync(file, 'version: 1\n');
    const r = run('synth', file, '--out', out);
    assert.equal(r.status, 1);
    assert.equal(readFileSync(join(out, 'manifest.json'), 'utf8'), before);
    assert.deepEqual(
      readdirSync(work).filter((f) => f.includes('.tmp-')),
      [],
    );
  });
  it('refuses to overwrite a directory that is not a cloud assembly', () => {
    const dir = join(work, 'precious');
    mkdirSync(dir);
    writeFileSync(join(dir, 'notes.txt'), 'keep me');
    const r = run('synth', example('seed'), '--out', dir);
    assert.equal(r.status, 2);
    assert.match(r.stderr, /exists and is not a cloud assembly/);
    assert.equal(readFileSync(join(dir, 'notes.txt'), 'utf8'), 'keep me');
  });
});

describe('check', () => {
  const out = join(work, 'check.out');
  it('the seed: exit 0, every declared path reachable; --json is the documented shape', () => {
    const r = run('check', example('seed'), '--out', out, '--json');
    assert.equal(r.status, 0, r.stderr);
    const report = JSON.parse(r.stdout);
    assert.equal(report.version, 2);
    assert.equal(report.ok, true);
    assert.deepEqual(Object.keys(report).sort(), [
      'expectations',
      'findings',
      'flows',
      'ok',
      'skipped',
      'summary',
      'version',
      'warnings',
    ]);
    assert.equal(report.skipped['AWS::IAM::Role'], 4, 'the resource types check skipped, with their counts');
    assert.ok(
      report.flows.every((f: { attempts: { hops: { hop: string }[] }[] }) =>
        f.attempts.every((a) => a.hops[0]!.hop === 'dns'),
      ),
    );
  });
  it('--expect: a must-reach that fails exits 1 and says why; a must-not-reach that holds exits 0', () => {
    const bad = run('check', out, '--expect', 'other -> orders-db');
    assert.equal(bad.status, 1);
    assert.match(bad.stdout, /✗ other -> orders-db: no name reaches it; .* blocked at client-egress/);
    const good = run('check', out, '--expect', 'other !-> orders-db', '--expect', 'app -> orders-db');
    assert.equal(good.status, 0, good.stdout);
  });
  it('says in its text which resource types it did not model', () => {
    const r = run('check', out);
    assert.match(r.stdout, /^not modelled \(no effect on reachability assumed\): .*AWS::IAM::Role ×4/m);
  });
  it('--hops prints every hop of a path', () => {
    const r = run('check', out, '--hops');
    assert.equal(r.status, 0);
    for (const hop of [...DATABASE_PATH_HOPS]) {
      assert.match(r.stdout, new RegExp(`pass  ${hop}: `), hop);
    }
  });
  it('a reader that goes away early (| head) ends the command quietly, with no stack trace', () => {
    // Over 64 KiB (a pipe's buffer), so the write meets a closed pipe.
    const r = spawnSync(
      'bash',
      ['-o', 'pipefail', '-c', `"${process.execPath}" "${bin}" check --json --hops "${out}" | head -c 100 >/dev/null`],
      { encoding: 'utf8' },
    );
    assert.equal(r.status, 0, r.stderr);
    assert.equal(r.stderr, '');
  });

  it('--json of a large estate: in pieces, byte for byte JSON.stringify; | head ends it quietly', () => {
    // 40 owner VPCs and 150 consumer stacks cloned from the seed: an answer of megabytes, written a megabyte at a time.
    const estate = generateAssembly(out, work, 40, 150);
    const whole = spawnSync(process.execPath, [bin, 'check', estate, '--json'], { maxBuffer: 1 << 28 });
    assert.ok(whole.status === 0 || whole.status === 1, String(whole.stderr));
    const expected = `${JSON.stringify(check(loadModel(estate)), null, 2)}\n`;
    assert.ok(expected.length > 4 << 20, `${expected.length} bytes: several pieces`);
    assert.ok(whole.stdout.equals(Buffer.from(expected)), 'the same bytes as one JSON.stringify');
    const early = spawnSync(
      'bash',
      ['-o', 'pipefail', '-c', `"${process.execPath}" "${bin}" check --json "${estate}" | head -c 100 >/dev/null`],
      { encoding: 'utf8' },
    );
    assert.equal(early.status, whole.status, early.stderr);
    assert.equal(early.stderr, '');
  });

  it('unreadable input or a malformed expectation exits 2 with one line', () => {
    const broken = join(work, 'broken.yaml');
    writeFileSync(broken, 'version: 1\nregion: nowhere\n');
    for (const args of [
      ['check', join(work, 'missing.yaml')],
      ['check', broken],
      ['check', work],
      ['check', out, '--expect', 'app orders-db'],
      ['check', out, '--expect', 'nobody -> orders-db'],
    ]) {
      const r = run(...args);
      assert.equal(r.status, 2, `${args.join(' ')}: ${r.stdout}${r.stderr}`);
      // One line per problem: a config's file:line:column diagnostics, or one lattice-share: line.
      for (const line of r.stderr.trim().split('\n'))
        assert.match(line, /^(lattice-share: |\S+\.yaml:\d+:\d+: )/, r.stderr);
    }
  });
});
