// Templates handed in without a CDK assembly: CloudFormation files (JSON, or YAML with every short form), each with
// its account and Region (`owner.yaml@111111111111/us-east-1`), or a stacks file that lists them with their deploy
// order, parameter values and which output feeds which parameter. Both become the stacks a cloud assembly becomes.
import { existsSync, readFileSync, statSync } from 'node:fs';
import { basename, dirname, extname, resolve } from 'node:path';
import { createRequire } from 'node:module';
import type * as Yaml from 'yaml';
import type { Document, Node } from 'yaml';
import { z } from 'zod';
import { LatticeShareError } from '../shared/errors.js';
import { REGIONS } from '../shared/regions.js';
import {
  AssemblyError,
  inputsOf,
  orderStacks,
  SNAPSHOT_KIND,
  stringValues,
  type AssemblyStack,
  type Template,
} from './stacks.js';

/** `FILE@ACCOUNT/REGION`: a template file with the account and Region it deploys to. */
export const TEMPLATE_SPEC = /^(.+)@(\d{12})\/([a-z0-9-]+)$/;
const EXAMPLE_SPEC = 'owner.yaml@111111111111/us-east-1';
/** CloudFormation takes template bodies of 1 MB from S3; a file much larger is no template (nor a stacks file). */
const MAX_INPUT_BYTES = 10 * 1024 * 1024;

/** CloudFormation's YAML short forms and the functions they stand for. */
const SHORT_FORMS: Readonly<Record<string, string>> = {
  '!Ref': 'Ref',
  '!Condition': 'Condition',
  '!GetAtt': 'Fn::GetAtt',
  '!Sub': 'Fn::Sub',
  '!Join': 'Fn::Join',
  '!Select': 'Fn::Select',
  '!Split': 'Fn::Split',
  '!If': 'Fn::If',
  '!Equals': 'Fn::Equals',
  '!Not': 'Fn::Not',
  '!And': 'Fn::And',
  '!Or': 'Fn::Or',
  '!FindInMap': 'Fn::FindInMap',
  '!GetAZs': 'Fn::GetAZs',
  '!ImportValue': 'Fn::ImportValue',
  '!GetStackOutput': 'Fn::GetStackOutput',
  '!Base64': 'Fn::Base64',
  '!Cidr': 'Fn::Cidr',
  '!Transform': 'Fn::Transform',
  '!Length': 'Fn::Length',
  '!ToJsonString': 'Fn::ToJsonString',
};

/**
 * The YAML parser, loaded the first time a file is YAML: a command given a cloud assembly (JSON only) does without it
 * (a thirtieth of a second of every run).
 */
let parser: typeof Yaml | undefined;
const yaml = (): typeof Yaml => (parser ??= createRequire(import.meta.url)('yaml') as typeof Yaml);

/** A YAML node as JSON-shaped data, short forms in long form (`!GetAtt A.B` → `{ Fn::GetAtt: [A, B] }`). */
function longForm(node: unknown): unknown {
  const { isMap, isScalar, isSeq } = yaml();
  let value: unknown;
  if (isMap(node))
    value = Object.fromEntries(
      node.items.map((pair) => [String(isScalar(pair.key) ? pair.key.value : pair.key), longForm(pair.value)]),
    );
  else if (isSeq(node)) value = node.items.map((item) => longForm(item));
  else if (isScalar(node)) value = node.value;
  else return null;
  const tag = (node as Node).tag;
  const fn = tag ? SHORT_FORMS[tag] : undefined;
  if (!fn) return value;
  if (fn === 'Fn::GetAtt' && typeof value === 'string') {
    const dot = value.indexOf('.');
    return { [fn]: dot > 0 ? [value.slice(0, dot), value.slice(dot + 1)] : [value] };
  }
  return { [fn]: value };
}

/** YAML 1.1 types CloudFormation does not take: these stay text, as in its templates. */
const UNSUPPORTED_TYPES = ['timestamp', 'binary', 'omap', 'pairs', 'set'].map((t) => `tag:yaml.org,2002:${t}`);

/**
 * A YAML document read as CloudFormation reads templates: YAML 1.1 (`yes` is true, `012345678901` is text), without
 * aliases or merge keys (CloudFormation refuses both); an AssemblyError with the file, line and column otherwise.
 */
export function readYaml(text: string, file: string): Document {
  const { isScalar, LineCounter, parseDocument, visit } = yaml();
  const lines = new LineCounter();
  const doc = parseDocument(text, {
    lineCounter: lines,
    uniqueKeys: true,
    version: '1.1',
    merge: false,
    customTags: (tags) => tags.filter((t) => typeof t === 'string' || !UNSUPPORTED_TYPES.includes(t.tag)),
  });
  const at = (offset: number) => {
    const { line, col } = lines.linePos(offset);
    return `${file}:${line}:${col}`;
  };
  const [error] = doc.errors;
  if (error) throw new AssemblyError(`${at(error.pos[0])}: ${error.message.split('\n')[0]}`);
  visit(doc, {
    Alias(_key, alias) {
      throw new AssemblyError(`${at(alias.range?.[0] ?? 0)}: an alias (*${alias.source}): CloudFormation takes none`);
    },
    Pair(_key, pair) {
      const key = isScalar(pair.key) ? pair.key : undefined;
      if (key && (typeof key.value === 'symbol' || (key.value === '<<' && !key.type?.startsWith('QUOTE'))))
        throw new AssemblyError(`${at(key.range?.[0] ?? 0)}: a merge key (<<): CloudFormation takes none`);
    },
  });
  return doc;
}

