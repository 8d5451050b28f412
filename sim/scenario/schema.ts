/**
 * The zod schema of a scenario file: the one source of truth for its shape
 * (docs/scenario-format.md). It validates YAML as written, fills the defaults the
 * format fixes, and converts nothing; normalize.ts turns units into seconds.
 * `scenarioJsonSchema()` derives the editor's JSON Schema from it, so every
 * field's `describe` text (meaning, unit, default, bounds) reaches the editor.
 *
 * Objects are strict: an unknown key is an error. Relations between fields
 * (targets exist, warmup below duration, no call cycles) are checked after
 * the schema, in check.ts, where the whole document is known.
 */
import { z } from 'zod';
import * as msg from './messages.js';
import { Breaker, KeyRange, MAX_KEY, Popularity, Retry } from './schema-call.js';
import {
  ComponentName,
  Dist,
  Duration,
  DurationOrEnd,
  Fraction,
  PositiveDuration,
  RateProfile,
  boundedNumber,
  nameRef,
  oneOf,
  wholeNumber,
} from './schema-leaves.js';
import { Broker } from './schema-broker.js';
import { Service } from './schema-service.js';
import { RateLimit } from './schema-rate-limit.js';
import { Replicas } from './schema-replicas.js';
import { rampable } from './schema-ramp.js';

/** Fault kinds, in the order the format lists them. */
export const FAULT_KINDS = ['latency', 'errors', 'capacity', 'traffic', 'pause', 'cacheFlush', 'link', 'crash', 'burst'] as const;

/** How a burst's operations are placed in its `within` window (docs/model.md, "Bursts"). */
export const BURST_SPREADS = ['even', 'uniform'] as const;

const Arrival = z
  .discriminatedUnion(
    'kind',
    [
      z.strictObject({
        kind: z.literal('poisson').describe('Open loop, exponential gaps between operations.'),
        rate: RateProfile,
      }),
      z.strictObject({
        kind: z.literal('constant').describe('Open loop, evenly spaced operations.'),
        rate: RateProfile,
      }),
      z.strictObject({
        kind: z.literal('closed').describe('Closed loop: each user sends, waits for the outcome, thinks, sends again.'),
        users: wholeNumber(1, 10_000_000).describe('Concurrent users, 1 to 10^7.'),
        think: Dist.default(0).describe("Pause between an outcome and the user's next operation. Default 0."),
      }),
    ],
    { error: () => msg.expectTaggedMap('kind', ['poisson', 'constant', 'closed'], '{ kind: poisson, rate: 100 }') },
  )
  .describe('How operations arrive: {kind: poisson | constant, rate} (open loop) or {kind: closed, users, think}.');

/** A traffic source. */
export const Client = z.strictObject({
  target: nameRef('service').describe(
    "Name of the service that receives this client's requests, or of the broker it publishes to (acknowledged at once).",
  ),
  arrival: Arrival,
  timeout: Duration.optional().describe('Per-attempt timeout; the client abandons the attempt then. No timeout when absent.'),
  network: Dist.optional().describe('One-way network delay, drawn each way. Default 0.'),
  retry: Retry.optional(),
  breaker: Breaker.optional(),
  rateLimit: RateLimit.optional().describe(
    "Token-bucket rate limit in the client library, on each attempt before it is sent (resilience4j RateLimiter, Guava RateLimiter): an attempt without a token fails at once as a rejection (counted as rateLimited; retried when the retry policy's on includes rejected) or waits for one before it is sent. None when absent.",
  ),
  keys: z
    .strictObject({
      from: wholeNumber(0, MAX_KEY).default(0).describe('First key, the most popular one, 0 to 10^7 − 1. Default 0.'),
      to: wholeNumber(0, MAX_KEY).describe('Last key, included; not below from. Required.'),
      popularity: Popularity,
    })
    .optional()
    .describe(
      'Operation keys (tenants, customers): each operation draws one key from from..to and keeps it down the whole call tree, where a route by key and a fault on keys read it. None when absent.',
    ),
});

const window = {
  at: Duration.describe('Start of the fault, in simulated time.'),
  for: PositiveDuration.describe('Length of the fault window.'),
};
const serviceTarget = nameRef('service').describe('Name of the service affected.');
const replicaTarget = nameRef('service').describe('Name of the service affected, or one of its replicas by number from 0: api[2].');
const delta = (what: string) =>
  wholeNumber(-1_000_000, 1_000_000).optional().describe(`Change in ${what} during the window (e.g. -2), -10^6 to 10^6.`);

