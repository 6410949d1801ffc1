// The config box: examples resolve with their defaults; malformed configs give their error at the right place;
// no mutation of a valid config ever escapes as anything but a ConfigError.
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, truncateSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { isMap, isScalar, isSeq, parseDocument, type Node } from 'yaml';
import { ConfigError, loadConfig, MAX_CONFIG_BYTES, parseConfig } from '../src/config/index.js';
import { example, repo } from './support/synth.js';

const FIXTURES = join(repo, 'test', 'fixtures', 'malformed');

function thrown(f: () => unknown): unknown {
  try {
    f();
  } catch (e) {
    return e;
  }
  return undefined;
}

describe('malformed configs', () => {
  const files = readdirSync(FIXTURES)
    .filter((f) => f.endsWith('.yaml'))
    .sort();
  it('there are at least 20', () => assert.ok(files.length >= 20, `${files.length} fixtures`));
  for (const f of files) {
    it(f, () => {
      const text = readFileSync(join(FIXTURES, f), 'utf8');
      const [, line, column, message] = /^# expect: (\d+):(\d+) (.+)$/m.exec(text)!;
      const file = join(FIXTURES, f);
      const e = thrown(() => loadConfig(file));
      assert.ok(e instanceof ConfigError, `expected a ConfigError, got ${String(e)}`);
      const diagnostics = e.diagnostics;
      const hit = diagnostics.find((d) => d.message.includes(message!) || d.fix?.includes(message!));
      assert.ok(hit, `no diagnostic says "${message}"; got:\n${(e as Error).message}`);
      assert.deepEqual(
        [hit.file, hit.line, hit.column],
        [file, Number(line), Number(column)],
        `wrong place for "${message}"`,
      );
      assert.ok(hit.fix, 'every problem says how to fix it');
    });
  }
});

describe('examples resolve', () => {
  it('seed: defaults and the invitation rule', () => {
    const t = loadConfig(example('seed'));
    assert.equal(t.name, 'LatticeShare');
    const db = t.resources[0]!;
    assert.equal(db.kind, 'database');
    assert.equal(db.kind === 'database' && db.port, 5432);
    assert.equal(db.kind === 'database' && db.expose, 'arn');
    assert.deepEqual(t.networks.find((n) => n.name === 'owner-vpc')!.availabilityZones, ['us-east-1a', 'us-east-1b']);
    assert.deepEqual(
      t.consumers.map((c) => [c.name, c.privateDns, c.acceptInvitation, c.share]),
      [
        ['partner-app', true, true, 'orders-to-partner'],
        ['partner-legacy', false, true, 'orders-to-partner'],
      ],
    );
    assert.equal(
      t.shares[0]!.allowExternalPrincipals,
      true,
      'external principals follow from an account outside the organization',
    );
  });
  it('existing-db: an OU share inside the organization needs no invitation and no external principals', () => {
    const t = loadConfig(example('existing-db'));
    assert.equal(t.shares[0]!.allowExternalPrincipals, false);
    assert.deepEqual(t.shares[0]!.principals, [
      {
        kind: 'ou',
        id: 'ou-ab12-cdef3456',
        arn: 'arn:aws:organizations::100000000000:ou/o-abc123def4/ou-ab12-cdef3456',
      },
    ]);
    assert.ok(t.consumers.every((c) => !c.acceptInvitation));
    const net = t.networks.find((n) => n.name === 'data-vpc')!;
    assert.equal(net.kind, 'imported');
  });
  it('many-consumers: only accounts outside the organization accept invitations', () => {
    const t = loadConfig(example('many-consumers'));
    assert.deepEqual(Object.fromEntries(t.consumers.map((c) => [c.name, c.acceptInvitation])), {
      analytics: false,
      'partner-a': true,
      'partner-b': true,
      reporting: false,
    });
  });
  it('aurora-mysql defaults to port 3306', () => {
    const text = readFileSync(example('seed'), 'utf8').replace('type: aurora-postgresql', 'type: aurora-mysql');
    const db = parseConfig(text).resources[0]!;
    assert.equal(db.kind === 'database' && db.port, 3306);
  });
});

