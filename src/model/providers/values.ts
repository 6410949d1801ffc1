// Reading resolved property values with clear errors.
import { LoadError } from '../intrinsics.js';

export const text = (v: unknown, where: string): string => {
  if (typeof v === 'string') return v;
  if (typeof v === 'number') return String(v);
  throw new LoadError(`${where}: expected a string, got ${JSON.stringify(v)}`);
};
export const optText = (v: unknown, where: string): string | undefined =>
  v === undefined ? undefined : text(v, where);
export const texts = (v: unknown, where: string): string[] => {
  if (v === undefined) return [];
  if (!Array.isArray(v)) throw new LoadError(`${where}: expected a list, got ${JSON.stringify(v)}`);
  // The place of an element is put into words only for one that is not text.
  return v.map((x, i) => (typeof x === 'string' ? x : text(x, `${where}[${i}]`)));
};
export const bool = (v: unknown, fallback: boolean): boolean =>
  v === undefined ? fallback : v === true || v === 'true';
export const num = (v: unknown, where: string): number => {
  const n = Number(v);
  if (v === undefined || v === '' || Number.isNaN(n))
    throw new LoadError(`${where}: expected a number, got ${JSON.stringify(v)}`);
  return n;
};
/** The value of a CloudFormation tag list entry. */
export const tag = (tags: unknown, key: string): string | undefined =>
  Array.isArray(tags)
    ? (tags.find((t) => (t as { Key?: string }).Key === key) as { Value?: string } | undefined)?.Value
    : undefined;

/**
 * A resource's resolved properties, each read with its type and its template location: `p.text('VpcId')` fails with
 * "Stack/Logical.VpcId: expected a string, got …" without the caller writing the place.
 */
export class Props {
  constructor(
    /** A property's value by name, intrinsics resolved (a resource's are resolved as they are read). */
    private readonly valueOf: (name: string) => unknown,
    /** `stack/logicalId`, and the path to a nested object (`….DnsOptions`). */
    readonly where: string,
  ) {}

  /** Properties already resolved, as an object has them. */
  static of(values: Readonly<Record<string, unknown>>, where: string): Props {
    return new Props((name) => values[name], where);
  }

  /** The value as the template has it (intrinsics resolved), for a property with no fixed type. */
  raw(name: string): unknown {
    return this.valueOf(name);
  }
  // Text is read often (thousands of stacks): the place is put into words only when the value is not text.
  text(name: string): string {
    const value = this.valueOf(name);
    return typeof value === 'string' ? value : text(value, `${this.where}.${name}`);
  }
  optText(name: string): string | undefined {
    const value = this.valueOf(name);
    return value === undefined || typeof value === 'string' ? value : text(value, `${this.where}.${name}`);
  }
  texts(name: string): string[] {
    return texts(this.valueOf(name), `${this.where}.${name}`);
  }
  num(name: string): number {
    return num(this.valueOf(name), `${this.where}.${name}`);
  }
  bool(name: string, fallback: boolean): boolean {
    return bool(this.valueOf(name), fallback);
  }
  /** The value of one tag of the resource's Tags. */
  tag(key: string): string | undefined {
    return tag(this.valueOf('Tags'), key);
  }
  /** A nested object (absent: empty), read the same way. */
  child(name: string): Props {
    const value = this.valueOf(name);
    return Props.of(
      value !== null && typeof value === 'object' ? (value as Record<string, unknown>) : {},
      `${this.where}.${name}`,
    );
  }
}
