// The seam between the twin and the machine: every command, file, agent and signal the twin's realisers (network,
// services, down) use goes through a Host. The system host does it; a RecordingHost writes it down instead, so the
// exact command script of a plan is tested without root, and down's refusals are tested with hostile states.
import { lstatSync, mkdirSync, readdirSync, rmSync, unlinkSync, writeFileSync, chmodSync, existsSync } from 'node:fs';
import { dirname } from 'node:path';
import { startAgent, type AgentRequest, type StartedAgent } from './agents.js';
import { alive, pause, sameProcess, signal } from './proc.js';
import { removeTwinDir, writeState, type TwinProcess, type TwinState } from './state.js';
import { run, runAside } from './sys.js';

export type { AgentRequest, StartedAgent } from './agents.js';

export interface AsideResult {
  readonly status: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

export interface Host {
  /** Runs a system tool with an argv (never a shell), `input` on its stdin; its stdout. Throws a TwinError. */
  run(cmd: string, args: string[], input?: string): string;
  /** A clean-up command, in a session of its own; its failure is returned, never thrown. */
  runAside(cmd: string, args: string[]): AsideResult;
  /** Records the state before the object it names is made (state.ts checks every path). */
  saveState(state: TwinState): void;
  /** Writes a file, making its folder; `mode` 0o600 for a file that holds a secret. */
  writeFile(path: string, text: string, mode?: number): void;
  chmod(path: string, mode: number): void;
  exists(path: string): boolean;
  /** Starts an agent in a namespace, recorded in the state; ready when it says so. */
  startAgent(request: AgentRequest): StartedAgent;
  /** The entries of a folder; none when it does not exist. */
  list(dir: string): string[];
  /** Removes an entry the caller proved is the twin's: a link is unlinked, never followed. */
  removeEntry(path: string): void;
  /** Removes the twin's own run directory (state.ts proves it is the tool's). */
  removeTwinDir(name: string): void;
  /** Whether a pid runs (not a zombie), and whether a recorded process is still the one the twin started. */
  alive(pid: number): boolean;
  sameProcess(process: TwinProcess, twinDir: string): boolean;
  /** SIGKILL; false when the process is gone already. */
  kill(pid: number): boolean;
  /**
   * SIGTERM to each (the twin's agents stop their server cleanly on it), then waits up to `graceMs` for them to exit;
   * the pids signalled.
   */
  terminate(pids: readonly number[], graceMs: number): number[];
}

export const systemHost: Host = {
  run,
  runAside,
  saveState: writeState,
  writeFile(path, text, mode) {
    mkdirSync(dirname(path), { recursive: true });
    writeFileSync(path, text, mode === undefined ? undefined : { mode });
  },
  chmod: chmodSync,
  exists: existsSync,
  startAgent,
  list: (dir) => (existsSync(dir) ? readdirSync(dir) : []),
  removeEntry(path) {
    if (lstatSync(path).isSymbolicLink()) unlinkSync(path);
    else rmSync(path, { recursive: true, force: true });
  },
  removeTwinDir,
  alive,
  sameProcess,
  kill: (pid) => signal(pid, 'SIGKILL'),
  terminate(pids, graceMs) {
    const signalled = pids.filter((pid) => signal(pid, 'SIGTERM'));
    const until = Date.now() + graceMs;
    while (signalled.some(alive) && Date.now() < until) pause(20);
    return signalled;
  },
};

/** What a RecordingHost answers for commands whose output the twin reads (`ip netns list`, `ip netns pids`). */
export type Answers = (cmd: string, args: string[]) => string | undefined;

/**
 * A host that changes nothing: it writes each action down as one line (a command with its stdin, a file with its
 * mode but not its content when it is 0600, an agent with its config) and answers from `answers`.
 */
export class RecordingHost implements Host {
  readonly lines: string[] = [];
  readonly killed: number[] = [];
  private readonly files = new Set<string>();

  private readonly answers: Answers;
  private readonly live: ReadonlySet<number>;
  private readonly proven: ReadonlySet<number>;

  /**
   * @param options.answers the output of commands the twin reads
   * @param options.live pids that run; `proven` those of them that are recorded processes still the twin's
   */
  constructor(options: { answers?: Answers; live?: Iterable<number>; proven?: Iterable<number> } = {}) {
    this.answers = options.answers ?? (() => undefined);
    this.live = new Set(options.live);
    this.proven = new Set(options.proven);
  }

  run(cmd: string, args: string[], input?: string): string {
    this.lines.push([cmd, ...args].join(' ') + (input === undefined ? '' : ` <<EOF\n${input.trimEnd()}\nEOF`));
    return this.answers(cmd, args) ?? '';
  }

  runAside(cmd: string, args: string[]): AsideResult {
    this.lines.push(`aside: ${[cmd, ...args].join(' ')}`);
    return { status: 0, stdout: this.answers(cmd, args) ?? '', stderr: '' };
  }

  saveState(state: TwinState): void {
    this.lines.push(`state: ${state.namespaces.length} namespaces, ${state.processes.length} processes`);
  }

  writeFile(path: string, text: string, mode?: number): void {
    this.files.add(path);
    const secret = mode !== undefined && (mode & 0o077) === 0;
    this.lines.push(
      `write ${path}${mode === undefined ? '' : ` (${mode.toString(8)})`}${secret ? '' : `: ${text.trimEnd()}`}`,
    );
  }

  chmod(path: string, mode: number): void {
    this.lines.push(`chmod ${mode.toString(8)} ${path}`);
  }

  exists(path: string): boolean {
    return this.files.has(path);
  }

  startAgent(request: AgentRequest): StartedAgent {
    this.lines.push(`agent ${request.mode} ${request.name} in ${request.namespace}: ${JSON.stringify(request.config)}`);
    return { name: request.name, pid: 0, ready: Promise.resolve() };
  }

  list(dir: string): string[] {
    return (this.answers('ls', [dir]) ?? '').split('\n').filter(Boolean);
  }

  removeEntry(path: string): void {
    this.lines.push(`remove ${path}`);
  }

  removeTwinDir(name: string): void {
    this.lines.push(`remove the run directory of ${name}`);
  }

  alive(pid: number): boolean {
    return this.live.has(pid) && !this.killed.includes(pid);
  }

  sameProcess(p: TwinProcess): boolean {
    return this.proven.has(p.pid);
  }

  kill(pid: number): boolean {
    this.lines.push(`kill -9 ${pid}`);
    this.killed.push(pid);
    return true;
  }

  /** Records SIGTERM; the processes stay alive (as agents that do not stop in time), for `kill` to end. */
  terminate(pids: readonly number[]): number[] {
    for (const pid of pids) this.lines.push(`kill -TERM ${pid}`);
    return pids.filter((pid) => this.alive(pid));
  }
}
