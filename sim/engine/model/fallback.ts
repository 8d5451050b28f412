/**
 * Fallbacks and optional calls: what a call does when it fails for good
 * (after its retries), and how a degraded answer is marked on its way up.
 *
 * A call with a `fallback` answers its failure with local work on the
 * caller's worker (`serviceTime`), as a Hystrix command's getFallback() or
 * resilience4j's Decorators.withFallback around the retry and the breaker;
 * an `optional` call is skipped. Either way the caller carries on with its
 * next call as if this one had succeeded, and its answer is degraded (for a
 * fallback, unless `degraded: false`).
 *
 * The degraded mark is carried by the request that got the degraded answer,
 * and passes to its caller with a successful response, up to the client.
 * It is kept as "the request's generation + 1" in a column of the request
 * table (see entities.ts): releasing the id bumps the generation, which
 * clears the mark, so nothing resets it when an id is taken and a scenario
 * without fallbacks never touches the column.
 */
import type { Call, NormalizedScenario } from '../../scenario/types.js';
import type { Alea } from '../rng.js';
import { Draw } from './dist.js';

/** Whether a call absorbs its failure: it has a fallback or is optional. */
export function absorbsFailure(c: Call): boolean {
  return c.fallback !== null || c.optional;
}

/** Whether any call of the scenario can absorb its failure, so that answers can be degraded. */
export function degradable(s: NormalizedScenario): boolean {
  return s.services.some((x) => x.calls.some(absorbsFailure));
}

/** What an edge does with a call that failed for good, when it absorbs the failure. */
export class FallbackPlan {
  /** Time the fallback takes on the caller's worker (zero for an optional call). */
  readonly time: Draw;
  /** Whether the caller's answer becomes degraded. */
  readonly degrades: boolean;

  constructor(c: Call, g: Alea) {
    this.time = new Draw(c.fallback?.serviceTime ?? null, g);
    this.degrades = c.fallback === null || c.fallback.degraded;
  }
}

/** Marks request `r` (of generation `gen`) as answered with a degraded result. */
export function markDegraded(marks: Int32Array, r: number, gen: number): void {
  marks[r] = (gen + 1) | 0;
}

/** Whether request `r` (of generation `gen`) carries a degraded answer. */
export function isDegraded(marks: Int32Array, r: number, gen: number): boolean {
  return marks[r] === ((gen + 1) | 0);
}
