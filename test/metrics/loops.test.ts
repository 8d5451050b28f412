/**
 * Loop analysis: which loops a structure has, each gain's formula on small
 * hand-built series, the dominant loop, and verdict.loop. The library's own
 * loops are checked on the golden summaries (test/golden), which
 * test/golden/golden.test.ts keeps equal to fresh runs.
 */
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { buildLoops } from '../../sim/metrics/loop-structure.js';
import { reduceLoopEntries, reduceVerdictLoop } from '../../sim/metrics/loop-summary.js';
import { reduceLoops, type LoopAnalysis } from '../../sim/metrics/loops.js';
import type { Summary } from '../../sim/metrics/summary.js';
import type { Cache, Fault, NormalizedScenario, Service } from '../../sim/scenario/types.js';
import { broker, call, poissonClient, retry, scenario, service } from '../helpers/build.js';
import { makeRun, rate, stock } from './fixtures.js';

const cache: Cache = {
  keys: 100,
  popularity: { kind: 'uniform' },
  ttl: 60,
  ttlJitter: 0,
  hitTime: 0.001,
  coalesce: false,
  staleWhileRevalidate: false,
  capacity: Infinity,
  eviction: 'lru',
};
const flush = (at: number, target: string): Fault => ({ kind: 'cacheFlush', target, at, for: 0 });

/** A service's series over the buckets: arrivals, completions, errors, utilization, busy, and the rest at 0. */
function svc(
  name: string,
  b: {
    arrivals: number[];
    completed: number[];
    utilization?: number[];
    busy?: number[];
    wasted?: number[];
    duplicates?: number[];
    ready?: number[];
  },
) {
  const zero = b.arrivals.map(() => 0);
  return [
    rate(`${name}.arrivals`, b.arrivals),
    rate(`${name}.completed`, b.completed),
    rate(`${name}.errors`, zero),
    rate(`${name}.wasted`, b.wasted ?? zero),
    rate(`${name}.duplicates`, b.duplicates ?? zero),
    stock(`${name}.busy`, b.busy ?? zero),
    stock(`${name}.ready`, b.ready ?? b.arrivals.map(() => 1)),
    ...(b.utilization === undefined ? [] : [stock(`${name}.utilization`, b.utilization)]),
  ];
}

function loop(a: LoopAnalysis, id: string) {
  const t = a.loops.find((l) => l.spec.id === id);
  if (t === undefined) throw new Error(`no loop ${id}: ${a.loops.map((l) => l.spec.id).join(', ')}`);
  return t;
}

const retryScenario = (api: Partial<Service>): NormalizedScenario =>
  scenario({
    duration: 2,
    clients: [poissonClient('users', 'api', 100, { timeout: 1, retry: retry(3, { on: ['timeout'] }) })],
    services: [service('api', { workers: 10, ...api })],
  });

