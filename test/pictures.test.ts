// The README's pictures (docs/pictures) are what the commands make today: the SVGs and pages equal what the library
// writes now, and every screenshot was taken of the page as it is (npm run pictures regenerates all of them).
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { InfraModel } from '../src/model/index.js';
import { pngSize } from './support/browser.js';
import { PICTURES, SCREENSHOTS, pictureFiles, sha256 } from './support/pictures.js';
import { exampleModel, repo } from './support/synth.js';

let seed: InfraModel;
exampleModel({ before, after }, 'seed', (_, loaded) => (seed = loaded));

describe("the README's pictures", () => {
  it('are what the commands make now, screenshots included (npm run pictures regenerates them)', async () => {
    const files = await pictureFiles(seed);
    const stale = (name: string) => `docs/pictures/${name} is stale: run npm run pictures (as root, with chromium)`;
    for (const [name, text] of files) {
      assert.ok(existsSync(join(PICTURES, name)), stale(name));
      assert.ok(readFileSync(join(PICTURES, name), 'utf8') === text, stale(name));
    }
    const taken = JSON.parse(readFileSync(join(PICTURES, SCREENSHOTS), 'utf8')) as Record<string, string>;
    for (const [name, text] of files) {
      if (!name.endsWith('.html')) continue;
      const png = name.replace(/\.html$/, '.png');
      assert.equal(taken[png], sha256(text), stale(png));
      assert.ok(pngSize(readFileSync(join(PICTURES, png))).width >= 800, png);
    }
  });

  it('are the ones the READMEs show', () => {
    for (const [readme, lang] of [
      ['README.md', ''],
      ['README.ja.md', '.ja'],
    ] as const) {
      const text = readFileSync(join(repo, readme), 'utf8');
      for (const picture of [`seed${lang}.svg`, `seed-broken${lang}.png`, `seed-broken${lang}.html`])
        assert.ok(text.includes(`docs/pictures/${picture}`), `${readme} shows docs/pictures/${picture}`);
    }
  });
});
