/**
 * A client's own circuit breaker (clients[].breaker): resilience4j's
 * CircuitBreaker around each attempt, the same state machine and handler code
 * as a call's breaker (model/breaker.ts, handlers/breakers.ts). Hand-computed
 * runs: a client at a fixed rate to a service that fails every request.
 */
import { describe, expect, it } from 'vitest';
import { runScenario } from '../../sim/engine/run.js';
import type { Breaker, Client } from '../../sim/scenario/types.js';
import { assertConserves } from '../helpers/contracts.js';
import { constant, constantClient, retry, scenario, service, total, values } from '../helpers/build.js';

const breaker = (over: Partial<Breaker> = {}): Breaker => ({
  failureRate: 0.5,
  slowCall: null,
  window: { kind: 'count', size: 5 },
  minCalls: 5,
  openFor: 2,
  halfOpenCalls: 3,
  ...over,
});

/** `users` at a constant `rate` to api, which answers every request with an error after 10 ms. */
const run = (rate: number, duration: number, client: Partial<Client>) =>
  assertConserves(() =>
    runScenario(
      scenario({
        duration,
        clients: [constantClient(rate, client)],
        services: [service('api', { workers: Infinity, serviceTime: constant(0.01), errorRate: 1 })],
      }),
    ),
  );

describe("a client's own circuit breaker", () => {
  it('opens after minCalls failures, short-circuits for openFor, then lets halfOpenCalls probes through', () => {
    // Attempts at 0.1, 0.2, ... 3.9 s. The first five reach api and fail (results at 0.11 ... 0.51 s):
    // the breaker opens at 0.51 s until 2.51 s, so 0.6 ... 2.5 s fail at once (20 attempts).
    // 2.6 s finds it past the wait: half-open, probes at 2.6, 2.7 and 2.8 s; their three failures
    // (min(minCalls, halfOpenCalls) = 3 results) open it again at 2.81 s, so 2.9 ... 3.9 s fail at once (11).
    const r = run(10, 3.95, { breaker: breaker() });
    expect(total(r, 'users.offered')).toBe(39);
    expect(total(r, 'api.arrivals')).toBe(8);
    expect(total(r, 'users.shortCircuited')).toBe(31);
    expect(total(r, 'users.attempts')).toBe(39);
    expect(total(r, 'users.failures')).toBe(39);
    const state = values(r, 'users.breaker');
    // Closed until 0.51 s, then open; in [2, 3): open to 2.6, half-open to 2.81, open again.
    expect(state[0]).toBeCloseTo(0.49, 9);
    expect(state[1]).toBe(1);
    expect(state[2]).toBeCloseTo(0.6 + 0.21 * 0.5 + 0.19, 9);
    expect(state[3]).toBe(1);
  });

  it('closes again once its half-open probes succeed', () => {
    // api fails only in the first second: the probes at 2.6, 2.7, 2.8 s succeed and close it at 2.81 s.
    const r = assertConserves(() =>
      runScenario(
        scenario({
          duration: 5,
          clients: [constantClient(10, { breaker: breaker() })],
          services: [service('api', { workers: Infinity, serviceTime: constant(0.01) })],
          faults: [{ kind: 'errors', target: 'api', at: 0, for: 1, rate: 1 }],
        }),
      ),
    );
    expect(total(r, 'users.shortCircuited')).toBe(20);
    expect(total(r, 'users.goodput')).toBe(49 - 5 - 20);
    expect(values(r, 'users.breaker')[4]).toBe(0);
  });

  it('counts a short-circuited attempt as a failed one: retried after backoff (an error), not when the policy or the budget refuses', () => {
    // One attempt fills the window (size 1): the failure at t = 1 s opens the breaker for 10 s.
    const b = breaker({ window: { kind: 'count', size: 1 }, minCalls: 1, openFor: 10, halfOpenCalls: 1 });
    const backoff = { kind: 'constant', base: 0.25 } as const;
    // Operations at 1 ... 5 s, three attempts each 0.25 s after the last one failed: only the very first reaches api.
    const retried = run(1, 5.9, { breaker: b, retry: retry(3, { backoff }) });
    expect(total(retried, 'users.offered')).toBe(5);
    expect(total(retried, 'users.attempts')).toBe(15);
    expect(total(retried, 'users.retries')).toBe(10);
    expect(total(retried, 'users.shortCircuited')).toBe(14);
    expect(total(retried, 'api.arrivals')).toBe(1);
    expect(total(retried, 'users.failures')).toBe(5);
    // A policy that retries timeouts only gives up at once.
    const timeoutsOnly = run(1, 5.9, { breaker: b, retry: retry(3, { backoff, on: ['timeout'] }) });
    expect(total(timeoutsOnly, 'users.attempts')).toBe(5);
    expect(total(timeoutsOnly, 'users.shortCircuited')).toBe(4);
    // A budget with no room refuses every retry.
    const budget = { ratio: 0, minPerSecond: 0, window: 10 };
    const refused = run(1, 5.9, { breaker: b, retry: retry(3, { backoff, budget }) });
    expect(total(refused, 'users.attempts')).toBe(5);
    expect(total(refused, 'users.failures')).toBe(5);
  });

  it("comes before the client's rate limit: an attempt the open breaker fails takes no token, one the limit refuses is a breaker failure", () => {
    // A healthy api, but a limit of 1 token a second (burst 1) on 10 attempts a second. 0.1 s takes the
    // token and succeeds (0.11 s); 0.2 ... 0.5 s are refused, four failures: 4 of 5 opens the breaker at
    // 0.5 s until 2.55 s, and 0.6 ... 2.5 s fail at once (20) without touching the bucket, which refills.
    // Half-open: 2.6 s takes the token, 2.7 and 2.8 s are refused; 2 of 3 failed opens it again, and
    // 2.9 ... 3.9 s fail at once (11).
    const r = assertConserves(() =>
      runScenario(
        scenario({
          duration: 3.95,
          clients: [
            constantClient(10, { breaker: breaker({ openFor: 2.05 }), rateLimit: { rate: 1, burst: 1, fillInterval: null, queue: 0 } }),
          ],
          services: [service('api', { workers: Infinity, serviceTime: constant(0.01) })],
        }),
      ),
    );
    expect(total(r, 'users.attempts')).toBe(39);
    expect(total(r, 'api.arrivals')).toBe(2);
    expect(total(r, 'users.goodput')).toBe(2);
    expect(total(r, 'users.rateLimited')).toBe(6);
    expect(total(r, 'users.shortCircuited')).toBe(31);
    expect(values(r, 'users.breaker')[3]).toBe(1);
  });

  it('records no breaker series for a client without one', () => {
    const r = run(10, 2, {});
    expect(r.series.series.some((s) => s.name === 'users.breaker' || s.name === 'users.shortCircuited')).toBe(false);
  });
});
