/**
 * Normalizers for the pieces that recur across a scenario: distributions,
 * rate profiles, retry policies and downstream calls. Each takes a piece of a
 * schema-valid document and returns its NormalizedScenario form (seconds,
 * fractions, explicit kinds, `null` for "none").
 */
import type { ScenarioDocument } from './schema.js';
import type {
  Arrival,
  Breaker,
  Call,
  ClientKeys,
  CrashTrigger,
  HealthCheck,
  Dist,
  KeyRange,
  OutlierDetection,
  RateLimit,
  RateProfile,
  RetryPolicy,
  RetryOn,
  Route,
} from './types.js';
import { Z_99, toFraction, toSeconds } from './units.js';

type ClientDoc = ScenarioDocument['clients'][string];
type CallDoc = ScenarioDocument['services'][string]['calls'][number];
type DistDoc = ScenarioDocument['services'][string]['serviceTime'];
type RetryDoc = NonNullable<ClientDoc['retry']>;
type BreakerDoc = NonNullable<ClientDoc['breaker']>;
type RateDoc = Extract<ClientDoc['arrival'], { rate: unknown }>['rate'];
type RateLimitDoc = NonNullable<ScenarioDocument['services'][string]['rateLimit']>;
type OutlierDoc = NonNullable<ScenarioDocument['services'][string]['outlierDetection']>;
type HealthCheckDoc = NonNullable<ScenarioDocument['services'][string]['healthCheck']>;
type CrashWhenDoc = NonNullable<ScenarioDocument['services'][string]['crashWhen']>;

/** A distribution in seconds; a plain duration becomes `constant`, a lognormal median/p99 becomes mu/sigma. */
export function normalizeDist(d: DistDoc): Dist {
  if (typeof d !== 'object') return { dist: 'constant', value: toSeconds(d) };
  switch (d.dist) {
    case 'constant':
      return { dist: 'constant', value: toSeconds(d.value) };
    case 'exponential':
      return { dist: 'exponential', mean: toSeconds(d.mean) };
    case 'uniform':
      return { dist: 'uniform', min: toSeconds(d.min), max: toSeconds(d.max) };
    case 'lognormal': {
      if (d.mu !== undefined && d.sigma !== undefined) return { dist: 'lognormal', mu: d.mu, sigma: d.sigma };
      // check-values.ts guarantees median and p99 here.
      const median = toSeconds(d.median ?? Number.NaN);
      const p99 = toSeconds(d.p99 ?? Number.NaN);
      return { dist: 'lognormal', mu: Math.log(median), sigma: Math.log(p99 / median) / Z_99 };
    }
    case 'erlang':
      return { dist: 'erlang', k: d.k, mean: toSeconds(d.mean) };
    case 'pareto':
      return { dist: 'pareto', scale: toSeconds(d.scale), shape: d.shape };
  }
}

/** An optional distribution; absent is `null`. */
export function normalizeOptionalDist(d: DistDoc | undefined): Dist | null {
  return d === undefined ? null : normalizeDist(d);
}

/** A rate profile: a number becomes one step at 0; steps are sorted and start at 0 (rate 0 before the first). */
export function normalizeRate(rate: RateDoc): RateProfile {
  if (typeof rate === 'number') return { kind: 'steps', steps: [{ at: 0, rate }] };
  if (!Array.isArray(rate)) return { kind: 'ramp', from: rate.from, to: rate.to, over: toSeconds(rate.over) };
  const steps = rate.map((s) => ({ at: toSeconds(s.at), rate: s.rate })).sort((a, b) => a.at - b.at);
  const first = steps[0];
  return { kind: 'steps', steps: first === undefined || first.at > 0 ? [{ at: 0, rate: 0 }, ...steps] : steps };
}

/** How a client produces operations. */
export function normalizeArrival(a: ClientDoc['arrival']): Arrival {
  return a.kind === 'closed'
    ? { kind: 'closed', users: a.users, think: normalizeDist(a.think) }
    : { kind: a.kind, rate: normalizeRate(a.rate) };
}

/** A retry policy; absent is `null`. `on` loses repeats and keeps the order written. */
export function normalizeRetry(r: RetryDoc | undefined): RetryPolicy | null {
  if (r === undefined) return null;
  const b = r.backoff;
  return {
    attempts: r.attempts,
    backoff:
      b.kind === 'none'
        ? { kind: 'none' }
        : b.kind === 'constant'
          ? { kind: 'constant', base: toSeconds(b.base) }
          : { kind: 'exponential', base: toSeconds(b.base), cap: toSeconds(b.cap) },
    jitter: r.jitter,
    on: [...new Set<RetryOn>(r.on)],
    budget: r.budget ? { ratio: r.budget.ratio, minPerSecond: r.budget.minPerSecond, window: toSeconds(r.budget.window) } : null,
  };
}

/** A circuit breaker (a call's or a client's) in seconds and fractions; absent is `null`. */
export function normalizeBreaker(b: BreakerDoc | undefined): Breaker | null {
  if (b === undefined) return null;
  return {
    failureRate: toFraction(b.failureRate),
    slowCall: b.slowCall ? { over: toSeconds(b.slowCall.over), rate: toFraction(b.slowCall.rate) } : null,
    window: b.window.kind === 'count' ? { kind: 'count', size: b.window.size } : { kind: 'time', size: toSeconds(b.window.size) },
    // resilience4j caps minimumNumberOfCalls at the size of a count-based window.
    minCalls: b.window.kind === 'count' ? Math.min(b.minCalls, b.window.size) : b.minCalls,
    openFor: toSeconds(b.openFor),
    halfOpenCalls: b.halfOpenCalls,
  };
}

