/**
 * The plain-text tables compare, `run --seeds` and sweep print on stdout:
 * figures side by side (mean ± half the 95% interval over several seeds),
 * the cells of a sweep, and the probes of a tipping-point search.
 */
import { formatStockTally, formatTally } from '../sweep/aggregate.js';
import { FIGURE_LABELS, FIGURE_NAMES } from '../sweep/figures.js';
import { formatAxisValue, type AxisUnit } from '../sweep/grid.js';
import { metricLabel, type MetricSpec } from '../sweep/metric-spec.js';
import type { ReplicationsFile, VariantRecord } from '../sweep/replications.js';
import { FEW_SEEDS, extentOf, type SampleStats } from '../sweep/stats.js';
import type { SweepFile } from '../sweep/sweep-file.js';
import type { TippingState } from '../sweep/tipping.js';
import { groupThousands, shortenLabels } from '../../reports/format.js';

function fmt(x: number): string {
  if (!Number.isFinite(x)) return '-';
  if (Math.abs(x) >= 100) return groupThousands(Math.round(x));
  if (Math.abs(x) >= 1 || x === 0) return x.toFixed(1);
  return String(Number(x.toPrecision(2)));
}

/** A figure over seeds: `12.3`, or `12.3 ± 0.4` (half the 95% interval), or `-`. */
export function formatStat(s: SampleStats | null): string {
  if (s === null) return '-';
  if (s.ci95 === null) return fmt(s.mean);
  const [lo, hi] = s.ci95;
  // An interval cut at the figure's bound (0) is no longer symmetric: show its ends.
  const cut = hi - s.mean > (s.mean - lo) * 1.001 + 1e-12;
  return cut ? `${fmt(s.mean)} (${fmt(lo)} to ${fmt(hi)})` : `${fmt(s.mean)} ± ${fmt((hi - lo) / 2)}`;
}

function verdictText(v: VariantRecord): string {
  return formatTally(v.stats.verdicts, v.stats.seeds);
}

function grid(rows: readonly (readonly string[])[]): string {
  const widths = (rows[0] ?? []).map((_, i) => extentOf(rows.map((r) => (r[i] ?? '').length))[1]);
  return (
    rows
      .map((r) =>
        r
          .map((c, i) => (i === 0 ? c.padEnd(widths[i] ?? 0) : c.padStart(widths[i] ?? 0)))
          .join('  ')
          .trimEnd(),
      )
      .join('\n') + '\n'
  );
}

/** A line saying the intervals are wide, for 2 to FEW_SEEDS − 1 seeds; else nothing. */
export function fewSeedsNote(seeds: number): string {
  if (seeds < 2 || seeds >= FEW_SEEDS) return '';
  return `note: ${seeds} seeds give wide intervals; use --seeds ${FEW_SEEDS} or more to narrow them.\n`;
}

/** The figures of every variant side by side, with the seeds used. */
export function formatReplicationsTable(f: ReplicationsFile): string {
  const { from, count } = f.seeds;
  const seeds = count === 1 ? `seed ${from}` : `seeds ${from}..${from + count - 1}, mean ± 95% CI`;
  const rows: string[][] = [[`(${seeds})`, ...shortenLabels(f.variants.map((v) => v.label))]];
  for (const name of FIGURE_NAMES) {
    const { label, unit } = FIGURE_LABELS[name];
    rows.push([unit === '' ? label : `${label} (${unit})`, ...f.variants.map((v) => formatStat(v.stats.figures[name]))]);
    // The backlog is read with the stock that holds it: "waiting for a pool connection", "in flight".
    if (name === 'peakBacklog') rows.push(['  in', ...f.variants.map((v) => formatStockTally(v.stats.backlogStocks, v.stats.seeds))]);
  }
  for (const m of f.metrics ?? []) rows.push([metricRowLabel(m), ...f.variants.map((v) => formatStat(v.stats.metrics?.[m.name] ?? null))]);
  rows.push(['verdict', ...f.variants.map(verdictText)]);
  rows.push(['loop', ...f.variants.map((v) => formatTally(v.stats.loops, v.stats.seeds))]);
  rows.push(['swinging', ...f.variants.map((v) => formatTally(v.stats.oscillations, v.stats.seeds))]);
  return grid(rows) + fewSeedsNote(count);
}

