/**
 * handlers/calls.ts: a request's call goes through the edge's cache, breaker
 * and pool to the wire; its result moves the request to its next call, or
 * retries (at once or after backoff), or fails the request.
 */
import { describe, expect, it } from 'vitest';
import { CACHE_READ_DONE, CALL_BACKOFF_ENDED, POOL_WAIT_EXPIRED, REQUEST_ARRIVED, WORK_DONE } from '../../../sim/engine/events.js';
import { beginCall, callResult, onCallBackoffEnded, onPoolWaitExpired } from '../../../sim/engine/handlers/calls.js';
import { OUT_ERROR, callPath } from '../../../sim/engine/model/entities.js';
import { FAIL_ERROR, FAIL_TIMEOUT } from '../../../sim/engine/model/retry.js';
import type { Call } from '../../../sim/scenario/types.js';
import { call, constant, poissonClient, retry, scenario, service } from '../../helpers/build.js';
import { drain, engineFor, request, setClock } from '../../helpers/engine.js';

/** api calls db over `edge`; one request of the client is at work at api (its id is `parent`). */
function calling(edge: Partial<Call>, apiWorkers = 1) {
  const built = engineFor(
    scenario({
      clients: [poissonClient('users', 'api', 1)],
      services: [
        service('api', { workers: apiWorkers, serviceTime: constant(1), calls: [call('db', { network: constant(0.01), ...edge })] }),
        service('db'),
      ],
    }),
  );
  const { eng } = built;
  const parent = request(eng);
  drain(eng);
  setClock(eng, 1);
  return { ...built, parent, e: eng.edges[0]! };
}

/** The child request the call sent (from the REQUEST_ARRIVED it scheduled). */
function childOf(events: { kind: number; a: number }[]): number {
  const ev = events.find((x) => x.kind === REQUEST_ARRIVED);
  if (ev === undefined) throw new Error('no request sent');
  return ev.a;
}

describe('beginCall', () => {
  it('sends a child request to the callee, tied to its caller by parent, edge and call path', () => {
    const { eng, sink, parent, e } = calling({});
    beginCall(eng, e, parent);
    const child = childOf(drain(eng));
    const R = eng.reqs;
    expect([R.parent[child], R.edge[child], R.svc[child], R.op[child]]).toEqual([parent, 0, 1, -1]);
    expect(R.path[child]).toBe(callPath(0, 0));
    expect(sink.total('api->db.calls')).toBe(1);
  });

  it('answers a cache hit after hitTime without calling the callee', () => {
    const { eng, sink, parent, e } = calling({
      cache: {
        keys: 1,
        popularity: { kind: 'uniform' },
        ttl: 100,
        ttlJitter: 0,
        hitTime: 0.002,
        coalesce: false,
        staleWhileRevalidate: false,
        capacity: Infinity,
        eviction: 'lru',
      },
    });
    beginCall(eng, e, parent);
    const child = childOf(drain(eng));
    callResult(eng, child, 0); // the miss filled the key
    setClock(eng, 2);
    const other = request(eng, 0, false);
    eng.reqs.callIdx[other] = 0;
    eng.reqs.callTry[other] = 0;
    beginCall(eng, e, other);
    expect(sink.total('api->db.cache.hits')).toBe(1);
    expect(drain(eng).filter((x) => x.kind !== WORK_DONE)).toEqual([
      { time: 2.002, kind: CACHE_READ_DONE, a: other, b: eng.reqs.gen[other] },
    ]);
  });
});

describe('callResult', () => {
  it('moves the caller on when the call succeeds: with no call left it finishes and answers', () => {
    const { eng, sink, parent, e } = calling({});
    beginCall(eng, e, parent);
    callResult(eng, childOf(drain(eng)), 0);
    expect(sink.total('api.completed')).toBe(1);
    expect(sink.total('users.goodput')).toBe(1);
  });

  it('retries a failed call at once without backoff, counting the retry, then fails the caller when the attempts are used up', () => {
    const { eng, sink, parent, e } = calling({ retry: retry(2) });
    beginCall(eng, e, parent);
    callResult(eng, childOf(drain(eng)), FAIL_ERROR);
    const second = childOf(drain(eng));
    expect(sink.total('api->db.retries')).toBe(1);
    callResult(eng, second, FAIL_TIMEOUT);
    expect(eng.reqs.outcome[parent]).toBe(OUT_ERROR);
    expect(sink.total('api.errors')).toBe(1);
    expect(sink.total('users.failures')).toBe(1);
  });

  it('schedules the retry after a backoff, and sends it when the backoff ends', () => {
    const { eng, sink, parent, e } = calling({ retry: retry(2, { backoff: { kind: 'constant', base: 0.25 } }) });
    beginCall(eng, e, parent);
    const child = childOf(drain(eng));
    setClock(eng, 1);
    callResult(eng, child, FAIL_ERROR);
    expect(drain(eng)).toEqual([{ time: 1.25, kind: CALL_BACKOFF_ENDED, a: parent, b: eng.reqs.gen[parent] }]);
    onCallBackoffEnded(eng, parent);
    childOf(drain(eng));
    expect(sink.total('api->db.calls')).toBe(2);
  });
});

describe('breaker and pool', () => {
  it('short-circuits a call while the breaker is open', () => {
    const { eng, sink, parent, e } = calling({
      breaker: { window: { kind: 'count', size: 1 }, failureRate: 0.5, minCalls: 1, slowCall: null, openFor: 10, halfOpenCalls: 1 },
    });
    beginCall(eng, e, parent);
    callResult(eng, childOf(drain(eng)), FAIL_ERROR);
    expect(sink.last('api->db.breaker')).toBeGreaterThan(0);
    const other = request(eng, 0, false);
    beginCall(eng, e, other);
    expect(sink.total('api->db.shortCircuited')).toBe(1);
    expect(sink.total('api->db.calls')).toBe(1);
  });

  it('makes a caller wait for a connection, and fails its attempt when acquireTimeout passes', () => {
    const { eng, sink, parent, e } = calling({ pool: { size: 1, acquireTimeout: 0.05 } }, 2);
    beginCall(eng, e, parent);
    drain(eng);
    const other = request(eng);
    drain(eng);
    setClock(eng, 1);
    beginCall(eng, e, other);
    expect(sink.last('api->db.pool.waiting')).toBe(1);
    expect(drain(eng)).toEqual([{ time: 1.05, kind: POOL_WAIT_EXPIRED, a: other, b: eng.reqs.gen[other] }]);
    onPoolWaitExpired(eng, other);
    expect(sink.last('api->db.pool.waiting')).toBe(0);
    expect(eng.reqs.outcome[other]).toBe(OUT_ERROR);
  });
});
