/**
 * The rate limits in whole runs, at a service's ingress, in a client and on a
 * call: admissions counted by hand for a constant 20 requests a second (twice
 * the rate: b + rate x t pass in t seconds), the waiting line and its stock,
 * waiters whose caller gives up, a refusal seen by the retry policy around it
 * as a rejection, one bucket per caller replica on a call, and conservation
 * throughout.
 */
import { describe, expect, it } from 'vitest';
import { runScenario, type RunResult } from '../../../sim/engine/run.js';
import type { Client, RateLimit, Service } from '../../../sim/scenario/types.js';
import { assertConserves, assertDeterministic } from '../../helpers/contracts.js';
import { call, constant, lastLevel, retry, scenario, service, total } from '../../helpers/build.js';

/** A client sending evenly spaced requests, 20 a second: at k / 20 s for k = 1, 2, ... */
function steady(over: Partial<Client> = {}): Client {
  return {
    name: 'users',
    target: 'api',
    arrival: { kind: 'constant', rate: { kind: 'steps', steps: [{ at: 0, rate: 20 }] } },
    timeout: null,
    network: null,
    rateLimit: null,
    retry: null,
    breaker: null,
    ...over,
  };
}

const limit = (over: Partial<RateLimit> = {}): RateLimit => ({ rate: 10, burst: 5, fillInterval: null, queue: 0, ...over });

/** 200 arrivals (0.05 s to 10 s) at `api`, limited by `rateLimit`, served in 1 ms by unlimited workers. */
function run(rateLimit: RateLimit, client: Partial<Client> = {}, api: Partial<Service> = {}, duration = 10.02): RunResult {
  return assertConserves(() =>
    runScenario(
      scenario({
        duration,
        clients: [steady(client)],
        services: [service('api', { workers: Infinity, serviceTime: constant(0.001), rateLimit, ...api })],
      }),
    ),
  );
}

describe('refusing (queue 0)', () => {
  it('rate 10, burst 5, continuous: of 200 arrivals over 10 s, 104 pass (5 + 10 x 9.95 s, rounded down) and 96 are refused', () => {
    const r = run(limit());
    expect(total(r, 'api.arrivals')).toBe(200);
    expect(total(r, 'api.completed')).toBe(104);
    expect(total(r, 'api.rateLimited')).toBe(96);
    expect(total(r, 'api.rejected')).toBe(0);
    expect(total(r, 'users.failures')).toBe(96);
  });

  it('in Envoy fills of 5 every 500ms: 5 at the start, 5 per fill for 19 fills, 1 at the fill of t = 10 s: 101 pass', () => {
    const r = run(limit({ fillInterval: 0.5 }));
    expect(total(r, 'api.completed')).toBe(101);
    expect(total(r, 'api.rateLimited')).toBe(99);
  });

  it('refuses nothing below its rate once the burst covers the start', () => {
    const r = run(limit({ rate: 20, burst: 1 }));
    expect(total(r, 'api.rateLimited')).toBe(0);
    expect(total(r, 'api.completed')).toBe(200);
  });

  it("answers a refusal as a rejection: a retry policy on 'rejected' retries it, one on 'timeout' alone does not", () => {
    const onRejected = run(limit(), { retry: retry(2, { on: ['rejected'] }) });
    expect(total(onRejected, 'users.retries')).toBeGreaterThan(0);
    expect(total(onRejected, 'api.arrivals')).toBe(200 + total(onRejected, 'users.retries'));
    const onTimeout = run(limit(), { retry: retry(2, { on: ['timeout'] }) });
    expect(total(onTimeout, 'users.retries')).toBe(0);
  });

  it('has no waiting line to record', () => {
    expect(run(limit()).series.series.some((s) => s.name === 'api.rateLimit.waiting')).toBe(false);
  });
});

