/**
 * End to end: `loopsim play` and play.html in headless Chromium, one browser
 * for every check. The page's run of retry-storm gives summary.json byte for
 * byte as `loopsim run` does; moving the retry sliders re-runs it in the
 * worker and the verdict turns from metastable to recovered; a pinned run
 * is overlaid on the later ones; no request
 * leaves the page. Needs dist/ (test/global-setup.ts builds it): the page
 * carries dist/play/engine.js.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { main } from '../../sim/cli/main.js';
import { CHROMIUM, hasChromium, launchChromium, watchedPage } from '../helpers/chromium.js';

const root = fileURLToPath(new URL('../../', import.meta.url));
const RETRY_STORM = join(root, 'scenarios/retry-storm.yaml');
/** The page with the engine and every library must stay below this (the figure). */
const MAX_PAGE_BYTES = 2.5 * 1024 * 1024;

if (!hasChromium) console.warn(`play.e2e: skipped, ${CHROMIUM} does not exist (install it with: apt-get install -y chromium)`);

/** Runs the CLI in this process; its exit code, stdout and stderr. */
async function cli(argv: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const code = await main(argv, { out: (t) => void (out += t), err: (t) => void (err += t) });
  return { code, out, err };
}

describe('loopsim play', () => {
  const dir = mkdtempSync(join(tmpdir(), 'loopsim-play-'));

  it('refuses a bad scenario with the messages of validate, exit 2, and writes nothing', async () => {
    const r = await cli(['play', join(root, 'test/fixtures/does-not-exist.yaml'), '--out', join(dir, 'bad.html')]);
    expect(r.code).toBe(2);
    expect(r.err).toContain('no such file');
    expect(existsSync(join(dir, 'bad.html'))).toBe(false);
  });

  it('--open hands the written page to the opener', async () => {
    const { playCommand } = await import('../../sim/cli/play.js');
    const opened: string[] = [];
    const out = join(dir, 'opened.html');
    const code = await playCommand(RETRY_STORM, { out, open: true, opener: (f) => void opened.push(f) }, { out: () => {}, err: () => {} });
    expect(code).toBe(0);
    expect(opened).toEqual([out]);
  });

  it('loopsim run --play writes play.html beside report.html, which links to it; not with --no-report, nor without --play', async () => {
    const out = join(dir, 'run-play');
    const r = await cli(['run', RETRY_STORM, '--play', '--quiet', '--out', out]);
    expect(r.code).toBe(0);
    expect(existsSync(join(out, 'play.html'))).toBe(true);
    expect(readFileSync(join(out, 'report.html'), 'utf8')).toContain('<a href="play.html">');
    const plain = await cli(['run', RETRY_STORM, '--quiet', '--out', join(dir, 'run-plain')]);
    expect(plain.code).toBe(0);
    expect(existsSync(join(dir, 'run-plain/play.html'))).toBe(false);
    expect(readFileSync(join(dir, 'run-plain/report.html'), 'utf8')).not.toContain('href="play.html"');
    const bare = await cli(['run', RETRY_STORM, '--play', '--no-report', '--quiet', '--out', join(dir, 'run-bare')]);
    expect(bare.code).toBe(0);
    expect(bare.err).toContain('no play.html is written');
    expect(existsSync(join(dir, 'run-bare/play.html'))).toBe(false);
  }, 60_000);
});

