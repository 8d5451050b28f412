/**
 * Active health checking (handlers/health-checks.ts) in whole runs, counted
 * by hand: two replicas behind a round-robin balancer, 10 requests a second
 * (at k x 0.1 s) of 0.05 s each, checked every second from t = 1 s.
 */
import { describe, expect, it } from 'vitest';
import { runScenario, type RunResult } from '../../../sim/engine/run.js';
import type { Fault, HealthCheck, Service } from '../../../sim/scenario/types.js';
import { assertConserves, assertDeterministic } from '../../helpers/contracts.js';
import { constant, constantClient, replica, scenario, service, total, values } from '../../helpers/build.js';

const check = (over: Partial<HealthCheck> = {}): HealthCheck => ({
  interval: 1,
  timeout: 1,
  unhealthyThreshold: 3,
  healthyThreshold: 2,
  ...over,
});

/** `users` at `rate` a second to `api` (two replicas, one worker each, 0.05 s a request) for 30 s; 1 s buckets. */
function run(healthCheck: HealthCheck | null, faults: Fault[], api: Partial<Service> = {}, rate = 10): RunResult {
  return assertConserves(() =>
    runScenario(
      scenario({
        duration: 30,
        sample: 1,
        clients: [constantClient(rate)],
        services: [service('api', { instances: 2, workers: 1, balancer: 'roundRobin', serviceTime: constant(0.05), healthCheck, ...api })],
        faults,
      }),
    ),
  );
}

const crash: Fault[] = [{ kind: 'crash', target: 'api', replicas: replica(0), at: 10, for: 5 }];

describe('a health check on a crashed replica', () => {
  it('takes it out at the third failed check (12 s) and back after two passes once it restarted (16 s)', () => {
    const r = run(check(), crash);
    // The crash at 10 s comes before the check at 10 s (it was scheduled first): checks at 10, 11, 12 fail, out at 12.
    const healthy = values(r, 'api.healthy');
    expect([...healthy.slice(9, 18)]).toEqual([2, 2, 2, 1, 1, 1, 1, 2, 2]);
    // Checks at 10 to 14 fail (down); the restart at 15 s comes before the check at 15 s, which passes, and the one at 16 s brings it back.
    expect(total(r, 'api.healthChecks.failed')).toBe(5);
    const ready = values(r, 'api.ready');
    expect([ready[11], ready[12], ready[15], ready[16]]).toEqual([2, 1, 1, 2]);
  });

  it('spares the callers the down replica once it is out: errors only from 10 s to 12 s', () => {
    const r = run(check(), crash);
    const errors = values(r, 'api.errors');
    // Round robin sends every other request to the down replica: 5 a second for 2 s.
    expect(errors[10]! + errors[11]!).toBe(10);
    expect(total(r, 'api.errors')).toBe(10);
    // Without the check the down replica fails half the requests for its 5 s.
    expect(total(run(null, crash), 'api.errors')).toBe(25);
  });

  it('fails a paused replica too', () => {
    const r = run(check({ unhealthyThreshold: 1, healthyThreshold: 1 }), [
      { kind: 'pause', target: 'api', replicas: replica(1), at: 5.5, for: 2 },
    ]);
    // Paused from 5.5 s to 7.5 s: the checks at 6 and 7 s fail, out at 6 s, back at 8 s.
    expect(total(r, 'api.healthChecks.failed')).toBe(2);
    expect([...values(r, 'api.healthy').slice(5, 9)]).toEqual([2, 1, 1, 2]);
  });

  it('is deterministic', () => {
    assertDeterministic(() => run(check(), crash));
  });
});

describe('a health check that waits in the queue', () => {
  it('takes a busy replica out, rejects while none is in rotation, and brings it back once its queue drained', () => {
    // One replica, 0.15 s a request at 10 a second: offered 1.5 times what it serves, its queue grows until the oldest waited over 1 s.
    const r = run(check({ unhealthyThreshold: 1, healthyThreshold: 1 }), [], { instances: 1, serviceTime: constant(0.15) });
    const healthy = values(r, 'api.healthy');
    expect(Math.min(...healthy)).toBe(0);
    expect(total(r, 'api.rejected')).toBeGreaterThan(0);
    expect(total(r, 'api.healthChecks.failed')).toBeGreaterThan(0);
    // Back in rotation after its first removal: the rejections let the queue drain.
    const out = healthy.indexOf(0);
    expect(healthy.slice(out).some((h) => h === 1)).toBe(true);
    // Without the check nothing is rejected: the queue only grows.
    expect(total(run(null, [], { instances: 1, serviceTime: constant(0.15) }), 'api.rejected')).toBe(0);
  });
});
