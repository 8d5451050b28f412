/**
 * fast-check arbitraries for valid scenario documents, written the way a user
 * writes YAML (units, percentages, shorthands), covering every element of
 * docs/scenario-format.md with extreme but legal values. Each document is plain
 * data, ready for `yaml.stringify`, so a property goes through `parseScenario`
 * exactly as a file would.
 *
 * Run-time is bounded by the shape, not by luck: the run lasts a few seconds
 * of simulated time, open-loop rates stay below a few hundred per second
 * (with a rare 10^7/s that a test's `maxEvents` guard stops), closed loops
 * have at most a few dozen users, services at most a few dozen instances.
 * Durations inside components (service times, timeouts, backoffs, TTLs,
 * windows) range from 0 or 1 µs to the schema's 10^7 s.
 *
 * A bug the generator finds is pinned as a plain test in
 * test/robustness/found.test.ts and fixed; the generator is never fenced off
 * it (none is today).
 */
import fc from 'fast-check';
import { metricsOf, readableNames } from '../../sim/scenario/metric-catalogue.js';

/** A scenario document as YAML would hold it. */
export type Doc = Record<string, unknown>;

type Gen = Parameters<Parameters<ReturnType<typeof fc.gen>['map']>[0]>[0];

/** Largest duration the schema accepts, in seconds. */
const MAX_S = 1e7;

/**
 * A cost, not a bug, bounds the autoscaler here: each evaluation scans the
 * stabilization window, so a run costs (duration / period) x (window /
 * period) steps. Periods from 1 ms and lags and windows of at most 1000
 * periods keep a generated run fast. (Longer windows are legal and work:
 * found.test.ts runs a lag of 10^10 periods.)
 */
const MIN_AUTOSCALE_PERIOD_S = 1e-3;
const MAX_WINDOW_PERIODS = 1000;
/** The schema's largest Erlang phase count. */
const MAX_ERLANG_K = 1000;

// ── Leaves ──────────────────────────────────────────────────────────────────

const UNITS = [
  ['us', 1e-6],
  ['ms', 1e-3],
  ['s', 1],
  ['m', 60],
  ['h', 3600],
] as const;

/** Seconds in a spread of magnitudes: 1 µs to 10^7 s, mostly milliseconds to seconds. */
function secondsArb(positive: boolean, maxSeconds = MAX_S): fc.Arbitrary<number> {
  const within = (lo: number, hi: number): fc.Arbitrary<number> =>
    fc.double({ min: Math.min(lo, maxSeconds), max: Math.min(hi, maxSeconds), noNaN: true, noDefaultInfinity: true });
  const options: fc.WeightedArbitrary<number>[] = [
    { weight: 1, arbitrary: fc.constantFrom(1e-6, 1e-3, maxSeconds) },
    { weight: 1, arbitrary: within(1e-6, 1e-3) },
    { weight: 5, arbitrary: within(1e-3, 1) },
    { weight: 2, arbitrary: within(1, 10) },
    { weight: 1, arbitrary: within(10, maxSeconds) },
  ];
  if (!positive) options.push({ weight: 1, arbitrary: fc.constant(0) });
  return fc.oneof(...options).filter((s) => (positive ? s > 0 : s >= 0) && s <= maxSeconds);
}

/** `s` as a user writes it: a number of seconds, or a decimal with a unit when one renders it exactly. */
function writeDuration(s: number, form: number): number | string {
  const choice = form % (UNITS.length + 1);
  if (choice === UNITS.length) return s;
  const [unit, factor] = UNITS[choice] as (typeof UNITS)[number];
  // Only short decimals: the schema's pattern has no exponent.
  const m = Number((s / factor).toPrecision(6));
  const text = String(m);
  if (!/^\d+(\.\d+)?$/.test(text)) return s;
  const back = unit === 'ms' ? m / 1e3 : unit === 'us' ? m / 1e6 : m * factor;
  return back <= MAX_S && (back > 0 || s === 0) ? `${text}${unit}` : s;
}

/** A duration value as written in YAML. */
export function durationArb(positive = false, maxSeconds = MAX_S): fc.Arbitrary<number | string> {
  return fc.tuple(secondsArb(positive, maxSeconds), fc.nat()).map(([s, form]) => writeDuration(s, form));
}

/** Seconds of a duration as written (for relations the generator must respect). */
export function secondsOf(d: unknown): number {
  if (typeof d === 'number') return d;
  if (typeof d !== 'string') return Number.NaN;
  const m = /^(\d+(?:\.\d+)?|\.\d+)(us|ms|s|m|h)$/.exec(d);
  if (!m) return Number.NaN;
  const v = Number(m[1]);
  switch (m[2]) {
    case 'us':
      return v / 1e6;
    case 'ms':
      return v / 1e3;
    case 'm':
      return v * 60;
    case 'h':
      return v * 3600;
    default:
      return v;
  }
}

/** A fraction 0..1: a number (0 and 1 often) or a percentage string. */
export const fractionArb: fc.Arbitrary<number | string> = fc.oneof(
  fc.constantFrom(0, 1, '0%', '100%', '50%'),
  fc.double({ min: 0, max: 1, noNaN: true }),
  fc.integer({ min: 0, max: 100 }).map((p) => `${p}%`),
  fc.integer({ min: 0, max: 1000 }).map((p) => `${p / 10}%`),
);

/** A rate per second: mostly small, sometimes 0, tiny, or the 10^7 limit. */
function rateArb(max: number): fc.Arbitrary<number> {
  return fc.oneof(
    { weight: 6, arbitrary: fc.double({ min: 0, max, noNaN: true }) },
    { weight: 1, arbitrary: fc.constantFrom(0, 1e-9, 0.5, max) },
    { weight: 1, arbitrary: fc.constantFrom(max, 1e7) },
  );
}

