// Builds the infra model from ordered stacks: one StackScope per stack, one provider per resource type.
import { ASSOCIATION_RANGE, intToIp, ipToInt } from '../shared/index.js';
import { PhysicalIds, typePrefix } from './ids.js';
import { ListIndexes } from './indexes.js';
import {
  ACCOUNT_METADATA,
  EXPECT_METADATA,
  IMPORTED_METADATA,
  type AccountFacts,
  type AssemblyStack,
  type ExpectedPath,
  type ImportedFacts,
} from '../assembly/index.js';
import { standInOf } from './partners.js';
import { LoadError, resolve, truth, type StackScope } from './intrinsics.js';
import { providerFor, type Provider } from './providers/index.js';
import type { Props } from './providers/values.js';
import { ResolvedProperties } from './properties.js';
import { stackOutput, Stores } from './stores.js';
import { rankOf } from './rank.js';
import { newModel } from './empty.js';
import type { Expectation, InfraModel, Source, Subnet } from './types.js';

/** The lengths of the model lists a stack's declared paths name, before the stack was built. */
type BuiltBefore = Readonly<Record<'endpoints' | 'instances' | 'securityGroups', number>>;

type TemplateResource = NonNullable<AssemblyStack['template']['Resources']>[string];

/** Values supplied for parameters that no stack output feeds, by stack then parameter. */
export type ParameterValues = Record<string, Record<string, string>>;

export class ModelBuilder {
  readonly model: InfraModel = newModel();

  /** What providers tell each other that is not part of the model. */
  readonly stores = new Stores();
  /** The next host of each range addresses are taken from, with the range's base and its last host. */
  private readonly hosts = new Map<string, { cidr: string; base: number; last: number; next: number }>();
  /** Indexes over the model's lists (lookup, lookupAll). */
  private readonly indexes = new ListIndexes();

  /** The first element of a model list whose key is `value` (see ListIndexes). */
  lookup<T extends object>(list: T[], name: string, key: (x: T) => string | undefined, value: string): T | undefined {
    return this.indexes.first(list, name, key, value);
  }

  /** Every element of a model list whose key is `value`, in list order. */
  lookupAll<T extends object>(list: T[], name: string, key: (x: T) => string | undefined, value: string): readonly T[] {
    return this.indexes.all(list, name, key, value);
  }

  /** Counts a resource the model does not read (no effect on reachability assumed), by type. */
  countUnmodelled(type: string): void {
    this.model.unmodelled[type] = (this.model.unmodelled[type] ?? 0) + 1;
  }

  /** Allocates the next free address of a subnet, skipping the four AWS reserves at the start. */
  allocateIp(subnet: Subnet): string | undefined {
    return subnet.cidr ? this.nextAddress(subnet.id, subnet.cidr, `subnet ${subnet.id}`) : undefined;
  }

  /** The next address a service-network VPC association takes in a VPC, from AWS's ASSOCIATION_RANGE. */
  allocateAssociationIp(vpcId: string): string {
    return this.nextAddress(`snva/${vpcId}`, ASSOCIATION_RANGE, `VPC ${vpcId}'s association range`);
  }

  /** The next host of a range (from .4: AWS reserves the first four), counted under `key`. */
  private nextAddress(key: string, cidr: string, what: string): string {
    let range = this.hosts.get(key);
    if (range?.cidr !== cidr) {
      const [base, bits] = cidr.split('/');
      range = { cidr, base: ipToInt(base!), last: 2 ** (32 - Number(bits)) - 1, next: range?.next ?? 4 };
      this.hosts.set(key, range);
    }
    if (range.next >= range.last) throw new LoadError(`${what} (${cidr}) has no free address left`);
    return intToIp(range.base + range.next++);
  }

  /** A subnet by ID; one a template only references becomes an entry with what is known of it. */
  subnet(id: string): Subnet {
    let s = this.lookup(this.model.subnets, 'id', (x) => x.id, id);
    if (!s) {
      s = { id, created: false };
      this.model.subnets.push(s);
      this.warnOnce(`subnet ${id} is referenced but not described by any template: its ENIs get no address`);
    }
    return s;
  }

