/**
 * The normalized scenario: what the engine runs and what `run.json` records.
 *
 * Every duration is in seconds of simulated time, every rate is per second,
 * every fraction is 0..1, every default is filled in. `normalizeScenario`
 * (sim/scenario/normalize.ts) turns a validated YAML document into this shape;
 * nothing downstream ever sees units, shorthands or absent fields.
 */

/** Seconds of simulated time. */
export type Seconds = number;

/** A probability distribution over non-negative durations (seconds). */
export type Dist =
  | { readonly dist: 'constant'; readonly value: Seconds }
  | { readonly dist: 'exponential'; readonly mean: Seconds }
  | { readonly dist: 'uniform'; readonly min: Seconds; readonly max: Seconds }
  /** Log-normal over seconds: ln(X) ~ Normal(mu, sigma). `median`/`p99` input is converted. */
  | { readonly dist: 'lognormal'; readonly mu: number; readonly sigma: number }
  | { readonly dist: 'erlang'; readonly k: number; readonly mean: Seconds }
  | { readonly dist: 'pareto'; readonly scale: Seconds; readonly shape: number };

/**
 * A request rate over time (per second). `steps` holds at least one step and the
 * first one starts at 0; the rate of a step holds until the next one. A `ramp`
 * goes linearly from `from` (at t = 0) to `to` (at t = `over`), then stays at `to`.
 */
export type RateProfile =
  | { readonly kind: 'steps'; readonly steps: readonly { readonly at: Seconds; readonly rate: number }[] }
  | { readonly kind: 'ramp'; readonly from: number; readonly to: number; readonly over: Seconds };

/** How a client produces operations. */
export type Arrival =
  | { readonly kind: 'poisson' | 'constant'; readonly rate: RateProfile }
  | { readonly kind: 'closed'; readonly users: number; readonly think: Dist };

/** The kinds of failed attempt a retry policy may react to. */
export type RetryOn = 'timeout' | 'error' | 'rejected';

/** Delay before retry n (n = 1 for the first retry), before jitter. */
export type Backoff =
  | { readonly kind: 'none' }
  | { readonly kind: 'constant'; readonly base: Seconds }
  | { readonly kind: 'exponential'; readonly base: Seconds; readonly cap: Seconds };

/** Jitter as in the AWS Architecture Blog's "Exponential Backoff and Jitter". */
export type Jitter = 'none' | 'full' | 'equal' | 'decorrelated';

/** Finagle-style retry budget: within the trailing `window`, retries <= ratio x first attempts + minPerSecond x window. */
export interface RetryBudget {
  readonly ratio: number;
  readonly minPerSecond: number;
  readonly window: Seconds;
}

export interface RetryPolicy {
  /** Total attempts including the first (>= 1). */
  readonly attempts: number;
  readonly backoff: Backoff;
  readonly jitter: Jitter;
  readonly on: readonly RetryOn[];
  readonly budget: RetryBudget | null;
}

export interface Client {
  readonly name: string;
  /** Name of the service that receives this client's requests. */
  readonly target: string;
  readonly arrival: Arrival;
  /** Per-attempt timeout in seconds; `null` = wait forever. */
  readonly timeout: Seconds | null;
  /** One-way network delay, drawn each way; `null` = none. */
  readonly network: Dist | null;
  readonly retry: RetryPolicy | null;
  /** The client library's own circuit breaker around its attempts; `null` = none. */
  readonly breaker: Breaker | null;
  /** The client library's token bucket, taken by each attempt before it is sent; `null` = none. */
  readonly rateLimit: RateLimit | null;
  /** The keys its operations draw (tenants); absent when they carry none. */
  readonly keys?: ClientKeys;
}

/** A range of operation keys, both ends included. */
export interface KeyRange {
  readonly from: number;
  readonly to: number;
}

