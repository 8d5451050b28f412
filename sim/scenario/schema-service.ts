/**
 * Schemas for a service: replicas, workers, queue, load balancing, local work,
 * downstream calls, autoscaling and slowdowns. Autoscaling defaults follow the
 * Kubernetes HorizontalPodAutoscaler; codel defaults follow RFC 8289.
 */
import { z } from 'zod';
import * as msg from './messages.js';
import { Call } from './schema-call.js';
import { RateLimit } from './schema-rate-limit.js';
import { ConcurrencyLimit } from './schema-concurrency-limit.js';
import { OutlierDetection } from './schema-outlier.js';
import { CrashWhen } from './schema-crash-when.js';
import { HealthCheck } from './schema-health-check.js';
import { DegradationCurve } from './schema-curve.js';
import { Dist, Duration, Fraction, PositiveDuration, boundedNumber, countOrUnlimited, oneOf, wholeNumber } from './schema-leaves.js';
import { MAX_RATE_PER_S, PERCENT_PATTERN } from './units.js';

/** Most instances a service may have, at start or through autoscaling. */
export const MAX_INSTANCES = 1_000_000;

/** CoDel settings used when `discipline: codel` comes without any (RFC 8289's). */
export const CODEL_DEFAULTS = { target: '5ms', interval: '100ms' } as const;

const codelTarget = PositiveDuration.default(CODEL_DEFAULTS.target).describe('Acceptable standing queue delay. Default 5ms (RFC 8289).');
const codelInterval = PositiveDuration.default(CODEL_DEFAULTS.interval).describe(
  'Window over which the delay must stay above target before dropping. Default 100ms (RFC 8289).',
);

const Discipline = z
  .union([oneOf(['fifo', 'lifo', 'codel']), z.strictObject({ kind: z.literal('codel'), target: codelTarget, interval: codelInterval })], {
    error: () => msg.expectOneOf(['fifo', 'lifo', 'codel']),
  })
  .default('fifo')
  .describe('Order requests leave the queue: fifo | lifo | codel, or {kind: codel, target, interval}. Default fifo.');

const Queue = z
  .strictObject({
    capacity: countOrUnlimited(0, 10_000_000)
      .default('unlimited')
      .describe(
        'Waiting room per instance, not counting requests in service, 0 to 10^7, or unlimited. A full queue rejects. Default unlimited.',
      ),
    discipline: Discipline,
    codel: z
      .strictObject({ target: codelTarget, interval: codelInterval })
      .optional()
      .describe('CoDel settings when discipline is codel (the same as writing discipline: {kind: codel, target, interval}).'),
  })
  .describe("The queue in front of each instance's workers. Default: unbounded fifo.");

const Autoscale = z
  .strictObject({
    metric: oneOf(['utilization', 'queuePerInstance', 'rpsPerInstance']).describe(
      'What the scaler tracks: utilization (busy / ready workers), queuePerInstance (waiting requests) or rpsPerInstance (arrivals per second).',
    ),
    target: z
      .union([boundedNumber(0, MAX_RATE_PER_S, true), z.string().regex(PERCENT_PATTERN)], {
        error: () => msg.expectAutoscaleTarget(),
      })
      .describe(
        'Desired value of the metric per instance; a fraction or percentage for utilization (0.6 or "60%"). Desired = ceil(instances x current / target).',
      ),
    period: PositiveDuration.default('15s').describe('Evaluation interval. Default 15s (HPA --horizontal-pod-autoscaler-sync-period).'),
    lag: Duration.default('15s').describe('Age of the metric the scaler sees. Default 15s (metrics-server resolution).'),
    tolerance: boundedNumber(0, 1)
      .default(0.1)
      .describe('No change while |current / target - 1| is within this. Default 0.1 (HPA tolerance).'),
    min: wholeNumber(1, MAX_INSTANCES).default(1).describe('Fewest instances. Default 1 (HPA minReplicas).'),
    max: wholeNumber(1, MAX_INSTANCES).describe('Most instances, not below min. Required (as HPA maxReplicas).'),
    warmup: Duration.default('30s').describe('A new instance takes no traffic for this long. Default 30s (HPA initial readiness delay).'),
    scaleDownStabilization: Duration.default('300s').describe(
      'Scale down only to the highest recommendation of this trailing window. Default 300s (HPA scaleDown stabilizationWindowSeconds).',
    ),
  })
  .describe('Autoscaler with Kubernetes HorizontalPodAutoscaler semantics; fixed instance count when absent.');

const Degradation = z
  .union(
    [
      z.strictObject({
        above: wholeNumber(0, 10_000_000).describe('In-flight count (queue + busy) per instance above which service slows.'),
        slowdown: boundedNumber(1, 1000).describe('Service-time multiplier above the threshold, 1 to 1000.'),
      }),
      z.strictObject({
        perInflight: Fraction.describe('Linear contention: service time x (1 + perInflight x in-flight count), e.g. "1%".'),
      }),
      DegradationCurve,
    ],
    { error: () => msg.expectDegradation() },
  )
  .describe(
    'Service slows under load (GC, thrashing, contention): {above, slowdown}, {perInflight} or a curve {curve, of, k, exponent, max}. None when absent.',
  );

/** A service: replicas behind a load balancer, each with workers and a queue. */
export const Service = z.strictObject({
  instances: wholeNumber(1, MAX_INSTANCES).default(1).describe('Replicas behind the load balancer at start, 1 to 10^6. Default 1.'),
  workers: countOrUnlimited(1, 1_000_000)
    .default(1)
    .describe('Concurrent requests per instance (threads), 1 to 10^6, or unlimited. Default 1.'),
  queue: Queue.default({ capacity: 'unlimited', discipline: 'fifo' }),
  balancer: oneOf(['roundRobin', 'random', 'leastRequests', 'powerOfTwo'])
    .default('roundRobin')
    .describe(
      'How requests are spread over instances: roundRobin | random | leastRequests | powerOfTwo (two random choices). Default roundRobin.',
    ),
  serviceTime: Dist.describe('Local work per request, holding a worker. Required.'),
  errorRate: Fraction.default(0).describe('Baseline fraction of requests that fail. Default 0.'),
  dropExpired: z.boolean().default(false).describe('Skip requests whose caller already gave up, instead of serving them. Default false.'),
  calls: z
    .array(Call)
    .max(100)
    .default([])
    .describe('Downstream calls made in order while holding the worker (at most 100). Default none.'),
  autoscale: Autoscale.optional(),
  coldStart: z
    .strictObject({
      for: PositiveDuration.describe('How long a new instance stays slow.'),
      slowdown: boundedNumber(1, 1000).describe('Service-time multiplier while cold, 1 to 1000.'),
    })
    .optional()
    .describe('New instances serve slower at first. None when absent.'),
  degradation: Degradation.optional(),
  rateLimit: RateLimit.optional().describe(
    "Token-bucket rate limit at the ingress, in front of the balancer (a gateway's limiter, Envoy local rate limit): a request without a token is refused (counted as rateLimited; its caller sees a rejection) or waits for one. None when absent.",
  ),
  concurrencyLimit: ConcurrencyLimit.optional(),
  outlierDetection: OutlierDetection.optional(),
  perInstance: z
    .boolean()
    .default(false)
    .describe(
      'Record in-flight, utilization and errors per replica, as <service>[<i>].inflight, .utilization and .errors (i from 0, as api[2] names a replica in a fault), drawn as small multiples in the report. Default false.',
    ),
  crashWhen: CrashWhen.optional(),
  healthCheck: HealthCheck.optional(),
});
