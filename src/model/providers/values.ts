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
  return v.map((x, i) => text(x, `${where}[${i}]`));
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
