/**
 * The share of a service's requests that make a call: its probability, times,
 * for an alternative of a weighted choice, its weight over its group's total.
 */
import type { Call } from './types.js';

/** The fraction of a call's group's requests that the choice sends to it (1 for a call not in a group). */
export function routeShare(calls: readonly Call[], call: Call): number {
  const route = call.route;
  if (route === null) return 1;
  const total = calls.reduce((sum, c) => sum + (c.route?.group === route.group ? c.route.weight : 0), 0);
  return route.weight / total;
}

/** The fraction of the service's requests that make `call`: its probability times its route share. */
export function callShare(calls: readonly Call[], call: Call): number {
  return call.probability * routeShare(calls, call);
}
