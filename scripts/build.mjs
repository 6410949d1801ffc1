// Compiles TypeScript into dist/, first removing compiled files whose source is gone (a deleted test must not run).
import { execFileSync } from 'node:child_process';
import { chmodSync, existsSync, readdirSync, rmSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
function sweep(dir) {
  if (!existsSync(dir)) return;
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) {
      sweep(path);
      continue;
    }
    const m = /^(.*)\.(js|d\.ts|js\.map)$/.exec(relative(join(root, 'dist'), path));
    if (m && !existsSync(join(root, `${m[1]}.ts`))) rmSync(path);
  }
}
sweep(join(root, 'dist'));
execFileSync(
  process.execPath,
  [join(root, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', join(root, 'tsconfig.json')],
  { stdio: 'inherit' },
);
// The CLI runs as a program (its #! line gives node its flags), as npm makes a package's bin for those who install it.
chmodSync(join(root, 'dist', 'src', 'cli', 'main.js'), 0o755);