/** JSON as data; a parse error says where, never what the file holds (it may be anything the user pointed at). */
function readJson(text: string, file: string): unknown {
  try {
    return JSON.parse(text);
  } catch (e) {
    const position = /position (\d+)/.exec((e as Error).message)?.[1];
    const line = position === undefined ? '' : `:${text.slice(0, Number(position)).split('\n').length}`;
    throw new AssemblyError(`${file}${line}: not valid JSON`);
  }
}

/** A template's text, JSON or YAML, as data; an AssemblyError naming the file (and line) when it is neither. */
export function parseTemplate(text: string, file: string): Template {
  const body = text.replace(/^\uFEFF/, '');
  const data = body.trimStart().startsWith('{') ? readJson(body, file) : longForm(readYaml(body, file).contents);
  return checkShape(data, file);
}

const isRecord = (value: unknown): value is Record<string, unknown> =>
  value !== null && typeof value === 'object' && !Array.isArray(value);

/** The sections the model reads, each of the shape CloudFormation requires, so that a wrong one is one clear line. */
function checkShape(data: unknown, file: string): Template {
  if (!isRecord(data) || !isRecord(data.Resources))
    throw new AssemblyError(`${file}: not a CloudFormation template (it has no Resources)`);
  if (data.Transform !== undefined)
    throw new AssemblyError(
      `${file}: uses Transform ${JSON.stringify(data.Transform)}: give the processed template (the one CloudFormation shows after the transform, e.g. sam build's or the console's "View processed template")`,
    );
  checkResources(data.Resources, file);
  for (const section of ['Parameters', 'Outputs', 'Conditions', 'Mappings', 'Metadata']) {
    const value = data[section];
    if (value !== undefined && !isRecord(value)) throw new AssemblyError(`${file}: ${section} must be a mapping`);
  }
  for (const section of ['Parameters', 'Outputs'])
    for (const [name, entry] of Object.entries((data[section] as Record<string, unknown> | undefined) ?? {}))
      if (!isRecord(entry)) throw new AssemblyError(`${file}: ${section}.${name} must be a mapping`);
  return data as Template;
}

function checkResources(resources: Record<string, unknown>, file: string): void {
  for (const [id, resource] of Object.entries(resources)) {
    if (id.startsWith('Fn::'))
      throw new AssemblyError(`${file}: Resources.${id}: a language extension; give the processed template`);
    if (!isRecord(resource) || typeof resource.Type !== 'string')
      throw new AssemblyError(`${file}: Resources.${id}: a resource needs a Type`);
  }
}

/**
 * The text of a file given on the command line (a template or a stacks file), refusing before reading what cannot be
 * one: missing, a folder, too large. A byte-order mark is dropped.
 */
function readInput(file: string, what: string): string {
  const unreadable = (why: string) => new LatticeShareError('LS_INPUT_UNREADABLE', `${file}: ${why}`);
  if (!existsSync(file)) throw unreadable('no such file');
  const stat = statSync(file);
  if (!stat.isFile()) throw unreadable(`a folder, not a ${what}`);
  if (stat.size > MAX_INPUT_BYTES) throw unreadable(`${stat.size} bytes is too large for a ${what}`);
  return readFileSync(file, 'utf8').replace(/^\uFEFF/, '');
}

const readTemplate = (file: string): Template => parseTemplate(readInput(file, 'template'), file);

function checkRegion(region: string, where: string): void {
  if (!REGIONS[region])
    throw new AssemblyError(`${where}: "${region}" is not an AWS Region lattice-share knows (e.g. us-east-1)`);
}

/**
 * A stack's name from its file: the file name without its extension (and without `.template`, as a cloud assembly
 * names `<stack>.template.json`), in CloudFormation's alphabet.
 */
const stackNameOf = (file: string) =>
  basename(file, extname(file))
    .replace(/\.template$/, '')
    .replace(/[^A-Za-z0-9-]/g, '-')
    .replace(/^[^A-Za-z]+/, '') || 'Stack';

/**
 * Template files, each as `FILE@ACCOUNT/REGION`, in the order given (their deploy order, unless a template's
 * lattice-share:inputs metadata says otherwise). Each stack is named after its file.
 */