  private readonly warned = new Set<string>();

  /** Adds a warning unless the model has it already (a Set: thousands of stacks may warn alike). */
  warnOnce(message: string): void {
    if (this.warned.has(message)) return;
    this.warned.add(message);
    this.model.warnings.push(message);
  }

  addStack(stack: AssemblyStack, parameters: Record<string, string>): void {
    const scope = new StackState(this, stack, parameters);
    scope.build();
  }
}

export class StackState implements StackScope {
  readonly stack: string;
  readonly account: string;
  readonly region: string;
  /** The resources' properties, each resolved when first read. */
  private readonly properties: ResolvedProperties;
  private readonly conditions = new Map<string, boolean>();
  /** The physical IDs made for this stack (ids.ts). */
  private readonly ids: PhysicalIds;
  /** The template's resources by logical ID: its own keys only (a Ref to "constructor" names no resource). */
  private resourceIndex?: Map<string, TemplateResource>;
  /** Parameter values by name: only the stack's (a Ref to "toString" names no parameter). */
  private readonly parameterValues: ReadonlyMap<string, string>;

  constructor(
    readonly builder: ModelBuilder,
    readonly assembly: AssemblyStack,
    private readonly parameters: Record<string, string>,
  ) {
    this.stack = assembly.name;
    this.account = assembly.account;
    this.region = assembly.region;
    this.parameterValues = new Map(Object.entries(parameters));
    this.ids = new PhysicalIds(this.account, this.region, this.stack);
    this.properties = new ResolvedProperties(this, (logicalId) => this.resource(logicalId));
  }

  get resources() {
    return this.assembly.template.Resources ?? {};
  }

  /** A resource of the template by logical ID. */
  resource(logicalId: string): TemplateResource | undefined {
    if (!this.resourceIndex) {
      const index = (this.resourceIndex = new Map());
      const all = this.resources;
      for (const id in all) if (Object.hasOwn(all, id)) index.set(id, all[id]);
    }
    return this.resourceIndex.get(logicalId);
  }

  source(logicalId: string): Source {
    return { stack: this.stack, logicalId };
  }

  /** `prefix-` and hex characters, stable for this stack and logical ID. */
  physicalId(prefix: string, logicalId: string, length = 17): string {
    return this.ids.of(prefix, logicalId, length);
  }

  provider(logicalId: string): Provider {
    const r = this.resource(logicalId);
    if (!r) throw new LoadError(`${this.stack}: no resource or parameter named ${logicalId}`);
    return providerFor(r.Type);
  }

  ref(name: string): unknown {
    if (this.parameterValues.has(name)) return this.parameter(name);
    const provider = this.provider(name);
    return provider.ref ? provider.ref(this, name) : this.physicalId(typePrefix(this.resource(name)!.Type), name);
  }

  /**
   * A parameter's value as Ref gives it: a list for CommaDelimitedList and List<…> types (the value, or default, split
   * at commas, each member trimmed of spaces), else the text.
   */
  private parameter(name: string): unknown {
    const value = this.parameterValues.get(name);
    const type = this.assembly.template.Parameters?.[name]?.Type ?? '';
    const inner = /^AWS::SSM::Parameter::Value<(.*)>$/.exec(type)?.[1] ?? type;
    const listed = inner === 'CommaDelimitedList' || inner.startsWith('List<');
    return listed && value !== undefined ? value.split(',').map((x) => x.trim()) : value;
  }

  getAtt(logicalId: string, attribute: string): unknown {
    const provider = this.provider(logicalId);
    // A type the model does not represent still answers, with a stable placeholder.
    if (!provider.attribute) return `${this.physicalId('attr', logicalId)}.${attribute}`;
    const value = provider.attribute(this, logicalId, attribute);
    if (value === undefined)
      throw new LoadError(
        `${this.stack}/${logicalId}: attribute ${attribute} of ${this.resource(logicalId)!.Type} is not known to the model`,
      );
    return value;
  }

