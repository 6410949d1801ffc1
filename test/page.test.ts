// check's page (check --html): self-contained, every path a row with its hops, hostile text kept as text; and in a
// real headless browser with no network (Debian's chromium, playwright-core): it loads from a file with no console
// error and no request, the verdict filter shows only blocked rows, a row opens to its hops, screenshots are sane.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { after, before, describe, it } from 'node:test';
import { check, type CheckReport } from '../src/check/index.js';
import { checkPage, diagram } from '../src/diagram/index.js';
import type { InfraModel } from '../src/model/index.js';
import { browserOnly, offlineBrowser, pngSize, type OfflineBrowser } from './support/browser.js';
import { example, exampleModel, repo } from './support/synth.js';

const bin = join(repo, 'dist', 'src', 'cli', 'main.js');
const run = (...args: string[]) => spawnSync(process.execPath, [bin, ...args], { encoding: 'utf8', cwd: repo });
const work = mkdtempSync(join(tmpdir(), 'ls-page-'));
after(() => rmSync(work, { recursive: true, force: true }));

let model: InfraModel;
exampleModel({ before, after }, 'seed', (_, loaded) => (model = loaded));
/** The seed with its RAM invitation not accepted: app's expected paths break at the share hop. */
const broken = () => ({ ...model, acceptances: [] });

