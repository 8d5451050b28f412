/**
 * The resilience mechanisms inside the event loop: breakers, pools, caches,
 * CoDel, autoscaling, degradation, cold starts and duplicate side effects,
 * each on a scenario small enough to reason about.
 */
import { describe, expect, it } from 'vitest';
import { runScenario } from '../../sim/engine/run.js';
import type { Breaker, Cache, Client } from '../../sim/scenario/types.js';
import { broker as brokerOf, call, constant, exp, poissonClient, retry, scenario, service, total, values } from '../helpers/build.js';

const peak = (r: ReturnType<typeof runScenario>, name: string): number => {
  const s = r.series.series.find((x) => x.name === name);
  if (s?.kind !== 'stock') throw new Error(`no stock ${name}`);
  return Math.max(...s.max);
};
const sum = (v: Float64Array, from: number, to: number): number => v.slice(from, to).reduce((a, b) => a + b, 0);

const breaker = (over: Partial<Breaker> = {}): Breaker => ({
  failureRate: 0.5,
  slowCall: null,
  window: { kind: 'count', size: 20 },
  minCalls: 20,
  openFor: 5,
  halfOpenCalls: 5,
  ...over,
});

describe('circuit breaker on a call edge', () => {
  const run = (withBreaker: boolean) =>
    runScenario(
      scenario({
        duration: 120,
        clients: [poissonClient('users', 'api', 100)],
        services: [
          service('api', {
            workers: Infinity,
            serviceTime: constant(0.001),
            calls: [call('db', { timeout: 1, breaker: withBreaker ? breaker() : null })],
          }),
          service('db', { workers: 50, serviceTime: constant(0.01) }),
        ],
        faults: [{ kind: 'errors', target: 'db', at: 30, for: 30, rate: 1 }],
      }),
    );

  it('opens while the callee fails, short-circuits calls, and closes after the fault', () => {
    const r = run(true);
    const b = values(r, 'api->db.breaker');
    expect(b[10]).toBe(0);
    expect(b[45]).toBeGreaterThan(0.5);
    expect(b[100]).toBe(0);
    expect(total(r, 'api->db.shortCircuited')).toBeGreaterThan(2000);
    // Open most of the time, the breaker spares db nearly all of the doomed calls.
    expect(sum(values(r, 'db.arrivals'), 31, 60)).toBeLessThan(0.2 * sum(values(run(false), 'db.arrivals'), 31, 60));
    // Within a few openFor periods of the fault's end, every operation succeeds again.
    expect(sum(values(r, 'users.goodput'), 80, 120) / 40).toBeGreaterThan(95);
  });

  it('does not exist as a metric where none is configured', () => {
    expect(r0().series.series.some((s) => s.name === 'api->db.breaker')).toBe(false);
    function r0() {
      return run(false);
    }
  });
});

