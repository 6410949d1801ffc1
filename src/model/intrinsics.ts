// CloudFormation intrinsic functions and pseudo parameters, resolved against one stack's context.
import { LatticeShareError } from '../shared/errors.js';
import { carve, parseBlock } from './cidr.js';
import { unknownIn, unknownValue } from './unknown.js';

/** Thrown for a template the model cannot read; names the stack, resource and place. */
export class LoadError extends LatticeShareError {
  constructor(message: string, options?: { cause?: unknown }) {
    super('LS_MODEL_INVALID', message, options);
  }
}

/** Marks a value removed by AWS::NoValue. */
export const NO_VALUE = Symbol('AWS::NoValue');

export interface StackScope {
  readonly stack: string;
  readonly account: string;
  readonly region: string;
  /** A parameter's value, or a resource's Ref. */
  ref(name: string): unknown;
  getAtt(logicalId: string, attribute: string): unknown;
  condition(name: string): boolean;
  importValue(name: string): unknown;
  /** Fn::GetStackOutput: an output of another stack, in `account` and `region`. */
  stackOutput(stack: string, output: string, account: string, region: string): unknown;
  mapping(map: string, top: string, second: string): unknown;
}

/** The pseudo parameters' values for a stack; `undefined` for a name that is not one. */
function pseudo(name: string, s: StackScope): { value: unknown } | undefined {
  switch (name) {
    case 'AWS::AccountId':
      return { value: s.account };
    case 'AWS::Region':
      return { value: s.region };
    case 'AWS::Partition':
      return { value: 'aws' };
    case 'AWS::URLSuffix':
      return { value: 'amazonaws.com' };
    case 'AWS::StackName':
      return { value: s.stack };
    case 'AWS::StackId':
      return {
        value: `arn:aws:cloudformation:${s.region}:${s.account}:stack/${s.stack}/00000000-0000-4000-8000-000000000000`,
      };
    case 'AWS::NotificationARNs':
      return { value: [] };
    case 'AWS::NoValue':
      return { value: NO_VALUE };
    default:
      return undefined;
  }
}

const isObject = (value: unknown): value is object => value !== null && typeof value === 'object';

/** The only key of an object that has exactly one, else undefined (without listing the entries). */
function onlyKey(value: object): string | undefined {
  let only: string | undefined;
  for (const key in value) {
    if (only !== undefined) return undefined;
    only = key;
  }
  return only;
}

/** Whether a key names an intrinsic function (or a condition). */
const namesIntrinsic = (key: string) => key === 'Ref' || key.startsWith('Fn::') || key === 'Condition';

/** Whether CloudFormation reads an object as an intrinsic function: its one key names one. */
export function isIntrinsic(value: object): boolean {
  const key = onlyKey(value);
  return key !== undefined && namesIntrinsic(key);
}

/**
 * A template value with its intrinsic functions resolved and AWS::NoValue removed. `where` names its place for
 * errors; the places of nested values are built only for values that are objects or lists. A list or object in which
 * nothing changes is returned as it is, not copied: a large estate's templates are mostly plain values, and nothing
 * writes to a resolved value.
 */
export function resolve(value: unknown, s: StackScope, where: string): unknown {
  if (!isObject(value)) return value;
  if (Array.isArray(value)) return resolveList(value, s, where);
  const record = value as Record<string, unknown>;
  let out: Record<string, unknown> | undefined;
  let first = true;
  for (const k in record) {
    // An intrinsic is an object whose one key names it: asked only of an object whose first key could.
    if (first && namesIntrinsic(k) && onlyKey(record) === k) return intrinsic(k, record[k], s, where);
    first = false;
    const item = record[k];
    const resolved = isObject(item) ? resolve(item, s, `${where}.${k}`) : item;
    if (!out && resolved !== item) out = entriesBefore(record, k);
    if (out && resolved !== NO_VALUE) out[k] = resolved;
  }
  return out ?? record;
}

function resolveList(list: unknown[], s: StackScope, where: string): unknown[] {
  let out: unknown[] | undefined;
  for (let i = 0; i < list.length; i++) {
    const item: unknown = list[i];
    const resolved = isObject(item) ? resolve(item, s, `${where}[${i}]`) : item;
    if (!out && resolved !== item) out = list.slice(0, i);
    if (out && resolved !== NO_VALUE) out.push(resolved);
  }
  return out ?? list;
}

