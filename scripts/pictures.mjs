// npm run pictures: regenerates docs/pictures, the pictures the README shows (the seed's diagram and check's page of
// a broken variant, English and Japanese, with screenshots of the pages taken in the offline browser; needs root and
// chromium: bash scripts/install-system-deps.sh --browser). test/pictures.test.ts fails when they are stale. Nothing
// in docs/pictures changes unless every picture was made.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadModel } from '../dist/src/model/index.js';
import { browserMissing, offlineBrowser } from '../dist/test/support/browser.js';
import { PICTURES, SCREENSHOTS, pictureFiles, screenshotsOf } from '../dist/test/support/pictures.js';
import { example, synth } from '../dist/test/support/synth.js';

const missing = browserMissing();
if (missing) {
  console.error(`npm run pictures: ${missing}`);
  process.exit(1);
}
const seed = synth({ file: example('seed') });
const work = mkdtempSync(join(tmpdir(), 'ls-pictures-'));
try {
  const files = await pictureFiles(loadModel(seed.dir));
  const browser = await offlineBrowser();
  let shots;
  try {
    shots = await screenshotsOf(browser, files, work);
  } finally {
    await browser.close();
  }
  mkdirSync(PICTURES, { recursive: true });
  for (const [name, text] of files) writeFileSync(join(PICTURES, name), text);
  for (const [name, png] of shots.pngs) writeFileSync(join(PICTURES, name), png);
  writeFileSync(join(PICTURES, SCREENSHOTS), `${JSON.stringify(shots.taken, null, 2)}\n`);
  console.log(`wrote ${[...files.keys(), ...shots.pngs.keys(), SCREENSHOTS].join(', ')} in ${PICTURES}`);
} finally {
  rmSync(work, { recursive: true, force: true });
  seed.cleanup();
}
