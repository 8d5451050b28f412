/**
 * The share of a service's requests that make a call: its probability, times,
 * for an alternative of a weighted choice, its weight over its group's total.
 * A route by key has no such share in the scenario: it depends on the keys of
 * the operations that reach the service, so only a run measures it (the
 * `routed` counts).
 */
import type { Call } from './types.js';

/** Whether `call` is an alternative of a route by key (some call of its group names keys). */
export function routedByKey(calls: readonly Call[], call: Call): boolean {
  const group = call.route?.group;
  return group !== undefined && calls.some((c) => c.route?.group === group && c.route.keys !== undefined);
}

/**
 * The fraction of a call's group's requests that the choice sends to it (1 for
 * a call not in a group); `null` for an alternative of a route by key.
 */
export function routeShare(calls: readonly Call[], call: Call): number | null {
  const route = call.route;
  if (route === null) return 1;
  if (routedByKey(calls, call)) return null;
  const total = calls.reduce((sum, c) => sum + (c.route?.group === route.group ? c.route.weight : 0), 0);
  return route.weight / total;
}

/** The fraction of the service's requests that make `call`: its probability times its route share (`null` in a route by key). */
export function callShare(calls: readonly Call[], call: Call): number | null {
  const share = routeShare(calls, call);
  return share === null ? null : call.probability * share;
}
