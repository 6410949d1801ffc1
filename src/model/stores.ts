// What providers tell each other while a model is built that is not part of the model: one typed store per kind.
import { LoadError } from './intrinsics.js';
import type { StackInfo } from './types.js';
import { unknownValue } from './unknown.js';

/** Where a value is read or exported: a stack in an account and Region. */
interface Place {
  readonly stack: string;
  readonly account: string;
  readonly region: string;
}

/** Stack exports by name, as CloudFormation keeps them: one per name in an account and Region, imported only there. */
export class Exports {
  private readonly byName = new Map<string, (Place & { readonly value: unknown })[]>();

  add(name: string, value: unknown, at: Place): void {
    const all = this.byName.get(name) ?? [];
    const clash = all.find((x) => x.account === at.account && x.region === at.region);
    if (clash)
      throw new LoadError(
        `${at.stack}: export ${name} is already exported by ${clash.stack} in ${at.account}/${at.region}: CloudFormation refuses a second export of one name`,
      );
    all.push({ ...at, value });
    this.byName.set(name, all);
  }

  /** Fn::ImportValue: an export of an earlier stack in the same account and Region. */
  read(name: string, at: Place): unknown {
    const exported = this.byName.get(name) ?? [];
    const here = exported.find((x) => x.account === at.account && x.region === at.region);
    if (here) return here.value;
    const elsewhere = exported[0];
    if (elsewhere)
      throw new LoadError(
        `${at.stack}: Fn::ImportValue ${name} is exported by ${elsewhere.stack} in ${elsewhere.account}/${elsewhere.region}, not in ${at.account}/${at.region}: CloudFormation imports only within one account and Region (pass the value as a parameter)`,
      );
    throw new LoadError(
      `${at.stack}: Fn::ImportValue ${name}, which no earlier stack exports (give the stack that exports it before this one)`,
    );
  }
}

/** Deploy-time facts providers pass to each other, kept outside the model: one typed store per kind. */
export class Stores {
  /** A generated secret's user name (from its template), by the secret's ARN. */
  readonly secretUsers = new Map<string, string | undefined>();
  /** A DB subnet group's subnets, by its lower-case name. */
  readonly subnetGroups = new Map<string, string[]>();
  /** A DB cluster's subnets (its subnet group's), by cluster identifier. */
  readonly clusterSubnets = new Map<string, string[]>();
  /** A private hosted zone's VPCs, by zone ID. */
  readonly zoneVpcs = new Map<string, string[]>();
  /** The share a RAM invitation is for, by invitation ARN. */
  readonly invitationShares = new Map<string, string>();
  /** A created VPC's default security group ID, by VPC ID; and the VPC of each such group. */
  readonly defaultGroups = new Map<string, string>();
  readonly defaultGroupVpcs = new Map<string, string>();
  /** Zone name → zone ID, by account: from the facts file, else from a config's zoneIds (template metadata). */
  readonly zoneIds = new Map<string, Readonly<Record<string, string>>>();
  /** Every stack being built, as `name|account|region`: what Fn::GetStackOutput may wait for. */
  readonly inputStacks = new Set<string>();
  /** Stack exports, for Fn::ImportValue. */
  readonly exports = new Exports();
}

/**
 * Fn::GetStackOutput: an output of an earlier stack in an account and Region. A stack not among the inputs has
 * outputs known only at deploy; one given after the reader is an ordering mistake (`later`).
 */
export function stackOutput(
  stacks: readonly StackInfo[],
  wanted: { stack: string; output: string; account: string; region: string; later: boolean },
  reader: string,
): unknown {
  const { stack, output, account, region } = wanted;
  const found = stacks.find((x) => x.name === stack && x.account === account && x.region === region);
  if (!found && wanted.later)
    throw new LoadError(`${reader}: Fn::GetStackOutput ${stack}.${output}: give stack ${stack} before this one`);
  if (!found) return unknownValue(`${stack}.${output} (${account}/${region})`);
  if (Object.hasOwn(found.outputs, output)) return found.outputs[output];
  throw new LoadError(`${reader}: Fn::GetStackOutput: stack ${stack} has no output ${output}`);
}