describe('the loops of a structure', () => {
  it('has a retry loop only where the policy can be triggered', () => {
    const noTimeout = scenario({
      clients: [poissonClient('users', 'api', 100, { retry: retry(3, { on: ['timeout', 'error'] }) })],
      services: [service('api')],
    });
    expect(buildLoops(noTimeout).map((l) => l.id)).toEqual([]);
    const erring = scenario({ ...noTimeout, services: [service('api', { errorRate: 0.01 })] });
    expect(buildLoops(erring).map((l) => l.id)).toEqual(['retry:users->api']);
  });

  it('has no retry loop on errors through a call that absorbs its failure (fallback or optional): the caller cannot fail by it', () => {
    const through = (over: Partial<ReturnType<typeof call>>): NormalizedScenario =>
      scenario({
        clients: [poissonClient('users', 'api', 100, { retry: retry(3, { on: ['error'] }) })],
        services: [service('api', { calls: [call('db', over)] }), service('db', { errorRate: 0.01 })],
      });
    expect(buildLoops(through({})).map((l) => l.id)).toEqual(['retry:users->api']);
    expect(buildLoops(through({ optional: true })).map((l) => l.id)).toEqual([]);
    expect(buildLoops(through({ fallback: { serviceTime: { dist: 'constant', value: 0 }, degraded: true } })).map((l) => l.id)).toEqual([]);
  });

  it('has a retry loop on rejections through a rate limit that refuses (a 429), not through one whose line has no bound', () => {
    const limited = (queue: number): NormalizedScenario =>
      scenario({
        clients: [poissonClient('users', 'api', 100, { retry: retry(3, { on: ['rejected'] }) })],
        services: [service('api', { rateLimit: { rate: 50, burst: 10, fillInterval: null, queue } })],
      });
    expect(buildLoops(limited(0)).map((l) => l.id)).toEqual(['retry:users->api']);
    expect(buildLoops(limited(20)).map((l) => l.id)).toEqual(['retry:users->api']);
    expect(buildLoops(limited(Infinity)).map((l) => l.id)).toEqual([]);
  });

  it('adds redelivery on a client that resends on timeout to a callee that keeps expired work, and abandoned work wherever a caller times out', () => {
    expect(buildLoops(retryScenario({})).map((l) => l.id)).toEqual([
      'retry:users->api',
      'redelivery:users->api',
      'abandoned-work:users->api',
    ]);
    expect(buildLoops(retryScenario({ dropExpired: true })).map((l) => l.id)).toEqual(['retry:users->api', 'abandoned-work:users->api']);
  });

  it('finds cache, pool and breaker loops on edges, degradation and autoscaler loops on services, with their polarity and delays', () => {
    const s = scenario({
      clients: [poissonClient('users', 'app', 10)],
      services: [
        service('app', {
          calls: [
            call('db', {
              cache,
              pool: { size: 4, acquireTimeout: null },
              breaker: { failureRate: 0.5, slowCall: null, window: { kind: 'count', size: 10 }, minCalls: 5, openFor: 5, halfOpenCalls: 2 },
            }),
          ],
          autoscale: {
            metric: 'utilization',
            target: 0.6,
            period: 15,
            lag: 90,
            tolerance: 0.1,
            min: 1,
            max: 9,
            warmup: 60,
            scaleDownStabilization: 0,
          },
        }),
        service('db', { degradation: { kind: 'threshold', above: 10, slowdown: 3 } }),
      ],
    });
    const loops = buildLoops(s);
    expect(loops.map((l) => [l.id, l.polarity, l.depth])).toEqual([
      ['cache-refill:app->db', 'reinforcing', 2],
      ['pool:app->db', 'reinforcing', 1.5],
      ['breaker:app->db', 'balancing', 2],
      ['autoscaler:app', 'balancing', 1],
      ['degradation:db', 'reinforcing', 2],
    ]);
    expect(loops.find((l) => l.name === 'autoscaler')?.delays).toEqual({ lag: 90, warmup: 60 });
    expect(loops.find((l) => l.name === 'pool')?.path).toEqual(['app', 'app->db.pool', 'db']);
  });
});