// ── Distributions ───────────────────────────────────────────────────────────

/** Any distribution of durations, every form of the format. */
export function distArb(maxSeconds = MAX_S): fc.Arbitrary<unknown> {
  const d = (positive = false): fc.Arbitrary<number | string> => durationArb(positive, maxSeconds);
  return fc.oneof(
    d(),
    d().map((value) => ({ dist: 'constant', value })),
    d().map((mean) => ({ dist: 'exponential', mean })),
    fc.tuple(d(), d()).map(([a, b]) => {
      const [lo, hi] = secondsOf(a) <= secondsOf(b) ? [a, b] : [b, a];
      return { dist: 'uniform', min: lo, max: hi };
    }),
    fc
      .tuple(d(true), d(true))
      .filter(([a, b]) => secondsOf(a) !== secondsOf(b))
      .map(([a, b]) => {
        const [median, p99] = secondsOf(a) < secondsOf(b) ? [a, b] : [b, a];
        return { dist: 'lognormal', median, p99 };
      }),
    fc
      .tuple(fc.double({ min: -50, max: 50, noNaN: true }), fc.double({ min: 1e-9, max: 10, noNaN: true }))
      .map(([mu, sigma]) => ({ dist: 'lognormal', mu, sigma })),
    fc
      .tuple(fc.oneof(fc.integer({ min: 1, max: 8 }), fc.constantFrom(1, MAX_ERLANG_K)), d())
      .map(([k, mean]) => ({ dist: 'erlang', k, mean })),
    fc
      .tuple(d(true), fc.oneof(fc.double({ min: 1e-3, max: 100, noNaN: true }), fc.constantFrom(0.01, 1, 1.5, 100)))
      .map(([scale, shape]) => ({ dist: 'pareto', scale, shape })),
  );
}

/** A rate profile: a number, a list of steps, or a ramp. */
function rateProfileArb(duration: number, max: number): fc.Arbitrary<unknown> {
  return fc.oneof(
    rateArb(max),
    fc
      .uniqueArray(fc.tuple(fc.double({ min: 0, max: duration * 1.5, noNaN: true }), rateArb(max)), {
        minLength: 1,
        maxLength: 4,
        selector: ([at]) => at,
      })
      .chain((steps) => fc.tuple(...steps.map(([at, rate]) => fc.nat().map((form) => ({ at: writeDuration(at, form), rate })))))
      // Two steps written differently may still land on the same second (an error the parser rightly reports).
      .filter((steps) => new Set(steps.map((s) => secondsOf(s.at))).size === steps.length),
    fc.record({ from: rateArb(max), to: rateArb(max), over: durationArb(true) }),
  );
}

// ── Calls ───────────────────────────────────────────────────────────────────

/** A retry policy with every backoff, jitter, `on` list and budget form. */
export const retryArb: fc.Arbitrary<unknown> = fc.record(
  {
    attempts: fc.oneof(fc.integer({ min: 1, max: 4 }), fc.constantFrom(1, 100)),
    backoff: fc.oneof(
      fc.constant({ kind: 'none' }),
      fc.record({ kind: fc.constant('constant'), base: durationArb(true) }, { requiredKeys: ['kind'] }),
      fc.record({ kind: fc.constant('exponential'), base: durationArb(true), cap: durationArb(true) }, { requiredKeys: ['kind'] }),
    ),
    jitter: fc.constantFrom('none', 'full', 'equal', 'decorrelated'),
    on: fc.array(fc.constantFrom('timeout', 'error', 'rejected'), { minLength: 1, maxLength: 3 }),
    budget: fc.record(
      {
        ratio: fc.oneof(fc.double({ min: 0, max: 1, noNaN: true }), fc.constantFrom(0, 1000)),
        minPerSecond: fc.oneof(fc.double({ min: 0, max: 100, noNaN: true }), fc.constantFrom(0, 1e7)),
        window: durationArb(true),
      },
      { requiredKeys: [] },
    ),
  },
  { requiredKeys: [] },
);

const poolArb = fc.record(
  { size: fc.oneof(fc.integer({ min: 1, max: 10 }), fc.constantFrom(1, 1_000_000)), acquireTimeout: durationArb() },
  { requiredKeys: [] },
);

const breakerArb = fc.record(
  {
    failureRate: fractionArb,
    slowCall: fc.record({ over: durationArb(true), rate: fractionArb }, { requiredKeys: [] }),
    window: fc.oneof(
      fc.record(
        { kind: fc.constant('count'), size: fc.oneof(fc.integer({ min: 1, max: 50 }), fc.constantFrom(1, 1_000_000)) },
        { requiredKeys: ['kind'] },
      ),
      // Time windows cost one bucket per second of window: up to 10^5 s here (10^7 s would cost 120 MB per breaker).
      fc.record({ kind: fc.constant('time'), size: durationArb(true, 1e5) }, { requiredKeys: ['kind'] }),
    ),
    minCalls: fc.oneof(fc.integer({ min: 1, max: 20 }), fc.constantFrom(1, 1_000_000)),
    openFor: durationArb(true),
    halfOpenCalls: fc.oneof(fc.integer({ min: 1, max: 10 }), fc.constantFrom(1, 1_000_000)),
  },
  { requiredKeys: [] },
);