/** How a client's operations draw their key: one of `from..to`, `from` the most popular under zipf. */
export interface ClientKeys extends KeyRange {
  readonly popularity: { readonly kind: 'zipf'; readonly exponent: number } | { readonly kind: 'uniform' };
}

export type QueueDiscipline =
  { readonly kind: 'fifo' } | { readonly kind: 'lifo' } | { readonly kind: 'codel'; readonly target: Seconds; readonly interval: Seconds };

export type Balancer = 'roundRobin' | 'random' | 'leastRequests' | 'powerOfTwo';

export interface Pool {
  readonly size: number;
  /** `null` = wait for a connection forever. */
  readonly acquireTimeout: Seconds | null;
}

export interface Breaker {
  /** Failure-rate threshold 0..1 (resilience4j failureRateThreshold). */
  readonly failureRate: number;
  /** Slow-call threshold: calls longer than `over` are slow; opens when slow fraction >= `rate`. `null` = off. */
  readonly slowCall: { readonly over: Seconds; readonly rate: number } | null;
  readonly window: { readonly kind: 'count'; readonly size: number } | { readonly kind: 'time'; readonly size: Seconds };
  readonly minCalls: number;
  readonly openFor: Seconds;
  readonly halfOpenCalls: number;
}

export interface Cache {
  readonly keys: number;
  readonly popularity: { readonly kind: 'zipf'; readonly exponent: number } | { readonly kind: 'uniform' };
  readonly ttl: Seconds;
  readonly ttlJitter: number;
  readonly hitTime: Seconds;
  readonly coalesce: boolean;
  readonly staleWhileRevalidate: boolean;
  /** Keys held at most; `Infinity` for an unbounded cache (the default). */
  readonly capacity: number;
  /** Which key a full cache drops for a new one (matters only with a finite capacity). */
  readonly eviction: 'lru' | 'fifo';
}

/**
 * A token bucket in front of a service, a client or a call (Envoy's local
 * rate limit). The bucket holds at most `burst` tokens and starts full; each
 * request takes one. Without a token a request is refused, or, when `queue`
 * is above 0, waits for one while fewer than `queue` others wait.
 */
export interface RateLimit {
  /** Tokens added per second. */
  readonly rate: number;
  /** Most tokens the bucket holds (Envoy max_tokens); it starts full. */
  readonly burst: number;
  /** `null`: tokens accrue continuously; else `rate x fillInterval` tokens arrive at each multiple of it (Envoy fill_interval). */
  readonly fillInterval: Seconds | null;
  /** Most requests waiting for a token; 0 = refuse at once; `Infinity` = no bound. */
  readonly queue: number;
}

/**
 * A replica crashes when its load (`measure`) stays above `above` for
 * `sustained` seconds without a dip, and stays down for `for` seconds before
 * it restarts cold (a Kubernetes OOM kill or liveness failure).
 */
export interface CrashTrigger {
  /** inflight: waiting + holding a worker on the replica; queue: waiting only. */
  readonly measure: 'inflight' | 'queue';
  /** The load must be above this (strictly). */
  readonly above: number;
  readonly sustained: Seconds;
  /** Restart delay. */
  readonly for: Seconds;
}

/** One downstream call a service makes, in order, while holding its worker. */
export interface Call {
  readonly to: string;
  /** Fraction of requests that make this call. */
  readonly probability: number;
  /** Per-attempt timeout; `null` = wait forever. */
  readonly timeout: Seconds | null;
  readonly network: Dist | null;
  readonly retry: RetryPolicy | null;
  /** The caller's token bucket toward the callee, one per caller replica, taken by each attempt; `null` = none. */
  readonly rateLimit: RateLimit | null;
  readonly pool: Pool | null;
  readonly breaker: Breaker | null;
  readonly cache: Cache | null;
  /** A call whose failure (after its retries) is skipped: the caller carries on, degraded. */
  readonly optional: boolean;
  /** What answers the call when it fails for good; `null` = the failure fails the caller (unless optional). */
  readonly fallback: Fallback | null;
  /** The weighted choice this call is one alternative of; `null` = an ordinary call. */
  readonly route: Route | null;
  /** Hedged copies of the call (gRPC hedgingPolicy); `null` = one attempt at a time. */
  readonly hedge: Hedge | null;
}

