// lattice-share's synth as the CLI runs it: read the config, build the stacks, write the assembly.
import { buildApp } from '../src/app/index.js';
import { loadConfig } from '../src/config/index.js';

const [config, outdir, nag] = process.argv.slice(2);
buildApp(loadConfig(config!), { outdir, nag: nag === 'nag' }).app.synth();
