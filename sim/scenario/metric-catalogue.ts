/**
 * The metric catalogue: one declaration per metric a run can record. Every
 * other place that names a metric reads it from here: the engine when it
 * declares its series (sim/engine/model/{client,service,edge}.ts), the
 * expectation checks and their "did you mean" (check-references.ts), the
 * column reading of timeseries.csv and of expectations (sim/metrics/csv.ts),
 * the report's units (reports/summary-table.ts), the metric table in
 * docs/model.md ({@link renderMetricTable}) and the fuzzer's expectations.
 *
 * A series is named `<component>.<metric>`: `users.goodput`, `api.queue`,
 * `api->db.pool.inUse` (an edge is named `caller->callee`, see edge-names.ts).
 *
 * ## Adding a metric
 *
 * 1. Add one entry to {@link METRIC_CATALOGUE}. Entries of one component are
 *    in the order the engine declares them, which is the order of the
 *    columns of timeseries.csv and of the keys of summary.json: put a new
 *    metric after the existing ones of its component, so no existing output
 *    moves. A new unit needs its display in reports/summary-table.ts (the
 *    compiler asks for it).
 * 2. If it exists only with some mechanism, give it `requires`. A new
 *    mechanism adds its word to {@link Requirement} and {@link REQUIREMENTS};
 *    the compiler then asks where a component's mechanisms are decided (the
 *    engine's model files, sim/scenario/check-references.ts).
 * 3. In the engine, declare it with {@link defineMetric} (or
 *    {@link defineRatio}) at setup, in catalogue order, and report it on the
 *    hot path by the id that returns. test/engine/metric-catalogue.test.ts
 *    fails while the engine and the catalogue disagree (give its scenario a
 *    new mechanism, with and without).
 * 4. Run `npm run docs:metrics` to regenerate the table in docs/model.md
 *    (test/scenario/metric-catalogue.test.ts fails until the docs agree).
 *
 * The expectation checks, the CSV, the report's units and the fuzzer's
 * expectations then know the metric with no further edit.
 */

/** The kinds of component a metric belongs to (the part of its name before the first dot). */
export type ComponentKind = 'client' | 'service' | 'edge' | 'broker' | 'instance';

/**
 * How a metric is aggregated:
 * - `rate`: events counted per bucket, reported per second;
 * - `stock`: a level that holds between changes, reported as its time-weighted
 *   mean per bucket with the peak beside it (`<name>.max`);
 * - `latency`: one duration per event, kept as a histogram per bucket;
 * - `ratio`: a count over a sum of counts, per bucket, worked out when the
 *   run ends (shaped like a stock; empty in buckets where the sum is 0).
 */
export type MetricKind = 'rate' | 'stock' | 'latency' | 'ratio';

/** The unit of a metric's values (a latency is in seconds; the report shows it in ms). */
export type MetricUnit =
  'per second' | 'seconds' | 'requests' | 'instances' | 'connections' | 'fraction' | 'breaker state' | 'messages' | 'age in seconds';

/** A mechanism a metric exists with: without it the engine does not record the metric. */
export type Requirement =
  | 'autoscale'
  | 'boundedWorkers'
  | 'breaker'
  | 'pool'
  | 'cache'
  | 'clientBackoff'
  | 'callBackoff'
  | 'coalesce'
  | 'fallback'
  | 'degradable'
  | 'rateLimit'
  | 'rateLimitQueue'
  | 'boundedCache'
  | 'route'
  | 'linkFault'
  | 'crash'
  | 'concurrencyLimit'
  | 'outlierDetection'
  | 'clientBreaker'
  | 'clientRateLimit'
  | 'clientRateLimitQueue'
  | 'callRateLimit'
  | 'callRateLimitQueue'
  | 'hedge'
  | 'perInstance'
  | 'perInstanceWorkers'
  | 'crashTrigger'
  | 'healthCheck';

