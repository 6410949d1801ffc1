// A twin's state: every kernel object and process it made, recorded before it is made, so that `down` removes
// everything even after the twin was killed.
import { chmodSync, existsSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

export interface TwinState {
  readonly name: string;
  readonly assembly: string;
  readonly createdAt: string;
  /** 'starting' until up finished; 'up' after. */
  phase: 'starting' | 'up';
  namespaces: string[];
  /** Directories under /etc/netns made for `ip netns exec` (resolv.conf). */
  etcDirs: string[];
  pids: number[];
  /** What status reports; written when up finishes. */
  summary?: unknown;
  /** The namespaces of the ENIs, for exec. */
  nodes?: { label: string; role: string; namespace: string; ip: string }[];
}

/** Where every twin keeps its state: LATTICE_SHARE_RUN_DIR, or /run/lattice-share. */
export const runRoot = (): string => process.env.LATTICE_SHARE_RUN_DIR ?? '/run/lattice-share';
export const twinDir = (name: string): string => join(runRoot(), name);
const stateFile = (name: string) => join(twinDir(name), 'state.json');

export const TWIN_NAME = /^[a-z0-9][a-z0-9-]{0,30}$/;

export function readState(name: string): TwinState | undefined {
  const f = stateFile(name);
  if (!existsSync(f)) return undefined;
  return JSON.parse(readFileSync(f, 'utf8')) as TwinState;
}

/** Writes atomically: a crash never leaves half a state file. */
export function writeState(state: TwinState): void {
  // 0711: the postgres user must traverse to its data directory; nothing here is listable by others.
  mkdirSync(twinDir(state.name), { recursive: true, mode: 0o711 });
  for (const dir of [runRoot(), twinDir(state.name)]) chmodSync(dir, 0o711);
  const tmp = `${stateFile(state.name)}.tmp`;
  writeFileSync(tmp, JSON.stringify(state, null, 2), { mode: 0o600 });
  renameSync(tmp, stateFile(state.name));
}

export function removeTwinDir(name: string): void {
  rmSync(twinDir(name), { recursive: true, force: true });
}
