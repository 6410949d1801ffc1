// How the CLI talks: results to stdout, progress and errors to stderr, exit codes by kind of failure.
import type { Writable } from 'node:stream';
import { exitStatus, LatticeShareError } from '../shared/errors.js';
import { errorText, jsonPieces } from '../shared/index.js';

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

/** How much JSON `sayJson` gathers before it writes (UTF-16 code units: a megabyte of ASCII, up to 3 of CJK). */
const JSON_CHUNK = 1 << 20;

/** Streams a JSON answer was cut short on (it failed part-way): an error then goes to stderr, not a second answer. */
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

/**
 * A value as JSON (`JSON.stringify(value, null, 2)` and a newline) on stdout, written a megabyte at a time, each once
 * the reader has taken the one before (a pipe is asynchronous: what it has not taken is held): a large check's answer
 * is hundreds of megabytes, which as one string and one buffer took gigabytes. A reader that goes away (`| head`)
 * ends the writing, as it ends `say`'s. `stdout`: where to (tests).
 */
export async function sayJson(value: unknown, stdout: Writable = process.stdout): Promise<void> {
  const open = () => !closed.has(stdout) && !stdout.destroyed;
  let chunk = '';
  // `cut` holds stdout until the answer is whole: a value JSON cannot write (a cycle, a BigInt) throws part-way.
  for (const piece of jsonPieces(value)) {
    chunk += piece;
    if (chunk.length < JSON_CHUNK) continue;
    if (!open()) return;
    cut.add(stdout);
    if (!stdout.write(chunk)) await drained(stdout);
    chunk = '';
  }
  cut.delete(stdout);
  if (open()) stdout.write(`${chunk}\n`);
}

/** How many bytes `sayLines` encodes before it writes (a megabyte). */
const LINES_CHUNK = 1 << 20;

/** Writes bytes unless the stream is closed, then waits until the reader has taken them; false when it is closed. */
async function written(stream: Writable, bytes: Uint8Array): Promise<boolean> {
  if (closed.has(stream) || stream.destroyed) return false;
  if (!stream.write(bytes)) await drained(stream);
  return true;
}

/**
 * Lines on stdout, each followed by a newline (nothing for no lines), encoded into a megabyte of UTF-8 at a time and
 * each written once the reader has taken the one before: a large check's answer is hundreds of thousands of lines,
 * which joined into one string and encoded into one buffer held some 130 MB more at 10,000 consumer VPCs. A line
 * longer than a megabyte goes on its own. A reader that goes away (`| head`) ends the writing, as it ends `say`'s.
 * `stdout`: where to (tests).
 */
export async function sayLines(lines: Iterable<string>, stdout: Writable = process.stdout): Promise<void> {
  let chunk = Buffer.allocUnsafe(LINES_CHUNK);
  let used = 0;
  for (const line of lines) {
    // UTF-8 takes at most 3 bytes for each UTF-16 code unit (4 for a pair).
    const most = 3 * line.length + 1;
    if (used + most > LINES_CHUNK) {
      if (used && !(await written(stdout, chunk.subarray(0, used)))) return;
      // A written buffer may be held until the reader takes it: the next lines go into a new one.
      [chunk, used] = [Buffer.allocUnsafe(LINES_CHUNK), 0];
      if (most > LINES_CHUNK) {
        if (!(await written(stdout, Buffer.from(`${line}\n`)))) return;
        continue;
      }
    }
    used += chunk.write(line, used);
    chunk[used++] = 0x0a;
  }
  if (used) await written(stdout, chunk.subarray(0, used));
}

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
