// Removes everything a twin made: processes, namespaces (and any left under its name prefix), files. Idempotent.
import { existsSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { namespacePrefix } from './plan.js';
import { readState, removeTwinDir } from './state.js';
import { tryRun } from './sys.js';

export interface DownResult {
  readonly namespaces: number;
  readonly processes: number;
}

/** Running, not exited and not a zombie waiting for a parent that may never reap it. */
export function alive(pid: number): boolean {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3) !== 'Z';
  } catch {
    return false;
  }
}

export function down(name: string): DownResult {
  const state = readState(name);
  const prefix = namespacePrefix(name);
  // Namespaces of this twin: recorded ones, and any left with its prefix (a crash between create and record).
  const listed = spawnSync('ip', ['netns', 'list'], { encoding: 'utf8' }).stdout ?? '';
  const found = listed.split('\n').map((l) => l.split(' ')[0]!).filter((n) => n.startsWith(prefix));
  const namespaces = [...new Set([...(state?.namespaces ?? []), ...found])];
  // Processes: recorded ones and any inside the namespaces. Listed again until none is left: a process being
  // killed may have forked a moment before (an agent starting PostgreSQL).
  const killed = new Set<number>();
  const tick = new Int32Array(new SharedArrayBuffer(4));
  const until = Date.now() + 5000;
  for (;;) {
    const pids = new Set(state?.pids ?? []);
    for (const ns of namespaces) {
      const r = spawnSync('ip', ['netns', 'pids', ns], { encoding: 'utf8' });
      for (const p of (r.stdout ?? '').split('\n').filter(Boolean)) pids.add(Number(p));
    }
    const live = [...pids].filter(alive);
    if (!live.length || Date.now() > until) break;
    for (const pid of live) { try { process.kill(pid, 'SIGKILL'); killed.add(pid); } catch { /* gone */ } }
    Atomics.wait(tick, 0, 0, 20);
  }
  for (const ns of namespaces) tryRun('ip', ['netns', 'del', ns]);
  for (const dir of state?.etcDirs ?? []) rmSync(dir, { recursive: true, force: true });
  if (existsSync('/etc/netns')) for (const d of readdirSync('/etc/netns')) if (d.startsWith(prefix)) rmSync(`/etc/netns/${d}`, { recursive: true, force: true });
  removeTwinDir(name);
  return { namespaces: namespaces.length, processes: killed.size };
}