/** Each requirement: the component kind it applies to, and when it holds, in words. */
export const REQUIREMENTS: Readonly<Record<Requirement, { readonly on: ComponentKind; readonly when: string }>> = {
  autoscale: { on: 'service', when: 'with autoscale' },
  boundedWorkers: { on: 'service', when: 'with a bounded number of workers (not unlimited)' },
  breaker: { on: 'edge', when: 'with a breaker' },
  pool: { on: 'edge', when: 'with a pool' },
  cache: { on: 'edge', when: 'with a cache' },
  clientBackoff: { on: 'client', when: 'with a retry policy that backs off (attempts above 1, a backoff other than none)' },
  callBackoff: { on: 'edge', when: 'with a retry policy that backs off (attempts above 1, a backoff other than none)' },
  coalesce: { on: 'edge', when: 'with a cache that coalesces misses (coalesce: true)' },
  fallback: { on: 'edge', when: 'with a fallback or optional: true' },
  degradable: { on: 'client', when: 'when some call of the scenario has a fallback or is optional' },
  rateLimit: { on: 'service', when: 'with a rate limit' },
  rateLimitQueue: { on: 'service', when: 'with a rate limit that lets requests wait (queue above 0)' },
  boundedCache: { on: 'edge', when: 'with a cache that has a capacity' },
  route: { on: 'edge', when: 'with a route (one alternative of a route group, by weight or by key)' },
  linkFault: { on: 'edge', when: 'when a link fault names the call' },
  crash: { on: 'service', when: 'when a crash fault targets it, or with crashWhen' },
  concurrencyLimit: { on: 'service', when: 'with a concurrency limit' },
  outlierDetection: { on: 'service', when: 'with outlier detection' },
  clientBreaker: { on: 'client', when: 'with a breaker' },
  clientRateLimit: { on: 'client', when: 'with a rate limit' },
  clientRateLimitQueue: { on: 'client', when: 'with a rate limit that lets attempts wait (queue above 0)' },
  callRateLimit: { on: 'edge', when: 'with a rate limit' },
  callRateLimitQueue: { on: 'edge', when: 'with a rate limit that lets calls wait (queue above 0)' },
  hedge: { on: 'edge', when: 'with hedge' },
  perInstance: { on: 'instance', when: 'of a service with perInstance: true' },
  perInstanceWorkers: { on: 'instance', when: 'of a service with perInstance: true and a bounded number of workers' },
  crashTrigger: { on: 'service', when: 'with crashWhen' },
  healthCheck: { on: 'service', when: 'with a health check' },
};

/** One metric: what every reader of metric names needs to know about it. */
export interface MetricDeclaration {
  /** The part after `<component>.`, e.g. `goodput`, `pool.inUse`. */
  readonly name: string;
  readonly on: ComponentKind;
  readonly kind: MetricKind;
  readonly unit: MetricUnit;
  /** The mechanism the component needs for the metric to exist; absent when it always exists. */
  readonly requires?: Requirement;
  /** One line: what is counted or measured. */
  readonly description: string;
}

/** A rate (events per second) declaration, the most common kind. */
function rate<const O extends ComponentKind, const N extends string>(on: O, name: N, description: string, requires?: Requirement) {
  return { name, on, kind: 'rate', unit: 'per second', description, ...(requires !== undefined && { requires }) } as const;
}

