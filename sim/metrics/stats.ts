/**
 * Statistics over a window of buckets, shared by the summary, the verdict and
 * the expectations so that `api.queue` `max` means the same thing in all three.
 *
 * A window [from, to) holds the buckets whose start lies in it. Percentiles
 * over bucket values interpolate linearly between order statistics (numpy's
 * default, Hyndman–Fan type 7). Means over bucket values weight each bucket by
 * its width, so a short last bucket counts for what it covers: for a rate
 * that gives events / seconds, for a stock its time-weighted mean.
 */
import { LogHistogram } from './histogram.js';
import { bucketWidth, type RunSeries } from './series.js';

/** Buckets `first` (included) to `end` (excluded). */
export interface BucketRange {
  readonly first: number;
  readonly end: number;
}

/** Statistics of a rate or stock series over a window, as `summary.json` writes them. */
export interface StatBlock {
  /** Width-weighted mean of the bucket values (time-weighted for a stock). */
  readonly mean: number;
  /** Smallest bucket value. */
  readonly min: number;
  /** Largest bucket value; for a stock, the true peak (largest per-bucket max). */
  readonly max: number;
  /** Median of the bucket values. */
  readonly p50: number;
  /** 99th percentile of the bucket values. */
  readonly p99: number;
  /** Value of the last bucket in the window. */
  readonly last: number;
}

/** Statistics of a latency metric over every response in a window, in seconds. */
export interface LatencyBlock {
  /** Exact mean: sum / count. */
  readonly mean: number;
  readonly p50: number;
  readonly p90: number;
  readonly p99: number;
  /** Exact largest duration. */
  readonly max: number;
  /** Number of durations recorded in the window. */
  readonly count: number;
}

/** {@link StatBlock} plus what expectations may also ask of a value series. */
export interface ValueStats extends StatBlock {
  readonly p90: number;
  /** Σ value × width: for a rate, the number of events in the window. */
  readonly total: number;
  /** Buckets that had a value (NaN buckets, "no samples", are skipped). */
  readonly buckets: number;
}

// Tolerance on time / sample, so that a bound equal to a bucket start in
// decimal (0.3 with sample 0.1) selects that bucket despite binary rounding.
const INDEX_EPSILON = 1e-9;

/** The buckets whose start lies in [from, to), clamped to the run. */
export function bucketRange(run: RunSeries, from: number, to: number): BucketRange {
  const index = (t: number): number => Math.min(run.buckets, Math.max(0, Math.ceil(t / run.sample - INDEX_EPSILON)));
  const first = index(from);
  return { first, end: Math.max(first, index(to)) };
}

/**
 * The q-quantile (0..1) of ascending `sorted` values, interpolating linearly
 * between neighbours; NaN when `sorted` is empty.
 */
export function percentile(sorted: ArrayLike<number>, q: number): number {
  const n = sorted.length;
  if (n === 0) return NaN;
  const h = (n - 1) * q;
  const lo = Math.floor(h);
  const a = sorted[lo]!;
  return lo + 1 < n ? a + (h - lo) * (sorted[lo + 1]! - a) : a;
}

/**
 * Statistics of per-bucket `values` over `range`, skipping NaN buckets. When
 * `peak` is given (a stock's per-bucket max), `max` is taken from it. Returns
 * null when no bucket in the range has a value.
 */
export function reduceValueStats(
  run: RunSeries,
  values: ArrayLike<number>,
  range: BucketRange,
  peak?: ArrayLike<number>,
): ValueStats | null {
  const kept: number[] = [];
  let weighted = 0;
  let seconds = 0;
  let max = -Infinity;
  let last = NaN;
  for (let i = range.first; i < range.end; i += 1) {
    const v = values[i]!;
    if (Number.isNaN(v)) continue;
    const w = bucketWidth(run, i);
    kept.push(v);
    weighted += v * w;
    seconds += w;
    last = v;
    const top = peak === undefined ? v : peak[i]!;
    if (top > max) max = top;
  }
  if (kept.length === 0) return null;
  const sorted = Float64Array.from(kept).sort();
  return {
    mean: seconds > 0 ? weighted / seconds : sorted[0]!,
    min: sorted[0]!,
    max,
    p50: percentile(sorted, 0.5),
    p99: percentile(sorted, 0.99),
    last,
    p90: percentile(sorted, 0.9),
    total: weighted,
    buckets: kept.length,
  };
}

/** One histogram holding every duration of `buckets` within `range`, merged in bucket order. */
export function mergeHistograms(buckets: readonly LogHistogram[], range: BucketRange): LogHistogram {
  const merged = new LogHistogram();
  for (let i = range.first; i < range.end && i < buckets.length; i += 1) merged.merge(buckets[i]!);
  return merged;
}

/** The summary block of a merged histogram; all zeros when it is empty. */
export function reduceLatencyBlock(h: LogHistogram): LatencyBlock {
  return {
    mean: h.mean,
    p50: h.quantile(0.5),
    p90: h.quantile(0.9),
    p99: h.quantile(0.99),
    max: h.max,
    count: h.count,
  };
}