const cacheArb = fc
  .record(
    {
      // Up to 10^6 keys: each key costs 12 bytes (expiry and fills in flight).
      keys: fc.oneof(fc.integer({ min: 1, max: 100 }), fc.constantFrom(1, 2, 1000, 1_000_000)),
      popularity: fc.oneof(
        fc.constant('uniform'),
        fc.record({ zipf: fc.oneof(fc.double({ min: 0, max: 10, noNaN: true }), fc.constantFrom(0, 1, 10)) }),
      ),
      ttl: durationArb(true),
      ttlJitter: fractionArb,
      hitTime: durationArb(),
      coalesce: fc.boolean(),
      staleWhileRevalidate: fc.boolean(),
      capacity: fc.oneof(fc.integer({ min: 1, max: 50 }), fc.constantFrom(1, 1000)),
    },
    { requiredKeys: ['keys'] },
  )
  .chain((c) =>
    c.capacity === undefined
      ? fc.constant(c)
      : fc.record({ eviction: fc.constantFrom('lru', 'fifo') }, { requiredKeys: [] }).map((e) => ({ ...c, ...e })),
  );

/** How a call absorbs its failure: not at all, as optional, or with a fallback (never both: the parser refuses that). */
const absorbArb: fc.Arbitrary<Doc> = fc.oneof(
  fc.constant({}),
  fc.constant({ optional: true }),
  fc.record({ fallback: fc.record({ serviceTime: distArb(), degraded: fc.boolean() }, { requiredKeys: [] }) }),
);

/** A hedge (gRPC hedgingPolicy); the parser refuses it beside retry, pool or rateLimit, so callArb drops those then. */
const hedgeArb: fc.Arbitrary<Doc> = fc.record(
  {
    attempts: fc.integer({ min: 2, max: 5 }),
    delay: durationArb(false, 1),
    nonFatal: fc.subarray(['timeout', 'error', 'rejected']),
  },
  { requiredKeys: ['attempts'] },
);

function callArb(to: string): fc.Arbitrary<Doc> {
  return fc
    .tuple(
      fc.record(
        {
          probability: fractionArb,
          timeout: durationArb(),
          network: distArb(),
          retry: retryArb,
          rateLimit: rateLimitArb,
          pool: poolArb,
          breaker: breakerArb,
          cache: cacheArb,
        },
        { requiredKeys: [] },
      ),
      absorbArb,
      fc.option(hedgeArb, { freq: 4 }),
    )
    .map(([c, absorb, hedge]) => {
      if (hedge === null) return { to, ...c, ...absorb };
      const { retry: _r, pool: _p, rateLimit: _l, ...rest } = c;
      return { to, ...rest, ...absorb, hedge };
    });
}

/**
 * Where a service's route group stands among its calls, if it has one: its
 * first call, the weights of its calls in order, and whether it routes by
 * key instead (then `spans` gives each call after the first the width of its
 * key range, the first taking the rest).
 */
const routeGroupArb = fc.option(
  fc.record({
    start: fc.nat(3),
    weights: fc.array(fc.oneof(fc.double({ min: 1e-3, max: 1e6, noNaN: true }), fc.constantFrom(1, 90, 10)), {
      minLength: 1,
      maxLength: 3,
    }),
    byKey: fc.boolean(),
    spans: fc.array(fc.oneof(fc.integer({ min: 0, max: 20 }), fc.constantFrom(0, 1_000_000)), { minLength: 2, maxLength: 2 }),
  }),
);

type RouteGroup = { start: number; weights: number[]; byKey: boolean; spans: number[] };

/**
 * Makes consecutive calls one route group (always one after another, with no
 * probability: the parser refuses either). By key: the first call takes the
 * rest, each later one a range of its own, the ranges one after another
 * (never overlapping), written as `{ from }` alone when it is one key.
 */
function withRouteGroup(calls: Doc[], group: RouteGroup | null): Doc[] {
  if (group === null) return calls;
  let next = 0;
  return calls.map((c, i) => {
    const j = i - group.start;
    const weight = group.weights[j];
    if (weight === undefined) return c;
    const { probability: _p, ...rest } = c;
    if (!group.byKey) return { ...rest, route: { group: 'choice', weight } };
    if (j === 0) return { ...rest, route: { group: 'choice' } };
    const from = next;
    const to = Math.min(from + (group.spans[j - 1] ?? 0), 9_999_999);
    next = to + 1;
    return { ...rest, route: { group: 'choice', keys: to === from ? { from } : { from, to } } };
  });
}

/** A client's operation keys: a few or up to 10^7, from 0 or further on, uniform or zipf. */
const clientKeysArb: fc.Arbitrary<Doc> = fc
  .record({
    from: fc.option(fc.oneof(fc.integer({ min: 0, max: 20 }), fc.constant(9_999_999)), { nil: undefined }),
    span: fc.oneof(fc.integer({ min: 0, max: 100 }), fc.constantFrom(0, 9_999_999)),
    popularity: fc.option(fc.oneof(fc.constant('uniform'), fc.record({ zipf: fc.double({ min: 0, max: 10, noNaN: true }) })), {
      nil: undefined,
    }),
  })
  .map(({ from, span, popularity }) => dropUndefined({ from, to: Math.min((from ?? 0) + span, 9_999_999), popularity }));

// ── Services ────────────────────────────────────────────────────────────────

const disciplineArb = fc.oneof(
  fc.constantFrom('fifo', 'lifo', 'codel'),
  fc.record({ kind: fc.constant('codel'), target: durationArb(true), interval: durationArb(true) }, { requiredKeys: ['kind'] }),
);