describe('gains', () => {
  it('retry: the callee’s pressure (arrivals / capacity at full utilization), its multiplier attempts per first attempt', () => {
    const s = retryScenario({ dropExpired: true });
    const run = makeRun(1, 2, [
      rate('users.offered', [100, 100]),
      rate('users.attempts', [100, 300]),
      ...svc('api', { arrivals: [100, 300], completed: [100, 100], utilization: [0.5, 1], busy: [5, 10] }),
    ]);
    const t = loop(reduceLoops(run, s), 'retry:users->api');
    expect([...t.multiplier]).toEqual([1, 3]);
    expect([...t.gain]).toEqual([0.5, 3]); // 100 / (100 / 0.5), then 300 / 100
    expect([...t.active]).toEqual([0, 1]);
  });

  it('retry through a refusing rate limit: the requests it refused take no worker, so they leave the pressure', () => {
    const s = retryScenario({ dropExpired: true, rateLimit: { rate: 100, burst: 10, fillInterval: null, queue: 0 } });
    const run = makeRun(1, 2, [
      rate('users.offered', [100, 100]),
      rate('users.attempts', [100, 300]),
      rate('api.rateLimited', [0, 200]),
      ...svc('api', { arrivals: [100, 300], completed: [100, 100], utilization: [0.5, 0.5], busy: [5, 5] }),
    ]);
    const t = loop(reduceLoops(run, s), 'retry:users->api');
    expect([...t.multiplier]).toEqual([1, 3]);
    // (100 - 0) / (100 / 0.5), then (300 - 200) / (100 / 0.5): the retries the limit refused add nothing.
    expect([...t.gain]).toEqual([0.5, 0.5]);
    expect([...t.demand]).toEqual([100, 100]);
    expect([...t.active]).toEqual([0, 1]);
  });

  it('retry from a client with its own rate limit: the attempts it refused never left it, so they are not in the multiplier', () => {
    const limited = retryScenario({ dropExpired: true });
    const s = {
      ...limited,
      clients: limited.clients.map((c) => ({ ...c, rateLimit: { rate: 150, burst: 10, fillInterval: null, queue: 0 } })),
    };
    const run = makeRun(1, 2, [
      rate('users.offered', [100, 100]),
      rate('users.attempts', [100, 300]),
      rate('users.rateLimited', [0, 150]),
      ...svc('api', { arrivals: [100, 150], completed: [100, 100], utilization: [0.5, 1], busy: [5, 10] }),
    ]);
    const t = loop(reduceLoops(run, s), 'retry:users->api');
    // (300 - 150) / 100 attempts per operation left the client in the second bucket, not 300 / 100.
    expect([...t.multiplier]).toEqual([1, 1.5]);
  });

  it('retry through a concurrency limit and a rate limit: what either refused leaves the pressure', () => {
    const concurrencyLimit = { kind: 'aimd', initial: 20, min: 20, max: 200, backoff: 0.9, timeout: 5 } as const;
    const s = retryScenario({ dropExpired: true, concurrencyLimit, rateLimit: { rate: 100, burst: 10, fillInterval: null, queue: 0 } });
    const run = makeRun(1, 2, [
      rate('users.offered', [100, 100]),
      rate('users.attempts', [100, 300]),
      rate('api.concurrencyLimited', [0, 120]),
      rate('api.rateLimited', [0, 80]),
      ...svc('api', { arrivals: [100, 300], completed: [100, 100], utilization: [0.5, 0.5], busy: [5, 5] }),
    ]);
    const t = loop(reduceLoops(run, s), 'retry:users->api');
    // (300 - 120 - 80) / (100 / 0.5): neither gate's refusals reach a worker.
    expect([...t.gain]).toEqual([0.5, 0.5]);
    expect([...t.demand]).toEqual([100, 100]);
  });

  it('crash: a service with crashWhen has a reinforcing crash loop; its multiplier is replicas over those still up', () => {
    const s = scenario({
      duration: 3,
      clients: [poissonClient('users', 'api', 100)],
      services: [service('api', { instances: 4, crashWhen: { measure: 'inflight', above: 50, sustained: 5, for: 30 } })],
    });
    const spec = buildLoops(s).find((l) => l.id === 'crash:api');
    expect(spec?.polarity).toBe('reinforcing');
    expect(spec?.delays).toEqual({ sustained: 5, restart: 30 });
    const run = makeRun(1, 3, [
      ...svc('api', { arrivals: [100, 100, 100], completed: [100, 50, 25], utilization: [0.5, 1, 1], busy: [5, 10, 10], ready: [4, 4, 4] }),
      stock('api.crash.down', [0, 2, 3]),
    ]);
    const t = loop(reduceLoops(run, s), 'crash:api');
    // 4 replicas, 2 then 3 down: each survivor carries 2 and then 4 times its share.
    expect([...t.multiplier]).toEqual([1, 2, 4]);
    expect([...t.active]).toEqual([0, 1, 1]);
  });

  it('health-check: a service with a health check has a reinforcing loop; its multiplier is replicas running over those kept in rotation', () => {
    const s = scenario({
      duration: 3,
      clients: [poissonClient('users', 'api', 100)],
      services: [service('api', { instances: 4, healthCheck: { interval: 2, timeout: 0.5, unhealthyThreshold: 3, healthyThreshold: 1 } })],
    });
    const spec = buildLoops(s).find((l) => l.id === 'health-check:api');
    expect(spec?.polarity).toBe('reinforcing');
    expect(spec?.delays).toEqual({ interval: 2, timeout: 0.5 });
    const run = makeRun(1, 3, [
      ...svc('api', {
        arrivals: [100, 100, 100],
        completed: [100, 100, 100],
        utilization: [0.5, 1, 1],
        busy: [5, 10, 10],
        ready: [4, 2, 1],
      }),
      stock('api.instances', [4, 4, 4]),
      stock('api.healthy', [4, 2, 1]),
    ]);
    const t = loop(reduceLoops(run, s), 'health-check:api');
    // 4 replicas, 2 then 3 out: each one kept carries 2 and then 4 times its share.
    expect([...t.multiplier]).toEqual([1, 2, 4]);
    expect([...t.active]).toEqual([0, 1, 1]);
  });

  it('retry and redelivery on one edge split the pressure: resends of completed work (duplicates) go to redelivery', () => {
    const run = makeRun(1, 1, [
      rate('users.offered', [100]),
      rate('users.attempts', [300]),
      ...svc('api', { arrivals: [300], completed: [100], utilization: [1], busy: [10], duplicates: [100] }),
    ]);
    const a = reduceLoops(run, retryScenario({}));
    // 200 retries, 100 of them redo completed work: redelivery × (100 + 100) / 100 = 2, retry × 300 / 200 = 1.5.
    expect(loop(a, 'redelivery:users->api').multiplier[0]).toBe(2);
    expect(loop(a, 'retry:users->api').multiplier[0]).toBe(1.5);
    // Pressure 3 = 2 × 1.5: each gain is what the pressure would be with that loop alone.
    expect(loop(a, 'redelivery:users->api').gain[0]).toBeCloseTo(2, 12);
    expect(loop(a, 'retry:users->api').gain[0]).toBeCloseTo(1.5, 12);
  });

  it('a broker has a redelivery loop through its delivery edge: (first receives + copies completed) / first receives', () => {
    const s = scenario({
      duration: 1,
      clients: [poissonClient('producer', 'jobs', 100)],
      services: [service('worker')],
      brokers: [broker('jobs', 'worker', 10, { visibilityTimeout: 2 })],
    });
    const spec = buildLoops(s).find((l) => l.id === 'redelivery:jobs->worker');
    expect(spec).toMatchObject({
      name: 'redelivery',
      polarity: 'reinforcing',
      path: ['jobs', 'jobs->worker', 'worker'],
      clients: ['producer'],
      delays: { visibilityTimeout: 2 },
    });
    const run = makeRun(1, 1, [
      rate('jobs.received', [150]),
      rate('jobs.redelivered', [50]),
      ...svc('worker', { arrivals: [150], completed: [150], utilization: [1], busy: [1], duplicates: [40] }),
    ]);
    // 100 first receives; 50 redeliveries, of which 40 were completed twice: × (100 + 40) / 100.
    const t = loop(reduceLoops(run, s), 'redelivery:jobs->worker');
    expect(t.multiplier[0]).toBeCloseTo(1.4, 12);
    expect(t.active[0]).toBe(1);
  });

  it('cache-refill: miss ratio against the reference, times attempts per miss; the edge’s retries count inside it', () => {
    const s = scenario({
      duration: 4,
      clients: [poissonClient('users', 'app', 100)],
      services: [
        service('app', { workers: 100, calls: [call('db', { cache, timeout: 0.5, retry: retry(2) })] }),
        service('db', { workers: 10 }),
      ],
      faults: [flush(2, 'app->db')],
    });
    const run = makeRun(1, 4, [
      rate('app->db.cache.hits', [97, 97, 0, 0]),
      rate('app->db.cache.misses', [3, 3, 100, 100]),
      rate('app->db.cache.coalesced', [0, 0, 0, 0]),
      rate('app->db.calls', [3, 3, 200, 200]),
      rate('app->db.retries', [0, 0, 100, 100]),
      ...svc('db', { arrivals: [3, 3, 200, 200], completed: [3, 3, 100, 100], utilization: [0.03, 0.03, 1, 1], busy: [0.3, 0.3, 10, 10] }),
    ]);
    const a = reduceLoops(run, s);
    const c = loop(a, 'cache-refill:app->db');
    expect(c.multiplier[2]).toBeCloseTo((1 / 0.03) * 2, 9);
    expect(c.gain[2]).toBeCloseTo(2, 9); // db: 200 / 100
    expect(loop(a, 'retry:app->db').gain[2]).toBeCloseTo((2 * 2) / ((1 / 0.03) * 2), 9);
    expect([...c.active]).toEqual([0, 0, 1, 1]);
  });

  it('degradation: slowdown is worker time per served request against the reference; gain the pressure', () => {
    const s = scenario({
      duration: 3,
      clients: [poissonClient('users', 'api', 900)],
      services: [service('api', { workers: 32, degradation: { kind: 'threshold', above: 200, slowdown: 3 } })],
      faults: [{ kind: 'traffic', target: 'users', at: 1, for: 1, multiply: 1.6 }],
    });
    const run = makeRun(1, 3, [
      ...svc('api', { arrivals: [900, 1440, 900], completed: [900, 600, 450], utilization: [0.75, 1, 1], busy: [24, 32, 32] }),
    ]);
    const t = loop(reduceLoops(run, s), 'degradation:api');
    expect(t.multiplier[2]).toBeCloseTo(32 / 450 / (24 / 900), 9);
    expect(t.gain[2]).toBeCloseTo(2, 9); // 900 / 450
    expect([...t.active]).toEqual([0, 1, 1]);
  });

  it('pool: calls wanting a connection against what the connections carry (calls per connection in use × connections)', () => {
    const s = scenario({
      duration: 1,
      clients: [poissonClient('users', 'orders', 800)],
      services: [
        service('orders', {
          instances: 4,
          workers: 64,
          calls: [call('inventory', { probability: 0.4, pool: { size: 8, acquireTimeout: null } })],
        }),
        service('inventory', { workers: 40 }),
      ],
    });
    const run = makeRun(1, 1, [
      ...svc('orders', { arrivals: [2400], completed: [1700], utilization: [1], busy: [256], ready: [4] }),
      rate('orders->inventory.calls', [680]),
      rate('orders->inventory.retries', [0]),
      stock('orders->inventory.pool.inUse', [32]),
      stock('orders->inventory.pool.waiting', [200]),
    ]);
    const t = loop(reduceLoops(run, s), 'pool:orders->inventory');
    expect(t.gain[0]).toBeCloseTo(960 / 680, 12);
    expect(t.active[0]).toBe(1);
  });

  it('hedge: the callee’s pressure, its multiplier copies per call; active at 10% of the calls and 1.5 × the reference share', () => {
    const s = scenario({
      duration: 2,
      clients: [poissonClient('users', 'api', 100)],
      services: [
        service('api', { workers: 100, calls: [call('db', { hedge: { attempts: 3, delay: 0.05, nonFatal: [] } })] }),
        service('db', { workers: 10 }),
      ],
    });
    expect(buildLoops(s).map((l) => `${l.id} ${l.polarity}`)).toEqual(['hedge:api->db reinforcing']);
    const run = makeRun(1, 3, [
      rate('api->db.calls', [100, 250, 120]),
      rate('api->db.hedges', [20, 150, 25]),
      ...svc('api', { arrivals: [100, 100, 100], completed: [100, 100, 100] }),
      ...svc('db', { arrivals: [100, 250, 120], completed: [100, 100, 120], utilization: [0.5, 1, 0.6], busy: [5, 10, 6] }),
    ]);
    const t = loop(reduceLoops(run, s), 'hedge:api->db');
    expect([...t.multiplier].slice(0, 2)).toEqual([1.25, 2.5]);
    expect(t.gain[1]).toBe(2.5); // 250 / 100
    // The reference (the first bucket, without faults) hedges 20% of its calls: 60% is active, 21% is not.
    expect([...t.active]).toEqual([0, 1, 0]);
  });

  it('abandoned work: wasted responses as a share of the callee’s capacity, at most 1', () => {
    const run = makeRun(1, 2, [
      rate('users.offered', [100, 100]),
      rate('users.attempts', [100, 100]),
      ...svc('api', { arrivals: [400, 400], completed: [400, 400], utilization: [1, 1], busy: [10, 10], wasted: [100, 400] }),
    ]);
    const t = loop(reduceLoops(run, retryScenario({ dropExpired: true })), 'abandoned-work:users->api');
    expect([...t.gain]).toEqual([0.25, 1]);
  });

  it('breaker (balancing): the load a closed breaker would let through against the callee’s capacity', () => {
    const s = scenario({
      duration: 1,
      clients: [poissonClient('users', 'app', 10)],
      services: [
        service('app', {
          calls: [
            call('db', {
              breaker: { failureRate: 0.5, slowCall: null, window: { kind: 'count', size: 10 }, minCalls: 5, openFor: 5, halfOpenCalls: 2 },
            }),
          ],
        }),
        service('db', { workers: 10 }),
      ],
    });
    const run = makeRun(1, 1, [
      rate('app->db.calls', [100]),
      rate('app->db.shortCircuited', [300]),
      stock('app->db.breaker', [0.5]),
      ...svc('db', { arrivals: [100], completed: [200], utilization: [1], busy: [10] }),
    ]);
    const t = loop(reduceLoops(run, s), 'breaker:app->db');
    expect(t.gain[0]).toBe(2);
    expect(t.active[0]).toBe(1);
  });

  it("breaker on a client (balancing): its attempts, short-circuited ones included, against the target's capacity", () => {
    const s = scenario({
      duration: 1,
      clients: [
        poissonClient('users', 'db', 10, {
          retry: retry(3),
          breaker: { failureRate: 0.5, slowCall: null, window: { kind: 'count', size: 10 }, minCalls: 5, openFor: 5, halfOpenCalls: 2 },
        }),
      ],
      services: [service('db', { workers: 10, errorRate: 0.5 })],
    });
    expect(buildLoops(s).map((l) => [l.id, l.polarity, l.path])).toEqual([
      ['retry:users->db', 'reinforcing', ['users', 'users->db', 'db']],
      ['breaker:users->db', 'balancing', ['users', 'users->db.breaker', 'db']],
    ]);
    const run = makeRun(1, 1, [
      rate('users.offered', [100]),
      rate('users.attempts', [400]),
      rate('users.shortCircuited', [300]),
      stock('users.breaker', [1]),
      ...svc('db', { arrivals: [100], completed: [200], utilization: [1], busy: [10] }),
    ]);
    const a = reduceLoops(run, s);
    const t = loop(a, 'breaker:users->db');
    // 400 attempts a closed breaker would send, against db's 200/s.
    expect(t.gain[0]).toBe(2);
    expect(t.active[0]).toBe(1);
    // The retry loop counts only the attempts that reached db: 100 per 100 operations, no amplification.
    expect(loop(a, 'retry:users->db').multiplier[0]).toBe(1);
  });

  it('autoscaler (balancing): how far the replicas asked for are from those the load needs, relative to the need', () => {
    const s = scenario({
      duration: 2,
      clients: [poissonClient('users', 'web', 600)],
      services: [
        service('web', {
          workers: 10,
          autoscale: {
            metric: 'utilization',
            target: 0.6,
            period: 15,
            lag: 90,
            tolerance: 0.1,
            min: 3,
            max: 40,
            warmup: 60,
            scaleDownStabilization: 0,
          },
        }),
      ],
      faults: [{ kind: 'traffic', target: 'users', at: 1, for: 1, multiply: 1.6 }],
    });
    const run = makeRun(1, 2, [
      ...svc('web', { arrivals: [600, 960], completed: [600, 960], utilization: [0.6, 0.96], busy: [30, 48], ready: [5, 5] }),
      stock('web.desired', [5, 24]),
    ]);
    const t = loop(reduceLoops(run, s), 'autoscaler:web');
    // Need: arrivals × 0.05 s per request / (10 workers × 0.6) = 5, then 8.
    expect(t.gain[0]).toBeCloseTo(0, 12);
    expect(t.gain[1]).toBeCloseTo((24 - 8) / 8, 12);
    expect([...t.active]).toEqual([0, 1]);
  });
});