/** A copy of an object's entries before `key` (in `for…in` order): where a resolved object starts to differ. */
export function entriesBefore(record: Record<string, unknown>, key: string): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const k in record) {
    if (k === key) break;
    out[k] = record[k];
  }
  return out;
}

const str = (v: unknown, where: string): string => {
  if (typeof v === 'string') return v;
  if (typeof v === 'number' || typeof v === 'boolean') return String(v);
  throw new LoadError(`${where}: expected a string, got ${JSON.stringify(v)}`);
};
const list = (v: unknown, where: string): unknown[] => {
  if (Array.isArray(v)) return v;
  throw new LoadError(`${where}: expected a list, got ${JSON.stringify(v)}`);
};

/** One call of an intrinsic function: its argument, the stack, its place, and how to resolve a value inside it. */
interface Call {
  readonly arg: unknown;
  readonly scope: StackScope;
  readonly where: string;
  resolve(value: unknown): unknown;
}

/** `${Name}` and `${Resource.Attribute}` in Fn::Sub text: bound variables, pseudo parameters, then the stack's. */
function substitute({ arg, scope, where, resolve: r }: Call): string {
  const [text, vars] = typeof arg === 'string' ? [arg, {}] : (list(arg, where) as [string, Record<string, unknown>]);
  const bound = r(vars ?? {}) as Record<string, unknown>;
  return str(text, where).replace(/\$\{([^}]+)\}/g, (_match, name: string) => {
    if (name.startsWith('!')) return `\${${name.slice(1)}}`;
    if (name in bound) return str(bound[name], where);
    const known = pseudo(name, scope);
    if (known) return str(known.value, where);
    const dot = name.indexOf('.');
    return str(dot > 0 ? scope.getAtt(name.slice(0, dot), name.slice(dot + 1)) : scope.ref(name), where);
  });
}

function select({ arg, where, resolve: r }: Call): unknown {
  const [index, items] = list(arg, where);
  const xs = list(r(items), where);
  const i = Number(r(index));
  if (!(i >= 0 && i < xs.length)) throw new LoadError(`${where}: Fn::Select index ${i} outside a list of ${xs.length}`);
  return xs[i];
}

/** A whole number written as a number or as text ("8"), as Fn::Cidr takes its count and bits; else undefined. */
const whole = (v: unknown): number | undefined =>
  (typeof v === 'number' || (typeof v === 'string' && /^\d+$/.test(v.trim()))) && Number.isInteger(Number(v))
    ? Number(v)
    : undefined;

/**
 * Fn::Cidr [ipBlock, count, cidrBits]: `count` (1 to 256) blocks with cidrBits host bits each (a /(32 - cidrBits) in
 * IPv4, /(128 - cidrBits) in IPv6), carved in order from the start of ipBlock.
 */
function cidr({ arg, where, resolve: r }: Call): string[] {
  const [ipBlock, count, cidrBits] = list(r(arg), where);
  const text = str(ipBlock, where);
  // A block known only at deploy: so are the blocks carved from it.
  const value = unknownIn(text);
  if (value) return Array.from({ length: Math.min(whole(count) ?? 1, 256) }, (_, i) => unknownValue(`${value}[${i}]`));
  const block = parseBlock(text);
  if (!block)
    throw new LoadError(`${where}: Fn::Cidr ipBlock ${JSON.stringify(text)} is not an IPv4 or IPv6 CIDR block`);
  const n = whole(count);
  if (n === undefined || n < 1 || n > 256)
    throw new LoadError(`${where}: Fn::Cidr count must be a whole number from 1 to 256, got ${JSON.stringify(count)}`);
  const free = block.width - block.prefix;
  const bits = whole(cidrBits);
  if (bits === undefined || bits > free)
    throw new LoadError(
      `${where}: Fn::Cidr cidrBits must be a whole number from 0 to ${free} for ${text} (a block no larger than it), got ${JSON.stringify(cidrBits)}`,
    );
  const room = 2 ** (free - bits);
  if (n > room)
    throw new LoadError(
      `${where}: Fn::Cidr cannot carve ${n} /${block.width - bits} blocks out of ${text}: it holds ${room}`,
    );
  return carve(block, n, bits);
}

