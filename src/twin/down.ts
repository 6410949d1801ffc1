// Removes everything a twin made, and only that: processes it can prove are its own, namespaces under its name
// prefix, /etc/netns entries of those namespaces, its own run directory. Idempotent; a state file edited to name other
// paths, namespaces or pids changes nothing outside the twin. Its commands run in their own process group, so a second
// Ctrl-C during a roll-back does not stop them half-way.
import { existsSync, lstatSync, readdirSync, rmSync, unlinkSync } from 'node:fs';
import { join } from 'node:path';
import { LatticeShareError } from '../shared/errors.js';
import { namespacePrefix } from './plan.js';
import { alive, sameProcess } from './proc.js';
import { checkTwinName, readState, removeTwinDir, twinDir, type TwinState } from './state.js';
import { runAside, tryRun } from './sys.js';

export { alive } from './proc.js';

export interface DownResult {
  readonly namespaces: number;
  readonly processes: number;
}

/** Namespace names this twin may own: its prefix, then the characters plan.ts uses. */
const ownNamespace =
  (prefix: string) =>
  (ns: unknown): ns is string =>
    typeof ns === 'string' && ns.startsWith(prefix) && /^[a-z0-9-]{1,64}$/.test(ns);

function namespacesOf(state: TwinState | undefined, prefix: string): string[] {
  // Recorded ones, and any left with the prefix (a crash between create and record).
  const listed = runAside('ip', ['netns', 'list'])
    .stdout.split('\n')
    .map((l) => l.split(' ')[0]);
  return [...new Set([...(state?.namespaces ?? []), ...listed].filter(ownNamespace(prefix)))];
}

/** The processes provably the twin's: inside its namespaces, or recorded and still the same process. */
function ownProcesses(state: TwinState | undefined, namespaces: string[]): number[] {
  const dir = state ? twinDir(state.name) : '';
  const pids = new Set((state?.processes ?? []).filter((p) => sameProcess(p, dir)).map((p) => p.pid));
  for (const ns of namespaces) {
    for (const line of runAside('ip', ['netns', 'pids', ns]).stdout.split('\n').filter(Boolean)) pids.add(Number(line));
  }
  return [...pids].filter((pid) => Number.isInteger(pid) && pid > 1 && pid !== process.pid && alive(pid));
}

/** Kills until none is left: a process being killed may have forked a moment before (an agent starting PostgreSQL). */
function killAll(state: TwinState | undefined, namespaces: string[]): number {
  const killed = new Set<number>();
  const tick = new Int32Array(new SharedArrayBuffer(4));
  const until = Date.now() + 5000;
  for (;;) {
    const live = ownProcesses(state, namespaces);
    if (!live.length || Date.now() > until) break;
    for (const pid of live) {
      try {
        process.kill(pid, 'SIGKILL');
        killed.add(pid);
      } catch {
        // gone already
      }
    }
    Atomics.wait(tick, 0, 0, 20);
  }
  return killed.size;
}

/** /etc/netns/<ns> for each of the twin's namespace names (a link there is unlinked, never followed). */
function removeEtcEntries(prefix: string): void {
  if (!existsSync('/etc/netns')) return;
  for (const entry of readdirSync('/etc/netns').filter(ownNamespace(prefix))) {
    const path = join('/etc/netns', entry);
    if (lstatSync(path).isSymbolicLink()) unlinkSync(path);
    else rmSync(path, { recursive: true, force: true });
  }
}

export function down(name: string): DownResult {
  checkTwinName(name);
  const prefix = namespacePrefix(name);
  let state: TwinState | undefined;
  try {
    state = readState(name);
  } catch (e) {
    if (LatticeShareError.isLatticeShareError(e) && e.code === 'LS_TWIN_NEEDS_ROOT') throw e;
    state = undefined; // an unreadable or foreign state proves nothing: only the prefix and the namespaces count
  }
  const namespaces = namespacesOf(state, prefix);
  const processes = killAll(state, namespaces);
  for (const ns of namespaces) tryRun('ip', ['netns', 'del', ns]);
  removeEtcEntries(prefix);
  removeTwinDir(name);
  return { namespaces: namespaces.length, processes };
}