describe('no input escapes as a crash', () => {
  for (const name of ['seed', 'existing-db', 'many-consumers']) {
    it(`${name}: every node deleted or retyped gives a topology or a ConfigError`, () => {
      const text = readFileSync(example(name), 'utf8');
      const paths: (string | number)[][] = [];
      const walk = (node: unknown, path: (string | number)[]) => {
        if (path.length) paths.push(path);
        if (isMap(node))
          for (const p of node.items) walk(p.value, [...path, String((p.key as Node & { value: unknown }).value)]);
        else if (isSeq(node)) node.items.forEach((n, i) => walk(n, [...path, i]));
        else if (!isScalar(node)) return;
      };
      walk(parseDocument(text).contents, []);
      assert.ok(paths.length > 30);
      let errors = 0;
      for (const path of paths) {
        for (const value of [undefined, 7, 'x', ['x'], { x: 1 }]) {
          const doc = parseDocument(text);
          if (value === undefined) doc.deleteIn(path);
          else doc.setIn(path, value);
          try {
            parseConfig(doc.toString(), 'mutated.yaml');
          } catch (e) {
            assert.ok(
              e instanceof ConfigError,
              `${path.join('.')} = ${JSON.stringify(value)} threw ${(e as Error).stack}`,
            );
            assert.ok(
              (e as ConfigError).diagnostics.every((d) => d.line >= 1 && d.message),
              'every diagnostic has a place and a message',
            );
            errors++;
          }
        }
      }
      assert.ok(errors > paths.length, 'most mutations are rejected');
    });
  }
});

describe('files that are not configs', () => {
  const work = mkdtempSync(join(tmpdir(), 'ls-config-'));
  after(() => rmSync(work, { recursive: true, force: true }));
  const file = (name: string, content: string | Buffer) => {
    writeFileSync(join(work, name), content);
    return join(work, name);
  };
  const problem = (path: string): ConfigError => {
    const e = thrown(() => loadConfig(path));
    assert.ok(e instanceof ConfigError, `expected a ConfigError, got ${String(e)}`);
    assert.equal(e.diagnostics.length, 1, e.message);
    return e;
  };

  it('say what the file should be: empty, a scalar, binary, random bytes, a folder, missing', () => {
    const cases: [string, RegExp, string?][] = [
      [
        file('empty.yaml', ''),
        /is empty, not a lattice-share config.*a YAML mapping with region, accounts/,
        'LS_CONFIG_INVALID',
      ],
      [file('comment.yaml', '# nothing yet\n'), /is empty, not a lattice-share config/, 'LS_CONFIG_INVALID'],
      [file('scalar.yaml', 'hello\n'), /holds the string "hello", not a lattice-share config/, 'LS_CONFIG_INVALID'],
      [file('list.yaml', '- a\n- b\n'), /holds a list, not a lattice-share config/, 'LS_CONFIG_INVALID'],
      [
        file('binary.yaml', Buffer.from([0x7f, 0x45, 0x4c, 0x46, 0, 1, 2])),
        /is not a text file \(a zero byte at offset 4\); a config is YAML text/,
        'LS_CONFIG_UNREADABLE',
      ],
      [
        file(
          'random.yaml',
          Buffer.from(
            Array.from({ length: 4096 }, (_, i) => ((i * 7919 + 13) % 251) + 1).map((b, i) => (i % 3 ? b : b | 0x80)),
          ),
        ),
        /is not a text file \(bytes that are not UTF-8\)/,
        'LS_CONFIG_UNREADABLE',
      ],
      [work, /is a folder, not a config file/, 'LS_CONFIG_UNREADABLE'],
      [join(work, 'missing.yaml'), /cannot read config: file not found/, 'LS_CONFIG_UNREADABLE'],
    ];
    for (const [path, message, code] of cases) {
      const e = problem(path);
      assert.match(e.message, message, path);
      assert.equal(e.code, code, path);
      assert.ok(e.diagnostics[0]!.fix, 'it says how to fix it');
    }
  });

  it('a folder holding a lattice-share.yaml points at it', () => {
    mkdirSync(join(work, 'project'));
    writeFileSync(join(work, 'project', 'lattice-share.yaml'), readFileSync(example('seed')));
    assert.equal(
      problem(join(work, 'project')).diagnostics[0]!.fix,
      `pass ${join(work, 'project', 'lattice-share.yaml')}`,
    );
  });

  it(`a file over ${MAX_CONFIG_BYTES / 1048576} MB is refused before it is read`, () => {
    const big = join(work, 'big.yaml');
    writeFileSync(big, '');
    truncateSync(big, MAX_CONFIG_BYTES + 1); // sparse: refused by its size alone
    assert.match(problem(big).message, /is 5\.0 MB; a config is at most 5 MB of YAML/);
  });
});
