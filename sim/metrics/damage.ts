/**
 * Damage: how much goodput a run lost against what it should have served,
 * whatever its verdict. Computed from bucket aggregates after the run.
 */
import { roundForOutput } from './round.js';
import { bucketStart, bucketWidth, type RunSeries } from './series.js';

/** Expected operations per smoothing window: the window widens until a normal one holds this many. */
export const DAMAGE_WINDOW_OPERATIONS = 100;

/** The damage of a run, as `verdict.damage` writes it. */
export interface Damage {
  /**
   * Operations that did not succeed compared with the reference, over the
   * measured window (after warmup): the sum of (reference − goodput) × bucket
   * width, never below 0. Work served late still counts as served.
   */
  readonly lostOperations: number;
  /** The worst smoothed bucket's goodput as a share of the reference (all clients together). */
  readonly worstGoodputShare: number;
  /** Seconds in which the smoothed goodput was below half of the reference. */
  readonly secondsBelowHalf: number;
  /** Start (seconds) of the worst bucket. */
  readonly worstAt: number;
  /**
   * What "normal" is: `preFault`, each client's mean goodput over the
   * verdict's reference window; `offered`, the operations the clients offered
   * in each bucket (without faults, or with no reference window).
   */
  readonly reference: 'preFault' | 'offered';
}

/**
 * Measures the damage over buckets [first, end) of `goodput` (all clients
 * together, per second) against `reference` (per second per bucket), both
 * smoothed by a trailing mean over k buckets, k the fewest that hold
 * {@link DAMAGE_WINDOW_OPERATIONS} operations at the reference's mean rate
 * (so that Poisson noise in a slow client's buckets is not taken for damage).
 * Null when the reference is 0 throughout.
 */
export function measureDamage(
  run: RunSeries,
  goodput: Float64Array,
  reference: Float64Array,
  range: { readonly first: number; readonly end: number },
  kind: Damage['reference'],
): Damage | null {
  let lost = 0;
  let refOps = 0;
  let seconds = 0;
  for (let i = range.first; i < range.end; i += 1) {
    const w = bucketWidth(run, i);
    lost += (reference[i]! - goodput[i]!) * w;
    refOps += reference[i]! * w;
    seconds += w;
  }
  if (!(refOps > 0)) return null;
  const k = Math.max(1, Math.ceil(DAMAGE_WINDOW_OPERATIONS / (refOps / seconds) / run.sample - 1e-9));
  let worst = Infinity;
  let worstAt = range.first;
  let below = 0;
  let g = 0;
  let r = 0;
  for (let i = range.first; i < range.end; i += 1) {
    const w = bucketWidth(run, i);
    g += goodput[i]! * w;
    r += reference[i]! * w;
    const out = i - k;
    if (out >= range.first) {
      const wo = bucketWidth(run, out);
      g -= goodput[out]! * wo;
      r -= reference[out]! * wo;
    }
    if (!(r > 1e-9)) continue;
    const share = Math.max(0, g) / r;
    if (share < worst) {
      worst = share;
      worstAt = bucketStart(run, Math.max(range.first, i - k + 1));
    }
    if (share < 0.5) below += w;
  }
  return {
    lostOperations: Math.round(Math.max(0, lost)),
    worstGoodputShare: roundForOutput(Number.isFinite(worst) ? Math.min(1, worst) : 1),
    secondsBelowHalf: roundForOutput(below),
    worstAt: roundForOutput(worstAt),
    reference: kind,
  };
}