/** Every metric, per component in the order the engine declares them (see the module comment). */
export const METRIC_CATALOGUE = [
  rate('client', 'offered', 'new operations sent (first attempts)'),
  rate('client', 'attempts', 'attempts sent, retries included (with a rate limit: attempts made, those it refused or holds included)'),
  rate('client', 'retries', 'retry attempts'),
  rate('client', 'timeouts', 'attempts given up on at the client timeout'),
  rate('client', 'goodput', 'operations that succeeded'),
  rate('client', 'failures', 'operations that failed for good (no retry left or allowed)'),
  {
    name: 'latency',
    on: 'client',
    kind: 'latency',
    unit: 'seconds',
    description: 'successful operations, first send to final success, retries and backoff included',
  },
  {
    name: 'retry.waiting',
    on: 'client',
    kind: 'stock',
    unit: 'requests',
    requires: 'clientBackoff',
    description: 'operations waiting out a retry backoff',
  },
  rate(
    'client',
    'degraded',
    'operations that succeeded with a degraded answer (a fallback or a skipped optional call on the way); also counted in goodput',
    'degradable',
  ),
  rate(
    'client',
    'shortCircuited',
    "attempts failed at once by the client's open breaker, without reaching the service (counted in attempts too)",
    'clientBreaker',
  ),
  {
    name: 'breaker',
    on: 'client',
    kind: 'stock',
    unit: 'breaker state',
    requires: 'clientBreaker',
    description: "the client's breaker state: 0 closed, 0.5 half-open, 1 open",
  },
  rate(
    'client',
    'rateLimited',
    "attempts the client's own rate limit refused (no token, no room to wait): failed at once as a rejection, never sent",
    'clientRateLimit',
  ),
  {
    name: 'rateLimit.waiting',
    on: 'client',
    kind: 'stock',
    unit: 'requests',
    requires: 'clientRateLimitQueue',
    description: "attempts waiting for a token of the client's rate limit before they are sent",
  },

  rate('service', 'arrivals', 'requests that reached the service, rejected ones included'),
  rate('service', 'completed', 'successful responses'),
  rate('service', 'errors', 'error responses'),
  rate('service', 'rejected', 'requests turned away: queue full, no replica in rotation, or shed by CoDel'),
  rate('service', 'expired', 'requests dropped at dequeue because their caller had given up (`dropExpired`)'),
  rate('service', 'wasted', 'responses (completed or errors) sent after the caller had given up'),
  rate('service', 'duplicates', 'requests served again for an operation whose earlier attempt had already completed here'),
  { name: 'queue', on: 'service', kind: 'stock', unit: 'requests', description: 'requests waiting for a worker, over all replicas' },
  {
    name: 'busy',
    on: 'service',
    kind: 'stock',
    unit: 'requests',
    description: 'workers in use (local work, waiting on a call, or backing off)',
  },
  { name: 'inflight', on: 'service', kind: 'stock', unit: 'requests', description: 'requests inside the service: queue + busy' },
  {
    name: 'utilization',
    on: 'service',
    kind: 'stock',
    unit: 'fraction',
    requires: 'boundedWorkers',
    description: 'min(1, busy / (workers × replicas in rotation)); 1 when work is held with no replica in rotation',
  },
  { name: 'instances', on: 'service', kind: 'stock', unit: 'instances', description: 'replicas running, warming up included' },
  { name: 'ready', on: 'service', kind: 'stock', unit: 'instances', description: 'replicas in rotation (warmed up, taking traffic)' },
  {
    name: 'latency',
    on: 'service',
    kind: 'latency',
    unit: 'seconds',
    description: 'responses (completed and errors), arrival to response sent',
  },
  {
    name: 'desired',
    on: 'service',
    kind: 'stock',
    unit: 'instances',
    requires: 'autoscale',
    description: 'replicas the autoscaler asks for',
  },
  rate(
    'service',
    'rateLimited',
    'requests the rate limit at the ingress refused (no token, no room to wait): a 429 to the caller',
    'rateLimit',
  ),
  {
    name: 'rateLimit.waiting',
    on: 'service',
    kind: 'stock',
    unit: 'requests',
    requires: 'rateLimitQueue',
    description: 'requests waiting at the ingress for a rate-limit token',
  },
  rate(
    'service',
    'concurrencyLimited',
    'requests the adaptive concurrency limit refused (as many inside as the limit): a rejection to the caller',
    'concurrencyLimit',
  ),
  {
    name: 'concurrencyLimit',
    on: 'service',
    kind: 'stock',
    unit: 'requests',
    requires: 'concurrencyLimit',
    description: 'the adaptive concurrency limit now: most requests let inside the service at once',
  },
  rate(
    'service',
    'crash.killed',
    'requests in flight (waiting or in local work) on a replica when it crashed: failed at once, counted in errors too',
    'crash',
  ),
  {
    name: 'crash.down',
    on: 'service',
    kind: 'stock',
    unit: 'instances',
    requires: 'crash',
    description: 'replicas down after a crash, until they restart (still in rotation, failing each request at once)',
  },
  rate('service', 'outlier.ejections', 'replicas taken out of rotation by outlier detection (errors in a row)', 'outlierDetection'),
  {
    name: 'outlier.ejected',
    on: 'service',
    kind: 'stock',
    unit: 'instances',
    requires: 'outlierDetection',
    description: 'replicas out of rotation by outlier detection, until a sweep returns them',
  },
  rate(
    'service',
    'crashes',
    'replicas the crash trigger (crashWhen) killed: their load stayed above its threshold for its time (an OOM kill)',
    'crashTrigger',
  ),
  {
    name: 'healthy',
    on: 'service',
    kind: 'stock',
    unit: 'instances',
    requires: 'healthCheck',
    description:
      'ready replicas the health check keeps in rotation (not failed unhealthyThreshold checks in a row since their last healthyThreshold passes)',
  },
  rate(
    'service',
    'healthChecks.failed',
    'health checks that failed: the replica down, paused, or its oldest queued request older than the timeout',
    'healthCheck',
  ),

  {
    name: 'inflight',
    on: 'instance',
    kind: 'stock',
    unit: 'requests',
    requires: 'perInstance',
    description: 'requests inside the replica: its queue + its busy workers (0 while no replica holds the index)',
  },
  {
    name: 'utilization',
    on: 'instance',
    kind: 'stock',
    unit: 'fraction',
    requires: 'perInstanceWorkers',
    description:
      'min(1, busy / workers) while the replica is in rotation; 1 when it holds work out of rotation; empty in a bucket that had no replica at the index for some of it',
  },
  rate('instance', 'errors', 'error responses from the replica (crashed work included)', 'perInstance'),

  rate('edge', 'calls', 'calls sent on the edge: first tries, retries and cache refreshes'),
  rate('edge', 'retries', 'retry attempts of calls'),
  rate('edge', 'timeouts', 'calls given up on at the call timeout'),
  rate('edge', 'shortCircuited', 'calls failed at once by an open breaker', 'breaker'),
  {
    name: 'breaker',
    on: 'edge',
    kind: 'stock',
    unit: 'breaker state',
    requires: 'breaker',
    description: 'breaker state: 0 closed, 0.5 half-open, 1 open',
  },
  {
    name: 'pool.inUse',
    on: 'edge',
    kind: 'stock',
    unit: 'connections',
    requires: 'pool',
    description: 'connections in use, over all caller instances',
  },
  {
    name: 'pool.waiting',
    on: 'edge',
    kind: 'stock',
    unit: 'requests',
    requires: 'pool',
    description: 'calls waiting for a connection, over all caller instances',
  },
  rate('edge', 'cache.hits', 'lookups answered by the cache', 'cache'),
  rate('edge', 'cache.misses', 'lookups that made the call to fill the key', 'cache'),
  rate('edge', 'cache.coalesced', 'lookups that waited on a fill already under way', 'cache'),
  rate('edge', 'breaker.opens', 'transitions of the breaker to open (from closed or half-open)', 'breaker'),
  {
    name: 'retry.waiting',
    on: 'edge',
    kind: 'stock',
    unit: 'requests',
    requires: 'callBackoff',
    description: "calls waiting out a retry backoff, each holding its caller's worker",
  },
  {
    name: 'cache.waiting',
    on: 'edge',
    kind: 'stock',
    unit: 'requests',
    requires: 'coalesce',
    description: "lookups waiting on a fill already under way, each holding its caller's worker",
  },
  rate('edge', 'fallbacks', 'calls that failed for good and were absorbed: answered by the fallback, or skipped when optional', 'fallback'),
  rate(
    'edge',
    'routed',
    'requests whose route group picked this call, by weight or by key (once per request: its retries are not counted again)',
    'route',
  ),
  rate('edge', 'lost', 'messages of the call, requests and responses, that a link fault lost', 'linkFault'),
  {
    name: 'cache.hitRatio',
    on: 'edge',
    kind: 'ratio',
    unit: 'fraction',
    requires: 'cache',
    description: 'cache.hits / (cache.hits + cache.misses + cache.coalesced)',
  },
  rate('edge', 'cache.evictions', 'keys dropped by a full cache to store another', 'boundedCache'),
  rate(
    'edge',
    'rateLimited',
    "attempts the call's rate limit refused (no token, no room to wait): failed at once as a rejection, never sent",
    'callRateLimit',
  ),
  {
    name: 'rateLimit.waiting',
    on: 'edge',
    kind: 'stock',
    unit: 'requests',
    requires: 'callRateLimitQueue',
    description: "calls waiting for a token of the call's rate limit, each holding its caller's worker, over all caller replicas",
  },
  rate('edge', 'hedges', "hedged copies sent beyond each call's first (also counted in calls)", 'hedge'),
  rate('edge', 'hedgeWins', 'hedged calls whose success came from a copy other than the first', 'hedge'),

  rate('broker', 'published', 'messages producers published (each acknowledged at once)'),
  rate('broker', 'received', 'messages handed to a consumer, redeliveries included'),
  rate('broker', 'redelivered', 'receives of a message received before (its receive count above 1)'),
  rate('broker', 'acked', 'messages deleted by a consumer after a successful delivery'),
  rate('broker', 'deadLettered', 'messages moved to the dead-letter queue at maxReceiveCount'),
  rate('broker', 'dropped', 'messages dropped unreceived because they were older than retention'),
  { name: 'visible', on: 'broker', kind: 'stock', unit: 'messages', description: 'messages waiting to be received: the backlog' },
  {
    name: 'inFlight',
    on: 'broker',
    kind: 'stock',
    unit: 'messages',
    description: 'messages received and not yet deleted, invisible until their visibility timeout',
  },
  {
    name: 'delayed',
    on: 'broker',
    kind: 'stock',
    unit: 'messages',
    description: 'messages waiting out a redelivery delay after a failed delivery',
  },
  {
    name: 'oldestAge',
    on: 'broker',
    kind: 'stock',
    unit: 'age in seconds',
    description: 'age, since it was published, of the visible message that has waited longest in the queue',
  },
] as const satisfies readonly MetricDeclaration[];

