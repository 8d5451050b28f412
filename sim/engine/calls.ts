/**
 * The path of one downstream call, made by a request that holds a worker:
 *
 *   cache? ─hit→ (hitTime) done
 *          ─coalesce→ wait for the fill in flight
 *          ─miss→ ┐
 *   breaker? ─open→ short-circuited (fails at once)
 *   pool? ─none free→ wait (holding the worker) until a connection frees or acquireTimeout
 *   send ─network→ callee ... response | timeout
 *   result → success: next call | failure: retry (backoff, budget) or fail the caller
 *
 * A cache fill that fails (after its retries) wakes its coalesced waiters with
 * a failure; each then follows its own retry policy against the callee.
 * Stale-while-revalidate refreshes go straight to the callee, outside the
 * caller's retry policy, pool and breaker.
 */
import type { Engine } from './engine.js';
import { EV_CACHE_DONE, EV_CALL_RETRY, EV_POOL_TIMEOUT } from './engine.js';
import type { EdgeState } from './model/edge.js';
import { OUT_ERROR, type Op, type Req } from './model/entities.js';
import { FAIL_ERROR, retryDelay } from './model/retry.js';
import type { ServiceState } from './model/service.js';

export class CallPath {
  private readonly engine: Engine;

  constructor(engine: Engine) {
    this.engine = engine;
  }

  /** `parent` starts its current call on edge `e` (first attempt). */
  begin(e: EdgeState, parent: Req): void {
    const cache = e.cache;
    if (cache !== null && e.keys !== null) {
      const eng = this.engine;
      const now = eng.q.now;
      const key = e.keys.next(e.keyStream);
      const found = cache.lookup(now, key);
      switch (found) {
        case 'hit':
        case 'stale':
          eng.sink.count(e.m.cacheHits, now, 1);
          return this.fromCache(e, parent);
        case 'stale-refresh':
          eng.sink.count(e.m.cacheHits, now, 1);
          cache.beginFill(key);
          this.refresh(e, parent, key);
          return this.fromCache(e, parent);
        case 'coalesce': {
          eng.sink.count(e.m.cacheCoalesced, now, 1);
          const waiters = e.cacheWaiters.get(key);
          if (waiters === undefined) e.cacheWaiters.set(key, [parent.id, parent.gen]);
          else waiters.push(parent.id, parent.gen);
          return;
        }
        case 'miss':
          eng.sink.count(e.m.cacheMisses, now, 1);
          cache.beginFill(key);
          parent.fillKey = key;
          break;
      }
    }
    this.send(e, parent);
  }

  /** One attempt of `parent`'s current call: breaker, then pool, then the wire. */
  send(e: EdgeState, parent: Req): void {
    const eng = this.engine;
    const now = eng.q.now;
    parent.callTry++;
    const br = e.breaker;
    if (br !== null) {
      const permitted = br.tryAcquire(now);
      this.breakerLevel(e, now);
      if (!permitted) {
        eng.sink.count(e.m.shortCircuited, now, 1);
        return this.attemptFailed(parent, e, FAIL_ERROR);
      }
    }
    if (e.spec.pool !== null) {
      const pool = e.poolOf(parent.inst);
      if (pool.inUse >= e.spec.pool.size) {
        pool.waitIds.push(parent.id);
        pool.waitGens.push(parent.gen);
        parent.waitingPool = true;
        e.poolWaiting++;
        eng.sink.level(e.m.poolWaiting, now, e.poolWaiting);
        const t = e.spec.pool.acquireTimeout;
        if (t !== null) {
          parent.poolDeadline = now + t;
          eng.q.push(parent.poolDeadline, EV_POOL_TIMEOUT, parent.id, parent.gen);
        }
        return;
      }
      pool.inUse++;
      parent.conn = true;
      e.poolInUse++;
      eng.sink.level(e.m.poolInUse, now, e.poolInUse);
    }
    this.transmit(e, parent);
  }

  private transmit(e: EdgeState, parent: Req): void {
    const eng = this.engine;
    const now = eng.q.now;
    eng.sink.count(e.m.calls, now, 1);
    if (parent.callTry > 1) eng.sink.count(e.m.retries, now, 1);
    else if (e.budget !== null) e.budget.deposit(now);
    const child = eng.newReq(eng.ops.items[parent.op] as Op);
    child.parent = parent.id;
    child.edge = e.index;
    child.svc = e.to;
    eng.send(child, e.spec.timeout, e.spec.network, e.networkStream);
  }

  /** The response to `child` came back, or its timeout fired (`fail` = 0 on success). */
  result(child: Req, fail: number): void {
    const eng = this.engine;
    const e = eng.edges[child.edge] as EdgeState;
    const now = eng.q.now;
    const parentId = child.parent;
    const refreshKey = child.refreshKey;
    const took = now - child.sentAt;
    eng.releaseIfDone(child);
    if (parentId < 0) return this.fillDone(e, refreshKey, fail === 0);
    const parent = eng.reqs.items[parentId] as Req;
    if (parent.conn) this.releaseConnection(e, parent);
    if (e.breaker !== null) {
      e.breaker.onResult(now, took, fail !== 0);
      this.breakerLevel(e, now);
    }
    if (fail === 0) {
      if (parent.fillKey >= 0) this.fillDone(e, parent.fillKey, true);
      parent.fillKey = -1;
      return this.succeeded(parent);
    }
    this.attemptFailed(parent, e, fail);
  }

