/**
 * A call edge `caller->callee`: one entry of a service's `calls`, with its own
 * timeout, retry policy, random streams, and the optional breaker, connection
 * pool and look-aside cache that sit on it.
 */
import { defineMetric, defineRatio, type DirectMetricOf, type Requirement } from '../../scenario/metric-catalogue.js';
import type { Call, RateLimit } from '../../scenario/types.js';
import { createGenerator, createStream, type Alea, type Stream } from '../rng.js';
import { Draw } from './dist.js';
import type { TraceSink } from '../../metrics/trace.js';
import { CircuitBreaker } from './breaker.js';
import { CacheState } from './cache.js';
import { Deque } from './deque.js';
import { FallbackPlan, absorbsFailure } from './fallback.js';
import { HedgePlan } from './hedge.js';
import { TokenBucket } from './rate-limit.js';
import type { RouteChoice } from './route.js';
import { RetryBudget, mayBackOff, retryOnMask, type Retrier } from './retry.js';
import { KeySampler } from './zipf.js';
import { LinkDraw, type NetworkDraw } from './link.js';

/** Metric ids of one edge; -1 for the metrics of elements the edge does not have. */
export interface EdgeMetrics {
  readonly calls: number;
  readonly retries: number;
  readonly timeouts: number;
  readonly shortCircuited: number;
  readonly breaker: number;
  readonly poolInUse: number;
  readonly poolWaiting: number;
  readonly cacheHits: number;
  readonly cacheMisses: number;
  readonly cacheCoalesced: number;
  /** Transitions of the breaker to open (a rate). */
  readonly breakerOpens: number;
  /** Calls waiting out a retry backoff (each holds its caller's worker). */
  readonly retryWaiting: number;
  /** Lookups waiting on a coalesced cache fill (each holds its caller's worker). */
  readonly cacheWaiting: number;
  /** Calls that failed for good and were absorbed by a fallback or skipped as optional. */
  readonly fallbacks: number;
  /** Keys a bounded cache dropped to store others (a rate). */
  readonly cacheEvictions: number;
  /** Requests whose weighted choice picked this call. */
  readonly routed: number;
  /** Messages (requests and responses) a link fault lost. */
  readonly lost: number;
  /** Attempts the call's rate limit refused. */
  readonly rateLimited: number;
  /** Calls waiting for a token of the call's rate limit, over all caller replicas. */
  readonly limitWaiting: number;
  /** Hedged copies sent beyond each call's first (a rate). */
  readonly hedges: number;
  /** Hedged calls won by a copy other than the first (a rate). */
  readonly hedgeWins: number;
}

/** The connections of one caller instance on one edge, and who waits for them (FIFO). */
export class EdgePool {
  inUse = 0;
  readonly waitIds = new Deque();
  readonly waitGens = new Deque();
}

/** A call edge's runtime state. */
export class EdgeState implements Retrier {
  readonly spec: Call;
  readonly index: number;
  /** `caller->callee`. */
  readonly name: string;
  readonly from: number;
  readonly to: number;
  readonly m: EdgeMetrics;
  /** One-way network delay, each way (through the link when a link fault names the edge). */
  readonly network: NetworkDraw;
  /** The edge's link, when a link fault names the edge, else `null`. */
  readonly link: LinkDraw | null;
  readonly jitterStream: Stream;
  /** Draws whether a request makes this call (`probability` below 1). */
  readonly probability: Alea;
  readonly keyStream: Stream;
  readonly ttlStream: Stream;
  readonly budget: RetryBudget | null;
  readonly retryMask: number;
  readonly breaker: CircuitBreaker | null;
  /** Last value reported for the `breaker` metric. */
  breakerLevel = 0;
  /** One pool per caller instance, made on first use. */
  readonly pools: EdgePool[] = [];
  /** Connections in use and callers waiting, over all caller instances. */
  poolInUse = 0;
  poolWaiting = 0;
  /** One token bucket per caller instance, made on first use; empty without `rateLimit`. */
  readonly limiters: TokenBucket[] = [];
  /** Calls waiting for a token, over all caller instances. */
  limitWaiting = 0;
  readonly cache: CacheState | null;
  readonly keys: KeySampler | null;
  /** Coalesced waiters per key being filled: flat (request id, generation) pairs. */
  readonly cacheWaiters = new Map<number, number[]>();
  /** Backoff timers of calls not yet ended, and lookups waiting on a fill (counted only where recorded, see EdgeMetrics). */
  sleeping = 0;
  fillWaiting = 0;
  /**
   * The broker whose consumer group delivers on this edge (its index), or -1
   * for a service's call. A delivery edge is no call of the scenario: it has
   * no caller request, and its metrics are the broker's.
   */
  delivery = -1;
  /** What a call that failed for good turns into; `null` when its failure fails the caller. */
  readonly fallback: FallbackPlan | null;
  /** Every request that reaches this call makes it: no probability to draw and no weighted choice. */
  readonly always: boolean;
  /** The weighted choice this call is an alternative of (set by the run's setup); `null` for an ordinary call. */
  route: RouteChoice | null = null;
  /** The call's hedging policy and its hedged calls in progress; `null` without `hedge`. */
  readonly hedge: HedgePlan | null;

