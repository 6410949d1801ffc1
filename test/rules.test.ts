// The lint registry as units: one table in docs/check.md (EN and JA), one failing variant per ID (in check.test.ts),
// a rule that throws becomes one error finding while the others run; every construct rule ID is tested.
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { Facts } from '../src/check/index.js';
import { REASONS } from '../src/check/reasons.js';
import { lint, RULES, type LintRule } from '../src/check/rules/index.js';
import { loadModel } from '../src/model/index.js';
import { example, repo, synth } from './support/synth.js';

/** The rows of the lint table in a docs file: ID → [severity, what]. */
function table(file: string): Map<string, [string, string]> {
  const text = readFileSync(join(repo, 'docs', file), 'utf8');
  const rows = [...text.matchAll(/^\| (LS-[A-Z]+\d+) \| ([^|]+) \| (.+) \|$/gm)];
  return new Map(rows.map((m) => [m[1]!, [m[2]!.trim(), m[3]!.trim()]]));
}

/** The rows of the reason-code table in a docs file: code → when. */
function reasonTable(file: string): Map<string, string> {
  const text = readFileSync(join(repo, 'docs', file), 'utf8');
  return new Map([...text.matchAll(/^\| ([A-Z][A-Z_]+) \| ([^|]+) \|$/gm)].map((m) => [m[1]!, m[2]!.trim()]));
}

describe('the reason codes', () => {
  it('equal the table in docs/check.md, in order and word for word; docs/check.ja.md has the same codes', () => {
    assert.deepEqual([...reasonTable('check.md')], Object.entries(REASONS));
    assert.deepEqual([...reasonTable('check.ja.md').keys()], Object.keys(REASONS));
  });
});

describe('the lint registry', () => {
  it('equals the table in docs/check.md: IDs in order, severities and summaries; docs/check.ja.md has the same IDs', () => {
    const en = table('check.md');
    assert.deepEqual(
      [...en.keys()],
      RULES.map((r) => r.id),
    );
    for (const rule of RULES) {
      assert.deepEqual(en.get(rule.id), [rule.severities.join(' / '), rule.summary], rule.id);
      assert.ok(rule.why.length > 20, `${rule.id} says why`);
    }
    const ja = table('check.ja.md');
    assert.deepEqual(
      [...ja.keys()],
      RULES.map((r) => r.id),
    );
    for (const rule of RULES) assert.equal(ja.get(rule.id)?.[0], rule.severities.join(' / '), rule.id);
  });

  it('IDs are unique and of the form LS-<AREA><n>', () => {
    const ids = RULES.map((r) => r.id);
    assert.equal(new Set(ids).size, ids.length);
    for (const id of ids) assert.match(id, /^LS-[A-Z]+\d+$/);
  });

  it('a rule that throws becomes one error finding naming it; the rules after it still run', () => {
    const seed = synth({ file: example('seed') });
    try {
      const facts = new Facts(loadModel(seed.dir));
      const broken: LintRule = {
        id: 'LS-TEST1',
        severities: ['warning'],
        summary: 'a rule that fails',
        why: 'to see that a failing rule does not fail check',
        check() {
          throw new TypeError('cannot read properties of undefined');
        },
      };
      const finds: LintRule = {
        ...broken,
        id: 'LS-TEST2',
        *check() {
          yield { message: 'found', fix: 'none' };
        },
      };
      assert.deepEqual(lint(facts, [broken, finds]), [
        {
          id: 'LS-TEST1',
          severity: 'error',
          message: 'rule LS-TEST1 could not read these templates: cannot read properties of undefined',
          fix: 'report it to lattice-share with the templates (the other rules ran)',
        },
        { id: 'LS-TEST2', severity: 'warning', message: 'found', fix: 'none' },
      ]);
      assert.deepEqual(lint(facts), [], 'the seed has no finding');
    } finally {
      seed.cleanup();
    }
  });
});

describe('construct rules', () => {
  it('every LSC- rule ID in src/constructs is asserted by a construct test that breaks it', () => {
    const ids = (dir: string, names: RegExp) =>
      new Set(
        readdirSync(join(repo, dir))
          .filter((f) => names.test(f))
          .flatMap((f) => [...readFileSync(join(repo, dir, f), 'utf8').matchAll(/LSC-[A-Z]+\d+/g)].map((m) => m[0])),
      );
    const defined = ids('src/constructs', /\.ts$/);
    const asserted = ids('test', /^constructs.*\.test\.ts$/);
    assert.ok(defined.size >= 25, `${defined.size} construct rule IDs`);
    assert.deepEqual([...defined].filter((id) => !asserted.has(id)).sort(), []);
  });
});