  /** `parent`'s current call succeeded: on to the next one. */
  succeeded(parent: Req): void {
    parent.callIdx++;
    parent.callTry = 0;
    parent.prevSleep = 0;
    this.engine.nextCall(this.engine.services[parent.svc] as ServiceState, parent);
  }

  /** An attempt failed: retry it (after backoff, within the budget) or fail the caller. */
  private attemptFailed(parent: Req, e: EdgeState, fail: number): void {
    const eng = this.engine;
    const now = eng.q.now;
    const p = e.spec.retry;
    if (p !== null && parent.callTry < p.attempts && (e.retryMask & (1 << fail)) !== 0 && (e.budget === null || e.budget.tryWithdraw(now))) {
      const d = retryDelay(p, parent.callTry, parent.prevSleep, e.jitterStream);
      parent.prevSleep = d;
      if (d > 0) eng.q.push(now + d, EV_CALL_RETRY, parent.id, parent.gen);
      else this.send(e, parent);
      return;
    }
    if (parent.fillKey >= 0) {
      const key = parent.fillKey;
      parent.fillKey = -1;
      this.fillDone(e, key, false);
    }
    parent.outcome = OUT_ERROR;
    eng.finish(eng.services[parent.svc] as ServiceState, parent);
  }

  /** The wait for a pool connection ran past `acquireTimeout`: the attempt fails. */
  onPoolTimeout(parent: Req): void {
    const eng = this.engine;
    const e = eng.edges[(eng.services[parent.svc] as ServiceState).edges[parent.callIdx] as number] as EdgeState;
    parent.waitingPool = false;
    e.poolWaiting--;
    eng.sink.level(e.m.poolWaiting, eng.q.now, e.poolWaiting);
    // The pool sits inside the breaker-decorated call, so the breaker sees the failure.
    if (e.breaker !== null) {
      e.breaker.onResult(eng.q.now, e.spec.pool?.acquireTimeout ?? 0, true);
      this.breakerLevel(e, eng.q.now);
    }
    this.attemptFailed(parent, e, FAIL_ERROR);
  }

  /** Hands `parent`'s connection to the first live waiter, or returns it to the pool. */
  private releaseConnection(e: EdgeState, parent: Req): void {
    const eng = this.engine;
    const now = eng.q.now;
    parent.conn = false;
    const pool = e.poolOf(parent.inst);
    while (pool.waitIds.size > 0) {
      const w = eng.reqs.items[pool.waitIds.shift()] as Req;
      const gen = pool.waitGens.shift();
      if (w.gen !== gen || !w.waitingPool) continue;
      w.waitingPool = false;
      w.conn = true;
      e.poolWaiting--;
      eng.sink.level(e.m.poolWaiting, now, e.poolWaiting);
      return this.transmit(e, w);
    }
    pool.inUse--;
    e.poolInUse--;
    eng.sink.level(e.m.poolInUse, now, e.poolInUse);
  }

  private fromCache(e: EdgeState, parent: Req): void {
    const hit = e.spec.cache?.hitTime ?? 0;
    if (hit > 0) this.engine.q.push(this.engine.q.now + hit, EV_CACHE_DONE, parent.id, parent.gen);
    else this.succeeded(parent);
  }

  /** A background refresh of `key` for stale-while-revalidate, owned by `parent`'s operation. */
  private refresh(e: EdgeState, parent: Req, key: number): void {
    const eng = this.engine;
    eng.sink.count(e.m.calls, eng.q.now, 1);
    const child = eng.newReq(eng.ops.items[parent.op] as Op);
    child.edge = e.index;
    child.svc = e.to;
    child.refreshKey = key;
    eng.send(child, e.spec.timeout, e.spec.network, e.networkStream);
  }

  /** A fill of `key` ended: store it (on success) and wake the coalesced waiters. */
  private fillDone(e: EdgeState, key: number, ok: boolean): void {
    const eng = this.engine;
    e.cache?.completeFill(eng.q.now, key, ok, e.ttlStream);
    const waiters = e.cacheWaiters.get(key);
    if (waiters === undefined) return;
    e.cacheWaiters.delete(key);
    for (let i = 0; i < waiters.length; i += 2) {
      const w = eng.reqs.items[waiters[i] as number] as Req;
      if (w.gen !== waiters[i + 1]) continue;
      if (ok) this.succeeded(w);
      else {
        // The shared fill counts as the waiter's first attempt.
        w.callTry = 1;
        this.attemptFailed(w, e, FAIL_ERROR);
      }
    }
  }

  private breakerLevel(e: EdgeState, now: number): void {
    const v = e.breaker?.stateValue(now) ?? 0;
    if (v !== e.breakerLevel) {
      e.breakerLevel = v;
      this.engine.sink.level(e.m.breaker, now, v);
    }
  }
}
