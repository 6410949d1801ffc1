// A twin's state: every kernel object and process it made, recorded before it is made, so that `down` removes
// everything even after the twin was killed. Every path of a twin comes from here, checked: a twin's directory is
// always a direct child of the run root, whatever name or environment it was given.
import type { Fault } from './faults.js';
import {
  chmodSync,
  existsSync,
  lstatSync,
  mkdirSync,
  readFileSync,
  readdirSync,
  realpathSync,
  renameSync,
  writeFileSync,
} from 'node:fs';
import { dirname, isAbsolute, join, resolve } from 'node:path';
import { runAside, TwinError } from './sys.js';

/** A process the twin started, as it was when it started: a pid alone is not proof once the process is gone. */
export interface TwinProcess {
  readonly pid: number;
  /** Clock ticks after boot at which it started (/proc/<pid>/stat field 22): a reused pid has another. */
  readonly startTime: number;
  /** An argument its command line holds (the agent's config file, inside the twin's directory). */
  readonly argument: string;
}

export interface TwinState {
  readonly name: string;
  readonly assembly: string;
  readonly createdAt: string;
  /** 'starting' until up finished; 'up' after. */
  phase: 'starting' | 'up';
  namespaces: string[];
  processes: TwinProcess[];
  /** What status reports; written when up finishes. */
  summary?: unknown;
  /** The namespaces of the ENIs, for exec. */
  nodes?: { label: string; role: string; namespace: string; ip: string }[];
  /** The faults applied (runtime.ts), recorded before each is applied. */
  faults?: Fault[];
  /** How many times faults rewrote the resolvers' configs. */
  generation?: number;
}

export const TWIN_NAME = /^[a-z0-9][a-z0-9-]{0,30}$/;

/** The one check of a twin name, before anything is touched: 1-31 characters of a-z, 0-9 and "-". */
export function checkTwinName(name: unknown): string {
  if (typeof name === 'string' && TWIN_NAME.test(name)) return name;
  const shown =
    typeof name === 'string' ? JSON.stringify(name.length > 40 ? `${name.slice(0, 40)}…` : name) : String(name);
  throw new TwinError(
    `twin name ${shown} must be 1-31 characters of a-z, 0-9 and "-", starting with a letter or digit`,
    'LS_TWIN_NAME_INVALID',
  );
}

/** Written in a run root the twin made: the proof that what is under it is the tool's own. */
const MARKER = '.lattice-share-run-root';

/** Where every twin keeps its state: LATTICE_SHARE_RUN_DIR (an absolute path, not "/"), or /run/lattice-share. */
export function runRoot(): string {
  const root = process.env.LATTICE_SHARE_RUN_DIR ?? '/run/lattice-share';
  if (!isAbsolute(root) || resolve(root) === '/') {
    throw new TwinError(
      `LATTICE_SHARE_RUN_DIR must be an absolute directory other than "/", not "${root}"`,
      'LS_TWIN_RUN_DIR_INVALID',
    );
  }
  return resolve(root);
}

/**
 * Whether the run root is the tool's own: made by it (its marker), or one an earlier version made (every entry a
 * twin's directory). A directory that is neither is refused: the twin never writes or removes in a folder it did not
 * make.
 */
function ownedRoot(root: string): boolean {
  const st = lstatSync(root);
  // Root's, and writable by no one else: another user could otherwise edit states or swap a twin's directory.
  if (!st.isDirectory() || st.uid !== 0 || st.mode & 0o022) return false;
  if (existsSync(join(root, MARKER))) return true;
  return readdirSync(root).every((entry) => TWIN_NAME.test(entry) && existsSync(join(root, entry, 'state.json')));
}

/** The run root, made (0711, with its marker) if absent; throws when it exists and is not the tool's own. */
function ensureRoot(): string {
  const root = runRoot();
  if (!existsSync(root)) mkdirSync(root, { recursive: true, mode: 0o711 });
  if (!ownedRoot(root)) {
    throw new TwinError(
      `${root} is not a lattice-share run directory (root's, writable by no one else, with ${MARKER} in it); set LATTICE_SHARE_RUN_DIR to a new or empty directory`,
      'LS_TWIN_RUN_DIR_INVALID',
    );
  }
  writeFileSync(join(root, MARKER), 'lattice-share twins keep their state here\n', { mode: 0o644 });
  chmodSync(root, 0o711); // the postgres user must traverse to its data directory; nothing here is listable by others
  return root;
}

