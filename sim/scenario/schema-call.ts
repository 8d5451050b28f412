/**
 * Schemas for what sits on a request path: retry policies (clients and calls),
 * and a service's downstream `calls` with their pool, circuit breaker and
 * cache. Defaults not fixed by docs/scenario-format.md follow the library each
 * mechanism imitates, and each `describe` says which.
 */
import { z } from 'zod';
import * as msg from './messages.js';
import { Dist, Duration, Fraction, PositiveDuration, boundedNumber, nameRef, oneOf, wholeNumber } from './schema-leaves.js';
import { RateLimit } from './schema-rate-limit.js';
import { MAX_RATE_PER_S } from './units.js';

const Backoff = z
  .discriminatedUnion(
    'kind',
    [
      z.strictObject({ kind: z.literal('none').describe('Retry at once.') }),
      z.strictObject({
        kind: z.literal('constant').describe('Wait `base` before every retry.'),
        base: PositiveDuration.default('500ms').describe('Wait before each retry. Default 500ms (resilience4j waitDuration).'),
      }),
      z.strictObject({
        kind: z.literal('exponential').describe('Wait min(cap, base x 2^(n-1)) before retry n.'),
        base: PositiveDuration.default('100ms').describe('Wait before the first retry. Default 100ms (AWS SDK standard retry mode).'),
        cap: PositiveDuration.default('20s').describe('Longest wait; not below base. Default 20s (AWS SDK standard retry mode).'),
      }),
    ],
    { error: () => msg.expectTaggedMap('kind', ['none', 'constant', 'exponential'], '{ kind: exponential, base: 100ms, cap: 10s }') },
  )
  .describe('Delay before each retry, before jitter: {kind: none}, {kind: constant, base} or {kind: exponential, base, cap}.');

const RetryBudget = z
  .strictObject({
    ratio: boundedNumber(0, 1000)
      .default(0.2)
      .describe('Retries allowed per first attempt within the window, 0 to 1000. Default 0.2 (Finagle RetryBudget percentCanRetry).'),
    minPerSecond: boundedNumber(0, MAX_RATE_PER_S)
      .default(10)
      .describe('Retries per second always allowed, whatever the ratio. Default 10 (Finagle minRetriesPerSec).'),
    window: PositiveDuration.default('10s').describe('Trailing window the budget counts over. Default 10s (Finagle ttl).'),
  })
  .describe(
    'Retry budget (Finagle RetryBudget): within the trailing window at most ratio x first attempts + minPerSecond x window retries; a refused retry fails the operation.',
  );

/** The kinds of failed attempt a retry may react to. */
export const RETRY_ON = ['timeout', 'error', 'rejected'] as const;

/** A retry policy, for a client or a call. */
export const Retry = z
  .strictObject({
    attempts: wholeNumber(1, 100)
      .default(3)
      .describe('Total attempts including the first, 1 to 100. Default 3 (resilience4j maxAttempts).'),
    backoff: Backoff.default({ kind: 'none' }),
    jitter: oneOf(['none', 'full', 'equal', 'decorrelated'])
      .default('none')
      .describe(
        'Randomizes each wait as in the AWS "Exponential Backoff and Jitter" article: none | full | equal | decorrelated. Default none.',
      ),
    on: z
      .array(oneOf(RETRY_ON))
      .min(1)
      .max(3)
      .default([...RETRY_ON])
      .describe('Failures that trigger a retry: timeout, error (an error response), rejected (queue full). Default all three.'),
    budget: RetryBudget.optional(),
  })
  .describe('Retry policy; no retries when absent.');

/** A connection pool on a call, per caller instance. */
const Pool = z
  .strictObject({
    size: wholeNumber(1, 1_000_000)
      .default(10)
      .describe('Connections per caller instance, 1 to 10^6. Default 10 (HikariCP maximumPoolSize).'),
    acquireTimeout: Duration.optional().describe(
      'Longest wait for a free connection before the call fails; default: wait as long as it takes (HikariCP would use 30s; write it to model that).',
    ),
  })
  .describe('Connection pool: a call holds a connection for its whole duration; callers wait for one when all are in use.');

const BreakerWindow = z
  .discriminatedUnion(
    'kind',
    [
      z.strictObject({
        kind: z.literal('count'),
        size: wholeNumber(1, 1_000_000).default(100).describe('Most recent calls kept, 1 to 10^6. Default 100.'),
      }),
      z.strictObject({
        kind: z.literal('time'),
        size: PositiveDuration.default('100s').describe(
          'Trailing window length. Default 100s (resilience4j counts the default 100 in seconds).',
        ),
      }),
    ],
    { error: () => msg.expectTaggedMap('kind', ['count', 'time'], '{ kind: count, size: 100 }') },
  )
  .describe(
    'Sliding window the failure rate is computed over: {kind: count, size} or {kind: time, size}. Default {kind: count, size: 100}.',
  );

