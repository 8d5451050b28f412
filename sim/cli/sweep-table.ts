/**
 * The plain-text tables compare, `run --seeds` and sweep print on stdout:
 * figures side by side (mean ± half the 95% interval over several seeds),
 * the cells of a sweep, and the probes of a tipping-point search.
 */
import { formatTally } from '../sweep/aggregate.js';
import { FIGURE_LABELS, FIGURE_NAMES } from '../sweep/figures.js';
import { formatAxisValue, type AxisUnit } from '../sweep/grid.js';
import type { ReplicationsFile, VariantRecord } from '../sweep/replications.js';
import type { SampleStats } from '../sweep/stats.js';
import type { SweepFile } from '../sweep/sweep-file.js';
import type { TippingState } from '../sweep/tipping.js';
import { groupThousands } from '../../reports/format.js';

function fmt(x: number): string {
  if (!Number.isFinite(x)) return '-';
  if (Math.abs(x) >= 100) return groupThousands(Math.round(x));
  if (Math.abs(x) >= 1 || x === 0) return x.toFixed(1);
  return String(Number(x.toPrecision(2)));
}

/** A figure over seeds: `12.3`, or `12.3 ± 0.4` (half the 95% interval), or `-`. */
export function formatStat(s: SampleStats | null): string {
  if (s === null) return '-';
  return s.ci95 === null ? fmt(s.mean) : `${fmt(s.mean)} ± ${fmt((s.ci95[1] - s.ci95[0]) / 2)}`;
}

function verdictText(v: VariantRecord): string {
  return formatTally(v.stats.verdicts, v.stats.seeds);
}

function grid(rows: readonly (readonly string[])[]): string {
  const widths = (rows[0] ?? []).map((_, i) => Math.max(...rows.map((r) => (r[i] ?? '').length)));
  return rows.map((r) => r.map((c, i) => (i === 0 ? c.padEnd(widths[i] ?? 0) : c.padStart(widths[i] ?? 0))).join('  ').trimEnd()).join('\n') + '\n';
}

/** The figures of every variant side by side, with the seeds used. */
export function formatReplicationsTable(f: ReplicationsFile): string {
  const { from, count } = f.seeds;
  const seeds = count === 1 ? `seed ${from}` : `seeds ${from}..${from + count - 1}, mean ± 95% CI`;
  const rows: string[][] = [[`(${seeds})`, ...f.variants.map((v) => v.label)]];
  for (const name of FIGURE_NAMES) {
    const { label, unit } = FIGURE_LABELS[name];
    rows.push([unit === '' ? label : `${label} (${unit})`, ...f.variants.map((v) => formatStat(v.stats.figures[name]))]);
  }
  rows.push(['verdict', ...f.variants.map(verdictText)]);
  rows.push(['loop', ...f.variants.map((v) => formatTally(v.stats.loops, v.stats.seeds))]);
  return grid(rows);
}

/** One line per cell: its values, share metastable (or stuck, for hysteresis), mean recovery. */
export function formatSweepTable(f: SweepFile): string {
  const def = f.definition;
  const head = [...def.axes.map((a) => a.field), ...(def.hysteresis ? ['branch'] : []), 'seeds', def.hysteresis ? 'share stuck' : 'share metastable', 'recovery (s)'];
  const rows: string[][] = [head];
  for (const c of f.cells) {
    rows.push([
      ...c.labels,
      ...(def.hysteresis ? [c.branch ?? ''] : []),
      String(c.seeds),
      `${Math.round(100 * (def.hysteresis ? c.shareStuck : c.shareMetastable))}%`,
      formatStat(c.recoverySeconds),
    ]);
  }
  return grid(rows);
}

/** The probes of a tipping-point search and its conclusion. */
export function formatTippingTable(s: TippingState, field: string, unit: AxisUnit): string {
  const show = (v: number): string => formatAxisValue(v, unit);
  const rows: string[][] = [[field, 'metastable', 'share', 'tips']];
  for (const p of s.probes) rows.push([show(p.value), `${p.metastable}/${p.seeds}`, `${Math.round(100 * p.share)}%`, p.tipped ? 'yes' : 'no']);
  let conclusion: string;
  switch (s.status) {
    case 'found':
      conclusion = `tipping point: between ${show(s.below ?? s.lo)} (not metastable) and ${show(s.above ?? s.hi)} (metastable for most seeds)`;
      break;
    case 'tipped-at-lo':
      conclusion = `already metastable for most seeds at ${show(s.lo)}: lower the start of the range`;
      break;
    case 'not-tipped-at-hi':
      conclusion = `not metastable for most seeds even at ${show(s.hi)}: raise the end of the range`;
      break;
    case 'running':
      conclusion = `stopped before the search finished; bracket so far ${show(s.below ?? s.lo)} to ${show(s.above ?? s.hi)}`;
      break;
  }
  return grid(rows) + conclusion + '\n';
}