describe('waiting for a token (queue above 0)', () => {
  it('lets nobody through faster than the bucket: 104 served by t = 10 s, the other 96 still waiting, none refused', () => {
    const r = run(limit({ queue: Infinity }));
    expect(total(r, 'api.completed')).toBe(104);
    expect(total(r, 'api.rateLimited')).toBe(0);
    expect(lastLevel(r, 'api.rateLimit.waiting')).toBe(96);
  });

  it('refuses only when the line is full: with room for 3, the line stays at 3 and the rest is refused', () => {
    const r = run(limit({ queue: 3 }));
    // The bucket still lets 104 through by t = 10 s; 3 more wait; the other 93 are refused.
    expect(total(r, 'api.completed')).toBe(104);
    expect(lastLevel(r, 'api.rateLimit.waiting')).toBe(3);
    expect(total(r, 'api.rateLimited')).toBe(93);
  });

  it('counts the wait in the service latency: arrival to response', () => {
    const r = run(limit({ queue: Infinity }));
    const s = r.series.series.find((x) => x.name === 'api.latency');
    if (s?.kind !== 'latency') throw new Error('no latency');
    const max = Math.max(...s.buckets.map((h) => h.max));
    // The 104th admitted arrived at about 5.2 s and waited until about 10 s.
    expect(max).toBeGreaterThan(4);
  });

  // A timeout off the 50 ms grid of arrivals and tokens, so no waiter is let in at the very moment its caller gives up.
  it("times its waiters out on their caller's deadline; with dropExpired they leave the line unserved, without it they are served late", () => {
    const dropped = run(limit({ queue: Infinity }), { timeout: 1.0125 }, { dropExpired: true }, 20);
    expect(total(dropped, 'users.timeouts')).toBeGreaterThan(0);
    expect(total(dropped, 'api.expired')).toBeGreaterThan(0);
    expect(total(dropped, 'api.wasted')).toBe(0);
    const served = run(limit({ queue: Infinity }), { timeout: 1.0125 }, {}, 20);
    expect(total(served, 'users.timeouts')).toBeGreaterThan(0);
    expect(total(served, 'api.expired')).toBe(0);
    expect(total(served, 'api.wasted')).toBeGreaterThan(0);
    // Dropping the abandoned lets those still waited for through sooner.
    expect(total(dropped, 'users.goodput')).toBeGreaterThan(total(served, 'users.goodput'));
  });

  it('is deterministic', () => {
    assertDeterministic(() =>
      run(limit({ queue: 10, fillInterval: 0.25 }), {
        arrival: { kind: 'poisson', rate: { kind: 'steps', steps: [{ at: 0, rate: 30 }] } },
      }),
    );
  });
});

/** 200 attempts (0.05 s to 10 s) from `users`, whose own library limits them by `rateLimit`, to `api` (1 ms, unlimited workers). */
function runClient(rateLimit: RateLimit, client: Partial<Client> = {}): RunResult {
  return run(limit({ rate: 1000, burst: 1000 }), { rateLimit, ...client }, { rateLimit: null });
}

describe("a client's rate limit", () => {
  it('refuses in the client: 104 attempts leave it (5 + 10 x 9.95 s), 96 fail at once and never reach api', () => {
    const r = runClient(limit());
    expect(total(r, 'users.offered')).toBe(200);
    expect(total(r, 'users.attempts')).toBe(200);
    expect(total(r, 'users.rateLimited')).toBe(96);
    expect(total(r, 'users.failures')).toBe(96);
    expect(total(r, 'users.goodput')).toBe(104);
    expect(total(r, 'api.arrivals')).toBe(104);
  });

  it('counts Envoy-style fills as the ingress does: 101 pass', () => {
    expect(total(runClient(limit({ fillInterval: 0.5 })), 'api.arrivals')).toBe(101);
  });

  it("retries a refusal as a rejection, at once and into the same empty bucket: with 2 attempts on 'rejected', 96 operations are refused twice", () => {
    const r = runClient(limit(), { retry: retry(2, { on: ['rejected'] }) });
    expect(total(r, 'users.rateLimited')).toBe(192);
    expect(total(r, 'users.retries')).toBe(96);
    expect(total(r, 'api.arrivals')).toBe(104);
    expect(total(r, 'users.failures')).toBe(96);
    const notRetried = runClient(limit(), { retry: retry(2, { on: ['timeout', 'error'] }) });
    expect(total(notRetried, 'users.rateLimited')).toBe(96);
  });

  it('lets a refused attempt retry after a backoff, when the bucket has a token again', () => {
    const r = runClient(limit(), { retry: retry(2, { on: ['rejected'], backoff: { kind: 'constant', base: 0.25 } }) });
    // Nothing above the rate gets through: 5 + 10 x 9.95 s attempts leave by 10 s, some of them retries.
    expect(total(r, 'api.arrivals')).toBe(104);
    expect(total(r, 'users.retries')).toBeGreaterThan(0);
    expect(total(r, 'users.goodput') + total(r, 'users.failures')).toBeLessThanOrEqual(200);
  });

  it('holds attempts in the client when it lets them wait: 104 sent by 10 s, 96 still waiting, none refused', () => {
    const r = runClient(limit({ queue: Infinity }));
    expect(total(r, 'api.arrivals')).toBe(104);
    expect(total(r, 'users.rateLimited')).toBe(0);
    expect(lastLevel(r, 'users.rateLimit.waiting')).toBe(96);
  });

  it('starts the attempt timeout when the attempt is sent, after its wait: none times out behind a long line', () => {
    const r = runClient(limit({ queue: Infinity }), { timeout: 0.5 });
    expect(total(r, 'users.timeouts')).toBe(0);
    expect(total(r, 'users.goodput')).toBe(104);
  });

  it('refuses only when its line is full', () => {
    const r = runClient(limit({ queue: 3 }));
    expect(lastLevel(r, 'users.rateLimit.waiting')).toBe(3);
    expect(total(r, 'users.rateLimited')).toBe(93);
  });

  it('records no rate-limit series on a client without one', () => {
    const names = run(limit()).series.series.map((x) => x.name);
    expect(names).not.toContain('users.rateLimited');
    expect(names).not.toContain('users.rateLimit.waiting');
  });
});

