/**
 * The schema of an adaptive concurrency limit at a service's ingress. Its
 * one kind, `aimd`, and its fields and defaults follow Netflix's
 * concurrency-limits library (`AIMDLimit`: initialLimit, minLimit,
 * maxLimit, backoffRatio, timeout).
 */
import { z } from 'zod';
import { PositiveDuration, wholeNumber } from './schema-leaves.js';

const BACKOFF_RANGE = 'a number from 0.5 to below 1 (0.9 takes a tenth off the limit at each drop)';

/** Most requests a concurrency limit may admit at once. */
export const MAX_CONCURRENCY_LIMIT = 1_000_000;

/** An AIMD concurrency limit: additive increase while answers are fine, multiplicative decrease on a drop. */
export const ConcurrencyLimit = z
  .strictObject({
    kind: z.literal('aimd').describe('Additive increase, multiplicative decrease (Netflix concurrency-limits AIMDLimit).'),
    initial: wholeNumber(1, MAX_CONCURRENCY_LIMIT)
      .default(20)
      .describe('The limit at the start, within min..max. Default 20 (initialLimit).'),
    min: wholeNumber(1, MAX_CONCURRENCY_LIMIT).default(20).describe('The limit never falls below this. Default 20 (minLimit).'),
    max: wholeNumber(1, MAX_CONCURRENCY_LIMIT).default(200).describe('The limit never rises above this. Default 200 (maxLimit).'),
    backoff: z
      .number({ error: () => BACKOFF_RANGE })
      .min(0.5)
      .lt(1)
      .default(0.9)
      .describe('Factor on the limit after a drop, at least 0.5 and below 1. Default 0.9 (backoffRatio).'),
    timeout: PositiveDuration.default('5s').describe('A request answered later than this counts as a drop. Default 5s.'),
  })
  .describe(
    'Adaptive concurrency limit at the ingress (Netflix concurrency-limits): a request that finds as many requests inside the ' +
      'service as the limit is refused at once (counted as concurrencyLimited; its caller sees a rejection). The limit grows by ' +
      'one with each answer on time while the service is at least half full, and is multiplied by backoff on each error, ' +
      'rejection, dropped request or answer later than timeout. None when absent.',
  );
