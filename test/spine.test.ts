// The error and message spine: one base error with coded conditions, one IoHost for every box's messages. No root.
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, it } from 'node:test';
import { App, Stack } from 'aws-cdk-lib';
import { lineOf } from '../src/cli/host.js';
import { Interrupted, report, UsageError } from '../src/cli/output.js';
import { ConfigError } from '../src/config/index.js';
import { LatticeValidationError, SharePrincipal } from '../src/constructs/index.js';
import { AssemblyError, DeployError } from '../src/deploy/index.js';
import { ExpectationError } from '../src/check/index.js';
import { LoadError } from '../src/model/index.js';
import { ERROR_CODES, exitStatus, LatticeShareError } from '../src/shared/errors.js';
import { IoHelper, MESSAGE_CODES, RecordingIoHost } from '../src/shared/io.js';
import { InterruptedError, TwinError } from '../src/twin/index.js';
import * as library from '../src/index.js';
import { example, repo, synth } from './support/synth.js';

function sources(dir: string): { file: string; text: string }[] {
  return readdirSync(dir, { withFileTypes: true, recursive: true })
    .filter((e) => e.isFile() && e.name.endsWith('.ts'))
    .map((e) => join(e.parentPath, e.name))
    .map((file) => ({ file: relative(repo, file), text: readFileSync(file, 'utf8') }));
}
const src = sources(join(repo, 'src'));
const registries = new Set(['src/shared/errors.ts', 'src/shared/io.ts']);

describe('the error spine', () => {
  it('every error class is a LatticeShareError, recognised by its brand, with its code and cause', () => {
    const scope = new Stack(new App(), 'S');
    const cause = new Error('underneath');
    const errors: [LatticeShareError, string][] = [
      [new ConfigError([]), 'LS_CONFIG_INVALID'],
      [new ConfigError([], 'LS_CONFIG_UNREADABLE'), 'LS_CONFIG_UNREADABLE'],
      [new LoadError('x', { cause }), 'LS_MODEL_INVALID'],
      [new AssemblyError('x'), 'LS_ASSEMBLY_INVALID'],
      [new DeployError('Stack', 'x', { cause }), 'LS_DEPLOY_FAILED'],
      [new TwinError('x'), 'LS_TWIN_FAILED'],
      [new TwinError('x', 'LS_TWIN_NAME_INVALID'), 'LS_TWIN_NAME_INVALID'],
      [new InterruptedError('SIGINT'), 'LS_INTERRUPTED'],
      [new LatticeValidationError(scope, 'x'), 'LS_CONSTRUCT_INVALID'],
      [new ExpectationError('x'), 'LS_EXPECTATION_INVALID'],
      [new UsageError('x'), 'LS_USAGE'],
      [new Interrupted('x'), 'LS_INTERRUPTED'],
    ];
    for (const [error, code] of errors) {
      assert.ok(error instanceof LatticeShareError, error.name);
      assert.ok(LatticeShareError.isLatticeShareError(error), error.name);
      assert.equal(error.code, code);
      assert.equal(error.source, ERROR_CODES[error.code].source);
      assert.notEqual(error.name, 'Error');
    }
    assert.equal(new LoadError('x', { cause }).cause, cause);
    // Another copy of the package (another class object) is recognised by the Symbol.for brand, not instanceof.
    const foreign = Object.assign(new Error('x'), {
      [Symbol.for('lattice-share.LatticeShareError')]: true,
      code: 'LS_USAGE',
    });
    assert.ok(LatticeShareError.isLatticeShareError(foreign));
    assert.equal(exitStatus(foreign), 2);
    assert.equal(LatticeShareError.isLatticeShareError(Object.assign(new Error('x'), { code: 'LS_USAGE' })), false);
    assert.throws(
      () => SharePrincipal.account('12345'),
      (e: unknown) => e instanceof LatticeShareError,
    );
  });
});

