// What hot paths keep (a check of tens of thousands of paths): values worked out once per combination of keys, kept in
// one Map per key rather than under a key string built for each lookup (they ask with strings and objects they already
// hold, so no string is joined, flattened or hashed anew), text kept flat, and copies on shared hidden classes.

/** Values by a tuple of keys (strings, numbers, objects), made on first demand. */
export class Memo<K extends readonly unknown[], V> {
  private readonly root = new Map<unknown, unknown>();

  /** The value for `keys`, made (and kept) by `make` the first time they are asked for. */
  get(keys: K, make: () => V): V {
    let map = this.root;
    const last = keys.length - 1;
    for (let i = 0; i < last; i++) {
      let next = map.get(keys[i]) as Map<unknown, unknown> | undefined;
      if (!next) map.set(keys[i], (next = new Map()));
      map = next;
    }
    const made = map.get(keys[last]);
    if (made !== undefined || map.has(keys[last])) return made as V;
    const value = make();
    map.set(keys[last], value);
    return value;
  }
}

/** Folded into by `flat` so that no compiler drops the conversion that flattens; its value means nothing. */
const flattened = { value: 0 };

/**
 * The same text, stored flat. V8 keeps text joined from parts (a template literal, `+`) as a tree of those parts until
 * something reads it whole, and converting text to a number reads it whole and keeps it flat: text kept by the hundred
 * thousand (a large check's hop details, a model's IDs) then takes half the memory the garbage collector copies, and
 * is not walked part by part on every later read. (Measured: 400,000 hop-like details, 139 MB as trees, 66 MB flat.)
 */
export function flat(text: string): string {
  flattened.value ^= Number(text);
  return text;
}

/**
 * A copy of `base` with `fields` added (or replacing its own): what `{ ...base, ...fields }` makes, on a hidden class
 * V8 shares. V8 gives an object that a spread begins and that then gains a property a hidden class of its own, one per
 * object: a large model's tens of thousands of such objects then each cost a class, and every read of them is slow.
 */
export function copyWith<T extends object, U extends object>(base: T, fields: U): Omit<T, keyof U> & U {
  return Object.assign({}, base, fields);
}