/** A duration that may be absent; absent is `null`. */
export function optionalSeconds(d: string | number | undefined): number | null {
  return d === undefined ? null : toSeconds(d);
}

/** A call to `to` with no mechanism: always made, no timeout, network delay, retry, rate limit, pool, breaker, cache, fallback, route or hedge. */
export function bareCall(to: string): Call {
  return {
    to,
    probability: 1,
    timeout: null,
    network: null,
    retry: null,
    rateLimit: null,
    pool: null,
    breaker: null,
    cache: null,
    optional: false,
    fallback: null,
    route: null,
    hedge: null,
  };
}

/** One downstream call with its rate limit, pool, breaker and cache. */
export function normalizeCall(c: CallDoc): Call {
  const { pool, breaker: b, cache } = c;
  return {
    to: c.to,
    probability: toFraction(c.probability),
    timeout: optionalSeconds(c.timeout),
    network: normalizeOptionalDist(c.network),
    retry: normalizeRetry(c.retry),
    rateLimit: normalizeRateLimit(c.rateLimit),
    pool: pool ? { size: pool.size, acquireTimeout: optionalSeconds(pool.acquireTimeout) } : null,
    breaker: normalizeBreaker(b),
    cache: cache
      ? {
          keys: cache.keys,
          popularity: normalizePopularity(cache.popularity),
          ttl: cache.ttl === undefined ? Infinity : toSeconds(cache.ttl),
          ttlJitter: toFraction(cache.ttlJitter),
          hitTime: toSeconds(cache.hitTime),
          coalesce: cache.coalesce,
          staleWhileRevalidate: cache.staleWhileRevalidate,
          capacity: cache.capacity ?? Infinity,
          eviction: cache.eviction ?? 'lru',
        }
      : null,
    optional: c.optional,
    fallback: c.fallback ? { serviceTime: normalizeDist(c.fallback.serviceTime), degraded: c.fallback.degraded } : null,
    route: c.route ? normalizeRoute(c.route) : null,
    hedge: c.hedge
      ? { attempts: c.hedge.attempts, delay: toSeconds(c.hedge.delay), nonFatal: [...new Set<RetryOn>(c.hedge.nonFatal)] }
      : null,
  };
}

/** A call's route: by weight (default 1), or by key when it names its keys (the group's call without keys takes the rest). */
function normalizeRoute(r: NonNullable<CallDoc['route']>): Route {
  const base = { group: r.group, weight: r.weight ?? 1 };
  return r.keys === undefined ? base : { ...base, keys: normalizeKeyRange(r.keys) };
}

type PopularityDoc = NonNullable<CallDoc['cache']>['popularity'];

/** A key popularity as written: `uniform` or `{ zipf: s }`. */
function normalizePopularity(p: PopularityDoc): ClientKeys['popularity'] {
  return p === 'uniform' ? { kind: 'uniform' } : { kind: 'zipf', exponent: p.zipf };
}

/** A client's operation keys as written (`from` defaults to 0, popularity to uniform). */
export function normalizeClientKeys(k: NonNullable<ScenarioDocument['clients'][string]['keys']>): ClientKeys {
  return { from: k.from, to: k.to, popularity: normalizePopularity(k.popularity) };
}

/** A key range as written (`to` defaults to `from`). */
export function normalizeKeyRange(k: { readonly from: number; readonly to?: number | undefined }): KeyRange {
  return { from: k.from, to: k.to ?? k.from };
}

/** A token-bucket rate limit; absent is `null`, an unbounded waiting room `Infinity`. */
export function normalizeRateLimit(l: RateLimitDoc | undefined): RateLimit | null {
  if (l === undefined) return null;
  return {
    rate: l.rate,
    burst: l.burst,
    fillInterval: optionalSeconds(l.fillInterval),
    queue: l.queue === 'unlimited' ? Infinity : l.queue,
  };
}

/** Outlier detection in seconds and a fraction; absent is `null`. */
export function normalizeOutlierDetection(o: OutlierDoc | undefined): OutlierDetection | null {
  if (o === undefined) return null;
  return {
    consecutiveErrors: o.consecutiveErrors,
    interval: toSeconds(o.interval),
    baseEjectionTime: toSeconds(o.baseEjectionTime),
    maxEjectionPercent: toFraction(o.maxEjectionPercent),
    maxEjectionTime: toSeconds(o.maxEjectionTime),
  };
}

/** A crash trigger in seconds, its measure named; absent is `null` (the checks make sure one threshold is given). */
export function normalizeCrashWhen(c: CrashWhenDoc | undefined): CrashTrigger | null {
  if (c === undefined) return null;
  const measure = c.inflight !== undefined ? 'inflight' : 'queue';
  return { measure, above: c.inflight ?? c.queue ?? 0, sustained: toSeconds(c.sustained), for: toSeconds(c.for) };
}

/** Active health checking in seconds; absent is `null`. */
export function normalizeHealthCheck(h: HealthCheckDoc | undefined): HealthCheck | null {
  if (h === undefined) return null;
  return { ...h, interval: toSeconds(h.interval), timeout: toSeconds(h.timeout) };
}
