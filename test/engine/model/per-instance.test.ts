/**
 * Series per replica (`perInstance: true`): `<service>[<i>].inflight`,
 * `.utilization` and `.errors`, hand-computed on small runs, and the sum
 * over the replicas equal to the service's in-flight in every bucket.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { runScenario } from '../../../sim/engine/run.js';
import type { Fault, Service } from '../../../sim/scenario/types.js';
import { constant, constantClient, scenario, service, total, values } from '../../helpers/build.js';
import { assertConserves } from '../../helpers/contracts.js';

const one = (index: number) => ({ kind: 'index', index }) as const;

/** `users` at 100/s to api, round robin over `instances` replicas of 4 workers, 10 ms of work each. */
const run = (faults: Fault[], over: Partial<Service> = {}, duration = 20) =>
  assertConserves(() =>
    runScenario(
      scenario({
        duration,
        clients: [constantClient(100)],
        services: [service('api', { instances: 2, workers: 4, serviceTime: constant(0.01), perInstance: true, ...over })],
        faults,
      }),
    ),
  );

describe('series per replica', () => {
  it('a latency fault on one replica raises its in-flight, not the other’s', () => {
    // Round robin: 50/s each. 10 ms of work: 0.5 inside each (Little); api[1] +30 ms from 5 s to 10 s: 50 × 0.04 = 2.
    const r = run([{ kind: 'latency', target: 'api', replicas: one(1), at: 5, for: 5, add: 0.03, multiply: 1 }]);
    const a0 = values(r, 'api[0].inflight');
    const a1 = values(r, 'api[1].inflight');
    for (let i = 1; i < 20; i++) expect(a0[i], `api[0] bucket ${i}`).toBeCloseTo(0.5, 9);
    for (const i of [6, 7, 8, 9]) expect(a1[i], `api[1] bucket ${i}`).toBeCloseTo(2, 9);
    for (const i of [1, 2, 3, 4, 12, 19]) expect(a1[i], `api[1] bucket ${i}`).toBeCloseTo(0.5, 9);
    // Utilization: busy / 4 workers.
    expect(values(r, 'api[0].utilization')[7]).toBeCloseTo(0.125, 9);
    expect(values(r, 'api[1].utilization')[7]).toBeCloseTo(0.5, 9);
    expect(total(r, 'api[0].errors') + total(r, 'api[1].errors')).toBe(0);
  });

  it("a crashed replica's errors are its own: it fails fast while down, in rotation", () => {
    // api[1] down from 5 s to 8 s: its share of the arrivals, 50/s, fails at once (150), and the
    // crash fails the one request it held at 5 s (arrivals every 10 ms, 10 ms of work each).
    const r = run([{ kind: 'crash', target: 'api', replicas: one(1), at: 5, for: 3 }]);
    expect(total(r, 'api.crash.killed')).toBe(1);
    expect(total(r, 'api[1].errors')).toBe(151);
    expect(total(r, 'api[0].errors')).toBe(0);
    expect(total(r, 'api.errors')).toBe(151);
    expect(values(r, 'api[1].errors')[6]).toBe(50);
    // Failing at once, it holds nothing: no in-flight while down.
    expect(values(r, 'api[1].inflight')[6]).toBe(0);
  });

  it('a replica taken away leaves its index empty (0 in-flight, no utilization) until a new one takes it', () => {
    // A capacity fault takes one replica away from 5 s to 10 s: the newest (api[1]) retires, and at 10 s a
    // new replica (the service's third) takes the free index 1.
    const r = run([{ kind: 'capacity', target: 'api', at: 5, for: 5, instances: -1, workers: 0 }]);
    const a1 = values(r, 'api[1].inflight');
    const u1 = values(r, 'api[1].utilization');
    for (const i of [6, 7, 8, 9]) {
      expect(a1[i]).toBe(0);
      expect(u1[i]).toBeNaN();
    }
    expect(a1[12]).toBeCloseTo(0.5, 9);
    expect(u1[12]).toBeCloseTo(0.125, 9);
    // api[0] takes all 100/s meanwhile.
    expect(values(r, 'api[0].inflight')[7]).toBeCloseTo(1, 9);
    expect(r.series.series.some((s) => s.name === 'api[2].inflight')).toBe(false);
  });

  it('covers up to the autoscaler’s max, and records nothing for a service without perInstance', () => {
    const autoscale = {
      metric: 'utilization',
      target: 0.5,
      period: 5,
      lag: 0,
      tolerance: 0.1,
      min: 1,
      max: 3,
      warmup: 0,
      scaleDownStabilization: 0,
    } as const;
    const names = run([], { autoscale }, 2).series.series.map((s) => s.name);
    expect(names.filter((n) => n.startsWith('api['))).toEqual([
      'api[0].inflight',
      'api[0].utilization',
      'api[0].errors',
      'api[1].inflight',
      'api[1].utilization',
      'api[1].errors',
      'api[2].inflight',
      'api[2].utilization',
      'api[2].errors',
    ]);
    // Declared after all of the service's own metrics.
    expect(names.indexOf('api[0].inflight')).toBeGreaterThan(names.indexOf('api.latency'));
    expect(run([], { perInstance: false }, 2).series.series.some((s) => s.name.includes('['))).toBe(false);
  });

  it('property: the replicas’ in-flight sums to the service’s in every bucket', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 4 }),
        fc.constantFrom('roundRobin', 'random', 'leastRequests', 'powerOfTwo'),
        fc.integer({ min: 20, max: 400 }),
        fc.boolean(),
        fc.integer({ min: 1, max: 4 }),
        fc.integer({ min: 0, max: 1000 }),
        (instances, balancer, rate, scales, workers, seed) => {
          const autoscale = scales
            ? ({
                metric: 'utilization',
                target: 0.5,
                period: 2,
                lag: 0,
                tolerance: 0.1,
                min: 1,
                max: 5,
                warmup: 1,
                scaleDownStabilization: 0,
              } as const)
            : null;
          const r = runScenario(
            scenario({
              duration: 30,
              seed,
              clients: [constantClient(rate)],
              services: [
                service('api', {
                  instances,
                  workers,
                  balancer,
                  serviceTime: constant(0.01),
                  queue: { capacity: 20, discipline: { kind: 'fifo' } },
                  perInstance: true,
                  autoscale,
                }),
              ],
              faults: [
                { kind: 'latency', target: 'api', replicas: one(0), at: 5, for: 10, add: 0.05, multiply: 1 },
                { kind: 'capacity', target: 'api', at: 12, for: 6, instances: 1, workers: 0 },
                { kind: 'crash', target: 'api', replicas: one(0), at: 20, for: 2 },
              ],
            }),
          );
          const whole = values(r, 'api.inflight');
          const parts = r.series.series.filter((s) => s.name.endsWith('].inflight')).map((s) => values(r, s.name));
          for (let i = 0; i < whole.length; i++) {
            const sum = parts.reduce((a, p) => a + p[i]!, 0);
            expect(Math.abs(sum - whole[i]!)).toBeLessThan(1e-9 * Math.max(1, whole[i]!));
          }
          const errors = r.series.series.filter((s) => s.name.endsWith('].errors')).reduce((a, s) => a + total(r, s.name), 0);
          expect(errors).toBe(total(r, 'api.errors'));
        },
      ),
      { numRuns: 25, seed: 7 },
    );
  });
});
