// JSON as `JSON.stringify(value, null, 2)` writes it, made a piece at a time: a large check's answer is hundreds of
// megabytes of JSON, and one string of it (then one buffer of its UTF-8) took gigabytes and seconds of page faults.

/**
 * A value that `JSON.stringify` writes through its own `toJSON` (a Date; any object, function or BigInt may have one):
 * written whole, as it would be.
 */
const hasToJSON = (value: unknown): boolean =>
  ((typeof value === 'object' && value !== null) || typeof value === 'function' || typeof value === 'bigint') &&
  typeof (value as { toJSON?: unknown }).toJSON === 'function';

/** An array, or an object made by `{}` (not a boxed string, a Map, a class's instance): what is cut into pieces. */
const plain = (value: object): boolean =>
  Array.isArray(value) || Object.getPrototypeOf(value) === Object.prototype || Object.getPrototypeOf(value) === null;

/** What `JSON.stringify` leaves out of an object (and writes as null in an array). */
const omitted = (value: unknown): boolean =>
  value === undefined || typeof value === 'function' || typeof value === 'symbol';

/**
 * `value`'s text where it stands one or two levels deep, as `JSON.stringify(…, null, 2)` indents it there: written
 * inside one or two arrays by JSON.stringify itself and cut out of them (`[\n  ` and `\n]`; `[\n  [\n    ` and
 * `\n  ]\n]`), so every rule of JSON.stringify below that level is its own.
 */
function nested(value: unknown, depth: 1 | 2): string {
  return depth === 1 ? JSON.stringify([value], null, 2).slice(4, -2) : JSON.stringify([[value]], null, 2).slice(10, -6);
}

/** An array's elements `depth` levels deep, a piece each, with the brackets and separators between them. */
function* elements(list: readonly unknown[], depth: 1 | 2): Generator<string> {
  if (list.length === 0) {
    yield '[]';
    return;
  }
  const indent = '  '.repeat(depth);
  for (let i = 0; i < list.length; i++) yield `${i === 0 ? '[' : ','}\n${indent}${nested(list[i], depth)}`;
  yield `\n${'  '.repeat(depth - 1)}]`;
}

/** Whether the value can be written in pieces: a plain object or array, and no `toJSON` where the pieces are cut. */
function streamable(value: unknown): value is object {
  if (value === null || typeof value !== 'object' || !plain(value) || hasToJSON(value)) return false;
  const children = Array.isArray(value) ? value : Object.values(value);
  return !children.some(hasToJSON);
}

/**
 * The text of `JSON.stringify(value, null, 2)`, in pieces that join to exactly it: the top level's properties (or
 * elements) one by one, and an array among them element by element. Anything else is one piece.
 */
export function* jsonPieces(value: unknown): Generator<string> {
  if (!streamable(value)) {
    yield JSON.stringify(value, null, 2);
    return;
  }
  if (Array.isArray(value)) {
    yield* elements(value, 1);
    return;
  }
  const entries = Object.entries(value).filter(([, child]) => !omitted(child));
  if (entries.length === 0) {
    yield '{}';
    return;
  }
  for (const [index, [key, child]] of entries.entries()) {
    yield `${index === 0 ? '{' : ','}\n  ${JSON.stringify(key)}: `;
    if (Array.isArray(child) && !child.some(hasToJSON)) yield* elements(child, 2);
    else yield nested(child, 1);
  }
  yield '\n}';
}
