// Which process is which: a pid names a process only while it lives; with its start time and command line it names
// the one the twin started, so a pid reused after a crash is never mistaken for the twin's. Then signalling the
// processes so proven, and waiting between signals.
import { readFileSync } from 'node:fs';
import { dirname } from 'node:path';
import type { TwinProcess } from './state.js';

/** Fields of /proc/<pid>/stat after the command name (which may hold spaces): [0] is field 3, the state. */
function statFields(pid: number): string[] | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  } catch {
    return undefined;
  }
}

/** Running, not exited and not a zombie waiting for a parent that may never reap it. */
export function alive(pid: number): boolean {
  const fields = statFields(pid);
  return !!fields && fields[0] !== 'Z';
}

/** When a process started, in clock ticks after boot (field 22): with the pid, what identifies it. */
export function startTime(pid: number): number | undefined {
  const ticks = Number(statFields(pid)?.[19]);
  return Number.isInteger(ticks) ? ticks : undefined;
}

/**
 * A recorded process is still one the twin started: same start time, and its command line holds the recorded
 * argument, which must be an agent's config file directly in the twin's own directory (an edited state naming any
 * other process, with its real start time, proves nothing).
 */
export function sameProcess(p: TwinProcess, twinDir: string): boolean {
  if (!Number.isInteger(p?.pid) || p.pid <= 1 || p.pid === process.pid || startTime(p.pid) !== p.startTime)
    return false;
  if (typeof p.argument !== 'string' || dirname(p.argument) !== twinDir || !p.argument.endsWith('.json')) return false;
  try {
    return readFileSync(`/proc/${p.pid}/cmdline`, 'utf8').split('\0').includes(p.argument);
  } catch {
    return false;
  }
}

/** Waits `ms` without giving up the thread (down waits for processes between its signals). */
export function pause(ms: number): void {
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
}

/** A signal to a process the caller proved is ours; false when it is already gone. */
export function signal(pid: number, name: NodeJS.Signals): boolean {
  try {
    process.kill(pid, name);
    return true;
  } catch {
    return false;
  }
}