/** A call's hedging policy (gRPC hedgingPolicy). */
export interface Hedge {
  /** Copies in all, the first included (2 to 5; gRPC maxAttempts). */
  readonly attempts: number;
  /** Seconds without an answer before the next copy goes out (gRPC hedgingDelay; 0 = all at once). */
  readonly delay: Seconds;
  /** Failures of a copy that send the next copy at once rather than end the call (gRPC nonFatalStatusCodes). */
  readonly nonFatal: readonly RetryOn[];
}

/** A call's place in a choice among consecutive calls of one group: by weight, or by key. */
export interface Route {
  readonly group: string;
  /** Relative share; the call gets weight / (sum over its group) of the requests (1 in a route by key, where it is unused). */
  readonly weight: number;
  /**
   * Route by key: the operation keys this call takes. In a group routed by key
   * exactly one call has none: it takes every other key, and operations without one.
   * Absent in a route by weight.
   */
  readonly keys?: KeyRange;
}

/** A call's fallback: local work on the caller's worker in place of the failed call. */
export interface Fallback {
  /** Time the fallback takes on the caller's worker. */
  readonly serviceTime: Dist;
  /** Whether an answer through the fallback counts as degraded. */
  readonly degraded: boolean;
}

export interface Autoscale {
  readonly metric: 'utilization' | 'queuePerInstance' | 'rpsPerInstance';
  readonly target: number;
  readonly period: Seconds;
  readonly lag: Seconds;
  readonly tolerance: number;
  readonly min: number;
  readonly max: number;
  readonly warmup: Seconds;
  readonly scaleDownStabilization: Seconds;
}

export type Degradation =
  | { readonly kind: 'threshold'; readonly above: number; readonly slowdown: number }
  | { readonly kind: 'linear'; readonly perInflight: number }
  | DegradationCurve;

/**
 * A load-dependent latency curve: service time × min(max, f(x)), x the load
 * of the replica when the request's work starts (itself included).
 * linear and polynomial: f = 1 + k·x^exponent (linear has exponent 1);
 * exponential: f = e^(k·x).
 */
export interface DegradationCurve {
  readonly kind: 'curve';
  readonly curve: 'linear' | 'polynomial' | 'exponential';
  /** inflight: waiting + busy; busy: workers held; utilization: busy / workers. */
  readonly of: 'inflight' | 'busy' | 'utilization';
  readonly k: number;
  /** 1 for linear, the given or default 2 for polynomial; unused by exponential (1). */
  readonly exponent: number;
  /** Cap on the factor, at least 1. */
  readonly max: number;
}

export interface Service {
  readonly name: string;
  readonly instances: number;
  /** Workers per instance; `Infinity` for `unlimited`. */
  readonly workers: number;
  readonly queue: {
    /** Waiting room per instance, not counting requests in service; `Infinity` = unbounded. */
    readonly capacity: number;
    readonly discipline: QueueDiscipline;
  };
  readonly balancer: Balancer;
  readonly serviceTime: Dist;
  readonly errorRate: number;
  readonly dropExpired: boolean;
  readonly calls: readonly Call[];
  readonly autoscale: Autoscale | null;
  readonly coldStart: { readonly for: Seconds; readonly slowdown: number } | null;
  readonly degradation: Degradation | null;
  /** Token bucket at the service's ingress, before the balancer; `null` = none. */
  readonly rateLimit: RateLimit | null;
  /** Adaptive concurrency limit at the ingress, before the rate limit; `null` = none. */
  readonly concurrencyLimit: ConcurrencyLimit | null;
  /** Ejection of replicas that fail in a row (Envoy outlier detection); `null` = none. */
  readonly outlierDetection: OutlierDetection | null;
  /** Record in-flight, utilization and errors per replica (`<service>[<i>].<metric>`). */
  readonly perInstance: boolean;
  /** The state trigger that crashes a replica under load; `null` = none. */
  readonly crashWhen: CrashTrigger | null;
  /** Active health checking of each replica by the balancer (Envoy); `null` = none. */
  readonly healthCheck: HealthCheck | null;
}

