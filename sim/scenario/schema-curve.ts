/**
 * The schema of a load-dependent latency curve, the third form of a service's
 * `degradation`: service time × a factor that grows with the load one
 * replica carries (docs/model.md, "Degradation"). There is no library whose
 * defaults to copy: the cap of 1000 matches the bound of the threshold form's
 * `slowdown`, and the polynomial's exponent of 2 is the smallest that bends.
 */
import { z } from 'zod';
import { boundedNumber, oneOf } from './schema-leaves.js';

/** The shapes a curve may take. */
export const CURVE_SHAPES = ['linear', 'polynomial', 'exponential'] as const;
/** What a curve is a function of. */
export const CURVE_INPUTS = ['inflight', 'busy', 'utilization'] as const;
/** Exponent of a polynomial curve when none is given. */
export const DEFAULT_CURVE_EXPONENT = 2;
/** Largest factor a curve reaches when no `max` is given. */
export const DEFAULT_CURVE_MAX = 1000;

/** `{curve, of, k, exponent, max}`: a service time factor as a function of load. */
export const DegradationCurve = z.strictObject({
  curve: oneOf(CURVE_SHAPES).describe(
    "Shape of the factor f(x) on service time: linear 1 + k·x (Brooker's contention model: base + k·base per concurrent request), polynomial 1 + k·x^exponent, exponential e^(k·x).",
  ),
  of: oneOf(CURVE_INPUTS)
    .default('inflight')
    .describe(
      'The load x, per replica when a request starts (itself included): inflight (waiting + busy), busy (workers held: concurrency) or utilization (busy / workers, 0 to 1). Default inflight.',
    ),
  k: boundedNumber(0, 1_000_000).describe('Steepness of the curve, 0 to 10^6 (0: no slowdown). Required.'),
  exponent: boundedNumber(1, 10).optional().describe(`Power of x for curve: polynomial, 1 to 10. Default ${DEFAULT_CURVE_EXPONENT}.`),
  max: boundedNumber(1, 1_000_000)
    .default(DEFAULT_CURVE_MAX)
    .describe(`Largest factor, 1 to 10^6: the curve is capped there. Default ${DEFAULT_CURVE_MAX}.`),
});
