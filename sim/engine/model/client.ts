/**
 * A client: the traffic source at the edge of the system. Open-loop clients
 * send operations at a rate (Poisson or evenly spaced) whatever happens to
 * them; closed-loop clients are `users` people who each think, send one
 * operation, wait for its outcome, and think again.
 */
import { defineMetric, type DirectMetricOf, type Requirement } from '../../scenario/metric-catalogue.js';
import type { Client, RateProfile } from '../../scenario/types.js';
import { CircuitBreaker } from './breaker.js';
import { createGenerator, createStream, type Alea, type Stream } from '../rng.js';
import { Draw } from './dist.js';
import { KeySampler } from './zipf.js';
import type { TraceSink } from '../../metrics/trace.js';
import { TokenBucket } from './rate-limit.js';
import { RetryBudget, mayBackOff, retryOnMask, type Retrier } from './retry.js';

/** Metric ids of one client. */
export interface ClientMetrics {
  readonly offered: number;
  readonly attempts: number;
  readonly retries: number;
  readonly timeouts: number;
  readonly goodput: number;
  readonly failures: number;
  readonly latency: number;
  /** Operations waiting out a retry backoff; -1 when the policy never backs off. */
  readonly retryWaiting: number;
  /** Successful operations with a degraded answer; -1 when no call of the scenario can degrade one. */
  readonly degraded: number;
  /** Attempts the client's own breaker refused; -1 without a breaker. */
  readonly shortCircuited: number;
  /** The client's breaker state (0, 0.5, 1); -1 without a breaker. */
  readonly breaker: number;
  /** Attempts the client's rate limit refused; -1 without one. */
  readonly rateLimited: number;
  /** Attempts waiting for a token of the client's rate limit; -1 unless it lets them wait. */
  readonly limitWaiting: number;
}

/** The parts of a client that decide which of its metrics exist. */
export type ClientMechanisms = Pick<Client, 'retry' | 'breaker' | 'rateLimit'>;

/**
 * Whether client `c` has a mechanism some of its metrics need: a backoff to
 * wait out, a breaker of its own, a rate limit (that lets attempts wait), or
 * (`degradable`: some call of the scenario can absorb its failure) answers
 * that may come back degraded.
 */
export function clientHas(c: ClientMechanisms, degradable: boolean, r: Requirement): boolean {
  switch (r) {
    case 'clientBackoff':
      return mayBackOff(c.retry);
    case 'degradable':
      return degradable;
    case 'clientBreaker':
      return c.breaker !== null;
    case 'clientRateLimit':
      return c.rateLimit !== null;
    case 'clientRateLimitQueue':
      return (c.rateLimit?.queue ?? 0) > 0;
    case 'autoscale':
    case 'boundedWorkers':
    case 'breaker':
    case 'pool':
    case 'cache':
    case 'callBackoff':
    case 'coalesce':
    case 'fallback':
    case 'rateLimit':
    case 'rateLimitQueue':
    case 'boundedCache':
    case 'route':
    case 'linkFault':
    case 'crash':
    case 'concurrencyLimit':
    case 'outlierDetection':
    case 'callRateLimit':
    case 'callRateLimitQueue':
    case 'hedge':
    case 'perInstance':
    case 'perInstanceWorkers':
    case 'crashTrigger':
    case 'healthCheck':
      return false;
  }
}

/** Declares client `name`'s metrics (sim/scenario/metric-catalogue.ts), in the catalogue's order. */
export function defineClientMetrics(sink: TraceSink, name: string, c: ClientMechanisms, degradable = false): ClientMetrics {
  const def = (metric: DirectMetricOf<'client'>): number => defineMetric(sink, 'client', name, metric, (r) => clientHas(c, degradable, r));
  return {
    offered: def('offered'),
    attempts: def('attempts'),
    retries: def('retries'),
    timeouts: def('timeouts'),
    goodput: def('goodput'),
    failures: def('failures'),
    latency: def('latency'),
    retryWaiting: def('retry.waiting'),
    degraded: def('degraded'),
    shortCircuited: def('shortCircuited'),
    breaker: def('breaker'),
    rateLimited: def('rateLimited'),
    limitWaiting: def('rateLimit.waiting'),
  };
}

