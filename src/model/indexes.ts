// Indexes over the model's lists while it is built: providers look elements up by ID, ARN or name hundreds of
// thousands of times in a large estate, so each lookup is a Map read, never a scan.

/** What an index holds for a key: the one element with it, or the elements with it in list order. */
type Indexed<T> = T | T[];

/** One index: the elements of its list up to `seen`, by key. */
interface Index {
  seen: number;
  readonly map: Map<string, Indexed<object>>;
}

/**
 * Indexes kept per list and key name. Lists only grow, so an index takes in the elements added since it was last
 * read: models of thousands of stacks load in linear time. A key held by one element maps to that element, by more to
 * a list of them (model elements are objects, never lists): no list is made per element.
 */
export class ListIndexes {
  private readonly byList = new Map<unknown[], Map<string, Index>>();

  /** The first element of `list` whose key is `value`. */
  first<T extends object>(list: T[], name: string, key: (x: T) => string | undefined, value: string): T | undefined {
    const found = this.indexOf(list, name, key).get(value) as Indexed<T> | undefined;
    return Array.isArray(found) ? found[0] : found;
  }

  /** Every element of `list` whose key is `value`, in list order. */
  all<T extends object>(list: T[], name: string, key: (x: T) => string | undefined, value: string): readonly T[] {
    const found = this.indexOf(list, name, key).get(value) as Indexed<T> | undefined;
    return found === undefined ? [] : Array.isArray(found) ? found : [found];
  }

  private indexOf<T extends object>(list: T[], name: string, key: (x: T) => string | undefined) {
    let byName = this.byList.get(list);
    if (!byName) this.byList.set(list, (byName = new Map()));
    let ix = byName.get(name);
    if (!ix) byName.set(name, (ix = { seen: 0, map: new Map() }));
    for (; ix.seen < list.length; ix.seen++) {
      const element = list[ix.seen] as T;
      const k = key(element);
      if (k === undefined) continue;
      const same = ix.map.get(k);
      if (same === undefined) ix.map.set(k, element);
      else if (Array.isArray(same)) same.push(element);
      else ix.map.set(k, [same, element]);
    }
    return ix.map;
  }
}
