/**
 * `npm run bench:play [-- --runs N] [--only a,b]`: the playground's figures (issue 18), in
 * headless Chromium (Debian's, driven by playwright-core, as the e2e tests do).
 * For every scenario of the library: play.html's size, then N moves of its
 * first slider (one step up, then back, alternating), each timed from the
 * move to the first chart drawn for it (the worker's partial queue depth, or
 * the whole run's first chart) and to the whole run shown, with the
 * longest task the main thread ran meanwhile (PerformanceObserver
 * 'longtask': every task over 50 ms is one). Medians of the N moves; the
 * targets are checked at the end. docs/performance.md has the figures.
 *
 * Wall-clock timing, so here and not in a test.
 */
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { basename, dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { chromium, type Page } from 'playwright-core';
import { renderPlayFile } from '../../sim/cli/play.js';
import { median, table } from './measure.js';

const args = process.argv.slice(2);
const RUNS = Number(args[args.indexOf('--runs') + 1] ?? 3) || 3;
/** `--only a,b`: just these scenarios of the library (their names, without .yaml). */
const ONLY = args.includes('--only') ? new Set((args[args.indexOf('--only') + 1] ?? '').split(',')) : undefined;
const CHROMIUM = '/usr/bin/chromium';

// dist/test/bench/play.js (or test/bench/play.ts under tsx) → the repository root.
const HERE = dirname(fileURLToPath(import.meta.url));
const ROOT = HERE.includes(`${join('dist', 'test')}`) ? join(HERE, '..', '..', '..') : join(HERE, '..', '..');

/** The targets. */
const FIRST_CHART_MS = 150;
const RETRY_STORM_MS = 1500;
const LONGEST_BLOCK_MS = 50;
const PAGE_BYTES = 2.5 * 1024 * 1024;

/** One move's figures, in ms. */
interface Move {
  readonly firstChart: number;
  readonly done: number;
  readonly longestTask: number;
}

/**
 * Moves the first slider of the page to a value and times it, in the page
 * (plain JavaScript: the project's types do not know the DOM): from the
 * input event to the first chart drawn for the new run (`loopsimPlay.firstChart`),
 * and to the run's end (data-run="done" once more); the longest task is the
 * largest 'longtask' entry in between (0 when none passed 50 ms).
 */
const MOVE = `async function (value) {
  var play = window.loopsimPlay;
  var runs = play.runs;
  var longest = 0;
  var observer = new PerformanceObserver(function (list) {
    list.getEntries().forEach(function (e) { longest = Math.max(longest, e.duration); });
  });
  observer.observe({ type: 'longtask' });
  var input = document.querySelector('#controls input[type=range]');
  var start = performance.now();
  input.value = value;
  input.dispatchEvent(new Event('input'));
  var id = play.started;
  await new Promise(function (resolve) {
    (function poll() {
      if (play.runs > runs && document.body.dataset.run === 'done') resolve();
      else requestAnimationFrame(poll);
    })();
  });
  observer.disconnect();
  // The page notes when a run's first chart (its queue depth so far, or the whole run's) was drawn.
  return { firstChart: play.firstChart.id === id ? play.firstChart.at - start : NaN, done: performance.now() - start, longestTask: longest };
}`;

/** One move of the first slider to `value`, timed in the page. */
function move(page: Page, value: string): Promise<Move> {
  return page.evaluate(`(${MOVE})(${JSON.stringify(value)})`);
}

async function main(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'loopsim-bench-play-'));
  const browser = await chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: ['--headless', '--no-sandbox', '--disable-gpu'],
  });
  const rows: string[][] = [];
  const checks: { what: string; ok: boolean; detail: string }[] = [];
  try {
    console.log(`play.html in headless Chromium; ${cpus().length} CPUs, load ${loadavg()[0]?.toFixed(2)}; median of ${RUNS} moves\n`);
    const files = readdirSync(join(ROOT, 'scenarios'))
      .filter((f) => f.endsWith('.yaml') && (ONLY === undefined || ONLY.has(basename(f, '.yaml'))))
      .sort();
    let largest = 0;
    let worstFirst = 0;
    let worstBlock = 0;
    let retryStorm = Number.NaN;
    for (const f of files) {
      const html = await renderPlayFile({ file: f, text: readFileSync(join(ROOT, 'scenarios', f), 'utf8'), sets: [] });
      const path = join(dir, `${basename(f, '.yaml')}.html`);
      writeFileSync(path, html);
      largest = Math.max(largest, Buffer.byteLength(html));
      const page = await browser.newPage({ viewport: { width: 1200, height: 900 } });
      await page.goto(pathToFileURL(path).href);
      await page.waitForFunction(`window.loopsimPlay.runs > 0 && document.body.dataset.run === 'done'`, null, { timeout: 300_000 });
      const slider = page.locator('#controls input[type=range]').first();
      const label = (await page.locator('#controls .control span').first().textContent()) ?? '';
      const [value, step, max] = await Promise.all([slider.inputValue(), slider.getAttribute('step'), slider.getAttribute('max')]);
      const up = Number(value) + Number(step) <= Number(max) ? Number(value) + Number(step) : Number(value) - Number(step);
      const moves: Move[] = [];
      for (let i = 0; i < RUNS; i++) moves.push(await move(page, String(i % 2 === 0 ? up : value)));
      await page.close();
      const first = median(moves.map((m) => m.firstChart));
      const done = median(moves.map((m) => m.done));
      const block = Math.max(...moves.map((m) => m.longestTask));
      worstFirst = Math.max(worstFirst, first);
      worstBlock = Math.max(worstBlock, block);
      if (f === 'retry-storm.yaml') retryStorm = done;
      rows.push([basename(f, '.yaml'), label, first.toFixed(0), done.toFixed(0), block.toFixed(0)]);
      console.log(
        `${basename(f, '.yaml')}: first chart ${first.toFixed(0)} ms, whole run ${done.toFixed(0)} ms, longest task ${block.toFixed(0)} ms`,
      );
    }
    console.log('\n' + table(['scenario', 'slider moved', 'first chart ms', 'whole run ms', 'longest task ms'], rows));
    checks.push({
      what: `first chart after a move, every scenario < ${FIRST_CHART_MS} ms`,
      ok: worstFirst < FIRST_CHART_MS,
      detail: `worst ${worstFirst.toFixed(0)} ms`,
    });
    checks.push({
      what: `retry-storm re-run < ${RETRY_STORM_MS} ms`,
      ok: retryStorm < RETRY_STORM_MS,
      detail: `${retryStorm.toFixed(0)} ms`,
    });
    checks.push({
      what: `main thread never blocked > ${LONGEST_BLOCK_MS} ms`,
      ok: worstBlock <= LONGEST_BLOCK_MS,
      detail: `longest task ${worstBlock.toFixed(0)} ms`,
    });
    checks.push({ what: `play.html < ${PAGE_BYTES} bytes`, ok: largest < PAGE_BYTES, detail: `largest ${largest} bytes` });
    console.log('\n' + checks.map((c) => `${c.ok ? '✔' : '✖'} ${c.what}: ${c.detail}`).join('\n'));
  } finally {
    await browser.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

await main();