/** A client's runtime state. */
export class ClientState implements Retrier {
  readonly spec: Client;
  readonly index: number;
  readonly target: number;
  readonly m: ClientMetrics;
  /** Open loop: true for Poisson arrivals, false for evenly spaced ones. */
  readonly poisson: boolean;
  /** Draws interarrival times and thinning decisions (Poisson). */
  readonly arrivals: Alea;
  /** One-way network delay, each way. */
  readonly network: Draw;
  readonly jitterStream: Stream;
  /** Closed loop: think time between a user's operations; null for open loops. */
  readonly think: Draw | null;
  readonly budget: RetryBudget | null;
  readonly retryMask: number;
  /** The client library's own circuit breaker around its attempts, or null. */
  readonly breaker: CircuitBreaker | null;
  /** Last value reported for the `breaker` metric. */
  breakerLevel = 0;
  /** Current traffic multiplier from `traffic` faults (see setTrafficMultiplier). */
  private trafficMul = 1;
  /**
   * Evenly spaced arrivals: the share of the gap to the next arrival still to
   * go (1 right after an arrival), and the time and rate it was last measured
   * at, so that a change of rate carries the gap on instead of restarting it.
   */
  gapLeft = 1;
  gapSince = 0;
  gapRate = 0;
  // rateAt's last answer and the window [rateFrom, rateUntil) over which it holds.
  private rate = 0;
  private rateFrom = Infinity;
  private rateUntil = -Infinity;
  /** Upper bound of rate x multiplier over the run (Poisson thinning). */
  readonly maxRate: number;
  /** Closed loop: how many users may be active now, and which ones are parked. */
  activeUsers = 0;
  readonly parked: boolean[] = [];
  /** Operations started and not yet answered. */
  open = 0;
  /** Backoff timers of this client's operations not yet ended (counted only where `m.retryWaiting` is recorded). */
  sleeping = 0;
  /**
   * Whether the engine sends this client's operations as bare requests, with
   * no operation record (see startOp in handlers/clients.ts). Set by the engine.
   */
  bare = false;
  /** The broker this client publishes to (its index), or -1 when its target is a service. */
  broker = -1;
  /** The client library's rate limit, taken by each attempt before it is sent; null without `rateLimit`. */
  readonly limiter: TokenBucket | null;
  /** Draws each operation's key; null when the client gives its operations none. */
  readonly keys: KeySampler | null;
  /** The uniforms behind the key draws, a stream of the client's own. */
  readonly keyStream: Stream;
  /** The client's first key: a draw from `keys` is an offset from it. */
  readonly firstKey: number;

  constructor(spec: Client, index: number, target: number, seed: number, m: ClientMetrics, maxTrafficMul: number) {
    this.spec = spec;
    this.index = index;
    this.target = target;
    this.m = m;
    const key = `client:${spec.name}`;
    const a = spec.arrival;
    this.poisson = a.kind === 'poisson';
    this.arrivals = createGenerator(seed, `${key}/arrival`);
    this.network = new Draw(spec.network, createGenerator(seed, `${key}/network`));
    this.jitterStream = createStream(seed, `${key}/retry-jitter`);
    this.think = a.kind === 'closed' ? new Draw(a.think, createGenerator(seed, `${key}/think`)) : null;
    this.budget = spec.retry?.budget ? new RetryBudget(spec.retry.budget) : null;
    this.retryMask = spec.retry ? retryOnMask(spec.retry.on) : 0;
    this.breaker = spec.breaker !== null ? new CircuitBreaker(spec.breaker) : null;
    this.maxRate = spec.arrival.kind === 'closed' ? 0 : maxOfProfile(spec.arrival.rate) * maxTrafficMul;
    if (spec.arrival.kind === 'closed') this.activeUsers = spec.arrival.users;
    this.limiter = spec.rateLimit !== null ? new TokenBucket(spec.rateLimit) : null;
    const k = spec.keys;
    this.keys = k === undefined ? null : new KeySampler(k.to - k.from + 1, k.popularity);
    this.keyStream = createStream(seed, `${key}/keys`);
    this.firstKey = k?.from ?? 0;
  }

  /** The key of an operation starting now: a fresh draw, or -1 for a client without keys. */
  nextKey(): number {
    const k = this.keys;
    return k === null ? -1 : this.firstKey + k.next(this.keyStream);
  }

  /** The configured rate at time `t`, traffic faults applied. */
  rateAt(t: number): number {
    return t >= this.rateFrom && t < this.rateUntil ? this.rate : this.rateChanged(t);
  }

  /**
   * rateAt outside the window its last answer holds over: works the rate out
   * and the new window. Apart from rateAt so that rateAt stays small enough to
   * inline into the arrival handler at no cost to the inlining budget there.
   */
  private rateChanged(t: number): number {
    const a = this.spec.arrival;
    if (a.kind === 'closed') return 0;
    this.rate = rateOf(a.rate, t) * this.trafficMul;
    // A rate step holds until the next step: remember the window so the next calls skip the search.
    const p = a.rate;
    if (p.kind === 'steps') {
      this.rateFrom = t;
      this.rateUntil = nextProfileChange(p, t);
    } else if (t >= p.over) {
      this.rateFrom = t;
      this.rateUntil = Infinity;
    }
    return this.rate;
  }

  /** Applies the traffic faults' combined multiplier from now on. */
  setTrafficMultiplier(mul: number): void {
    this.trafficMul = mul;
    this.rateFrom = Infinity;
    this.rateUntil = -Infinity;
  }
}

/** The rate of a profile at time `t` (per second). */
export function rateOf(p: RateProfile, t: number): number {
  if (p.kind === 'ramp') {
    if (t >= p.over || p.over <= 0) return p.to;
    return p.from + ((p.to - p.from) * t) / p.over;
  }
  let r = 0;
  for (const s of p.steps) {
    if (s.at > t) break;
    r = s.rate;
  }
  return r;
}

/** The largest rate a profile ever reaches. */
export function maxOfProfile(p: RateProfile): number {
  if (p.kind === 'ramp') return Math.max(p.from, p.to);
  let m = 0;
  for (const s of p.steps) m = Math.max(m, s.rate);
  return m;
}

/** The next time after `t` at which a rate profile changes by itself (Infinity if never). */
export function nextProfileChange(p: RateProfile, t: number): number {
  if (p.kind === 'ramp') return t < p.over ? Math.min(p.over, t + p.over / 1000) : Infinity;
  for (const s of p.steps) if (s.at > t) return s.at;
  return Infinity;
}
