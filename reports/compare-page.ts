/**
 * compare.html and replications.html: which variants ran on which seeds, the
 * side-by-side table of figures (means with 95% intervals over several
 * seeds), and the overlaid charts. Pure and deterministic.
 */
import type { NormalizedScenario } from '../sim/scenario/types.js';
import { FEW_SEEDS, type SampleStats } from '../sim/sweep/stats.js';
import { formatStockTally, formatTally } from '../sim/sweep/aggregate.js';
import { FIGURE_LABELS, FIGURE_NAMES, type FigureName } from '../sim/sweep/figures.js';
import { metricLabel } from '../sim/sweep/metric-spec.js';
import type { ReplicationsFile, VariantRecord } from '../sim/sweep/replications.js';
import type { ChartEntry } from './chart-base.js';
import { escapeHtml, formatNumber, shortenLabels } from './format.js';
import type { ChartLibraries } from './html-document.js';
import { renderShell } from './sweep-shell.js';

/** What the page is built from. */
export interface ComparePageInput {
  readonly file: ReplicationsFile;
  /** Each variant's scenario, in the file's order (for the story and the faults). */
  readonly scenarios: readonly NormalizedScenario[];
  /** From buildCompareCharts. */
  readonly charts: readonly ChartEntry[];
  readonly libraries: ChartLibraries;
}

/** A figure over seeds as table HTML: the mean, with its 95% interval below when there is one. */
export function renderStatCell(s: SampleStats | null, note = ''): string {
  if (s === null) return `<td class="num">–${note}</td>`;
  const ci = s.ci95 === null ? '' : `<small>95% CI ${formatNumber(s.ci95[0])} to ${formatNumber(s.ci95[1])}</small>`;
  return `<td class="num">${formatNumber(s.mean)}${ci}${note}</td>`;
}

/** "metastable 3/3" or "recovered 2/3, metastable 1/3": each verdict that occurred, with its count. */
export function verdictTally(v: VariantRecord): string {
  return formatTally(v.stats.verdicts, v.stats.seeds);
}

/** "retry" or "retry 2/3, none 1/3": each loop the verdicts named, with its count. */
export function loopTally(v: VariantRecord): string {
  return formatTally(v.stats.loops, v.stats.seeds);
}

/** The figures only some seeds have, and which seeds those are (the page says over how many each mean is). */
const SOME_SEEDS: Partial<Record<FigureName, string>> = {
  recoverySeconds: 'those that recovered',
  drainSeconds: 'those still draining',
  loopGain: 'those whose verdict names a loop',
  periodSeconds: 'those that swing',
};

function renderTable(f: ReplicationsFile): string {
  const short = shortenLabels(f.variants.map((v) => v.label));
  const head =
    `<thead><tr><th>figure</th><th>unit</th>` +
    f.variants.map((v, i) => `<th class="num" title="${escapeHtml(v.label)}">${escapeHtml(short[i] ?? v.label)}</th>`).join('') +
    `</tr></thead>`;
  const rows = FIGURE_NAMES.flatMap((name) => {
    const { label, unit } = FIGURE_LABELS[name];
    const which = SOME_SEEDS[name];
    const cells = f.variants.map((v) => {
      const s = v.stats.figures[name];
      const note = which !== undefined && f.seeds.count > 1 ? `<small>over ${s?.n ?? 0} of ${v.stats.seeds} seeds (${which})</small>` : '';
      return renderStatCell(s, note);
    });
    const row = `<tr><th>${escapeHtml(label)}</th><td class="unit">${escapeHtml(unit)}</td>${cells.join('')}</tr>`;
    if (name !== 'peakBacklog') return [row];
    // The backlog is read with the stock that holds it: "waiting for a pool connection", "in flight".
    const stocks = f.variants.map(
      (v) => `<td class="num names">${escapeHtml(formatStockTally(v.stats.backlogStocks, v.stats.seeds))}</td>`,
    );
    return [row, `<tr><th>the stock that grew most</th><td class="unit"></td>${stocks.join('')}</tr>`];
  });
  // Each --metric, with what it measures in the row's title.
  for (const m of f.metrics ?? []) {
    const cells = f.variants.map((v) => renderStatCell(v.stats.metrics?.[m.name] ?? null));
    rows.push(
      `<tr class="metric"><th title="${escapeHtml(m.meaning)}">${escapeHtml(metricLabel(m))}</th><td class="unit">${escapeHtml(m.unit)}</td>${cells.join('')}</tr>`,
    );
  }
  const verdicts = f.variants.map((v) => {
    const bad = v.stats.verdicts.metastable + v.stats.verdicts.overloaded > 0;
    return `<td class="num ${bad ? 'bad' : 'good'}">${escapeHtml(verdictTally(v))}</td>`;
  });
  rows.push(`<tr><th>verdict</th><td class="unit"></td>${verdicts.join('')}</tr>`);
  const loops = f.variants.map((v) => `<td class="num">${escapeHtml(loopTally(v))}</td>`);
  rows.push(`<tr><th>the verdict’s loop</th><td class="unit"></td>${loops.join('')}</tr>`);
  const swings = f.variants.map((v) => `<td class="num names">${escapeHtml(formatTally(v.stats.oscillations, v.stats.seeds))}</td>`);
  rows.push(`<tr><th>what swings</th><td class="unit"></td>${swings.join('')}</tr>`);
  return `<div class="table-scroll"><table class="compare">${head}<tbody>${rows.join('')}</tbody></table></div>`;
}

