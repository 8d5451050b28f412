/**
 * Rate limits: the token buckets (model/rate-limit.ts) at a service's
 * ingress, in a client library and on the caller's side of a call. Whoever
 * meets a bucket takes a token when the line is empty and one is there, and
 * goes on; otherwise it waits at the end of the line while there is room, or
 * is refused at once (a 429, counted as `rateLimited` on the component that
 * refused). One timer per bucket, set for when the first in line will have
 * its token, lets the line move.
 *
 * This module decides take, wait or refuse for all three and runs the
 * ingress's own line. What a refusal or a token means for a client's attempt
 * or a call's is the client's and the call's (handlers/clients.ts,
 * handlers/calls.ts), which import {@link meetLimit} from here.
 *
 * A waiter at the ingress whose caller gave up is still in line: with
 * `dropExpired` the service drops it when its turn comes, without a token
 * (`expired`); without it, it takes its token and is served like any other,
 * work nobody waits for.
 */
import { TOKEN_READY } from '../events.js';
import { OUT_REJECTED } from '../model/entities.js';
import type { TokenBucket } from '../model/rate-limit.js';
import type { ServiceState } from '../model/service.js';
import type { EngineState } from '../state.js';
import { respond } from './requests.js';
import { enter, expire } from './services.js';

/** What {@link meetLimit} decided: the request took a token and goes on. */
export const LIMIT_PASSED = 0;
/** It waits in the bucket's line (the bucket's timer is set). */
export const LIMIT_WAITS = 1;
/** It was refused: no token and no room in the line. */
export const LIMIT_REFUSED = 2;

/**
 * `id` meets bucket `b` now: takes a token ({@link LIMIT_PASSED}), joins the
 * line ({@link LIMIT_WAITS}; the bucket's timer, event `kind` with payload
 * `a`, `sub`, is set when none is) or is refused ({@link LIMIT_REFUSED}).
 */
export function meetLimit(eng: EngineState, b: TokenBucket, id: number, kind: number, a: number, sub: number): number {
  if (b.waiting.size === 0 && b.tryTake(eng.q.now)) return LIMIT_PASSED;
  if (!b.hasRoom()) return LIMIT_REFUSED;
  b.waiting.push(id);
  armTokenTimer(eng, b, kind, a, sub);
  return LIMIT_WAITS;
}

/**
 * Request `r` just arrived at `s`, whose ingress has a rate limit: false when
 * it took a token (the caller sends it on), true when it waits or was refused.
 */
export function limitIngress(eng: EngineState, s: ServiceState, r: number): boolean {
  const b = s.limiter as TokenBucket;
  const met = meetLimit(eng, b, r, TOKEN_READY, s.index, 0);
  if (met === LIMIT_PASSED) return false;
  if (met === LIMIT_WAITS) {
    eng.sink.level(s.m.limitWaiting, b.waiting.size);
    return true;
  }
  eng.reqs.outcome[r] = OUT_REJECTED;
  s.inside--;
  eng.sink.count(s.m.rateLimited, 1);
  respond(eng, r);
  return true;
}

/** The first waiter at `s`'s ingress has its token: let in every waiter a token is there for. */
export function onTokenReady(eng: EngineState, s: ServiceState): void {
  const b = s.limiter as TokenBucket;
  const now = eng.q.now;
  const R = eng.reqs;
  const drop = s.spec.dropExpired;
  b.timerAt = Infinity;
  while (b.waiting.size > 0) {
    const r = b.waiting.peekFront();
    if (drop && R.abandoned[r] === 1) {
      b.waiting.shift();
      expire(eng, s, r);
    } else if (b.tryTake(now)) {
      b.waiting.shift();
      enter(eng, s, r);
    } else break;
  }
  eng.sink.level(s.m.limitWaiting, b.waiting.size);
  armTokenTimer(eng, b, TOKEN_READY, s.index, 0);
}

/**
 * Sets bucket `b`'s timer (event `kind`, payload `a`, `sub`) for its first
 * waiter's token, unless none waits or one is set.
 */
export function armTokenTimer(eng: EngineState, b: TokenBucket, kind: number, a: number, sub: number): void {
  if (b.waiting.size === 0 || b.timerAt !== Infinity) return;
  const now = eng.q.now;
  const at = b.nextTokenAt(now);
  // The bucket was found empty, so the token is later; never set the timer for now, which would spin.
  b.timerAt = at > now ? at : now + now * Number.EPSILON + Number.MIN_VALUE;
  eng.q.push(b.timerAt, kind, a, sub);
}