describe('weighted routing with a stalled alternative', () => {
  // api: 20 workers, 200 operations/s, each holding a worker ~10 ms; 10% routed to a canary that
  // stalls (a pause) from 30 s to 50 s. A call routed there waits out its 2 s timeout on a worker: 20 operations/s
  // of them would need 40 workers, and the 90% routed to main queue behind them past the users' 2 s.
  const run = (withBreaker: boolean) =>
    runScenario(
      scenario({
        duration: 90,
        clients: [poissonClient('users', 'api', 200, { timeout: 2 })],
        services: [
          service('api', {
            workers: 20,
            serviceTime: constant(0.005),
            calls: [
              call('main', { route: { group: 'v', weight: 90 }, timeout: 2 }),
              call('canary', {
                route: { group: 'v', weight: 10 },
                timeout: 2,
                breaker: withBreaker ? breaker({ failureRate: 0.5, window: { kind: 'time', size: 5 }, minCalls: 5 }) : null,
              }),
            ],
          }),
          service('main', { workers: Infinity, serviceTime: constant(0.005) }),
          service('canary', { workers: Infinity, serviceTime: constant(0.005) }),
        ],
        faults: [{ kind: 'pause', target: 'canary', at: 30, for: 20 }],
      }),
    );

  it('takes the caller down for every route without a breaker; with one on the stalled route, only its tenth fails', () => {
    const bare = run(false);
    const guarded = run(true);
    const during = (r: ReturnType<typeof runScenario>) => sum(values(r, 'users.goodput'), 35, 50) / 15;
    // Without the breaker the api's workers all wait on the canary: almost nothing is served.
    expect(during(bare)).toBeLessThan(50);
    // With it, the calls routed to the canary fail at once and the 90% routed to main go through.
    expect(during(guarded)).toBeGreaterThan(0.85 * 200 * 0.9);
    expect(sum(values(guarded, 'api->canary.shortCircuited'), 35, 50)).toBeGreaterThan(200);
    // The split itself does not move: the pick is made before the breaker.
    expect(total(guarded, 'api->canary.routed') / total(guarded, 'users.offered')).toBeCloseTo(0.1, 1);
    expect(guarded.conservation.every((c) => c.ok)).toBe(true);
  });
});

describe('connection pool on a call edge', () => {
  it('never has more than size calls in flight per caller instance; waiting holds the worker', () => {
    const r = runScenario(
      scenario({
        duration: 60,
        clients: [poissonClient('users', 'api', 200)],
        services: [
          service('api', {
            instances: 2,
            workers: 100,
            serviceTime: constant(0.001),
            calls: [call('db', { pool: { size: 5, acquireTimeout: null } })],
          }),
          service('db', { workers: Infinity, serviceTime: exp(0.04) }),
        ],
      }),
    );
    expect(peak(r, 'api->db.pool.inUse')).toBeLessThanOrEqual(10);
    expect(peak(r, 'db.inflight')).toBeLessThanOrEqual(10);
    // 10 connections x 1/0.04 s = 250 calls/s of capacity against 200/s: they queue at the pool.
    expect(peak(r, 'api->db.pool.waiting')).toBeGreaterThan(0);
    expect(peak(r, 'api.busy')).toBeGreaterThan(peak(r, 'api->db.pool.inUse'));
  });

  it('fails the call when no connection frees up within acquireTimeout', () => {
    const r = runScenario(
      scenario({
        duration: 30,
        clients: [poissonClient('users', 'api', 100)],
        services: [
          service('api', { workers: Infinity, serviceTime: constant(0), calls: [call('db', { pool: { size: 1, acquireTimeout: 0.05 } })] }),
          service('db', { workers: Infinity, serviceTime: constant(0.1) }),
        ],
      }),
    );
    // One connection serves 10 calls/s; the rest give up after 50 ms waiting.
    expect(total(r, 'api.errors')).toBeGreaterThan(total(r, 'api.completed') * 5);
    expect(total(r, 'api.completed')).toBeLessThanOrEqual(300);
  });
});

