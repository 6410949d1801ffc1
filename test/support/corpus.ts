// The third-party corpus (test/fixtures/third-party/<case>/case.yaml): templates written the way a team without
// lattice-share writes them, each case with its input as a user gives it, the verdicts AWS's documentation gives,
// and those sources.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { repo } from './synth.js';

export const CORPUS = join(repo, 'test', 'fixtures', 'third-party');

export interface CorpusCase {
  readonly name: string;
  readonly dir: string;
  readonly what: string;
  /** The command line's inputs, relative to the case's folder: a stacks file, or FILE@ACCOUNT/REGION specs. */
  readonly input: string[];
  /** --parameters values. */
  readonly parameters: string[];
  /** A facts file (--facts), relative to the case's folder. */
  readonly facts?: string;
  /** --expect lines, each a verdict the sources give. */
  readonly expect: string[];
  /** --expect lines the templates cannot settle: check must answer UNKNOWN, not a verdict. */
  readonly unknown: string[];
  readonly sources: string[];
}

export function corpusCases(): CorpusCase[] {
  return readdirSync(CORPUS, { withFileTypes: true })
    .filter((entry) => entry.isDirectory())
    .map((entry) => {
      const dir = join(CORPUS, entry.name);
      const data = parse(readFileSync(join(dir, 'case.yaml'), 'utf8')) as Omit<CorpusCase, 'name' | 'dir'>;
      return { name: entry.name, dir, ...data, parameters: data.parameters ?? [], unknown: data.unknown ?? [] };
    });
}

/** The CLI arguments of a case's check: its inputs, --parameters and --expect. */
export const checkArgs = (c: CorpusCase): string[] => [
  ...c.input,
  ...c.parameters.flatMap((p) => ['--parameters', p]),
  ...(c.facts ? ['--facts', c.facts] : []),
  ...[...c.expect, ...c.unknown].flatMap((x) => ['--expect', x]),
];

/** A case's inputs as paths from anywhere: each file (a stacks file, or FILE of FILE@ACCOUNT/REGION) absolute. */
export const absoluteInput = (c: CorpusCase): string[] =>
  c.input.map((input) => {
    const at = input.lastIndexOf('@');
    return at > 0 ? `${join(c.dir, input.slice(0, at))}${input.slice(at)}` : join(c.dir, input);
  });
