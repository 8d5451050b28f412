/**
 * The engine's mechanisms one at a time: timeouts, retries, wasted and
 * expired work, and each kind of fault, on small scenarios whose answers can
 * be worked out by hand.
 */
import { describe, expect, it } from 'vitest';
import { runScenario } from '../../sim/engine/run.js';
import type { Fault } from '../../sim/scenario/types.js';
import { call, constant, constantClient, exp, poissonClient, retry, scenario, service, total, values } from '../helpers/build.js';

describe('timeouts and abandoned work', () => {
  it('a caller that times out gives up, but the service still does the work (wasted)', () => {
    const r = runScenario(
      scenario({
        duration: 100,
        clients: [constantClient(1, { timeout: 0.5 })],
        services: [service('api', { serviceTime: constant(0.8), workers: 4 })],
      }),
    );
    const offered = total(r, 'users.offered');
    expect(offered).toBe(99); // arrivals at 1, 2, ..., 99 s
    expect(total(r, 'users.timeouts')).toBe(offered);
    expect(total(r, 'users.failures')).toBe(offered);
    expect(total(r, 'users.goodput')).toBe(0);
    expect(total(r, 'api.completed')).toBe(99); // the last finishes at 99.8 s
    expect(total(r, 'api.wasted')).toBe(99);
  });

  it('dropExpired skips queued requests whose caller already gave up, so a backlog drains fast', () => {
    // 0.8 requests/s against 1/s of capacity; a 60 s pause leaves a backlog of ~48 requests, which
    // drains at only 0.2/s when every stale request is served; callers wait 3 s at most.
    const base = {
      duration: 300,
      clients: [constantClient(0.8, { timeout: 3 })],
      faults: [{ kind: 'pause', target: 'api', at: 20, for: 60 } as const],
    };
    const keep = runScenario(scenario({ ...base, services: [service('api', { serviceTime: constant(1) })] }));
    const drop = runScenario(scenario({ ...base, services: [service('api', { serviceTime: constant(1), dropExpired: true })] }));
    const sum = (v: Float64Array, from: number, to: number) => v.slice(from, to).reduce((a, b) => a + b, 0);
    expect(total(keep, 'api.expired')).toBe(0);
    expect(total(drop, 'api.expired')).toBeGreaterThan(40);
    // Kept: the stale backlog is still being served (all wasted) 200 s after the pause.
    expect(sum(values(keep, 'users.goodput'), 200, 300)).toBe(0);
    expect(total(keep, 'api.wasted')).toBeGreaterThan(150);
    // Dropped: the backlog is gone at once and every request after it succeeds.
    expect(sum(values(drop, 'users.goodput'), 200, 300)).toBeCloseTo(80, -1);
    expect(values(drop, 'api.queue').at(-1)).toBeLessThan(2);
  });

  it('a queue at capacity rejects at once', () => {
    const r = runScenario(
      scenario({
        duration: 100,
        clients: [constantClient(3)],
        services: [service('api', { serviceTime: constant(1), queue: { capacity: 2, discipline: { kind: 'fifo' } } })],
      }),
    );
    // Capacity 1/s against 3/s offered: two of every three are turned away once the queue is full.
    expect(total(r, 'api.rejected') / total(r, 'api.arrivals')).toBeCloseTo(2 / 3, 1);
    expect(Math.max(...(r.series.series.find((s) => s.name === 'api.queue') as { max: Float64Array }).max)).toBe(2);
  });
});