const queueArb: fc.Arbitrary<Doc> = fc
  .record(
    {
      capacity: fc.oneof(fc.constantFrom(0, 1, 'unlimited', 10_000_000), fc.integer({ min: 0, max: 50 })),
      discipline: disciplineArb,
      codel: fc.record({ target: durationArb(true), interval: durationArb(true) }, { requiredKeys: [] }),
    },
    { requiredKeys: [] },
  )
  // `codel:` settings go only with the plain `discipline: codel`.
  .map((q) => (q.discipline === 'codel' ? q : { ...q, codel: undefined }))
  .map((q) => dropUndefined(q));

function autoscaleArb(instances: number): fc.Arbitrary<Doc> {
  return fc
    .record(
      {
        metric: fc.constantFrom('utilization', 'queuePerInstance', 'rpsPerInstance'),
        targetNumber: fc.oneof(fc.double({ min: 1e-6, max: 1, noNaN: true }), fc.constantFrom(1, 0.6)),
        targetHigh: fc.oneof(fc.double({ min: 1e-6, max: 1000, noNaN: true }), fc.constantFrom(1e7)),
        targetPercent: fc.integer({ min: 1, max: 100 }).map((p) => `${p}%`),
        targetForm: fc.nat(2),
        period: fc.oneof(durationArb(true, 10), fc.constantFrom(1e-3, '15s')),
        lag: durationArb(),
        tolerance: fc.oneof(fc.double({ min: 0, max: 1, noNaN: true }), fc.constantFrom(0, 1)),
        min: fc.integer({ min: 1, max: 4 }),
        spread: fc.integer({ min: 0, max: 8 }),
        warmup: durationArb(),
        scaleDownStabilization: durationArb(),
      },
      { requiredKeys: ['metric', 'targetNumber', 'targetHigh', 'targetPercent', 'targetForm', 'period', 'min', 'spread'] },
    )
    .filter((a) => {
      // Cost bound: see MAX_WINDOW_PERIODS.
      const period = secondsOf(a.period);
      const lag = a.lag === undefined ? 15 : secondsOf(a.lag);
      const stab = a.scaleDownStabilization === undefined ? 300 : secondsOf(a.scaleDownStabilization);
      const samples = Math.max(lag, stab) / period;
      return period >= MIN_AUTOSCALE_PERIOD_S && samples <= MAX_WINDOW_PERIODS;
    })
    .map((a) => {
      const utilization = a.metric === 'utilization';
      const target = utilization ? (a.targetForm === 0 ? a.targetPercent : a.targetNumber) : a.targetHigh;
      return dropUndefined({
        metric: a.metric,
        target,
        period: a.period,
        lag: a.lag,
        tolerance: a.tolerance,
        // min may exceed `instances` (a warning); max is required and never below min.
        min: a.min,
        max: Math.max(a.min, Math.min(a.min + a.spread, instances + a.spread)),
        warmup: a.warmup,
        scaleDownStabilization: a.scaleDownStabilization,
      });
    });
}

const degradationArb = fc.oneof(
  fc.record({
    above: fc.oneof(fc.integer({ min: 0, max: 20 }), fc.constantFrom(0, 10_000_000)),
    slowdown: fc.oneof(fc.double({ min: 1, max: 10, noNaN: true }), fc.constantFrom(1, 1000)),
  }),
  fc.record({ perInflight: fractionArb }),
  fc
    .record(
      {
        curve: fc.constantFrom('linear', 'polynomial', 'exponential'),
        of: fc.constantFrom('inflight', 'busy', 'utilization'),
        k: fc.oneof(fc.double({ min: 0, max: 2, noNaN: true }), fc.constantFrom(0, 1_000_000)),
        max: fc.oneof(fc.double({ min: 1, max: 100, noNaN: true }), fc.constantFrom(1, 1_000_000)),
      },
      { requiredKeys: ['curve', 'k'] },
    )
    .chain((c) =>
      c.curve === 'polynomial'
        ? fc.record({ exponent: fc.double({ min: 1, max: 10, noNaN: true }) }, { requiredKeys: [] }).map((e) => ({ ...c, ...e }))
        : fc.constant(c),
    ),
);

/** A token bucket at a service's ingress, in a client or on a call: refusing, or with a bounded or unbounded line; continuous or in fills. */
const rateLimitArb = fc.record(
  {
    rate: fc.oneof(fc.double({ min: 0.5, max: 500, noNaN: true }), fc.constantFrom(1, 10_000_000)),
    burst: fc.oneof(fc.integer({ min: 1, max: 50 }), fc.constantFrom(1, 10_000_000)),
    fillInterval: durationArb(true, 5),
    queue: fc.oneof(fc.integer({ min: 0, max: 20 }), fc.constantFrom(0, 'unlimited')),
  },
  { requiredKeys: ['rate', 'burst'] },
);

/** An AIMD concurrency limit, min <= initial <= max, or the library's defaults (20, 20, 200). */
const concurrencyLimitArb = fc.oneof(
  fc.constant({ kind: 'aimd' }),
  fc
    .tuple(fc.integer({ min: 1, max: 50 }), fc.integer({ min: 0, max: 50 }), fc.integer({ min: 0, max: 50 }))
    .chain(([min, up, start]) =>
      fc
        .record(
          { backoff: fc.oneof(fc.double({ min: 0.5, max: 0.99, noNaN: true }), fc.constant(0.5)), timeout: durationArb(true, 5) },
          { requiredKeys: [] },
        )
        .map((o) => ({ kind: 'aimd', min, max: min + up, initial: min + Math.min(start, up), ...o })),
    ),
);

