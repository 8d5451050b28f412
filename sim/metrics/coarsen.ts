/**
 * A run's series merged into fewer, wider buckets, for drawing: a chart of a
 * long run with a fine `sample` would inline hundreds of thousands of points
 * per line (a 10^5-bucket run made an 88 MB report in five minutes). Merging
 * keeps what each bucket means: a rate stays events per second over the
 * wider bucket, a stock's mean stays time-weighted and its max the true
 * peak, latencies merge their histograms. summary.json and timeseries.csv
 * keep the full resolution.
 */
import { LogHistogram } from './histogram.js';
import { bucketWidth, type RunSeries, type Series } from './series.js';

/** Most buckets a chart draws per line. */
export const MAX_CHART_BUCKETS = 2000;

/** Width-weighted mean of `values` over buckets [from, to) of `run`, skipping non-finite values (NaN when none is finite). */
function weightedMean(run: RunSeries, values: ArrayLike<number>, from: number, to: number): number {
  let sum = 0;
  let width = 0;
  for (let i = from; i < to; i++) {
    const v = values[i] as number;
    if (!Number.isFinite(v)) continue;
    const w = bucketWidth(run, i);
    sum += v * w;
    width += w;
  }
  return width > 0 ? sum / width : Number.NaN;
}

/** Largest of `values` over [from, to) (NaN when none is finite). */
function peak(values: ArrayLike<number>, from: number, to: number): number {
  let m = Number.NEGATIVE_INFINITY;
  for (let i = from; i < to; i++) {
    const v = values[i] as number;
    if (v > m) m = v;
  }
  return m === Number.NEGATIVE_INFINITY ? Number.NaN : m;
}

/**
 * `run` with at most `maxBuckets` buckets, each merging k consecutive ones
 * (k the smallest that fits); `run` itself when it already fits.
 */
export function coarsenSeries(run: RunSeries, maxBuckets: number = MAX_CHART_BUCKETS): RunSeries {
  if (run.buckets <= maxBuckets) return run;
  const k = Math.ceil(run.buckets / maxBuckets);
  const n = Math.ceil(run.buckets / k);
  const groups = Array.from({ length: n }, (_, j) => [j * k, Math.min(run.buckets, (j + 1) * k)] as const);
  const series = run.series.map((s): Series => {
    switch (s.kind) {
      case 'rate':
        return { ...s, values: Float64Array.from(groups, ([a, b]) => weightedMean(run, s.values, a, b)) };
      case 'stock':
        return {
          ...s,
          mean: Float64Array.from(groups, ([a, b]) => weightedMean(run, s.mean, a, b)),
          max: Float64Array.from(groups, ([a, b]) => peak(s.max, a, b)),
        };
      case 'latency':
        return {
          ...s,
          buckets: groups.map(([a, b]) => {
            const h = new LogHistogram();
            for (let i = a; i < b; i++) {
              const part = s.buckets[i];
              if (part !== undefined && part.count > 0) h.merge(part);
            }
            return h;
          }),
        };
    }
  });
  return { sample: run.sample * k, buckets: n, duration: run.duration, series };
}