describe('look-aside cache on a call edge', () => {
  const cache = (over: Partial<Cache> = {}): Cache => ({
    keys: 1,
    popularity: { kind: 'uniform' },
    ttl: 1000,
    ttlJitter: 0,
    hitTime: 0.001,
    coalesce: false,
    staleWhileRevalidate: false,
    capacity: Infinity,
    eviction: 'lru',
    ...over,
  });
  const run = (c: Cache, faults = [] as { kind: 'cacheFlush'; target: string; at: number; for: number }[]) =>
    runScenario(
      scenario({
        duration: 20,
        faults,
        clients: [
          {
            name: 'users',
            target: 'api',
            arrival: { kind: 'constant', rate: { kind: 'steps', steps: [{ at: 0, rate: 1000 }] } },
            timeout: null,
            network: null,
            rateLimit: null,
            retry: null,
            breaker: null,
          },
        ],
        services: [
          service('api', { workers: Infinity, serviceTime: constant(0), calls: [call('db', { cache: c })] }),
          service('db', { workers: Infinity, serviceTime: constant(0.5) }),
        ],
      }),
    );

  it('without coalescing, every request that misses while the fill is in flight goes to the backend', () => {
    const r = run(cache());
    // The first fill takes 0.5 s; the ~500 requests of that half second all miss.
    expect(total(r, 'db.arrivals')).toBeGreaterThan(450);
    expect(total(r, 'api->db.cache.misses')).toBe(total(r, 'db.arrivals'));
  });

  it('coalescing turns N concurrent misses on one key into one fill', () => {
    const r = run(cache({ coalesce: true }));
    expect(total(r, 'db.arrivals')).toBe(1);
    expect(total(r, 'api->db.cache.coalesced')).toBeGreaterThan(450);
    expect(values(r, 'api->db.cache.hitRatio')[10]).toBe(1);
  });

  it('a cache flush empties it: the next requests miss again', () => {
    const r = run(cache({ coalesce: true }), [{ kind: 'cacheFlush', target: 'api->db', at: 10, for: 0 }]);
    expect(total(r, 'db.arrivals')).toBe(2);
  });

  it('keys filled together expire together, unless the TTL is jittered', () => {
    const many = (ttlJitter: number) =>
      runScenario(
        scenario({
          duration: 40,
          clients: [poissonClient('users', 'api', 2000)],
          services: [
            service('api', {
              workers: Infinity,
              serviceTime: constant(0),
              calls: [call('db', { cache: cache({ keys: 200, ttl: 10, ttlJitter, coalesce: true }) })],
            }),
            service('db', { workers: Infinity, serviceTime: constant(0.2) }),
          ],
        }),
      );
    const synced = values(many(0), 'db.arrivals');
    const spread = values(many(0.5), 'db.arrivals');
    // Without jitter all 200 keys refill within the same second every 10 s: a stampede.
    expect(Math.max(...synced.slice(5))).toBeGreaterThan(150);
    expect(Math.max(...spread.slice(5))).toBeLessThan(80);
  });

  it('stale-while-revalidate serves the old value while one refresh runs', () => {
    const r = runScenario(
      scenario({
        duration: 30,
        clients: [poissonClient('users', 'api', 500)],
        services: [
          service('api', {
            workers: Infinity,
            serviceTime: constant(0),
            calls: [call('db', { cache: cache({ ttl: 5, staleWhileRevalidate: true, coalesce: true }) })],
          }),
          service('db', { workers: Infinity, serviceTime: constant(0.5) }),
        ],
      }),
    );
    // One fill at the start, then one refresh per expiry: about 30 / 5.5.
    expect(total(r, 'db.arrivals')).toBeLessThanOrEqual(7);
    expect(total(r, 'db.arrivals')).toBeGreaterThanOrEqual(5);
  });

  describe('with a capacity', () => {
    // Fills are instantaneous (no service time, no network), so each miss is stored before the next lookup.
    const bounded = (c: Partial<Cache>) =>
      runScenario(
        scenario({
          duration: 200,
          clients: [poissonClient('users', 'api', 500)],
          services: [
            service('api', { workers: Infinity, serviceTime: constant(0), calls: [call('db', { cache: cache({ hitTime: 0, ...c }) })] }),
            service('db', { workers: Infinity, serviceTime: constant(0) }),
          ],
        }),
      );

    it('holds a capacity-sized share of uniform keys: hit ratio C / N under LRU and FIFO alike', () => {
      for (const eviction of ['lru', 'fifo'] as const) {
        const r = bounded({ keys: 100, capacity: 25, eviction });
        const hits = total(r, 'api->db.cache.hits');
        const misses = total(r, 'api->db.cache.misses');
        // Under independent uniform reads any policy holds 25 of the 100 keys: each read hits with chance 1/4.
        expect(hits / (hits + misses)).toBeCloseTo(0.25, 1);
        // The first 25 misses take free slots; every later one evicts exactly one key.
        expect(total(r, 'api->db.cache.evictions')).toBe(misses - 25);
      }
    });

    it('under skewed popularity LRU keeps the hot keys better than FIFO', () => {
      const ratio = (eviction: 'lru' | 'fifo'): number => {
        const r = bounded({ keys: 1000, popularity: { kind: 'zipf', exponent: 1 }, capacity: 50, eviction });
        return total(r, 'api->db.cache.hits') / total(r, 'api->db.calls');
      };
      expect(ratio('lru')).toBeGreaterThan(ratio('fifo'));
    });

    it('a capacity at or above the key space changes nothing: same series as no capacity', () => {
      const free = bounded({ keys: 100 });
      const full = bounded({ keys: 100, capacity: 100 });
      expect(total(full, 'api->db.cache.evictions')).toBe(0);
      expect(values(full, 'db.arrivals')).toEqual(values(free, 'db.arrivals'));
      expect(free.series.series.some((s) => s.name.endsWith('cache.evictions'))).toBe(false);
    });
  });
});

