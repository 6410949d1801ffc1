// What a provider is (LocalStack-style): one AWS service's resource types, each answering Ref and Fn::GetAtt and
// adding what it creates to the model; the list of what the model does not read or reproduce of that service; and an
// optional phase once every stack is built, for what depends on resources of any stack.
import type { ModelBuilder, StackState } from '../build.js';

/** One resource type. A type with no `build` is counted as unmodelled (no effect on reachability assumed). */
export interface Provider {
  ref?(s: StackState, logicalId: string): unknown;
  attribute?(s: StackState, logicalId: string, name: string): unknown;
  /** Adds the resource to the model. */
  build?(s: StackState, logicalId: string): void;
}

/** One AWS service: its resource types, what it does not model, and its finishing phase. */
export interface ServiceProvider {
  /** The CloudFormation namespace of its types, e.g. `AWS::EC2`. */
  readonly service: string;
  readonly resources: Readonly<Record<string, Provider>>;
  /** What the model does not read or reproduce of this service: properties it ignores, behaviour it leaves out. */
  readonly limitations: readonly string[];
  /** Runs once every stack is built, in registry order; `region` gives an account's Region. */
  finish?(builder: ModelBuilder, region: (account: string) => string): void;
}

/**
 * A value worked out once per stack and logical ID (what several of a resource's Ref, Fn::GetAtt and build ask for),
 * made by `make` on first demand.
 */
export function perResource<V>(make: (s: StackState, logicalId: string) => V): (s: StackState, logicalId: string) => V {
  const made = new WeakMap<StackState, Map<string, V>>();
  return (s, logicalId) => {
    let mine = made.get(s);
    if (!mine) made.set(s, (mine = new Map()));
    if (!mine.has(logicalId)) mine.set(logicalId, make(s, logicalId));
    return mine.get(logicalId) as V;
  };
}