/** A perturbation for a window of simulated time. */
export const Fault = z.discriminatedUnion(
  'kind',
  [
    z.strictObject({
      kind: z.literal('latency').describe('Slower service: service time x multiply + add.'),
      target: replicaTarget,
      replicas: Replicas,
      keys: KeyRange.optional().describe(
        'Slows only the requests of operations whose key is in this range (one slow tenant); every request when absent. Not with replicas.',
      ),
      ...window,
      add: rampable(Duration, 'a duration')
        .optional()
        .describe('Time added to each service time, or a ramp {from, to, over}. Default 0; give add, multiply or both.'),
      multiply: rampable(boundedNumber(0, 10_000, true), 'a number above 0, at most 10^4')
        .optional()
        .describe('Factor on each service time, above 0, at most 10^4, or a ramp {from, to, over}. Default 1.'),
    }),
    z.strictObject({
      kind: z.literal('errors').describe('Extra failures.'),
      target: replicaTarget,
      replicas: Replicas,
      ...window,
      rate: rampable(Fraction, 'a fraction 0..1 or a percentage').describe(
        'Fraction of requests that fail during the window, or a ramp {from, to, over}.',
      ),
    }),
    z.strictObject({
      kind: z.literal('capacity').describe('Lost (or added) instances or workers.'),
      target: serviceTarget,
      ...window,
      instances: delta('instances'),
      workers: delta('workers per instance'),
    }),
    z.strictObject({
      kind: z.literal('traffic').describe("A surge (or drop) in a client's arrival rate."),
      target: nameRef('client').describe('Name of the client affected.'),
      ...window,
      multiply: rampable(boundedNumber(0, 10_000), 'a number from 0 to 10^4').describe(
        "Factor on the client's rate, 0 to 10^4, or a ramp {from, to, over}.",
      ),
    }),
    z.strictObject({
      kind: z.literal('pause').describe('Stop-the-world: the service makes no progress.'),
      target: replicaTarget,
      replicas: Replicas,
      ...window,
    }),
    z.strictObject({
      kind: z.literal('cacheFlush').describe("Every entry of a call's cache is dropped at once."),
      target: z
        .string({ error: () => msg.expectEdge() })
        .min(1)
        .describe('The call whose cache is flushed, written "caller->callee".'),
      at: Duration.describe('Time of the flush.'),
    }),
    // The effects and their defaults (none) follow Linux netem's `delay` and `loss`, and Chaos Mesh's partition.
    z.strictObject({
      kind: z.literal('link').describe('A faulty network link on one call: messages delayed, lost, or all lost (a partition).'),
      target: z
        .string({ error: () => msg.expectEdge() })
        .min(1)
        .describe(
          'The call whose link fails, written "caller->callee" (every call from caller to callee) or "caller->callee#2" (the second only).',
        ),
      ...window,
      delay: rampable(Duration, 'a duration')
        .optional()
        .describe(
          "Time added to each message's one-way network delay, the request's and the response's, or a ramp {from, to, over}. Default 0.",
        ),
      loss: rampable(Fraction, 'a fraction 0..1 or a percentage')
        .optional()
        .describe(
          'Chance that each message, the request and then its response, is lost (the caller learns only by its timeout), or a ramp {from, to, over}. Default 0.',
        ),
      partition: z
        .boolean({ error: () => msg.expectType('true or false') })
        .optional()
        .describe('true: every message on the call is lost. Default false.'),
    }),
    z.strictObject({
      kind: z.literal('crash').describe('Replicas die: their work in flight fails at once; they restart after the window, cold.'),
      target: replicaTarget,
      replicas: Replicas,
      at: Duration.describe('Time of the crash.'),
      for: PositiveDuration.describe('Restart delay: how long the crashed replicas stay down (failing fast, still in the rotation).'),
    }),
    // Defaults follow Gatling's injection steps: atOnceUsers (within 0, all at one instant); rampUsers over a duration spreads them evenly.
    z.strictObject({
      kind: z
        .literal('burst')
        .describe('Extra operations from a client at one instant, or spread over a short window, on top of its arrivals.'),
      target: nameRef('client').describe(
        'Name of the client that sends the burst; each extra operation is one of its own (timeout, retries).',
      ),
      at: Duration.describe('Time of the burst (of its first operation when spread).'),
      count: wholeNumber(1, 1_000_000).describe('How many extra operations, 1 to 10^6.'),
      within: Duration.optional().describe('Window the operations are spread over, from at. Default 0: all at the same instant.'),
      spread: oneOf(BURST_SPREADS)
        .optional()
        .describe(
          'How they are spread over within: even (equal gaps, the first at at) or uniform (independent uniform times). Default even.',
        ),
    }),
  ],
  { error: () => msg.expectTaggedMap('kind', FAULT_KINDS, '{ kind: pause, target: api, at: 60s, for: 2s }') },
);

