/**
 * The short text summary `loopsim run` prints: goodput before, during and
 * after the faults, the peak queue of each service, and the verdict.
 */
import { bucketRange, reduceValueStats } from '../metrics/stats.js';
import { findSeries } from '../metrics/csv.js';
import { metricName } from '../scenario/metric-catalogue.js';
import type { SimulationResult } from '../simulate.js';
import { groupThousands } from '../../reports/format.js';
import { describeLoop } from '../../reports/loop-text.js';

function fmt(x: number): string {
  if (!Number.isFinite(x)) return '-';
  if (Math.abs(x) >= 100) return groupThousands(Math.round(x));
  return x.toFixed(1);
}

function pad(cells: readonly string[], widths: readonly number[]): string {
  return cells.map((c, i) => (i === 0 ? c.padEnd(widths[i] as number) : c.padStart(widths[i] as number))).join('  ');
}

/** Renders the summary table of one run as plain text (ends with a newline). */
export function formatRunTable(res: SimulationResult): string {
  const { scenario: sc, series: run, summary } = res;
  const faults = sc.faults;
  const firstAt = faults.length > 0 ? Math.min(...faults.map((f) => f.at)) : sc.duration;
  const lastEnd = faults.length > 0 ? Math.max(...faults.map((f) => f.at + f.for)) : sc.duration;
  const windows: [string, number, number][] =
    faults.length > 0
      ? [
          ['before', sc.warmup, firstAt],
          ['during', firstAt, Math.max(lastEnd, firstAt + sc.sample)],
          ['after', lastEnd, sc.duration],
        ]
      : [['measured', sc.warmup, sc.duration]];
  const meanOver = (name: string, from: number, to: number): number => {
    const s = findSeries(run, name);
    if (s === undefined || s.kind !== 'rate') return NaN;
    return reduceValueStats(run, s.values, bucketRange(run, from, to))?.mean ?? NaN;
  };
  const rows: string[][] = [['goodput (ops/s)', ...windows.map((w) => w[0])]];
  for (const c of sc.clients) rows.push([`  ${c.name}`, ...windows.map(([, a, b]) => fmt(meanOver(metricName('client', c.name, 'goodput'), a, b)))]);
  rows.push(['peak queue', ...windows.map((w) => w[0])]);
  for (const s of sc.services) {
    rows.push([
      `  ${s.name}`,
      ...windows.map(([, a, b]) => {
        const q = findSeries(run, metricName('service', s.name, 'queue'));
        if (q === undefined || q.kind !== 'stock') return '-';
        const st = reduceValueStats(run, q.mean, bucketRange(run, a, b), q.max);
        return st === null ? '-' : fmt(st.max);
      }),
    ]);
  }
  const widths = rows[0]!.map((_, i) => Math.max(...rows.map((r) => (r[i] ?? '').length)));
  const v = summary.verdict;
  const verdict = v.kind === 'recovered' ? `recovered after ${fmt(v.recoverySeconds ?? 0)} s` : v.kind;
  const lines = [`${sc.name} (seed ${sc.seed}, ${groupThousands(summary.events)} events)`, ...rows.map((r) => pad(r, widths)), `verdict: ${verdict} - ${v.reason}`];
  if (v.loop !== null) lines.push(`loop: ${describeLoop(v.loop)}`);
  for (const e of summary.expectations) lines.push(`${e.ok ? 'ok  ' : 'FAIL'} ${e.text} (actual ${e.actual ?? '-'})`);
  return lines.join('\n') + '\n';
}