/** 200 requests (0.05 s to 10 s) at `front` (`instances` replicas, round robin), each calling `api` once through `rateLimit`. */
function runCall(rateLimit: RateLimit, over: Partial<Parameters<typeof call>[1]> = {}, instances = 1): RunResult {
  return assertConserves(() =>
    runScenario(
      scenario({
        duration: 10.02,
        clients: [steady({ target: 'front' })],
        services: [
          service('front', { instances, workers: Infinity, serviceTime: constant(0), calls: [call('api', { rateLimit, ...over })] }),
          service('api', { workers: Infinity, serviceTime: constant(0.001) }),
        ],
      }),
    ),
  );
}

describe("a call's rate limit", () => {
  it("refuses on the caller's side: 104 calls leave, 96 fail at once, and each fails its caller", () => {
    const r = runCall(limit());
    expect(total(r, 'front->api.calls')).toBe(104);
    expect(total(r, 'front->api.rateLimited')).toBe(96);
    expect(total(r, 'api.arrivals')).toBe(104);
    expect(total(r, 'front.errors')).toBe(96);
    expect(total(r, 'users.goodput')).toBe(104);
  });

  it('keeps one bucket per caller replica: 2 replicas, each 10 a second into rate 5, burst 5, pass 2 x 54 (5 + 5 x 9.9 s)', () => {
    const r = runCall(limit({ rate: 5 }), {}, 2);
    expect(total(r, 'front->api.calls')).toBe(108);
    expect(total(r, 'front->api.rateLimited')).toBe(92);
  });

  it("is absorbed like any failure by the call's fallback", () => {
    const r = runCall(limit(), { optional: true });
    expect(total(r, 'front->api.fallbacks')).toBe(96);
    expect(total(r, 'users.goodput')).toBe(200);
  });

  it('sits before the breaker: a refused call is not a breaker failure, so the breaker never opens', () => {
    const breaker = {
      failureRate: 0.5,
      slowCall: null,
      window: { kind: 'count' as const, size: 10 },
      minCalls: 10,
      openFor: 5,
      halfOpenCalls: 2,
    };
    const r = runCall(limit(), { breaker });
    expect(total(r, 'front->api.breaker.opens')).toBe(0);
    expect(total(r, 'front->api.shortCircuited')).toBe(0);
  });

  it("holds the caller's worker while a call waits for a token: 96 waiting at 10 s, each counted busy at front", () => {
    const r = runCall(limit({ queue: Infinity }));
    expect(total(r, 'front->api.calls')).toBe(104);
    expect(lastLevel(r, 'front->api.rateLimit.waiting')).toBe(96);
    expect(lastLevel(r, 'front.busy')).toBe(96);
  });

  it('is deterministic with waiting calls, fills and a retry on rejected', () => {
    assertDeterministic(() =>
      runCall(
        limit({ queue: 4, fillInterval: 0.25 }),
        { retry: retry(3, { on: ['rejected'], backoff: { kind: 'constant', base: 0.1 } }) },
        2,
      ),
    );
  });
});