  condition(name: string): boolean {
    let v = this.conditions.get(name);
    if (v === undefined) {
      const expr = this.assembly.template.Conditions?.[name];
      if (expr === undefined) throw new LoadError(`${this.stack}: no condition named ${name}`);
      v = truth(expr, this, `${this.stack}/Conditions/${name}`);
      this.conditions.set(name, v);
    }
    return v;
  }

  importValue(name: string): unknown {
    return this.builder.stores.exports.read(name, this);
  }

  stackOutput(stack: string, output: string, account: string, region: string): unknown {
    const later = this.builder.stores.inputStacks.has(`${stack}|${account}|${region}`);
    return stackOutput(this.builder.model.stacks, { stack, output, account, region, later }, this.stack);
  }

  mapping(map: string, top: string, second: string): unknown {
    const v = this.assembly.template.Mappings?.[map]?.[top]?.[second];
    if (v === undefined)
      throw new LoadError(`${this.stack}: Fn::FindInMap ${map}.${top}.${second} is not in the template`);
    return v;
  }

  /** A resource's properties, read with their types and template locations, each resolved when first read. */
  reader(logicalId: string): Props {
    return this.properties.reader(logicalId);
  }

  /** One property of a resource with its intrinsics resolved (memoized); undefined when absent. */
  property(logicalId: string, name: string): unknown {
    return this.properties.property(logicalId, name);
  }

  /** Every property of a resource with its intrinsics resolved (memoized): for a caller that reads them all. */
  props(logicalId: string): Record<string, unknown> {
    return this.properties.all(logicalId);
  }

  /** Template metadata describing what the stack imports by ID. */
  get imported(): ImportedFacts {
    return (this.assembly.template.Metadata?.[IMPORTED_METADATA] as ImportedFacts | undefined) ?? {};
  }

  /**
   * Declared paths (template metadata), with logical IDs turned into the model's IDs: those of what this stack built,
   * found among the elements its build added (`before` holds the lists' lengths when it began).
   */
  private expectations(before: BuiltBefore): void {
    const m = this.builder.model;
    const declared = (this.assembly.template.Metadata?.[EXPECT_METADATA] as ExpectedPath[] | undefined) ?? [];
    const mine = <T extends { source?: Source }>(list: T[], from: number, logicalId: string) => {
      for (let i = from; i < list.length; i++) {
        const source = list[i]!.source;
        if (source?.stack === this.stack && source.logicalId === logicalId) return list[i];
      }
      return undefined;
    };
    for (const e of declared) {
      const endpoint = mine(m.endpoints, before.endpoints, e.endpoint);
      if (!endpoint) {
        this.builder.warnOnce(
          `${this.stack}: expected path of ${e.consumer} names endpoint ${e.endpoint}, which the template does not create`,
        );
        continue;
      }
      const clients = e.clients.flatMap((c): Expectation['clients'] => {
        if ('instance' in c) {
          const i = mine(m.instances, before.instances, c.instance);
          return i ? [{ instanceId: i.id }] : [];
        }
        return [
          { securityGroupId: mine(m.securityGroups, before.securityGroups, c.securityGroup)?.id ?? c.securityGroup },
        ];
      });
      const names = (e.names ?? [])
        .map((n) => ({ name: 'name' in n ? n.name : this.parameters[n.parameter], port: n.port }))
        .filter((n): n is { name: string; port: number } => !!n.name);
      m.expectations.push({
        consumer: e.consumer,
        endpointId: endpoint.id,
        privateDns: e.privateDns === true,
        clients,
        names,
        source: endpoint.source,
      });
    }
  }

