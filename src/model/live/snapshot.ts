// A snapshot of what doctor read: the live model (no secret is in it: the model holds no password), the calls made
// and the problems met, so that `check FILE` and a bug report reuse it without credentials.
import { readFileSync } from 'node:fs';
import { SNAPSHOT_KIND } from '../../assembly/index.js';
import { LatticeShareError } from '../../shared/errors.js';
import type { InfraModel } from '../types.js';
import type { LiveModel, LiveTarget } from './index.js';

export interface Snapshot extends LiveModel {
  readonly kind: typeof SNAPSHOT_KIND;
  readonly version: 1;
  readonly takenAt: string;
  readonly targets: readonly LiveTarget[];
}

export const snapshotOf = (live: LiveModel, targets: readonly LiveTarget[], takenAt: Date): Snapshot => ({
  kind: SNAPSHOT_KIND,
  version: 1,
  takenAt: takenAt.toISOString(),
  targets,
  ...live,
});

/** The model a snapshot file holds; one clear line when it is not one. */
export function readSnapshot(file: string): InfraModel {
  let data: Partial<Snapshot>;
  try {
    data = JSON.parse(readFileSync(file, 'utf8')) as Partial<Snapshot>;
  } catch (e) {
    throw new LatticeShareError('LS_INPUT_UNREADABLE', `${file}: not a doctor snapshot (${(e as Error).message})`);
  }
  if (data.kind !== SNAPSHOT_KIND || data.version !== 1 || !data.model)
    throw new LatticeShareError('LS_INPUT_UNREADABLE', `${file}: not a doctor snapshot of version 1`);
  return data.model;
}
