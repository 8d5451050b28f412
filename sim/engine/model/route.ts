/**
 * Weighted routing: an exclusive choice among consecutive calls of a service.
 *
 * The calls of one `route.group` stand one after another in the service's
 * `calls` (the scenario checks see to it). A request that reaches the first
 * of them draws one uniform number from the group's own stream and makes
 * exactly the call it picks, with probability weight / (sum of the group's
 * weights), as Envoy's weighted_clusters pick a cluster per request; the
 * others are skipped. The pick is made once per request: the chosen call's
 * retries, breaker, pool and cache are its own, and a retry never moves to
 * another alternative (Envoy re-picks a cluster only for a retry through a
 * retry policy on the route, which loopsim does not model).
 */
import type { Call } from '../../scenario/types.js';
import { createGenerator, type Alea } from '../rng.js';

/** One group of alternative calls of a service: where it stands and how it picks. */
export class RouteChoice {
  /** Position in the service's calls of the group's first call. */
  readonly start: number;
  /** Position just after the group's last call. */
  readonly end: number;
  /** Running sums of the weights over their total: the upper bound of each call's slice of [0, 1). */
  private readonly bounds: Float64Array;
  private readonly rng: Alea;

  constructor(start: number, weights: readonly number[], rng: Alea) {
    this.start = start;
    this.end = start + weights.length;
    this.rng = rng;
    const total = weights.reduce((a, w) => a + w, 0);
    this.bounds = new Float64Array(weights.length);
    let sum = 0;
    for (const [i, w] of weights.entries()) {
      sum += w;
      this.bounds[i] = sum / total;
    }
    // The last slice ends at 1 whatever the rounding, so every draw in [0, 1) lands in one.
    this.bounds[weights.length - 1] = 1;
  }

  /** The offset from `start` of the call a uniform draw `u` in [0, 1) picks. */
  pickAt(u: number): number {
    const b = this.bounds;
    let i = 0;
    while (u >= b[i]!) i++;
    return i;
  }

  /** Draws the next request's pick: an offset from `start`. */
  pick(): number {
    return this.pickAt(this.rng.uniform());
  }
}

/**
 * The route choices of a service's calls, one entry per call: the group it
 * belongs to, or `null` for an ordinary call. Each group draws from its own
 * stream, keyed by the service and the group's name.
 */
export function routeChoices(calls: readonly Call[], service: string, seed: number): (RouteChoice | null)[] {
  const out: (RouteChoice | null)[] = [];
  let i = 0;
  while (i < calls.length) {
    const group = calls[i]!.route?.group;
    if (group === undefined) {
      out.push(null);
      i++;
      continue;
    }
    const weights: number[] = [];
    for (let j = i; j < calls.length && calls[j]!.route?.group === group; j++) weights.push(calls[j]!.route!.weight);
    const choice = new RouteChoice(i, weights, createGenerator(seed, `service:${service}/route/${group}`));
    for (let k = 0; k < weights.length; k++) out.push(choice);
    i += weights.length;
  }
  return out;
}
