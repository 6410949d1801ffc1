// The twin without root: every example's plan realised through a RecordingHost, held to a golden command script
// (test/golden/<example>.twin.txt), and down's clean-up of hostile states, all without touching the machine.
// LATTICE_SHARE_UPDATE_GOLDEN=1 rewrites the golden files: read their diff before committing it.
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { loadModel } from '../src/model/index.js';
import { IoHelper, RecordingIoHost } from '../src/shared/io.js';
import {
  clear,
  namespacePrefix,
  planTwin,
  realise,
  RecordingHost,
  withStandIns,
  type TwinState,
} from '../src/twin/index.js';
import { publish } from '../src/twin/mariadb.js';
import { example, repo, synth } from './support/synth.js';

const EXAMPLES = ['seed', 'many-consumers', 'existing-db', 'service-network', 'private-api', 'mysql'];
const NAME = 'golden';
const golden = (example: string) => join(repo, 'test', 'golden', `${example}.twin.txt`);

// Paths in the script are the twin's directory under this run root, whatever the machine's; nothing is made there.
const runDir = process.env.LATTICE_SHARE_RUN_DIR;
before(() => (process.env.LATTICE_SHARE_RUN_DIR = '/nonexistent/lattice-share-golden'));
after(() =>
  runDir === undefined ? delete process.env.LATTICE_SHARE_RUN_DIR : (process.env.LATTICE_SHARE_RUN_DIR = runDir),
);

const newState = (name: string): TwinState => ({
  name,
  assembly: '/nonexistent/cdk.out',
  createdAt: '',
  phase: 'starting',
  namespaces: [],
  processes: [],
});

/** The command script `up` runs for an example, and the messages it sends. */
async function scriptOf(name: string): Promise<{ lines: string[]; messages: string[] }> {
  const synthesized = synth({ file: example(name) });
  try {
    const { model } = withStandIns(loadModel(synthesized.dir));
    const host = new RecordingHost();
    const io = new RecordingIoHost();
    await realise(host, newState(NAME), planTwin(NAME, model), model, { io: new IoHelper(io) });
    return { lines: host.lines, messages: io.messages.map((m) => `${m.code} ${m.message}`) };
  } finally {
    synthesized.cleanup();
  }
}

describe('the exact command script of every example, without root', () => {
  for (const name of EXAMPLES)
    it(`${name}: equals test/golden/${name}.twin.txt`, async () => {
      const { lines } = await scriptOf(name);
      const text = `${lines.join('\n')}\n`;
      if (process.env.LATTICE_SHARE_UPDATE_GOLDEN === '1') {
        mkdirSync(join(repo, 'test', 'golden'), { recursive: true });
        writeFileSync(golden(name), text);
      }
      assert.ok(existsSync(golden(name)), `no ${golden(name)}: run with LATTICE_SHARE_UPDATE_GOLDEN=1 once`);
      assert.equal(text, readFileSync(golden(name), 'utf8'), `the script of ${name} changed: read the diff`);
    });

  it('every namespace is written to the state before it is made, and every command stays in our namespaces', async () => {
    const { lines } = await scriptOf('many-consumers');
    let recorded = 0;
    let made = 0;
    for (const line of lines) {
      const state = /^state: (\d+) namespaces/.exec(line);
      if (state) recorded = Number(state[1]);
      const add = /^ip netns add (\S+)$/.exec(line);
      if (add) {
        made += 1;
        assert.ok(recorded >= made, `${add[1]} is made before the state names it`);
      }
      const inNs = /^ip (?:-n|netns exec) (\S+)/.exec(line);
      if (inNs) assert.ok(inNs[1]!.startsWith(namespacePrefix(NAME)), `a command outside the twin: ${line}`);
      const write = /^write (\S+)/.exec(line);
      if (write)
        assert.match(
          write[1]!,
          /^(\/etc\/netns\/[a-z0-9-]+\/resolv\.conf|\/nonexistent\/lattice-share-golden\/golden\/)/,
        );
    }
    assert.ok(made > 0);
  });

  it('secrets are written 0600 and their content never reaches the script or the messages', async () => {
    for (const [name, kind] of [
      ['seed', 'password'],
      ['private-api', 'api-key'],
    ] as const) {
      const { lines, messages } = await scriptOf(name);
      const secrets = lines.filter((l) => l.startsWith('write ') && l.includes(`.${kind}`));
      assert.ok(secrets.length >= 1, `${name} writes a ${kind} file`);
      for (const line of secrets) assert.match(line, /^write \S+ \(600\)$/, 'mode 0600 and no content');
      assert.ok(messages.some((m) => m.startsWith('LS_TWIN_I1100')));
    }
  });
});

