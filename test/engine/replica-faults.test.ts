/**
 * Faults on some replicas of a service (`target: api[1]`, `replicas: 2`,
 * `replicas: 50%`), in whole runs small enough to work out by hand, and the
 * balancers' answer to a sick replica: round robin and random keep sending
 * it its share, least-requests sends a fast-failing replica most of the
 * traffic (sinkholing), two random choices about half of it; the same for
 * a crashed replica.
 */
import { describe, expect, it } from 'vitest';
import { runScenario } from '../../sim/engine/run.js';
import type { Balancer, Fault, ReplicaPick } from '../../sim/scenario/types.js';
import { SICK_REPLICA, constant, constantClient, meanLatency, scenario, service, total, values } from '../helpers/build.js';
import { assertConserves, fingerprint } from '../helpers/contracts.js';

const one = (index: number): ReplicaPick => ({ kind: 'index', index });

/** 1 request/s (at t = 1, 2, ..., 99) to `instances` replicas of api. */
function run(
  instances: number,
  faults: Fault[],
  over: { balancer?: Balancer; serviceTime?: number; workers?: number; rate?: number } = {},
) {
  const api = service('api', {
    instances,
    workers: over.workers ?? 1,
    balancer: over.balancer ?? 'roundRobin',
    serviceTime: constant(over.serviceTime ?? 0.05),
  });
  return runScenario(scenario({ duration: 100, clients: [constantClient(over.rate ?? 1)], services: [api], faults }));
}

describe('faults on some replicas', () => {
  it('errors on api[1] fail exactly the requests round robin sends to replica 1', () => {
    // Round robin sends t = 1, 3, 5, ... to replica 0 (50 requests) and t = 2, 4, ... to replica 1 (49).
    const r = run(2, [{ kind: 'errors', target: 'api', replicas: one(1), at: 0, for: 100, rate: 1 }]);
    expect(total(r, 'api.errors')).toBe(49);
    expect(total(r, 'api.completed')).toBe(50);
    assertConserves(() => r);
  });

  it('a count hits the lowest-numbered replicas; a share of them is rounded up', () => {
    // Four replicas in turn: replicas 0, 1 and 2 get 25 requests each, replica 3 gets 24.
    const errors = (replicas: ReplicaPick) =>
      total(run(4, [{ kind: 'errors', target: 'api', replicas, at: 0, for: 100, rate: 1 }]), 'api.errors');
    expect(errors({ kind: 'count', count: 1 })).toBe(25);
    expect(errors({ kind: 'count', count: 3 })).toBe(75);
    expect(errors({ kind: 'share', share: 0.5 })).toBe(50);
    expect(errors({ kind: 'share', share: 0.3 })).toBe(50); // ceil(0.3 x 4) = 2 replicas
    expect(errors({ kind: 'share', share: 0.01 })).toBe(25); // at least one
    expect(errors({ kind: 'index', index: 3 })).toBe(24);
  });

  it('a fault on every replica (replicas: 100%) runs exactly as the same fault on the service', () => {
    const wide: Fault = { kind: 'latency', target: 'api', at: 10, for: 20, add: 0.5, multiply: 3 };
    const all: Fault = { ...wide, replicas: { kind: 'share', share: 1 } };
    const pause: Fault = { kind: 'pause', target: 'api', at: 50, for: 5 };
    const a = run(3, [wide, pause, { kind: 'errors', target: 'api', at: 60, for: 10, rate: 0.5 }], { rate: 5, workers: 2 });
    const b = run(
      3,
      [
        all,
        { ...pause, replicas: { kind: 'count', count: 3 } },
        { kind: 'errors', target: 'api', replicas: { kind: 'count', count: 3 }, at: 60, for: 10, rate: 0.5 },
      ],
      { rate: 5, workers: 2 },
    );
    expect(fingerprint(b.series)).toBe(fingerprint(a.series));
  });

  it('a replica fault combines with a service-wide one as two independent chances', () => {
    // Replica 1: 1 - (1 - 0.5)(1 - 1) = 1; replica 0 fails about half its 500 requests.
    const r = run(
      2,
      [
        { kind: 'errors', target: 'api', replicas: one(1), at: 0, for: 100, rate: 1 },
        { kind: 'errors', target: 'api', at: 0, for: 100, rate: 0.5 },
      ],
      { rate: 10 },
    );
    const errors = total(r, 'api.errors');
    expect(errors).toBeGreaterThan(499 + 200);
    expect(errors).toBeLessThan(499 + 300);
  });

  it('a window picks its replicas when it opens and releases them when it closes', () => {
    // Window [10, 30): replica 1 gets t = 10, 12, ..., 28: ten requests.
    const r = run(2, [{ kind: 'errors', target: 'api', replicas: one(1), at: 10, for: 20, rate: 1 }]);
    expect(total(r, 'api.errors')).toBe(10);
    const e = values(r, 'api.errors');
    expect(e[10]).toBe(1);
    expect(e[11]).toBe(0);
    expect(e[30]).toBe(0);
  });

  it('pause on api[0] holds only replica 0: its requests wait, replica 1 serves on', () => {
    // Window [10, 30): replica 0's requests at 11, 13, ..., 29 wait and run one after another from 30 s,
    // 0.05 s each; replica 1 serves t = 10, 12, ..., 28 at once and t = 30 too.
    const r = run(2, [{ kind: 'pause', target: 'api', replicas: one(0), at: 10, for: 20 }]);
    const c = values(r, 'api.completed');
    for (let t = 10; t < 30; t++) expect(c[t]).toBe(t % 2 === 0 ? 1 : 0);
    expect(c[30]).toBe(11);
    expect(c[31]).toBe(1);
    expect(values(r, 'api.queue')[29]).toBe(10); // 11, 13, ..., 29 wait
    const s = r.series.series.find((x) => x.name === 'api.latency');
    if (s?.kind !== 'latency') throw new Error('no latency');
    expect((s.buckets[30] as { max: number }).max).toBeCloseTo(30.05 - 11, 9);
    assertConserves(() => r);
  });

  it('overlapping service-wide pauses freeze work once, not once per window', () => {
    // t = 10 starts 10 s of work at 10 s; pauses [10.2, 20.2) and [15.2, 25.2) freeze it from 10.2 to 25.2,
    // with 9.8 s left: it ends at 35, 25 s after it arrived (counting [15.2, 20.2) twice would say 29.8).
    const pauses: Fault[] = [
      { kind: 'pause', target: 'api', at: 10.2, for: 10 },
      { kind: 'pause', target: 'api', at: 15.2, for: 10 },
    ];
    const r = run(1, pauses, { serviceTime: 10, workers: 100 });
    const s = r.series.series.find((x) => x.name === 'api.latency');
    if (s?.kind !== 'latency') throw new Error('no latency');
    expect((s.buckets[35] as { max: number }).max).toBeCloseTo(25, 9);
  });

  it('work in progress on a paused replica finishes late by the paused time', () => {
    // Replica 0 starts t = 9 at 9 s (0.5 s of work); the pause [9.2, 29.2) freezes it with 0.3 s left.
    const r = run(2, [{ kind: 'pause', target: 'api', replicas: one(0), at: 9.2, for: 20 }], { serviceTime: 0.5 });
    const s = r.series.series.find((x) => x.name === 'api.latency');
    if (s?.kind !== 'latency') throw new Error('no latency');
    expect((s.buckets[29] as { max: number }).max).toBeCloseTo(20.5, 9);
  });
});