  /**
   * `name` is unique per edge (see sim/scenario/edge-names.ts) and keys the
   * edge's random streams. `linkFaulted`: some link fault names the edge.
   * `recorded: false` declares no metric at all (a broker's delivery edge:
   * the broker counts its deliveries).
   */
  constructor(
    spec: Call,
    index: number,
    from: number,
    to: number,
    name: string,
    seed: number,
    sink: TraceSink,
    { linkFaulted = false, recorded = true }: { readonly linkFaulted?: boolean; readonly recorded?: boolean } = {},
  ) {
    this.spec = spec;
    this.index = index;
    this.from = from;
    this.to = to;
    this.name = name;
    const has = (r: Requirement): boolean => callHas(spec, r, linkFaulted);
    const def = (metric: DirectMetricOf<'edge'>): number => (recorded ? defineMetric(sink, 'edge', name, metric, has) : -1);
    const m = {
      calls: def('calls'),
      retries: def('retries'),
      timeouts: def('timeouts'),
      shortCircuited: def('shortCircuited'),
      breaker: def('breaker'),
      poolInUse: def('pool.inUse'),
      poolWaiting: def('pool.waiting'),
      cacheHits: def('cache.hits'),
      cacheMisses: def('cache.misses'),
      cacheCoalesced: def('cache.coalesced'),
      breakerOpens: def('breaker.opens'),
      retryWaiting: def('retry.waiting'),
      cacheWaiting: def('cache.waiting'),
      fallbacks: def('fallbacks'),
      cacheEvictions: -1,
      rateLimited: -1,
      limitWaiting: -1,
      routed: def('routed'),
      lost: def('lost'),
    };
    if (recorded) defineRatio(sink, 'edge', name, 'cache.hitRatio', has, m.cacheHits, [m.cacheHits, m.cacheMisses, m.cacheCoalesced]);
    // Declared after the ratio, as the catalogue lists them.
    this.m = {
      ...m,
      cacheEvictions: def('cache.evictions'),
      rateLimited: def('rateLimited'),
      limitWaiting: def('rateLimit.waiting'),
      hedges: def('hedges'),
      hedgeWins: def('hedgeWins'),
    };
    const key = `edge:${name}`;
    const network = new Draw(spec.network, createGenerator(seed, `${key}/network`));
    this.link = linkFaulted ? new LinkDraw(network, createGenerator(seed, `${key}/link-loss`)) : null;
    this.network = this.link ?? network;
    this.jitterStream = createStream(seed, `${key}/retry-jitter`);
    this.probability = createGenerator(seed, `${key}/probability`);
    this.keyStream = createStream(seed, `${key}/cache-key`);
    this.ttlStream = createStream(seed, `${key}/cache-ttl`);
    this.budget = spec.retry?.budget ? new RetryBudget(spec.retry.budget) : null;
    this.retryMask = spec.retry ? retryOnMask(spec.retry.on) : 0;
    this.breaker = spec.breaker !== null ? new CircuitBreaker(spec.breaker) : null;
    this.cache = spec.cache !== null ? new CacheState(spec.cache) : null;
    this.keys = spec.cache !== null ? new KeySampler(spec.cache.keys, spec.cache.popularity) : null;
    this.fallback = absorbsFailure(spec) ? new FallbackPlan(spec, createGenerator(seed, `${key}/fallback`)) : null;
    this.hedge = spec.hedge !== null ? new HedgePlan(spec.hedge) : null;
    this.always = spec.probability >= 1 && spec.route === null;
  }

  /** The rate limit's token bucket of caller instance `inst` (the call has a `rateLimit`). */
  limiterOf(inst: number): TokenBucket {
    const spec = this.spec.rateLimit as RateLimit;
    let b = this.limiters[inst];
    while (b === undefined) {
      this.limiters.push(new TokenBucket(spec));
      b = this.limiters[inst];
    }
    return b;
  }

  /** The pool of caller instance `inst`. */
  poolOf(inst: number): EdgePool {
    let p = this.pools[inst];
    while (p === undefined) {
      this.pools.push(new EdgePool());
      p = this.pools[inst];
    }
    return p;
  }
}

/** Whether a call has a mechanism some of its edge's metrics need. */
export function callHas(spec: Call, r: Requirement, linkFaulted: boolean): boolean {
  switch (r) {
    case 'breaker':
      return spec.breaker !== null;
    case 'pool':
      return spec.pool !== null;
    case 'cache':
      return spec.cache !== null;
    case 'callBackoff':
      return mayBackOff(spec.retry);
    case 'coalesce':
      return spec.cache?.coalesce === true;
    case 'fallback':
      return absorbsFailure(spec);
    case 'boundedCache':
      return spec.cache !== null && spec.cache.capacity !== Infinity;
    case 'route':
      return spec.route !== null;
    case 'linkFault':
      return linkFaulted;
    case 'callRateLimit':
      return spec.rateLimit !== null;
    case 'callRateLimitQueue':
      return (spec.rateLimit?.queue ?? 0) > 0;
    case 'hedge':
      return spec.hedge !== null;
    case 'autoscale':
    case 'boundedWorkers':
    case 'clientBackoff':
    case 'degradable':
    case 'rateLimit':
    case 'rateLimitQueue':
    case 'crash':
    case 'concurrencyLimit':
    case 'outlierDetection':
    case 'clientBreaker':
    case 'clientRateLimit':
    case 'clientRateLimitQueue':
    case 'perInstance':
    case 'perInstanceWorkers':
    case 'crashTrigger':
    case 'healthCheck':
      return false;
  }
}