describe('retries', () => {
  it('a client retries failed attempts up to `attempts` in total', () => {
    const r = runScenario(
      scenario({
        duration: 50,
        clients: [constantClient(10, { retry: retry(3) })],
        services: [service('api', { errorRate: 1, serviceTime: constant(0.001), workers: 10 })],
      }),
    );
    const offered = total(r, 'users.offered');
    expect(total(r, 'users.attempts')).toBe(3 * offered);
    expect(total(r, 'users.retries')).toBe(2 * offered);
    expect(total(r, 'users.failures')).toBe(offered);
  });

  it('retries only on the outcomes listed in `on`', () => {
    const r = runScenario(
      scenario({
        duration: 50,
        clients: [constantClient(10, { retry: retry(3, { on: ['timeout'] }) })],
        services: [service('api', { errorRate: 1, serviceTime: constant(0.001), workers: 10 })],
      }),
    );
    expect(total(r, 'users.retries')).toBe(0);
  });

  it('retries on a call edge multiply the load on the callee (3 x 3 = 9 attempts per operation)', () => {
    const r = runScenario(
      scenario({
        duration: 20,
        clients: [constantClient(10, { retry: retry(3) })],
        services: [
          service('api', { workers: Infinity, serviceTime: constant(0), calls: [call('db', { retry: retry(3) })] }),
          service('db', { workers: Infinity, errorRate: 1, serviceTime: constant(0.001) }),
        ],
      }),
    );
    expect(total(r, 'db.arrivals')).toBe(9 * total(r, 'users.offered'));
    expect(total(r, 'api->db.retries')).toBe(6 * total(r, 'users.offered'));
  });

  it('backoff delays each retry: the operation takes base + 2 base before failing', () => {
    const r = runScenario(
      scenario({
        duration: 10,
        clients: [constantClient(1, { retry: retry(3, { backoff: { kind: 'exponential', base: 0.1, cap: 10 } }) })],
        services: [service('api', { workers: 10, serviceTime: constant(0), errorRate: 1 })],
      }),
    );
    // Attempts at t, t + 0.1, t + 0.3: the third is answered 0.3 s after the op started, so the ops of
    // t = 1..9 all end inside the run; their failures are counted when the third attempt fails.
    expect(total(r, 'users.failures')).toBe(9);
    expect(total(r, 'users.attempts')).toBe(27);
  });

  it('a retry budget caps the retries', () => {
    const r = runScenario(
      scenario({
        duration: 100,
        clients: [constantClient(100, { retry: retry(3, { budget: { ratio: 0.1, minPerSecond: 0, window: 10 } }) })],
        services: [service('api', { workers: Infinity, errorRate: 1, serviceTime: constant(0.001) })],
      }),
    );
    const ratio = total(r, 'users.retries') / total(r, 'users.offered');
    expect(ratio).toBeLessThanOrEqual(0.1 + 1e-9);
    expect(ratio).toBeGreaterThan(0.09);
  });
});

describe('faults', () => {
  const steady = (faults: Fault[], svc = {}) =>
    runScenario(
      scenario({
        duration: 60,
        faults,
        clients: [poissonClient('users', 'api', 100)],
        services: [service('api', { workers: 50, instances: 2, serviceTime: constant(0.01), ...svc })],
      }),
    );
  const latencyAt = (r: ReturnType<typeof steady>, bucket: number) => {
    const s = r.series.series.find((x) => x.name === 'api.latency');
    if (s?.kind !== 'latency') throw new Error();
    return (s.buckets[bucket] as { mean: number }).mean;
  };

  it('latency add and multiply apply to work that starts inside the window', () => {
    const r = steady([
      { kind: 'latency', target: 'api', at: 20, for: 10, add: 0.1, multiply: 1 },
      { kind: 'latency', target: 'api', at: 40, for: 10, add: 0, multiply: 3 },
    ]);
    expect(latencyAt(r, 10)).toBeCloseTo(0.01, 6);
    expect(latencyAt(r, 25)).toBeCloseTo(0.11, 6);
    expect(latencyAt(r, 45)).toBeCloseTo(0.03, 6);
    expect(latencyAt(r, 55)).toBeCloseTo(0.01, 6);
  });

  it('errors fail the given fraction of requests inside the window only', () => {
    const r = steady([{ kind: 'errors', target: 'api', at: 20, for: 20, rate: 0.5 }]);
    const e = values(r, 'api.errors');
    const c = values(r, 'api.completed');
    const frac = (from: number, to: number) => {
      let err = 0,
        all = 0;
      for (let i = from; i < to; i++) {
        err += e[i] as number;
        all += (e[i] as number) + (c[i] as number);
      }
      return err / all;
    };
    expect(frac(0, 20)).toBe(0);
    expect(frac(20, 40)).toBeGreaterThan(0.45);
    expect(frac(20, 40)).toBeLessThan(0.55);
    expect(frac(41, 60)).toBe(0);
  });

  it('capacity takes instances out of rotation and changes workers for the window', () => {
    const r = steady([
      { kind: 'capacity', target: 'api', at: 20, for: 10, instances: -1, workers: 0 },
      { kind: 'capacity', target: 'api', at: 40, for: 10, instances: 0, workers: -45 },
    ]);
    const ready = values(r, 'api.ready');
    expect(ready[10]).toBe(2);
    expect(ready[25]).toBe(1);
    expect(ready[35]).toBe(2);
    // Five workers per instance left: utilization jumps tenfold.
    const u = values(r, 'api.utilization');
    expect((u[45] as number) / (u[10] as number)).toBeGreaterThan(8);
  });

  it('traffic multiplies the offered rate for the window', () => {
    const r = steady([{ kind: 'traffic', target: 'users', at: 20, for: 20, multiply: 3 }]);
    const o = values(r, 'users.offered');
    const mean = (from: number, to: number) => o.slice(from, to).reduce((a, b) => a + b, 0) / (to - from);
    expect(mean(0, 20) / 100).toBeCloseTo(1, 1);
    expect(mean(20, 40) / 300).toBeCloseTo(1, 1);
    expect(mean(40, 60) / 100).toBeCloseTo(1, 1);
  });

  it('pause stops every instance: nothing completes in the window, the backlog drains after', () => {
    const r = steady([{ kind: 'pause', target: 'api', at: 20, for: 5 }]);
    const c = values(r, 'api.completed');
    for (let i = 20; i < 25; i++) expect(c[i]).toBe(0);
    expect(values(r, 'api.queue')[24]).toBeGreaterThan(100);
    expect(c[25]).toBeGreaterThan(400);
    // Work in progress at the pause finishes 5 s late: its latency includes the pause.
    const s = r.series.series.find((x) => x.name === 'api.latency');
    if (s?.kind !== 'latency') throw new Error();
    expect((s.buckets[25] as { max: number }).max).toBeGreaterThan(4.9);
  });

  it('closed-loop traffic faults add users for the window', () => {
    const r = runScenario(
      scenario({
        duration: 60,
        faults: [{ kind: 'traffic', target: 'users', at: 20, for: 20, multiply: 2 }],
        clients: [
          {
            name: 'users',
            target: 'api',
            arrival: { kind: 'closed', users: 10, think: constant(1) },
            timeout: null,
            network: null,
            rateLimit: null,
            retry: null,
            breaker: null,
          },
        ],
        services: [service('api', { workers: Infinity, serviceTime: constant(0) })],
      }),
    );
    const o = values(r, 'users.offered');
    expect(o[10]).toBe(10);
    expect(o[30]).toBe(20);
    expect(o[50]).toBe(10);
  });
});

