/**
 * A token bucket with a waiting room: the rate limit a scenario can put at a
 * service's ingress, on a client or on a call.
 *
 * The bucket follows Envoy's local rate limit: it holds at most `burst`
 * tokens (max_tokens) and starts full, each request takes one, and a request
 * that finds none is refused. Tokens come back in one of two ways:
 * - in fills, as Envoy does: `rate x fillInterval` tokens (tokens_per_fill) at
 *   each multiple of `fillInterval` (fill_interval) counted from t = 0;
 * - continuously, when `fillInterval` is absent: `rate x dt` tokens over any
 *   time dt (the limit of ever smaller fills; Guava's and Go's limiters).
 * Either way the bucket is worked out when it is asked, never on a timer.
 *
 * With a waiting room (`queue` above 0), a request without a token waits in
 * line for one instead, as nginx's `limit_req` with `burst` delays excess
 * requests; a request that finds the room full is refused. The waiters leave
 * in order, one per token; a new request joins the line while anyone waits,
 * so no one is overtaken.
 */
import type { RateLimit } from '../../scenario/types.js';
import { Deque } from './deque.js';

// Tolerance of the float arithmetic: a bucket within this of a whole token has it.
const EPSILON = 1e-9;

/** The token bucket and waiting line of one rate limit. */
export class TokenBucket {
  readonly spec: RateLimit;
  /** Tokens held after the last refill (may fall EPSILON below 0). */
  private tokens: number;
  /** When `tokens` was last brought up to date (continuous), or the index of the last fill counted (fills). */
  private last = 0;
  /** Tokens per fill (fills only). */
  private readonly perFill: number;
  /** Waiting requests, first in line first (ids; the owner knows what they are). */
  readonly waiting = new Deque();
  /** When the pending token timer fires; Infinity when none is pending. */
  timerAt = Infinity;

  constructor(spec: RateLimit) {
    this.spec = spec;
    this.tokens = spec.burst;
    this.perFill = spec.fillInterval === null ? 0 : spec.rate * spec.fillInterval;
  }

  /** Tokens in the bucket at time `now` (refilled up to then). */
  tokensAt(now: number): number {
    const { burst, fillInterval, rate } = this.spec;
    if (fillInterval === null) {
      if (now > this.last) {
        this.tokens = Math.min(burst, this.tokens + (now - this.last) * rate);
        this.last = now;
      }
    } else {
      const fill = fillIndex(now, fillInterval);
      if (fill > this.last) {
        this.tokens = Math.min(burst, this.tokens + (fill - this.last) * this.perFill);
        this.last = fill;
      }
    }
    return this.tokens;
  }

  /** Takes a token at `now` if there is one; false when the bucket is empty. */
  tryTake(now: number): boolean {
    if (this.tokensAt(now) < 1 - EPSILON) return false;
    this.tokens -= 1;
    return true;
  }

  /** The first time from `now` on at which the bucket will hold a token (nothing taken meanwhile). */
  nextTokenAt(now: number): number {
    const missing = 1 - this.tokensAt(now);
    if (missing <= EPSILON) return now;
    const { fillInterval, rate } = this.spec;
    if (fillInterval === null) return now + missing / rate;
    return (this.last + Math.ceil(missing / this.perFill - EPSILON)) * fillInterval;
  }

  /** Whether a request that finds no token may wait: the line has room. */
  hasRoom(): boolean {
    return this.waiting.size < this.spec.queue;
  }
}

/** The index of the last fill at or before `now`: fills are at k x interval, k = 1, 2, ... */
function fillIndex(now: number, interval: number): number {
  // The tolerance keeps a fill scheduled at k x interval from reading as k - 1 after rounding.
  return Math.floor(now / interval + EPSILON);
}
