// Entry point of the assembly box: reads a CDK cloud assembly (manifest, templates) into stacks in deploy order.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { copyWith } from '../shared/index.js';
import { AssemblyError, inputsOf, orderStacks, stringValues, type AssemblyStack, type Template } from './stacks.js';

export * from './stacks.js';
export { readStacksFile, readTemplateFiles, TEMPLATE_SPEC, whatFileIs } from './templates.js';
export { readFactsFile, type OutsideFacts } from './facts.js';

/** The tag that names an instance as a workload of the config (what `exec` and check's clients call it). */
export const WORKLOAD_TAG = 'lattice-share:workload';
/** The tag that says what an instance serves ("https:443", "http:8080"): templates cannot say what listens. */
export const SERVES_TAG = 'lattice-share:serves';

/** Template metadata in which a stack describes what it imports by ID, which CloudFormation never describes. */
export const IMPORTED_METADATA = 'lattice-share:imported';
export interface ImportedFacts {
  vpcs?: Record<string, { cidr: string; dnsSupport?: boolean }>;
  subnets?: Record<string, { vpcId: string; az: string; cidr: string }>;
  /** Existing clusters by ARN. */
  databases?: Record<
    string,
    { engine: string; port: number; writerName: string; readerName?: string; vpcId: string; securityGroupIds: string[] }
  >;
}

/** Template metadata with facts about the stack's account that templates cannot express. */
export const ACCOUNT_METADATA = 'lattice-share:account';
export interface AccountFacts {
  /** In the owner's AWS Organization: RAM shares arrive without an invitation. */
  inOrganization: boolean;
  /** The OU the account sits in directly (ou-…), when the config says: what an OU share covers. */
  organizationalUnit?: string;
  /** Zone name → zone ID in the account, when the config says: zones compared across accounts. */
  zoneIds?: Record<string, string>;
  /** Another party runs the account: deploy and destroy leave its stacks to them. */
  operatedBy?: { party: string; contact?: string };
}

/**
 * Template metadata in which a consumer stack describes the resources other accounts share with it, which its
 * templates know only by configuration ARN: what check says it cannot see, and what the twin stands in for.
 */
export const PARTNER_METADATA = 'lattice-share:partners';
export interface PartnerFacts {
  readonly name: string;
  /** Who runs the owner account (its operatedBy party, or the account's name in the config). */
  readonly party: string;
  readonly account: string;
  readonly configurationArn: string;
  readonly shareArn?: string;
  /** aurora-postgresql, aurora-mysql or tcp. */
  readonly protocol: string;
  readonly ports: string[];
  readonly expose: 'arn' | 'dns';
  readonly names: { readonly role: string; readonly name: string; readonly port: number }[];
  /** The zones of the endpoints' subnets (with IDs when known): where a stand-in puts its gateway. */
  readonly zones: { readonly name: string; readonly id?: string }[];
}

/**
 * Template metadata of a stand-in: a stack lattice-share makes (for the twin only) in place of another company's side,
 * with what that side's resources are called once deployed (their owner's ARNs and names), by logical ID.
 */
export const STAND_IN_METADATA = 'lattice-share:stand-in';
export interface StandInFacts {
  /** Whose side the stack stands in for. */
  readonly party: string;
  readonly resource: string;
  readonly deployed: Record<string, { readonly arn?: string; readonly writer?: string; readonly reader?: string }>;
  /** Accounts that receive the share with no invitation to accept (the config names none): accepted as given. */
  readonly acceptedBy?: string[];
}

/**
 * Template metadata in which a consumer stack states which clients must reach which endpoint: what `check` holds it to.
 */
export const EXPECT_METADATA = 'lattice-share:expect';
export interface ExpectedPath {
  /** The consumer (config name) this path comes from. */
  readonly consumer: string;
  /** Logical ID of the resource endpoint, service-network endpoint or service-network VPC association. */
  readonly endpoint: string;
  /** Whether the path includes the names private DNS gives the endpoint (the resource's own names). */
  readonly privateDns: boolean;
  /** Instances by logical ID, security groups by ID (imported) or logical ID. */
  readonly clients: ({ readonly instance: string } | { readonly securityGroup: string })[];
  /** Service-network paths: names clients use for the network's resources, each as text or as a parameter's name. */
  readonly names?: (({ readonly name: string } | { readonly parameter: string }) & { readonly port: number })[];
}

interface ManifestArtifact {
  type: string;
  environment?: string;
  dependencies?: string[];
  properties?: { templateFile?: string; stackName?: string; parameters?: Record<string, unknown> };
}

/** A stack as the manifest lists it: everything but what its template says (readStackTemplate reads that). */
export type ListedStack = Omit<AssemblyStack, 'template' | 'inputs'>;

/** The stacks of a cloud assembly in the manifest's order, with their templates read and in deploy order. */
export function readAssembly(dir: string): AssemblyStack[] {
  return orderStacks(readManifest(dir).map((listed) => withTemplate(listed, readStackTemplate(dir, listed))));
}

/** A listed stack with its template, and the inputs its template declares. */
export const withTemplate = ({ parameters, ...listed }: ListedStack, template: Template): AssemblyStack =>
  copyWith(listed, { inputs: inputsOf(template), ...(parameters ? { parameters } : {}), template });

/** The stacks a cloud assembly's manifest lists, in its order, without reading their templates. */
export function readManifest(dir: string): ListedStack[] {
  let manifest: { artifacts?: Record<string, ManifestArtifact> };
  try {
    manifest = JSON.parse(readFileSync(join(dir, 'manifest.json'), 'utf8'));
  } catch {
    throw new AssemblyError(
      `${dir} is not a cloud assembly (no readable manifest.json); run lattice-share synth first`,
    );
  }
  const artifacts = manifest.artifacts ?? {};
  const ids = Object.keys(artifacts).filter((id) => artifacts[id]!.type === 'aws:cloudformation:stack');
  const stackIds = new Set(ids);
  return ids.map((id): ListedStack => {
    const a = artifacts[id]!;
    const [, account = 'unknown-account', region = 'unknown-region'] =
      /^aws:\/\/([^/]+)\/(.+)$/.exec(a.environment ?? '') ?? [];
    return {
      name: a.properties?.stackName ?? id,
      account,
      region,
      dependsOn: (a.dependencies ?? [])
        .filter((d) => stackIds.has(d))
        .map((d) => artifacts[d]!.properties?.stackName ?? d),
      templateFile: a.properties?.templateFile ?? `${id}.template.json`,
      ...(a.properties?.parameters ? { parameters: stringValues(a.properties.parameters) } : {}),
    };
  });
}

// Options as an object: given as text, node copies its defaults with a spread for every file (see copyWith).
const UTF8 = { encoding: 'utf8' } as const;

/** The template of a stack the manifest of the assembly in `dir` lists. */
export function readStackTemplate(dir: string, stack: ListedStack): Template {
  const file = join(dir, stack.templateFile);
  try {
    return JSON.parse(readFileSync(file, UTF8));
  } catch (e) {
    throw new AssemblyError(`cannot read template ${file}: ${(e as Error).message.split('\n')[0]}`);
  }
}