/** Outlier detection: ejecting after a few errors in a row, for short or long times, any share at once. */
const outlierArb = fc.record(
  {
    consecutiveErrors: fc.oneof(fc.integer({ min: 1, max: 10 }), fc.constantFrom(1, 1_000_000)),
    interval: durationArb(true, 5),
    baseEjectionTime: durationArb(true, 20),
    maxEjectionPercent: fc.constantFrom(0, 0.1, '50%', '100%'),
    maxEjectionTime: durationArb(true, 60),
  },
  { requiredKeys: [] },
);

/** A crash trigger on in-flight or queued requests, at once or after a while, with a short or long restart (kept only on a service without calls). */
const crashWhenArb = fc
  .tuple(
    fc.constantFrom('inflight', 'queue'),
    fc.oneof(fc.integer({ min: 0, max: 50 }), fc.constantFrom(0, 10_000_000)),
    fc.record({ sustained: durationArb(false, 5), for: durationArb(true, 20) }, { requiredKeys: [] }),
  )
  .map(([measure, above, times]) => ({ [measure]: above, ...times }));

/** Active health checking: checked every half second to every 5 s, a short or long timeout (a busy replica fails it), quick or slow to go out and come back. */
const healthCheckArb = fc.record(
  {
    // Half a second at least: a round of checks is an event per service, and a run of 1 ms rounds only meets the guards.
    interval: fc.constantFrom(0.5, '1s', '2s', '5s'),
    timeout: durationArb(true, 2),
    unhealthyThreshold: fc.oneof(fc.integer({ min: 1, max: 5 }), fc.constantFrom(1, 1_000_000)),
    healthyThreshold: fc.oneof(fc.integer({ min: 1, max: 5 }), fc.constantFrom(1, 1_000_000)),
  },
  { requiredKeys: [] },
);

function serviceArb(callees: readonly string[]): fc.Arbitrary<Doc> {
  return fc
    .record(
      {
        instances: fc.oneof({ weight: 8, arbitrary: fc.integer({ min: 1, max: 4 }) }, { weight: 1, arbitrary: fc.constantFrom(1, 30) }),
        workers: fc.oneof(
          { weight: 6, arbitrary: fc.integer({ min: 1, max: 8 }) },
          { weight: 1, arbitrary: fc.constantFrom(1, 1_000_000, 'unlimited') },
        ),
        queue: queueArb,
        balancer: fc.constantFrom('roundRobin', 'random', 'leastRequests', 'powerOfTwo'),
        serviceTime: distArb(),
        errorRate: fractionArb,
        dropExpired: fc.boolean(),
        callees: fc
          .subarray([...callees])
          .chain((cs) => fc.array(fc.constantFrom(...(cs.length > 0 ? cs : ['-'])), { maxLength: Math.min(3, cs.length + 1) })),
        coldStart: fc.record({
          for: durationArb(true),
          slowdown: fc.oneof(fc.double({ min: 1, max: 10, noNaN: true }), fc.constantFrom(1, 1000)),
        }),
        degradation: degradationArb,
        rateLimit: rateLimitArb,
        concurrencyLimit: concurrencyLimitArb,
        outlierDetection: outlierArb,
        // Rarer than the other mechanisms: a crash makes its callers retry hard, and the runs the guards stop must stay few.
        crashWhen: fc.oneof({ weight: 1, arbitrary: crashWhenArb }, { weight: 3, arbitrary: fc.constant(undefined) }),
        healthCheck: fc.oneof({ weight: 1, arbitrary: healthCheckArb }, { weight: 5, arbitrary: fc.constant(undefined) }),
        withAutoscale: fc.boolean(),
      },
      { requiredKeys: ['serviceTime', 'callees', 'withAutoscale'] },
    )
    .chain((s) => {
      const callees = s.callees.filter((c) => c !== '-');
      const calls = callees.length > 0 ? fc.tuple(...callees.map((c) => callArb(c))) : fc.constant([] as Doc[]);
      const auto = s.withAutoscale ? autoscaleArb(s.instances ?? 1).map((a): Doc | undefined => a) : fc.constant(undefined);
      return fc.tuple(calls, auto, routeGroupArb).map(([cs, autoscale, group]) => {
        const { callees: _c, withAutoscale: _w, ...rest } = s;
        // A curve of utilization needs a number of workers (the scenario checks refuse it with unlimited).
        const d = rest.degradation as Doc | undefined;
        const degradation = rest.workers === 'unlimited' && d?.['of'] === 'utilization' ? { ...d, of: 'busy' } : d;
        // A crash hits only a service without calls (the scenario checks refuse crashWhen on one with calls).
        const crashWhen = cs.length > 0 ? undefined : rest.crashWhen;
        return dropUndefined({
          ...rest,
          degradation,
          crashWhen,
          calls: cs.length > 0 ? withRouteGroup(cs, group) : undefined,
          autoscale,
        });
      });
    });
}

// ── Whole scenario ──────────────────────────────────────────────────────────

/**
 * Metric names an expectation may use, per component kind, from the metric
 * catalogue: every metric with every suffix an expectation reads (`.max` of a
 * stock, `.p99` of a latency...), those of mechanisms the component may lack included.
 */
const CLIENT_METRICS = readableNames(metricsOf('client'));
const SERVICE_METRICS = readableNames(metricsOf('service'));
const EDGE_METRICS = readableNames(metricsOf('edge'));

/** Options of {@link scenarioDocArb}. */
export interface ScenarioArbOptions {
  /** Largest open-loop rate (per second) in ordinary cases; 10^7 still appears now and then. */
  readonly maxRate?: number;
  /** Longest run, in seconds of simulated time. */
  readonly maxDuration?: number;
}

