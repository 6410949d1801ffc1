// What names mean to check: public names (RDS cluster names, Route 53 records of public zones, resource endpoints'
// association names) resolve the same everywhere; private names (records of private hosted zones, private DNS, a
// VPC association's names) only in their VPC, before the public ones. A CNAME record is followed, up to MAX_CNAMES,
// in the view the lookup started in. A resource gateway resolves its DNS targets with public DNS only (PUBLIC, the
// default) or with its VPC's resolver (IN_VPC).
import { dnsKey, MAX_CNAMES, type Database, type Eni, type Gateway, type InfraModel } from '../model/index.js';

/** What a name means to the resolver of one VPC. */
export interface Answer {
  readonly addresses: string[];
  /** Why it resolves so: "private DNS of vpce-…", "the writer name of cluster …", "a Route 53 record of …". */
  readonly why: string;
  readonly kind: 'private-dns' | 'endpoint' | 'rds' | 'record';
}

/** A name's entry in a view: addresses, or (a CNAME record) another name. */
type Entry = Answer | { readonly cname: string; readonly why: string };

/** A lookup: the answer, or why a name with CNAME records does not resolve ("its CNAME chain loops: …"). */
export interface Lookup {
  readonly answer?: Answer;
  readonly broken?: string;
}

const key = dnsKey;

export class Names {
  private readonly publicNames = new Map<string, Entry>();
  private readonly privateNames = new Map<string, Map<string, Entry>>();
  /**
   * Addresses of endpoint ENIs (and VPC associations), and of ENIs whose zone is down (a twin's faults), by VPC
   * (private addresses repeat across VPCs), and in every VPC under `undefined`.
   */
  private readonly endpointIps: ReadonlyMap<string | undefined, ReadonlySet<string>>;
  private readonly downIps: ReadonlyMap<string | undefined, ReadonlySet<string>>;

  constructor(m: InfraModel, enis: ReadonlyMap<string, Eni>) {
    this.indexDatabases(m.databases, enis);
    this.indexRecords(m);
    this.indexEndpoints(m);
    const down = m.enis.filter((x) => x.down);
    this.downIps = addressesByVpc(down);
    // Only a twin's faults take ENIs down: without them, no name loses an address, and no endpoint's needs looking at.
    this.endpointIps = addressesByVpc(down.length ? m.enis.filter((x) => x.owner.kind === 'endpoint') : []);
  }

  /**
   * A name that answers with endpoint addresses only answers with those in zones that are up, unless none is, as the
   * twin's resolvers do under a zone-down fault (AWS documents no health check behind a resource endpoint's names: the
   * twin's choice, in docs/check.md, "A twin's faults"). The addresses are those of the resolver's VPC (`vpcId`; public
   * DNS, undefined, weighs every VPC's).
   */
  private live(answer: Answer, vpcId: string | undefined): Answer {
    const down = this.downIps.get(vpcId);
    const endpoints = this.endpointIps.get(vpcId);
    if (!down?.size || !endpoints || !answer.addresses.every((ip) => endpoints.has(ip))) return answer;
    const up = answer.addresses.filter((ip) => !down.has(ip));
    return up.length && up.length < answer.addresses.length ? { ...answer, addresses: up } : answer;
  }

  private privateName(vpcId: string, name: string, entry: Entry): void {
    const names = this.privateNames.get(vpcId) ?? new Map<string, Entry>();
    names.set(key(name), entry);
    this.privateNames.set(vpcId, names);
  }

  /** A cluster's writer and reader names resolve (publicly) to its instances' addresses. */
  private indexDatabases(databases: Database[], enis: ReadonlyMap<string, Eni>): void {
    for (const d of databases) {
      const ips = d.eniIds.map((id) => enis.get(id)?.ip).filter((x): x is string => !!x);
      const [first] = ips;
      if (first === undefined) continue;
      this.publicNames.set(key(d.writerName), {
        addresses: [first],
        why: `the writer name of cluster ${d.id}, an address in ${d.vpcId ?? 'its VPC'}`,
        kind: 'rds',
      });
      if (d.readerName !== d.writerName) {
        this.publicNames.set(key(d.readerName), {
          addresses: ips.length > 1 ? ips.slice(1) : [first],
          why: `the reader name of cluster ${d.id}, in ${d.vpcId ?? 'its VPC'}`,
          kind: 'rds',
        });
      }
    }
  }