describe('the dominant loop', () => {
  // users -> front -> back, retries on both edges; back is the deeper bottleneck.
  const s = scenario({
    duration: 12,
    warmup: 0,
    clients: [poissonClient('users', 'front', 100, { timeout: 1, retry: retry(3, { on: ['timeout'] }) })],
    services: [
      service('front', { workers: 100, dropExpired: true, calls: [call('back', { timeout: 0.3, retry: retry(3) })] }),
      service('back', { workers: 10, dropExpired: true }),
    ],
    faults: [{ kind: 'latency', target: 'back', at: 1, for: 1, add: 0.2, multiply: 1 }],
  });
  const n = 12;
  const fill = (v: number, first = v): number[] => [first, ...Array.from({ length: n - 1 }, () => v)];
  const run = makeRun(1, n, [
    rate('users.offered', fill(100)),
    rate('users.attempts', fill(200, 100)),
    ...svc('front', { arrivals: fill(200, 100), completed: fill(150, 100), utilization: fill(1, 0.2), busy: fill(100, 20) }),
    rate('front->back.calls', fill(600, 100)),
    rate('front->back.retries', fill(400, 0)),
    ...svc('back', { arrivals: fill(600, 100), completed: fill(200, 100), utilization: fill(1, 0.5), busy: fill(10, 5) }),
  ]);
  const a = reduceLoops(run, s);

  it('is the loop at the deepest saturated bottleneck, and none where nothing is active', () => {
    expect(a.dominant[0]).toBe(-1);
    expect(a.loops[a.dominant[5]!]!.spec.id).toBe('retry:front->back');
  });

  it('becomes verdict.loop over the last hold of a run that is not back, with the figures of its sentence', () => {
    const v = reduceVerdictLoop(run, s, a, { kind: 'metastable', recoverySeconds: null, faultsEnd: 2 });
    expect(v).toMatchObject({
      name: 'retry',
      polarity: 'reinforcing',
      path: ['front', 'front->back', 'back'],
      gain: 3,
      demand: 600,
      served: 200,
      attemptsPerOperation: 6,
      window: { from: 2, to: 12 },
    });
    expect(reduceVerdictLoop(run, s, a, { kind: 'recovered', recoverySeconds: 0, faultsEnd: 2 })).toBeNull();
  });

  it('gives each loop its mean gain and active share before, during and after the faults', () => {
    const e = reduceLoopEntries(run, s, a).find((l) => l.id === 'retry:front->back');
    expect(e?.gain).toEqual({ before: 0.5, during: 3, after: 3 });
    expect(e?.active).toEqual({ before: 0, during: 1, after: 1 });
  });
});

