// How the CLI talks: results to stdout, progress and errors to stderr, exit codes by kind of failure.
import type { Writable } from 'node:stream';
import { exitStatus, LatticeShareError } from '../shared/errors.js';
import { chain, errorText, jsonPieces } from '../shared/index.js';

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
const closed = new Set<Writable>();
for (const stream of [process.stdout, process.stderr]) {
  stream.on('error', (e: NodeJS.ErrnoException) => {
    if (e.code !== 'EPIPE') throw e;
    closed.add(stream);
  });
}
const write = (stream: NodeJS.WriteStream, line: string) => void (closed.has(stream) || stream.write(`${line}\n`));

export const say = (line: string): void => write(process.stdout, line);
export const note = (line: string): void => write(process.stderr, line);

/** How many bytes of an answer are encoded before they are written (a megabyte). */
const CHUNK = 1 << 20;

/** Streams an answer was cut short on (it failed part-way): an error then goes to stderr, not a second answer. */
const cut = new Set<Writable>();

/** Until a stream has taken what it was given, or is closed. */
const drained = (stream: Writable) =>
  new Promise<void>((resolve) => {
    const done = () => {
      stream.off('drain', done);
      stream.off('close', done);
      stream.off('error', done);
      resolve();
    };
    stream.on('drain', done);
    stream.on('close', done);
    stream.once('error', done);
  });

/** Writes bytes unless the stream is closed, then waits until the reader has taken them; false when it is closed. */
async function written(stream: Writable, bytes: Uint8Array): Promise<boolean> {
  if (closed.has(stream) || stream.destroyed) return false;
  if (!stream.write(bytes)) await drained(stream);
  return true;
}

/**
 * Text made piece by piece, on `stdout` as UTF-8 a megabyte at a time, each written once the reader has taken the one
 * before (a pipe holds what it has not taken): a large check's answer is hundreds of thousands of lines, or hundreds
 * of megabytes of JSON, which as one string and one buffer took up to gigabytes. `newline` ends each piece with one; a
 * piece over a megabyte goes on its own. A reader that goes away (`| head`) ends the writing, as it ends `say`'s.
 * `stdout` is `cut` until the last piece is in: `pieces` may throw part-way (JSON cannot write a cycle or a BigInt).
 */
async function sayPieces(pieces: Iterable<string>, newline: boolean, stdout: Writable): Promise<void> {
  let chunk = Buffer.allocUnsafe(CHUNK);
  let used = 0;
  for (const piece of pieces) {
    // UTF-8 takes at most 3 bytes for each UTF-16 code unit (4 for a pair).
    const most = 3 * piece.length + 1;
    if (used + most > CHUNK) {
      cut.add(stdout);
      if (used && !(await written(stdout, chunk.subarray(0, used)))) return;
      // A written buffer may be held until the reader takes it: the next pieces go into a new one.
      [chunk, used] = [Buffer.allocUnsafe(CHUNK), 0];
      if (most > CHUNK) {
        if (!(await written(stdout, Buffer.from(newline ? `${piece}\n` : piece)))) return;
        continue;
      }
    }
    used += chunk.write(piece, used);
    if (newline) chunk[used++] = 0x0a;
  }
  cut.delete(stdout);
  if (used) await written(stdout, chunk.subarray(0, used));
}

/** A value as JSON on stdout: `JSON.stringify(value, null, 2)` and a newline, made and written in pieces. */
export const sayJson = (value: unknown, stdout: Writable = process.stdout): Promise<void> =>
  sayPieces(chain(jsonPieces(value), ['\n']), false, stdout);

/** Lines on stdout, each followed by a newline (nothing for no lines), written as they come (see `sayPieces`). */
export const sayLines = (lines: Iterable<string>, stdout: Writable = process.stdout): Promise<void> =>
  sayPieces(lines, true, stdout);

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
    if (json && !cut.has(process.stdout))
      say(JSON.stringify({ ok: false, diagnostics: (e as { diagnostics?: unknown }).diagnostics }, null, 2));
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
  // After a JSON answer cut short, a second document would make stdout no JSON at all: the error goes to stderr.
  if (json && !cut.has(process.stdout))
    say(JSON.stringify({ ok: false, error: message, ...(ours ? { code: e.code } : {}) }, null, 2));
  else note(`lattice-share: ${message}`);
  if (process.env.LATTICE_SHARE_DEBUG && e instanceof Error) note(e.stack ?? '');
  return exitStatus(e);
}