/**
 * A valid scenario document: 1–2 clients, 1–4 services calling "down" the
 * list (so no cycles), every optional element present or absent, faults of
 * every kind, expectations of every form.
 */
export function scenarioDocArb(options: ScenarioArbOptions = {}): fc.Arbitrary<Doc> {
  const maxRate = options.maxRate ?? 300;
  const maxDuration = options.maxDuration ?? 5;
  return fc.gen().map((g) => buildDoc(g, maxRate, maxDuration));
}

function buildDoc(g: Gen, maxRate: number, maxDuration: number): Doc {
  // Relations (warmup, expectation windows) use the duration as written, units and rounding included.
  const durationWritten = writeDuration(g(fc.double, { min: 0.05, max: maxDuration, noNaN: true }), g(fc.nat));
  const duration = secondsOf(durationWritten);
  const nServices = g(fc.integer, { min: 1, max: 4 });
  const nClients = g(fc.integer, { min: 1, max: 2 });
  const serviceNames = Array.from({ length: nServices }, (_, i) => `${g(fc.constantFrom, 's', 'svc-', 'Db_')}${i}`);
  const clientNames = Array.from({ length: nClients }, (_, i) => `c${i}`);

  // Services: service i calls only services after it.
  const services: Record<string, Doc> = {};
  serviceNames.forEach((name, i) => {
    services[name] = g(serviceArb, serviceNames.slice(i + 1));
  });
  const edges: { name: string; cache: boolean }[] = [];
  for (const [name, s] of Object.entries(services)) {
    for (const c of (s.calls as Doc[] | undefined) ?? []) edges.push({ name: `${name}->${String(c.to)}`, cache: c.cache !== undefined });
  }

  // Clients.
  const clients: Record<string, Doc> = {};
  const peaks: Record<string, number> = {};
  for (const name of clientNames) {
    const closed = g(fc.boolean);
    const arrival: Doc = closed
      ? dropUndefined({
          kind: 'closed',
          users: g(() => fc.oneof(fc.integer({ min: 1, max: 20 }), fc.constantFrom(1, 50))),
          think: g(fc.option, distArb(), { nil: undefined }),
        })
      : { kind: g(fc.constantFrom, 'poisson', 'constant'), rate: g(rateProfileArb, duration, maxRate) };
    peaks[name] = closed ? 0 : peakRate(arrival.rate);
    clients[name] = dropUndefined({
      target: g(fc.constantFrom, ...serviceNames),
      arrival,
      timeout: g(fc.option, durationArb(), { nil: undefined }),
      network: g(fc.option, distArb(), { nil: undefined }),
      retry: g(fc.option, retryArb, { nil: undefined }),
      rateLimit: g(fc.option, rateLimitArb, { nil: undefined, freq: 2 }),
      keys: g(fc.option, clientKeysArb, { nil: undefined }),
    });
  }

  const leaves = serviceNames.filter((name) => (services[name]?.calls as Doc[] | undefined) === undefined);
  const faults = g(fc.array, faultArb(duration, serviceNames, clientNames, peaks, edges, leaves), { maxLength: 4 });
  const expect = g(
    fc.array,
    expectationArb(
      duration,
      clientNames,
      serviceNames,
      edges.map((e) => e.name),
      faults.length > 0,
    ),
    {
      maxLength: 3,
    },
  );

  const warmup = g(fc.option, fc.double({ min: 0, max: duration * 0.9, noNaN: true }), { nil: undefined });
  const doc: Doc = {
    name: g(fc.option, fc.stringMatching(/^[a-z0-9-]{1,20}$/), { nil: undefined }),
    description: g(fc.option, fc.string({ maxLength: 40 }), { nil: undefined }),
    seed: g(() => fc.oneof(fc.nat(1000), fc.constantFrom(0, Number.MAX_SAFE_INTEGER))),
    duration: durationWritten,
    warmup: warmup === undefined ? undefined : writeDuration(warmup, g(fc.nat)),
    sample: g(sampleArb, duration),
    clients,
    services,
    faults: faults.length > 0 ? faults : undefined,
    expect: expect.length > 0 ? expect : undefined,
  };
  // Drawn last, so that the draws of everything above stay as they were without brokers.
  const broker = g(fc.option, brokerArb(serviceNames), { nil: undefined });
  if (broker !== undefined) {
    doc.brokers = { b0: broker };
    // An open-loop client may publish to it instead (a publisher has no timeout, network or retry).
    const publisher = g(fc.constantFrom, ...clientNames);
    const c = clients[publisher] as Doc;
    if ((c.arrival as Doc).kind !== 'closed' && g(fc.boolean)) clients[publisher] = { target: 'b0', arrival: c.arrival };
  }
  // A client's own breaker, drawn after the broker so that everything above draws as it did before client breakers.
  for (const name of clientNames) {
    const c = clients[name] as Doc;
    const breaker = g(fc.option, breakerArb, { nil: undefined });
    if (breaker !== undefined && c.target !== 'b0') c.breaker = breaker;
  }
  // Series per replica, drawn last for the same reason.
  for (const name of serviceNames) if (g(fc.boolean)) (services[name] as Doc).perInstance = true;
  const out = dropUndefined(doc);
  // Writing a duration with a unit may round it: keep warmup below duration as written.
  if (out.warmup !== undefined && secondsOf(out.warmup) >= secondsOf(out.duration)) delete out.warmup;
  return out;
}

