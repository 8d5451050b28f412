/**
 * The loop-dominance band under the headline chart: which feedback loop
 * dominates each stretch of the run (sim/metrics/loops.ts), as coloured
 * spans along the same time axis, with the loop's mean gain in the tooltip.
 */
import { reduceLoops } from '../sim/metrics/loops.js';
import { bucketWidth } from '../sim/metrics/series.js';
import type { ChartContext, ChartEntry, SeriesRow } from './chart-base.js';
import { colorBy, layeredChart, round6, timeX } from './chart-base.js';
import { loopPlace } from './loop-text.js';

/** Id of the band chart, second in the chart list when some loop is active. */
export const LOOP_DOMINANCE_ID = 'loop-dominance';

/** Tableau-like colours: warm for reinforcing loops, cool for balancing ones. */
const REINFORCING = ['#c62828', '#e6550d', '#b45309', '#9c27b0', '#ad1457', '#795548'];
const BALANCING = ['#1d4ed8', '#0f766e', '#4b5563'];

/**
 * The band as a chart entry, or undefined when no loop is active in any
 * bucket. Consecutive buckets with the same dominant loop form one span.
 */
export function loopDominanceChart(ctx: ChartContext): ChartEntry | undefined {
  const { run } = ctx;
  const a = reduceLoops(run, ctx.scenario);
  const label = (k: number): string => {
    const s = a.loops[k]!.spec;
    return `${s.name} (${s.polarity === 'reinforcing' ? 'R' : 'B'}) ${loopPlace(s)}`;
  };
  const rows: SeriesRow[] = [];
  let i = 0;
  while (i < run.buckets) {
    const k = a.dominant[i]!;
    let j = i;
    let gain = 0;
    let seconds = 0;
    while (j < run.buckets && a.dominant[j] === k) {
      if (k >= 0) {
        gain += a.loops[k]!.gain[j]! * bucketWidth(run, j);
        seconds += bucketWidth(run, j);
      }
      j += 1;
    }
    if (k >= 0)
      rows.push({
        t: round6(i * run.sample),
        end: round6(Math.min(run.duration, j * run.sample)),
        series: label(k),
        value: round6(gain / seconds),
      });
    i = j;
  }
  if (rows.length === 0) return undefined;
  const used = [...new Set(a.loops.map((_, k) => k).filter((k) => rows.some((r) => r.series === label(k))))];
  const reinforcing = used.filter((k) => a.loops[k]!.spec.polarity === 'reinforcing');
  const balancing = used.filter((k) => a.loops[k]!.spec.polarity === 'balancing');
  const domain = [...reinforcing, ...balancing].map(label);
  const range = [
    ...reinforcing.map((_, x) => REINFORCING[x % REINFORCING.length]!),
    ...balancing.map((_, x) => BALANCING[x % BALANCING.length]!),
  ];
  const spec = layeredChart(ctx, {
    title: 'Dominant feedback loop',
    subtitle: 'the loop that drives each stretch of the run (R reinforcing, B balancing); blank: no loop active',
    rows,
    height: 34,
    layers: [
      {
        name: 'series',
        mark: { type: 'rect', opacity: 0.85 },
        encoding: {
          x: timeX(run, 't'),
          x2: { field: 'end' },
          color: { ...colorBy('series', domain, range), legend: { labelLimit: 480 } },
          tooltip: [
            { field: 'series', title: 'loop' },
            { field: 't', title: 'from (s)' },
            { field: 'end', title: 'to (s)' },
            { field: 'value', title: 'mean gain', format: '.3~f' },
          ],
        },
      },
    ],
  });
  return { id: LOOP_DOMINANCE_ID, title: 'Dominant feedback loop', spec };
}