describe('the balancers and a slow replica', () => {
  // api[1] takes 5 s more per request for the whole run; the other takes 0.01 s. Workers are plenty.
  const slow: Fault[] = [{ kind: 'latency', target: 'api', replicas: one(1), at: 0, for: 100, add: 5, multiply: 1 }];
  const opts = { serviceTime: 0.01, workers: 100 };

  it('round robin keeps sending the slow replica every other request', () => {
    // Replica 1 gets t = 2, 4, ..., 98; those from 96 on end after the run (t + 5.01 > 100).
    const m = meanLatency(run(2, slow, { ...opts, balancer: 'roundRobin' }), 'api.latency');
    expect(m.count).toBe(50 + 47);
    expect(m.mean).toBeCloseTo((50 * 0.01 + 47 * 5.01) / 97, 9);
  });

  it('least-requests sends the slow replica a request only when it is idle', () => {
    // Ties start from a round-robin cursor: replica 1 wins a tie at odd picks (t = 2, 4, ...) when idle.
    // It takes t = 2 (busy to 7.01), then the next odd pick after that, t = 8, then 14, ...: every 6 s,
    // 17 requests up to t = 98, of which the last ends after the run.
    const m = meanLatency(run(2, slow, { ...opts, balancer: 'leastRequests' }), 'api.latency');
    expect(m.count).toBe(82 + 16);
    expect(m.mean).toBeCloseTo((82 * 0.01 + 16 * 5.01) / 98, 9);
  });
});

// Replica 0 fails fast or is down (handlers/crashes.ts): it is always the idle one.
describe.each(SICK_REPLICA.map(([what, faults]) => [what, faults] as const))('the balancers and %s (sinkholing)', (_what, faults) => {
  const share = (balancer: Balancer): number => {
    const r = run(4, faults, { balancer, serviceTime: 1, workers: 1000, rate: 100 });
    return total(r, 'api.errors') / total(r, 'api.arrivals');
  };

  it('round robin and random send it its share, a quarter', () => {
    expect(share('roundRobin')).toBeCloseTo(0.25, 3);
    expect(Math.abs(share('random') - 0.25)).toBeLessThan(0.02);
  });

  it('least-requests sends it almost everything', () => {
    expect(share('leastRequests')).toBeGreaterThan(0.9);
  });

  it('two random choices (Envoy least_request, choice_count 2) send it every pair it is in: half', () => {
    // With the healthy replicas always busier, replica 0 wins whenever drawn: 1 - C(3,2)/C(4,2) = 1/2.
    expect(Math.abs(share('powerOfTwo') - 0.5)).toBeLessThan(0.02);
  });
});
