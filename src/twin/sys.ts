// Running system tools with argv arrays (never a shell), with errors that say what failed.
import { spawnSync } from 'node:child_process';
import { LatticeShareError, type ErrorCode } from '../shared/errors.js';

export class TwinError extends LatticeShareError {
  /** LS_TWIN_NAME_INVALID and LS_TWIN_RUN_DIR_INVALID are usage errors (exit 2); the rest are failures. */
  constructor(message: string, code: ErrorCode = 'LS_TWIN_FAILED', options?: { cause?: unknown }) {
    super(code, message, options);
  }
}

/** A command the twin ran was stopped by a signal: Ctrl-C, or a kill meant for the whole process group. */
export class InterruptedError extends TwinError {
  constructor(readonly signal: string) {
    super(`interrupted (${signal})`, 'LS_INTERRUPTED');
  }
}

export function run(cmd: string, args: string[], input?: string): string {
  const r = spawnSync(cmd, args, { encoding: 'utf8', input, stdio: ['pipe', 'pipe', 'pipe'] });
  // A child stopped by Ctrl-C may also fail the write of its input (EPIPE): the signal is what happened.
  if (r.signal === 'SIGINT' || r.signal === 'SIGTERM') throw new InterruptedError(r.signal);
  if (r.error)
    throw new TwinError(`${cmd} could not run: ${r.error.message}`, 'LS_TWIN_TOOL_FAILED', { cause: r.error });
  if (r.status !== 0)
    throw new TwinError(
      `${cmd} ${args.join(' ')} failed: ${(r.stderr || r.stdout).trim().split('\n')[0]}`,
      'LS_TWIN_TOOL_FAILED',
    );
  return r.stdout;
}

/** Runs a clean-up command in a session of its own: a Ctrl-C at the terminal does not stop it half-way. */
export function runAside(cmd: string, args: string[]): { status: number | null; stdout: string; stderr: string } {
  const r = spawnSync('setsid', [cmd, ...args], { encoding: 'utf8' });
  return { status: r.error ? null : r.status, stdout: r.stdout ?? '', stderr: r.stderr || r.error?.message || '' };
}

/** What the twin needs from the system, with the command that installs it. */
export function preflight(): void {
  if (process.platform !== 'linux')
    throw new TwinError('the twin needs Linux network namespaces; run it on Linux', 'LS_TWIN_NEEDS_LINUX');
  if (process.getuid?.() !== 0)
    throw new TwinError(
      'the twin creates network namespaces and needs root; run it as root (or in a root container)',
      'LS_TWIN_NEEDS_ROOT',
    );
  const missing = [
    ['ip', 'iproute2'],
    ['nft', 'nftables'],
  ].filter(([cmd]) => spawnSync(cmd!, ['-V'], { stdio: 'ignore' }).error);
  if (missing.length) {
    const pkgs = missing.map(([, p]) => p).join(' ');
    throw new TwinError(
      `the twin needs ${missing.map(([c]) => c).join(' and ')}; install with: apt-get install -y ${pkgs} (or run bash scripts/install-system-deps.sh)`,
      'LS_TWIN_TOOL_FAILED',
    );
  }
}

/** Lets signal handlers run (they wait for the event loop), then stops if the signal was aborted. */
export async function checkpoint(signal?: AbortSignal): Promise<void> {
  if (!signal) return;
  await new Promise((resolve) => setImmediate(resolve));
  if (signal.aborted) throw new InterruptedError(String(signal.reason ?? 'aborted'));
}

/** Rejects with an InterruptedError as soon as the signal is aborted; otherwise as the promise does. */
export function interruptible<T>(promise: Promise<T>, signal?: AbortSignal): Promise<T> {
  if (!signal) return promise;
  return new Promise<T>((resolve, reject) => {
    const abort = () => reject(new InterruptedError(String(signal.reason ?? 'aborted')));
    if (signal.aborted) return abort();
    signal.addEventListener('abort', abort, { once: true });
    promise.then(resolve, reject).finally(() => signal.removeEventListener('abort', abort));
  });
}