describe('CoDel with adaptive LIFO', () => {
  it('sheds requests that waited too long in a standing queue, keeping latency bounded', () => {
    const mk = (codel: boolean) =>
      runScenario(
        scenario({
          duration: 60,
          clients: [poissonClient('users', 'api', 120)],
          services: [
            service('api', {
              workers: 1,
              serviceTime: exp(0.01),
              queue: { capacity: Infinity, discipline: codel ? { kind: 'codel', target: 0.005, interval: 0.1 } : { kind: 'fifo' } },
            }),
          ],
        }),
      );
    const plain = mk(false);
    const shed = mk(true);
    expect(total(plain, 'api.rejected')).toBe(0);
    expect(total(shed, 'api.rejected')).toBeGreaterThan(0);
    expect(peak(shed, 'api.queue')).toBeLessThan(peak(plain, 'api.queue') / 10);
  });
});

describe('autoscaling (Kubernetes HPA)', () => {
  it('reaches the replica count of ceil(current x utilization / target) after the warmup', () => {
    // 2 instances x 10 workers, 400/s x 40 ms = 16 busy workers: utilization 0.8 against a target of 0.5,
    // so desired = ceil(2 x 0.8 / 0.5) = 4. At 4 instances utilization is 0.4: outside the tolerance
    // (|0.4 / 0.5 - 1| = 0.2 > 0.1), but ceil(4 x 0.4 / 0.5) = 4 again, so 4 is the fixed point.
    const r = runScenario(
      scenario({
        duration: 300,
        clients: [poissonClient('users', 'api', 400)],
        services: [
          service('api', {
            instances: 2,
            workers: 10,
            serviceTime: constant(0.04),
            autoscale: {
              metric: 'utilization',
              target: 0.5,
              period: 15,
              lag: 0,
              tolerance: 0.1,
              min: 1,
              max: 10,
              warmup: 30,
              scaleDownStabilization: 300,
            },
          }),
        ],
      }),
    );
    const desired = values(r, 'api.desired');
    const ready = values(r, 'api.ready');
    expect(desired[14]).toBe(2);
    expect(desired[20]).toBe(4);
    // Warmup: the new instances take traffic 30 s after the decision at t = 15 s.
    expect(ready[40]).toBe(2);
    expect(ready[50]).toBe(4);
    expect(ready[299]).toBe(4);
    expect(values(r, 'api.instances')[20]).toBe(4);
  });
});

