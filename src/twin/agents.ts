// Starting the twin's agents inside namespaces: detached, recorded in the state, ready when they say so. An agent
// that fails says why in one line (its <config>.failed file); its log is kept beside the run root for the user.
import { spawn } from 'node:child_process';
import {
  closeSync,
  constants,
  copyFileSync,
  existsSync,
  lstatSync,
  openSync,
  readFileSync,
  unlinkSync,
  writeFileSync,
} from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { startTime } from './proc.js';
import { failedLog, twinDir, writeState, type TwinState } from './state.js';
import { TwinError } from './sys.js';

const agentJs = fileURLToPath(new URL('./agent.js', import.meta.url));

export interface StartedAgent {
  readonly name: string;
  readonly pid: number;
  readonly ready: Promise<void>;
}

/** The agent's own one-line reason, or the last lines of its log. */
function reasonOf(configFile: string, logFile: string): string {
  if (existsSync(`${configFile}.failed`)) return readFileSync(`${configFile}.failed`, 'utf8').trim();
  return existsSync(logFile) ? readFileSync(logFile, 'utf8').trim().split('\n').slice(-3).join(' | ') : 'no output';
}

const lstatExists = (path: string) => !!lstatSync(path, { throwIfNoEntry: false });

/** The logs kept by this process: the first failure of a bring-up is the one that tells why. */
const keptLogs = new Set<string>();

/** Copies the log out of the twin's directory (which clean-up removes), 0600: the user reads the whole story there. */
function keepLog(state: TwinState, logFile: string): string {
  const kept = failedLog(state.name);
  // Another agent of this bring-up failed first (its log is kept), or clean-up already removed the twin's directory.
  if (keptLogs.has(kept) || !existsSync(logFile)) return '';
  keptLogs.add(kept);
  try {
    if (lstatExists(kept)) unlinkSync(kept); // an earlier failure's log, or a link: never followed
    copyFileSync(logFile, kept, constants.COPYFILE_EXCL);
    return `; its log: ${kept}`;
  } catch {
    return '';
  }
}

export interface AgentRequest {
  readonly state: TwinState;
  readonly namespace: string;
  /** `dns`, `database` or `api`: the agent.js mode. */
  readonly mode: string;
  readonly name: string;
  readonly config: object;
  /** How long it may take to say it is ready. @default 15000 */
  readonly timeoutMs?: number;
}

/** Starts `agent.js <mode>` in a namespace with its config in a 0600 file beside its log. */
export function startAgent(request: AgentRequest): StartedAgent {
  const { state, namespace, mode, name, config, timeoutMs = 15_000 } = request;
  const dir = twinDir(state.name);
  const configFile = join(dir, `${name}.json`);
  const logFile = join(dir, `${name}.log`);
  writeFileSync(configFile, JSON.stringify(config), { mode: 0o600 });
  const log = openSync(logFile, 'a', 0o600);
  const child = spawn('ip', ['netns', 'exec', namespace, process.execPath, agentJs, mode, configFile], {
    detached: true,
    stdio: ['ignore', log, log],
  });
  closeSync(log);
  if (!child.pid) throw new TwinError(`could not start the ${mode} agent ${name}`, 'LS_TWIN_AGENT_FAILED');
  // `ip netns exec` becomes the agent (exec): same pid, same start time, the config file among its arguments.
  state.processes.push({ pid: child.pid, startTime: startTime(child.pid) ?? -1, argument: configFile });
  writeState(state);
  let exited: number | null | undefined;
  child.on('exit', (code) => {
    exited = code;
  });
  child.unref();
  const ready = new Promise<void>((resolve, reject) => {
    const t0 = Date.now();
    const fail = (what: string) =>
      reject(
        new TwinError(
          `the ${mode} agent ${name} ${what}: ${reasonOf(configFile, logFile)}${keepLog(state, logFile)}`,
          'LS_TWIN_AGENT_FAILED',
        ),
      );
    const poll = () => {
      if (existsSync(`${configFile}.ready`)) return resolve();
      if (exited !== undefined) return fail(`stopped (exit ${exited})`);
      if (Date.now() - t0 > timeoutMs) return fail(`was not ready after ${timeoutMs / 1000} s`);
      setTimeout(poll, 15);
    };
    poll();
  });
  return { name, pid: child.pid, ready };
}
