// How the CLI talks: results to stdout, progress and errors to stderr, exit codes by kind of failure.
import { exitStatus, LatticeShareError } from '../shared/errors.js';
import { errorText } from '../shared/index.js';

export const EXIT = { ok: 0, failed: 1, usage: 2, interrupted: 130 } as const;

/** A command line that is wrong: exit 2. */
export class UsageError extends LatticeShareError {
  constructor(message: string) {
    super('LS_USAGE', message);
  }
}

/** Ctrl-C (SIGINT) or SIGTERM stopped a command after it removed what it had made. */
export class Interrupted extends LatticeShareError {
  constructor(message: string) {
    super('LS_INTERRUPTED', message);
  }
}

/** Streams whose reader went away (`| head`): what is still to print is dropped, quietly, like other tools. */
const closed = new Set<NodeJS.WriteStream>();
for (const stream of [process.stdout, process.stderr]) {
  stream.on('error', (e: NodeJS.ErrnoException) => {
    if (e.code !== 'EPIPE') throw e;
    closed.add(stream);
  });
}
const write = (stream: NodeJS.WriteStream, line: string) => void (closed.has(stream) || stream.write(`${line}\n`));

export const say = (line: string): void => write(process.stdout, line);
export const note = (line: string): void => write(process.stderr, line);

/**
 * Runs a long command (up, demo) with SIGINT and SIGTERM turned into an aborted signal: the command stops at its next
 * step and removes what it made. A second signal ends the process at once.
 */
export async function withInterrupts<T>(run: (signal: AbortSignal) => Promise<T>, leftover = ''): Promise<T> {
  const controller = new AbortController();
  const onSignal = (signal: NodeJS.Signals) => {
    if (controller.signal.aborted) {
      note(`lattice-share: ${signal} again: quitting now${leftover ? `; ${leftover}` : ''}`);
      process.exit(EXIT.interrupted);
    }
    note(`lattice-share: ${signal}: stopping and removing what was made (again to quit at once)`);
    controller.abort(signal);
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  try {
    return await run(controller.signal);
  } finally {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
  }
}

/** One clear line per problem, no stack trace unless LATTICE_SHARE_DEBUG is set. */
export function report(e: unknown, json: boolean): number {
  const ours = LatticeShareError.isLatticeShareError(e);
  // A config error carries every problem, one file:line:column line each (its message).
  if (ours && (e.code === 'LS_CONFIG_INVALID' || e.code === 'LS_CONFIG_UNREADABLE')) {
    if (json) say(JSON.stringify({ ok: false, diagnostics: (e as { diagnostics?: unknown }).diagnostics }, null, 2));
    else note(e.message);
    return exitStatus(e);
  }
  const nag =
    e instanceof Error && /^Validation failed/.test(e.message) ? (/found in: (\S+)/.exec(e.message) ?? []) : undefined;
  const text = errorText(e);
  const message = nag
    ? `cdk-nag AwsSolutions checks failed${nag[1] ? `; report: ${nag[1]}` : ''}. Fix the findings or acknowledge each with a reason (Validations.of(construct).acknowledge)`
    : ours
      ? text
      : `internal error: ${text} (set LATTICE_SHARE_DEBUG=1 for details)`;
  if (json) say(JSON.stringify({ ok: false, error: message, ...(ours ? { code: e.code } : {}) }, null, 2));
  else note(`lattice-share: ${message}`);
  if (process.env.LATTICE_SHARE_DEBUG && e instanceof Error) note(e.stack ?? '');
  return exitStatus(e);
}