/** A broker consumed by one of `services`, every optional field present or absent. */
function brokerArb(services: readonly string[]): fc.Arbitrary<Doc> {
  return fc
    .record({
      consumers: fc.record({
        service: fc.constantFrom(...services),
        concurrency: fc.oneof(fc.integer({ min: 1, max: 50 }), fc.constant(1_000_000)),
      }),
      visibilityTimeout: fc.option(durationArb(true, 5), { nil: undefined }),
      maxReceiveCount: fc.option(fc.integer({ min: 1, max: 5 }), { nil: undefined }),
      redeliveryDelay: fc.option(durationArb(false, 5), { nil: undefined }),
      retention: fc.option(durationArb(true, 5), { nil: undefined }),
      order: fc.option(fc.constantFrom('oldest', 'newest'), { nil: undefined }),
    })
    .map(dropUndefined);
}

function sampleArb(duration: number): fc.Arbitrary<number | string | undefined> {
  return fc
    .oneof(
      fc.constant(undefined),
      fc.constantFrom(duration, duration / 100, duration / 1000, duration * 2),
      fc.double({ min: duration / 100, max: duration * 2, noNaN: true }),
    )
    .chain((s) => (s === undefined ? fc.constant(undefined) : fc.nat().map((form) => writeDuration(s, form))))
    .map((s) => (s === undefined || (secondsOf(s) > 0 && duration / secondsOf(s) <= 1e6) ? s : duration));
}

function peakRate(rate: unknown): number {
  if (typeof rate === 'number') return rate;
  if (Array.isArray(rate)) return Math.max(0, ...rate.map((s) => (s as { rate: number }).rate));
  const r = rate as { from: number; to: number };
  return Math.max(r.from, r.to);
}

/** A latency, errors or pause fault on the whole service (most often), replica 0, a count or a share of replicas. */
function hitReplicas(f: Doc & { target: string }): fc.Arbitrary<Doc> {
  return fc.oneof(
    { weight: 3, arbitrary: fc.constant(f) },
    { weight: 1, arbitrary: fc.constant({ ...f, target: `${f.target}[0]` }) },
    {
      weight: 1,
      arbitrary: fc.oneof(fc.integer({ min: 1, max: 4 }), fc.constantFrom('1%', '50%', '100%')).map((replicas) => ({ ...f, replicas })),
    },
  );
}

/** A latency fault on the work of some operation keys (one slow tenant), on the whole service. */
function hitKeys(f: Doc): fc.Arbitrary<Doc> {
  return fc
    .tuple(
      fc.oneof(fc.integer({ min: 0, max: 20 }), fc.constant(9_999_999)),
      fc.option(fc.integer({ min: 0, max: 30 }), { nil: undefined }),
    )
    .map(([from, span]) => ({ ...f, keys: span === undefined ? { from } : { from, to: Math.min(from + span, 9_999_999) } }));
}

/** Where a ramp of each size starts: its neutral value (no effect). */
const RAMP_FROM: Readonly<Record<string, unknown>> = { add: '0ms', multiply: 1, rate: 0, delay: '0ms', loss: 0 };

/** `f`, or `f` with one of its sizes ramping from no effect to its value over the whole window (`over` = `for`). */
function mayRamp(f: Doc): fc.Arbitrary<Doc> {
  const sizes = Object.keys(RAMP_FROM).filter((k) => k in f);
  if (sizes.length === 0 || f['for'] === undefined) return fc.constant(f);
  return fc.oneof(
    { weight: 3, arbitrary: fc.constant(f) },
    { weight: 1, arbitrary: fc.constantFrom(...sizes).map((k) => ({ ...f, [k]: { from: RAMP_FROM[k], to: f[k], over: f['for'] } })) },
  );
}