function renderVariants(f: ReplicationsFile, scenarios: readonly NormalizedScenario[]): string {
  const items = f.variants.map((v, i) => {
    const sc = scenarios[i];
    const overrides = v.overrides.length > 0 ? ` with <code>${v.overrides.map(escapeHtml).join('</code>, <code>')}</code>` : '';
    const faults =
      sc === undefined ? '' : ` · ${sc.faults.length} fault${sc.faults.length === 1 ? '' : 's'}, ${formatNumber(sc.duration)} s simulated`;
    return `<li><strong>${escapeHtml(v.label)}</strong>: ${escapeHtml(v.file)}${overrides}${faults}</li>`;
  });
  return `<ul class="variants">${items.join('')}</ul>`;
}

function seedText(f: ReplicationsFile): string {
  const { from, count } = f.seeds;
  return count === 1 ? `seed ${from}` : `seeds ${from} to ${from + count - 1} (${count})`;
}

/** The whole page. With one variant it is the replications page of a scenario. */
export function renderComparePage(input: ComparePageInput): string {
  const { file: f, scenarios } = input;
  const single = f.variants.length === 1;
  // The full labels are in the list of variants below the title.
  const title = single ? (f.variants[0]?.label ?? '') : shortenLabels(f.variants.map((v) => v.label)).join(' vs ');
  const story = single ? (scenarios[0]?.description.trim() ?? '') : '';
  const kicker = single
    ? `loopsim replications · ${seedText(f)} · loopsim ${escapeHtml(f.version)}`
    : `loopsim comparison · ${seedText(f)}, the same for every variant (common random numbers) · loopsim ${escapeHtml(f.version)}`;
  const tableHint =
    f.seeds.count > 1
      ? 'Each figure is the mean over the seeds, with its 95% confidence interval (Student t, cut at 0: no figure is negative) below. Rates are over the measured window unless named before or after the faults.' +
        (f.seeds.count < FEW_SEEDS ? ` With ${f.seeds.count} seeds the intervals are wide; run ${FEW_SEEDS} or more to narrow them.` : '')
      : 'One seed: figures as measured. Rates are over the measured window unless named before or after the faults.';
  const before =
    `<header><p class="kicker">${kicker}</p><h1>${escapeHtml(title)}</h1>` +
    (story === ''
      ? ''
      : `<div class="story">${story
          .split(/\n\s*\n/)
          .map((p) => `<p>${escapeHtml(p.replace(/\s*\n\s*/g, ' '))}</p>`)
          .join('')}</div>`) +
    renderVariants(f, scenarios) +
    `</header><section id="figures"><h2>Figures</h2><p class="hint">${tableHint}</p>${renderTable(f)}</section>`;
  const chartsHint =
    (f.seeds.count > 1 ? 'Lines are means over the seeds, bands the range across seeds, bucket by bucket. ' : '') +
    'Drag across the first chart to zoom every other chart to that time span; double-click it to reset. Shaded: fault windows.';
  const after = `<footer>Generated by loopsim ${escapeHtml(f.version)}. This page is self-contained and works offline.</footer>`;
  return renderShell({
    title: `${title} — loopsim ${single ? 'replications' : 'comparison'}`,
    before,
    after,
    charts: input.charts,
    brush: true,
    chartsHint,
    libraries: input.libraries,
  });
}