/** The intrinsic functions the model resolves, by name; any other is a LoadError naming it. */
const INTRINSICS: Record<string, (call: Call) => unknown> = {
  Ref: ({ arg, scope, where }) => {
    const name = str(arg, where);
    const known = pseudo(name, scope);
    return known ? known.value : scope.ref(name);
  },
  'Fn::GetAtt': ({ arg, scope, where, resolve: r }) => {
    // "Resource.Attribute" (the attribute may have dots of its own), or [Resource, Attribute…].
    if (typeof arg === 'string') {
      const dot = arg.indexOf('.');
      return dot < 0 ? scope.getAtt(arg, '') : scope.getAtt(arg.slice(0, dot), arg.slice(dot + 1));
    }
    const parts = list(r(arg), where);
    if (parts.length === 2) return scope.getAtt(str(parts[0], where), str(parts[1], where));
    const [id, ...attr] = parts.map((x) => str(x, where));
    return scope.getAtt(id!, attr.join('.'));
  },
  'Fn::Join': ({ arg, where, resolve: r }) => {
    const [sep, parts] = list(arg, where);
    return list(r(parts), where)
      .map((p) => str(p, where))
      .join(str(r(sep), where));
  },
  'Fn::Sub': substitute,
  'Fn::Select': select,
  'Fn::Cidr': cidr,
  'Fn::Split': ({ arg, where, resolve: r }) => {
    const [sep, text] = list(arg, where);
    return str(r(text), where).split(str(sep, where));
  },
  'Fn::If': ({ arg, scope, where, resolve: r }) => {
    const [cond, yes, no] = list(arg, where);
    return scope.condition(str(cond, where)) ? r(yes) : r(no);
  },
  'Fn::Equals': ({ arg, where, resolve: r }) => {
    const [a, b] = list(r(arg), where);
    return JSON.stringify(a) === JSON.stringify(b);
  },
  'Fn::Not': ({ arg, scope, where }) => !truth(list(arg, where)[0], scope, where),
  'Fn::And': ({ arg, scope, where }) => list(arg, where).every((c) => truth(c, scope, where)),
  'Fn::Or': ({ arg, scope, where }) => list(arg, where).some((c) => truth(c, scope, where)),
  Condition: ({ arg, scope, where }) => scope.condition(str(arg, where)),
  'Fn::GetAZs': ({ arg, scope, where, resolve: r }) => {
    const region = str(r(arg), where) || scope.region;
    return ['a', 'b', 'c'].map((z) => `${region}${z}`);
  },
  'Fn::ImportValue': ({ arg, scope, where, resolve: r }) => scope.importValue(str(r(arg), where)),
  'Fn::GetStackOutput': ({ arg, scope, where, resolve: r }) => {
    const given = r(arg) as Record<string, unknown> | undefined;
    const text = (key: string) => (given?.[key] === undefined ? undefined : str(given[key], `${where}.${key}`));
    const [stack, output] = [text('StackName'), text('OutputName')];
    if (!stack || !output) throw new LoadError(`${where}: Fn::GetStackOutput needs StackName and OutputName`);
    // A role in another account reads that account's stack
    // (https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/intrinsic-function-reference-getstackoutput.html).
    const account = /^arn:aws[\w-]*:iam::(\d{12}):/.exec(text('RoleArn') ?? '')?.[1] ?? scope.account;
    return scope.stackOutput(stack, output, account, text('Region') ?? scope.region);
  },
  'Fn::Base64': ({ arg, where, resolve: r }) => Buffer.from(str(r(arg), where)).toString('base64'),
  'Fn::FindInMap': ({ arg, scope, where, resolve: r }) => {
    const [map, top, second] = list(r(arg), where).map((x) => str(x, where));
    return scope.mapping(map!, top!, second!);
  },
};

const HANDLERS = new Map(Object.entries(INTRINSICS));

function intrinsic(fn: string, arg: unknown, scope: StackScope, where: string): unknown {
  const handler = HANDLERS.get(fn);
  if (!handler) throw new LoadError(`${where}: ${fn} is not supported by the model`);
  return handler({ arg, scope, where, resolve: (value) => resolve(value, scope, `${where}/${fn}`) });
}

/** Evaluates a condition expression. */
export function truth(expr: unknown, s: StackScope, where: string): boolean {
  const v = resolve(expr, s, where);
  if (typeof v !== 'boolean')
    throw new LoadError(`${where}: a condition must be true or false, got ${JSON.stringify(v)}`);
  return v;
}
