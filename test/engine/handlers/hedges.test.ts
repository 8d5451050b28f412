/**
 * Hedged calls in whole runs (gRPC hedgingPolicy): hand-computed
 * deterministic cases with constant service times, the mean latency of two
 * copies of exponential work against its closed form, and conservation with
 * every copy accounted for.
 */
import { describe, expect, it } from 'vitest';
import { runScenario } from '../../../sim/engine/run.js';
import type { Call, Hedge, Service } from '../../../sim/scenario/types.js';
import { assertConserves, assertDeterministic } from '../../helpers/contracts.js';
import { call, constant, constantClient, exp, meanLatency, poissonClient, replica, scenario, service, total } from '../../helpers/build.js';

const hedge = (attempts: number, delay: number, nonFatal: Hedge['nonFatal'] = []): Hedge => ({ attempts, delay, nonFatal });

/** users (1/s, constant) -> api (no local work) -> db, over `over` of the call and db's settings. */
function hedged(c: Partial<Call>, db: Partial<Service>, duration = 100) {
  return runScenario(
    scenario({
      duration,
      clients: [constantClient(1)],
      services: [
        service('api', { workers: Infinity, serviceTime: constant(0), calls: [call('db', c)] }),
        service('db', { workers: Infinity, serviceTime: constant(0.05), ...db }),
      ],
    }),
  );
}

describe('hedged calls, constant service times', () => {
  it('sends a second copy after the delay; the first answers at 50 ms and the second is cancelled as wasted work', () => {
    const r = hedged({ hedge: hedge(2, 0.03) }, {});
    const ops = total(r, 'users.goodput');
    expect(ops).toBe(99);
    expect(total(r, 'api->db.calls')).toBe(2 * ops);
    expect(total(r, 'api->db.hedges')).toBe(ops);
    expect(total(r, 'api->db.hedgeWins')).toBe(0);
    expect(total(r, 'db.wasted')).toBe(ops);
    expect(meanLatency(r, 'api.latency').mean).toBeCloseTo(0.05, 12);
  });

  it('sends no copy when the answer comes within the delay', () => {
    const r = hedged({ hedge: hedge(3, 0.06) }, {});
    expect(total(r, 'api->db.hedges')).toBe(0);
    expect(total(r, 'db.wasted')).toBe(0);
  });

  it('drops the timer of a call already won, after its request has gone past its last call', () => {
    // The client's network keeps api's request alive after its calls, until the timer left behind fires.
    const r = runScenario(
      scenario({
        duration: 100,
        clients: [constantClient(1, { network: constant(0.5) })],
        services: [
          service('api', { workers: Infinity, serviceTime: constant(0), calls: [call('db', { hedge: hedge(2, 0.06) })] }),
          service('db', { workers: Infinity, serviceTime: constant(0.05) }),
        ],
      }),
    );
    expect(total(r, 'users.goodput')).toBe(98);
    expect(total(r, 'api->db.hedges')).toBe(0);
  });

  it('the hedge wins when the first copy lands on a slow replica: latency = delay + the fast replica time', () => {
    const r = runScenario(
      scenario({
        duration: 100,
        clients: [constantClient(1)],
        services: [
          service('api', { workers: Infinity, serviceTime: constant(0), calls: [call('db', { hedge: hedge(2, 0.03) })] }),
          service('db', { instances: 2, workers: Infinity, serviceTime: constant(0.05) }),
        ],
        // Round robin sends every first copy to db[0], 0.2 s slower, and every second copy to db[1].
        faults: [{ kind: 'latency', target: 'db', replicas: replica(0), at: 0, for: 200, add: 0.2, multiply: 1 }],
      }),
    );
    const ops = total(r, 'users.goodput');
    expect(total(r, 'api->db.hedgeWins')).toBe(ops);
    expect(meanLatency(r, 'api.latency').mean).toBeCloseTo(0.08, 12);
  });

  it('a fatal error ends the call at once and cancels the copies still out (gRPC: nonFatalStatusCodes empty)', () => {
    const r = hedged({ hedge: hedge(3, 0.01) }, { errorRate: 1 });
    const failed = total(r, 'api.errors');
    expect(failed).toBe(99);
    expect(total(r, 'api->db.hedges')).toBe(2 * failed);
    expect(total(r, 'db.wasted')).toBe(2 * failed);
    // Each call fails at 50 ms, when the first copy's error comes back.
    expect(meanLatency(r, 'api.latency').mean).toBeCloseTo(0.05, 12);
  });

  it('a non-fatal error waits for the copies still out; the call fails when the last one does', () => {
    const r = hedged({ hedge: hedge(3, 0.01, ['error']) }, { errorRate: 1 });
    expect(total(r, 'api.errors')).toBe(99);
    expect(meanLatency(r, 'api.latency').mean).toBeCloseTo(0.07, 12);
    expect(total(r, 'db.wasted')).toBe(0);
  });

  it('a non-fatal timeout sends the next copy at once, cutting its delay short', () => {
    // Copy 1 times out at 20 ms and copy 2 goes at once (not at 1 s); it times out at 40 ms too: the call fails then.
    const r = hedged({ timeout: 0.02, hedge: hedge(2, 1, ['timeout']) }, {});
    expect(total(r, 'api.errors')).toBe(99);
    expect(meanLatency(r, 'api.latency').mean).toBeCloseTo(0.04, 12);
    expect(total(r, 'api->db.timeouts')).toBe(2 * 99);
  });
});

