// How the CLI talks: results to stdout, progress and errors to stderr, exit codes by kind of failure.

export const EXIT = { ok: 0, failed: 1, usage: 2 } as const;

export class UsageError extends Error {}

export const say = (line: string): void => void process.stdout.write(`${line}\n`);
export const note = (line: string): void => void process.stderr.write(`${line}\n`);

/** One clear line per problem, no stack trace unless LATTICE_SHARE_DEBUG is set. */
export function report(e: unknown, json: boolean): number {
  // A config error carries every problem, one file:line:column line each (its message).
  if ((e as { code?: unknown } | undefined)?.code === 'LS_CONFIG_INVALID') {
    if (json) say(JSON.stringify({ ok: false, diagnostics: (e as { diagnostics: unknown }).diagnostics }, null, 2));
    else note((e as Error).message);
    return EXIT.failed;
  }
  const nag = e instanceof Error && /^Validation failed/.test(e.message) ? /found in: (\S+)/.exec(e.message) ?? [] : undefined;
  // Every error of ours carries an LS_ code (the CLI does not load the boxes that throw them to ask instanceof).
  const code = (e as { code?: unknown } | undefined)?.code;
  const known = e instanceof UsageError || (typeof code === 'string' && code.startsWith('LS_'));
  const message = nag ? `cdk-nag AwsSolutions checks failed${nag[1] ? `; report: ${nag[1]}` : ''}. Fix the findings or acknowledge each with a reason (Validations.of(construct).acknowledge)`
    : known ? (e as Error).message : `internal error: ${(e as Error)?.message ?? String(e)} (set LATTICE_SHARE_DEBUG=1 for details)`;
  if (json) say(JSON.stringify({ ok: false, error: message }, null, 2));
  else note(`lattice-share: ${message}`);
  if (process.env.LATTICE_SHARE_DEBUG && e instanceof Error) note(e.stack ?? '');
  return e instanceof UsageError || code === 'LS_EXPECTATION_INVALID' ? EXIT.usage : EXIT.failed;
}
