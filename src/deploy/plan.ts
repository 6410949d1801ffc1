// Reads a cloud assembly into a deployment plan: stacks in dependency order, each with where its parameters come from.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { INPUTS_METADATA, type StackInput } from '../app/names.js';

export interface PlannedStack {
  readonly name: string;
  readonly account: string;
  readonly region: string;
  readonly dependsOn: string[];
  /** Parameter name → the owner stack output that feeds it. */
  readonly inputs: Record<string, StackInput>;
}

interface ManifestArtifact {
  type: string;
  environment?: string;
  dependencies?: string[];
  properties?: { templateFile?: string; stackName?: string };
}

/** Thrown when the assembly cannot be read or planned. */
export class PlanError extends Error {
  readonly code = 'LS_PLAN_INVALID';
}

export function planFromAssembly(dir: string): PlannedStack[] {
  let manifest: { artifacts?: Record<string, ManifestArtifact> };
  try {
    manifest = JSON.parse(readFileSync(join(dir, 'manifest.json'), 'utf8'));
  } catch {
    throw new PlanError(`${dir} is not a cloud assembly (no readable manifest.json); run lattice-share synth first`);
  }
  const artifacts = manifest.artifacts ?? {};
  const stackIds = Object.keys(artifacts).filter((id) => artifacts[id]!.type === 'aws:cloudformation:stack');
  const stacks = stackIds.map((id): PlannedStack => {
    const a = artifacts[id]!;
    const [, account = 'unknown-account', region = 'unknown-region'] = /^aws:\/\/([^/]+)\/(.+)$/.exec(a.environment ?? '') ?? [];
    const template = JSON.parse(readFileSync(join(dir, a.properties?.templateFile ?? `${id}.template.json`), 'utf8'));
    return {
      name: a.properties?.stackName ?? id,
      account,
      region,
      dependsOn: (a.dependencies ?? []).filter((d) => stackIds.includes(d)).map((d) => artifacts[d]!.properties?.stackName ?? d),
      inputs: template.Metadata?.[INPUTS_METADATA] ?? {},
    };
  });
  return order(stacks);
}

function order(stacks: PlannedStack[]): PlannedStack[] {
  const done = new Set<string>();
  const out: PlannedStack[] = [];
  let left = [...stacks];
  while (left.length) {
    const ready = left.filter((s) => [...s.dependsOn, ...Object.values(s.inputs).map((i) => i.stack)].every((d) => done.has(d) || !stacks.some((x) => x.name === d)));
    if (!ready.length) throw new PlanError(`stacks depend on each other in a cycle: ${left.map((s) => s.name).join(', ')}`);
    for (const s of ready) { out.push(s); done.add(s.name); }
    left = left.filter((s) => !done.has(s.name));
  }
  return out;
}
