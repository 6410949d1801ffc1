// Entry point of the config box: lattice-share.yaml → Topology, or a ConfigError with file:line:column.
import { existsSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { isScalar, LineCounter, parseDocument, visit, type Document } from 'yaml';
import { z } from 'zod';
import { ConfigError, type Diagnostic, type Problem } from './errors.js';
import { closest, locate } from './locate.js';
import { resolve } from './resolve/index.js';
import { configSchema } from './schema.js';
import type { Topology } from './topology.js';

export * from './topology.js';
export { ConfigError, formatDiagnostic, type Diagnostic } from './errors.js';

/** Larger than any real config (16,000 accounts fit in 2 MB): refused before it is read. */
export const MAX_CONFIG_BYTES = 5 * 1024 * 1024;

const EXAMPLE = 'see examples/seed/lattice-share.yaml for one';

function unreadable(file: string, message: string, fix: string): ConfigError {
  return new ConfigError([{ file, line: 1, column: 1, path: [], message, fix }], 'LS_CONFIG_UNREADABLE');
}

/** The file's text, or a one-line reason it is not a config file at all. */
function readText(file: string): string {
  let size: number;
  try {
    const st = statSync(file);
    if (st.isDirectory()) {
      const inside = join(file, 'lattice-share.yaml');
      throw unreadable(
        file,
        'is a folder, not a config file',
        existsSync(inside) ? `pass ${inside}` : `pass the path of a lattice-share.yaml (${EXAMPLE})`,
      );
    }
    size = st.size;
  } catch (e) {
    if (e instanceof ConfigError) throw e;
    const why = (e as NodeJS.ErrnoException).code === 'ENOENT' ? 'file not found' : (e as Error).message;
    throw unreadable(file, `cannot read config: ${why}`, 'pass the path of a lattice-share.yaml');
  }
  if (size > MAX_CONFIG_BYTES)
    throw unreadable(
      file,
      `is ${(size / 1048576).toFixed(1)} MB; a config is at most ${MAX_CONFIG_BYTES / 1048576} MB of YAML`,
      'pass a lattice-share.yaml, not a data file',
    );
  const bytes = readFileSync(file);
  const text = new TextDecoder('utf-8', { fatal: false }).decode(bytes);
  const nul = bytes.indexOf(0);
  if (nul >= 0 || text.includes('\uFFFD')) {
    throw unreadable(
      file,
      `is not a text file (${nul >= 0 ? `a zero byte at offset ${nul}` : 'bytes that are not UTF-8'}); a config is YAML text`,
      `pass a lattice-share.yaml (${EXAMPLE})`,
    );
  }
  return text;
}

export function loadConfig(file: string): Topology {
  return parseConfig(readText(file), file);
}

export function parseConfig(text: string, file = 'lattice-share.yaml'): Topology {
  const lines = new LineCounter();
  // Duplicate keys are found below in linear time: the parser's own check compares every key with every other.
  const doc = parseDocument(text, { lineCounter: lines, uniqueKeys: false, prettyErrors: false });
  const syntax = [
    ...doc.errors.map((e) => ({ pos: e.pos[0], message: e.message.split('\n')[0]! })),
    ...duplicateKeys(doc),
  ];
  if (syntax.length) {
    throw new ConfigError(
      byPosition(
        syntax.map((e) => {
          const pos = lines.linePos(e.pos);
          return {
            file,
            line: pos.line,
            column: pos.col,
            path: [],
            message: `YAML syntax: ${e.message}`,
            fix: 'correct the YAML syntax',
          };
        }),
      ),
    );
  }
  const data: unknown = doc.toJS({ maxAliasCount: 100 });
  if (data === null || data === undefined || typeof data !== 'object' || Array.isArray(data)) {
    const what =
      data === null || data === undefined
        ? 'is empty'
        : `holds ${Array.isArray(data) ? 'a list' : `the ${typeof data} ${JSON.stringify(data).slice(0, 40)}`}`;
    throw new ConfigError([
      {
        file,
        line: 1,
        column: 1,
        path: [],
        message: `${what}, not a lattice-share config`,
        fix: `a config is a YAML mapping with region, accounts, networks, resources, shares and consumers (${EXAMPLE})`,
      },
    ]);
  }
  const parsed = configSchema.safeParse(data);
  if (!parsed.success) {
    const problems = parsed.error.issues.flatMap((i) => toProblems(i, data));
    throw new ConfigError(byPosition(problems.map((p) => locate(doc, lines, file, p))));
  }
  const { topology, problems } = resolve(parsed.data, file);
  if (!topology) throw new ConfigError(byPosition(problems.map((p) => locate(doc, lines, file, p))));
  return topology;
}

/** Keys that appear twice in one mapping, where the second one starts. */
function duplicateKeys(doc: Document): { pos: number; message: string }[] {
  const found: { pos: number; message: string }[] = [];
  visit(doc, {
    Map(_, map) {
      const seen = new Set<unknown>();
      for (const pair of map.items) {
        const key = isScalar(pair.key) ? pair.key.value : pair.key;
        if (seen.has(key))
          found.push({
            pos: (pair.key as { range?: number[] } | null)?.range?.[0] ?? 0,
            message: 'Map keys must be unique',
          });
        seen.add(key);
      }
    },
  });
  return found;
}

const byPosition = (ds: Diagnostic[]): Diagnostic[] => [...ds].sort((a, b) => a.line - b.line || a.column - b.column);

function toProblems(issue: z.ZodIssue, data: unknown): Problem[] {
  const path = issue.path;
  if (issue.code === 'unrecognized_keys') {
    const allowed = allowedKeys(path, data);
    return issue.keys.map((k) => {
      const near = closest(k, allowed);
      return {
        path: [...path, k],
        at: 'key' as const,
        message: `unknown key "${k}"`,
        fix: near ? `did you mean "${near}"?` : `allowed keys here: ${allowed.join(', ')}`,
      };
    });
  }
  if (issue.code === 'invalid_type' && issue.received === 'undefined') {
    const key = path[path.length - 1];
    return [{ path: path.slice(0, -1), at: 'key', message: `missing required key "${key}"`, fix: `add ${key}: …` }];
  }
  if (issue.code === 'invalid_type' && issue.expected === 'integer') {
    return [
      {
        path,
        message: `expected a whole number, got ${JSON.stringify(valueAt(data, path))}`,
        fix: 'write a whole number here, e.g. 2',
      },
    ];
  }
  if (issue.code === 'invalid_type') {
    const hint = issue.message.startsWith('Expected')
      ? `write ${/^[aeiou]/.test(issue.expected) ? 'an' : 'a'} ${issue.expected} here`
      : issue.message;
    return [{ path, message: `expected ${issue.expected}, got ${issue.received}`, fix: hint }];
  }
  if (issue.code === 'invalid_enum_value') {
    return [
      { path, message: `"${String(issue.received)}" is not allowed`, fix: `use one of: ${issue.options.join(', ')}` },
    ];
  }
  if (issue.code === 'invalid_literal') {
    return [{ path, message: `${JSON.stringify(valueAt(data, path))} is not allowed`, fix: issue.message }];
  }
  const value = valueAt(data, path);
  if (issue.code === 'invalid_string' && value !== null && typeof value === 'object') {
    return [{ path, at: 'key', message: `invalid name "${String(path[path.length - 1])}"`, fix: issue.message }];
  }
  const shown = value === undefined || typeof value === 'object' ? '' : ` ${JSON.stringify(value)}`;
  return [{ path, message: `invalid value${shown}`, fix: issue.message }];
}

function valueAt(data: unknown, path: (string | number)[]): unknown {
  return path.reduce<unknown>((v, k) => (v as Record<string | number, unknown> | undefined)?.[k], data);
}

/** The keys the schema allows at a path, following the data for unions by their discriminator. */
function allowedKeys(path: (string | number)[], data: unknown): string[] {
  let schema: z.ZodTypeAny = configSchema;
  let value: unknown = data;
  const unwrap = (s: z.ZodTypeAny): z.ZodTypeAny => {
    for (;;) {
      if (s instanceof z.ZodOptional || s instanceof z.ZodDefault) s = s._def.innerType;
      else if (s instanceof z.ZodEffects) s = s._def.schema;
      else if (s instanceof z.ZodDiscriminatedUnion) {
        const d = (value as Record<string, unknown> | undefined)?.[s.discriminator];
        s = s.optionsMap.get(d as z.Primitive) ?? s.options[0];
      } else return s;
    }
  };
  for (const seg of path) {
    schema = unwrap(schema);
    if (schema instanceof z.ZodObject) schema = schema.shape[seg];
    else if (schema instanceof z.ZodRecord) schema = schema._def.valueType;
    else if (schema instanceof z.ZodArray) schema = schema._def.type;
    else return [];
    value = (value as Record<string | number, unknown> | undefined)?.[seg];
    if (!schema) return [];
  }
  schema = unwrap(schema);
  return schema instanceof z.ZodObject ? Object.keys(schema.shape) : [];
}
