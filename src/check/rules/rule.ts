// The shape of a lint rule, cdk-nag style: one small named unit with an ID, a severity, a summary and a why.
import type { Facts } from '../facts.js';
import type { Finding, Severity } from '../types.js';

/** What a rule reports about one resource; the runner adds the rule's ID, and its severity unless this says one. */
export interface Violation {
  readonly message: string;
  readonly fix: string;
  readonly resource?: Finding['resource'];
  readonly severity?: Severity;
}

export interface LintRule {
  readonly id: `LS-${string}`;
  /** The severities it reports; the first is the usual one. */
  readonly severities: readonly [Severity, ...Severity[]];
  /** What it finds: the row of docs/check.md's table. */
  readonly summary: string;
  /** Why it matters: what AWS does with such templates. */
  readonly why: string;
  check(facts: Facts): Iterable<Violation>;
}
