/**
 * `--find-tipping path=lo:hi --precision X`: bisection for the value of one
 * parameter where the system tips into metastability, as pure state
 * transitions (the CLI runs each probe's seeds and records the outcome).
 *
 * A probe "tips" when a strict majority of its seeds end metastable. The
 * search checks the two ends first: one must tip and the other must not.
 * Which one tips gives the direction (`up`: metastable from the tipping point
 * upward, as with a longer fault; `down`: metastable below it, as with fewer
 * workers, where a higher value is safer), unless the caller gives it. Then
 * it halves the bracket until it is no wider than the precision; on a
 * whole-number field it probes whole numbers only. It assumes the share
 * metastable changes monotonically; the probes are all reported, so a
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
 * Which side of the tipping point is metastable: `up`, the values above it
 * (a longer fault, more traffic); `down`, the values below it (fewer
 * workers, a smaller pool: a higher value is safer).
 */
export type TippingDirection = 'up' | 'down';

/**
 * Where the search stands: `running`; `found` (the bracket is within the
 * precision); or stopped at the ends because the range does not bracket a
 * tipping point. With the direction given: `tipped-at-lo` / `not-tipped-at-hi`
 * (`up`: widen the range down / up) and `tipped-at-hi` / `not-tipped-at-lo`
 * (`down`: widen it up / down). With the direction to be found from the ends:
 * `tipped-at-both-ends` or `tipped-at-neither-end`.
 */
export type TippingStatus =
  | 'running'
  | 'found'
  | 'tipped-at-lo'
  | 'not-tipped-at-hi'
  | 'tipped-at-hi'
  | 'not-tipped-at-lo'
  | 'tipped-at-both-ends'
  | 'tipped-at-neither-end';

/** How a search is set up beside its range and precision. */
export interface TippingOptions {
  /** The direction, when known; found from the two ends when absent. */
  readonly direction?: TippingDirection;
  /** Probe whole numbers only (the field takes whole numbers); lo and hi must be whole. */
  readonly integer?: boolean;
}

/** The state of a search. */
export interface TippingState {
  readonly lo: number;
  readonly hi: number;
  readonly precision: number;
  /** Probes whole numbers only. */
  readonly integer: boolean;
  /** The direction given or found; null while unknown (before both ends are probed). */
  readonly direction: TippingDirection | null;
  /** Every probe so far, in the order run. */
  readonly probes: readonly TippingProbe[];
  readonly status: TippingStatus;
  /**
   * Lower end of the bracket: the largest value probed on the lower side of
   * the tipping point (not tipped for `up`, tipped for `down`); null until known.
   */
  readonly below: number | null;
  /** Upper end of the bracket: the smallest value probed on the upper side; null until known. */
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

/** A new search over [lo, hi] to within `precision` (> 0; at least 1 for whole numbers). */
export function createTipping(lo: number, hi: number, precision: number, opts: TippingOptions = {}): TippingState {
  if (!(hi > lo)) throw new RangeError(`createTipping: hi (${hi}) must be above lo (${lo})`);
  if (!(precision > 0)) throw new RangeError(`createTipping: precision must be above 0, got ${precision}`);
  const integer = opts.integer === true;
  if (integer && !(Number.isInteger(lo) && Number.isInteger(hi)))
    throw new RangeError(`createTipping: lo and hi must be whole numbers, got ${lo} and ${hi}`);
  return {
    lo,
    hi,
    precision: integer ? Math.max(1, precision) : precision,
    integer,
    direction: opts.direction ?? null,
    probes: [],
    status: 'running',
    below: null,
    above: null,
  };
}

function midpoint(s: TippingState, below: number, above: number): number {
  return s.integer ? Math.floor((below + above) / 2) : tidyNumber((below + above) / 2);
}

/** The next value to probe, or null when the search is over. */
export function nextTippingValue(s: TippingState): number | null {
  if (s.status !== 'running') return null;
  if (s.probes.length === 0) return s.lo;
  if (s.probes.length === 1) return s.hi;
  return midpoint(s, s.below ?? s.lo, s.above ?? s.hi);
}

/** Why the ends stop the search: both tipped or neither did. */
function endsStatus(direction: TippingDirection | null, tipped: boolean): TippingStatus {
  if (direction === 'up') return tipped ? 'tipped-at-lo' : 'not-tipped-at-hi';
  if (direction === 'down') return tipped ? 'tipped-at-hi' : 'not-tipped-at-lo';
  return tipped ? 'tipped-at-both-ends' : 'tipped-at-neither-end';
}

/** The state after the probe of the value {@link nextTippingValue} asked for. */
export function recordTippingProbe(s: TippingState, p: TippingProbe): TippingState {
  const probes = [...s.probes, p];
  if (s.probes.length === 0) {
    // With the direction given, lo alone can show that the range misses the tipping point.
    if (s.direction === 'up' && p.tipped) return { ...s, probes, status: 'tipped-at-lo' };
    if (s.direction === 'down' && !p.tipped) return { ...s, probes, status: 'not-tipped-at-lo' };
    return { ...s, probes };
  }
  if (s.probes.length === 1) {
    const atLo = s.probes[0]!;
    if (atLo.tipped === p.tipped) return { ...s, probes, status: endsStatus(s.direction, p.tipped) };
    return finish({ ...s, probes, direction: p.tipped ? 'up' : 'down', below: atLo.value, above: p.value });
  }
  const upperSide = p.tipped === (s.direction === 'up');
  return finish(upperSide ? { ...s, probes, above: p.value } : { ...s, probes, below: p.value });
}

function finish(s: TippingState): TippingState {
  const below = s.below ?? s.lo;
  const above = s.above ?? s.hi;
  // Stop also when the midpoint can no longer move (a precision below float resolution, or adjacent whole numbers).
  const mid = midpoint(s, below, above);
  return above - below <= s.precision * (1 + 1e-9) || mid === below || mid === above ? { ...s, status: 'found' } : s;
}
