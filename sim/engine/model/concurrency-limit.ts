/**
 * An adaptive concurrency limit at a service's ingress, after Netflix's
 * concurrency-limits library (AIMDLimit with a SimpleLimiter in front).
 *
 * A request that arrives while `limit` requests are inside the service is
 * refused at once. Every request that was let in and leaves is a sample:
 * - a drop (it failed, was rejected or dropped by the service, or its answer
 *   took longer than `timeout`) multiplies the limit by `backoff` and rounds
 *   down;
 * - an answer on time while the service held at least half the limit adds
 *   one (the library's guard against growing a limit nobody uses);
 * - any other answer leaves it;
 * and the limit is then kept within [min, max]. Everything is exact integer
 * arithmetic on the sample sequence, so the limit is deterministic.
 */
import type { ConcurrencyLimit } from '../../scenario/types.js';

/** The state of one service's adaptive concurrency limit. */
export class AimdLimit {
  readonly spec: ConcurrencyLimit;
  /** The current limit: at most this many requests inside the service. */
  limit: number;

  constructor(spec: ConcurrencyLimit) {
    this.spec = spec;
    this.limit = spec.initial;
  }

  /** Whether a request arriving while `inside` others are in the service is let in. */
  admits(inside: number): boolean {
    return inside < this.limit;
  }

  /**
   * One request left after `rtt` seconds, `inflight` requests inside the
   * service as it left (itself included), `dropped` when it failed: returns
   * whether the limit changed.
   */
  sample(rtt: number, inflight: number, dropped: boolean): boolean {
    const s = this.spec;
    const was = this.limit;
    let next = was;
    if (dropped || rtt > s.timeout) next = Math.floor(was * s.backoff);
    else if (inflight * 2 >= was) next = was + 1;
    this.limit = Math.min(s.max, Math.max(s.min, next));
    return this.limit !== was;
  }
}
