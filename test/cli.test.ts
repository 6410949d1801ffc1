// The command line as a user meets it: help, exit codes, one-line errors, and synth that never leaves half a result.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { example, repo } from './support/synth.js';
import { DATABASE_PATH_HOPS } from './support/hops.js';

const bin = join(repo, 'dist', 'src', 'cli', 'main.js');
const run = (...args: string[]) => spawnSync(process.execPath, [bin, ...args], { encoding: 'utf8', cwd: repo });
const work = mkdtempSync(join(tmpdir(), 'ls-cli-'));
after(() => rmSync(work, { recursive: true, force: true }));

describe('help and usage', () => {
  it('--help lists every command; each command has its own --help', () => {
    const r = run('--help');
    assert.equal(r.status, 0);
    for (const c of ['validate', 'synth', 'deploy', 'destroy', 'invoke']) {
      assert.match(r.stdout, new RegExp(`^  ${c} `, 'm'));
      const h = run(c, '--help');
      assert.equal(h.status, 0, c);
      assert.match(h.stdout, new RegExp(`^Usage: lattice-share ${c} `));
    }
  });
  it('usage errors exit 2 with one line', () => {
    for (const args of [
      [],
      ['frobnicate'],
      ['synth', '--bogus'],
      ['validate'],
      ['destroy', example('seed')],
      ['invoke'],
      ['invoke', 'x', '--data', '{not json'],
      ['invoke', 'x', '--timeout', '0'],
    ]) {
      const r = run(...args);
      assert.equal(r.status, 2, args.join(' '));
      if (args.length) assert.equal(r.stderr.trim().split('\n').length, 1, r.stderr);
    }
  });
});

describe('validate', () => {
  it('a valid config exits 0 with a summary', () => {
    const r = run('validate', example('seed'));
    assert.equal(r.status, 0);
    assert.match(r.stdout, /valid \(2 accounts, 3 networks, 1 resource, 1 share, 2 consumers, 3 workloads\)/);
  });
  it('a broken config exits 1 with file:line:column lines and no stack trace; --json gives the same', () => {
    const file = join(work, 'broken.yaml');
    writeFileSync(
      file,
      readFileSync(example('seed'), 'utf8')
        .replace('with: [partner]', 'with: [partnr]')
        .replace('cidr: 10.1.0.0/16', 'cidr: 10.1.0.0/33'),
    );
    const r = run('validate', file);
    assert.equal(r.status, 1);
    const lines = r.stderr.trim().split('\n');
    assert.equal(lines.length, 1, 'zod reports the shape problem; cross-references wait for a well-formed file');
    assert.match(lines[0]!, new RegExp(`^${file}:\\d+:\\d+: invalid value "10.1.0.0/33"`));
    assert.doesNotMatch(r.stderr, /\n\s+at /);
    const j = run('validate', file, '--json');
    assert.equal(j.status, 1);
    const out = JSON.parse(j.stdout);
    assert.equal(out.ok, false);
    assert.equal(out.diagnostics[0].line, 19);
    assert.equal(out.diagnostics[0].column, 11);
  });
});

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
      'summary',
      'version',
      'warnings',
    ]);
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
  it('--hops prints every hop of a path', () => {
    const r = run('check', out, '--hops');
    assert.equal(r.status, 0);
    for (const hop of [...DATABASE_PATH_HOPS]) {
      assert.match(r.stdout, new RegExp(`pass  ${hop}: `), hop);
    }
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

describe('exit codes as the README says', () => {
  it('unreadable input and usage errors are 2 in every command, before anything is made', () => {
    const runRoot = join(work, 'run-root');
    const env = { ...process.env, LATTICE_SHARE_RUN_DIR: runRoot };
    const cases = [
      ['validate', join(work, 'missing.yaml')],
      ['validate', work],
      ['inspect', work],
      ['synth', work],
      ['exec', 'app'],
      ['exec', 'app', '--'],
      ['up', example('seed'), '--idle-timeout', '0'],
      ['up', example('seed'), '--idle-timeout', 'soon'],
      ['up', example('seed'), '--idle-timeout', '1.5'],
      ['up', example('seed'), '--idle-timeout', '999999'],
    ];
    for (const args of cases) {
      const r = spawnSync(process.execPath, [bin, ...args], { encoding: 'utf8', cwd: work, env });
      assert.equal(r.status, 2, `${args.join(' ')}: ${r.stderr}`);
      assert.equal(r.stderr.trim().split('\n').length, 1, r.stderr);
    }
    assert.equal(existsSync(runRoot), false, 'no twin state was made');
    assert.equal(existsSync(join(work, 'cdk.out')), false, 'no assembly was made');
  });

  it('check and inspect on a config leave no cdk.out behind; --out keeps the assembly and says where', () => {
    const cwd = mkdtempSync(join(work, 'cwd-'));
    const quiet = spawnSync(process.execPath, [bin, 'inspect', example('seed')], { encoding: 'utf8', cwd });
    assert.equal(quiet.status, 0, quiet.stderr);
    assert.deepEqual(readdirSync(cwd), []);
    const kept = spawnSync(process.execPath, [bin, 'check', example('seed'), '--out', 'kept'], {
      encoding: 'utf8',
      cwd,
    });
    assert.equal(kept.status, 0, kept.stderr);
    assert.match(kept.stderr, new RegExp(`synthesized .* into ${join(cwd, 'kept')}`));
    assert.ok(existsSync(join(cwd, 'kept', 'manifest.json')));
  });

  it('status with no twin named default lists the twins that are up', () => {
    const root = mkdtempSync(join(work, 'status-'));
    const env = { ...process.env, LATTICE_SHARE_RUN_DIR: root };
    writeFileSync(join(root, '.lattice-share-run-root'), '');
    for (const name of ['alpha', 'beta']) {
      mkdirSync(join(root, name));
      writeFileSync(
        join(root, name, 'state.json'),
        JSON.stringify({ name, phase: 'up', namespaces: [], processes: [] }),
      );
    }
    const r = spawnSync(process.execPath, [bin, 'status'], { encoding: 'utf8', env });
    assert.equal(r.status, 0, r.stderr);
    assert.match(r.stdout, /no twin named "default"; twins up: alpha, beta/);
    const json = spawnSync(process.execPath, [bin, 'status', '--json'], { encoding: 'utf8', env });
    assert.deepEqual(JSON.parse(json.stdout), { ok: true, twins: ['alpha', 'beta'] });
    const named = spawnSync(process.execPath, [bin, 'status', '--name', 'default'], { encoding: 'utf8', env });
    assert.equal(named.status, 1);
    assert.match(named.stderr, /no twin named "default" is up/);
  });
});

describe('the README', () => {
  it('lists every command as its --help says, in English and Japanese', () => {
    for (const readme of ['README.md', 'README.ja.md']) {
      const text = readFileSync(join(repo, readme), 'utf8');
      for (const command of [
        'validate',
        'synth',
        'inspect',
        'check',
        'up',
        'status',
        'exec',
        'invoke',
        'down',
        'demo',
        'deploy',
        'destroy',
      ]) {
        const usage = /^Usage: lattice-share (.+)$/m.exec(run(command, '--help').stdout)![1]!;
        assert.ok(text.includes(`| \`${usage.replace(/\|/g, '\\|')}\` |`), `${readme} shows ${command} as: ${usage}`);
      }
    }
  });
});
