/**
 * End to end: report.html in headless Chromium. Every chart must render, no
 * request may leave the page, the console must stay free of errors, and the
 * brush on the queue-depth chart must zoom the others. Leaves
 * out/report-e2e.html and out/report-e2e.png behind for a human to look at.
 */
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildCharts } from '../../reports/charts.js';
import { loadChartLibraries } from '../../reports/libraries.js';
import { renderReportPage } from '../../reports/page.js';
import { reduceSummary } from '../../sim/metrics/summary.js';
import { makeRun, makeScenario } from './fixtures.js';
import { compareCommand } from '../../sim/cli/compare.js';
import type { NormalizedScenario } from '../../sim/scenario/types.js';
import { call, poissonClient, service } from '../helpers/build.js';
import { CHROMIUM, hasChromium, launchChromium, watchedPage } from '../helpers/chromium.js';

const RETRY_MODEL = fileURLToPath(new URL('../sweep/fixtures/retry-threshold.yaml', import.meta.url));

const OUT = fileURLToPath(new URL('../../out/', import.meta.url));

if (!hasChromium) {
  console.warn(`page.e2e: skipped, ${CHROMIUM} does not exist (install it with: apt-get install -y chromium)`);
}

describe.skipIf(!hasChromium)(`report.html in headless Chromium (${CHROMIUM})`, () => {
  const run = makeRun();
  const scenario = makeScenario();
  const charts = buildCharts(run, scenario);
  let browser: Browser;
  let page: Page;
  let escaped: string[] = [];
  let consoleErrors: string[] = [];

  beforeAll(async () => {
    const measured = reduceSummary(run, scenario, { seed: 7, version: '0.1.0-e2e', events: 123456 });
    const summary = {
      ...measured,
      expectations: [
        { text: 'users.goodput mean from 40s to end atLeast 90', ok: false, actual: 20 },
        { text: 'db.queue max below 50', ok: true, actual: 7.5 },
      ],
    };
    const html = renderReportPage({ scenario, summary, charts, libraries: await loadChartLibraries() });
    mkdirSync(OUT, { recursive: true });
    const file = `${OUT}report-e2e.html`;
    writeFileSync(file, html);
    browser = await launchChromium();
    ({ page, escaped, errors: consoleErrors } = await watchedPage(browser, { width: 1000, height: 900 }));
    await page.goto(pathToFileURL(file).href);
    await page.waitForSelector('body[data-charts]', { timeout: 30_000 });
    // Chromium takes several seconds to start on a loaded machine.
  }, 60_000);

  afterAll(async () => {
    await browser?.close();
  });

  it('renders every chart with marks in its container', async () => {
    expect(await page.getAttribute('body', 'data-charts')).toBe('ready');
    for (const chart of charts) {
      // The loop band is drawn in rects; every other chart in lines or areas.
      const kinds = chart.id === 'loop-dominance' ? '.mark-rect' : ':is(.mark-line, .mark-area)';
      const drawn = `[data-chart="${chart.id}"] .vega svg ${kinds} path[d]:not([d=""])`;
      const marks = await page.locator(drawn).count();
      expect(marks, chart.id).toBeGreaterThan(0);
    }
    await page.screenshot({ path: `${OUT}report-e2e.png`, fullPage: true });
  });

  it('shows the verdict and the structure map', async () => {
    await expect(page.locator('.verdict').innerText()).resolves.toMatch(/^Metastable: /);
    expect(await page.locator('svg.structure-map g.edge').count()).toBe(3);
  });

  it('zooms the other charts to the span brushed on the queue-depth chart', async () => {
    const labels = (id: string): Promise<string[]> =>
      page.locator(`[data-chart="${id}"] svg .role-axis[aria-label*="X-axis"] .role-axis-label text`).allTextContents();
    const before = await labels('bathtub-gateway');
    expect(before[0]).toBe('0');
    const plot = page.locator('[data-chart="queue-depth"] svg path.background').first();
    await plot.scrollIntoViewIfNeeded();
    const box = (await plot.boundingBox())!;
    await page.mouse.move(box.x + (box.width * 20) / 60, box.y + box.height / 2);
    await page.mouse.down();
    await page.mouse.move(box.x + (box.width * 30) / 60, box.y + box.height / 2, { steps: 6 });
    await page.mouse.up();
    await expect.poll(async () => Number((await labels('bathtub-gateway'))[0])).toBeGreaterThanOrEqual(20);
    expect(Number((await labels('bathtub-gateway')).at(-1))).toBeLessThanOrEqual(30);
  });

  it('shows a tooltip with every series when hovering a chart', async () => {
    const chart = page.locator('[data-chart="amplification-users"] svg');
    await chart.scrollIntoViewIfNeeded();
    const box = (await chart.boundingBox())!;
    await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
    await expect
      .poll(() =>
        page
          .locator('#vg-tooltip-element.visible')
          .innerText()
          .catch(() => ''),
      )
      .toMatch(/offered[\s\S]*attempts[\s\S]*goodput/);
  });

  it('made no request outside the page and logged no error', () => {
    expect(escaped).toEqual([]);
    expect(consoleErrors).toEqual([]);
  });
});