describe('check --html: the page as text', () => {
  it('is self-contained: a policy that lets nothing leave, no external asset, the SVG inline', async () => {
    const page = await checkPage(check(model), model, { source: 'examples/seed/lattice-share.yaml' });
    assert.match(page, /<meta http-equiv="Content-Security-Policy" content="default-src 'none';/);
    assert.doesNotMatch(page, /\b(src|href)="(https?:)?\/\//, 'no asset from elsewhere');
    assert.doesNotMatch(page, /<link\b/);
    assert.match(page, /<section id="diagram"><h2>Diagram<\/h2><svg /);
    assert.equal(page.match(/<details class="flow"/g)?.length, check(model).flows.length, 'a row per path');
  });

  it('says each path, its verdict and the hop it stops at, and every finding with its fix', async () => {
    const report = check(broken());
    const page = await checkPage(report, broken(), {});
    assert.equal(report.ok, false);
    assert.match(page, /<p id="verdict" class="failed">/);
    const blocked = report.flows.filter((f) => f.disposition === 'BLOCKED');
    assert.equal(page.match(/data-verdict="BLOCKED"/g)?.length, blocked.length);
    assert.match(page, /stops at <b>share<\/b> <code>INVITATION_NOT_ACCEPTED<\/code>/);
    for (const finding of report.findings) assert.ok(page.includes(`<code>${finding.id}</code>`), finding.id);
  });

  it('keeps hostile text as text: a client named <script> stays escaped', async () => {
    const report = check(model);
    const [first, ...rest] = report.flows;
    assert.ok(first);
    const label = '<script>alert(1)</script>"><img src=x>';
    const hostile: CheckReport = { ...report, flows: [{ ...first, client: { ...first.client, label } }, ...rest] };
    const page = await checkPage(hostile, model, {});
    assert.ok(!page.includes(label));
    assert.ok(page.includes('&lt;script&gt;alert(1)&lt;/script&gt;&quot;&gt;&lt;img src=x&gt;'));
    assert.equal(page.match(/<script>/g)?.length, 1, "only the page's own script");
  });

  it('in Japanese has the Japanese words; diagram --format html is the same page', async () => {
    const ja = await checkPage(check(model), model, { lang: 'ja' });
    assert.match(ja, /<html lang="ja">/);
    assert.match(ja, /構成図/);
    assert.match(ja, /凡例/);
    assert.equal(await diagram(model, { format: 'html' }), await checkPage(check(model), model, {}));
  });
});

describe('check --html on the command line', () => {
  it('writes the page and exits as check does; --lang alone or a folder as --html is one line and exit 2', () => {
    const file = join(work, 'seed.html');
    const r = run('check', example('seed'), '--html', file, '--lang', 'ja');
    assert.equal(r.status, 0, r.stderr);
    assert.match(r.stderr, /wrote .*seed\.html \(\d+ bytes\)/);
    assert.match(readFileSync(file, 'utf8'), /<html lang="ja">/);
    for (const args of [
      ['--lang', 'ja'],
      ['--html', work],
      ['--html', join(work, 'no', 'such.html')],
      ['--html', file, '--lang', 'fr'],
    ]) {
      const bad = run('check', example('seed'), ...args);
      assert.equal(bad.status, 2, `${args.join(' ')}: ${bad.stderr}`);
      assert.equal(bad.stderr.trim().split('\n').length, 1, bad.stderr);
      assert.equal(bad.stdout, '', 'refused before anything is checked');
    }
  });
});

/** A page of the browser loading `file`, with every console error and request it makes. */
async function openedIn(browser: OfflineBrowser, file: string) {
  const page = await browser.browser.newPage({ viewport: { width: 1280, height: 900 } });
  const errors: string[] = [];
  const requests: string[] = [];
  page.on('console', (m) => void (m.type() === 'error' && errors.push(m.text())));
  page.on('pageerror', (e) => void errors.push(String(e)));
  page.on('request', (r) => void requests.push(r.url()));
  await page.goto(pathToFileURL(file).href);
  return { page, errors, requests };
}

describe('check --html in a real browser (chromium, no network)', browserOnly(), () => {
  let browser: OfflineBrowser;
  let pageFile: string;
  let svgFile: string;
  before(async () => {
    browser = await offlineBrowser();
    pageFile = join(work, 'broken.html');
    writeFileSync(pageFile, await checkPage(check(broken()), broken(), { source: 'seed, invitation not accepted' }));
    svgFile = join(work, 'seed.svg');
    writeFileSync(svgFile, await diagram(model, { check: true }));
  });
  after(async () => browser?.close());

  it('loads from a file with no console error and no request but its own file', async () => {
    const { page, errors, requests } = await openedIn(browser, pageFile);
    assert.deepEqual(errors, []);
    assert.deepEqual(requests, [pathToFileURL(pageFile).href]);
    assert.match((await page.textContent('#shown')) ?? '', /^(\d+) of \1 paths shown$/);
    await page.close();
  });

  it('the verdict filter shows only blocked rows, as many as the summary says', async () => {
    const { page } = await openedIn(browser, pageFile);
    const blocked = check(broken()).summary.blocked;
    await page.selectOption('#filter-verdict', 'BLOCKED');
    // What the eye sees: the rows laid out on the page, not the attribute the script sets.
    const shown = await page.$$eval('details.flow', (rows) =>
      rows.filter((r) => r.checkVisibility()).map((r) => r.getAttribute('data-verdict')),
    );
    assert.ok(blocked > 0);
    assert.deepEqual(shown, Array(blocked).fill('BLOCKED'));
    assert.equal(await page.textContent('#shown'), `${blocked} of ${check(broken()).flows.length} paths shown`);
    await page.close();
  });

  it('opening a row shows its hops, the blocking one with its reason and fix', async () => {
    const { page } = await openedIn(browser, pageFile);
    const row = page.locator('details.flow[data-verdict="BLOCKED"]').first();
    assert.equal(await row.locator('table.hops').first().isVisible(), false, 'closed at first');
    await row.locator('summary').click();
    const table = row.locator('table.hops').first();
    assert.equal(await table.isVisible(), true);
    const blockRow = (await table.locator('tr.block').first().innerText()).replace(/\s+/g, ' ');
    assert.match(blockRow, /^share block INVITATION_NOT_ACCEPTED .* accept/i);
    await page.close();
  });

  it('screenshots of the page and of the SVG are PNGs of a sane size', async () => {
    for (const file of [pageFile, svgFile]) {
      const { page } = await openedIn(browser, file);
      // A document that is only an SVG has no body to measure for a full-page shot: its <svg> is the picture.
      const png = file.endsWith('.svg')
        ? await page.locator('svg').first().screenshot()
        : await page.screenshot({ fullPage: true });
      const { width, height } = pngSize(png);
      assert.ok(width >= 800 && width <= 4000, `${file}: ${width} wide`);
      assert.ok(height >= 300 && height <= 20000, `${file}: ${height} high`);
      assert.ok(png.length > 20_000, `${file}: ${png.length} bytes is more than a blank page`);
      await page.close();
    }
  });
});
