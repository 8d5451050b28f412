/**
 * The schema of a token-bucket rate limit, the same at a service's ingress,
 * on a client and on a call. Its fields follow Envoy's local rate limit
 * (`token_bucket`: max_tokens, tokens_per_fill, fill_interval), written as a
 * rate and a burst; the waiting room follows nginx's `limit_req ... burst`,
 * which delays excess requests instead of refusing them.
 */
import { z } from 'zod';
import { PositiveDuration, boundedNumber, countOrUnlimited, wholeNumber } from './schema-leaves.js';
import { MAX_RATE_PER_S } from './units.js';

/** A token bucket: `rate` tokens per second, at most `burst` held, full at the start. */
export const RateLimit = z
  .strictObject({
    rate: boundedNumber(0, MAX_RATE_PER_S, true).describe(
      'Tokens added per second, above 0, at most 10^7; each request takes one. Required (Envoy tokens_per_fill / fill_interval).',
    ),
    burst: wholeNumber(1, 10_000_000).describe(
      'Most tokens the bucket holds, 1 to 10^7; it starts full, so this many requests pass at once. Required (Envoy max_tokens).',
    ),
    fillInterval: PositiveDuration.optional().describe(
      'Tokens arrive in fills of rate x fillInterval at each multiple of this time, as in Envoy (fill_interval). ' +
        'Absent: tokens accrue continuously (the limit of ever smaller fills).',
    ),
    // Envoy's local rate limit never queues: 0 is its behaviour.
    queue: countOrUnlimited(0, 10_000_000)
      .default(0)
      .describe(
        'Requests that may wait for a token, 0 to 10^7, or unlimited; one that finds the room full is refused. ' +
          'Default 0: refuse at once, as Envoy does (a waiting room is nginx limit_req with burst).',
      ),
  })
  .describe(
    'Token-bucket rate limit (Envoy local rate limit): a request without a token is refused (a 429, counted as rateLimited) or waits for one in a bounded queue. None when absent.',
  );
