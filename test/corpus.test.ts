// The third-party corpus: for every case, check gives the verdicts its documentation gives (the twin's side is in
// test/twin/agreement.test.ts).
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { checkArgs, corpusCases } from './support/corpus.js';
import { repo } from './support/synth.js';

const bin = join(repo, 'dist', 'src', 'cli', 'main.js');

describe('the third-party corpus: check gives the documented verdicts', () => {
  const cases = corpusCases();
  it('has cases, each with verdicts and the documentation they rest on', () => {
    assert.ok(cases.length >= 4);
    for (const c of cases) {
      assert.ok(c.expect.length > 0 && c.what.length > 0, c.name);
      assert.ok(c.sources.length > 0, `${c.name} cites its sources`);
      for (const source of c.sources) assert.match(source, /^https:\/\/docs\.aws\.amazon\.com\//, c.name);
    }
  });
  for (const c of cases)
    it(`${c.name}: ${c.what}`, () => {
      const r = spawnSync(process.execPath, [bin, 'check', ...checkArgs(c), '--json'], {
        cwd: c.dir,
        encoding: 'utf8',
      });
      assert.ok(r.stdout, r.stderr);
      const report = JSON.parse(r.stdout) as {
        expectations: { expectation: string; result: string; detail: string }[];
      };
      const given = report.expectations.filter((x) => !x.expectation.startsWith('declared:'));
      assert.deepEqual(
        given.map((x) => [x.expectation, x.result]),
        [...c.expect.map((x) => [x, 'holds']), ...c.unknown.map((x) => [x, 'unknown'])],
        given.map((x) => `${x.expectation}: ${x.detail}`).join('\n'),
      );
    });
});
