// The owner stacks' deployed outputs, as `deploy` writes them (outputs.json beside the assembly) or prints them with
// --json: { "<stack>": { "<output>": "<value>" } }, or that object under "outputs".
import { existsSync, readFileSync, statSync } from 'node:fs';
import { LatticeShareError } from '../shared/errors.js';
import type { StackOutputs } from './plan.js';

const MAX_OUTPUTS_BYTES = 10 * 1024 * 1024;

const isRecord = (value: unknown): value is Record<string, unknown> =>
  value !== null && typeof value === 'object' && !Array.isArray(value);

export function readOutputsFile(file: string): StackOutputs {
  const bad = (why: string) => new LatticeShareError('LS_INPUT_UNREADABLE', `${file}: ${why}`);
  if (!existsSync(file)) throw bad('no such file');
  if (!statSync(file).isFile()) throw bad('a folder, not an outputs file');
  if (statSync(file).size > MAX_OUTPUTS_BYTES) throw bad('too large for an outputs file');
  let data: unknown;
  try {
    data = JSON.parse(readFileSync(file, 'utf8'));
  } catch {
    throw bad('not JSON: give the outputs.json deploy wrote, or what deploy --json printed');
  }
  const stacks = isRecord(data) && isRecord(data.outputs) ? data.outputs : data;
  if (!isRecord(stacks)) throw bad('expected { "<stack>": { "<output>": "<value>" } }');
  for (const [stack, outputs] of Object.entries(stacks)) {
    if (!isRecord(outputs)) throw bad(`${stack}: expected its outputs as { "<output>": "<value>" }`);
    for (const [key, value] of Object.entries(outputs))
      if (typeof value !== 'string') throw bad(`${stack}.${key}: expected a string`);
  }
  return stacks as StackOutputs;
}
