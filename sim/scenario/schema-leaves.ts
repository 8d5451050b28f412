/**
 * The leaf types of the scenario format: durations, fractions, rates, counts,
 * names, distributions and rate profiles. Each carries its own error phrase
 * (what it expected, worded from the value found), so a bad value reads the
 * same wherever it appears. Schemas with an `id` become shared definitions in
 * the generated JSON Schema.
 *
 * These schemas validate the YAML as written; they convert nothing. Units
 * become seconds in normalize.ts.
 */
import { z } from 'zod';
import * as msg from './messages.js';
import { DURATION_PATTERN, MAX_DURATION_S, MAX_RATE_PER_S, PERCENT_PATTERN, toFraction, toSeconds } from './units.js';

/** An error map that words the expectation from the rejected value. */
type Phrase = (iss: { readonly input?: unknown }) => string;

function durationSchema(positive: boolean) {
  const error: Phrase = (iss) => msg.expectDuration(iss.input, positive);
  const num = z.number({ error }).max(MAX_DURATION_S);
  const str = z
    .string({ error })
    .regex(DURATION_PATTERN)
    .refine((s) => {
      const v = toSeconds(s);
      return v <= MAX_DURATION_S && (!positive || v > 0);
    });
  return z.union([positive ? num.positive() : num.min(0), str], { error });
}

/** A duration of 0 or more: seconds as a number, or a string such as `250us`, `250ms`, `1.5s`, `2m`, `1h`. */
export const Duration = durationSchema(false).meta({
  id: 'Duration',
  description: `A duration: a number of seconds (0.25) or a number with a unit: us, ms, s, m, h (250ms, 1.5s, 2m). From 0 to ${MAX_DURATION_S} s.`,
});

/** A duration above 0. */
export const PositiveDuration = durationSchema(true).meta({
  id: 'PositiveDuration',
  description: `A duration above 0: a number of seconds or a number with a unit: us, ms, s, m, h (250ms, 1.5s, 2m). At most ${MAX_DURATION_S} s.`,
});

const endError: Phrase = (iss) => msg.expectDurationOrEnd(iss.input);

/** A time in the run, or the word `end` for the run's `duration`. */
export const DurationOrEnd = z
  .union(
    [
      z.number({ error: endError }).min(0).max(MAX_DURATION_S),
      z
        .string({ error: endError })
        .regex(new RegExp(`${DURATION_PATTERN.source}|^end$`))
        .refine((s) => s === 'end' || toSeconds(s) <= MAX_DURATION_S),
    ],
    { error: endError },
  )
  .meta({ id: 'DurationOrEnd', description: 'A time in the run (a duration such as 240s), or end for the end of the run.' });

const fractionError: Phrase = (iss) => msg.expectFraction(iss.input);

/** A fraction 0..1, or a percentage string from `"0%"` to `"100%"`. */
export const Fraction = z
  .union(
    [
      z.number({ error: fractionError }).min(0).max(1),
      z
        .string({ error: fractionError })
        .regex(PERCENT_PATTERN)
        .refine((s) => toFraction(s) <= 1),
    ],
    { error: fractionError },
  )
  .meta({ id: 'Fraction', description: 'A fraction from 0 to 1, or a percentage string from "0%" to "100%".' });

/** A rate in events per second, 0..10^7. */
export const Rate = z
  .number({ error: () => msg.expectRate() })
  .min(0)
  .max(MAX_RATE_PER_S)
  .meta({ id: 'Rate', description: `A rate in requests per second, from 0 to ${MAX_RATE_PER_S}.` });

/** A whole number in [min, max]. */
export function wholeNumber(min: number, max: number) {
  const error = (): string => msg.expectWholeNumber(min, max);
  return z.number({ error }).int().min(min).max(max);
}

/** A number in [min, max], or (min, max] when `exclusiveMin`. */
export function boundedNumber(min: number, max: number, exclusiveMin = false) {
  const error = (): string => msg.expectNumber(min, max, exclusiveMin);
  const n = z.number({ error }).max(max);
  return exclusiveMin ? n.gt(min) : n.min(min);
}

/** A whole number in [min, max], or the word `unlimited`. */
export function countOrUnlimited(min: number, max: number) {
  const error = (): string => msg.expectCountOrUnlimited(min, max);
  return z.union([wholeNumber(min, max), z.literal('unlimited', { error })], { error });
}

