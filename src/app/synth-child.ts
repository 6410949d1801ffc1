// `node synth-child.js <config> <outdir> [nag] [no-validation]`: synthesizes in its own process (synthesizeIsolated).
import { buildApp } from './index.js';
import { ConfigError, formatDiagnostic, loadConfig } from '../config/index.js';

const [config, outdir, ...flags] = process.argv.slice(2);
try {
  const options = { outdir, nag: flags.includes('nag'), validate: !flags.includes('no-validation') };
  buildApp(loadConfig(config!), options).app.synth();
} catch (e) {
  process.stderr.write(
    e instanceof ConfigError ? `${e.diagnostics.map(formatDiagnostic).join('\n')}\n` : `${(e as Error).message}\n`,
  );
  process.exit(1);
}
