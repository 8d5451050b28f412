/**
 * Statistics across replications (one value per seed): mean, sample standard
 * deviation and a two-sided 95% confidence interval for the mean from
 * Student's t, as a report should quote a figure measured over a few seeds.
 * Values are summed in the order given (seed order), so the result does not
 * depend on which worker finished first.
 */
import { roundForOutput } from '../metrics/round.js';
import { studentTQuantile } from './student-t.js';

/** Confidence level of every interval loopsim reports. */
export const CONFIDENCE = 0.95;

/** A figure over several seeds. Numbers rounded to 6 significant digits. */
export interface SampleStats {
  /** Number of values (seeds) it is computed from. */
  readonly n: number;
  readonly mean: number;
  /** Sample standard deviation (n − 1 in the denominator); 0 for one value. */
  readonly sd: number;
  readonly min: number;
  readonly max: number;
  /**
   * The 95% confidence interval of the mean, mean ± t(0.975, n − 1) × sd / √n,
   * its lower end raised to the figure's lower bound when it has one (a
   * recovery time is never below 0); null for a single value, which gives no
   * interval.
   */
  readonly ci95: readonly [number, number] | null;
}

/**
 * Smallest and largest of `values` ([Infinity, -Infinity] when empty), by a
 * loop: `Math.min(...values)` passes every value as an argument and
 * overflows the stack past about 10^5 of them (a sweep's runs or cells).
 */
export function extentOf(values: Iterable<number>): [number, number] {
  let lo = Infinity;
  let hi = -Infinity;
  for (const v of values) {
    if (v < lo) lo = v;
    if (v > hi) hi = v;
  }
  return [lo, hi];
}

/** Half-width of the 95% interval of the mean for n values with sample sd `sd`; NaN below 2 values. */
export function ciHalfWidth(sd: number, n: number): number {
  if (n < 2) return Number.NaN;
  return (studentTQuantile(0.5 + CONFIDENCE / 2, n - 1) * sd) / Math.sqrt(n);
}

/**
 * Fewer seeds than this give an interval too wide to lean on: tables and
 * pages say so beside it.
 */
export const FEW_SEEDS = 5;

/**
 * Mean, sd, range and 95% interval of `values`; null when there are none.
 * `lowerBound`: the smallest value the figure can take (the interval does
 * not reach below it); none by default.
 */
export function summarizeSample(values: readonly number[], lowerBound = -Infinity): SampleStats | null {
  const n = values.length;
  if (n === 0) return null;
  let sum = 0;
  for (const v of values) sum += v;
  const [min, max] = extentOf(values);
  const mean = sum / n;
  let squares = 0;
  for (const v of values) squares += (v - mean) * (v - mean);
  const sd = n > 1 ? Math.sqrt(squares / (n - 1)) : 0;
  const half = ciHalfWidth(sd, n);
  return {
    n,
    mean: roundForOutput(mean),
    sd: roundForOutput(sd),
    min: roundForOutput(min),
    max: roundForOutput(max),
    ci95: n > 1 ? [roundForOutput(Math.max(lowerBound, mean - half)), roundForOutput(mean + half)] : null,
  };
}