describe('network delay', () => {
  it('is drawn each way and counts in the client latency', () => {
    const r = runScenario(
      scenario({
        duration: 20,
        clients: [constantClient(10, { network: constant(0.005) })],
        services: [service('api', { workers: 10, serviceTime: constant(0.01) })],
      }),
    );
    const s = r.series.series.find((x) => x.name === 'users.latency');
    if (s?.kind !== 'latency') throw new Error();
    expect((s.buckets[5] as { mean: number }).mean).toBeCloseTo(0.02, 9);
  });
});

describe('determinism', () => {
  const sc = (seed: number) =>
    scenario({
      seed,
      duration: 50,
      clients: [
        poissonClient('users', 'api', 200, {
          timeout: 0.05,
          retry: retry(3, { backoff: { kind: 'exponential', base: 0.01, cap: 1 }, jitter: 'full' }),
        }),
      ],
      services: [
        service('api', { workers: 2, serviceTime: exp(0.009), calls: [call('db', { probability: 0.5, network: exp(0.001) })] }),
        service('db', { workers: 4, serviceTime: exp(0.01) }),
      ],
      faults: [{ kind: 'latency', target: 'db', at: 20, for: 5, add: 0.05, multiply: 1 }],
    });
  const fingerprint = (seed: number) => {
    const r = runScenario(sc(seed));
    return JSON.stringify(
      r.series.series.map((s) =>
        s.kind === 'latency' ? s.buckets.map((h) => [h.count, h.sum]) : s.kind === 'rate' ? [...s.values] : [...s.mean, ...s.max],
      ),
    );
  };

  it('the same seed gives identical series; another seed does not', () => {
    expect(fingerprint(7)).toBe(fingerprint(7));
    expect(fingerprint(7)).not.toBe(fingerprint(8));
  });

  it('adding a client does not change the numbers another component draws', () => {
    // Common random numbers: the service-time stream of db is its own; a client with no traffic changes nothing.
    const base = sc(3);
    const withIdle = { ...base, clients: [...base.clients, poissonClient('idle', 'db', 0)] };
    const a = runScenario(base);
    const b = runScenario(withIdle);
    expect([...values(b, 'db.completed')]).toEqual([...values(a, 'db.completed')]);
  });
});