describe.skipIf(!hasChromium)(`play.html in headless Chromium (${CHROMIUM})`, () => {
  const dir = mkdtempSync(join(tmpdir(), 'loopsim-play-'));
  const file = join(dir, 'play.html');
  let browser: Browser;
  let page: Page;
  let escaped: string[] = [];
  let errors: string[] = [];

  beforeAll(async () => {
    const r = await cli(['play', RETRY_STORM, '--out', file]);
    expect(r).toMatchObject({ code: 0, out: `${file}\n` });
    browser = await launchChromium();
    ({ page, escaped, errors } = await watchedPage(browser, { width: 1200, height: 900 }));
    await page.goto(pathToFileURL(file).href);
    // Chromium takes several seconds to start on a loaded machine.
  }, 60_000);

  afterAll(async () => {
    await browser?.close();
  });

  /** Runs finished so far. */
  const runs = (): Promise<number> => page.evaluate('window.loopsimPlay.runs');

  /** Does `action`, then waits until a run after it has finished and shows (a move starts its run at once). */
  async function rerun(action: () => Promise<void>): Promise<void> {
    const before = await runs();
    await action();
    await page.waitForFunction(`window.loopsimPlay.runs > ${before} && document.body.dataset.run === 'done'`, null, { timeout: 120_000 });
  }

  it(`is self-contained and below ${MAX_PAGE_BYTES} bytes with the engine and the chart libraries`, () => {
    expect(statSync(file).size).toBeLessThan(MAX_PAGE_BYTES);
  });

  it('runs the scenario in the browser: summary.json byte for byte as `loopsim run` writes it', async () => {
    const run = spawnSync(
      process.execPath,
      [join(root, 'bin/loopsim.js'), 'run', RETRY_STORM, '--no-report', '--quiet', '--out', join(dir, 'run')],
      { encoding: 'utf8' },
    );
    expect(run.status).toBe(0);
    await page.waitForFunction(`document.body.dataset.run === 'done'`, null, { timeout: 120_000 });
    const fromPage: string = await page.evaluate('window.loopsimPlay.summaryJson');
    expect(fromPage).toBe(readFileSync(join(dir, 'run/summary.json'), 'utf8'));
    expect(await page.locator('#summary-json').textContent()).toBe(fromPage);
    expect(await page.locator('#verdict').getAttribute('data-kind')).toBe('metastable');
    expect(await page.locator('#charts .vega svg').count()).toBeGreaterThan(3);
  });

  it('moving the retry sliders to one attempt re-runs it: the storm no longer sustains itself', async () => {
    await rerun(async () => {
      await page.locator('[data-path="services.payments.calls[0].retry.attempts"]').fill('1');
      await page.locator('[data-path="clients.checkout.retry.attempts"]').fill('1');
    });
    expect(await page.locator('#verdict').getAttribute('data-kind')).toBe('recovered');
    expect(await page.locator('.control.moved').count()).toBe(2);
  });

  it('a re-run pours its rows into the charts on screen (the same vega views), and its titles above them', async () => {
    // Each chart's SVG element is marked; a chart embedded again would be a new, unmarked element.
    await page.evaluate(
      `document.querySelectorAll('#charts figure .vega svg').forEach(function (s) { s.setAttribute('data-kept', '1'); })`,
    );
    const before = await page.locator('#charts figure .vega svg[data-kept]').count();
    const path = (): Promise<string> =>
      page.evaluate(
        `Array.from(document.querySelectorAll('#charts figure:first-child g.mark-line path')).map(function (p) { return p.getAttribute('d'); }).join(' ')`,
      );
    const drawn = await path();
    await rerun(() => page.locator('[data-path="clients.checkout.retry.attempts"]').fill('2'));
    expect(before).toBeGreaterThan(3);
    expect(await page.locator('#charts figure .vega svg[data-kept]').count()).toBe(before);
    expect(await path()).not.toBe(drawn);
    expect(await page.locator('#charts figure[data-chart="queue-depth"] figcaption strong').textContent()).toMatch(
      /Queue depth|Work waiting/,
    );
  });

  it('"Back to the file\'s values" runs the file again; the queue depth so far is drawn while it runs', async () => {
    // Partial charts go in the place of the last run's first chart: once a run has been shown.
    await page.waitForFunction(`window.loopsimPlay.runs > 0 && document.body.dataset.run === 'done'`, null, { timeout: 120_000 });
    const partials: number = await page.evaluate('window.loopsimPlay.partials');
    await rerun(() => page.locator('#reset').click());
    expect(await page.evaluate('window.loopsimPlay.partials')).toBeGreaterThan(partials);
    expect(await page.evaluate('window.loopsimPlay.firstChart.id === window.loopsimPlay.started')).toBe(true);
    expect(await page.locator('#verdict').getAttribute('data-kind')).toBe('metastable');
    expect(await page.locator('.control.moved').count()).toBe(0);
  });

  it('cutting the retry loop (one attempt everywhere) ends the storm; putting it back brings it back', async () => {
    await rerun(() => page.locator('[data-switch="no-retries"]').check());
    expect(await page.locator('#verdict').getAttribute('data-kind')).toBe('recovered');
    await rerun(() => page.locator('[data-switch="no-retries"]').uncheck());
    expect(await page.locator('#verdict').getAttribute('data-kind')).toBe('metastable');
  });

  it('pin and compare: a pinned run is drawn dashed under the later runs; unpinned, it goes', async () => {
    /** Dashed lines of the pinned run in the queue-depth chart, the first. */
    const pinnedLines = (): Promise<number> => page.locator('#charts figure').first().locator('path[stroke-dasharray="6,3"]').count();
    expect(await page.locator('#verdict').getAttribute('data-kind')).toBe('metastable');
    await page.locator('#pin').click();
    expect(await page.evaluate('window.loopsimPlay.pinned')).toBe('metastable');
    expect(await page.locator('#pinned').textContent()).toContain("Pinned: Metastable, with the file's values");
    await rerun(() => page.locator('[data-switch="no-retries"]').check());
    expect(await page.locator('#verdict').getAttribute('data-kind')).toBe('recovered');
    // Both runs on the chart: the current lines and the pinned run's, one per line.
    const solid = await page.locator('#charts figure').first().locator('g.mark-line path:not([stroke-dasharray])').count();
    expect(await pinnedLines()).toBeGreaterThan(0);
    expect(await pinnedLines()).toBe(solid);
    await page.locator('#pin').click();
    await page.waitForFunction(`document.querySelectorAll('#charts figure:first-child path[stroke-dasharray="6,3"]').length === 0`);
    expect(await page.evaluate('window.loopsimPlay.pinned')).toBeNull();
    await rerun(() => page.locator('[data-switch="no-retries"]').uncheck());
    expect(await pinnedLines()).toBe(0);
  });

  it("the time cursor: the map and the table show the run at that moment; the queue's box darkens in the storm", async () => {
    const queue = page.locator('#moment td[data-node="gateway"]').first();
    const box = page.locator('#map g.node[data-name="gateway"] rect').first();
    await page.locator('#cursor').fill('30');
    expect(await page.locator('#cursor-time').textContent()).toBe('t = 30.5 s');
    const calm = Number((await queue.textContent())?.replace(/,/g, ''));
    const calmFill = await box.getAttribute('fill');
    await page.locator('#cursor').fill('250');
    expect(await page.locator('#cursor-time').textContent()).toBe('t = 250.5 s');
    const storm = Number((await queue.textContent())?.replace(/,/g, ''));
    expect(calm).toBeLessThan(100);
    expect(storm).toBeGreaterThan(100_000);
    expect(await box.getAttribute('fill')).not.toBe(calmFill);
    // A line across the charts marks the moment; it moves with the cursor.
    const line = page.locator('#charts figure[data-chart="queue-depth"] .cursor-line');
    expect(await line.isVisible()).toBe(true);
    const at250 = await line.evaluate((el) => (el as unknown as { style: { left: string } }).style.left);
    await page.locator('#cursor').fill('30');
    const at30 = await line.evaluate((el) => (el as unknown as { style: { left: string } }).style.left);
    expect(parseFloat(at30)).toBeLessThan(parseFloat(at250));
    // A click on a chart puts the cursor at that moment: near the right end, late in the run.
    const svg = page.locator('#charts figure[data-chart="queue-depth"] .vega svg');
    const bounds = await svg.boundingBox();
    if (bounds === null) throw new Error('the queue-depth chart is not drawn');
    await svg.click({ position: { x: bounds.width * 0.8, y: bounds.height / 2 } });
    expect(Number(await page.locator('#cursor').inputValue())).toBeGreaterThan(150);
    // Played, the cursor moves on by itself.
    await page.locator('#cursor').fill('0');
    await page.locator('#animate').click();
    await page.waitForFunction(`Number(document.getElementById('cursor').value) > 10`);
    await page.locator('#animate').click();
    expect(await page.locator('#animate').textContent()).toContain('Play');
  });

  it('the editor: a misspelt field gets the message loopsim validate gives; mending it runs again', async () => {
    const text = readFileSync(RETRY_STORM, 'utf8');
    const bad = text.replace('    workers: 16', '    wrokers: 16');
    expect(bad).not.toBe(text);
    mkdirSync(join(dir, 'bad'));
    writeFileSync(join(dir, 'bad/retry-storm.yaml'), bad);
    const validate = await cli(['validate', join(dir, 'bad/retry-storm.yaml')]);
    expect(validate.code).toBe(2);
    await page.locator('#editor').fill(bad);
    await page.waitForFunction(`document.body.dataset.run === 'invalid'`, null, { timeout: 60_000 });
    const message = await page.locator('#message').textContent();
    expect(`${message}\n`).toBe(validate.err);
    expect(message).toContain('retry-storm.yaml:');
    await rerun(() => page.locator('#editor').fill(text.replace('    workers: 16', '    workers: 64')));
    expect(await page.locator('#verdict').getAttribute('data-kind')).not.toBe('metastable');
    expect(await page.locator('#message').isHidden()).toBe(true);
  });

  it('a shared link (the address of the page) replays the run: the text, the moved controls, the same summary.json', async () => {
    await rerun(() => page.locator('[data-path="services.payments.calls[0].retry.attempts"]').fill('2'));
    const link: string = await page.evaluate('window.loopsimPlay.link');
    expect(link).toMatch(/^#v1\.[\w-]+$/);
    expect(new URL(page.url()).hash).toBe(link);
    const summary: string = await page.evaluate('window.loopsimPlay.summaryJson');
    const other = await watchedPage(browser, { width: 1200, height: 900 });
    await other.page.goto(pathToFileURL(file).href + link);
    await other.page.waitForFunction(`window.loopsimPlay.runs > 0 && document.body.dataset.run === 'done'`, null, { timeout: 120_000 });
    expect(await other.page.evaluate('window.loopsimPlay.summaryJson')).toBe(summary);
    expect(await other.page.locator('#editor').inputValue()).toBe(await page.locator('#editor').inputValue());
    expect(await other.page.locator('[data-path="services.payments.calls[0].retry.attempts"]').inputValue()).toBe('2');
    expect(await other.page.locator('.control.moved').count()).toBe(1);
    await other.page.close();
  });

  it("loopsim play --url prints a link the page opens to the file's run; a pasted link is imported; a link of another format is refused", async () => {
    const r = await cli(['play', RETRY_STORM, '--url', pathToFileURL(file).href]);
    expect(r.code).toBe(0);
    await rerun(() => page.locator('#import').fill(r.out.trim()));
    expect(await page.evaluate('window.loopsimPlay.summaryJson')).toBe(readFileSync(join(dir, 'run/summary.json'), 'utf8'));
    expect(await page.locator('#editor').inputValue()).toBe(readFileSync(RETRY_STORM, 'utf8'));
    await page.locator('#import').fill(`${pathToFileURL(file).href}#v0.AAAA`);
    await page.waitForFunction(`document.body.dataset.run === 'invalid'`, null, { timeout: 60_000 });
    expect(await page.locator('#message').textContent()).toContain('format v0');
  });

  it("the play.html of `loopsim run --seed 7 --play`, opened from the report's link, replays that run: the same summary.json", async () => {
    const out = join(dir, 'seed-7');
    const r = await cli(['run', RETRY_STORM, '--seed', '7', '--play', '--quiet', '--out', out]);
    expect(r.code).toBe(0);
    const other = await watchedPage(browser, { width: 1200, height: 900 });
    await other.page.goto(pathToFileURL(join(out, 'report.html')).href);
    await other.page.locator('a[href="play.html"]').click();
    await other.page.waitForFunction(`window.loopsimPlay && window.loopsimPlay.runs > 0 && document.body.dataset.run === 'done'`, null, {
      timeout: 120_000,
    });
    expect(await other.page.evaluate('window.loopsimPlay.summaryJson')).toBe(readFileSync(join(out, 'summary.json'), 'utf8'));
    // The seed stays under a moved control.
    await other.page.locator('[data-path="clients.checkout.retry.attempts"]').fill('1');
    await other.page.waitForFunction(`window.loopsimPlay.runs > 1 && document.body.dataset.run === 'done'`, null, { timeout: 120_000 });
    expect(JSON.parse(await other.page.evaluate<string>('window.loopsimPlay.summaryJson'))).toMatchObject({ seed: 7 });
    expect(other.escaped).toEqual([]);
    expect(other.errors).toEqual([]);
    await other.page.close();
  });

  it('a scenario with charts of panels (sinkhole, per replica) runs, moves its cursor and logs no error', async () => {
    const sinkhole = join(dir, 'sinkhole.html');
    expect((await cli(['play', join(root, 'scenarios/sinkhole.yaml'), '--out', sinkhole])).code).toBe(0);
    const other = await watchedPage(browser, { width: 1200, height: 900 });
    await other.page.goto(pathToFileURL(sinkhole).href);
    await other.page.waitForFunction(`window.loopsimPlay.runs > 0 && document.body.dataset.run === 'done'`, null, { timeout: 120_000 });
    expect(await other.page.locator('#charts figure[data-chart^="replicas-"]').count()).toBeGreaterThan(0);
    await other.page.locator('#cursor').fill('60');
    expect(other.escaped).toEqual([]);
    expect(other.errors).toEqual([]);
    await other.page.close();
  });

  it('sent no request and logged no error', () => {
    expect(escaped).toEqual([]);
    expect(errors).toEqual([]);
  });
});