type Catalogued = (typeof METRIC_CATALOGUE)[number];

/** The metric names of one component kind, as a type: `MetricOf<'edge'>` is `'calls' | ... | 'cache.hitRatio'`. */
export type MetricOf<C extends ComponentKind> = Extract<Catalogued, { readonly on: C }>['name'];

/** The metrics of a component kind the engine declares itself: all but the ratios, which it derives. */
export type DirectMetricOf<C extends ComponentKind> = Exclude<MetricOf<C>, Extract<Catalogued, { readonly kind: 'ratio' }>['name']>;

/** The column suffixes timeseries.csv writes for a metric of each kind, in column order. */
export const CSV_SUFFIXES: Readonly<Record<MetricKind, readonly string[]>> = {
  rate: [''],
  stock: ['', '.max'],
  latency: ['', '.p50', '.p99'],
  ratio: ['', '.max'],
};

/** The quantile each latency suffix reads, per bucket, in the CSV and in expectations. */
export const LATENCY_QUANTILES: Readonly<Record<string, number>> = { '.p50': 0.5, '.p90': 0.9, '.p99': 0.99, '.max': 1 };

/** The suffixes an expectation may put after a metric of each kind (a latency also takes `.p90` and `.max`). */
export const READABLE_SUFFIXES: Readonly<Record<MetricKind, readonly string[]>> = {
  ...CSV_SUFFIXES,
  latency: ['', ...Object.keys(LATENCY_QUANTILES)],
};

