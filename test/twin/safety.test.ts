// A root tool in anyone's hands: names and paths it cannot be tricked with, state files it does not trust, processes
// it proves are its own before it signals them, failures that say why, interrupts that leave nothing, and output
// that behaves in a pipe. Needs root (it makes namespaces and runs twins); CI is root.
import assert from 'node:assert/strict';
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import {
  chmodSync,
  cpSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { rootSuites } from '../support/root.js';
import { alive, startTime } from '../../src/twin/proc.js';
import { namespacePrefix } from '../../src/twin/index.js';
import { example, repo, synth, type Synthesized } from '../support/synth.js';
import { bin, ourNamespaces } from '../support/twin.js';

const { after, before, describe, it } = rootSuites(
  'the safety tests run twins and make namespaces in a root-owned run root',
);

const HOSTILE = ['../x', '/x', '.', '', 'a/b', 'x'.repeat(300), 'ünïcode', '..', 'default/../../etc', 'A'];

/** A run root inside a fresh folder, with a sentinel folder beside it that nothing may remove. */
function sandbox() {
  const top = mkdtempSync(join(tmpdir(), 'ls-safety-'));
  const root = join(top, 'run');
  const sentinel = join(top, 'sentinel');
  mkdirSync(join(sentinel, 'inside'), { recursive: true });
  writeFileSync(join(sentinel, 'inside', 'keep'), 'keep\n');
  const env = { ...process.env, LATTICE_SHARE_RUN_DIR: root };
  const cli = (args: string[], extra: Record<string, string> = {}) =>
    spawnSync(process.execPath, [bin, ...args], { encoding: 'utf8', env: { ...env, ...extra }, timeout: 120_000 });
  return { top, root, sentinel, env, cli, close: () => rmSync(top, { recursive: true, force: true }) };
}

const untouched = (sentinel: string) => existsSync(join(sentinel, 'inside', 'keep'));

let seed: Synthesized;
before(() => {
  seed = synth({ file: example('seed') });
});
after(() => seed?.cleanup());

describe('twin names', () => {
  it('every command that takes --name refuses traversal and odd names with exit 2, touching nothing', () => {
    const s = sandbox();
    try {
      const commands: string[][] = [
        ['down'],
        ['status'],
        ['up', seed.dir],
        ['exec', 'app', '--', 'true'],
        ['invoke', 'x'],
        ['demo'],
      ];
      for (const command of commands) {
        for (const name of command[0] === 'down' || command[0] === 'up' ? HOSTILE : HOSTILE.slice(0, 4)) {
          const [verb, ...rest] = command;
          const r = s.cli([verb!, '--name', name, ...rest]);
          assert.equal(r.status, 2, `${verb} --name ${JSON.stringify(name)}: ${r.stderr}`);
          assert.match(r.stderr, /^lattice-share: twin name .* must be 1-31 characters/, r.stderr);
          assert.equal(r.stderr.trim().split('\n').length, 1, r.stderr);
        }
      }
      assert.ok(untouched(s.sentinel), 'the sentinel beside the run root survives');
      assert.equal(existsSync(s.root), false, 'nothing was made: not even the run root');
    } finally {
      s.close();
    }
  });

  it("down never removes the run root, a link out of it, or a folder that is not the tool's own", () => {
    const s = sandbox();
    try {
      mkdirSync(s.root);
      writeFileSync(join(s.root, '.lattice-share-run-root'), '');
      symlinkSync(s.sentinel, join(s.root, 'evil'));
      const r = s.cli(['down', '--name', 'evil']);
      assert.equal(r.status, 1, r.stderr);
      assert.match(r.stderr, /is not a directory the twin made/);
      assert.ok(untouched(s.sentinel));
      assert.ok(existsSync(join(s.root, 'evil')), 'the link is left for the user to judge');
      // A run root named by the environment that the tool did not make: down and up refuse to work in it.
      const foreign = join(s.top, 'foreign');
      mkdirSync(join(foreign, 'default'), { recursive: true });
      writeFileSync(join(foreign, 'notes.txt'), 'mine\n');
      const down = s.cli(['down'], { LATTICE_SHARE_RUN_DIR: foreign });
      assert.equal(down.status, 0, down.stderr);
      assert.ok(existsSync(join(foreign, 'default')) && existsSync(join(foreign, 'notes.txt')));
      const up = s.cli(['up', seed.dir], { LATTICE_SHARE_RUN_DIR: foreign });
      assert.equal(up.status, 2, up.stderr);
      assert.match(up.stderr, /is not a lattice-share run directory/);
      // A run root others may write: they could edit a state or swap a twin's directory.
      const open = join(s.top, 'open');
      mkdirSync(open, { mode: 0o777 });
      chmodSync(open, 0o777);
      const refused = s.cli(['up', seed.dir], { LATTICE_SHARE_RUN_DIR: open });
      assert.equal(refused.status, 2, refused.stderr);
      assert.match(refused.stderr, /root's, writable by no one else/);
      // A cache directory the tool did not make keeps its mode, and is refused when others may write it.
      const before = statSync('/tmp').mode;
      const cache = s.cli(['up', seed.dir, '--name', 'cache'], { LATTICE_SHARE_CACHE_DIR: '/tmp' });
      assert.equal(cache.status, 1, cache.stderr);
      assert.match(cache.stderr, /the cache \/tmp must be a directory of root's that no one else can write/);
      assert.equal(statSync('/tmp').mode, before, '/tmp keeps its mode');
      assert.deepEqual(ourNamespaces('cache'), []);
      for (const bad of ['relative/run', '/']) {
        const r2 = s.cli(['down'], { LATTICE_SHARE_RUN_DIR: bad });
        assert.equal(r2.status, 2, r2.stderr);
        assert.match(r2.stderr, /LATTICE_SHARE_RUN_DIR must be an absolute directory other than "\/"/);
      }
    } finally {
      s.close();
    }
  });
});

describe("a state file edited to name what is not the twin's", () => {
  let s: ReturnType<typeof sandbox>;
  let sleeper: ChildProcess;
  const foreignNs = `lstest-foreign-${process.pid}`;
  before(() => {
    s = sandbox();
    sleeper = spawn('sleep', ['300'], { stdio: 'ignore' });
    spawnSync('ip', ['netns', 'add', foreignNs]);
  });
  after(() => {
    sleeper.kill('SIGKILL');
    spawnSync('ip', ['netns', 'del', foreignNs]);
    s.close();
  });

  it('down removes and kills nothing outside the twin', () => {
    const name = 'edited';
    const dir = join(s.root, name);
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(s.root, '.lattice-share-run-root'), '');
    const pid = sleeper.pid!;
    writeFileSync(
      join(dir, 'state.json'),
      JSON.stringify({
        name,
        assembly: '/',
        createdAt: '',
        phase: 'up',
        namespaces: [foreignNs, '../../etc', `${namespacePrefix(name)}../../x`],
        processes: [
          { pid, startTime: startTime(pid)! + 1, argument: 'sleep' }, // a reused pid: another start time
          { pid, startTime: startTime(pid)!, argument: '/run/lattice-share/x/agent.json' }, // another command
          { pid, startTime: startTime(pid)!, argument: '300' }, // its real start time and an argument it has
          { pid, startTime: startTime(pid)!, argument: join(dir, '300') }, // a path in the twin's directory, not its own
        ],
        pids: [pid],
        etcDirs: [s.sentinel, '/etc'], // what an older version recorded, and a hostile edit of it
      }),
    );
    const r = s.cli(['down', '--name', name, '--json']);
    assert.equal(r.status, 0, r.stderr);
    assert.deepEqual(JSON.parse(r.stdout), { ok: true, namespaces: 0, processes: 0 });
    assert.ok(alive(pid), 'the unrelated process lives');
    assert.ok(untouched(s.sentinel));
    assert.match(spawnSync('ip', ['netns', 'list'], { encoding: 'utf8' }).stdout, new RegExp(`^${foreignNs}\\b`, 'm'));
    assert.ok(existsSync('/etc/hostname') || existsSync('/etc/passwd'), '/etc is there');
    assert.equal(existsSync(dir), false, "the twin's own directory is gone");
    assert.ok(existsSync(s.root), 'the run root stays');
  });

  it('a state file naming another twin is not trusted either', () => {
    const dir = join(s.root, 'other');
    mkdirSync(dir, { recursive: true });
    writeFileSync(
      join(dir, 'state.json'),
      JSON.stringify({
        name: 'default',
        namespaces: [foreignNs],
        processes: [{ pid: sleeper.pid, startTime: startTime(sleeper.pid!), argument: 'sleep' }],
      }),
    );
    const st = s.cli(['status', '--name', 'other']);
    assert.equal(st.status, 1);
    assert.match(st.stderr, /names twin "default", not "other"/);
    const r = s.cli(['down', '--name', 'other']);
    assert.equal(r.status, 0, r.stderr);
    assert.ok(alive(sleeper.pid!));
  });
});

describe('a user who is not root', () => {
  it('reading a root twin says it needs root, not an internal error', () => {
    const s = sandbox();
    try {
      // The twin box runs from a copy others can read: the clone itself may sit in a 0700 home.
      const code = join(s.top, 'code');
      cpSync(join(repo, 'dist', 'src'), join(code, 'src'), { recursive: true });
      writeFileSync(join(code, 'package.json'), '{"type":"module"}');
      mkdirSync(join(s.root, 'rooted'), { recursive: true, mode: 0o711 });
      writeFileSync(join(s.root, '.lattice-share-run-root'), '');
      writeFileSync(
        join(s.root, 'rooted', 'state.json'),
        JSON.stringify({ name: 'rooted', namespaces: [], processes: [] }),
        { mode: 0o600 },
      );
      for (const dir of [s.top, s.root, join(s.root, 'rooted')]) chmodSync(dir, 0o711);
      spawnSync('chmod', ['-R', 'a+rX', code]);
      const script = `import { listTwins, status } from './src/twin/index.js';
        for (const read of [() => status('rooted'), () => listTwins()]) {
          try { read(); console.log('read it'); } catch (e) { console.log(e.code + ' ' + e.message); }
        }`;
      const r = spawnSync(process.execPath, ['--input-type=module', '-e', script], {
        cwd: code,
        encoding: 'utf8',
        uid: 65534,
        gid: 65534,
        env: { PATH: process.env.PATH, LATTICE_SHARE_RUN_DIR: s.root },
      });
      assert.match(
        r.stdout,
        /^LS_TWIN_NEEDS_ROOT twin "rooted" belongs to root .* run this command as root\n/,
        r.stdout + r.stderr,
      );
      assert.match(
        r.stdout,
        /\nLS_TWIN_NEEDS_ROOT the twins in .* belong to root: run this command as root\n$/,
        r.stdout + r.stderr,
      );
    } finally {
      s.close();
    }
  });
});

describe('an agent that fails', () => {
  it('says why in one line and keeps its log; nothing of the twin is left', () => {
    const s = sandbox();
    const cache = mkdtempSync(join(tmpdir(), 'ls-cache-')); // 0700: the postgres user cannot reach binaries there
    try {
      const r = s.cli(['up', seed.dir, '--name', 'fails'], { LATTICE_SHARE_CACHE_DIR: join(cache, 'inside') });
      assert.equal(r.status, 1, r.stderr);
      const last = r.stderr.trim().split('\n').pop()!;
      assert.match(
        last,
        /^lattice-share: the database agent db-\w+ stopped \(exit 1\): postgres cannot execute .*\/bin\/postgres: permission denied; every directory above it must be searchable/,
        last,
      );
      const kept = join(s.root, 'lattice-share-failed-fails.log');
      assert.match(last, new RegExp(`its log: ${kept}$`));
      assert.match(readFileSync(kept, 'utf8'), /failed: postgres cannot execute/);
      assert.deepEqual(ourNamespaces('fails'), []);
      assert.equal(existsSync(join(s.root, 'fails')), false);
    } finally {
      rmSync(cache, { recursive: true, force: true });
      s.close();
    }
  });
});

/** Starts the CLI in its own process group and sends `signal` once `ready` holds (polled), to the pid or the group. */
async function interrupt(
  args: string[],
  env: NodeJS.ProcessEnv,
  ready: () => boolean,
  signal: NodeJS.Signals,
  group: boolean,
) {
  const child = spawn(process.execPath, [bin, ...args], { env, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
  let stderr = '';
  child.stderr!.setEncoding('utf8').on('data', (d: string) => {
    stderr += d;
  });
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  const t0 = Date.now();
  while (!ready() && Date.now() - t0 < 60_000) await new Promise((r) => setTimeout(r, 10));
  process.kill(group ? -child.pid! : child.pid!, signal);
  return { code: await exited, stderr: () => stderr };
}

describe('Ctrl-C and SIGTERM', () => {
  it('during up: what was made is removed and the user is told (signal to the process, and to its group)', async () => {
    const s = sandbox();
    try {
      for (const [signal, group] of [
        ['SIGINT', false],
        ['SIGINT', true],
        ['SIGTERM', false],
      ] as const) {
        const name = `intr-${signal.toLowerCase()}-${group ? 'g' : 'p'}`;
        const made = () => ourNamespaces(name).length >= 6;
        const r = await interrupt(['up', seed.dir, '--name', name], s.env, made, signal, group);
        assert.equal(r.code, 130, r.stderr());
        assert.match(r.stderr(), new RegExp(`interrupted; twin "${name}" was taken down`), r.stderr());
        assert.deepEqual(ourNamespaces(name), [], `${signal} ${group ? 'group' : 'pid'}: no namespace left`);
        assert.equal(existsSync(join(s.root, name)), false);
      }
    } finally {
      s.close();
    }
  });

  it('while the agents start: no process, namespace or /etc/netns entry of the twin is left', async () => {
    const s = sandbox();
    try {
      const name = 'intr-agents';
      const starting = () =>
        existsSync(join(s.root, name)) &&
        readdirSync(join(s.root, name)).some((f) => f.startsWith('db-') && f.endsWith('.log'));
      const r = await interrupt(['up', seed.dir, '--name', name], s.env, starting, 'SIGINT', false);
      assert.equal(r.code, 130, r.stderr());
      assert.deepEqual(ourNamespaces(name), []);
      assert.ok(
        !existsSync('/etc/netns') || !readdirSync('/etc/netns').some((d) => d.startsWith(namespacePrefix(name))),
      );
      assert.equal(
        spawnSync('pgrep', ['-f', join(s.root, name)], { encoding: 'utf8' }).stdout.trim(),
        '',
        'no agent or PostgreSQL left',
      );
    } finally {
      s.close();
    }
  });

  it('during a synth: no temporary assembly is left, and --out keeps what it had', async () => {
    const s = sandbox();
    const tmp = join(s.top, 'tmp');
    mkdirSync(tmp);
    try {
      const out = join(s.top, 'out');
      const synthStarted = () =>
        readdirSync(tmp).length > 0 || readdirSync(s.top).some((f) => f.startsWith('.out.tmp-'));
      for (const args of [
        ['up', example('seed'), '--name', 'synth-intr'],
        ['up', example('seed'), '--name', 'synth-intr', '--out', out],
      ]) {
        const r = await interrupt(args, { ...s.env, TMPDIR: tmp }, synthStarted, 'SIGTERM', false);
        assert.equal(r.code, 130, r.stderr());
        assert.match(r.stderr(), /interrupted during synth; nothing was made/);
        assert.deepEqual(readdirSync(tmp), [], 'no temporary assembly');
        assert.deepEqual(
          readdirSync(s.top).filter((f) => f.includes('.tmp-')),
          [],
          'no .out.tmp-* beside --out',
        );
      }
      assert.equal(existsSync(out), false);
    } finally {
      s.close();
    }
  });
});
