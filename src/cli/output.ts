// How the CLI talks: results to stdout, progress and errors to stderr, exit codes by kind of failure.
import { ConfigError, formatDiagnostic } from '../config/index.js';
import { ExpectationError } from '../check/index.js';
import { LatticeValidationError } from '../constructs/index.js';
import { AssemblyError, DeployError } from '../deploy/index.js';
import { LoadError } from '../model/index.js';
import { TwinError } from '../twin/index.js';

export const EXIT = { ok: 0, failed: 1, usage: 2 } as const;

export class UsageError extends Error {}

export const say = (line: string): void => void process.stdout.write(`${line}\n`);
export const note = (line: string): void => void process.stderr.write(`${line}\n`);

/** One clear line per problem, no stack trace unless LATTICE_SHARE_DEBUG is set. */
export function report(e: unknown, json: boolean): number {
  if (e instanceof ConfigError) {
    if (json) say(JSON.stringify({ ok: false, diagnostics: e.diagnostics }, null, 2));
    else for (const d of e.diagnostics) note(formatDiagnostic(d));
    return EXIT.failed;
  }
  const nag = e instanceof Error && /^Validation failed/.test(e.message) ? /found in: (\S+)/.exec(e.message) ?? [] : undefined;
  const known = e instanceof UsageError || e instanceof ExpectationError || e instanceof LatticeValidationError || e instanceof DeployError || e instanceof AssemblyError || e instanceof LoadError || e instanceof TwinError;
  const message = nag ? `cdk-nag AwsSolutions checks failed${nag[1] ? `; report: ${nag[1]}` : ''}. Fix the findings or acknowledge each with a reason (Validations.of(construct).acknowledge)`
    : known ? (e as Error).message : `internal error: ${(e as Error)?.message ?? String(e)} (set LATTICE_SHARE_DEBUG=1 for details)`;
  if (json) say(JSON.stringify({ ok: false, error: message }, null, 2));
  else note(`lattice-share: ${message}`);
  if (process.env.LATTICE_SHARE_DEBUG && e instanceof Error) note(e.stack ?? '');
  return e instanceof UsageError || e instanceof ExpectationError ? EXIT.usage : EXIT.failed;
}