/**
 * A circuit breaker with resilience4j semantics: on a call, and on a client
 * (a client library's own breaker around its attempts).
 */
export const Breaker = z
  .strictObject({
    failureRate: Fraction.default('50%').describe(
      'Opens when the failed fraction of the window reaches this. Default 50% (resilience4j failureRateThreshold).',
    ),
    slowCall: z
      .strictObject({
        over: PositiveDuration.default('60s').describe(
          'A call longer than this is slow. Default 60s (resilience4j slowCallDurationThreshold).',
        ),
        rate: Fraction.default('100%').describe(
          'Opens when the slow fraction reaches this. Default 100% (resilience4j slowCallRateThreshold).',
        ),
      })
      .optional()
      .describe('Slow-call rule; off when absent.'),
    window: BreakerWindow.default({ kind: 'count', size: 100 }),
    minCalls: wholeNumber(1, 1_000_000)
      .default(100)
      .describe(
        'Calls needed in the window before the rate is judged. Default 100 (resilience4j minimumNumberOfCalls); capped at a count window size, as resilience4j does.',
      ),
    openFor: PositiveDuration.default('60s').describe(
      'Time spent open before half-open. Default 60s (resilience4j waitDurationInOpenState).',
    ),
    halfOpenCalls: wholeNumber(1, 1_000_000)
      .default(10)
      .describe('Trial calls let through when half-open. Default 10 (resilience4j permittedNumberOfCallsInHalfOpenState).'),
  })
  .describe(
    'Circuit breaker (resilience4j semantics): closed, open (calls fail at once, counted as shortCircuited), half-open (a few trial calls). On a client it guards its attempts, and a short-circuited attempt is retried like a failed one.',
  );

export const Popularity = z
  .union(
    [
      z.literal('uniform').describe('Every key equally likely.'),
      z.strictObject({
        zipf: boundedNumber(0, 10).describe('Zipf exponent s, 0 to 10: key k is drawn with weight 1 / k^s.'),
      }),
    ],
    { error: () => msg.expectPopularity() },
  )
  .default('uniform')
  .describe('How keys are drawn: uniform or {zipf: s}. Default uniform.');

/** A look-aside cache in front of a call. */
const Cache = z
  .strictObject({
    keys: wholeNumber(1, 10_000_000).describe('Distinct keys requests draw from, 1 to 10^7. Required.'),
    popularity: Popularity,
    ttl: PositiveDuration.optional().describe('Time an entry stays fresh after a fill; entries never expire when absent.'),
    ttlJitter: Fraction.default(0).describe("Spreads expiry: each entry's ttl varies by up to this fraction of ttl. Default 0."),
    hitTime: Duration.default(0).describe('Time a hit takes, in place of the call. Default 0.'),
    coalesce: z.boolean().default(false).describe('Single-flight: concurrent misses on a key wait for one fill. Default false.'),
    staleWhileRevalidate: z
      .boolean()
      .default(false)
      .describe('Serve an expired entry at once and refill it in the background. Default false.'),
    capacity: wholeNumber(1, 10_000_000)
      .optional()
      .describe('Keys the cache holds at most, 1 to 10^7; a fill beyond it evicts a key. Unbounded when absent (TTL only).'),
    // LRU as Redis allkeys-lru, memcached and Caffeine's maximumSize approximate it.
    eviction: z
      .enum(['lru', 'fifo'], { error: () => msg.expectEviction() })
      .optional()
      .describe('Which key a full cache drops: lru (least recently used) or fifo (held longest). Default lru; needs a capacity.'),
  })
  .describe('Look-aside cache in front of this call: a hit skips the call, a miss makes it and fills the key.');

/**
 * What a call answers with when it fails for good (after its retries): a
 * cheaper local result, as a fallback method of Hystrix or resilience4j's
 * Decorators.withFallback, run by the caller on its own worker.
 */
const Fallback = z
  .strictObject({
    serviceTime: Dist.default(0).describe(
      "Time the fallback takes on the caller's worker (a constant or a distribution). Default 0: a default value or a cached answer at hand, as a Hystrix fallback is meant to be.",
    ),
    degraded: z
      .boolean()
      .default(true)
      .describe(
        'Whether an operation answered through this fallback counts as degraded (client metric degraded). Default true: a fallback answer is a lesser one.',
      ),
  })
  .describe(
    'Fallback: when the call fails for good, the caller spends serviceTime and carries on as if it had succeeded; the failure does not fail the caller.',
  );