describe('hedged calls against theory', () => {
  it('two copies of exponential work on unlimited workers: E[T] = (1 - e^(-mu d))/mu + e^(-mu d)/(2 mu)', () => {
    // After the delay d the first copy's remaining time is exponential again (memoryless), so the
    // answer comes at the min of two exponentials, of rate 2 mu. With e^(-mu d) = 1/2: E[T] = 0.75/mu.
    const mu = 100;
    const d = Math.LN2 / mu;
    const r = runScenario(
      scenario({
        duration: 2000,
        sample: 100,
        clients: [poissonClient('users', 'api', 50)],
        services: [
          service('api', { workers: Infinity, serviceTime: constant(0), calls: [call('db', { hedge: hedge(2, d) })] }),
          service('db', { workers: Infinity, serviceTime: exp(1 / mu) }),
        ],
      }),
    );
    const { mean, count } = meanLatency(r, 'api.latency');
    expect(count).toBeGreaterThan(90_000);
    // T's standard deviation is about 0.8/mu: the standard error is 3e-5 s, the tolerance 5 of them.
    expect(Math.abs(mean - 0.75 / mu)).toBeLessThan(1.5e-4);
    // A second copy goes out for the calls not answered within d: half of them.
    expect(total(r, 'api->db.hedges') / count).toBeCloseTo(0.5, 2);
  });
});

describe('hedged calls, conservation', () => {
  it('accounts for every copy: under a slow callee with timeouts, errors, a breaker, a fallback and dropExpired', () => {
    const build = () =>
      runScenario(
        scenario({
          duration: 60,
          clients: [poissonClient('users', 'api', 80, { timeout: 1 })],
          services: [
            service('api', {
              workers: 20,
              serviceTime: exp(0.002),
              calls: [
                call('db', {
                  timeout: 0.2,
                  hedge: hedge(3, 0.02, ['timeout']),
                  breaker: null,
                  fallback: { serviceTime: constant(0.001), degraded: true },
                }),
              ],
            }),
            service('db', { workers: 4, serviceTime: exp(0.03), errorRate: 0.05, dropExpired: true }),
          ],
          faults: [{ kind: 'latency', target: 'db', at: 20, for: 10, add: 0.1, multiply: 1 }],
        }),
      );
    const r = assertConserves(() => assertDeterministic(build));
    expect(total(r, 'api->db.hedges')).toBeGreaterThan(0);
    expect(total(r, 'api->db.hedgeWins')).toBeGreaterThan(0);
    expect(total(r, 'db.expired')).toBeGreaterThan(0);
  });
});