/** A word from a fixed list; the error lists the choices (and parse.ts adds "did you mean"). */
export function oneOf<const T extends readonly [string, ...string[]]>(values: T) {
  return z.enum(values, { error: () => msg.expectOneOf(values) });
}

/** Pattern for client and service names: metric names are built from them. */
export const COMPONENT_NAME_PATTERN = /^[A-Za-z][A-Za-z0-9_-]*$/;

/** A client or service name (a key under `clients` or `services`). */
export const ComponentName = z
  .string({ error: () => msg.expectComponentName() })
  .max(64)
  .regex(COMPONENT_NAME_PATTERN)
  .meta({
    id: 'ComponentName',
    description: 'A component name: letters, digits, "-" and "_", starting with a letter; at most 64 characters.',
  });

/** A reference to a component by name; whether it exists is checked after the schema. */
export function nameRef(what: string) {
  return z.string({ error: () => msg.expectNameOf(what) }).min(1);
}

// ── Distributions ──────────────────────────────────────────────────────────

const distObject = z.discriminatedUnion(
  'dist',
  [
    z.strictObject({
      dist: z.literal('constant'),
      value: Duration.describe('The value every draw returns.'),
    }),
    z.strictObject({
      dist: z.literal('exponential'),
      mean: Duration.describe('Mean of the exponential distribution.'),
    }),
    z.strictObject({
      dist: z.literal('uniform'),
      min: Duration.describe('Smallest value (inclusive).'),
      max: Duration.describe('Largest value; must not be below min.'),
    }),
    z.strictObject({
      dist: z.literal('lognormal'),
      median: PositiveDuration.optional().describe('Median; give it with p99 (or give mu and sigma instead).'),
      p99: PositiveDuration.optional().describe('99th percentile; must be above median. sigma = ln(p99 / median) / 2.3263.'),
      mu: boundedNumber(-50, 50).optional().describe('Mean of ln(X), X in seconds; give it with sigma. -50 to 50.'),
      sigma: boundedNumber(0, 10, true).optional().describe('Standard deviation of ln(X); above 0, at most 10.'),
    }),
    z.strictObject({
      dist: z.literal('erlang'),
      k: wholeNumber(1, 1000).describe('Shape: number of exponential phases, 1 to 1000.'),
      mean: Duration.describe('Mean of the whole (k phases together).'),
    }),
    z.strictObject({
      dist: z.literal('pareto'),
      scale: PositiveDuration.describe('Scale x_m: the smallest value drawn.'),
      shape: boundedNumber(0, 100, true).describe('Shape alpha, above 0 and at most 100; the mean is finite only above 1.'),
    }),
  ],
  { error: () => msg.expectDist() },
);

/** All distribution kinds, in the order the format lists them. */
export const DIST_KINDS = ['constant', 'exponential', 'uniform', 'lognormal', 'erlang', 'pareto'] as const;

/** A distribution of durations: a plain duration (constant) or `{ dist: <kind>, ... }`. */
export const Dist = z.union([Duration, distObject], { error: () => msg.expectDist() }).meta({
  id: 'Distribution',
  description:
    'A distribution of durations. A plain duration means constant; otherwise one of ' +
    '{dist: constant, value}, {dist: exponential, mean}, {dist: uniform, min, max}, ' +
    '{dist: lognormal, median, p99} or {dist: lognormal, mu, sigma} (log-seconds), ' +
    '{dist: erlang, k, mean}, {dist: pareto, scale, shape}.',
});

// ── Rates over time ────────────────────────────────────────────────────────

const RateStep = z.strictObject({
  at: Duration.describe('Time this step starts; before the first step the rate is 0.'),
  rate: Rate.describe('Rate from `at` until the next step, per second.'),
});

const RateRamp = z.strictObject({
  from: Rate.describe('Rate at t = 0, per second.'),
  to: Rate.describe('Rate reached at t = over and kept after, per second.'),
  over: PositiveDuration.describe('Length of the linear ramp.'),
});

/** A rate over time: a number, a list of steps, or a linear ramp. */
export const RateProfile = z.union([Rate, z.array(RateStep).min(1).max(10_000), RateRamp], { error: () => msg.expectRateProfile() }).meta({
  id: 'RateProfile',
  description:
    'Requests per second: a number (constant), a list of steps [{at: 0s, rate: 500}, {at: 120s, rate: 900}] ' +
    '(at most 10000; before the first step the rate is 0), or a ramp {from: 100, to: 1000, over: 300s}.',
});
