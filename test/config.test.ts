// The config box: examples resolve with their defaults; malformed configs give their error at the right place;
// no mutation of a valid config ever escapes as anything but a ConfigError.
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { isMap, isScalar, isSeq, parseDocument, type Node } from 'yaml';
import { ConfigError, loadConfig, parseConfig } from '../src/config/index.js';
import { example, repo } from './support/synth.js';

const FIXTURES = join(repo, 'test', 'fixtures', 'malformed');

function thrown(f: () => unknown): unknown {
  try { f(); } catch (e) { return e; }
  return undefined;
}

describe('malformed configs', () => {
  const files = readdirSync(FIXTURES).filter((f) => f.endsWith('.yaml')).sort();
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
      assert.deepEqual([hit.file, hit.line, hit.column], [file, Number(line), Number(column)], `wrong place for "${message}"`);
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
    assert.deepEqual(t.consumers.map((c) => [c.name, c.privateDns, c.acceptInvitation, c.share]), [
      ['partner-app', true, true, 'orders-to-partner'], ['partner-legacy', false, true, 'orders-to-partner']]);
    assert.equal(t.shares[0]!.allowExternalPrincipals, true, 'external principals follow from an account outside the organization');
  });
  it('existing-db: an OU share inside the organization needs no invitation and no external principals', () => {
    const t = loadConfig(example('existing-db'));
    assert.equal(t.shares[0]!.allowExternalPrincipals, false);
    assert.deepEqual(t.shares[0]!.principals, [{ kind: 'ou', id: 'ou-ab12-cdef3456', arn: 'arn:aws:organizations::100000000000:ou/o-abc123def4/ou-ab12-cdef3456' }]);
    assert.ok(t.consumers.every((c) => !c.acceptInvitation));
    const net = t.networks.find((n) => n.name === 'data-vpc')!;
    assert.equal(net.kind, 'imported');
  });
  it('many-consumers: only accounts outside the organization accept invitations', () => {
    const t = loadConfig(example('many-consumers'));
    assert.deepEqual(Object.fromEntries(t.consumers.map((c) => [c.name, c.acceptInvitation])), { analytics: false, 'partner-a': true, 'partner-b': true, reporting: false });
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
        if (isMap(node)) for (const p of node.items) walk(p.value, [...path, String((p.key as Node & { value: unknown }).value)]);
        else if (isSeq(node)) node.items.forEach((n, i) => walk(n, [...path, i]));
        else if (!isScalar(node)) return;
      };
      walk(parseDocument(text).contents, []);
      assert.ok(paths.length > 30);
      let errors = 0;
      for (const path of paths) {
        for (const value of [undefined, 7, 'x', ['x'], { x: 1 }]) {
          const doc = parseDocument(text);
          if (value === undefined) doc.deleteIn(path); else doc.setIn(path, value);
          try {
            parseConfig(doc.toString(), 'mutated.yaml');
          } catch (e) {
            assert.ok(e instanceof ConfigError, `${path.join('.')} = ${JSON.stringify(value)} threw ${(e as Error).stack}`);
            assert.ok((e as ConfigError).diagnostics.every((d) => d.line >= 1 && d.message), 'every diagnostic has a place and a message');
            errors++;
          }
        }
      }
      assert.ok(errors > paths.length, 'most mutations are rejected');
    });
  }
});
