/**
 * The path of one downstream call, made by a request that holds a worker:
 *
 *   cache? ─hit→ (hitTime) done
 *          ─coalesce→ wait for the fill in flight
 *          ─miss→ ┐
 *   rateLimit? ─no token→ wait (holding the worker) | refused (fails at once, a rejection)
 *   breaker? ─open→ short-circuited (fails at once)
 *   pool? ─none free→ wait (holding the worker) until a connection frees or acquireTimeout
 *   send ─network→ callee ... response | timeout
 *   hedge? (instead of retry): another copy after each delay without an answer;
 *     the first success wins, the others are cancelled (hedges.ts)
 *   result → success: next call | failure: retry (backoff, budget) or, for good:
 *     fallback? → (fallback serviceTime) next call, answer degraded
 *     optional? → next call at once, answer degraded
 *     else fail the caller
 *
 * A cache fill that fails (after its retries) wakes its coalesced waiters with
 * a failure; each then follows its own retry policy against the callee, as a
 * fill of its own: a value it reads is written back to the cache.
 * Stale-while-revalidate refreshes go straight to the callee, outside the
 * caller's retry policy, rate limit, pool and breaker.
 */
import { CACHE_READ_DONE, CALL_BACKOFF_ENDED, FALLBACK_DONE, LIMIT_TOKEN_READY, POOL_WAIT_EXPIRED } from '../events.js';
import type { EdgeState } from '../model/edge.js';
import { isDegraded, markDegraded, type FallbackPlan } from '../model/fallback.js';
import { OUT_ERROR, callPath } from '../model/entities.js';
import { HEDGE_FAIL, HEDGE_WON, type HedgePlan } from '../model/hedge.js';
import { FAIL_ERROR, FAIL_REJECTED } from '../model/retry.js';
import type { ServiceState } from '../model/service.js';
import type { EngineState } from '../state.js';
import { breakerPermits, breakerRecords } from './breakers.js';
import { delivered } from './brokers.js';
import { newCallReq, newReq, releaseIfDone, send } from './requests.js';
import { LIMIT_PASSED, LIMIT_WAITS, armTokenTimer, meetLimit } from './rate-limits.js';
import { GIVE_UP, RETRY_NOW, retryAfterFailure } from './retry.js';
import { finish, nextCall } from './services.js';
import { copyAnswered, hedgeDue, sendFirstCopy } from './hedges.js';

/** Request `parent` starts its current call on edge `e` (first attempt). */
export function beginCall(eng: EngineState, e: EdgeState, parent: number): void {
  const cache = e.cache;
  if (cache !== null && e.keys !== null) {
    const now = eng.q.now;
    const key = e.keys.next(e.keyStream);
    const found = cache.lookup(now, key);
    switch (found) {
      case 'hit':
      case 'stale':
        eng.sink.count(e.m.cacheHits, 1);
        return fromCache(eng, e, parent);
      case 'stale-refresh':
        eng.sink.count(e.m.cacheHits, 1);
        cache.beginFill(key);
        refresh(eng, e, parent, key);
        return fromCache(eng, e, parent);
      case 'coalesce': {
        eng.sink.count(e.m.cacheCoalesced, 1);
        const gen = eng.reqs.gen[parent]!;
        const waiters = e.cacheWaiters.get(key);
        if (waiters === undefined) e.cacheWaiters.set(key, [parent, gen]);
        else waiters.push(parent, gen);
        eng.sink.level(e.m.cacheWaiting, ++e.fillWaiting);
        return;
      }
      case 'miss':
        eng.sink.count(e.m.cacheMisses, 1);
        cache.beginFill(key);
        eng.reqs.fillKey[parent] = key;
        break;
    }
  }
  if (e.hedge !== null) return hedgeDecided(eng, e, parent, sendFirstCopy(eng, e, e.hedge, parent));
  sendCall(eng, e, parent);
}

/**
 * One attempt of `parent`'s current call: rate limit, then breaker, then
 * pool, then the wire. `admitted`: the attempt waited for a token of the
 * rate limit and has it (it was counted when it joined the line). One body
 * for both rather than a helper for the steps after the limit: the extra
 * call cost 1% of the retry storm's instructions.
 */
