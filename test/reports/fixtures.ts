/**
 * Hand-built runs and scenarios for the report tests: a client `users` calling
 * `gateway`, which calls `db` (with timeout, retry without backoff, breaker,
 * pool and cache) and `auth` (no timeout, no breaker), with a latency fault
 * on db and a cache flush. Series values are simple functions of time so that
 * tests can state what a chart must show.
 */
import { LogHistogram } from '../../sim/metrics/histogram.js';
import type { LatencySeries, RateSeries, RunSeries, Series, StockSeries } from '../../sim/metrics/series.js';
import type { Call, Client, Fault, NormalizedScenario, Service } from '../../sim/scenario/types.js';
import { call, service as buildService } from '../helpers/build.js';

const service = (name: string, calls: Call[] = []): Service =>
  buildService(name, { instances: 2, workers: 8, serviceTime: { dist: 'exponential', mean: 0.005 }, calls });

const users: Client = {
  name: 'users',
  target: 'gateway',
  arrival: { kind: 'poisson', rate: { kind: 'steps', steps: [{ at: 0, rate: 100 }] } },
  timeout: 1,
  network: null,
  rateLimit: null,
  retry: {
    attempts: 3,
    backoff: { kind: 'exponential', base: 0.1, cap: 10 },
    jitter: 'full',
    on: ['timeout', 'error', 'rejected'],
    budget: { ratio: 0.1, minPerSecond: 10, window: 10 },
  },
  breaker: null,
};

/** The latency fault on db (20 s to 30 s) and the cache flush at 40 s. */
export const FAULTS: readonly Fault[] = [
  { kind: 'latency', target: 'db', at: 20, for: 10, add: 0.2, multiply: 1 },
  { kind: 'cacheFlush', target: 'gateway->db', at: 40, for: 0 },
];

/** The scenario: users → gateway → {db, auth}; `faults` defaults to {@link FAULTS}. */
export function makeScenario(faults: readonly Fault[] = FAULTS): NormalizedScenario {
  const db = call('db', {
    timeout: 0.5,
    retry: { attempts: 2, backoff: { kind: 'none' }, jitter: 'none', on: ['timeout'], budget: null },
    pool: { size: 20, acquireTimeout: 0.1 },
    breaker: {
      failureRate: 0.5,
      slowCall: { over: 0.4, rate: 1 },
      window: { kind: 'count', size: 100 },
      minCalls: 20,
      openFor: 5,
      halfOpenCalls: 5,
    },
    cache: {
      keys: 100000,
      popularity: { kind: 'zipf', exponent: 1 },
      ttl: 60,
      ttlJitter: 0,
      hitTime: 0.001,
      coalesce: false,
      staleWhileRevalidate: false,
      capacity: Infinity,
      eviction: 'lru',
    },
  });
  return {
    name: 'fixture-storm',
    description: 'A latency spike in db.\n\nThe gateway retries <at once> & without backoff.',
    seed: 7,
    duration: 60,
    warmup: 5,
    sample: 1,
    clients: [users],
    services: [service('gateway', [db, call('auth', { probability: 0.5 })]), service('db'), service('auth')],
    brokers: [],
    faults,
    expect: [],
  };
}

const BUCKETS = 60;
const times = (f: (t: number) => number): Float64Array => Float64Array.from({ length: BUCKETS }, (_, i) => f(i + 0.5));

/** A rate series with per-bucket values f(midpoint). */
export const rate = (name: string, f: (t: number) => number): RateSeries => {
  const values = times(f);
  return { kind: 'rate', name, values, total: values.reduce((a, b) => a + b, 0) };
};

/** A stock series with per-bucket means f(midpoint) and peaks 1.5 × that. */
export const stock = (name: string, f: (t: number) => number): StockSeries => {
  const mean = times(f);
  return { kind: 'stock', name, mean, max: mean.map((v) => v * 1.5), last: mean[BUCKETS - 1] ?? 0 };
};

/** A latency series with, per bucket, the durations `f(midpoint)` (an empty list leaves the bucket empty). */
export const latency = (name: string, f: (t: number) => readonly number[]): LatencySeries => ({
  kind: 'latency',
  name,
  buckets: Array.from({ length: BUCKETS }, (_, i) => {
    const h = new LogHistogram();
    for (const x of f(i + 0.5)) h.record(x);
    return h;
  }),
});

const inFault = (t: number): boolean => t >= 20 && t < 30;

/** The series of a metastable-looking run; `extra` adds or replaces series by name. */
export function makeRun(extra: readonly Series[] = []): RunSeries {
  const series: Series[] = [
    rate('users.offered', () => 100),
    rate('users.attempts', (t) => (t < 20 ? 100 : 250)),
    rate('users.retries', (t) => (t < 20 ? 0 : 150)),
    rate('users.goodput', (t) => (t < 20 ? 100 : 20)),
    latency('users.latency', (t) => (t < 20 ? [0.01, 0.02, 0.03] : [0.5, 0.9])),
    rate('gateway.arrivals', (t) => (t < 20 ? 100 : 250)),
    rate('gateway.completed', (t) => (t < 20 ? 100 : 80)),
    stock('gateway.queue', (t) => (t < 20 ? 1 : 10 * (t - 19))),
    stock('gateway.inflight', (t) => (t < 20 ? 3 : 10 * (t - 19) + 16)),
    stock('gateway.utilization', (t) => (t < 20 ? 0.3 : 1)),
    stock('gateway.instances', () => 2),
    latency('gateway.latency', (t) => (t < 20 ? [0.005, 0.006] : [0.4])),
    stock('db.queue', (t) => (inFault(t) ? 5 : 0)),
    stock('db.utilization', (t) => (inFault(t) ? 0.9 : 0.2)),
    latency('db.latency', (t) => (inFault(t) ? [0.204] : t > 50 ? [] : [0.004])),
    stock('auth.queue', () => 0),
    rate('gateway->db.calls', () => 100),
    stock('gateway->db.breaker', (t) => (inFault(t) ? 1 : 0)),
    stock('gateway->db.pool.inUse', (t) => (inFault(t) ? 20 : 2)),
    stock('gateway->db.pool.waiting', (t) => (inFault(t) ? 30 : 0)),
    rate('gateway->db.cache.hits', (t) => (t >= 40 && t < 45 ? 10 : 90)),
    rate('gateway->db.cache.misses', (t) => (t >= 40 && t < 45 ? 90 : 10)),
  ];
  const replaced = series.filter((s) => !extra.some((e) => e.name === s.name));
  return { sample: 1, buckets: BUCKETS, duration: 60, series: [...replaced, ...extra] };
}
