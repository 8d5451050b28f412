/**
 * The fault-free half of the verdict: does the total queue grow without bound?
 */
import { roundForOutput, roundSignificant } from './round.js';
import { bucketStart, type RunSeries } from './series.js';
import { percentile, type BucketRange } from './stats.js';

/** The queue that has to be exceeded at the end, whatever the median. */
export const OVERLOAD_FLOOR = 100;
/** The end must exceed this many times the median. */
export const OVERLOAD_MEDIAN_FACTOR = 10;

/** Which test found the queue growing. */
export type OverloadTest = 'endAboveBound' | 'steadyClimb';

/** The total queue (sum of every service's `queue` bucket means) over the measured window. */
export interface QueueTrend {
  /** Median of the total queue's bucket means. */
  readonly median: number;
  /** Total queue in the last bucket of the window. */
  readonly last: number;
  /** max(100, 10 × median). */
  readonly bound: number;
  /** Least-squares slope of the total queue over the second half of the window, per second. */
  readonly slope: number;
  /** Largest total queue in the first quarter of the window; null under 4 buckets. */
  readonly firstQuarterMax: number | null;
  /** Smallest total queue in the last quarter of the window; null under 4 buckets. */
  readonly lastQuarterMin: number | null;
  /** Which test said `overloaded`; null for `stable`. */
  readonly overloadedBy: OverloadTest | null;
}

/**
 * Measures the total queue over `range` (the measured window, m buckets) and
 * decides between `stable` and `overloaded`:
 * - the second half is the last ⌈m/2⌉ buckets; the queue "rises through" it
 *   when the least-squares slope of its bucket means against bucket start
 *   time is > 0 (with fewer than 2 buckets the slope is 0);
 * - `endAboveBound` (the contract's rule): it rises through the second half
 *   and the last bucket is above max(100, 10 × the median over the window);
 * - `steadyClimb` (a refinement): it rises through the second half, the last
 *   bucket is above 100, and with m ≥ 4 the smallest bucket of the last
 *   quarter (⌊m/4⌋ buckets) is above the largest of the first quarter. A
 *   queue that climbs linearly from the start of the window ends at only
 *   about twice its median, which the 10 × test alone calls stable; a
 *   bounded queue, however noisy, overlaps itself between the two quarters.
 */
export function reduceQueueTrend(run: RunSeries, queues: readonly Float64Array[], range: BucketRange): QueueTrend {
  const m = range.end - range.first;
  const total = new Float64Array(m);
  for (const q of queues) for (let k = 0; k < m; k += 1) total[k]! += q[range.first + k]!;
  if (m === 0) {
    const none = { firstQuarterMax: null, lastQuarterMin: null, overloadedBy: null };
    return { median: 0, last: 0, bound: OVERLOAD_FLOOR, slope: 0, ...none };
  }
  const median = percentile(total.slice().sort(), 0.5);
  const last = total[m - 1]!;
  const bound = Math.max(OVERLOAD_FLOOR, OVERLOAD_MEDIAN_FACTOR * median);
  const half = Math.floor(m / 2);
  const slope = leastSquaresSlope(run, total, range.first, half, m);
  const quarter = Math.floor(m / 4);
  const firstQuarterMax = quarter > 0 ? total.subarray(0, quarter).reduce((a, b) => Math.max(a, b)) : null;
  const lastQuarterMin = quarter > 0 ? total.subarray(m - quarter).reduce((a, b) => Math.min(a, b)) : null;
  let overloadedBy: OverloadTest | null = null;
  if (slope > 0 && last > bound) overloadedBy = 'endAboveBound';
  else if (slope > 0 && last > OVERLOAD_FLOOR && firstQuarterMax !== null && lastQuarterMin !== null && lastQuarterMin > firstQuarterMax) {
    overloadedBy = 'steadyClimb';
  }
  return {
    median: roundForOutput(median),
    last: roundForOutput(last),
    bound: roundForOutput(bound),
    slope: roundForOutput(slope),
    firstQuarterMax: firstQuarterMax === null ? null : roundForOutput(firstQuarterMax),
    lastQuarterMin: lastQuarterMin === null ? null : roundForOutput(lastQuarterMin),
    overloadedBy,
  };
}

/** One sentence for the report: why the fault-free run is `stable` or `overloaded`. */
export function explainQueueTrend(t: QueueTrend): string {
  const f = (x: number): string => String(roundSignificant(x, 4));
  switch (t.overloadedBy) {
    case 'endAboveBound':
      return (
        `No faults, yet the total queue rises through the second half of the window ` +
        `(${f(t.slope)}/s) and ends at ${f(t.last)}, above ` +
        `max(${OVERLOAD_FLOOR}, ${OVERLOAD_MEDIAN_FACTOR} × its median ${f(t.median)}).`
      );
    case 'steadyClimb':
      return (
        `No faults, yet the total queue climbs steadily (${f(t.slope)}/s over the second half) ` +
        `to ${f(t.last)}: its lowest in the last quarter of the window (${f(t.lastQuarterMin ?? 0)}) ` +
        `is above its highest in the first quarter (${f(t.firstQuarterMax ?? 0)}).`
      );
    case null:
      return `No faults, and the total queue does not grow: it ends at ${f(t.last)} with a median of ${f(t.median)}.`;
  }
}

/** A least-squares line through bucket values against bucket start: value(t) = level + slope × (t − t0). */
export interface Line {
  /** Per second. */
  readonly slope: number;
  /** The line's value at `t0`. */
  readonly level: number;
  readonly t0: number;
}

/** The least-squares line through `y[first..end)` against bucket start (t0 = the first bucket's start); flat with one bucket. */
export function fitLine(run: RunSeries, y: Float64Array, first: number, end: number): Line {
  const t0 = bucketStart(run, first);
  let my = 0;
  let mx = 0;
  for (let i = first; i < end; i += 1) {
    my += y[i]!;
    mx += bucketStart(run, i) - t0;
  }
  const n = Math.max(1, end - first);
  my /= n;
  mx /= n;
  const slope = leastSquaresSlope(run, y, 0, first, end);
  return { slope, level: my - slope * mx, t0 };
}

function leastSquaresSlope(run: RunSeries, y: Float64Array, offset: number, from: number, to: number): number {
  const n = to - from;
  if (n < 2) return 0;
  let sx = 0;
  let sy = 0;
  for (let k = from; k < to; k += 1) {
    sx += bucketStart(run, offset + k);
    sy += y[k]!;
  }
  const mx = sx / n;
  const my = sy / n;
  let sxy = 0;
  let sxx = 0;
  for (let k = from; k < to; k += 1) {
    const dx = bucketStart(run, offset + k) - mx;
    sxy += dx * (y[k]! - my);
    sxx += dx * dx;
  }
  return sxx > 0 ? sxy / sxx : 0;
}
