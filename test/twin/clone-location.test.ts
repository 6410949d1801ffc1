// The project works wherever a user clones it: here, a 0700 folder (as root's home or a mktemp folder is), a space
// and non-ASCII letters in the path. The clone is built there and `npm start`'s demo runs from it: PostgreSQL runs as
// its own user, which cannot reach into the clone, so the twin must never run anything from inside it. Needs root.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { rootSuites } from '../support/root.js';
import { repo } from '../support/synth.js';

const { after, before, describe, it } = rootSuites('the clone-location test runs a twin from a copy of the project');

describe('a clone in a 0700 folder with a space and non-ASCII letters in its path', () => {
  // Beside the repository, so node_modules can be hard-linked (same file system) rather than copied.
  const top = mkdtempSync(join(repo, '.tmp-clone-'));
  const clone = join(top, 'with space', 'lättice-share');
  before(() => {
    assert.equal(statSync(top).mode & 0o777, 0o700, 'the folder above the clone is 0700, as a home is');
    mkdirSync(clone, { recursive: true });
    for (const entry of ['package.json', 'tsconfig.json', 'scripts', 'src', 'test', 'bench', 'examples', 'dist']) {
      cpSync(join(repo, entry), join(clone, entry), { recursive: true });
    }
    const linked = spawnSync('cp', ['-al', join(repo, 'node_modules'), join(clone, 'node_modules')]);
    if (linked.status !== 0) cpSync(join(repo, 'node_modules'), join(clone, 'node_modules'), { recursive: true });
  });
  after(() => rmSync(top, { recursive: true, force: true }));

  it('builds there (the build script finds the compiler by a path with a space)', () => {
    const r = spawnSync(process.execPath, [join(clone, 'scripts', 'build.mjs')], { cwd: clone, encoding: 'utf8' });
    assert.equal(r.status, 0, r.stdout + r.stderr);
  });

  it("npm start's demo passes every check from there", () => {
    const r = spawnSync(
      process.execPath,
      [join(clone, 'dist', 'src', 'cli', 'main.js'), 'demo', '--name', `clone-${process.pid}`, '--json'],
      {
        cwd: clone,
        encoding: 'utf8',
        timeout: 180_000,
      },
    );
    assert.equal(r.status, 0, r.stderr);
    const result = JSON.parse(r.stdout) as { ok: boolean; checks: { passed: boolean; check: string }[] };
    assert.equal(result.checks.length, 9);
    assert.deepEqual(
      result.checks.filter((c) => !c.passed).map((c) => c.check),
      [],
    );
  });
});
