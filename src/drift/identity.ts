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
  }
}
