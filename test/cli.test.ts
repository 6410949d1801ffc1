// The command line as a user meets it: help, exit codes, one-line errors, and synth that never leaves half a result.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { after, describe, it } from 'node:test';
import { relayed } from '../src/deploy/index.js';
import { lineOf } from '../src/cli/host.js';
import { rootOnly } from './support/root.js';
import { example, repo } from './support/synth.js';

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
      ['diagram', example('seed'), '--group', 'sometimes'],
      ['diagram', example('seed'), '--format', 'png'],
    ]) {
      const r = run(...args);
      assert.equal(r.status, 2, args.join(' '));
      if (args.length) assert.equal(r.stderr.trim().split('\n').length, 1, r.stderr);
    }
  });

  it('a choice option names its choices, whichever command has it', () => {
    const cases: [string[], string][] = [
      [['diagram', example('seed'), '--format', 'png'], '--format takes svg, dot, mermaid or html, not "png"'],
      [['handoff', example('seed'), '--account', 'partner', '--lang', 'fr'], '--lang takes en or ja, not "fr"'],
      [
        ['fault', 'revoke', 'share', '111111111111', '--existing', 'maybe'],
        '--existing takes keep or reset, not "maybe"',
      ],
      [['doctor', '--print-policy', '--side', 'partner'], '--side takes owner or consumer, not "partner"'],
    ];
    for (const [args, line] of cases) {
      const r = run(...args);
      assert.equal(r.status, 2, args.join(' '));
      assert.equal(r.stderr.trim(), `lattice-share: ${line}`);
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
    const line =
      readFileSync(file, 'utf8')
        .split('\n')
        .findIndex((x) => x.includes('10.1.0.0/33')) + 1;
    assert.equal(out.diagnostics[0].line, line);
    assert.equal(out.diagnostics[0].column, 11);
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

  const runRootIsRoots = rootOnly("the run root must be root's, and status reads it as root");
  it('status with no twin named default lists the twins that are up', runRootIsRoots, () => {
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

describe('start-up', () => {
  it('check of a cloud assembly loads what it uses only: not the YAML parser, the twin, the diagram or doctor', () => {
    const assembly = join(work, 'loads-assembly');
    const made = run('check', example('seed'), '--out', assembly);
    assert.equal(made.status, 0, made.stderr);
    // ES modules through a load hook; CommonJS ones (the YAML parser is one) from require's cache at exit.
    const hooks = join(work, 'loads-hooks.mjs');
    writeFileSync(
      hooks,
      "import { writeSync } from 'node:fs';\n" +
        "export async function load(url, context, next) { writeSync(2, 'loaded ' + url + '\\n'); return next(url, context); }\n",
    );
    const recorder = join(work, 'loads.mjs');
    writeFileSync(
      recorder,
      "import { createRequire, register } from 'node:module';\nimport { pathToFileURL } from 'node:url';\n" +
        `register(${JSON.stringify(pathToFileURL(hooks).href)});\n` +
        "process.on('exit', () => { for (const file of Object.keys(createRequire(import.meta.url).cache)) " +
        "process.stderr.write('loaded ' + pathToFileURL(file).href + '\\n'); });\n",
    );
    const r = spawnSync(process.execPath, ['--import', pathToFileURL(recorder).href, bin, 'check', assembly], {
      encoding: 'utf8',
      cwd: repo,
    });
    assert.equal(r.status, 0, r.stderr);
    const loaded = r.stderr.split('\n').flatMap((line) => (line.startsWith('loaded ') ? [line.slice(7)] : []));
    assert.ok(
      loaded.some((url) => url.includes('/dist/src/check/')),
      'the check box is loaded',
    );
    for (const part of ['/dist/src/twin/', '/dist/src/diagram/', '/dist/src/model/live/', '/node_modules/yaml/'])
      assert.ok(!loaded.some((url) => url.includes(part)), `${part}: ${loaded.find((url) => url.includes(part))}`);
  });
});

describe('check --twin', () => {
  it('takes no input, and a twin name only: one line and exit 2 otherwise, before anything is read', () => {
    const withInput = run('check', '--twin', 'default', example('seed'));
    assert.equal(withInput.status, 2);
    assert.match(withInput.stderr, /^lattice-share: check --twin reads the running twin's own model: leave out .*seed/);
    const hostile = run('check', '--twin', '../../etc');
    assert.equal(hostile.status, 2);
    assert.match(hostile.stderr, /^lattice-share: twin name "\.\.\/\.\.\/etc" must be/);
    assert.equal(hostile.stderr.trim().split('\n').length, 1);
  });
});

describe('diagram --out', () => {
  it('writes a new or regular file; a folder, a link or a missing folder is one line and exit 2', () => {
    const out = join(work, 'seed.mmd');
    const written = run('diagram', example('seed'), '--format', 'mermaid', '--out', out);
    assert.equal(written.status, 0, written.stderr);
    assert.match(readFileSync(out, 'utf8'), /^flowchart LR\n/);
    const target = join(work, 'kept.txt');
    writeFileSync(target, 'not ours');
    const link = join(work, 'link.svg');
    symlinkSync(target, link);
    for (const [given, said] of [
      [work, /exists and is not a regular file/],
      [link, /exists and is not a regular file/],
      [join(work, 'missing', 'x.svg'), /the folder .* does not exist/],
    ] as const) {
      const r = run('diagram', example('seed'), '--format', 'dot', '--out', given);
      assert.equal(r.status, 2, r.stderr);
      assert.match(r.stderr, said);
      assert.equal(r.stderr.trim().split('\n').length, 1);
    }
    assert.equal(readFileSync(target, 'utf8'), 'not ours', 'the link was not followed');
    assert.deepEqual(
      readdirSync(work).filter((f) => f.includes('.tmp-')),
      [],
      'nothing half-written is left',
    );
  });
});

describe('the README', () => {
  it('lists every command as its --help says, in English and Japanese', () => {
    const readmes = ['README.md', 'README.ja.md'].map(
      (file) => [file, readFileSync(join(repo, file), 'utf8')] as const,
    );
    for (const command of [
      'validate',
      'synth',
      'inspect',
      'check',
      'diagram',
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
      for (const [file, text] of readmes)
        assert.ok(text.includes(`| \`${usage.replace(/\|/g, '\\|')}\` |`), `${file} shows ${command} as: ${usage}`);
    }
  });
});

describe('messages', () => {
  it('deploy relays toolkit messages with text only, their codes kept: no empty "error:" line', () => {
    assert.equal(relayed({ level: 'error', message: '' }), undefined);
    assert.equal(relayed({ level: 'error', message: ' \n' }), undefined);
    assert.deepEqual(relayed({ level: 'error', code: 'CDK_TOOLKIT_E5001', message: 'no credentials\n' }), {
      level: 'error',
      code: 'CDK_TOOLKIT_E5001',
      message: 'no credentials',
      data: undefined,
    });
    // The CLI shows debug only when asked, and names the level of what is not info.
    const debug = { level: 'debug', code: 'CDK_TOOLKIT_I0000', message: 'noise' } as const;
    assert.deepEqual(relayed(debug), { ...debug, data: undefined });
    assert.equal(lineOf({ ...debug, time: new Date(), depth: 1 }, false), undefined);
    assert.equal(lineOf({ ...debug, time: new Date(), depth: 1 }, true), '  debug: noise');
    const warn = { level: 'warn', code: 'CDK_ASSETS_W0001', message: 'slow\nstill' } as const;
    assert.equal(lineOf({ ...warn, time: new Date(), depth: 2 }), '    warn: slow\n    still');
  });
});