describe('degradation and cold starts', () => {
  it('a service past its in-flight threshold slows down and stays slow (capacity loss)', () => {
    const mk = (above: number) =>
      runScenario(
        scenario({
          duration: 120,
          clients: [poissonClient('users', 'api', 80)],
          services: [service('api', { workers: 1, serviceTime: exp(0.01), degradation: { kind: 'threshold', above, slowdown: 3 } })],
          faults: [{ kind: 'traffic', target: 'users', at: 30, for: 5, multiply: 3 }],
        }),
      );
    // 80/s against 100/s: fine until the spike pushes in-flight past 20; then 80/s against 33/s.
    const tipped = mk(20);
    expect(values(tipped, 'api.queue').at(-1)).toBeGreaterThan(1000);
    const never = mk(1e9);
    expect(values(never, 'api.queue').at(-1)).toBeLessThan(50);
  });

  it('new instances serve slower for coldStart.for seconds', () => {
    const r = runScenario(
      scenario({
        duration: 60,
        clients: [poissonClient('users', 'api', 10)],
        services: [service('api', { workers: Infinity, serviceTime: constant(0.01), coldStart: { for: 10, slowdown: 3 } })],
        faults: [{ kind: 'capacity', target: 'api', at: 20, for: 40, instances: 1, workers: 0 }],
      }),
    );
    const s = r.series.series.find((x) => x.name === 'api.latency');
    if (s?.kind !== 'latency') throw new Error();
    // The instances present at t = 0 count as warm; the one started at 20 s is cold until 30 s.
    expect((s.buckets[5] as { max: number }).max).toBeCloseTo(0.01, 9);
    expect((s.buckets[25] as { max: number }).max).toBeCloseTo(0.03, 9);
    expect((s.buckets[45] as { max: number }).max).toBeCloseTo(0.01, 9);
  });
});

describe('duplicate side effects', () => {
  const retried = (c: Partial<Client>) =>
    runScenario(
      scenario({
        duration: 60,
        clients: [poissonClient('users', 'api', 50, { timeout: 0.2, retry: retry(3), ...c })],
        services: [service('api', { workers: Infinity, serviceTime: constant(0.3) })],
      }),
    );

  it('counts a retry that is processed again after an earlier attempt already completed', () => {
    const r = retried({});
    // Every attempt takes 0.3 s against a 0.2 s timeout: all three attempts complete at api.
    // Operations started in the last 0.7 s have not finished all three attempts by the end.
    expect(total(r, 'api.duplicates')).toBeGreaterThan(2 * total(r, 'users.offered') - 100);
    expect(total(r, 'api.duplicates')).toBeLessThanOrEqual(2 * total(r, 'users.offered'));
  });

  it('is zero without retries', () => {
    expect(total(retried({ retry: null }), 'api.duplicates')).toBe(0);
  });

  it('tells two branches of one operation from a retry: a diamond counts only re-done branches', () => {
    const diamond = (withRetry: boolean) =>
      runScenario(
        scenario({
          duration: 30,
          clients: [poissonClient('users', 'a', 20, { timeout: 0.05, retry: withRetry ? retry(2, { on: ['timeout'] }) : null })],
          services: [
            service('a', { workers: Infinity, serviceTime: constant(0.001), calls: [call('b'), call('c')] }),
            service('b', { workers: Infinity, serviceTime: constant(0.001), calls: [call('d')] }),
            service('c', { workers: Infinity, serviceTime: constant(0.001), calls: [call('d')] }),
            service('d', { workers: Infinity, serviceTime: constant(0.1) }),
          ],
        }),
      );
    // d is reached twice per operation (via b and via c): that alone is not a duplicate.
    expect(total(diamond(false), 'd.duplicates')).toBe(0);
    // Every operation times out at 50 ms and is retried once: both of d's branches are done again.
    const r = diamond(true);
    expect(total(r, 'd.duplicates')).toBeGreaterThan(total(r, 'users.offered') * 2 - 20);
    expect(total(r, 'd.duplicates')).toBeLessThanOrEqual(total(r, 'users.offered') * 2);
  });
});

