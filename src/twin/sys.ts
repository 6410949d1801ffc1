// Running system tools with argv arrays (never a shell), with errors that say what failed.
import { spawnSync } from 'node:child_process';

export class TwinError extends Error {
  readonly code = 'LS_TWIN_FAILED';
}

export function run(cmd: string, args: string[], input?: string): string {
  const r = spawnSync(cmd, args, { encoding: 'utf8', input, stdio: ['pipe', 'pipe', 'pipe'] });
  if (r.error) throw new TwinError(`${cmd} could not run: ${r.error.message}`);
  if (r.status !== 0) throw new TwinError(`${cmd} ${args.join(' ')} failed: ${(r.stderr || r.stdout).trim().split('\n')[0]}`);
  return r.stdout;
}

/** Like run, but failure is only reported: for clean-up, which must go on. */
export function tryRun(cmd: string, args: string[]): boolean {
  return spawnSync(cmd, args, { stdio: 'ignore' }).status === 0;
}

/** What the twin needs from the system, with the command that installs it. */
export function preflight(): void {
  if (process.platform !== 'linux') throw new TwinError('the twin needs Linux network namespaces; run it on Linux');
  if (process.getuid?.() !== 0) throw new TwinError('the twin creates network namespaces and needs root; run it as root (or in a root container)');
  const missing = [['ip', 'iproute2'], ['nft', 'nftables']].filter(([cmd]) => spawnSync(cmd!, ['-V'], { stdio: 'ignore' }).error);
  if (missing.length) {
    const pkgs = missing.map(([, p]) => p).join(' ');
    throw new TwinError(`the twin needs ${missing.map(([c]) => c).join(' and ')}; install with: apt-get install -y ${pkgs} (or run bash scripts/install-system-deps.sh)`);
  }
}