function sendCall(eng: EngineState, e: EdgeState, parent: number, admitted = false): void {
  const R = eng.reqs;
  const now = eng.q.now;
  if (!admitted) {
    R.callTry[parent]!++;
    if (e.spec.rateLimit !== null && limitCall(eng, e, parent)) return;
  }
  const br = e.breaker;
  if (br !== null && !breakerPermits(eng, e, br)) return attemptFailed(eng, parent, e, FAIL_ERROR);
  if (e.spec.pool !== null) {
    const pool = e.poolOf(R.inst[parent]!);
    if (pool.inUse >= e.spec.pool.size) {
      pool.waitIds.push(parent);
      pool.waitGens.push(R.gen[parent]!);
      R.waitingPool[parent] = 1;
      e.poolWaiting++;
      eng.sink.level(e.m.poolWaiting, e.poolWaiting);
      const t = e.spec.pool.acquireTimeout;
      if (t !== null) {
        R.poolDeadline[parent] = now + t;
        eng.q.push(now + t, POOL_WAIT_EXPIRED, parent, R.gen[parent]!);
      }
      return;
    }
    pool.inUse++;
    R.conn[parent] = 1;
    e.poolInUse++;
    eng.sink.level(e.m.poolInUse, e.poolInUse);
  }
  transmit(eng, e, parent);
}

/**
 * The attempt of `parent`'s call meets the rate limit of its caller replica
 * on `e`: false when it took a token (it goes on now), true when it waits
 * for one (holding the caller's worker) or was refused. A refused attempt
 * never reaches the breaker or the wire: it fails at once as a rejection,
 * which the call's retry policy retries only if its `on` has `rejected`.
 */
function limitCall(eng: EngineState, e: EdgeState, parent: number): boolean {
  const inst = eng.reqs.inst[parent]!;
  const b = e.limiterOf(inst);
  const met = meetLimit(eng, b, parent, LIMIT_TOKEN_READY, e.index, inst);
  if (met === LIMIT_PASSED) return false;
  if (met === LIMIT_WAITS) {
    eng.sink.level(e.m.limitWaiting, ++e.limitWaiting);
    return true;
  }
  eng.sink.count(e.m.rateLimited, 1);
  attemptFailed(eng, parent, e, FAIL_REJECTED);
  return true;
}

/** The rate limit of caller replica `inst` on `e` holds a token for its first waiting call: send every call a token is there for. */
export function onCallTokenReady(eng: EngineState, e: EdgeState, inst: number): void {
  const b = e.limiterOf(inst);
  const now = eng.q.now;
  b.timerAt = Infinity;
  while (b.waiting.size > 0 && b.tryTake(now)) {
    eng.sink.level(e.m.limitWaiting, --e.limitWaiting);
    sendCall(eng, e, b.waiting.shift(), true);
  }
  armTokenTimer(eng, b, LIMIT_TOKEN_READY, e.index, inst);
}

function transmit(eng: EngineState, e: EdgeState, parent: number): void {
  send(eng, newCallReq(eng, e, parent), e.spec.timeout, e.network);
}

/** The response to request `child` came back, or its timeout fired (`fail` = 0 on success). */
export function callResult(eng: EngineState, child: number, fail: number): void {
  const R = eng.reqs;
  const e = eng.edges[R.edge[child]!] as EdgeState;
  const now = eng.q.now;
  const parent = R.parent[child]!;
  const refreshKey = R.refreshKey[child]!;
  const took = now - R.sentAt[child]!;
  if (parent < 0) return parentlessResult(eng, e, child, refreshKey, fail);
  if (eng.degradable === true && fail === 0) passDegraded(eng, child, parent);
  releaseIfDone(eng, child);
  if (R.conn[parent] === 1) releaseConnection(eng, e, parent);
  if (e.breaker !== null) breakerRecords(eng, e, e.breaker, took, fail !== 0);
  if (e.hedge !== null) return hedgeDecided(eng, e, parent, copyAnswered(eng, e, e.hedge, parent, child, fail));
  if (fail === 0) return callSucceeded(eng, e, parent);
  attemptFailed(eng, parent, e, fail);
}

