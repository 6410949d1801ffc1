// The names the twin's resolvers answer, and their replies. A VPC's zone is what the Amazon-provided resolver answers
// there: public names (RDS cluster names, records of public zones, resource endpoints' names) overridden by its
// private ones (records of private zones associated with it, private DNS, a VPC association's names). The public
// zone alone is what a resource gateway with ResourceConfigDnsResolution PUBLIC uses. CNAME records stay names: a
// lookup follows them, up to MAX_CNAMES; a longer chain or a loop does not resolve. Pure: the plan and the dns agent
// use it.
import { dnsKey, MAX_CNAMES, unknownIn } from '../model/queries.js';
import type { DnsRecord, InfraModel } from '../model/index.js';

export interface Zone {
  /** A records: lower-case name → addresses. */
  readonly records: Record<string, string[]>;
  /** CNAME records: lower-case name → the lower-case name it points to. */
  readonly aliases: Record<string, string>;
}

const key = dnsKey;

/** The zone of a VPC's resolver, or of public DNS when `vpcId` is undefined; a later name replaces an earlier one. */
export function zoneOf(m: InfraModel, vpcId: string | undefined): Zone {
  const records: Record<string, string[]> = {};
  const aliases: Record<string, string> = {};
  const set = (name: string, value: string[] | string) => {
    const k = key(name);
    if (typeof value === 'string') {
      aliases[k] = key(value);
      delete records[k];
    } else {
      records[k] = value;
      delete aliases[k];
    }
  };
  const ipOf = (eniId: string) => m.enis.find((e) => e.id === eniId)?.ip;
  for (const d of m.databases) {
    const ips = d.eniIds.map(ipOf).filter((x): x is string => !!x);
    const [first] = ips;
    if (first === undefined) continue;
    set(d.writerName, [first]);
    set(d.readerName, ips.length > 1 ? ips.slice(1) : [first]);
  }
  // Addresses known only at deploy are left out: the twin answers with what the templates say.
  const known = (x: DnsRecord) => x.cname ?? x.addresses.filter((a) => !unknownIn(a));
  for (const x of m.records) if (!x.vpcIds) set(x.name, known(x));
  // An endpoint's own names are public; a VPC association's resolve only in its VPC (its addresses are per VPC).
  for (const e of m.endpoints.filter((x) => x.type !== 'VpcAssociation'))
    for (const a of e.associations) set(a.dnsName, a.ips);
  if (vpcId === undefined) return { records, aliases };
  for (const x of m.records) if (x.vpcIds?.includes(vpcId)) set(x.name, known(x));
  for (const e of m.endpoints.filter((x) => x.vpcId === vpcId)) {
    for (const a of e.associations) {
      if (e.type === 'VpcAssociation') set(a.dnsName, a.ips);
      if (a.privateDnsName) set(a.privateDnsName, a.ips);
    }
  }
  return { records, aliases };
}

/**
 * A name looked up in a zone: the names met (the name, then each CNAME's target) and the addresses of the last, if it
 * has any; undefined for a chain that loops or is longer than MAX_CNAMES.
 */
export function follow(zone: Zone, name: string): { names: string[]; addresses?: string[] } | undefined {
  const names = [key(name)];
  for (let n = key(name); ;) {
    if (Object.hasOwn(zone.records, n)) return { names, addresses: zone.records[n] };
    const next = Object.hasOwn(zone.aliases, n) ? zone.aliases[n] : undefined;
    if (next === undefined) return { names };
    if (names.includes(next) || names.length > MAX_CNAMES) return undefined;
    names.push(next);
    n = next;
  }
}

/** A name in DNS wire format, uncompressed. */
function wireName(name: string): Buffer {
  const labels = name.split('.').filter(Boolean);
  return Buffer.concat([
    ...labels.map((l) => Buffer.concat([Buffer.from([l.length]), Buffer.from(l, 'latin1')])),
    Buffer.from([0]),
  ]);
}

/** A resource record of class IN with a TTL of 60 s. */
function resourceRecord(owner: Buffer, type: number, data: Buffer): Buffer {
  const fixed = Buffer.alloc(10);
  fixed.writeUInt16BE(type, 0);
  fixed.writeUInt16BE(1, 2);
  fixed.writeUInt32BE(60, 4);
  fixed.writeUInt16BE(data.length, 8);
  return Buffer.concat([owner, fixed, data]);
}

/**
 * The reply to a DNS query, as a recursive resolver gives it: each CNAME of the chain, then (for type A) the last
 * name's addresses. NXDOMAIN when the name, or the end of its chain, has no record; SERVFAIL for a chain that loops
 * or is too long. Undefined for a packet that is not a query.
 */
export function dnsReply(q: Buffer, zone: Zone): Buffer | undefined {
  if (q.length < 12) return undefined;
  let i = 12;
  const labels: string[] = [];
  while (i < q.length && q[i] !== 0) {
    const length = q[i] ?? 0;
    labels.push(q.subarray(i + 1, i + 1 + length).toString('latin1'));
    i += length + 1;
  }
  if (i + 5 > q.length) return undefined;
  const qtype = q.readUInt16BE(i + 1);
  const question = q.subarray(12, i + 5);
  const found = follow(zone, labels.join('.'));
  const rcode = !found ? 2 : found.addresses ? 0 : 3;
  const names = found?.names ?? [];
  // The first owner is the question's name (a pointer to offset 12), the others are written out.
  const owner = (k: number) => (k === 0 ? Buffer.from([0xc0, 0x0c]) : wireName(names[k] ?? ''));
  const answers = names.slice(1).map((target, k) => resourceRecord(owner(k), 5, wireName(target)));
  if (qtype === 1)
    for (const ip of found?.addresses ?? [])
      answers.push(resourceRecord(owner(names.length - 1), 1, Buffer.from(ip.split('.').map(Number))));
  const header = Buffer.alloc(12);
  header.writeUInt16BE(q.readUInt16BE(0), 0);
  // response, RA (+RD), and the code
  header.writeUInt16BE(0x8180 | (q.readUInt16BE(2) & 0x0100) | rcode, 2);
  header.writeUInt16BE(1, 4);
  header.writeUInt16BE(answers.length, 6);
  return Buffer.concat([header, question, ...answers]);
}
