/**
 * `--find-tipping path=lo:hi --precision X`: bisection for the smallest value
 * of one parameter that makes the system metastable, as pure state
 * transitions (the CLI runs each probe's seeds and records the outcome).
 *
 * A probe "tips" when a strict majority of its seeds end metastable. The
 * search first checks the two ends (lo must not tip, hi must), then halves
 * the bracket until it is no wider than the precision. It assumes the share
 * metastable grows with the parameter; the probes are all reported, so a
 * non-monotone response shows in them.
 */
import { tidyNumber } from './grid.js';

/** One probe: a value and how its seeds ended. */
export interface TippingProbe {
  /** The parameter value (seconds for durations, a fraction for percentages, else the number). */
  readonly value: number;
  readonly seeds: number;
  /** Seeds whose verdict was `metastable`. */
  readonly metastable: number;
  /** metastable / seeds. */
  readonly share: number;
  /** A strict majority of seeds metastable. */
  readonly tipped: boolean;
}

/**
 * Where the search stands: `running`; `found` (the bracket is within the
 * precision); `tipped-at-lo` (already metastable at lo: widen the range
 * down); `not-tipped-at-hi` (still not metastable at hi: widen it up).
 */
export type TippingStatus = 'running' | 'found' | 'tipped-at-lo' | 'not-tipped-at-hi';

/** The state of a search. */
export interface TippingState {
  readonly lo: number;
  readonly hi: number;
  readonly precision: number;
  /** Every probe so far, in the order run. */
  readonly probes: readonly TippingProbe[];
  readonly status: TippingStatus;
  /** Largest value probed that did not tip; null until lo is probed. */
  readonly below: number | null;
  /** Smallest value probed that tipped; null until hi is probed. */
  readonly above: number | null;
}

/** Whether `metastable` of `seeds` is a strict majority. */
export function isTipped(metastable: number, seeds: number): boolean {
  return 2 * metastable > seeds;
}

/** A probe from a value and its verdict counts. */
export function createProbe(value: number, seeds: number, metastable: number): TippingProbe {
  return { value, seeds, metastable, share: seeds > 0 ? tidyNumber(metastable / seeds) : 0, tipped: isTipped(metastable, seeds) };
}

/** A new search over [lo, hi] to within `precision` (> 0). */
export function createTipping(lo: number, hi: number, precision: number): TippingState {
  if (!(hi > lo)) throw new RangeError(`createTipping: hi (${hi}) must be above lo (${lo})`);
  if (!(precision > 0)) throw new RangeError(`createTipping: precision must be above 0, got ${precision}`);
  return { lo, hi, precision, probes: [], status: 'running', below: null, above: null };
}

/** The next value to probe, or null when the search is over. */
export function nextTippingValue(s: TippingState): number | null {
  if (s.status !== 'running') return null;
  if (s.below === null && s.probes.length === 0) return s.lo;
  if (s.above === null) return s.hi;
  return tidyNumber(((s.below ?? s.lo) + s.above) / 2);
}

/** The state after the probe of the value {@link nextTippingValue} asked for. */
export function recordTippingProbe(s: TippingState, p: TippingProbe): TippingState {
  const probes = [...s.probes, p];
  if (s.probes.length === 0) {
    return p.tipped ? { ...s, probes, status: 'tipped-at-lo', above: p.value } : { ...s, probes, below: p.value };
  }
  if (s.above === null) {
    if (!p.tipped) return { ...s, probes, status: 'not-tipped-at-hi', below: p.value };
    return finish({ ...s, probes, above: p.value });
  }
  return finish(p.tipped ? { ...s, probes, above: p.value } : { ...s, probes, below: p.value });
}

function finish(s: TippingState): TippingState {
  const width = (s.above ?? Infinity) - (s.below ?? -Infinity);
  // Stop also when the midpoint can no longer move (a precision below float resolution).
  const mid = tidyNumber(((s.below ?? 0) + (s.above ?? 0)) / 2);
  return width <= s.precision * (1 + 1e-9) || mid === s.below || mid === s.above ? { ...s, status: 'found' } : s;
}
