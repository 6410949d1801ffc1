// Removes everything a twin made, and only that: processes it can prove are its own, namespaces under its name
// prefix, /etc/netns entries of those namespaces, its own run directory. Idempotent; a state file edited to name other
// paths, namespaces or pids changes nothing outside the twin. Its commands run in their own process group, so a second
// Ctrl-C during a roll-back does not stop them half-way.
import { join } from 'node:path';
import { LatticeShareError } from '../shared/errors.js';
import { systemHost, type Host } from './host.js';
import { namespacePrefix } from './plan.js';
import { pause } from './proc.js';
import { checkTwinName, readState, twinDir, type TwinState } from './state.js';

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

function namespacesOf(host: Host, state: TwinState | undefined, prefix: string): string[] {
  // Recorded ones, and any left with the prefix (a crash between create and record).
  const listed = host
    .runAside('ip', ['netns', 'list'])
    .stdout.split('\n')
    .map((l) => l.split(' ')[0]);
  return [...new Set([...(state?.namespaces ?? []), ...listed].filter(ownNamespace(prefix)))];
}

/** The processes the twin recorded (its agents) that are still the ones it started. */
function provenRecorded(host: Host, state: TwinState | undefined): number[] {
  const dir = state ? twinDir(state.name) : '';
  return (state?.processes ?? []).filter((p) => host.sameProcess(p, dir)).map((p) => p.pid);
}

/** The processes provably the twin's: inside its namespaces, or recorded and still the same process. */
function ownProcesses(host: Host, state: TwinState | undefined, namespaces: string[]): number[] {
  const pids = new Set(provenRecorded(host, state));
  for (const ns of namespaces) {
    const inside = host.runAside('ip', ['netns', 'pids', ns]).stdout.split('\n').filter(Boolean);
    for (const line of inside) pids.add(Number(line));
  }
  return [...pids].filter((pid) => Number.isInteger(pid) && pid > 1 && pid !== process.pid && host.alive(pid));
}

/**
 * How long the agents get to stop: a writer's fast shutdown waits for its standbys to take its WAL, at most
 * wal_sender_timeout (5 s, postgres.ts) when one is gone.
 */
const AGENT_GRACE_MS = 8000;

/** Kills until none is left: a process being killed may have forked a moment before (an agent starting PostgreSQL). */
function killAll(host: Host, state: TwinState | undefined, namespaces: string[]): Set<number> {
  const killed = new Set<number>();
  const until = Date.now() + 5000;
  for (;;) {
    const live = ownProcesses(host, state, namespaces);
    if (!live.length || Date.now() > until) break;
    for (const pid of live) if (host.kill(pid)) killed.add(pid);
    pause(20);
  }
  return killed;
}

/** /etc/netns/<ns> for each of the twin's namespace names (a link there is unlinked, never followed). */
function removeEtcEntries(host: Host, prefix: string): void {
  for (const entry of host.list('/etc/netns').filter(ownNamespace(prefix))) host.removeEntry(join('/etc/netns', entry));
}

export function down(name: string, host: Host = systemHost): DownResult {
  checkTwinName(name);
  let state: TwinState | undefined;
  try {
    state = readState(name);
  } catch (e) {
    if (LatticeShareError.isLatticeShareError(e) && e.code === 'LS_TWIN_NEEDS_ROOT') throw e;
    state = undefined; // an unreadable or foreign state proves nothing: only the prefix and the namespaces count
  }
  return clear(host, name, state);
}

/**
 * Removes what twin `name` made, trusting `state` (as read from its file, possibly edited by anyone) for nothing
 * beyond what it proves: namespaces under the twin's prefix, processes in them or still the ones it started.
 */
export function clear(host: Host, name: string, state: TwinState | undefined): DownResult {
  const prefix = namespacePrefix(checkTwinName(name));
  const namespaces = namespacesOf(host, state, prefix);
  // The agents first, asked to stop: each stops its database cleanly, as SIGKILL would not (PostgreSQL killed so leaves
  // its shared memory behind, in /dev/shm and the kernel's segments, until the machine restarts). Then what is left.
  const stopped = host.terminate(provenRecorded(host, state), AGENT_GRACE_MS);
  const processes = new Set([...stopped, ...killAll(host, state, namespaces)]).size;
  for (const ns of namespaces) host.runAside('ip', ['netns', 'del', ns]);
  removeEtcEntries(host, prefix);
  host.removeTwinDir(name);
  return { namespaces: namespaces.length, processes };
}
