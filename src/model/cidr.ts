// CIDR blocks of IPv4 and IPv6 as Fn::Cidr reads and writes them: addresses as bigints, IPv6 written as RFC 5952
// gives it (lower case, leading zeros dropped, the longest run of two or more zero groups as ::).

export interface Block {
  /** The block's first address (host bits of the given address cleared). */
  readonly base: bigint;
  readonly prefix: number;
  readonly width: 32 | 128;
}

function parseIpv4(text: string): bigint | undefined {
  if (!/^\d{1,3}(\.\d{1,3}){3}$/.test(text)) return undefined;
  const octets = text.split('.').map(Number);
  if (octets.some((o) => o > 255)) return undefined;
  return octets.reduce((a, o) => (a << 8n) | BigInt(o), 0n);
}

function parseIpv6(text: string): bigint | undefined {
  const halves = text.split('::');
  if (halves.length > 2) return undefined;
  const groups = (s: string | undefined) => (s ? s.split(':') : []);
  const [head, tail] = [groups(halves[0]), groups(halves[1])];
  const missing = 8 - head.length - tail.length;
  if (halves.length === 1 ? missing !== 0 : missing < 1) return undefined;
  const all = [...head, ...new Array<string>(halves.length === 2 ? missing : 0).fill('0'), ...tail];
  if (!all.every((g) => /^[0-9a-f]{1,4}$/i.test(g))) return undefined;
  return all.reduce((a, g) => (a << 16n) | BigInt(parseInt(g, 16)), 0n);
}

/** An IPv4 or IPv6 CIDR block ("10.0.0.0/16", "2600:1f18::/56"); undefined when the text is not one. */
export function parseBlock(text: string): Block | undefined {
  const [address, prefixText, extra] = text.split('/');
  if (extra !== undefined || !address || !/^\d{1,3}$/.test(prefixText ?? '')) return undefined;
  const v4 = parseIpv4(address);
  const value = v4 ?? (address.includes(':') ? parseIpv6(address) : undefined);
  const width = v4 === undefined ? 128 : 32;
  const prefix = Number(prefixText);
  if (value === undefined || prefix > width) return undefined;
  const host = BigInt(width - prefix);
  return { base: (value >> host) << host, prefix, width };
}

/** An address in its usual text: dotted quad, or RFC 5952's IPv6. */
export function formatAddress(value: bigint, width: 32 | 128): string {
  if (width === 32) return [24n, 16n, 8n, 0n].map((s) => String((value >> s) & 255n)).join('.');
  const groups = Array.from({ length: 8 }, (_, i) => Number((value >> BigInt(112 - 16 * i)) & 0xffffn));
  let best = { at: -1, length: 1 };
  for (let i = 0; i < 8; i++) {
    let j = i;
    while (j < 8 && groups[j] === 0) j++;
    if (j - i > best.length) best = { at: i, length: j - i };
    i = Math.max(i, j);
  }
  const hex = groups.map((g) => g.toString(16));
  if (best.at < 0) return hex.join(':');
  return `${hex.slice(0, best.at).join(':')}::${hex.slice(best.at + best.length).join(':')}`;
}

/** `count` blocks of `2^hostBits` addresses each, in order from the start of `block`. */
export function carve(block: Block, count: number, hostBits: number): string[] {
  const size = 1n << BigInt(hostBits);
  return Array.from(
    { length: count },
    (_, i) => `${formatAddress(block.base + BigInt(i) * size, block.width)}/${block.width - hostBits}`,
  );
}
