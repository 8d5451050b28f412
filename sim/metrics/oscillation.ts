/**
 * Oscillation: sustained swings after the trigger, found on bucket
 * aggregates after the run. The candidates are data: {@link OSCILLATORS}
 * lists what can swing (an autoscaler's replicas, a breaker's state, retry
 * waves in attempts or arrivals); a new one is one entry.
 */
import type { NormalizedScenario } from '../scenario/types.js';
import { findSeries } from './csv.js';
import { roundForOutput } from './round.js';
import { bucketStart, bucketWidth, type RunSeries } from './series.js';
import { componentsOf } from './stocks.js';

/** A breaker whose mean level over its openings is at least this is held open and probing, not flapping. */
export const HELD_OPEN_LEVEL = 0.9;
/** A swing must be at least this share of the series' level before the trigger... */
export const SWING_SHARE = 0.5;
/** ...and, for a rate, at least this many standard deviations of a bucket's Poisson noise. */
export const SWING_NOISE_SIGMAS = 6;

/** What `verdict.oscillation` writes. */
export interface Oscillation {
  readonly component: string;
  /** The metric that swings: `desired`, `breaker`, `attempts`, `arrivals`. */
  readonly metric: string;
  /** Mean time for one full swing (up and down), in seconds. */
  readonly periodSeconds: number;
  /** Mean size of a swing, peak to trough, in the metric's unit (replicas, attempts/s; 1 for a breaker: closed to open). */
  readonly amplitude: number;
  /** Full swings counted after the trigger (a breaker: its openings); may end in .5. */
  readonly cycles: number;
}

/** One kind of series that can swing. */
export interface OscillatorKind {
  readonly of: 'client' | 'service' | 'edge';
  readonly metric: string;
  /** `level`: a stock; `rate`: events per second (noise floor applies); `opens`: a breaker's openings counter. */
  readonly shape: 'level' | 'rate' | 'opens';
  /** Smallest swing that counts, in the metric's unit, whatever the level. */
  readonly floor: number;
  /**
   * The fewest cycles that make an oscillation: 1.5 for a controller (up,
   * down and up again is thrash), 3 for load, whose single retry wave or
   * burst and its echo is not yet a sustained swing, 5 openings for a
   * breaker (one that re-trips a few times during a fault is doing its job).
   */
  readonly minCycles: number;
}

/** What can swing, in the order one is reported when several do: the controllers first, then the load they shape. */
export const OSCILLATORS: readonly OscillatorKind[] = [
  { of: 'service', metric: 'desired', shape: 'level', floor: 2, minCycles: 1.5 },
  { of: 'edge', metric: 'breaker', shape: 'opens', floor: 0, minCycles: 5 },
  { of: 'client', metric: 'attempts', shape: 'rate', floor: 1, minCycles: 3 },
  { of: 'service', metric: 'arrivals', shape: 'rate', floor: 1, minCycles: 3 },
];

/**
 * The first oscillation found, in {@link OSCILLATORS} order (the most cycles
 * among several of one kind), over buckets [from, end) (from the first
 * fault's start; without faults, from warmup). `baseline` gives the buckets
 * whose level sets the swing threshold (the verdict's reference window, or
 * the same range). Null when nothing swings.
 */
export function findOscillation(
  run: RunSeries,
  scenario: NormalizedScenario,
  range: { readonly first: number; readonly end: number },
  baseline: { readonly first: number; readonly end: number },
): Oscillation | null {
  for (const kind of OSCILLATORS) {
    let best: Oscillation | null = null;
    for (const component of componentsOf(scenario, kind.of)) {
      const found = kind.shape === 'opens' ? breakerFlap(run, component, kind, range) : swings(run, component, kind, range, baseline);
      if (found !== null && (best === null || found.cycles > best.cycles)) best = found;
    }
    if (best !== null) return best;
  }
  return null;
}

/**
 * A breaker flaps when it opens at least `minCycles` times in the range
 * and its mean level between its first and last opening stays below
 * {@link HELD_OPEN_LEVEL} (it closes in between). Period: the time between
 * the first and last opening's buckets over the openings between them.
 */
