// Entry point of the config box: lattice-share.yaml → Topology, or a ConfigError with file:line:column.
import { readFileSync } from 'node:fs';
import { LineCounter, parseDocument } from 'yaml';
import { z } from 'zod';
import { ConfigError, type Diagnostic, type Problem } from './errors.js';
import { closest, locate } from './locate.js';
import { resolve } from './resolve.js';
import { configSchema } from './schema.js';
import type { Topology } from './topology.js';

export * from './topology.js';
export { ConfigError, formatDiagnostic, type Diagnostic } from './errors.js';

export function loadConfig(file: string): Topology {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (e) {
    const why = (e as NodeJS.ErrnoException).code === 'ENOENT' ? 'file not found' : (e as Error).message;
    throw new ConfigError([{ file, line: 1, column: 1, path: [], message: `cannot read config: ${why}`, fix: 'pass the path of a lattice-share.yaml' }]);
  }
  return parseConfig(text, file);
}

export function parseConfig(text: string, file = 'lattice-share.yaml'): Topology {
  const lines = new LineCounter();
  const doc = parseDocument(text, { lineCounter: lines, uniqueKeys: true, prettyErrors: false });
  if (doc.errors.length) {
    throw new ConfigError(doc.errors.map((e) => {
      const pos = lines.linePos(e.pos[0]);
      return { file, line: pos.line, column: pos.col, path: [], message: `YAML syntax: ${e.message.split('\n')[0]}`, fix: 'correct the YAML syntax' };
    }));
  }
  const data: unknown = doc.toJS({ maxAliasCount: 100 });
  const parsed = configSchema.safeParse(data ?? {});
  if (!parsed.success) {
    const problems = parsed.error.issues.flatMap((i) => toProblems(i, data));
    throw new ConfigError(byPosition(problems.map((p) => locate(doc, lines, file, p))));
  }
  const { topology, problems } = resolve(parsed.data, file);
  if (!topology) throw new ConfigError(byPosition(problems.map((p) => locate(doc, lines, file, p))));
  return topology;
}

const byPosition = (ds: Diagnostic[]): Diagnostic[] => [...ds].sort((a, b) => a.line - b.line || a.column - b.column);

function toProblems(issue: z.ZodIssue, data: unknown): Problem[] {
  const path = issue.path;
  if (issue.code === 'unrecognized_keys') {
    const allowed = allowedKeys(path, data);
    return issue.keys.map((k) => {
      const near = closest(k, allowed);
      return { path: [...path, k], at: 'key' as const, message: `unknown key "${k}"`, fix: near ? `did you mean "${near}"?` : `allowed keys here: ${allowed.join(', ')}` };
    });
  }
  if (issue.code === 'invalid_type' && issue.received === 'undefined') {
    const key = path[path.length - 1];
    return [{ path: path.slice(0, -1), at: 'key', message: `missing required key "${key}"`, fix: `add ${key}: …` }];
  }
  if (issue.code === 'invalid_type') {
    const hint = issue.message.startsWith('Expected') ? `write a ${issue.expected} here` : issue.message;
    return [{ path, message: `expected ${issue.expected}, got ${issue.received}`, fix: hint }];
  }
  if (issue.code === 'invalid_enum_value') {
    return [{ path, message: `"${String(issue.received)}" is not allowed`, fix: `use one of: ${issue.options.join(', ')}` }];
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
