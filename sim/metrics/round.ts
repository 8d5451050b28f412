/**
 * Number rounding for what a run writes out (`summary.json`, `timeseries.csv`):
 * six significant digits keep the files readable and stable against the last
 * bits of floating-point arithmetic, while integers (counts, seeds) pass exactly.
 */

/** Significant digits kept for non-integer output numbers. */
export const OUTPUT_DIGITS = 6;

/**
 * Rounds a non-integer to `digits` significant digits (default 6); integers
 * and non-finite values pass unchanged, and -0 becomes 0. Deterministic:
 * `toPrecision` is exactly specified by ECMAScript.
 */
export function roundSignificant(x: number, digits: number = OUTPUT_DIGITS): number {
  if (x === 0) return 0;
  if (Number.isInteger(x) || !Number.isFinite(x)) return x;
  return Number(x.toPrecision(digits));
}

/**
 * A number fit for `summary.json`: rounded by {@link roundSignificant}, and 0
 * in place of NaN or ±Infinity so the output is always valid, finite JSON.
 */
export function roundForOutput(x: number): number {
  return Number.isFinite(x) ? roundSignificant(x) : 0;
}