describe('every mechanism at once', () => {
  const everything = (seed: number) =>
    scenario({
      seed,
      duration: 200,
      warmup: 10,
      clients: [
        poissonClient('web', 'api', 300, {
          timeout: 0.5,
          network: exp(0.002),
          retry: retry(3, {
            backoff: { kind: 'exponential', base: 0.05, cap: 1 },
            jitter: 'decorrelated',
            budget: { ratio: 0.2, minPerSecond: 5, window: 10 },
          }),
        }),
        {
          name: 'batch',
          target: 'api',
          arrival: { kind: 'closed', users: 30, think: exp(0.5) },
          timeout: 2,
          network: null,
          rateLimit: { rate: 40, burst: 5, fillInterval: null, queue: 5 },
          retry: retry(2, { jitter: 'full', backoff: { kind: 'constant', base: 0.1 } }),
          breaker: breaker({ failureRate: 0.05, window: { kind: 'time', size: 5 }, minCalls: 10, openFor: 1, halfOpenCalls: 3 }),
        },
        poissonClient('events', 'jobs', 50),
      ],
      brokers: [brokerOf('jobs', 'db', 4, { visibilityTimeout: 0.5, maxReceiveCount: 3, redeliveryDelay: 0.2, retention: 20 })],
      services: [
        service('api', {
          instances: 2,
          workers: 20,
          balancer: 'powerOfTwo',
          perInstance: true,
          serviceTime: exp(0.005),
          queue: { capacity: 200, discipline: { kind: 'codel', target: 0.005, interval: 0.1 } },
          dropExpired: true,
          degradation: { kind: 'linear', perInflight: 0.001 },
          coldStart: { for: 20, slowdown: 2 },
          autoscale: {
            metric: 'utilization',
            target: 0.6,
            period: 15,
            lag: 15,
            tolerance: 0.1,
            min: 2,
            max: 8,
            warmup: 20,
            scaleDownStabilization: 60,
          },
          calls: [
            call('cache-db', {
              probability: 0.8,
              timeout: 0.2,
              network: constant(0.001),
              retry: retry(2),
              cache: {
                keys: 1000,
                popularity: { kind: 'zipf', exponent: 1 },
                ttl: 5,
                ttlJitter: 0.2,
                hitTime: 0.001,
                coalesce: true,
                staleWhileRevalidate: true,
                capacity: Infinity,
                eviction: 'lru',
              },
              optional: true,
            }),
            call('db', {
              timeout: 0.3,
              retry: retry(3, { backoff: { kind: 'exponential', base: 0.02, cap: 0.5 }, jitter: 'equal' }),
              rateLimit: { rate: 150, burst: 20, fillInterval: 0.05, queue: 4 },
              pool: { size: 8, acquireTimeout: 0.1 },
              breaker: breaker({ slowCall: { over: 0.1, rate: 0.5 }, window: { kind: 'time', size: 10 }, minCalls: 10 }),
              fallback: { serviceTime: exp(0.002), degraded: true },
            }),
            call('cache-db', {
              probability: 0.3,
              timeout: 0.1,
              hedge: { attempts: 2, delay: 0.02, nonFatal: ['error'] },
              optional: true,
            }),
          ],
        }),
        service('cache-db', {
          workers: 4,
          serviceTime: exp(0.02),
          balancer: 'leastRequests',
          instances: 2,
          outlierDetection: { consecutiveErrors: 3, interval: 5, baseEjectionTime: 5, maxEjectionPercent: 0.5, maxEjectionTime: 60 },
          healthCheck: { interval: 1, timeout: 0.5, unhealthyThreshold: 2, healthyThreshold: 2 },
        }),
        service('db', {
          workers: 8,
          serviceTime: { dist: 'lognormal', mu: Math.log(0.01), sigma: 0.8 },
          queue: { capacity: 50, discipline: { kind: 'lifo' } },
          errorRate: 0.01,
        }),
      ],
      faults: [
        { kind: 'latency', target: 'db', at: 40, for: 20, add: 0.05, multiply: 2 },
        { kind: 'errors', target: 'db', at: 50, for: 10, rate: 0.3 },
        { kind: 'capacity', target: 'api', at: 70, for: 20, instances: -1, workers: -5 },
        { kind: 'traffic', target: 'web', at: 100, for: 20, multiply: 2 },
        { kind: 'traffic', target: 'batch', at: 100, for: 20, multiply: 2 },
        { kind: 'pause', target: 'cache-db', at: 130, for: 3 },
        { kind: 'cacheFlush', target: 'api->cache-db', at: 150, for: 0 },
        { kind: 'errors', target: 'cache-db', replicas: { kind: 'index', index: 1 }, at: 160, for: 20, rate: 1 },
      ],
    });

  it("conserves every request, and the breakers (a call's and a client's), pool, cache, fallbacks, autoscaler, outlier detection, health checks, rate limits, hedges and series per replica all act", () => {
    const r = runScenario(everything(5));
    expect(r.conservation.every((c) => c.ok)).toBe(true);
    // The pause of cache-db (130 s to 133 s) fails its checks and takes its replicas out.
    expect(total(r, 'cache-db.healthChecks.failed')).toBeGreaterThan(0);
    expect(Math.min(...values(r, 'cache-db.healthy'))).toBeLessThan(2);
    expect(total(r, 'batch.rateLimited')).toBeGreaterThan(0);
    expect(peak(r, 'batch.rateLimit.waiting')).toBeLessThanOrEqual(5);
    expect(total(r, 'api->db.rateLimited')).toBeGreaterThan(0);
    expect(peak(r, 'api->db.rateLimit.waiting')).toBeGreaterThan(0);
    expect(total(r, 'api->db.fallbacks') + total(r, 'api->cache-db.fallbacks')).toBeGreaterThan(0);
    expect(total(r, 'web.degraded')).toBeGreaterThan(0);
    expect(total(r, 'web.degraded')).toBeLessThanOrEqual(total(r, 'web.goodput'));
    expect(total(r, 'api->db.shortCircuited') + total(r, 'api->cache-db.cache.coalesced')).toBeGreaterThan(0);
    expect(total(r, 'batch.shortCircuited')).toBeGreaterThan(0);
    // Every replica api's autoscaler can have is recorded, and their errors add up to api's.
    const replicaErrors = r.series.series.filter((s) => /^api\[\d+\]\.errors$/.test(s.name));
    expect(replicaErrors.length).toBe(8);
    expect(replicaErrors.reduce((a, s) => a + total(r, s.name), 0)).toBe(total(r, 'api.errors'));
    expect(total(r, 'api->cache-db.cache.hits')).toBeGreaterThan(0);
    expect(total(r, 'cache-db.outlier.ejections')).toBeGreaterThan(0);
    expect(total(r, 'api->cache-db#2.hedges')).toBeGreaterThan(0);
    expect(total(r, 'api->cache-db#2.hedgeWins')).toBeGreaterThan(0);
    expect(peak(r, 'api->db.pool.inUse')).toBeLessThanOrEqual(8 * 8);
    expect(Math.max(...values(r, 'api.desired'))).toBeGreaterThan(2);
    // The database's errors fail deliveries: the broker gives them back after the delay, and some reach the dead-letter queue.
    expect(total(r, 'jobs.redelivered')).toBeGreaterThan(0);
    expect(total(r, 'jobs.acked')).toBeGreaterThan(0.9 * total(r, 'jobs.published'));
  });

  it('is deterministic with everything switched on', () => {
    const print = (seed: number) =>
      JSON.stringify(
        runScenario(everything(seed)).series.series.map((s) =>
          s.kind === 'latency' ? s.buckets.map((h) => h.sum) : s.kind === 'rate' ? [...s.values] : [...s.mean],
        ),
      );
    expect(print(5)).toBe(print(5));
    expect(print(5)).not.toBe(print(6));
  });
});