  /** Route 53 records: public zones everywhere, private zones in their VPCs; a CNAME names another name. */
  private indexRecords(m: InfraModel): void {
    for (const r of m.records) {
      const why = `a Route 53 record of ${r.source.stack}/${r.source.logicalId}${r.vpcIds ? ' (private zone)' : ''}`;
      const entry: Entry =
        r.cname !== undefined ? { cname: key(r.cname), why } : { addresses: r.addresses, why, kind: 'record' };
      if (r.vpcIds) for (const v of r.vpcIds) this.privateName(v, r.name, entry);
      else this.publicNames.set(key(r.name), entry);
    }
  }

  /** Endpoint associations: their own names (a VPC association's are private to its VPC) and private DNS names. */
  private indexEndpoints(m: InfraModel): void {
    for (const e of m.endpoints) {
      const what = e.type === 'VpcAssociation' ? `service-network association ${e.id}` : `endpoint ${e.id}`;
      for (const a of e.associations) {
        // A VPC association's addresses exist only in its VPC: its names are private to it.
        const own: Answer = { addresses: a.ips, why: `the name of an association of ${what}`, kind: 'endpoint' };
        if (e.type === 'VpcAssociation') this.privateName(e.vpcId, a.dnsName, own);
        else this.publicNames.set(key(a.dnsName), own);
        if (a.privateDnsName)
          this.privateName(e.vpcId, a.privateDnsName, {
            addresses: a.ips,
            why: `private DNS of ${what}`,
            kind: 'private-dns',
          });
      }
    }
  }

  /** A name as the resolver of `vpcId` answers it, or public DNS when `vpcId` is undefined; CNAMEs followed. */
  lookup(vpcId: string | undefined, name: string): Lookup {
    const view = vpcId === undefined ? undefined : this.privateNames.get(vpcId);
    const chain: string[] = [];
    const steps: string[] = [];
    for (let n = key(name); ;) {
      const entry = view?.get(n) ?? this.publicNames.get(n);
      if (!entry)
        return chain.length
          ? { broken: `its CNAME chain ends at ${n}, which does not resolve (${steps.join('; ')})` }
          : {};
      if (!('cname' in entry))
        return {
          answer: this.live(chain.length ? { ...entry, why: `${steps.join('; ')}; ${entry.why}` } : entry, vpcId),
        };
      chain.push(n);
      steps.push(`${n} is a CNAME for ${entry.cname} (${entry.why})`);
      if (chain.includes(entry.cname))
        return { broken: `its CNAME chain loops: ${[...chain, entry.cname].join(' → ')}` };
      if (chain.length > MAX_CNAMES)
        return { broken: `its CNAME chain is longer than ${MAX_CNAMES}: ${chain.slice(0, 3).join(' → ')} → …` };
      n = entry.cname;
    }
  }

  /**
   * How a resource gateway resolves a DNS target: with public DNS only (ResourceConfigDnsResolution PUBLIC, the
   * default), or with the resolver of its VPC (IN_VPC: private hosted zones associated with it first, then public).
   */
  fromGateway(gateway: Pick<Gateway, 'vpcId' | 'dnsResolution'>, name: string): Lookup {
    return this.lookup(gateway.dnsResolution === 'IN_VPC' ? gateway.vpcId : undefined, name);
  }
}

/** ENIs' addresses by their VPC, and all of them under `undefined`. */
function addressesByVpc(enis: readonly Eni[]): ReadonlyMap<string | undefined, ReadonlySet<string>> {
  const byVpc = new Map<string | undefined, Set<string>>([[undefined, new Set()]]);
  for (const eni of enis)
    for (const ip of [eni.ip, ...eni.secondaryIps]) {
      if (!ip) continue;
      byVpc.get(undefined)?.add(ip);
      if (eni.vpcId === undefined) continue;
      let mine = byVpc.get(eni.vpcId);
      if (!mine) byVpc.set(eni.vpcId, (mine = new Set()));
      mine.add(ip);
    }
  return byVpc;
}