export function readTemplateFiles(specs: readonly string[]): AssemblyStack[] {
  const stacks = specs.map((spec): AssemblyStack => {
    const match = TEMPLATE_SPEC.exec(spec);
    if (!match)
      throw new AssemblyError(
        `"${spec}" is not a template with its account and Region: write FILE@ACCOUNT/REGION, as ${EXAMPLE_SPEC}`,
      );
    const [, file, account, region] = match as unknown as [string, string, string, string];
    checkRegion(region, spec);
    const template = readTemplate(file);
    const inputs = inputsOf(template);
    return { name: stackNameOf(file), account, region, dependsOn: [], templateFile: file, inputs, template };
  });
  const seen = new Set<string>();
  for (const stack of stacks) {
    if (seen.has(stack.name))
      throw new AssemblyError(
        `two templates make stack ${stack.name}: rename a file, or name the stacks in a stacks file (see the README)`,
      );
    seen.add(stack.name);
  }
  return orderStacks(stacks);
}

const STACK_NAME = /^[A-Za-z][A-Za-z0-9-]{0,127}$/;
const STACKS_FILE = z
  .object({
    version: z.literal(1).optional(),
    stacks: z
      .array(
        z
          .object({
            name: z
              .string()
              .regex(STACK_NAME, 'a stack name: a letter, then letters, digits and hyphens (128 at most)'),
            template: z.string().min(1),
            account: z.string().regex(/^\d{12}$/, 'an account ID: 12 digits, quoted'),
            region: z.string(),
            dependsOn: z.array(z.string()).optional(),
            parameters: z.record(z.union([z.string(), z.number(), z.boolean()])).optional(),
            inputs: z.record(z.object({ stack: z.string(), output: z.string() }).strict()).optional(),
          })
          .strict(),
      )
      .min(1),
  })
  .strict();
type StacksFile = z.infer<typeof STACKS_FILE>;

/** The data of a stacks file (YAML or JSON), or an AssemblyError naming the file. */
/** A YAML or JSON file given on the command line, as data: a stacks file, a facts file. */
export function readData(file: string, what = 'stacks file'): unknown {
  const text = readInput(file, what);
  return text.trimStart().startsWith('{') ? readJson(text, file) : readYaml(text, file).toJS();
}

/** Every stack a stacks file names must exist; what a stack depends on or takes outputs from must be another. */
function checkReferences(file: string, stacks: StacksFile['stacks']): void {
  const names = new Set<string>();
  stacks.forEach((stack, i) => {
    if (names.has(stack.name)) throw new AssemblyError(`${file}: stacks[${i}].name: ${stack.name} is named twice`);
    names.add(stack.name);
    checkRegion(stack.region, `${file}: stacks[${i}].region`);
  });
  stacks.forEach((stack, i) => {
    const refs = [
      ...(stack.dependsOn ?? []).map((name) => ({ name, at: 'dependsOn' })),
      ...Object.entries(stack.inputs ?? {}).map(([param, input]) => ({
        name: input.stack,
        at: `inputs.${param}.stack`,
      })),
    ];
    for (const ref of refs)
      if (!names.has(ref.name) || ref.name === stack.name)
        throw new AssemblyError(
          `${file}: stacks[${i}].${ref.at}: "${ref.name}" is not another stack of this file (${[...names].join(', ')})`,
        );
  });
}

/**
 * A stacks file: YAML or JSON with `stacks:`, each with `name`, `template` (relative to the file), `account`, `region`
 * and, optionally, `dependsOn`, `parameters` (values) and `inputs` (parameter: { stack, output }).
 */
export function readStacksFile(file: string): AssemblyStack[] {
  const parsed = STACKS_FILE.safeParse(readData(file));
  if (!parsed.success) {
    const [issue] = parsed.error.issues;
    throw new AssemblyError(
      `${file}: ${issue?.path.join('.') || 'the file'}: ${issue?.message ?? 'not a stacks file'}`,
    );
  }
  checkReferences(file, parsed.data.stacks);
  return orderStacks(
    parsed.data.stacks.map((stack): AssemblyStack => {
      const templateFile = resolve(dirname(file), stack.template);
      const template = readTemplate(templateFile);
      return {
        name: stack.name,
        account: stack.account,
        region: stack.region,
        dependsOn: stack.dependsOn ?? [],
        templateFile,
        inputs: { ...inputsOf(template), ...stack.inputs },
        parameters: stringValues(stack.parameters ?? {}),
        template,
      };
    }),
  );
}

/** What a file given on the command line is: a template, a stacks file, or something else (a config, maybe). */
export function whatFileIs(file: string): 'template' | 'stacks' | 'snapshot' | 'other' {
  if (!['.yaml', '.yml', '.json', '.template'].includes(extname(file).toLowerCase())) return 'other';
  let data: unknown;
  try {
    const text = readInput(file, 'file');
    // Leniently: what is wrong with the file is for its own reader to say.
    data = text.trimStart().startsWith('{') ? JSON.parse(text) : yaml().parseDocument(text, { version: '1.1' }).toJS();
  } catch {
    return 'other';
  }
  if (!data || typeof data !== 'object') return 'other';
  if ('Resources' in data || 'AWSTemplateFormatVersion' in data) return 'template';
  if ((data as { kind?: unknown }).kind === SNAPSHOT_KIND) return 'snapshot';
  if ('stacks' in data && !('accounts' in data)) return 'stacks';
  return 'other';
}
