// check's page (check --html): self-contained, every path a row with its hops, hostile text kept as text; and in a
// real headless browser with no network (Debian's chromium, playwright-core): it loads from a file with no console
// error and no request, the verdict filter shows only blocked rows, a row opens to its hops, screenshots are sane.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { after, before, describe, it } from 'node:test';
import type { Page } from 'playwright-core';
import { check, type Flow } from '../src/check/index.js';
import { checkPage, diagram } from '../src/diagram/index.js';
import type { InfraModel } from '../src/model/index.js';
import { browserOnly, offlineBrowser, pngSize, type OfflineBrowser } from './support/browser.js';
import { brokenSeed } from './support/pictures.js';
import { example, exampleModel, repo } from './support/synth.js';

const bin = join(repo, 'dist', 'src', 'cli', 'main.js');
const run = (...args: string[]) => spawnSync(process.execPath, [bin, ...args], { encoding: 'utf8', cwd: repo });
const work = mkdtempSync(join(tmpdir(), 'ls-page-'));
after(() => rmSync(work, { recursive: true, force: true }));

let model: InfraModel;
exampleModel({ before, after }, 'seed', (_, loaded) => (model = loaded));
/** The seed with its RAM invitation not accepted: app's expected paths break at the share hop. */
const broken = () => brokenSeed(model);

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

  it('keeps hostile text as text: workloads, shares, configurations and gateways named as markup stay escaped', async () => {
    const evil = '<script>alert(1)</script>"><img src=x onerror=alert(2)>';
    const hostile: InfraModel = {
      ...model,
      instances: model.instances.map((i) => ({ ...i, name: `${i.name}${evil}` })),
      shares: model.shares.map((share) => ({ ...share, name: `${share.name}${evil}` })),
      configurations: model.configurations.map((c) => ({ ...c, name: `${c.name}${evil}` })),
      gateways: model.gateways.map((g) => ({ ...g, name: `${g.name}${evil}` })),
    };
    const report = check(hostile);
    // The report carries the hostile text where the page shows it (else this test would prove nothing).
    assert.ok(report.flows.every((f) => f.client.label.endsWith(evil) && f.configuration.endsWith(evil)));
    const details = report.flows.flatMap((f) => f.attempts.flatMap((a) => a.hops.map((h) => h.detail)));
    for (const name of [...hostile.shares, ...hostile.gateways].map((x) => x.name))
      assert.ok(
        details.some((d) => d.includes(name)),
        `a hop names ${name}`,
      );
    const page = await checkPage(report, hostile, { source: `input${evil}` });
    assert.equal(page.match(/<script/gi)?.length, 1, "only the page's own script");
    assert.doesNotMatch(page, /<img|onerror=alert\(2\)>/i);
    assert.ok(page.includes('&lt;script&gt;alert(1)&lt;/script&gt;&quot;&gt;&lt;img src=x onerror=alert(2)&gt;'));
    assert.match(page, /data-client="app&lt;script&gt;/);
    assert.match(page, /data-resource="[^"]*&lt;script&gt;/);
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
    const kept = join(work, 'kept.txt');
    writeFileSync(kept, 'not ours');
    const link = join(work, 'link.html');
    symlinkSync(kept, link);
    const input = join(work, 'input.yaml');
    writeFileSync(input, readFileSync(example('seed')));
    for (const [given, ...args] of [
      [example('seed'), '--lang', 'ja'],
      [example('seed'), '--html', work],
      [example('seed'), '--html', link],
      [example('seed'), '--html', join(work, 'no', 'such.html')],
      [example('seed'), '--html', file, '--lang', 'fr'],
      [input, '--html', input],
    ] as const) {
      const bad = run('check', given, ...args);
      assert.equal(bad.status, 2, `${args.join(' ')}: ${bad.stderr}`);
      assert.equal(bad.stderr.trim().split('\n').length, 1, bad.stderr);
      assert.equal(bad.stdout, '', 'refused before anything is checked');
    }
    assert.equal(readFileSync(kept, 'utf8'), 'not ours', 'the link was not followed');
    assert.equal(readFileSync(input, 'utf8'), readFileSync(example('seed'), 'utf8'), 'the input is unchanged');
  });

  it('writes the page when check finds a path broken (exit 1), and --json stays one JSON document', () => {
    const file = join(work, 'broken.html');
    const r = run('check', example('seed'), '--expect', 'other -> orders-db', '--json', '--html', file);
    assert.equal(r.status, 1, r.stderr);
    assert.equal(JSON.parse(r.stdout).ok, false);
    assert.match(readFileSync(file, 'utf8'), /<p id="verdict" class="failed">/);
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

/** The rows of check's page a reader sees (laid out, not only not hidden): verdict, client and resource of each. */
const visibleRows = (page: Page) =>
  page.$$eval('details.flow', (rows) =>
    rows
      .filter((r) => r.checkVisibility())
      .map((r) => [r.getAttribute('data-verdict'), r.getAttribute('data-client'), r.getAttribute('data-resource')]),
  );

describe('check --html in a real browser (chromium, no network)', browserOnly(), () => {
  let browser: OfflineBrowser;
  const mixedFile = join(work, 'seed.html');
  const pageFile = join(work, 'broken.html');
  const svgFile = join(work, 'seed.svg');
  before(async () => {
    browser = await offlineBrowser();
    writeFileSync(mixedFile, await checkPage(check(model), model, { source: 'seed' }));
    writeFileSync(pageFile, await checkPage(check(broken()), broken(), { source: 'seed, invitation not accepted' }));
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

  it('each filter shows only its rows (as the eye sees them): blocked, one client, one resource, and together', () =>
    holdsFilters(browser, mixedFile));

  it('opening a row shows its hops, the blocking one with its reason and fix', async () => {
    const { page } = await openedIn(browser, pageFile);
    const row = page.locator('details.flow[data-verdict="BLOCKED"]').first();
    assert.equal(await row.locator('table.hops').first().isVisible(), false, 'closed at first');
    await row.locator('summary').click();
    const table = row.locator('table.hops').first();
    assert.equal(await table.isVisible(), true);
    const cells = await table.locator('tr.block').first().locator('td').allInnerTexts();
    assert.deepEqual(cells.slice(0, 3), ['share', 'block', 'INVITATION_NOT_ACCEPTED']);
    assert.match(cells[5] ?? '', /^accept the RAM invitation in account \d{12}/, 'the fix, in its own column');
    await page.close();
  });

  it('screenshots of the page and of the SVG are PNGs of a sane size', async () => {
    for (const file of [pageFile, svgFile]) await holdsSaneScreenshot(browser, file);
  });

  it("the legend's words stay inside its box as the browser draws them, in English and in Japanese", async () => {
    for (const lang of ['en', 'ja'] as const) {
      const file = join(work, `legend.${lang}.svg`);
      writeFileSync(file, await diagram(model, { check: true, lang }));
      const { page } = await openedIn(browser, file);
      const overflow = await page.$eval('g.node.legend', (legend) => {
        const outline = legend.querySelector('path');
        if (!outline) return ['(the legend has no box)'];
        const box = outline.getBBox();
        const texts = [...legend.querySelectorAll('text')].map((t) => ({ text: t.textContent, box: t.getBBox() }));
        return texts.filter((t) => t.box.x < box.x || t.box.x + t.box.width > box.x + box.width).map((t) => t.text);
      });
      assert.deepEqual(overflow, [], `${lang}: words drawn past the legend's box`);
      await page.close();
    }
  });
});

/** A screenshot of `file` in the browser is a PNG of a sane size: wide and high enough, and not a blank page. */
async function holdsSaneScreenshot(browser: OfflineBrowser, file: string): Promise<void> {
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

/** check's page of the seed as it is (some paths reachable, some blocked, three clients): each filter, and two. */
async function holdsFilters(browser: OfflineBrowser, file: string): Promise<void> {
  const { page } = await openedIn(browser, file);
  const flows = check(model).flows;
  const shown = () => visibleRows(page);
  const expect = (keep: (f: Flow) => boolean) =>
    flows.filter(keep).map((f) => [f.disposition, f.client.label, f.configuration]);
  await page.selectOption('#filter-verdict', 'BLOCKED');
  const blocked = expect((f) => f.disposition === 'BLOCKED');
  assert.ok(blocked.length > 0 && blocked.length < flows.length, 'the seed mixes verdicts');
  assert.deepEqual(await shown(), blocked);
  assert.equal(await page.textContent('#shown'), `${blocked.length} of ${flows.length} paths shown`);
  await page.selectOption('#filter-client', 'app');
  assert.deepEqual(await shown(), [], "app's paths all pass");
  await page.selectOption('#filter-verdict', '');
  assert.deepEqual(
    await shown(),
    expect((f) => f.client.label === 'app'),
  );
  const resource = flows[0]?.configuration ?? '';
  await page.selectOption('#filter-client', '');
  await page.selectOption('#filter-resource', resource);
  assert.deepEqual(
    await shown(),
    expect((f) => f.configuration === resource),
  );
  await page.close();
}