/** A twin's directory: the run root's child of that name, refused if it resolves anywhere else. */
export function twinDir(name: string): string {
  const root = runRoot();
  const dir = join(root, checkTwinName(name));
  if (dirname(dir) !== root) throw new TwinError(`twin directory ${dir} is not inside ${root}`, 'LS_TWIN_NAME_INVALID');
  if (existsSync(dir)) {
    const real = lstatSync(dir).isDirectory() ? realpathSync(dir) : undefined;
    if (real !== join(realpathSync(root), name))
      throw new TwinError(
        `${dir} is not a directory the twin made (a link or a file); remove it by hand if it is not wanted`,
        'LS_TWIN_STATE_FOREIGN',
      );
  }
  return dir;
}

const stateFile = (name: string) => join(twinDir(name), 'state.json');

/** The recorded state, or undefined when no twin of that name exists. A state naming another twin is not this one's. */
export function readState(name: string): TwinState | undefined {
  const file = stateFile(name);
  if (!existsSync(file)) return undefined;
  let state: TwinState;
  try {
    state = JSON.parse(readFileSync(file, 'utf8')) as TwinState;
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'EACCES') {
      throw new TwinError(
        `twin "${name}" belongs to root (its state in ${file} is 0600): run this command as root`,
        'LS_TWIN_NEEDS_ROOT',
      );
    }
    throw new TwinError(
      `the state of twin "${name}" (${file}) is unreadable: ${(e as Error).message}; lattice-share down --name ${name} removes the twin`,
    );
  }
  if (state?.name !== name)
    throw new TwinError(
      `${file} names twin "${String(state?.name)}", not "${name}"; it was not written by this twin`,
      'LS_TWIN_STATE_FOREIGN',
    );
  return {
    ...state,
    namespaces: Array.isArray(state.namespaces) ? state.namespaces : [],
    processes: Array.isArray(state.processes) ? state.processes : [],
  };
}

/** Writes atomically: a crash never leaves half a state file. */
export function writeState(state: TwinState): void {
  ensureRoot();
  const dir = twinDir(state.name);
  mkdirSync(dir, { recursive: true, mode: 0o711 });
  chmodSync(dir, 0o711);
  const tmp = `${stateFile(state.name)}.tmp`;
  writeFileSync(tmp, JSON.stringify(state, null, 2), { mode: 0o600 });
  renameSync(tmp, stateFile(state.name));
}

/** Names of the twins with a state in the run root. */
export function listTwins(): string[] {
  const root = runRoot();
  try {
    if (!existsSync(root) || !ownedRoot(root)) return [];
    return readdirSync(root)
      .filter((entry) => TWIN_NAME.test(entry) && existsSync(join(root, entry, 'state.json')))
      .sort();
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'EACCES') throw e;
    throw new TwinError(`the twins in ${root} belong to root: run this command as root`, 'LS_TWIN_NEEDS_ROOT');
  }
}

/** Removes a twin's own directory, and nothing else: never the run root, never a link out of it. */
export function removeTwinDir(name: string): void {
  const dir = twinDir(name);
  if (!existsSync(dir) || !ownedRoot(runRoot())) return;
  // GNU rm walks the tree by directory handles: a link or a rename inside it (the postgres user owns the data
  // directories) cannot lead it outside, and it stays on this file system.
  const r = runAside('rm', ['-rf', '--one-file-system', '--', dir]);
  if (r.status !== 0) throw new TwinError(`cannot remove ${dir}: ${r.stderr.trim()}`);
}

/** Where a failed agent's log is kept after the twin's directory is removed. */
export const failedLog = (name: string): string => join(runRoot(), `lattice-share-failed-${checkTwinName(name)}.log`);
