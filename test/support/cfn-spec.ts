// Checks template resources against the CloudFormation resource specification of @aws-cdk/aws-service-spec:
// unknown types, unknown or misplaced properties, missing required properties and wrong value shapes.
import { loadAwsServiceSpec } from '@aws-cdk/aws-service-spec';
import type { PropertyType, ResourceProperties, SpecDatabase } from '@aws-cdk/service-spec-types';

let db: Promise<SpecDatabase> | undefined;
export const specDatabase = (): Promise<SpecDatabase> => (db ??= loadAwsServiceSpec());

const isIntrinsic = (v: unknown): boolean => {
  if (!v || typeof v !== 'object' || Array.isArray(v)) return false;
  const keys = Object.keys(v);
  return keys.length === 1 && (keys[0] === 'Ref' || keys[0]!.startsWith('Fn::'));
};

export function checkTemplate(
  spec: SpecDatabase,
  template: { Resources?: Record<string, { Type: string; Properties?: unknown }> },
): string[] {
  const problems: string[] = [];
  for (const [id, r] of Object.entries(template.Resources ?? {})) {
    if (r.Type.startsWith('Custom::') || r.Type === 'AWS::CloudFormation::CustomResource') continue;
    const found = spec.lookup('resource', 'cloudFormationType', 'equals', r.Type);
    if (found.length !== 1) {
      problems.push(`${id}: unknown resource type ${r.Type}`);
      continue;
    }
    checkProperties(spec, found[0]!.properties, r.Properties ?? {}, `${id}(${r.Type})`, problems);
  }
  return problems;
}

function checkProperties(
  spec: SpecDatabase,
  props: ResourceProperties,
  value: unknown,
  path: string,
  out: string[],
): void {
  if (isIntrinsic(value)) return;
  if (!value || typeof value !== 'object' || Array.isArray(value)) {
    out.push(`${path}: expected an object`);
    return;
  }
  for (const [k, v] of Object.entries(value)) {
    const p = props[k];
    if (!p) {
      out.push(`${path}.${k}: no such property (known: ${Object.keys(props).join(', ')})`);
      continue;
    }
    const types = [p.type, ...(p.previousTypes ?? [])];
    const attempts = types.map((t) => {
      const o: string[] = [];
      checkType(spec, t, v, `${path}.${k}`, o);
      return o;
    });
    if (attempts.every((a) => a.length)) out.push(...attempts[0]!);
  }
  for (const [k, p] of Object.entries(props))
    if (p.required && !(k in value)) out.push(`${path}: missing required property ${k}`);
}

function checkType(spec: SpecDatabase, t: PropertyType, v: unknown, path: string, out: string[]): void {
  if (isIntrinsic(v)) return;
  switch (t.type) {
    case 'string':
    case 'date-time':
      if (!['string', 'number', 'boolean'].includes(typeof v)) out.push(`${path}: expected a string`);
      return;
    case 'number':
    case 'integer':
      if (typeof v !== 'number' && !(typeof v === 'string' && v.trim() !== '' && !Number.isNaN(Number(v))))
        out.push(`${path}: expected a number`);
      return;
    case 'boolean':
      if (typeof v !== 'boolean' && v !== 'true' && v !== 'false') out.push(`${path}: expected a boolean`);
      return;
    case 'json':
    case 'null':
      return;
    case 'array':
      if (!Array.isArray(v)) {
        out.push(`${path}: expected a list`);
        return;
      }
      v.forEach((x, i) => checkType(spec, t.element, x, `${path}[${i}]`, out));
      return;
    case 'map':
      if (!v || typeof v !== 'object' || Array.isArray(v)) {
        out.push(`${path}: expected a map`);
        return;
      }
      for (const [k, x] of Object.entries(v)) checkType(spec, t.element, x, `${path}.${k}`, out);
      return;
    case 'ref': {
      const def = spec.get('typeDefinition', t.reference.$ref);
      checkProperties(spec, def.properties, v, path, out);
      return;
    }
    case 'tag':
      checkProperties(
        spec,
        { Key: { type: { type: 'string' }, required: true }, Value: { type: { type: 'string' }, required: true } },
        v,
        path,
        out,
      );
      return;
    case 'union': {
      const attempts = t.types.map((x) => {
        const o: string[] = [];
        checkType(spec, x, v, path, o);
        return o;
      });
      if (attempts.every((a) => a.length))
        out.push(`${path}: matches none of the allowed shapes (${attempts.map((a) => a[0]).join(' | ')})`);
      return;
    }
    default:
      out.push(`${path}: unchecked property type ${(t as { type: string }).type}`);
  }
}
