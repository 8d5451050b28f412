/**
 * Rate limits: the token bucket at a service's ingress (model/rate-limit.ts).
 * A request that arrives while the line is empty and a token is there takes
 * it and goes on to the balancer; otherwise it waits at the end of the line
 * while there is room, or is refused at once with a rejection (a 429,
 * counted as `rateLimited`). One timer per bucket, set for when the first in
 * line will have its token, lets the line move.
 *
 * A waiter whose caller gave up is still in line: with `dropExpired` the
 * service drops it when its turn comes, without a token (`expired`); without
 * it, it takes its token and is served like any other, work nobody waits for.
 */
import { TOKEN_READY } from '../events.js';
import { OUT_REJECTED } from '../model/entities.js';
import type { TokenBucket } from '../model/rate-limit.js';
import type { ServiceState } from '../model/service.js';
import type { EngineState } from '../state.js';
import { respond } from './requests.js';
import { enter, expire } from './services.js';

/**
 * Request `r` just arrived at `s`, whose ingress has a rate limit: false when
 * it took a token (the caller sends it on), true when it waits or was refused.
 */
export function limitIngress(eng: EngineState, s: ServiceState, r: number): boolean {
  const b = s.limiter as TokenBucket;
  const now = eng.q.now;
  if (b.waiting.size === 0 && b.tryTake(now)) return false;
  if (!b.hasRoom()) {
    eng.reqs.outcome[r] = OUT_REJECTED;
    s.inside--;
    eng.sink.count(s.m.rateLimited, 1);
    respond(eng, r);
    return true;
  }
  b.waiting.push(r);
  eng.sink.level(s.m.limitWaiting, b.waiting.size);
  armTimer(eng, b, s.index);
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
  armTimer(eng, b, s.index);
}

/** Sets the bucket's timer for its first waiter's token, unless none waits or one is set. */
function armTimer(eng: EngineState, b: TokenBucket, owner: number): void {
  if (b.waiting.size === 0 || b.timerAt !== Infinity) return;
  const now = eng.q.now;
  const at = b.nextTokenAt(now);
  // The bucket was found empty, so the token is later; never set the timer for now, which would spin.
  b.timerAt = at > now ? at : now + now * Number.EPSILON + Number.MIN_VALUE;
  eng.q.push(b.timerAt, TOKEN_READY, owner, 0);
}