/**
 * An adaptive concurrency limit (Netflix concurrency-limits' AIMDLimit): a
 * request that finds `limit` requests inside the service is refused; each
 * answer moves the limit (see sim/engine/model/concurrency-limit.ts).
 */
export interface ConcurrencyLimit {
  readonly kind: 'aimd';
  readonly initial: number;
  readonly min: number;
  readonly max: number;
  /** Factor on the limit at each drop, in [0.5, 1). */
  readonly backoff: number;
  /** An answer later than this counts as a drop. */
  readonly timeout: Seconds;
}

/**
 * Envoy's consecutive-error outlier detection on a service's balancer: a
 * replica that sends `consecutiveErrors` error responses in a row leaves the
 * rotation for `baseEjectionTime` x its ejection count (at most
 * `maxEjectionTime`); the detector returns it at its first sweep (every
 * `interval`) after that time.
 */
export interface OutlierDetection {
  readonly consecutiveErrors: number;
  readonly interval: Seconds;
  readonly baseEjectionTime: Seconds;
  /** Most of the ready replicas out at once, as a fraction; one may always be. */
  readonly maxEjectionPercent: number;
  readonly maxEjectionTime: Seconds;
}

/**
 * Envoy's active health checking on a service's balancer: every `interval`
 * each ready replica is checked; a check fails when the replica is down or
 * paused, or when the oldest request in its queue has waited longer than
 * `timeout`. `unhealthyThreshold` failures in a row take it out of rotation,
 * `healthyThreshold` passes in a row bring it back.
 */
export interface HealthCheck {
  readonly interval: Seconds;
  readonly timeout: Seconds;
  readonly unhealthyThreshold: number;
  readonly healthyThreshold: number;
}

/**
 * A message broker with Amazon SQS's semantics: producers (clients whose
 * `target` is the broker) publish and are acknowledged at once; a consumer
 * group of `concurrency` pollers receives messages and sends each to
 * `service` as a request; a success deletes the message.
 */
export interface Broker {
  readonly name: string;
  readonly consumers: { readonly service: string; readonly concurrency: number };
  /** A received message stays invisible this long; not deleted by then, it is visible again. */
  readonly visibilityTimeout: Seconds;
  /** Receives a message may have before the next one moves it to the dead-letter queue; `null` = no dead-letter queue. */
  readonly maxReceiveCount: number | null;
  /** After a failed delivery, visible again after this; `null` = it waits out its visibility timeout. */
  readonly redeliveryDelay: Seconds | null;
  /** A message older than this (since published) is dropped, not delivered. */
  readonly retention: Seconds;
  /** Which visible message is received first. */
  readonly order: 'oldest' | 'newest';
}

interface FaultWindow {
  /** Name of the client, service or edge (`a->b`) it applies to. */
  readonly target: string;
  readonly at: Seconds;
  /** Length of the window in seconds (0 for instantaneous faults such as `cacheFlush`, or a burst all at once). */
  readonly for: Seconds;
  /** The fault's sizes that ramp, each to the value its field holds; absent when none does. */
  readonly ramps?: readonly FaultRamp[];
}

/**
 * A fault size that ramps: field `field` goes from `from` at the window's
 * start to the value the field holds (its `to`) at `at + over`, in
 * {@link RAMP_STEPS} equal steps, and holds it until the window ends.
 */
