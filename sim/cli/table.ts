/**
 * The short text summary `loopsim run` prints: goodput before, during and
 * after the faults, the peak of each service's queue and of every other stock
 * that held work (named for what it holds), the verdict, its damage and any
 * oscillation.
 */
import { bucketRange, reduceValueStats } from '../metrics/stats.js';
import { findSeries } from '../metrics/csv.js';
import { metricName } from '../scenario/metric-catalogue.js';
import { workStocks } from '../metrics/stocks.js';
import type { SimulationResult } from '../simulate.js';
import { groupThousands } from '../../reports/format.js';
import { describeLoop } from '../../reports/loop-text.js';
import { describeDamage, describeOscillation } from '../../reports/verdict-text.js';

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
  for (const c of sc.clients)
    rows.push([`  ${c.name}`, ...windows.map(([, a, b]) => fmt(meanOver(metricName('client', c.name, 'goodput'), a, b)))]);
  // Every service's queue, and every other stock that held work, named for what it holds.
  rows.push(['peak backlog', ...windows.map((w) => w[0])]);
  const measured = bucketRange(run, sc.warmup, sc.duration);
  for (const s of workStocks(run, sc)) {
    const isQueue = s.kind.of === 'service' && s.kind.metric === 'queue';
    if (!isQueue && !((reduceValueStats(run, s.mean, measured, s.max)?.max ?? 0) > 0)) continue;
    rows.push([
      `  ${s.component} ${isQueue ? 'queue' : `(${s.kind.label})`}`,
      ...windows.map(([, a, b]) => {
        const st = reduceValueStats(run, s.mean, bucketRange(run, a, b), s.max);
        return st === null ? '-' : fmt(st.max);
      }),
    ]);
  }
  const widths = rows[0]!.map((_, i) => Math.max(...rows.map((r) => (r[i] ?? '').length)));
  const v = summary.verdict;
  const verdict =
    v.kind === 'recovered' && v.unaffected
      ? 'recovered (unaffected)'
      : v.kind === 'recovered'
        ? `recovered after ${fmt(v.recoverySeconds ?? 0)} s`
        : v.kind === 'draining' && v.drain !== null
          ? `draining, clears in about ${fmt(v.drain.clearsInSeconds)} s`
          : v.kind;
  const lines = [
    `${sc.name} (seed ${sc.seed}, ${groupThousands(summary.events)} events)`,
    ...rows.map((r) => pad(r, widths)),
    `verdict: ${verdict} - ${v.reason}`,
  ];
  if (v.loop !== null) lines.push(`loop: ${describeLoop(v.loop, v.kind === 'recovered', sc)}`);
  for (const line of [describeDamage(v, sc), describeOscillation(v)]) if (line !== '') lines.push(line);
  for (const e of summary.expectations) lines.push(`${e.ok ? 'ok  ' : 'FAIL'} ${e.text} (actual ${e.actual ?? '-'})`);
  return lines.join('\n') + '\n';
}
