/**
 * The crash trigger (`crashWhen`) in whole runs, counted by hand: one replica
 * with one worker whose requests take 1.01 s, fed 20 a second (at k x 0.05 s),
 * so its queue holds k - 1 after the k-th arrival until the first finish at
 * 1.06 s. Above 10 waiting from the 12th arrival (0.6 s), it crashes 0.33 s
 * later, restarts after its delay, fills up again and crashes again; a dip
 * cancels a crash to come; a crash moves the load to the survivors.
 */
import { describe, expect, it } from 'vitest';
import { runScenario, type RunResult } from '../../../sim/engine/run.js';
import type { CrashTrigger, Service } from '../../../sim/scenario/types.js';
import { assertConserves, assertDeterministic } from '../../helpers/contracts.js';
import { constant, constantClient, scenario, service, total, values } from '../../helpers/build.js';

const trigger = (over: Partial<CrashTrigger> = {}): CrashTrigger => ({ measure: 'queue', above: 10, sustained: 0.33, for: 2, ...over });

/** `users` at 20 a second (from 0.05 s) to `api`: one worker, 1.01 s a request, unbounded queue; 0.1 s buckets. */
function run(crashWhen: CrashTrigger, api: Partial<Service> = {}, duration = 3.99, rate = 20): RunResult {
  return assertConserves(() =>
    runScenario(
      scenario({
        duration,
        sample: 0.1,
        clients: [constantClient(rate)],
        services: [service('api', { serviceTime: constant(1.01), crashWhen, ...api })],
      }),
    ),
  );
}

/** The buckets (0.1 s wide) in which `name` counted something. */
const bucketsWith = (r: RunResult, name: string): number[] => [...values(r, name)].flatMap((v, i) => (v > 0 ? [i] : []));

describe('crashWhen on the queue', () => {
  it('crashes 0.33 s after the queue passes 10 (0.93 s), kills the 18 requests it holds, restarts at 2.93 s and crashes again at 3.83 s', () => {
    const r = run(trigger());
    expect(total(r, 'api.crashes')).toBe(2);
    expect(bucketsWith(r, 'api.crashes')).toEqual([9, 38]);
    // 18 arrivals by 0.90 s and none finished; again 18 from 2.95 s to 3.80 s.
    expect(total(r, 'api.crash.killed')).toBe(36);
    // Down from 0.93 s to 2.93 s, then from 3.83 s: the 40 arrivals from 0.95 s to 2.90 s and the 3 from 3.85 s fail at once.
    expect(total(r, 'api.errors')).toBe(36 + 40 + 3);
    expect(total(r, 'api.completed')).toBe(0);
  });

  it('shows the replica down between the crash and its restart', () => {
    const down = values(run(trigger()), 'api.crash.down');
    expect([down[8], down[10], down[28], down[30], down[39]]).toEqual([0, 1, 1, 0, 1]);
  });

  it('does not crash while the load stays at or below the threshold, and waits the time it asks', () => {
    // By 3.99 s: 79 arrivals, 3 finished (1.06, 2.07, 3.08 s), 1 at work, so the queue peaks at 75 with the last one (3.95 s).
    expect(total(run(trigger({ above: 75, sustained: 0 })), 'api.crashes')).toBe(0);
    expect(bucketsWith(run(trigger({ above: 74, sustained: 0 })), 'api.crashes')).toEqual([39]);
    // 1 s above 10 from 0.6 s: the finish at 1.06 s takes the queue from 20 to 19 only, so the crash comes at 1.6 s.
    expect(bucketsWith(run(trigger({ sustained: 1 })), 'api.crashes')).toEqual([16]);
  });
});

describe('crashWhen on requests in flight', () => {
  it('is cancelled by a dip: 10 arrivals in 0.5 s raise in flight to 6 at 0.5 s, a finish at 0.555 s brings it back to 5', () => {
    const steps = {
      kind: 'steps' as const,
      steps: [
        { at: 0, rate: 20 },
        { at: 0.5, rate: 0 },
      ],
    };
    const burst = (sustained: number) =>
      assertConserves(() =>
        runScenario(
          scenario({
            duration: 3,
            sample: 0.1,
            clients: [{ ...constantClient(20), arrival: { kind: 'constant', rate: steps } }],
            services: [service('api', { serviceTime: constant(0.101), crashWhen: trigger({ measure: 'inflight', above: 5, sustained }) })],
          }),
        ),
      );
    expect(total(burst(0.1), 'api.crashes')).toBe(0);
    expect(total(burst(0.1), 'api.completed')).toBe(10);
    // Asking for 0.04 s only, the crash comes at 0.54 s, before the finish.
    expect(bucketsWith(burst(0.04), 'api.crashes')).toEqual([5]);
  });

  it('moves the load of a crashed replica to the survivor, which then crashes too (the reinforcing loop)', () => {
    // Two replicas, round robin, 30 a second: 15 each, both above capacity; the second is given more room.
    const r = assertConserves(() =>
      runScenario(
        scenario({
          duration: 10,
          sample: 0.1,
          clients: [constantClient(30)],
          services: [
            service('api', {
              instances: 2,
              serviceTime: constant(0.1),
              balancer: 'leastRequests',
              crashWhen: trigger({ measure: 'inflight', above: 20, sustained: 0.5, for: 5 }),
            }),
          ],
        }),
      ),
    );
    expect(total(r, 'api.crashes')).toBeGreaterThanOrEqual(2);
  });

  it('is deterministic', () => {
    assertDeterministic(() => run(trigger({ measure: 'inflight', above: 3, sustained: 0.2, for: 0.5 }), { instances: 3 }, 10, 40));
  });
});
