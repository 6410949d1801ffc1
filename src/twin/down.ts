// Removes everything a twin made: processes, namespaces (and any left under its name prefix), files. Idempotent.
import { existsSync, readdirSync, rmSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { namespacePrefix } from './plan.js';
import { readState, removeTwinDir } from './state.js';
import { tryRun } from './sys.js';

export interface DownResult {
  readonly namespaces: number;
  readonly processes: number;
}

const alive = (pid: number) => { try { process.kill(pid, 0); return true; } catch { return false; } };

export function down(name: string): DownResult {
  const state = readState(name);
  const prefix = namespacePrefix(name);
  // Namespaces of this twin: recorded ones, and any left with its prefix (a crash between create and record).
  const listed = spawnSync('ip', ['netns', 'list'], { encoding: 'utf8' }).stdout ?? '';
  const found = listed.split('\n').map((l) => l.split(' ')[0]!).filter((n) => n.startsWith(prefix));
  const namespaces = [...new Set([...(state?.namespaces ?? []), ...found])];
  // Processes: recorded ones and any still inside the namespaces.
  const pids = new Set(state?.pids ?? []);
  for (const ns of namespaces) {
    const r = spawnSync('ip', ['netns', 'pids', ns], { encoding: 'utf8' });
    for (const p of (r.stdout ?? '').split('\n').filter(Boolean)) pids.add(Number(p));
  }
  let killed = 0;
  for (const pid of pids) if (alive(pid)) { try { process.kill(pid, 'SIGKILL'); killed++; } catch { /* gone */ } }
  for (const ns of namespaces) tryRun('ip', ['netns', 'del', ns]);
  for (const dir of state?.etcDirs ?? []) rmSync(dir, { recursive: true, force: true });
  if (existsSync('/etc/netns')) for (const d of readdirSync('/etc/netns')) if (d.startsWith(prefix)) rmSync(`/etc/netns/${d}`, { recursive: true, force: true });
  removeTwinDir(name);
  return { namespaces: namespaces.length, processes: killed };
}