/** A `--metric` row's label: `api.queue max (requests)`. */
function metricRowLabel(m: MetricSpec): string {
  return m.unit === '' ? metricLabel(m) : `${metricLabel(m)} (${m.unit})`;
}

const percent = (share: number): string => `${Math.round(100 * share)}%`;

/**
 * One line per cell: its values, share metastable (or stuck, for
 * hysteresis), mean recovery, peak backlog, operations lost, time left to
 * drain and the share of seeds that swing.
 */
export function formatSweepTable(f: SweepFile): string {
  const def = f.definition;
  const head = [
    ...def.axes.map((a) => a.field),
    ...(def.hysteresis ? ['branch'] : []),
    'seeds',
    def.hysteresis ? 'share stuck' : 'share metastable',
    'recovery (s)',
    'peak backlog',
    'operations lost',
    'drain (s)',
    'swinging',
    ...(def.metrics ?? []).map(metricLabel),
  ];
  const rows: string[][] = [head];
  for (const c of f.cells) {
    rows.push([
      ...c.labels,
      ...(def.hysteresis ? [c.branch ?? ''] : []),
      String(c.seeds),
      percent(def.hysteresis ? c.shareStuck : c.shareMetastable),
      formatStat(c.recoverySeconds),
      formatStat(c.peakBacklog),
      formatStat(c.lostOperations),
      formatStat(c.drainSeconds),
      percent(c.shareOscillating),
      ...(def.metrics ?? []).map((m) => formatStat(c.metrics?.[m.name] ?? null)),
    ]);
  }
  return grid(rows);
}

/** The probes of a tipping-point search and its conclusion. */
export function formatTippingTable(s: TippingState, field: string, unit: AxisUnit): string {
  const show = (v: number): string => formatAxisValue(v, unit);
  const rows: string[][] = [[field, 'metastable', 'share', 'tips']];
  for (const p of s.probes)
    rows.push([show(p.value), `${p.metastable}/${p.seeds}`, `${Math.round(100 * p.share)}%`, p.tipped ? 'yes' : 'no']);
  const lowSide = s.direction === 'down' ? 'metastable for most seeds' : 'not metastable';
  const highSide = s.direction === 'down' ? 'not metastable' : 'metastable for most seeds';
  let conclusion: string;
  switch (s.status) {
    case 'found':
      conclusion = `tipping point: between ${show(s.below ?? s.lo)} (${lowSide}) and ${show(s.above ?? s.hi)} (${highSide})`;
      if (s.direction === 'down') conclusion += '; a higher value is safer';
      break;
    case 'tipped-at-lo':
      conclusion = `already metastable for most seeds at ${show(s.lo)}: lower the start of the range`;
      break;
    case 'not-tipped-at-hi':
      conclusion = `not metastable for most seeds even at ${show(s.hi)}: raise the end of the range`;
      break;
    case 'tipped-at-hi':
      conclusion = `still metastable for most seeds at ${show(s.hi)}: raise the end of the range`;
      break;
    case 'not-tipped-at-lo':
      conclusion = `not metastable for most seeds even at ${show(s.lo)}: lower the start of the range`;
      break;
    case 'tipped-at-both-ends':
      conclusion = `metastable for most seeds at both ${show(s.lo)} and ${show(s.hi)}: widen the range toward the safe side`;
      break;
    case 'tipped-at-neither-end':
      conclusion = `not metastable for most seeds at ${show(s.lo)} nor at ${show(s.hi)}: widen the range toward the risky side`;
      break;
    case 'running':
      conclusion = `stopped before the search finished; bracket so far ${show(s.below ?? s.lo)} to ${show(s.above ?? s.hi)}`;
      break;
  }
  return grid(rows) + conclusion + '\n';
}