/** A chain of `hops` services behind one client, each calling the next with a timeout and retries. */
function chainScenario(hops: number): NormalizedScenario {
  const names = Array.from({ length: hops }, (_, i) => `service-${i + 1}`);
  const retry = {
    attempts: 3,
    backoff: { kind: 'exponential' as const, base: 0.1, cap: 2 },
    jitter: 'full' as const,
    on: ['timeout' as const],
    budget: null,
  };
  return {
    ...makeScenario([]),
    name: 'deep-chain',
    clients: [poissonClient('users', names[0]!, 100, { timeout: 2 })],
    services: names.map((n, i) =>
      service(n, { instances: 2, workers: 8, calls: i + 1 < hops ? [call(names[i + 1]!, { timeout: 0.5, retry })] : [] }),
    ),
  };
}

describe.skipIf(!hasChromium)('pages on a projector (1280x720)', () => {
  const VIEWPORT = { width: 1280, height: 720 };
  let browser: Browser;

  beforeAll(async () => {
    browser = await launchChromium();
  }, 60_000);

  afterAll(async () => {
    await browser?.close();
  });

  /** Opens `html` at 1280x720; how far each of `selectors` overflows sideways, and the page itself. */
  async function overflows(html: string, name: string, selectors: readonly string[]): Promise<Record<string, number>> {
    mkdirSync(OUT, { recursive: true });
    const file = `${OUT}${name}.html`;
    writeFileSync(file, html);
    const page = await browser.newPage({ viewport: VIEWPORT });
    await page.goto(pathToFileURL(file).href);
    const out: Record<string, number> = {};
    for (const sel of selectors) {
      out[sel] = await page
        .locator(sel)
        .first()
        .evaluate((el) => el.scrollWidth - el.clientWidth);
      const box = await page.locator(sel).first().boundingBox();
      out[`${sel} right edge past the window`] = Math.max(0, Math.round((box?.x ?? 0) + (box?.width ?? 0) - VIEWPORT.width));
    }
    out['page'] = await page.locator('html').evaluate((el) => el.scrollWidth - el.clientWidth);
    await page.screenshot({ path: `${OUT}${name}-1280x720.png` });
    await page.close();
    return out;
  }

  it('fits a structure map of five hops in the window, scaled rather than clipped', async () => {
    const scenario = chainScenario(5);
    const run = makeRun([]);
    const summary = reduceSummary(run, scenario, { seed: 1, version: '0.1.0-e2e', events: 1 });
    const html = renderReportPage({
      scenario,
      summary: { ...summary, expectations: [] },
      charts: [],
      libraries: await loadChartLibraries(),
    });
    expect(await overflows(html, 'report-deep-chain', ['.map-scroll'])).toEqual({
      '.map-scroll': 0,
      '.map-scroll right edge past the window': 0,
      page: 0,
    });
  });

  it('shows a compare table of five long-labelled variants without scrolling sideways', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'loopsim-e2e-compare-'));
    const withs = [1, 2, 3, 4].map(
      (k) => `services.api.workers=${10 + k}; clients.users.retry.backoff={kind: exponential, base: ${k}00ms, cap: 2s}`,
    );
    expect(
      await compareCommand(
        [RETRY_MODEL],
        { withs, sets: ['duration=10s'], workers: 1, quiet: true, out: dir },
        { out: () => {}, err: () => {} },
      ),
    ).toBe(0);
    const html = readFileSync(join(dir, 'compare.html'), 'utf8');
    expect(await overflows(html, 'compare-five-variants', ['.table-scroll'])).toEqual({
      '.table-scroll': 0,
      '.table-scroll right edge past the window': 0,
      page: 0,
    });
  }, 120_000);
});