describe('the library’s loops (golden summaries)', () => {
  const dir = join(import.meta.dirname, '..', 'golden');
  const read = (name: string): Summary => JSON.parse(readFileSync(join(dir, `${name}.summary.json`), 'utf8')) as Summary;

  it.each([
    ['retry-storm', ['retry']],
    ['cache-stampede', ['cache-refill']],
    ['cache-thrash', ['cache-refill']],
    ['gc-death-spiral', ['degradation']],
    ['connection-pool-exhaustion', ['pool', 'retry']],
    ['webhook-queue-buildup', ['redelivery']],
    ['broker-backlog', ['redelivery']],
    ['layered-retries', ['retry']],
    ['traffic-surge', ['redelivery', 'retry']],
    ['push-burst', ['redelivery']],
    ['canary', ['retry']],
    ['sdk-retries', ['redelivery']],
    ['hedge-storm', ['hedge']],
  ])('%s: the verdict names the %s loop, which sustains itself (gain ≥ 1)', (name, loops) => {
    const v = read(name).verdict;
    expect(loops).toContain(v.loop?.name);
    expect(v.loop?.polarity).toBe('reinforcing');
    expect(v.loop?.gain).toBeGreaterThanOrEqual(1);
  });

  it('canary: the attempts are counted per operation the route sends to the canary, a tenth of them', () => {
    const v = read('canary').verdict;
    expect(v.loop?.routedShare).toBe(0.1);
    // Three tries for every view routed there, all of them timing out.
    expect(v.loop?.attemptsPerOperation).toBeGreaterThan(2.5);
    expect(v.loop?.attemptsPerOperation).toBeLessThanOrEqual(3);
    expect(read('retry-storm').verdict.loop).not.toHaveProperty('routedShare');
  });

  it('sinkhole: the verdict names no loop; its damage lasts exactly as long as the crash', () => {
    const v = read('sinkhole').verdict;
    expect(v.kind).toBe('recovered');
    expect(v.loop ?? null).toBeNull();
  });

  const fixed = readdirSync(dir)
    .filter((f) => f.endsWith('-fixed.summary.json'))
    .map((f) => f.replace('.summary.json', ''));
  it.each(fixed)('%s: no reinforcing loop sustains itself after the faults, or is active for more than a tenth of that time', (name) => {
    const s = read(name);
    for (const l of s.loops.filter((x) => x.polarity === 'reinforcing')) {
      expect(l.gain.after ?? 0, l.id).toBeLessThan(1);
      expect(l.active.after ?? 0, l.id).toBeLessThanOrEqual(0.1);
    }
    // Every fixed twin of the library has its golden here.
    expect(fixed.length).toBe(
      readdirSync(join(import.meta.dirname, '..', '..', 'scenarios')).filter((f) => f.endsWith('-fixed.yaml')).length,
    );
  });
});
