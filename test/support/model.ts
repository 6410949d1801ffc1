// A model built by hand for tests that feed the twin or check without templates: every list empty until the test
// fills it. The model's list fields are named here once; a field the model gains and this misses fails to compile.
import { buildModel, type InfraModel } from '../../src/model/index.js';

/** The fields of the model that hold lists. */
type ListField = { [Field in keyof InfraModel]: InfraModel[Field] extends unknown[] ? Field : never }[keyof InfraModel];

const LIST_FIELDS = [
  'stacks',
  'vpcs',
  'subnets',
  'securityGroups',
  'networkAcls',
  'enis',
  'instances',
  'databases',
  'gateways',
  'configurations',
  'shares',
  'acceptances',
  'endpoints',
  'serviceNetworks',
  'resourceAssociations',
  'records',
  'services',
  'connections',
  'calls',
  'expectations',
  'warnings',
] as const satisfies readonly ListField[];

/** The list fields named above: the model below has these only, so a field missed above fails to compile there. */
type NamedListField = (typeof LIST_FIELDS)[number];

/** A model with nothing in it: every list empty, nothing unmodelled. */
export function emptyModel(): InfraModel {
  const lists = Object.fromEntries(LIST_FIELDS.map((field) => [field, []])) as Record<NamedListField, never[]>;
  return { ...lists, unmodelled: {} };
}

/** The model of one stack, `name` (account 111111111111, us-east-1), whose template holds `resources`. */
export function oneStackModel(name: string, resources: Record<string, unknown>): InfraModel {
  const stack = { name, account: '111111111111', region: 'us-east-1', dependsOn: [], templateFile: `${name}.json` };
  return buildModel([{ ...stack, inputs: {}, template: { Resources: resources } as never }]);
}
