/**
 * Routing: an exclusive choice among consecutive calls of a service, by
 * weight or by key.
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
 *
 * A group whose calls name key ranges routes by key instead: no draw, the
 * request goes to the call whose range holds its operation's key (drawn once
 * by the client, model/client.ts), and the one call without a range takes
 * every other key and the operations without one (key -1), as an Envoy route
 * that matches a tenant header sends each tenant to its cluster and the rest
 * to a default. A key's requests therefore always meet the same call: a
 * bulkhead per key range.
 */
import type { Call, KeyRange } from '../../scenario/types.js';
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
  /** Whether the group routes by key ({@link pickKey}) rather than by weight ({@link pick}). */
  readonly byKey: boolean;
  /** Route by key: the first and last key of each call's range (the call for the rest: an empty range, 0 and -1). */
  private readonly firstKeys: Int32Array;
  private readonly lastKeys: Int32Array;
  /** Route by key: the offset of the call that takes the keys no range holds. */
  private readonly rest: number;

  /**
   * A group starting at call `start`, by weight; or by key when `keys` gives
   * the calls' ranges (`null` for the one call that takes the rest).
   */
  constructor(start: number, weights: readonly number[], rng: Alea, keys: readonly (KeyRange | null)[] | null = null) {
    this.start = start;
    this.end = start + weights.length;
    this.rng = rng;
    this.byKey = keys !== null;
    this.firstKeys = new Int32Array(keys?.map((k) => k?.from ?? 0) ?? []);
    this.lastKeys = new Int32Array(keys?.map((k) => k?.to ?? -1) ?? []);
    this.rest = keys === null ? 0 : Math.max(0, keys.indexOf(null));
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

  /** Route by key: the offset from `start` of the call whose range holds `key` (-1: none), else of the call for the rest. */
  pickKey(key: number): number {
    const first = this.firstKeys;
    const last = this.lastKeys;
    for (let i = 0; i < first.length; i++) if (key >= first[i]! && key <= last[i]!) return i;
    return this.rest;
  }
}

/**
 * The route choices of a service's calls, one entry per call: the group it
 * belongs to, or `null` for an ordinary call. Each group by weight draws from
 * its own stream, keyed by the service and the group's name.
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
    const members = [];
    for (let j = i; j < calls.length && calls[j]!.route?.group === group; j++) members.push(calls[j]!.route!);
    const weights = members.map((m) => m.weight);
    const keys = members.some((m) => m.keys !== undefined) ? members.map((m) => m.keys ?? null) : null;
    const choice = new RouteChoice(i, weights, createGenerator(seed, `service:${service}/route/${group}`), keys);
    for (let k = 0; k < weights.length; k++) out.push(choice);
    i += weights.length;
  }
  return out;
}