/** Acts on what a hedged call's step decided (model/hedge.ts): it won, it failed for good, or it goes on. */
function hedgeDecided(eng: EngineState, e: EdgeState, parent: number, next: number): void {
  if (next === HEDGE_WON) callSucceeded(eng, e, parent);
  // A hedged call has no retry policy: the failure is final (a fallback may absorb it).
  else if (next === HEDGE_FAIL) attemptFailed(eng, parent, e, FAIL_ERROR);
}

/** The delay of request `parent`'s hedged call ran out without an answer (event generation `gen`): the next copy goes out. */
export function onHedgeDue(eng: EngineState, parent: number, gen: number): void {
  const R = eng.reqs;
  const s = eng.services[R.svc[parent]!] as ServiceState;
  // A call won before its delay leaves the timer behind; its request may have gone past its last call since.
  if (R.callIdx[parent]! >= s.edges.length) return;
  const e = currentEdge(eng, parent);
  const h: HedgePlan | null = e.hedge;
  if (h !== null) hedgeDecided(eng, e, parent, hedgeDue(eng, e, h, parent, gen));
}

/** `parent`'s call on `e` got its successful answer: the fill it made (if any) ends, and it goes on to its next call. */
function callSucceeded(eng: EngineState, e: EdgeState, parent: number): void {
  const R = eng.reqs;
  const key = R.fillKey[parent]!;
  if (key >= 0) fillDone(eng, e, key, true);
  R.fillKey[parent] = -1;
  succeeded(eng, parent);
}

/** A request with no caller request ended: a stale-while-revalidate refresh of key `key`, or a broker's delivery. */
function parentlessResult(eng: EngineState, e: EdgeState, child: number, key: number, fail: number): void {
  if (e.delivery >= 0) return delivered(eng, e, child, fail);
  releaseIfDone(eng, child);
  fillDone(eng, e, key, fail === 0);
}

/** Request `parent`'s current call succeeded (or its cache read finished): on to the next one. */
export function succeeded(eng: EngineState, parent: number): void {
  const R = eng.reqs;
  R.callIdx[parent]!++;
  R.callTry[parent] = 0;
  R.prevSleep[parent] = 0;
  nextCall(eng, eng.services[R.svc[parent]!] as ServiceState, parent);
}

/** An attempt failed: retry it (after backoff, within the budget) or fail the caller. */
function attemptFailed(eng: EngineState, parent: number, e: EdgeState, fail: number): void {
  const R = eng.reqs;
  const next = retryAfterFailure(eng, e.spec.retry, e, R.callTry[parent]!, fail, R.prevSleep, parent, R.gen[parent]!, CALL_BACKOFF_ENDED);
  if (next === RETRY_NOW) return sendCall(eng, e, parent);
  if (next !== GIVE_UP) return eng.sink.level(e.m.retryWaiting, ++e.sleeping);
  const key = R.fillKey[parent]!;
  if (key >= 0) {
    R.fillKey[parent] = -1;
    fillDone(eng, e, key, false);
  }
  const fb = e.fallback;
  if (fb !== null) return absorb(eng, e, fb, parent);
  R.outcome[parent] = OUT_ERROR;
  finish(eng, eng.services[R.svc[parent]!] as ServiceState, parent);
}

/**
 * Request `parent`'s call on `e` failed for good and `e` absorbs the failure:
 * the fallback runs on the caller's worker (an optional call takes no time),
 * the caller's answer is marked degraded, and it goes on to its next call.
 */
function absorb(eng: EngineState, e: EdgeState, fb: FallbackPlan, parent: number): void {
  const R = eng.reqs;
  eng.sink.count(e.m.fallbacks, 1);
  if (fb.degrades) markDegraded(R.degraded, parent, R.gen[parent]!);
  if (fb.time.zero) return succeeded(eng, parent);
  eng.q.push(eng.q.now + fb.time.next(), FALLBACK_DONE, parent, R.gen[parent]!);
}

/** A successful response to `child` that carries a degraded answer makes its caller `parent`'s answer degraded too. */
function passDegraded(eng: EngineState, child: number, parent: number): void {
  const R = eng.reqs;
  if (isDegraded(R.degraded, child, R.gen[child]!)) markDegraded(R.degraded, parent, R.gen[parent]!);
}