/** Statistics an expectation can test. */
export const STATS = ['mean', 'min', 'max', 'p50', 'p90', 'p99', 'last', 'count'] as const;

/** Verdict kinds (see "The verdict" in docs/scenario-format.md). */
export const VERDICT_KINDS = ['stable', 'overloaded', 'recovered', 'draining', 'metastable'] as const;

const bound = (rel: string) =>
  z
    .number({ error: () => msg.expectType('number') })
    .optional()
    .describe(`Passes when the statistic is ${rel} this.`);

const MetricExpectation = z.strictObject({
  metric: z
    .string({ error: () => msg.expectMetricName() })
    .regex(/^[^.\s]+\.\S+$/)
    .describe('Metric name <component>.<metric>, e.g. users.goodput, api.queue, api->db.calls.'),
  stat: oneOf(STATS).describe('Statistic over the window: mean | min | max | p50 | p90 | p99 | last | count.'),
  from: Duration.optional().describe('Start of the window. Default: warmup.'),
  to: DurationOrEnd.optional().describe('End of the window, or end. Default end.'),
  atLeast: bound('at least'),
  atMost: bound('at most'),
  below: bound('below'),
  above: bound('above'),
});

const RecoversExpectation = z.strictObject({
  recovers: z
    .strictObject({ within: PositiveDuration.describe('Longest recoverySeconds that passes.') })
    .describe('Passes when the verdict is recovered within this time of the end of the last fault window.'),
});

const VerdictExpectation = z.strictObject({
  verdict: z
    .union([oneOf(VERDICT_KINDS), z.array(oneOf(VERDICT_KINDS)).min(1).max(VERDICT_KINDS.length)], {
      error: () => msg.expectOneOf(VERDICT_KINDS),
    })
    .describe('Passes when the verdict is this kind, or one of these kinds: stable | overloaded | recovered | draining | metastable.'),
});

const OscillatesExpectation = z.strictObject({
  oscillates: z
    .union([z.boolean(), z.string().regex(/^[^.\s]+\.\S+$/)], { error: () => msg.expectOscillates() })
    .describe(
      'Passes when the verdict finds sustained swings after the trigger (true), none (false), or swings in this series ' +
        '<component>.<metric> (e.g. web.desired, api->db.breaker, users.attempts).',
    ),
});

/** One expectation; failing expectations make `run` exit 1. */
export const Expectation = z.union([MetricExpectation, RecoversExpectation, VerdictExpectation, OscillatesExpectation], {
  error: () => msg.expectExpectation(),
});

/** A whole scenario file. */
export const ScenarioSchema = z
  .strictObject({
    name: z
      .string({ error: () => msg.expectScenarioName() })
      .max(100)
      .regex(/^[a-z0-9-]+$/)
      .optional()
      .describe('Scenario name: lowercase letters, digits and "-". Default: the file name without its extension.'),
    description: z.string().max(100_000).default('').describe('The story, shown at the top of the report.'),
    seed: wholeNumber(0, Number.MAX_SAFE_INTEGER)
      .default(1)
      .describe('Root random seed, a whole number from 0 to 2^53-1. Default 1; --seed overrides.'),
    duration: PositiveDuration.describe('Simulated time the run covers. Required.'),
    warmup: Duration.default(0).describe('Leading time excluded from summary statistics; must be below duration. Default 0.'),
    sample: PositiveDuration.default('1s').describe(
      'Width of one time-series bucket; at most 10^5 buckets per run, and 2 x 10^6 buckets x components (clients, services and calls). Default 1s.',
    ),
    clients: z.record(ComponentName, Client).describe('Traffic sources: a map from name to client. At least one.'),
    services: z.record(ComponentName, Service).describe('Services: a map from name to service. At least one.'),
    brokers: z
      .record(ComponentName, Broker)
      .default({})
      .describe('Message brokers (SQS semantics): a map from name to broker. Default none.'),
    faults: z.array(Fault).max(10_000).default([]).describe('Perturbations, each for a window of time (at most 10^4).'),
    expect: z.array(Expectation).max(1000).default([]).describe('Checks on the run; a failing one makes run exit 1 (at most 1000).'),
  })
  .meta({
    title: 'loopsim scenario',
    description: 'A loopsim scenario: clients, services, faults and expectations, simulated deterministically.',
  });

/** A scenario file after validation, defaults filled, units not yet converted. */
export type ScenarioDocument = z.output<typeof ScenarioSchema>;

/** The scenario format as a JSON Schema (draft-07) for editors, generated from the zod schema. */
export function scenarioJsonSchema(): object {
  return z.toJSONSchema(ScenarioSchema, { target: 'draft-7', io: 'input', unrepresentable: 'any' });
}
