// Starting the twin's agents inside namespaces: detached, recorded in the state, ready when they say so.
import { spawn } from 'node:child_process';
import { existsSync, openSync, readFileSync, closeSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { twinDir, writeState, type TwinState } from './state.js';
import { TwinError } from './sys.js';

const agentJs = new URL('./agent.js', import.meta.url).pathname;

export interface StartedAgent {
  readonly name: string;
  readonly pid: number;
  readonly ready: Promise<void>;
}

/** Starts `agent.js <mode>` in a namespace with its config in a 0600 file beside its log. */
export function startAgent(state: TwinState, namespace: string, mode: string, name: string, config: object, timeoutMs = 15_000): StartedAgent {
  const dir = twinDir(state.name);
  const configFile = join(dir, `${name}.json`);
  const logFile = join(dir, `${name}.log`);
  writeFileSync(configFile, JSON.stringify(config), { mode: 0o600 });
  const log = openSync(logFile, 'a', 0o600);
  const child = spawn('ip', ['netns', 'exec', namespace, process.execPath, agentJs, mode, configFile], { detached: true, stdio: ['ignore', log, log] });
  closeSync(log);
  if (!child.pid) throw new TwinError(`could not start the ${mode} agent ${name}`);
  state.pids.push(child.pid);
  writeState(state);
  let exited: number | null | undefined;
  child.on('exit', (code) => { exited = code; });
  child.unref();
  const ready = new Promise<void>((resolve, reject) => {
    const t0 = Date.now();
    const poll = () => {
      if (existsSync(`${configFile}.ready`)) return resolve();
      const tail = () => (existsSync(logFile) ? readFileSync(logFile, 'utf8').trim().split('\n').slice(-3).join(' | ') : '');
      if (exited !== undefined) return reject(new TwinError(`the ${mode} agent ${name} stopped (exit ${exited}): ${tail()}`));
      if (Date.now() - t0 > timeoutMs) return reject(new TwinError(`the ${mode} agent ${name} was not ready after ${timeoutMs / 1000} s: ${tail()}`));
      setTimeout(poll, 15);
    };
    poll();
  });
  return { name, pid: child.pid, ready };
}
