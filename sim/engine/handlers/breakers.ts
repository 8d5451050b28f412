/**
 * A circuit breaker at work on a request path, the same code for a call's
 * breaker (calls.ts) and a client's own (clients.ts): ask for a permit before
 * an attempt (an open breaker refuses it, counted as `shortCircuited`), hand
 * it each attempt's result, and keep its `breaker` level in step. The state
 * machine itself, with resilience4j's transitions and half-open probes, is
 * model/breaker.ts.
 */
import type { CircuitBreaker } from '../model/breaker.js';
import type { EngineState } from '../state.js';

/** Where a breaker sits (an edge, a client): the breaker, its last reported level and its metric ids. */
export interface BreakerSite {
  readonly breaker: CircuitBreaker | null;
  /** Last value reported for the `breaker` metric. */
  breakerLevel: number;
  readonly m: {
    readonly shortCircuited: number;
    readonly breaker: number;
    /** `breaker.opens`, where the site records it (an edge; a client does not). */
    readonly breakerOpens?: number;
  };
}

/**
 * Asks `site`'s breaker `br` to let one attempt through now (resilience4j
 * tryAcquirePermission): false when it is open, or half-open with no probe
 * left, and the refusal is counted as `shortCircuited`.
 */
export function breakerPermits(eng: EngineState, site: BreakerSite, br: CircuitBreaker): boolean {
  const now = eng.q.now;
  const permitted = br.tryAcquire(now);
  breakerLevel(eng, site, now);
  if (!permitted) eng.sink.count(site.m.shortCircuited, 1);
  return permitted;
}

/** Hands `site`'s breaker `br` the result of an attempt that took `took` seconds (`failed`: an error, a rejection or a timeout). */
export function breakerRecords(eng: EngineState, site: BreakerSite, br: CircuitBreaker, took: number, failed: boolean): void {
  const now = eng.q.now;
  br.onResult(now, took, failed);
  breakerLevel(eng, site, now);
}

function breakerLevel(eng: EngineState, site: BreakerSite, now: number): void {
  const v = site.breaker?.stateValue(now) ?? 0;
  if (v !== site.breakerLevel) {
    site.breakerLevel = v;
    eng.sink.level(site.m.breaker, v);
    // The level reads 1 only from the moment the breaker opens (from closed or half-open).
    const opens = site.m.breakerOpens;
    if (v === 1 && opens !== undefined) eng.sink.count(opens, 1);
  }
}