export interface FaultRamp {
  readonly field: 'add' | 'multiply' | 'rate' | 'delay' | 'loss';
  readonly from: number;
  readonly over: Seconds;
}

/** The number of equal steps a fault's ramp moves in (docs/model.md, "Ramping faults"). */
export const RAMP_STEPS = 100;

/**
 * Which replicas of the target service a fault hits: one by its number
 * (`target: api[2]`), the `count` lowest-numbered replicas in service, or a
 * `share` of the replicas in service (rounded up), counted when the window
 * opens. Absent on a fault: every replica.
 */
export type ReplicaPick =
  | { readonly kind: 'index'; readonly index: number }
  | { readonly kind: 'count'; readonly count: number }
  | { readonly kind: 'share'; readonly share: number };

export type Fault =
  | (FaultWindow & {
      readonly kind: 'latency';
      readonly add: Seconds;
      readonly multiply: number;
      readonly replicas?: ReplicaPick;
      /** Only the requests of operations with a key in this range are slowed; absent: every request. */
      readonly keys?: KeyRange;
    })
  | (FaultWindow & { readonly kind: 'errors'; readonly rate: number; readonly replicas?: ReplicaPick })
  | (FaultWindow & { readonly kind: 'capacity'; readonly instances: number; readonly workers: number })
  | (FaultWindow & { readonly kind: 'traffic'; readonly multiply: number })
  | (FaultWindow & { readonly kind: 'pause'; readonly replicas?: ReplicaPick })
  | (FaultWindow & { readonly kind: 'cacheFlush' })
  /** A faulty link on the call edges `target` names: `delay` added each way, each message lost with chance `loss` (1: a partition). */
  | (FaultWindow & { readonly kind: 'link'; readonly delay: Seconds; readonly loss: number })
  /** Every replica when none is named: normalisation fills `replicas` in. */
  | (FaultWindow & { readonly kind: 'crash'; readonly replicas: ReplicaPick })
  /** `count` extra operations of client `target` from `at`, over `for` (0: all at once), evenly or at uniform random times. */
  | (FaultWindow & { readonly kind: 'burst'; readonly count: number; readonly spread: 'even' | 'uniform' });

export type ExpectStat = 'mean' | 'min' | 'max' | 'p50' | 'p90' | 'p99' | 'last' | 'count';

export type Expectation =
  | {
      readonly kind: 'metric';
      /** `<component>.<metric>`, e.g. `users.goodput`. */
      readonly metric: string;
      readonly stat: ExpectStat;
      readonly from: Seconds;
      /** End of the window; the run's `duration` when written as `end`. */
      readonly to: Seconds;
      readonly atLeast: number | null;
      readonly atMost: number | null;
      readonly below: number | null;
      readonly above: number | null;
      /** The expectation as the user wrote it, for messages and `summary.json`. */
      readonly text: string;
    }
  | { readonly kind: 'recovers'; readonly within: Seconds; readonly text: string }
  | { readonly kind: 'verdict'; readonly is: readonly VerdictKind[]; readonly text: string }
  /** `what`: true (some oscillation), false (none), or the series `<component>.<metric>` that must swing. */
  | { readonly kind: 'oscillates'; readonly what: boolean | string; readonly text: string };

export type VerdictKind = 'stable' | 'overloaded' | 'recovered' | 'draining' | 'metastable';

export interface NormalizedScenario {
  readonly name: string;
  readonly description: string;
  readonly seed: number;
  readonly duration: Seconds;
  readonly warmup: Seconds;
  readonly sample: Seconds;
  /** Clients and services keep the order they were written in. */
  readonly clients: readonly Client[];
  readonly services: readonly Service[];
  /** In the order written; empty when the scenario has none. */
  readonly brokers: readonly Broker[];
  /** Sorted by `at`, then by the order written. */
  readonly faults: readonly Fault[];
  readonly expect: readonly Expectation[];
}