/**
 * The series name of metric `metric` of component `owner` (of kind `on`):
 * `api.queue`, `api->db.pool.inUse`. Readers name series through it, so a
 * name the catalogue lacks does not compile.
 */
export function metricName<C extends ComponentKind>(_on: C, owner: string, metric: MetricOf<C>): string {
  return `${owner}.${metric}`;
}

/**
 * The declaration behind a series name (`<component>.<metric>`; component
 * names have no dots), found by the metric's name alone: a name means the same
 * kind and unit on every component kind that has it. A replica's series
 * (`api[2].inflight`) finds the `instance` declaration, whose description is
 * its own.
 */
export function declarationOf(series: string): MetricDeclaration | undefined {
  const dot = series.indexOf('.');
  const metric = series.slice(dot + 1);
  const replica = series.slice(0, dot).endsWith(']');
  return METRIC_CATALOGUE.find((m: MetricDeclaration) => m.name === metric && (!replica || m.on === 'instance'));
}

/** The declaration of metric `name` of a component kind, or undefined when there is none. */
export function findMetric(on: ComponentKind, name: string): MetricDeclaration | undefined {
  return METRIC_CATALOGUE.find((m) => m.on === on && m.name === name);
}

/** The metrics of a component kind whose requirement `has` accepts, in declaration order. */
export function metricsOf(on: ComponentKind, has: (r: Requirement) => boolean = () => true): MetricDeclaration[] {
  return METRIC_CATALOGUE.filter((m: MetricDeclaration) => m.on === on && (m.requires === undefined || has(m.requires)));
}

