// `node synth-child.js <config> <outdir> [nag]`: synthesizes in its own process (see synthesizeIsolated).
import { buildApp } from './index.js';
import { ConfigError, formatDiagnostic, loadConfig } from '../config/index.js';

const [config, outdir, nag] = process.argv.slice(2);
try {
  buildApp(loadConfig(config!), { outdir, nag: nag === 'nag' }).app.synth();
} catch (e) {
  process.stderr.write(
    e instanceof ConfigError ? `${e.diagnostics.map(formatDiagnostic).join('\n')}\n` : `${(e as Error).message}\n`,
  );
  process.exit(1);
}