describe("down's clean-up, without root", () => {
  const prefix = namespacePrefix('edited');
  const own = `${prefix}0001`;
  const listing = (cmd: string, args: string[]) => {
    if (cmd !== 'ip') return args[0] === '/etc/netns' ? `${own}\nforeign\n${prefix}../x\n` : undefined;
    if (args.join(' ') === 'netns list') return `${own} (id: 3)\nforeign (id: 4)\n${prefix}/../../etc\n`;
    if (args.join(' ') === `netns pids ${own}`) return '4242\n1\n';
    return undefined;
  };

  it('removes and kills only what it proves is the twin’s, whatever the state file names', () => {
    const host = new RecordingHost({ answers: listing, live: [4242, 5000, 6000], proven: [6000] });
    const state: TwinState = {
      ...newState('edited'),
      namespaces: ['foreign', '../../etc', `${prefix}../../x`, own],
      processes: [
        { pid: 5000, startTime: 1, argument: 'sleep' }, // alive, but not proven the twin's
        { pid: 6000, startTime: 1, argument: '/x/agent.json' }, // proven (same start time, its own config)
      ],
    };
    const result = clear(host, 'edited', state);
    assert.deepEqual(host.killed.sort(), [4242, 6000], 'inside its namespace, or recorded and proven');
    const terms = host.lines.filter((l) => l.startsWith('kill -TERM'));
    assert.deepEqual(terms, ['kill -TERM 6000'], 'only a proven agent is asked to stop (its database cleanly)');
    assert.ok(host.lines.indexOf('kill -TERM 6000') < host.lines.indexOf('kill -9 6000'), 'asked before killed');
    assert.deepEqual(result, { namespaces: 1, processes: 2 });
    const removed = host.lines.filter((l) => /^(aside: ip netns del|remove) /.test(l));
    assert.deepEqual(removed, [
      `aside: ip netns del ${own}`,
      `remove /etc/netns/${own}`,
      'remove the run directory of edited',
    ]);
  });

  it('refuses a hostile name before anything is listed or removed', () => {
    for (const name of ['../x', '/etc', 'a/b', '..', '']) {
      const host = new RecordingHost({ answers: listing, live: [4242] });
      assert.throws(() => clear(host, name, undefined), { code: 'LS_TWIN_NAME_INVALID' });
      assert.deepEqual(host.lines, []);
    }
  });
});

describe('stand-ins, without root', () => {
  it("an imported cluster's ID from its ARN never shapes a path: its stand-in's files stay in the twin's directory", async () => {
    const synthesized = synth({ file: example('existing-db') });
    try {
      const loaded = loadModel(synthesized.dir);
      const hostile = '../../../../etc/cron.d/x';
      const imported = { ...loaded, databases: loaded.databases.map((d) => ({ ...d, id: hostile })) };
      const { model, standIns } = withStandIns(imported);
      assert.equal(standIns[0]?.database, hostile);
      const host = new RecordingHost();
      await realise(host, newState(NAME), planTwin(NAME, model), model, { io: new IoHelper(new RecordingIoHost()) });
      const writes = host.lines.filter((l) => l.startsWith('write ')).map((l) => l.split(' ')[1] ?? '');
      assert.ok(writes.some((path) => path.endsWith('.password')));
      for (const path of writes.filter((x) => !x.startsWith('/etc/netns/')))
        assert.ok(path.startsWith('/nonexistent/lattice-share-golden/golden/') && !path.includes('..'), path);
    } finally {
      synthesized.cleanup();
    }
  });
});

describe("MariaDB's initialized data directory, without root", () => {
  const copy = (dir: string, marker: string, complete: boolean) => {
    mkdirSync(dir);
    writeFileSync(join(dir, marker), '');
    if (complete) writeFileSync(join(dir, '.complete'), '');
  };

  it('is put in place by a rename, keeps a complete one already there and removes nothing it did not make', () => {
    const work = mkdtempSync(join(tmpdir(), 'ls-publish-'));
    try {
      const dir = join(work, 'mariadb-11');
      copy(`${dir}.tmp-1`, 'first', true);
      publish(`${dir}.tmp-1`, dir);
      assert.deepEqual(readdirSync(dir).sort(), ['.complete', 'first']);
      copy(`${dir}.tmp-2`, 'second', true);
      publish(`${dir}.tmp-2`, dir); // another agent finished first: its copy, perhaps being copied, is kept
      assert.deepEqual(readdirSync(dir).sort(), ['.complete', 'first']);
      assert.ok(!existsSync(`${dir}.tmp-2`));
      // In the way: a folder this tool did not complete, with files or empty (which a bare rename would replace).
      for (const [name, files] of [
        ['mariadb-12', ['theirs']],
        ['mariadb-13', []],
      ] as const) {
        const foreign = join(work, name);
        if (files.length) copy(foreign, 'theirs', false);
        else mkdirSync(foreign);
        copy(`${foreign}.tmp-3`, 'ours', true);
        assert.throws(() => publish(`${foreign}.tmp-3`, foreign), {
          code: 'LS_MARIADB_FAILED',
          message: new RegExp(`${name} is in the way of MariaDB's initialized data directory and not complete: move`),
        });
        assert.deepEqual(readdirSync(foreign), files, 'a directory this tool did not complete is left as it was');
        assert.ok(!existsSync(`${foreign}.tmp-3`));
      }
      // A copy without its mark is never put in place.
      const unmarked = join(work, 'mariadb-14');
      copy(`${unmarked}.tmp-4`, 'half', false);
      assert.throws(() => publish(`${unmarked}.tmp-4`, unmarked), { message: /is not a complete data directory/ });
      assert.ok(!existsSync(unmarked) && !existsSync(`${unmarked}.tmp-4`));
    } finally {
      rmSync(work, { recursive: true, force: true });
    }
  });
});
