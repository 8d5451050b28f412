/**
 * The metric names a run records, per kind of component (SCENARIO-FORMAT.md,
 * "Metric names"), so expectations can be checked before a run starts. A time
 * series is named `<component>.<metric>`; an edge is named `<caller>-><callee>`.
 */

/** Metrics of every client. */
export const CLIENT_METRICS = ['offered', 'attempts', 'retries', 'timeouts', 'goodput', 'failures', 'latency'] as const;

/** Metrics of every service (`desired` only with `autoscale`). */
export const SERVICE_METRICS = [
  'arrivals', 'completed', 'errors', 'rejected', 'expired', 'wasted', 'queue', 'busy', 'inflight',
  'utilization', 'instances', 'ready', 'latency', 'duplicates',
] as const;

/** Metrics of a service with autoscaling, beside SERVICE_METRICS. */
export const AUTOSCALE_METRICS = ['desired'] as const;

/** Metrics of every call edge `caller->callee`. */
export const EDGE_METRICS = [
  'calls', 'retries', 'timeouts', 'shortCircuited', 'breaker', 'pool.inUse', 'pool.waiting',
  'cache.hits', 'cache.misses', 'cache.coalesced', 'cache.hitRatio',
] as const;

/** Stocks (levels rather than rates): each also has a `<name>.max` series. */
export const STOCK_METRICS: ReadonlySet<string> = new Set([
  'queue', 'busy', 'inflight', 'utilization', 'instances', 'ready', 'desired', 'breaker', 'pool.inUse', 'pool.waiting',
]);

/** The metric names a component records, `.max` companions of stocks included. */
export function metricsWithMax(names: readonly string[]): string[] {
  return names.flatMap((n) => (STOCK_METRICS.has(n) ? [n, `${n}.max`] : [n]));
}

/** `api->db` → `['api', 'db']`; undefined when the text is not an edge name. */
export function splitEdge(name: string): [string, string] | undefined {
  const at = name.indexOf('->');
  if (at <= 0 || at + 2 >= name.length) return undefined;
  return [name.slice(0, at), name.slice(at + 2)];
}
