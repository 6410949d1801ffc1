// Entry point of the demo box: a config end to end on this machine (npm start: the seed). Synthesizes it, brings it up
// in the twin, tries check's verdicts from the consumers' EC2 instances with real clients (checks.ts), takes it down.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { synthesizeIsolated } from '../app/index.js';
import { loadConfig } from '../config/index.js';
import { check } from '../check/index.js';
import { loadModel, type InfraModel } from '../model/index.js';
import { LatticeShareError } from '../shared/errors.js';
import { ioOf, type IoHost } from '../shared/io.js';
import { down, InterruptedError, readState, status, up } from '../twin/index.js';
import { databaseChecks, type Check } from './checks.js';

export { table, type Check } from './checks.js';

export interface DemoOptions {
  readonly config: string;
  readonly name: string;
  /** Receives the demo's messages (LS_DEMO_I…, and the twin's inside). @default none */
  readonly io?: IoHost;
  /** Aborted on Ctrl-C: the demo stops where it is and takes down what it made. */
  readonly signal?: AbortSignal;
}

export async function runDemo(o: DemoOptions): Promise<Check[]> {
  const work = mkdtempSync(join(tmpdir(), 'lattice-share-demo-'));
  try {
    if (readState(o.name)) down(o.name); // left by an earlier run that was killed
    const io = ioOf(o.io);
    io.info('LS_DEMO_I3000', `synthesizing ${o.config}`, { config: o.config });
    loadConfig(o.config); // invalid input: the config error, before anything is made
    const synth = await synthesizeIsolated(o.config, join(work, 'cdk.out'), { validate: false }, o.signal);
    if (synth.interrupted) throw new InterruptedError(String(o.signal?.reason ?? 'aborted'));
    if (!synth.ok) throw new LatticeShareError('LS_SYNTH_FAILED', `synth failed: ${synth.errors}`);
    const t0 = Date.now();
    const model = loadModel(join(work, 'cdk.out'), { standIns: true });
    await up(model, {
      name: o.name,
      assembly: join(work, 'cdk.out'),
      io: io.host,
      signal: o.signal,
    });
    const durationMs = Date.now() - t0;
    io.info('LS_DEMO_I3001', "checking from the consumer's EC2 instances", { durationMs });
    return checks(o.name, model);
  } finally {
    down(o.name);
    rmSync(work, { recursive: true, force: true });
  }
}

/** Check's verdicts on the twin's model, tried from its workloads for every database it runs. */
function checks(name: string, model: InfraModel): Check[] {
  const s = status(name);
  const report = check(model);
  const gateways = s.gateways.flatMap((g) => g.ips);
  return s.databases.filter((d) => d.passwordFile).flatMap((db) => databaseChecks(name, db, report.flows, gateways));
}