  /** The stack: what it imports by ID, its resources in build order, its outputs, its declared paths. */
  build(): void {
    const account = this.assembly.template.Metadata?.[ACCOUNT_METADATA] as AccountFacts | undefined;
    const standIn = standInOf(this.assembly);
    // Zone IDs the config states for the account; a facts file's (read first) win.
    const zones = this.builder.stores.zoneIds;
    if (account?.zoneIds) zones.set(this.account, { ...account.zoneIds, ...zones.get(this.account) });
    const m = this.builder.model;
    const before = {
      endpoints: m.endpoints.length,
      instances: m.instances.length,
      securityGroups: m.securityGroups.length,
    };
    this.addImported();
    this.buildResources();
    const outputs = this.outputs();
    this.expectations(before);
    this.builder.model.stacks.push({
      name: this.stack,
      templateFile: this.assembly.templateFile,
      account: this.account,
      region: this.region,
      inOrganization: account?.inOrganization,
      ...(account?.organizationalUnit ? { organizationalUnit: account.organizationalUnit } : {}),
      ...(account?.operatedBy ? { operatedBy: account.operatedBy } : {}),
      ...(standIn ? { standInFor: standIn.party } : {}),
      outputs,
    });
  }

  /** VPCs, subnets and clusters the stack imports by ID, as its `lattice-share:imported` metadata describes them. */
  private addImported(): void {
    const m = this.builder.model;
    for (const [id, v] of Object.entries(this.imported.vpcs ?? {})) {
      if (this.builder.lookup(m.vpcs, 'id', (x) => x.id, id)) continue;
      const dns = v.dnsSupport ?? true;
      m.vpcs.push({
        id,
        account: this.account,
        region: this.region,
        cidr: v.cidr,
        dnsSupport: dns,
        dnsHostnames: dns,
        created: false,
      });
    }
    for (const [id, v] of Object.entries(this.imported.subnets ?? {})) {
      if (!this.builder.lookup(m.subnets, 'id', (x) => x.id, id))
        m.subnets.push({
          ...{ id, vpcId: v.vpcId, az: v.az, cidr: v.cidr, created: false },
          azId: this.builder.stores.zoneIds.get(this.account)?.[v.az],
        });
    }
    for (const [arn, v] of Object.entries(this.imported.databases ?? {})) {
      if (this.builder.lookup(m.databases, 'arn', (x) => x.arn, arn)) continue;
      m.databases.push({
        id: arn.split(':').pop()!,
        arn,
        account: this.account,
        engine: v.engine,
        port: v.port,
        writerName: v.writerName,
        readerName: v.readerName ?? v.writerName,
        vpcId: v.vpcId,
        securityGroupIds: v.securityGroupIds,
        eniIds: [],
        publiclyAccessible: false,
        created: false,
      });
    }
  }

  /** Every resource whose condition holds, by RANK then template order, through its type's provider. */
  private buildResources(): void {
    // Template order within a rank: one list per rank (ranks are small whole numbers).
    const byRank: string[][] = [];
    for (const id of Object.keys(this.resources)) {
      const { Type: type, Condition: condition } = this.resource(id)!;
      if (condition !== undefined && !this.condition(condition)) continue;
      (byRank[rankOf(type)] ??= []).push(id);
    }
    for (const ids of byRank) {
      for (const id of ids ?? []) {
        const type = this.resource(id)!.Type;
        const provider = providerFor(type);
        if (provider.build) provider.build(this, id);
        else this.builder.countUnmodelled(type);
      }
    }
  }

  /** The stack's outputs as strings (what a consumer stack's parameters receive); its exports to the builder. */
  private outputs(): Record<string, string> {
    const outputs: Record<string, string> = {};
    for (const [name, o] of Object.entries(this.assembly.template.Outputs ?? {})) {
      if (o.Condition && !this.condition(o.Condition)) continue;
      const value = resolve(o.Value, this, `${this.stack}/Outputs/${name}`);
      outputs[name] = typeof value === 'string' ? value : JSON.stringify(value);
      if (o.Export) {
        const exported = String(resolve(o.Export.Name, this, `${this.stack}/Outputs/${name}/Export`));
        this.builder.stores.exports.add(exported, value, this);
      }
    }
    return outputs;
  }
}
