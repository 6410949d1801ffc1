// The pictures the README shows, made by the commands' own library: the seed's diagram (--check) and check's page of
// a broken variant of the seed (its RAM invitation not accepted), in English and Japanese; and screenshots of the
// pages taken in the offline browser. `npm run pictures` writes them; test/pictures.test.ts fails when they are stale.
import { createHash } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { check } from '../../src/check/index.js';
import { checkPage, diagram } from '../../src/diagram/index.js';
import type { InfraModel } from '../../src/model/index.js';
import type { OfflineBrowser } from './browser.js';
import { repo } from './synth.js';

export const PICTURES = join(repo, 'docs', 'pictures');
/** Which page each screenshot was taken of, by the page's SHA-256: a stale screenshot is one whose page changed. */
export const SCREENSHOTS = 'screenshots.json';

/** The seed with its RAM invitation not accepted: its consumers' expected paths break at the share hop. */
export const brokenSeed = (seed: InfraModel): InfraModel => ({ ...seed, acceptances: [] });

/** The checked-in pictures, by file name in docs/pictures: SVGs and pages. */
export async function pictureFiles(seed: InfraModel): Promise<Map<string, string>> {
  const broken = brokenSeed(seed);
  const files = new Map<string, string>();
  for (const lang of ['en', 'ja'] as const) {
    const suffix = lang === 'en' ? '' : '.ja';
    files.set(`seed${suffix}.svg`, await diagram(seed, { format: 'svg', check: true, lang }));
    const variant = lang === 'en' ? ', its RAM invitation not accepted' : ' (RAM の招待が未承諾)';
    const source = `examples/seed/lattice-share.yaml${variant}`;
    files.set(`seed-broken${suffix}.html`, await checkPage(check(broken), broken, { lang, source }));
  }
  return files;
}

/** A screenshot shows the page's top: the summary, the diagram and the first rows, one of them opened. */
const SHOT_HEIGHT = 1500;

export const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');

/**
 * Screenshots (PNG) of the pages among `files`, each named as its page, with the hash of the page it shows; the pages
 * are opened from `dir`, where `files` are written first.
 */
export async function screenshotsOf(
  browser: OfflineBrowser,
  files: Map<string, string>,
  dir: string,
): Promise<{ pngs: Map<string, Buffer>; taken: Record<string, string> }> {
  const pngs = new Map<string, Buffer>();
  const taken: Record<string, string> = {};
  for (const [name, text] of files) {
    if (!name.endsWith('.html')) continue;
    writeFileSync(join(dir, name), text);
    const page = await browser.browser.newPage({ viewport: { width: 1280, height: 900 } });
    await page.goto(pathToFileURL(join(dir, name)).href);
    // As a reader would look at it: the first blocked path opened to its hops.
    await page.locator('details.flow[data-verdict="BLOCKED"] summary').first().click();
    const png = name.replace(/\.html$/, '.png');
    const height = Math.min(SHOT_HEIGHT, await page.evaluate(() => document.documentElement.scrollHeight));
    pngs.set(png, await page.screenshot({ fullPage: true, clip: { x: 0, y: 0, width: 1280, height } }));
    taken[png] = sha256(text);
    await page.close();
  }
  return { pngs, taken };
}
