// The names the twin's resolvers answer (resolver.ts writes the replies). A VPC's zone is what the Amazon-provided
// resolver answers there: public names (RDS cluster names, records of public zones, resource endpoints' names)
// overridden by its private ones (records of private zones associated with it, private DNS, a VPC association's
// names). The public zone alone is what a resource gateway with ResourceConfigDnsResolution PUBLIC uses. CNAME records
// stay names: a lookup follows them, up to MAX_CNAMES; a longer chain or a loop does not resolve. Pure: the plan, the
// gateway's resolution and the dns agent use it.
import { dnsKey, MAX_CNAMES, unknownIn } from '../model/queries.js';
import type { DnsRecord, InfraModel } from '../model/index.js';

export interface Zone {
  /** A records: lower-case name → addresses. */
  readonly records: Record<string, string[]>;
  /** CNAME records: lower-case name → the lower-case name it points to. */
  readonly aliases: Record<string, string>;
  /** The TTL of a name's records in seconds, where it is known (resolver.ts answers 60 s for the others). */
  readonly ttls?: Record<string, number>;
}

/** Aurora's DNS zones answer with a 5-second TTL (docs: README, "The twin", DNS). */
export const AURORA_TTL = 5;

const key = dnsKey;

/** The zone of a VPC's resolver, or of public DNS when `vpcId` is undefined; a later name replaces an earlier one. */
export function zoneOf(m: InfraModel, vpcId: string | undefined): Zone {
  const records: Record<string, string[]> = {};
  const aliases: Record<string, string> = {};
  const ttls: Record<string, number> = {};
  const set = (name: string, value: string[] | string, ttl?: number) => {
    const k = key(name);
    if (ttl === undefined) delete ttls[k];
    else ttls[k] = ttl;
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
    set(d.writerName, [first], AURORA_TTL);
    set(d.readerName, ips.length > 1 ? ips.slice(1) : [first], AURORA_TTL);
  }
  // Addresses known only at deploy are left out: the twin answers with what the templates say.
  const known = (x: DnsRecord) => x.cname ?? x.addresses.filter((a) => !unknownIn(a));
  for (const x of m.records) if (!x.vpcIds) set(x.name, known(x), x.ttl);
  // An endpoint's own names are public; a VPC association's resolve only in its VPC (its addresses are per VPC).
  for (const e of m.endpoints.filter((x) => x.type !== 'VpcAssociation'))
    for (const a of e.associations) set(a.dnsName, a.ips);
  if (vpcId === undefined) return { records, aliases, ttls };
  for (const x of m.records) if (x.vpcIds?.includes(vpcId)) set(x.name, known(x), x.ttl);
  for (const e of m.endpoints.filter((x) => x.vpcId === vpcId)) {
    for (const a of e.associations) {
      if (e.type === 'VpcAssociation') set(a.dnsName, a.ips);
      if (a.privateDnsName) set(a.privateDnsName, a.ips);
    }
  }
  return { records, aliases, ttls };
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
