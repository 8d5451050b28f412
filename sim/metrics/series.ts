/**
 * The time series a run leaves behind: one entry per declared metric, each a
 * column of fixed-width buckets (`sample` seconds wide) covering [0, duration).
 * The last bucket may be shorter when `duration` is not a multiple of `sample`.
 */
import type { LogHistogram } from './histogram.js';

export interface RateSeries {
  readonly kind: 'rate';
  readonly name: string;
  /** Events per second within each bucket. */
  readonly values: Float64Array;
  /** Events in total over the whole run (not just the measured window). */
  readonly total: number;
}

export interface StockSeries {
  readonly kind: 'stock';
  readonly name: string;
  /** Time-weighted mean level within each bucket. */
  readonly mean: Float64Array;
  /** True peak level within each bucket. */
  readonly max: Float64Array;
  /** Level at the end of the run. */
  readonly last: number;
}

export interface LatencySeries {
  readonly kind: 'latency';
  readonly name: string;
  /** One histogram per bucket, of the durations recorded in that bucket. */
  readonly buckets: readonly LogHistogram[];
}

export type Series = RateSeries | StockSeries | LatencySeries;

export interface RunSeries {
  /** Bucket width in seconds. */
  readonly sample: number;
  /** Number of buckets: ceil(duration / sample). */
  readonly buckets: number;
  readonly duration: number;
  /** In declaration order: clients first, then services, then edges. */
  readonly series: readonly Series[];
}

/** Start time of bucket `i`. */
export function bucketStart(run: RunSeries, i: number): number {
  return i * run.sample;
}

/** Width of bucket `i` in seconds (the last one may be shorter). */
export function bucketWidth(run: RunSeries, i: number): number {
  return Math.min(run.sample, run.duration - i * run.sample);
}
