// Leaf utilities every box may use: IPv4 arithmetic and short stable hashes. No project types here.
import { hash } from 'node:crypto';

export { jsonPieces } from './json.js';
export { copyWith, flat, Memo } from './memo.js';

/** An IPv4 address as a number (NaN when a part is not a number). */
export function ipToInt(ip: string): number {
  let value = 0;
  let part = 0;
  let digits = 0;
  for (let i = 0; i < ip.length; i++) {
    const code = ip.charCodeAt(i);
    if (code === 46) {
      value = value * 256 + (digits ? part : 0);
      part = 0;
      digits = 0;
    } else if (code >= 48 && code <= 57 && digits < 3) {
      part = part * 10 + code - 48;
      digits++;
    } else return slowIpToInt(ip);
  }
  return value * 256 + (digits ? part : 0);
}
const slowIpToInt = (ip: string): number => ip.split('.').reduce((a, o) => a * 256 + Number(o), 0);
/** A number as an IPv4 address (its four bytes; outside 0 to 2^32 - 1, what the arithmetic gives). */
export const intToIp = (n: number): string =>
  n >= 0 && n < 2 ** 32
    ? `${n >>> 24}.${(n >>> 16) & 255}.${(n >>> 8) & 255}.${n & 255}`
    : [24, 16, 8, 0].map((s) => Math.floor(n / 2 ** s) % 256).join('.');

/** AWS's addresses for service-network VPC associations (129.224.0.0/17), routed in every associated VPC. */
export const ASSOCIATION_RANGE = '129.224.0.0/17';

/**
 * Hours a RAM invitation for a VPC Lattice resource configuration stays open; RAM drops it after (others get 7 days).
 * https://docs.aws.amazon.com/ram/latest/userguide/working-with-shared-invitations.html
 */
export const LATTICE_INVITATION_HOURS = 12;

/**
 * Suffixes reserved for private use (RFC 6761, 6762, 8375; ICANN's .internal): no public CA certifies names under them.
 */
const PRIVATE_SUFFIXES = [
  'internal',
  'local',
  'localhost',
  'lan',
  'home.arpa',
  'corp',
  'intranet',
  'private',
  'test',
  'example',
  'invalid',
];

/**
 * Whether a host name is a public domain name (what Step Functions needs for a private API): not an address, not
 * private.
 */
export const publicName = (host: string): boolean =>
  !/^[\d.]+$/.test(host) &&
  !host.includes(':') &&
  host.includes('.') &&
  !PRIVATE_SUFFIXES.some((x) => host === x || host.endsWith(`.${x}`));

/** The first and last address of a CIDR range, as integers (host bits of the given address ignored). */
export function cidrBounds(cidr: string): [number, number] {
  const [base, bits] = cidr.split('/');
  const size = 2 ** (32 - Number(bits));
  const lo = Math.floor(ipToInt(base!) / size) * size;
  return [lo, lo + size - 1];
}

/** An error's text; its name (or what it is) when it has none: never an empty line. */
export const errorText = (e: unknown): string =>
  (e as Error | undefined)?.message?.trim() || (e as Error | undefined)?.name || String(e);

/** A CIDR's base block and size, parsed once per distinct CIDR (check tests thousands of addresses against few). */
const blocks = new Map<string, { block: number; size: number }>();
function blockOf(cidr: string): { block: number; size: number } {
  let parsed = blocks.get(cidr);
  if (!parsed) {
    const [base, bits] = cidr.split('/');
    const size = 2 ** (32 - Number(bits));
    parsed = { block: Math.floor(ipToInt(base!) / size), size };
    if (blocks.size < 100_000) blocks.set(cidr, parsed);
  }
  return parsed;
}

export function inCidr(ip: string, cidr: string): boolean {
  const { block, size } = blockOf(cidr);
  return Math.floor(ipToInt(ip) / size) === block;
}

/**
 * Text in single quotes with backslash escapes (`\\` and `\'`): a libpq conninfo value and a MySQL string literal are
 * written alike.
 */
export const backslashQuoted = (text: string): string => `'${text.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`;

/** A short hex digest: the same input always gives the same string. */
export const hex = (seed: string, length: number): string => hash('sha256', seed, 'hex').slice(0, length);

/** The items of each iterable in turn, taken as they are read (nothing is gathered first). */
export function* chain<T>(...parts: Iterable<T>[]): Generator<T, void, undefined> {
  for (const part of parts) yield* part;
}

/** A list indexed by a key (the last of equal keys wins). */
export function by<T, K>(list: readonly T[], key: (x: T) => K): Map<K, T> {
  const out = new Map<K, T>();
  for (const x of list) out.set(key(x), x);
  return out;
}

/** A list grouped by a key, each group in list order (values mapped by `value`). */
export function group<T, K, V = T>(
  list: readonly T[],
  key: (x: T) => K,
  value = (x: T) => x as unknown as V,
): Map<K, V[]> {
  const out = new Map<K, V[]>();
  for (const x of list) {
    const k = key(x);
    const l = out.get(k);
    if (l) l.push(value(x));
    else out.set(k, [value(x)]);
  }
  return out;
}
