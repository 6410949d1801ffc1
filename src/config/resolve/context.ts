// The shared context of the section resolvers: the raw config, the problems found so far, and the checks every
// section uses (a reference to a declared name, a zone of the config's Region).
import { defaultZones, REGIONS, zoneExists, type RegionZones } from '../../shared/regions.js';
import type { Path, Problem } from '../errors.js';
import { closest } from '../locate.js';
import type { RawConfig } from '../schema.js';
import type {
  Account,
  Network,
  Organization,
  PartnerResource,
  ServiceNetwork,
  SharedResource,
  Workload,
} from '../topology.js';
import type { Receipts } from './receipts.js';

/** The resolved entries of one section, by name, and every name the config declares there. */
export class Section<T extends { readonly name: string }> {
  private readonly byName: Map<string, T>;
  /**
   * @param all the entries that resolved
   * @param declared every name of the section, resolved or not: a reference to a broken entry is not reported twice
   */
  constructor(
    readonly all: T[],
    readonly declared: ReadonlySet<string> = new Set(all.map((entry) => entry.name)),
  ) {
    this.byName = new Map(all.map((entry) => [entry.name, entry]));
  }

  get(name: string): T | undefined {
    return this.byName.get(name);
  }
}

export class Context {
  readonly problems: Problem[] = [];
  /** The config's Region, undefined when it is not one (reported once, here). */
  readonly region?: RegionZones;
  readonly organization?: Organization;

  constructor(readonly raw: RawConfig) {
    this.region = REGIONS[raw.region];
    if (!this.region) {
      const near = closest(raw.region, Object.keys(REGIONS));
      this.bad(
        ['region'],
        `"${raw.region}" is not an AWS Region`,
        near ? `did you mean "${near}"?` : `use one of: ${Object.keys(REGIONS).join(', ')}`,
      );
    }
    const org = raw.organization;
    this.organization = org && {
      ...org,
      arn: `arn:aws:organizations::${org.managementAccount}:organization/${org.id}`,
    };
  }

  /** Record a problem at `path`; `at: 'key'` points at the key rather than its value. */
  bad(path: Path, message: string, fix?: string, at?: 'key' | 'value'): void {
    this.problems.push({ path, message, fix, at });
  }

  /** True when `value` names a declared `kind`; otherwise records the problem with the closest name as the fix. */
  refCheck(path: Path, kind: string, value: string, names: ReadonlySet<string>): boolean {
    if (names.has(value)) return true;
    const near = closest(value, [...names]);
    const listed = names.size <= 20 ? `use one of: ${[...names].join(', ')}` : `define it under ${kind}s:`;
    this.bad(
      path,
      `unknown ${kind} "${value}"`,
      near ? `did you mean "${near}"?` : names.size ? listed : `define it under ${kind}s:`,
    );
    return false;
  }

  /** Why a zone name is wrong in the config's Region (message and fix), or undefined when it exists. */
  zoneProblem(zone: string): [string, string] | undefined {
    const { region: name } = this.raw;
    if (zoneExists(name, zone)) return undefined;
    const zones = defaultZones(name, this.region?.letters.length ?? 0).join(', ');
    return zone.startsWith(name) && this.region
      ? [`availability zone ${zone} does not exist in region ${name}`, `use one of: ${zones}`]
      : [
          `availability zone ${zone} is not in region ${name}`,
          this.region ? `use a zone of ${name}: ${zones}` : `use a zone of ${name}`,
        ];
  }
}

/** The sections resolved before consumers and callers, which refer to all of them. */
export interface Resolved {
  readonly accounts: Section<Account>;
  readonly networks: Section<Network>;
  readonly resources: Section<SharedResource>;
  /** Resources other accounts share with ours. */
  readonly partners: Section<PartnerResource>;
  readonly workloads: Section<Workload>;
  readonly serviceNetworks: Section<ServiceNetwork>;
  readonly receipts: Receipts;
}