/** Most distinct operation keys (tenants, customers): keys are numbered 0 to 10^7 − 1. */
export const MAX_KEY = 9_999_999;

/** A key number, 0 to 10^7 − 1. */
const KeyNumber = wholeNumber(0, MAX_KEY);

/**
 * A range of operation keys, both ends included: the keys one alternative of
 * a route by key takes, or the keys a fault slows.
 */
export const KeyRange = z
  .strictObject({
    from: KeyNumber.describe('First key of the range, 0 to 10^7 − 1.'),
    to: KeyNumber.optional().describe('Last key of the range, included; not below from. Default from (a single key).'),
  })
  .describe('A range of operation keys, both ends included: {from: 0, to: 9}, or {from: 3} for key 3 alone.');

/**
 * Routing: consecutive calls that share a `group` are one exclusive choice.
 * By weight, as the clusters of an Envoy route's weighted_clusters (or an
 * Istio VirtualService's weighted destinations): each request makes exactly
 * one of them, picked with probability weight / (sum of the group's weights).
 * By key, when the group's calls name `keys`: each request goes to the call
 * whose range holds its operation's key, the one call without `keys` taking
 * the rest, as an Envoy route matches a tenant header to a cluster.
 */
const Route = z
  .strictObject({
    group: z.string().min(1).max(64).describe('Name of the choice; consecutive calls with the same group are its alternatives.'),
    // Envoy requires a weight on every cluster; 1 lets members without one share evenly.
    weight: boundedNumber(0, 1_000_000, true)
      .optional()
      .describe(
        "Share of the group's requests this call gets, relative to the others' weights, above 0 to 10^6 (90 and 10: 90% and 10%). Default 1. Not in a route by key.",
      ),
    keys: KeyRange.optional().describe(
      'Route by key: the operation keys this call takes. In a group routed by key every call but one names its keys; that one takes the rest, and operations without a key.',
    ),
  })
  .describe(
    'Routing among the calls of a group: each request makes exactly one of them, picked by weight (Envoy weighted_clusters) or by its operation key (keys).',
  );

/**
 * Hedged requests, as gRPC's hedgingPolicy (gRFC A6): the first copy goes at
 * once, another after each `delay` without an answer, up to `attempts` in
 * all; the first success wins and the others are cancelled. A failure whose
 * kind is in `nonFatal` sends the next copy at once; any other ends the call.
 */
const Hedge = z
  .strictObject({
    // gRPC: maxAttempts is mandatory, above 1, and capped at 5.
    attempts: wholeNumber(2, 5).describe(
      'Copies in all, the first included, 2 to 5 (gRPC hedgingPolicy maxAttempts, capped at 5 as gRPC does).',
    ),
    delay: Duration.default('0s').describe(
      'Wait without an answer before the next copy goes out. Default 0s: every copy at once (gRPC hedgingDelay).',
    ),
    nonFatal: z
      .array(oneOf(RETRY_ON))
      .max(3)
      .default([])
      .describe(
        'Failures of a copy that send the next copy at once instead of ending the call: timeout, error, rejected. Default none: any failure ends the call (gRPC nonFatalStatusCodes, empty by default).',
      ),
  })
  .describe(
    'Hedged requests (gRPC hedgingPolicy): copies of the call sent delay apart while no answer came, the first success wins, the others are cancelled (their work goes on at the callee unless it drops expired work). Not with retry, pool or rateLimit on the same call. None when absent.',
  );

/** One downstream call a service makes while holding its worker. */
export const Call = z.strictObject({
  to: nameRef('service').describe('Name of the service called.'),
  probability: Fraction.default(1).describe('Fraction of requests that make this call. Default 1.'),
  timeout: Duration.optional().describe('Per-attempt timeout; the caller abandons the attempt then. No timeout when absent.'),
  network: Dist.optional().describe('One-way network delay, drawn each way. Default 0.'),
  retry: Retry.optional(),
  rateLimit: RateLimit.optional().describe(
    "Token-bucket rate limit on the caller's side of this call, one bucket per caller replica (Envoy local rate limit on the caller's sidecar): an attempt without a token fails at once as a rejection (counted as rateLimited on the call; retried when the call's retry policy's on includes rejected) or waits for one, holding the caller's worker. None when absent.",
  ),
  pool: Pool.optional(),
  breaker: Breaker.optional(),
  cache: Cache.optional(),
  optional: z
    .boolean()
    .default(false)
    .describe(
      'When true, a call that fails for good is skipped: the caller goes on without it and its answer counts as degraded. Default false (a failed call fails the caller).',
    ),
  fallback: Fallback.optional(),
  route: Route.optional(),
  hedge: Hedge.optional(),
});
