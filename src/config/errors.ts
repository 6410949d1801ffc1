// Config problems carry a path into the YAML; locate.ts turns it into file:line:column.
import { LatticeShareError } from '../shared/errors.js';

export type Path = (string | number)[];

export interface Problem {
  readonly path: Path;
  /** What is wrong. */
  readonly message: string;
  /** How to fix it. */
  readonly fix?: string;
  /** Point at the key of the last path element rather than its value. */
  readonly at?: 'key' | 'value';
}

export interface Diagnostic extends Problem {
  readonly file: string;
  readonly line: number;
  readonly column: number;
}

export const formatDiagnostic = (d: Diagnostic): string =>
  `${d.file}:${d.line}:${d.column}: ${d.message}${d.path.length ? ` (at ${d.path.join('.')})` : ''}${d.fix ? `. Fix: ${d.fix}` : ''}`;

/** Thrown when a config file cannot be read or is invalid; carries every problem found. */
export class ConfigError extends LatticeShareError {
  declare readonly code: 'LS_CONFIG_INVALID' | 'LS_CONFIG_UNREADABLE';
  /** LS_CONFIG_UNREADABLE: the file could not be read as a config at all (missing, a folder, too large, binary). */
  constructor(
    readonly diagnostics: Diagnostic[],
    code: 'LS_CONFIG_INVALID' | 'LS_CONFIG_UNREADABLE' = 'LS_CONFIG_INVALID',
  ) {
    super(code, diagnostics.map(formatDiagnostic).join('\n'));
  }
}
