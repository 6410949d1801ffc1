// A stack's resource properties with their intrinsics resolved one property at a time, when a provider first reads it.
// A property no provider reads (an instance's UserData, an AwsCustomResource's Update) is never resolved: what the
// model cannot resolve there (an intrinsic or attribute it does not know) does not stop the load, as the properties of
// resources it does not model never did, and a large estate does not pay for hashing and joining text nobody reads.
import { entriesBefore, isIntrinsic, LoadError, NO_VALUE, resolve, type StackScope } from './intrinsics.js';
import { Props } from './providers/values.js';

/** What the template says of a resource: its properties as written. */
export interface TemplateProperties {
  readonly Properties?: Record<string, unknown>;
}

/** One resource's properties: as the template has them, those resolved so far, and its reader. */
interface Resource {
  readonly logicalId: string;
  readonly properties: Record<string, unknown>;
  /** Properties given as one intrinsic (Fn::If of two sets): resolved as a whole. */
  readonly asOne: boolean;
  /** Values of properties that are objects, resolved (AWS::NoValue as undefined); plain values are read as written. */
  readonly resolved: Map<string, unknown>;
  /** Every property resolved (`all`). */
  whole?: Record<string, unknown>;
  reader?: Props;
}

/** The properties of one stack's resources, by logical ID, resolved as they are read. */
export class ResolvedProperties {
  private readonly resources = new Map<string, Resource>();
  /** The resources one of whose properties is being resolved, innermost last (a few deep: a list, not a set). */
  private readonly inProgress: string[] = [];

  constructor(
    private readonly scope: StackScope,
    private readonly template: (logicalId: string) => TemplateProperties | undefined,
  ) {}

  /** A resource's properties, read with their types and template locations, each resolved on first read. */
  reader(logicalId: string): Props {
    const resource = this.resource(logicalId);
    resource.reader ??= new Props((name) => this.valueOf(resource, name), `${this.scope.stack}/${logicalId}`);
    return resource.reader;
  }

  /** One property of a resource with its intrinsics resolved (memoized); undefined when it is absent or removed. */
  property(logicalId: string, name: string): unknown {
    return this.valueOf(this.resource(logicalId), name);
  }

  /** Every property of a resource with its intrinsics resolved (memoized): for a caller that reads them all. */
  all(logicalId: string): Record<string, unknown> {
    return this.allOf(this.resource(logicalId));
  }

  private resource(logicalId: string): Resource {
    let resource = this.resources.get(logicalId);
    if (!resource) {
      const properties = this.template(logicalId)?.Properties ?? {};
      resource = { logicalId, properties, asOne: isIntrinsic(properties), resolved: new Map() };
      this.resources.set(logicalId, resource);
    }
    return resource;
  }

  private valueOf(resource: Resource, name: string): unknown {
    this.notResolving(resource.logicalId);
    if (resource.asOne) return this.allOf(resource)[name];
    const raw = resource.properties[name];
    if (raw === null || typeof raw !== 'object') return raw;
    const known = resource.resolved.get(name);
    if (known !== undefined || resource.resolved.has(name)) return known;
    const where = `${this.scope.stack}/${resource.logicalId}.${name}`;
    const value = this.resolving(resource.logicalId, () => resolve(raw, this.scope, where));
    const kept = value === NO_VALUE ? undefined : value;
    resource.resolved.set(name, kept);
    return kept;
  }

  private allOf(resource: Resource): Record<string, unknown> {
    if (resource.whole) return resource.whole;
    this.notResolving(resource.logicalId);
    const { logicalId, properties } = resource;
    let out: Record<string, unknown> | undefined;
    if (resource.asOne) {
      const where = `${this.scope.stack}/${logicalId}`;
      out = this.resolving(logicalId, () => resolve(properties, this.scope, where)) as Record<string, unknown>;
    } else {
      // Unchanged properties are returned as they are, not copied (a large estate's are mostly plain values).
      for (const key in properties) {
        const value = this.valueOf(resource, key);
        if (!out && value !== properties[key]) out = entriesBefore(properties, key);
        if (out && value !== undefined) out[key] = value;
      }
    }
    return (resource.whole = out ?? properties);
  }

  /**
   * A resource whose properties need its own, read while one of them is being resolved (through the values the model
   * reads; counted by resource, as CloudFormation counts dependencies), is one error naming it. A cycle only through
   * values no provider reads is not seen here (CloudFormation refuses it at deploy).
   */
  private notResolving(logicalId: string): void {
    if (this.inProgress.length !== 0 && this.inProgress.includes(logicalId))
      throw new LoadError(`${this.scope.stack}/${logicalId}: its properties refer to themselves`);
  }

  /** `work`, which resolves a property of `logicalId`. */
  private resolving<T>(logicalId: string, work: () => T): T {
    this.inProgress.push(logicalId);
    try {
      return work();
    } finally {
      this.inProgress.pop();
    }
  }
}