describe('error codes', () => {
  it('the registry: each key is its code, each code is used in src, each code src uses is registered', () => {
    for (const [code, info] of Object.entries(ERROR_CODES)) {
      assert.match(code, /^LS_[A-Z]+(_[A-Z]+)*$/);
      assert.ok([1, 2, 130].includes(info.exit), code);
      assert.ok(info.summary.length > 10, code);
    }
    const used = new Set<string>();
    for (const { file, text } of src) {
      if (registries.has(file)) continue;
      for (const m of text.matchAll(/'(LS_[A-Z_]+[A-Z])'/g)) used.add(m[1] ?? '');
    }
    for (const code of used) assert.ok(code in ERROR_CODES, `${code} is used in src but not in ERROR_CODES`);
    for (const code of Object.keys(ERROR_CODES)) {
      const base = ['LS_TWIN_FAILED', 'LS_MODEL_INVALID', 'LS_ASSEMBLY_INVALID', 'LS_DEPLOY_FAILED', 'LS_USAGE'];
      assert.ok(used.has(code) || base.includes(code), `${code} is in ERROR_CODES but nothing throws it`);
    }
  });

  it('no bare Error: nothing in src throws or extends Error but the base', () => {
    for (const { file, text } of src) {
      if (file === 'src/shared/errors.ts') continue;
      assert.doesNotMatch(text, /new Error\(/, `${file} makes a bare Error`);
      assert.doesNotMatch(text, /extends Error\b/, `${file} has an error class outside the spine`);
    }
  });

  it('exit statuses come from the registry: 2 for input, 130 interrupted, 1 for the rest and for what is not ours', () => {
    assert.equal(exitStatus(new UsageError('x')), 2);
    assert.equal(exitStatus(new TwinError('x', 'LS_CACHE_DIR_INVALID')), 2);
    assert.equal(exitStatus(new InterruptedError('SIGTERM')), 130);
    assert.equal(exitStatus(new TwinError('x')), 1);
    assert.equal(exitStatus(new TypeError('x')), 1);
  });

  it('construct rule IDs (LSC-…) and check lint IDs (LS-…) are disjoint namespaces', () => {
    const construct = new Set<string>();
    const lint = new Set<string>();
    for (const { file, text } of src) {
      if (file.startsWith('src/constructs/'))
        for (const m of text.matchAll(/\[(L[A-Z]*-?[A-Z]+\d+)\]|id: '([A-Z-]+\d+)'/g))
          construct.add(m[1] ?? m[2] ?? '');
      if (file.startsWith('src/check/')) for (const m of text.matchAll(/'(LS-[A-Z]+\d+)'/g)) lint.add(m[1] ?? '');
    }
    assert.ok(construct.size >= 25 && lint.size >= 25, `${construct.size} construct IDs, ${lint.size} lint IDs`);
    for (const id of construct) assert.match(id, /^LSC-[A-Z]+\d+$/);
    for (const id of lint) assert.match(id, /^LS-[A-Z]+\d+$/);
  });
});

describe("the CLI's report of an error", () => {
  it('the CLI reports our errors with their code in --json, and anything else as an internal error', () => {
    const out: string[] = [];
    const write = process.stdout.write.bind(process.stdout);
    process.stdout.write = ((chunk: string) => (out.push(chunk), true)) as typeof process.stdout.write;
    try {
      assert.equal(report(new TwinError('no twin named "x" is up', 'LS_TWIN_NOT_UP'), true), 1);
      assert.equal(report(new UsageError('bad'), true), 2);
      assert.equal(report(new RangeError('boom'), true), 1);
    } finally {
      process.stdout.write = write;
    }
    const [notUp, usage, internal] = out.map((chunk) => JSON.parse(chunk));
    assert.deepEqual(notUp, { ok: false, error: 'no twin named "x" is up', code: 'LS_TWIN_NOT_UP' });
    assert.equal(usage.code, 'LS_USAGE');
    assert.match(internal.error, /^internal error: boom/);
    assert.equal(internal.code, undefined);
  });
});

describe('the IoHost', () => {
  it('spans nest by depth and end with their duration; the recording host keeps every message in order', () => {
    const host = new RecordingIoHost();
    const io = new IoHelper(host);
    const outer = io.span('LS_TWIN_I1000', 'outer', { name: 'x' });
    outer.io.info('LS_TWIN_I1100', 'step', { step: 'segments', count: 2 });
    const inner = outer.io.span('LS_DEPLOY_I2000', 'inner', { stack: 's' });
    inner.io.notify('warn', 'CDK_TOOLKIT_W0001', 'from the toolkit');
    inner.end('LS_DEPLOY_I2001', (ms) => `inner done in ${ms} ms`);
    outer.end('LS_TWIN_I1001', () => 'outer done');
    assert.deepEqual(
      host.messages.map((m) => `${m.depth} ${m.level} ${m.code} ${m.message.replace(/\d+ ms/, 'N ms')}`),
      [
        '0 info LS_TWIN_I1000 outer',
        '1 info LS_TWIN_I1100 step',
        '1 info LS_DEPLOY_I2000 inner',
        '2 warn CDK_TOOLKIT_W0001 from the toolkit',
        '1 info LS_DEPLOY_I2001 inner done in N ms',
        '0 info LS_TWIN_I1001 outer done',
      ],
    );
    const end = host.messages.at(-1)?.data as { name: string; durationMs: number };
    assert.equal(end.name, 'x');
    assert.ok(end.durationMs >= 0);
    assert.ok(host.messages.every((m) => m.time instanceof Date));
  });

  it('the CLI host shows info plainly, names other levels, indents by depth, hides debug unless asked', () => {
    const at = (level: 'info' | 'warn' | 'debug', depth: number, message = 'text') =>
      ({ time: new Date(), level, code: 'LS_TWIN_I1100', message, depth }) as const;
    assert.equal(lineOf(at('info', 0)), 'text');
    assert.equal(lineOf(at('warn', 1)), '  warn: text');
    assert.equal(lineOf(at('debug', 0), false), undefined);
    assert.equal(lineOf(at('info', 0, '  \n')), undefined);
  });

  it('message codes: each key is its code (LS_<BOX>_I<nnnn>), each is sent somewhere, each sent one is registered', () => {
    for (const code of Object.keys(MESSAGE_CODES)) assert.match(code, /^LS_[A-Z]+_[IWE]\d{4}$/);
    const sent = new Set<string>();
    for (const { file, text } of src) {
      if (registries.has(file)) continue;
      for (const m of text.matchAll(/'(LS_[A-Z]+_[IWE]\d{4})'/g)) sent.add(m[1] ?? '');
    }
    assert.deepEqual([...sent].sort(), Object.keys(MESSAGE_CODES).sort());
  });

  it('the library never prints: no console or process stream in a box but the CLI and the child processes', () => {
    const printers = new Set(['src/twin/agent.ts', 'src/twin/invoke-child.ts', 'src/app/synth-child.ts']);
    for (const { file, text } of src) {
      if (file.startsWith('src/cli/') || printers.has(file)) continue;
      assert.doesNotMatch(text, /console\.|process\.(stdout|stderr)/, file);
    }
  });

  it('docs/architecture.md lists every error code (its exit, who acts, its summary) and every message code', () => {
    const doc = readFileSync(join(repo, 'docs', 'architecture.md'), 'utf8');
    const rows = [...doc.matchAll(/^\| `(LS_[A-Z_]+)` \| (\d+) \| (\w+) \| (.+) \|$/gm)].map((m) => m.slice(1));
    assert.deepEqual(
      rows,
      Object.entries(ERROR_CODES).map(([code, e]) => [code, String(e.exit), e.source, e.summary]),
    );
    for (const code of Object.keys(MESSAGE_CODES))
      assert.ok(doc.includes(`\`${code}\``), `${code} is not in docs/architecture.md`);
  });
});

describe('the package entry point', () => {
  it("runs the README's library example: loadModel, check, the error brand, the registries and hosts", () => {
    for (const name of ['loadModel', 'check', 'renderReport', 'deployAll', 'exitStatus'] as const)
      assert.equal(typeof library[name], 'function', name);
    assert.equal(library.LatticeShareError, LatticeShareError);
    assert.equal(library.ERROR_CODES, ERROR_CODES);
    assert.equal(typeof library.RecordingIoHost, 'function');
    const seed = synth({ file: example('seed') });
    try {
      const report = library.check(library.loadModel(seed.dir), { expect: ['app -> orders-db'] });
      assert.equal(report.ok, true);
      assert.deepEqual(report.flows.filter((x) => x.disposition === 'BLOCKED').length > 0, true);
      assert.throws(
        () => library.loadModel(join(seed.dir, 'nowhere')),
        (e: unknown) => library.LatticeShareError.isLatticeShareError(e) && e.code === 'LS_ASSEMBLY_INVALID',
      );
    } finally {
      seed.cleanup();
    }
  });
});
