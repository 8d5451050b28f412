/**
 * sweep.html: what was swept and over how many seeds, the diagram, and one
 * table row per cell. Built from sweep.json alone, so a sweep merged from
 * shards gives the same page as one run in a single process.
 */
import { formatStockTally } from '../sim/sweep/aggregate.js';
import { metricLabel } from '../sim/sweep/metric-spec.js';
import type { SweepFile } from '../sim/sweep/sweep-file.js';
import type { ChartEntry } from './chart-base.js';
import { renderStatCell } from './compare-page.js';
import { escapeHtml, formatNumber } from './format.js';
import type { ChartLibraries } from './html-document.js';
import { renderShell } from './sweep-shell.js';

/** What the page is built from. */
export interface SweepPageInput {
  readonly file: SweepFile;
  /** From buildSweepCharts. */
  readonly charts: readonly ChartEntry[];
  readonly libraries: ChartLibraries;
}

function renderDefinition(f: SweepFile): string {
  const d = f.definition;
  const items = d.axes.map((a) => {
    const shown = a.labels.length > 6 ? `${a.labels.slice(0, 3).join(', ')}, …, ${a.labels.slice(-2).join(', ')}` : a.labels.join(', ');
    return `<li><code>${escapeHtml(a.field)}</code>: ${a.labels.length} values (${escapeHtml(shown)})</li>`;
  });
  if (d.sets.length > 0) items.push(`<li>every cell with <code>${d.sets.map(escapeHtml).join('</code>, <code>')}</code></li>`);
  const { from, count } = d.seeds;
  items.push(`<li>${count === 1 ? `seed ${from}` : `seeds ${from} to ${from + count - 1}`} in every cell (common random numbers)</li>`);
  if (d.hysteresis) {
    items.push(
      "<li>hysteresis: each value runs twice, with the scenario's faults removed (a healthy start) and with them " +
        '(after the trigger); a value where the first stays healthy and the second stays stuck is one where history decides</li>',
    );
  }
  return `<ul class="variants">${items.join('')}</ul>`;
}

/**
 * The scenario's description, introduced as the file's own: its numbers (a
 * "20 s spike") are those of the file as written, which the sweep varies.
 */
function renderStory(f: SweepFile, story: string): string {
  if (story === '') return '';
  const varied = f.definition.axes.map((a) => `<code>${escapeHtml(a.field)}</code>`).join(' and ');
  return (
    `<details class="story"><summary>The scenario as written (its description)</summary>` +
    `<p class="hint">This describes the file with its own values; the sweep varies ${varied}, so figures quoted here hold only where the cell's value is the file's.</p>` +
    story
      .split(/\n\s*\n/)
      .map((p) => `<p>${escapeHtml(p.replace(/\s*\n\s*/g, ' '))}</p>`)
      .join('') +
    `</details>`
  );
}

function renderCells(f: SweepFile): string {
  const d = f.definition;
  const head =
    `<thead><tr>${d.axes.map((a) => `<th>${escapeHtml(a.field)}</th>`).join('')}${d.hysteresis ? '<th>branch</th>' : ''}` +
    `<th class="num">seeds</th><th class="num">stable / recovered</th><th class="num">metastable / overloaded</th>` +
    `<th class="num">recovery (s)</th><th class="num">goodput after (ops/s)</th><th class="num">peak queue</th>` +
    `<th class="num">peak backlog</th><th>the stock that grew most</th><th class="num">operations lost</th>` +
    `<th class="num">worst goodput (share of normal)</th><th class="num">below half of normal (s)</th>` +
    `<th class="num">time left to drain (s)</th><th class="num">swinging</th><th class="num">period (s)</th>` +
    (d.metrics ?? [])
      .map(
        (m) =>
          `<th class="num" title="${escapeHtml(m.meaning)}">${escapeHtml(metricLabel(m))}${m.unit === '' ? '' : ` (${escapeHtml(m.unit)})`}</th>`,
      )
      .join('') +
    `</tr></thead>`;
  const rows = f.cells.map((c) => {
    const good = c.verdicts.stable + c.verdicts.recovered;
    const bad = c.verdicts.metastable + c.verdicts.overloaded;
    return (
      `<tr>${c.labels.map((l) => `<td>${escapeHtml(l)}</td>`).join('')}${d.hysteresis ? `<td>${escapeHtml(c.branch ?? '')}</td>` : ''}` +
      `<td class="num">${c.seeds}</td><td class="num good">${good}</td><td class="num${bad > 0 ? ' bad' : ''}">${bad}</td>` +
      renderStatCell(c.recoverySeconds) +
      renderStatCell(c.goodputAfter) +
      renderStatCell(c.peakQueue) +
      renderStatCell(c.peakBacklog) +
      `<td>${escapeHtml(formatStockTally(c.backlogStocks, c.seeds))}</td>` +
      renderStatCell(c.lostOperations) +
      renderStatCell(c.worstGoodputShare) +
      renderStatCell(c.secondsBelowHalf) +
      renderStatCell(c.drainSeconds) +
      `<td class="num">${Math.round(100 * c.shareOscillating)}%</td>` +
      renderStatCell(c.periodSeconds) +
      (d.metrics ?? []).map((m) => renderStatCell(c.metrics?.[m.name] ?? null)).join('') +
      '</tr>'
    );
  });
  return `<div class="table-scroll"><table class="cells">${head}<tbody>${rows.join('')}</tbody></table></div>`;
}

/** The whole page. */
export function renderSweepPage(input: SweepPageInput): string {
  const { file: f } = input;
  const d = f.definition;
  const runs = f.runs.length;
  const partial =
    f.shard !== null
      ? `<p class="verdict bad">Shard ${f.shard.index} of ${f.shard.count}: ${formatNumber(runs)} of the sweep's ${formatNumber(d.jobs)} runs. Merge the shards with <code>loopsim merge</code> for the whole picture.</p>`
      : f.complete
        ? ''
        : `<p class="verdict bad">Partial: ${formatNumber(runs)} of ${formatNumber(d.jobs)} runs finished.</p>`;
  const story = d.scenario.description.trim();
  const before =
    `<header><p class="kicker">loopsim sweep · ${formatNumber(d.cells)} cells × ${d.seeds.count} seeds = ${formatNumber(d.jobs)} runs · ` +
    `${escapeHtml(d.scenario.file)} · loopsim ${escapeHtml(f.version)}</p><h1>${escapeHtml(d.scenario.name)}</h1>` +
    renderDefinition(f) +
    partial +
    renderStory(f, story) +
    `</header>`;
  const after =
    `<section id="cells"><h2>Cells</h2><p class="hint">Verdict counts over the seeds; recovery over the seeds that recovered, ` +
    `time left to drain over those still draining, period over those that swing; ` +
    `means with their 95% confidence interval (Student t) below.</p>${renderCells(f)}</section>` +
    `<footer>Generated by loopsim ${escapeHtml(f.version)}. Every run is in sweep.csv. This page is self-contained and works offline.</footer>`;
  return renderShell({
    title: `${d.scenario.name} — loopsim sweep`,
    before,
    after,
    charts: input.charts,
    brush: false,
    chartsHint: 'Hover a cell or a point for its numbers.',
    libraries: input.libraries,
  });
}