function breakerFlap(run: RunSeries, edge: string, kind: OscillatorKind, range: { first: number; end: number }): Oscillation | null {
  const opens = findSeries(run, `${edge}.breaker.opens`);
  const level = findSeries(run, `${edge}.breaker`);
  if (opens?.kind !== 'rate' || level?.kind !== 'stock') return null;
  let count = 0;
  let firstAt = -1;
  let lastAt = -1;
  for (let i = range.first; i < range.end; i += 1) {
    const n = Math.round(opens.values[i]! * bucketWidth(run, i));
    if (n <= 0) continue;
    count += n;
    if (firstAt < 0) firstAt = i;
    lastAt = i;
  }
  if (count < kind.minCycles || lastAt <= firstAt) return null;
  let area = 0;
  let seconds = 0;
  for (let i = firstAt; i <= lastAt; i += 1) {
    area += level.mean[i]! * bucketWidth(run, i);
    seconds += bucketWidth(run, i);
  }
  if (area / seconds >= HELD_OPEN_LEVEL) return null;
  const period = (bucketStart(run, lastAt) - bucketStart(run, firstAt)) / (count - 1);
  return { component: edge, metric: 'breaker', periodSeconds: roundForOutput(period), amplitude: 1, cycles: count };
}

/**
 * Swings of a level or a rate, counted as a zigzag: a leg ends where the
 * series turns back by at least the threshold θ from its extreme, so noise
 * smaller than θ never makes a leg. θ is the largest of the kind's floor,
 * {@link SWING_SHARE} × the series' median over `baseline`, and for a rate
 * {@link SWING_NOISE_SIGMAS} × the Poisson standard deviation of a bucket
 * at that median; a rate's leg must also be {@link SWING_SHARE} of its
 * trough, so that the bursts of load a fault has raised (retries come in
 * bunches) do not count as swings. Cycles = legs / 2, the period twice the mean time between
 * turning points (the last leg, still in progress, has none at its end), the
 * amplitude the mean leg size. It takes at least 2 × `minCycles` legs.
 */
function swings(
  run: RunSeries,
  component: string,
  kind: OscillatorKind,
  range: { first: number; end: number },
  baseline: { first: number; end: number },
): Oscillation | null {
  const s = findSeries(run, `${component}.${kind.metric}`);
  const x = s?.kind === 'rate' ? s.values : s?.kind === 'stock' ? s.mean : undefined;
  if (x === undefined || range.end - range.first < 2) return null;
  const base = Array.from(x.subarray(baseline.first, baseline.end)).sort((a, b) => a - b);
  const level = base.length > 0 ? base[Math.floor(base.length / 2)]! : 0;
  let theta = Math.max(kind.floor, SWING_SHARE * Math.abs(level));
  const rate = kind.shape === 'rate';
  if (rate) theta = Math.max(theta, SWING_NOISE_SIGMAS * Math.sqrt(Math.abs(level) / run.sample));
  // A leg between a and b: at least θ and, for a rate, SWING_SHARE of its trough (load that a fault
  // has raised is noisier than the baseline: its bursts are not swings).
  const leg = (a: number, b: number): boolean => Math.abs(a - b) >= (rate ? Math.max(theta, SWING_SHARE * Math.min(a, b)) : theta);
  // Pivots: the index where each leg starts; the leg in progress ends at `ext`.
  const pivots: number[] = [];
  let dir = 0;
  let hi = range.first;
  let lo = range.first;
  let ext = range.first;
  for (let i = range.first + 1; i < range.end; i += 1) {
    const v = x[i]!;
    if (dir === 0) {
      if (v > x[hi]!) hi = i;
      if (v < x[lo]!) lo = i;
      if (leg(x[hi]!, x[lo]!)) {
        dir = hi > lo ? 1 : -1;
        pivots.push(dir === 1 ? lo : hi);
        ext = dir === 1 ? hi : lo;
      }
    } else if (dir * (v - x[ext]!) > 0) {
      ext = i;
    } else if (dir * (x[ext]! - v) > 0 && leg(x[ext]!, v)) {
      pivots.push(ext);
      dir = -dir;
      ext = i;
    }
  }
  if (dir === 0) return null;
  const ends = [...pivots, ext];
  const legs = ends.length - 1;
  if (legs < 2 * kind.minCycles) return null;
  let size = 0;
  for (let k = 1; k < ends.length; k += 1) size += Math.abs(x[ends[k]!]! - x[ends[k - 1]!]!);
  // The period from the turning points alone: the leg in progress has not turned yet, so its end is no extreme.
  const turns = pivots.length - 1;
  const span = bucketStart(run, turns >= 2 ? pivots[turns]! : ends[legs]!) - bucketStart(run, ends[0]!);
  return {
    component,
    metric: kind.metric,
    periodSeconds: roundForOutput((2 * span) / (turns >= 2 ? turns : legs)),
    amplitude: roundForOutput(size / legs),
    cycles: legs / 2,
  };
}
