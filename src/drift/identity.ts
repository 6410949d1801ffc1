// Which live resource each template resource is: CloudFormation's physical ID for its (stack, logical ID), matched to
// a live entity by ID or ARN. Values the templates give (a group ID in a rule, a configuration ARN in a share) are
// translated through it before they are compared; a value no template resource made is compared as written.
import type { InfraModel, Source } from '../model/index.js';
import type { StackResource } from '../model/live/index.js';

interface Identified {
  readonly id: string;
  readonly arn?: string;
  readonly source?: Source;
}

/** A share, which has no ID but its ARN. */
export const asIdentified = (s: InfraModel['shares'][number]): Identified => ({
  id: s.arn,
  arn: s.arn,
  source: s.source,
});

const last = (value: string) => value.split('/').pop() ?? value;

export class Identity {
  private readonly physical = new Map<string, string>();
  /** Template ID or ARN → the live one. */
  private readonly ids = new Map<string, string>();

  constructor(resources: readonly StackResource[]) {
    for (const r of resources) this.physical.set(`${r.stack}/${r.logicalId}`, r.physicalId);
  }

  /** What CloudFormation made of a template resource, when its stack lists it. */
  physicalOf(source: Source | undefined): string | undefined {
    return source ? this.physical.get(`${source.stack}/${source.logicalId}`) : undefined;
  }

  /**
   * The live entity a template entity became, recorded for translating values; undefined when it is not deployed.
   * A physical ID may be the ID (vpc-…, sg-…) or the ARN (VPC Lattice, RAM).
   */
  match<T extends Identified>(template: T, live: readonly T[]): T | undefined {
    const physical = this.physicalOf(template.source);
    if (!physical) return undefined;
    const found = live.find((x) => x.id === physical || x.arn === physical || x.id === last(physical));
    if (found) {
      this.ids.set(template.id, found.id);
      if (template.arn && found.arn) this.ids.set(template.arn, found.arn);
    }
    return found;
  }

  /** A template value (an ID or ARN) as the live system names it. */
  live(value: string): string {
    return this.ids.get(value) ?? value;
  }

  /** Records every template entity's live counterpart, so that values are translated whatever order they come in. */
  learn(templates: InfraModel, live: InfraModel): void {
    const kinds = [
      'vpcs',
      'subnets',
      'securityGroups',
      'gateways',
      'configurations',
      'shares',
      'endpoints',
      'serviceNetworks',
      'resourceAssociations',
      'databases',
      'instances',
    ] as const;
    for (const kind of kinds)
      for (const t of templates[kind] as readonly Identified[]) this.match(t, live[kind] as readonly Identified[]);
    for (const t of templates.shares) this.match(asIdentified(t), live.shares.map(asIdentified));
    this.learnDerived(templates, live);
  }

  /**
   * What the template reader derives rather than CloudFormation lists: a database's names (a DNS target names them),
   * an instance's address (an IP target), and a VPC's default group (what an endpoint without groups gets).
   */
  private learnDerived(templates: InfraModel, live: InfraModel): void {
    for (const t of templates.databases) {
      const found = live.databases.find((x) => x.id === this.live(t.id));
      if (found) this.ids.set(t.writerName, found.writerName).set(t.readerName, found.readerName);
    }
    // Addresses repeat across VPCs whose ranges overlap: one the templates give two instances is not translated.
    const ipOf = (m: InfraModel, eniId: string) => m.enis.find((e) => e.id === eniId)?.ip;
    const addresses = new Map<string, string | undefined>();
    for (const t of templates.instances) {
      const found = live.instances.find((x) => x.id === this.live(t.id));
      const [from, to] = [ipOf(templates, t.eniId), found && ipOf(live, found.eniId)];
      if (from && to) addresses.set(from, addresses.has(from) ? undefined : to);
    }
    for (const [from, to] of addresses) if (to) this.ids.set(from, to);
    for (const t of templates.securityGroups.filter((g) => g.description.startsWith(TEMPLATE_DEFAULT))) {
      const vpc = this.live(t.description.slice(TEMPLATE_DEFAULT.length));
      // The one group of the VPC AWS describes so (a group of one's own could share the words: then none).
      const found = live.securityGroups.filter((g) => g.vpcId === vpc && g.description === AWS_DEFAULT);
      if (found.length === 1 && found[0]) this.ids.set(t.id, found[0].id);
    }
  }
}

/** How the template reader and AWS describe a VPC's default security group. */
const TEMPLATE_DEFAULT = 'the default security group of ';
const AWS_DEFAULT = 'default VPC security group';
