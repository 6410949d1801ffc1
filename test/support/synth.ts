// Synthesizes a config into a temporary cloud assembly for tests, and removes it afterwards.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Template } from 'aws-cdk-lib/assertions';
import { buildApp } from '../../src/app/index.js';
import { loadConfig, parseConfig, type Topology } from '../../src/config/index.js';
import { loadModel, type InfraModel } from '../../src/model/index.js';
import { fileURLToPath } from 'node:url';

export const repo = fileURLToPath(new URL('../../../', import.meta.url));
export const example = (name: string): string => join(repo, 'examples', name, 'lattice-share.yaml');

export interface Synthesized {
  readonly topology: Topology;
  readonly dir: string;
  /** Raw templates by stack name. */
  readonly templates: Map<
    string,
    {
      Resources: Record<string, { Type: string; Properties?: Record<string, unknown>; DependsOn?: string[] }>;
      Outputs?: Record<string, unknown>;
      Parameters?: Record<string, unknown>;
      Metadata?: Record<string, unknown>;
    }
  >;
  template(stack: string): Template;
  cleanup(): void;
}

/** Synthesizes without the CDK's template validation unless asked (it takes two seconds; examples.test runs it). */
export function synth(
  source: { file: string } | { yaml: string },
  options: { nag?: boolean; validate?: boolean } = {},
): Synthesized {
  const topology = 'file' in source ? loadConfig(source.file) : parseConfig(source.yaml, 'test.yaml');
  const dir = mkdtempSync(join(tmpdir(), 'ls-test-'));
  try {
    const assembly = buildApp(topology, {
      outdir: dir,
      nag: options.nag,
      validate: options.validate ?? false,
    }).app.synth();
    const templates = new Map(assembly.stacks.map((s) => [s.stackName, s.template]));
    return {
      topology,
      dir,
      templates,
      template: (stack) =>
        Template.fromJSON(
          templates.get(stack) ?? assert(`no stack ${stack}; have ${[...templates.keys()].join(', ')}`),
        ),
      cleanup: () => rmSync(dir, { recursive: true, force: true }),
    };
  } catch (e) {
    rmSync(dir, { recursive: true, force: true });
    throw e;
  }
}

function assert(message: string): never {
  throw new Error(message);
}

/** Resources of one type in a raw template. */
export const ofType = (t: Synthesized['templates'] extends Map<string, infer T> ? T : never, type: string) =>
  Object.entries(t.Resources).filter(([, r]) => r.Type === type);

/**
 * An example synthesized before a suite's tests and removed after them, with its model: `set` receives both (as
 * exampleTwin hands a running twin over).
 */
export function exampleModel(
  hooks: { before: (fn: () => void) => void; after: (fn: () => void) => void },
  name: string,
  set: (synthesized: Synthesized, model: InfraModel) => void,
): void {
  let synthesized: Synthesized | undefined;
  hooks.before(() => {
    synthesized = synth({ file: example(name) });
    set(synthesized, loadModel(synthesized.dir));
  });
  hooks.after(() => synthesized?.cleanup());
}