/** The names an expectation may use for metrics `metrics`: each name with its kind's readable suffixes. */
export function readableNames(metrics: readonly MetricDeclaration[]): string[] {
  return metrics.flatMap((m) => READABLE_SUFFIXES[m.kind].map((s) => m.name + s));
}

/**
 * What {@link defineMetric} needs of the engine's trace sink (sim/engine/trace.ts
 * `TraceSink` has it): the scenario layer cannot import the engine.
 */
export interface MetricSink {
  define(name: string, kind: 'rate' | 'stock' | 'latency', initial?: number): number;
  ratio(name: string, numerator: number, denominators: readonly number[]): void;
}

/**
 * Declares metric `name` of component `owner` (of kind `on`) with the sink and
 * returns its id, or -1 when `has` says the component lacks the metric's
 * requirement (the engine then never reports it). A `ratio` is not declared
 * here: it is derived from other metrics' ids (`TraceSink.ratio`).
 */
export function defineMetric<C extends ComponentKind>(
  sink: MetricSink,
  on: C,
  owner: string,
  name: DirectMetricOf<C>,
  has: (r: Requirement) => boolean = () => true,
  initial?: number,
): number {
  const m = findMetric(on, name);
  if (m === undefined || m.kind === 'ratio') throw new Error(`no ${on} metric "${name}" to define in the catalogue`);
  if (m.requires !== undefined && !has(m.requires)) return -1;
  return sink.define(`${owner}.${name}`, m.kind, initial);
}

/**
 * Declares the `ratio` metric `name` of component `owner` as `numerator` over
 * the sum of `denominators` (ids from {@link defineMetric}), unless `has` says
 * the component lacks its requirement.
 */
export function defineRatio<C extends ComponentKind>(
  sink: MetricSink,
  on: C,
  owner: string,
  name: Extract<Catalogued, { readonly on: C; readonly kind: 'ratio' }>['name'],
  has: (r: Requirement) => boolean,
  numerator: number,
  denominators: readonly number[],
): void {
  const m = findMetric(on, name);
  if (m?.kind !== 'ratio') throw new Error(`no ${on} ratio "${name}" to define in the catalogue`);
  if (m.requires === undefined || has(m.requires)) sink.ratio(`${owner}.${name}`, numerator, denominators);
}

const KIND_TEXT: Readonly<Record<MetricKind, string>> = {
  rate: 'rate',
  stock: 'stock (`.max`)',
  latency: 'latency (`.p50`, `.p90`, `.p99`, `.max`)',
  ratio: 'ratio (`.max`)',
};

/**
 * The metric table in Markdown, one row per metric: component, name, kind (with
 * the suffixes an expectation may add), unit, when it exists and what it
 * measures. docs/model.md carries it between `metric-catalogue` markers.
 */
export function renderMetricTable(): string {
  const rows = METRIC_CATALOGUE.map((m: MetricDeclaration) => {
    const when = m.requires === undefined ? 'always' : REQUIREMENTS[m.requires].when;
    return `| ${m.on} | \`${m.name}\` | ${KIND_TEXT[m.kind]} | ${m.unit} | ${when} | ${m.description} |`;
  });
  return ['| component | metric | kind | unit | exists | meaning |', '|---|---|---|---|---|---|', ...rows].join('\n') + '\n';
}