/** The backoff of request `parent` before retrying its current call ended: the next attempt goes out. */
export function onCallBackoffEnded(eng: EngineState, parent: number): void {
  const e = currentEdge(eng, parent);
  // A request is never freed while its call backs off (its own work is not done), so every timer ends here.
  eng.sink.level(e.m.retryWaiting, --e.sleeping);
  sendCall(eng, e, parent);
}

/** The edge of request `parent`'s current call. */
function currentEdge(eng: EngineState, parent: number): EdgeState {
  const R = eng.reqs;
  const s = eng.services[R.svc[parent]!] as ServiceState;
  return eng.edges[s.edges[R.callIdx[parent]!] as number] as EdgeState;
}

/** The wait of request `parent` for a pool connection ran past `acquireTimeout`: the attempt fails. */
export function onPoolWaitExpired(eng: EngineState, parent: number): void {
  const R = eng.reqs;
  const e = currentEdge(eng, parent);
  R.waitingPool[parent] = 0;
  e.poolWaiting--;
  eng.sink.level(e.m.poolWaiting, e.poolWaiting);
  // The pool sits inside the breaker-decorated call, so the breaker sees the failure.
  if (e.breaker !== null) breakerRecords(eng, e, e.breaker, e.spec.pool?.acquireTimeout ?? 0, true);
  attemptFailed(eng, parent, e, FAIL_ERROR);
}

/** Hands `parent`'s connection to the first live waiter, or returns it to the pool. */
function releaseConnection(eng: EngineState, e: EdgeState, parent: number): void {
  const R = eng.reqs;
  R.conn[parent] = 0;
  const pool = e.poolOf(R.inst[parent]!);
  while (pool.waitIds.size > 0) {
    const w = pool.waitIds.shift();
    const gen = pool.waitGens.shift();
    if (R.gen[w] !== gen || R.waitingPool[w] === 0) continue;
    R.waitingPool[w] = 0;
    R.conn[w] = 1;
    e.poolWaiting--;
    eng.sink.level(e.m.poolWaiting, e.poolWaiting);
    return transmit(eng, e, w);
  }
  pool.inUse--;
  e.poolInUse--;
  eng.sink.level(e.m.poolInUse, e.poolInUse);
}

function fromCache(eng: EngineState, e: EdgeState, parent: number): void {
  const hit = e.spec.cache?.hitTime ?? 0;
  if (hit > 0) eng.q.push(eng.q.now + hit, CACHE_READ_DONE, parent, eng.reqs.gen[parent]!);
  else succeeded(eng, parent);
}

/** A background refresh of `key` for stale-while-revalidate, owned by `parent`'s operation. */
function refresh(eng: EngineState, e: EdgeState, parent: number, key: number): void {
  const R = eng.reqs;
  eng.sink.count(e.m.calls, 1);
  const child = newReq(eng, R.op[parent]!, -1);
  R.edge[child] = e.index;
  R.svc[child] = e.to;
  R.refreshKey[child] = key;
  R.path[child] = callPath(R.path[parent]!, e.index);
  send(eng, child, e.spec.timeout, e.network);
}

/** A fill of `key` ended: store it (on success) and wake the coalesced waiters. */
function fillDone(eng: EngineState, e: EdgeState, key: number, ok: boolean): void {
  if (e.cache?.completeFill(eng.q.now, key, ok, e.ttlStream) === true) eng.sink.count(e.m.cacheEvictions, 1);
  const waiters = e.cacheWaiters.get(key);
  if (waiters === undefined) return;
  e.cacheWaiters.delete(key);
  e.fillWaiting -= waiters.length / 2;
  eng.sink.level(e.m.cacheWaiting, e.fillWaiting);
  for (let i = 0; i < waiters.length; i += 2) {
    const w = waiters[i] as number;
    if (eng.reqs.gen[w] !== waiters[i + 1]) continue;
    if (ok) succeeded(eng, w);
    else {
      // The shared fill counts as the waiter's first attempt. A waiter that retries
      // fetches the key itself, so what it reads is written back like any fill.
      eng.reqs.callTry[w] = 1;
      e.cache?.beginFill(key);
      eng.reqs.fillKey[w] = key;
      attemptFailed(eng, w, e, FAIL_ERROR);
    }
  }
}
