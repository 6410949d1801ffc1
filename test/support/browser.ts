// A real headless browser for the pages lattice-share writes: Debian's chromium driven by playwright-core, started in
// a network namespace of its own (unshare --net: only a loopback that is down), so it cannot reach anything. The
// wrapper script that does so lives in a temporary folder this module makes and removes.
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type Browser } from 'playwright-core';
import { rootDemanded } from './root.js';

/** Where the project's install script (install-system-deps.sh --browser) puts Debian's chromium. */
export const CHROMIUM = '/usr/bin/chromium';

/** Why the browser tests cannot run here, or undefined when they can. */
export function browserMissing(): string | undefined {
  if (!existsSync(CHROMIUM)) return `${CHROMIUM} is not installed (bash scripts/install-system-deps.sh --browser)`;
  if (process.getuid?.() !== 0) return 'the browser is started in a network namespace of its own, which needs root';
  return undefined;
}

/**
 * The options of a suite that needs the browser: `{ skip: why }` when it cannot run here, unless root suites are
 * demanded (LATTICE_SHARE_REQUIRE_ROOT=1, set by .ci/run): then it fails, so CI never passes without it.
 */
export function browserOnly(): { skip?: string } {
  const missing = browserMissing();
  if (!missing) return {};
  if (rootDemanded) throw new Error(`LATTICE_SHARE_REQUIRE_ROOT=1 but the browser tests cannot run: ${missing}`);
  return { skip: `needs the browser: ${missing}` };
}

/** The width and height of a PNG, from its IHDR chunk. */
export function pngSize(png: Buffer): { width: number; height: number } {
  if (png.subarray(1, 4).toString('latin1') !== 'PNG') throw new Error('not a PNG');
  return { width: png.readUInt32BE(16), height: png.readUInt32BE(20) };
}

export interface OfflineBrowser {
  readonly browser: Browser;
  readonly close: () => Promise<void>;
}

/** Chromium with no network at all: in a namespace of its own, its only loopback down. */
export async function offlineBrowser(): Promise<OfflineBrowser> {
  const dir = mkdtempSync(join(tmpdir(), 'ls-browser-'));
  const wrapper = join(dir, 'chromium-offline');
  writeFileSync(wrapper, `#!/bin/sh\nexec unshare --net ${CHROMIUM} "$@"\n`, { mode: 0o700 });
  try {
    const browser = await chromium.launch({ executablePath: wrapper, headless: true });
    return {
      browser,
      close: async () => {
        try {
          await browser.close();
        } finally {
          rmSync(dir, { recursive: true, force: true });
        }
      },
    };
  } catch (e) {
    rmSync(dir, { recursive: true, force: true });
    throw e;
  }
}