function faultArb(
  duration: number,
  services: readonly string[],
  clients: readonly string[],
  peaks: Readonly<Record<string, number>>,
  edges: readonly { name: string; cache: boolean }[],
  leaves: readonly string[] = [],
): fc.Arbitrary<Doc> {
  const at = fc
    .oneof(fc.double({ min: 0, max: duration * 1.2, noNaN: true }), fc.constantFrom(0, duration / 2))
    .chain((s) => fc.nat().map((f) => writeDuration(s, f)));
  const forArb = fc
    .oneof(
      { weight: 4, arbitrary: fc.double({ min: 1e-6, max: duration, noNaN: true }) },
      { weight: 1, arbitrary: fc.constantFrom(1e-6, MAX_S) },
    )
    .chain((s) => fc.nat().map((f) => writeDuration(s, f)));
  const service = fc.constantFrom(...services);
  const delta = fc.oneof(fc.integer({ min: -3, max: 3 }), fc.constantFrom(-1_000_000, 1_000_000, 20));
  const kinds: fc.Arbitrary<Doc>[] = [
    fc
      .record({
        target: service,
        at,
        for: forArb,
        add: durationArb(),
        multiply: fc.oneof(fc.double({ min: 1e-6, max: 10, noNaN: true }), fc.constantFrom(1e-6, 10_000)),
        which: fc.nat(2),
      })
      .map(({ which, add, multiply, ...f }) => ({
        kind: 'latency',
        ...f,
        ...(which !== 1 ? { add } : {}),
        ...(which !== 0 ? { multiply } : {}),
      }))
      .chain((f) => fc.oneof({ weight: 3, arbitrary: hitReplicas(f) }, { weight: 1, arbitrary: hitKeys(f) })),
    fc
      .record({ target: service, at, for: forArb, rate: fractionArb })
      .map((f) => ({ kind: 'errors', ...f }))
      .chain(hitReplicas),
    fc
      .record({ target: service, at, for: forArb, instances: delta, workers: delta, which: fc.nat(2) })
      // +10^6 instances is legal but builds 10^6 replicas: keep instance increases modest.
      .map(({ which, instances, workers, ...f }) => ({
        kind: 'capacity',
        ...f,
        ...(which !== 1 ? { instances: Math.min(instances, 20) } : {}),
        ...(which !== 0 ? { workers } : {}),
      })),
    fc
      .record({
        target: fc.constantFrom(...clients),
        at,
        for: forArb,
        multiply: fc.oneof(fc.double({ min: 0, max: 5, noNaN: true }), fc.constantFrom(0, 1, 10_000)),
      })
      // The parser refuses a surge past 10^7/s; closed loops get at most 100x (every extra user is an event source).
      .map((f) => {
        const peak = peaks[f.target] ?? 0;
        const cap = peak > 0 ? (1e7 / peak) * (1 - 1e-9) : 100;
        return { kind: 'traffic', ...f, multiply: Math.min(f.multiply, cap) };
      }),
    fc
      .record({ target: service, at, for: forArb })
      .map((f) => ({ kind: 'pause', ...f }))
      .chain(hitReplicas),
    // A burst of extra operations: 10^6 is legal but is 10^6 operations to simulate, so counts stay modest.
    fc
      .record(
        {
          target: fc.constantFrom(...clients),
          at,
          count: fc.oneof(fc.integer({ min: 1, max: 300 }), fc.constant(1)),
          within: fc.oneof(forArb, fc.constant('0s')),
          spread: fc.constantFrom('even', 'uniform'),
        },
        { requiredKeys: ['target', 'at', 'count'] },
      )
      .map((f) => ({ kind: 'burst', ...f })),
  ];
  const cached = edges.filter((e) => e.cache).map((e) => e.name);
  if (cached.length > 0) kinds.push(fc.record({ target: fc.constantFrom(...cached), at }).map((f) => ({ kind: 'cacheFlush', ...f })));
  if (edges.length > 0) {
    // A link fault on any call: a delay, a loss, a partition, or some of them (at least one).
    const linkFields = fc.record({
      delay: durationArb(),
      loss: fractionArb,
      partition: fc.boolean(),
      which: fc.integer({ min: 1, max: 7 }),
    });
    kinds.push(
      fc
        .record({ target: fc.constantFrom(...edges.map((e) => e.name)), at, for: forArb, fields: linkFields })
        .map(({ fields: { which, delay, loss, partition }, ...f }) => ({
          kind: 'link',
          ...f,
          ...((which & 1) !== 0 ? { delay } : {}),
          ...((which & 2) !== 0 ? { loss } : {}),
          ...((which & 4) !== 0 ? { partition } : {}),
        })),
    );
  }
  // A crash only hits a service that makes no calls.
  if (leaves.length > 0)
    kinds.push(
      fc
        .record({ target: fc.constantFrom(...leaves), at, for: forArb })
        .map((f) => ({ kind: 'crash', ...f }))
        .chain(hitReplicas),
    );
  return fc.oneof(...kinds).chain(mayRamp);
}

function expectationArb(
  duration: number,
  clients: readonly string[],
  services: readonly string[],
  edges: readonly string[],
  hasFaults: boolean,
): fc.Arbitrary<Doc> {
  const metric = fc
    .oneof(
      fc.tuple(fc.constantFrom(...clients), fc.constantFrom(...CLIENT_METRICS)),
      fc.tuple(fc.constantFrom(...services), fc.constantFrom(...SERVICE_METRICS)),
      ...(edges.length > 0 ? [fc.tuple(fc.constantFrom(...edges), fc.constantFrom(...EDGE_METRICS))] : []),
    )
    .map(([c, m]) => `${c}.${m}`);
  const bound = fc.oneof(fc.double({ noNaN: true, noDefaultInfinity: true }), fc.constantFrom(0, 1, -1, 1e308));
  const window = fc.oneof(
    fc.constant({}),
    fc
      .tuple(fc.double({ min: 0, max: duration, noNaN: true }), fc.double({ min: 0, max: duration, noNaN: true }), fc.boolean())
      .filter(([a, b]) => a !== b)
      .map(([a, b, end]) => {
        const [from, to] = a < b ? [a, b] : [b, a];
        return end ? { from, to: 'end' } : { from, to };
      }),
  );
  const forms: fc.Arbitrary<Doc>[] = [
    fc
      .record({
        metric,
        stat: fc.constantFrom('mean', 'min', 'max', 'p50', 'p90', 'p99', 'last', 'count'),
        window,
        atLeast: bound,
        atMost: bound,
        below: bound,
        above: bound,
        which: fc.nat(15),
      })
      .map(({ window: w, which, atLeast, atMost, below, above, ...e }) => ({
        ...e,
        ...w,
        ...(which & 1 || which === 0 ? { atLeast } : {}),
        ...(which & 2 ? { atMost } : {}),
        ...(which & 4 ? { below } : {}),
        ...(which & 8 ? { above } : {}),
      })),
    fc
      .oneof(
        fc.constantFrom('stable', 'overloaded', 'recovered', 'metastable'),
        fc.array(fc.constantFrom('stable', 'overloaded', 'recovered', 'metastable'), { minLength: 1, maxLength: 4 }),
      )
      .map((verdict) => ({ verdict })),
  ];
  if (hasFaults) forms.push(durationArb(true).map((within) => ({ recovers: { within } })));
  return fc.oneof(...forms);
}

/** A copy of `o` without its undefined-valued keys (YAML would write them as null). */
export function dropUndefined<T extends object>(o: T): Doc {
  const out: Doc = {};
  for (const [k, v] of Object.entries(o)) if (v !== undefined) out[k] = v;
  return out;
}
