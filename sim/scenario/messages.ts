/**
 * Every message the scenario layer shows a user, as small functions, so tests
 * can assert `messages.unknownService('dbb', ['db'])` instead of repeating text.
 *
 * Functions named `expect*` return phrases completing "expected …" (what a
 * field accepts), worded from the value found where that helps; the rest
 * return whole sentences. Values are quoted the way YAML shows them, and a
 * suggestion comes last: ` Did you mean "db"?`.
 */
import {
  DURATION_PATTERN,
  MAX_BUCKETS,
  MAX_BUCKET_SERIES,
  MAX_DURATION_S,
  MAX_FILE_BYTES,
  MAX_RATE_PER_S,
  PERCENT_PATTERN,
  formatSeconds,
  suggestDuration,
  toFraction,
  toSeconds,
} from './units.js';
import { article, didYouMean, list } from './wording.js';

export { closest, didYouMean, editDistance, list, showValue } from './wording.js';

// ── Phrases for "expected …" ───────────────────────────────────────────────

/** What a duration field accepts, with the user's own value corrected when it is a near miss. */
export function expectDuration(input: unknown, positive: boolean): string {
  if (typeof input === 'string' && DURATION_PATTERN.test(input.replace(/^-/, ''))) {
    input = (input.startsWith('-') ? -1 : 1) * toSeconds(input.replace(/^-/, ''));
  }
  if (typeof input === 'number' && Number.isFinite(input)) {
    if (input > MAX_DURATION_S) return `a duration of at most ${MAX_DURATION_S}s (about 116 days)`;
    if (input < 0) return 'a duration of 0 or more (negative durations are not allowed)';
    if (positive && input === 0) return 'a duration above 0';
  }
  const fixed = typeof input === 'string' ? suggestDuration(input) : undefined;
  return fixed !== undefined && DURATION_PATTERN.test(fixed)
    ? `a duration like "${fixed}" (a number of seconds, or a number with us, ms, s, m or h)`
    : 'a duration like 250ms or 1.5s (a number of seconds, or a number with us, ms, s, m or h)';
}

/** What a fraction field accepts; a number 1..100 is answered with its percentage spelling. */
export function expectFraction(input: unknown): string {
  const example = typeof input === 'number' && input > 1 && input <= 100 ? `"${input}%"` : '"50%"';
  if (typeof input === 'string' && PERCENT_PATTERN.test(input) && toFraction(input) > 1) {
    return 'a percentage from 0% to 100%';
  }
  return `a fraction from 0 to 1, or a percentage like ${example}`;
}

/** What a rate field accepts. */
export function expectRate(): string {
  return `a rate per second from 0 to ${MAX_RATE_PER_S}`;
}

/** What a rate-over-time field accepts. */
/** What a fault size that may ramp accepts: `what`, or a ramp. */
export function expectRampable(what: string): string {
  return `${what}, or a ramp { from, to, over } of them`;
}

/** A fault size that ramps for longer than its window lasts. */
export const rampPastWindow = (field: string, over: number, windowFor: number): string =>
  `The ramp of ${field} lasts ${over}s, longer than its window (for: ${windowFor}s): it would never reach "to". Make over at most for.`;

export function expectRateProfile(): string {
  return `a rate per second (0 to ${MAX_RATE_PER_S}), a list of steps [{at, rate}], or a ramp {from, to, over}`;
}

/** What a distribution field accepts. */
export function expectDist(): string {
  return 'a duration like 10ms, or a distribution like { dist: exponential, mean: 10ms }';
}

/** What a bounded whole-number field accepts. */
export function expectWholeNumber(min: number, max: number): string {
  return `a whole number from ${min} to ${max}`;
}

/** What a bounded number field accepts (`exclusiveMin`: the minimum itself is refused). */
export function expectNumber(min: number, max: number, exclusiveMin = false): string {
  return exclusiveMin ? `a number above ${min} and at most ${max}` : `a number from ${min} to ${max}`;
}

/** What a count that may also be `unlimited` accepts. */
export function expectCountOrUnlimited(min: number, max: number): string {
  return `${expectWholeNumber(min, max)}, or "unlimited"`;
}

/** What a fault's `replicas` accepts. */
export function expectReplicas(max: number): string {
  return `a number of replicas from 1 to ${max}, or a share of them above "0%" and up to "100%" (e.g. 2 or "25%")`;
}

/** What a component name (a key under `clients` or `services`) must look like. */
export function expectComponentName(): string {
  return 'a name of letters, digits, "-" and "_", starting with a letter (at most 64 characters)';
}

/** What the scenario name must look like. */
export function expectScenarioName(): string {
  return 'a name of lowercase letters, digits and "-" (at most 100 characters)';
}

/** What a cache's `popularity` accepts. */
export function expectPopularity(): string {
  return '"uniform", or {zipf: <exponent>}';
}

/** What a cache's `eviction` accepts. */
export function expectEviction(): string {
  return 'lru or fifo';
}

/** What an autoscale `target` accepts. */
export function expectAutoscaleTarget(): string {
  return 'a number above 0 (a fraction like 0.6 or a percentage like "60%" for utilization)';
}

/** What `degradation` accepts. */
export function expectDegradation(): string {
  return '{above: <in-flight count>, slowdown: <factor>}, {perInflight: <fraction>} or {curve: linear | polynomial | exponential, k: <number>}';
}

/** An `exponent` on a degradation curve that is not polynomial. */
export function exponentWithoutPolynomial(curve: string): string {
  return `exponent applies only to curve: polynomial; this curve is ${curve}. Remove exponent, or write curve: polynomial.`;
}

/** A degradation curve of utilization on a service whose workers are unlimited. */
export function utilizationOfUnlimited(): string {
  return 'of: utilization needs a number of workers (busy / workers); this service has workers: unlimited. Use of: busy or of: inflight.';
}

/** What an expectation entry accepts. */
export function expectExpectation(): string {
  return '{metric, stat, from, to, atLeast|atMost|below|above}, {recovers: {within}}, {verdict} or {oscillates}';
}

/** What `oscillates` accepts. */
export function expectOscillates(): string {
  return 'true, false, or a series name <component>.<metric> such as web.desired';
}

/** What a window end accepts. */
export function expectDurationOrEnd(input: unknown): string {
  return `${expectDuration(input, false)}, or end`;
}

/** What a `cacheFlush` target accepts. */
export function expectEdge(): string {
  return 'a call written "caller->callee"';
}

/** What a metric name looks like. */
export function expectMetricName(): string {
  return 'a metric name "<component>.<metric>", like users.goodput or api->db.calls';
}

/** What a reference to another component accepts. */
export function expectNameOf(what: string): string {
  return `the name of a ${what}`;
}

/** What a map tagged by `kind` (or `dist`) accepts, as a whole: the tags and one example. */
export function expectTaggedMap(tag: string, values: readonly string[], example: string): string {
  return `a map with ${tag}: ${list(values)}, like ${example}`;
}

/** A fixed set of allowed words. */
export function expectOneOf(values: readonly string[]): string {
  return values.length === 1 ? `"${values[0] ?? ''}"` : `one of ${list(values)}`;
}

/** Fallback phrase for JSON types. */
export function expectType(type: string): string {
  const words: Record<string, string> = {
    object: 'a map of keys to values',
    record: 'a map from names to definitions',
    array: 'a list',
    string: 'a string',
    number: 'a number',
    boolean: 'true or false',
    int: 'a whole number',
    nonoptional: 'a value',
  };
  return words[type] ?? type;
}

/** Fallback phrase for a size or magnitude limit. */
export function expectSize(origin: string, side: 'min' | 'max', n: number): string {
  const bound = side === 'min' ? 'at least' : 'at most';
  if (origin === 'array') return `a list of ${bound} ${n} item${n === 1 ? '' : 's'}`;
  if (origin === 'string') return side === 'min' && n === 1 ? 'a non-empty text' : `a text of ${bound} ${n} characters`;
  return `a number ${bound} ${n}`;
}

/** Fallback phrase for a text pattern. */
export function expectPattern(pattern: string): string {
  return `a text matching ${pattern}`;
}

// ── Sentences: field-level ─────────────────────────────────────────────────

/** A field holds a value of the wrong form. */
export const invalidValue = (label: string, expected: string, found: string, suggestion = ''): string =>
  `Invalid ${label}: expected ${expected}, found ${found}.${suggestion}`;

/** A required field is absent. */
export const missingField = (label: string, expected: string): string => `Missing ${label}: expected ${expected}.`;

/** A key the format does not define at this place. */
export const unknownKey = (key: string, allowed: readonly string[]): string => {
  const hint = didYouMean(key, allowed);
  return hint !== '' ? `Unknown key "${key}".${hint}` : `Unknown key "${key}": expected one of ${list(allowed)}.`;
};

// ── Sentences: the file as a whole ─────────────────────────────────────────

/** The file is over the size limit. */
export const fileTooLarge = (bytes: number): string =>
  `The file is ${bytes} bytes; a scenario file may be at most ${MAX_FILE_BYTES} bytes (1 MiB).`;
/** The text holds bytes no YAML file contains. */
export const binaryContent = (what: string): string => `The file contains ${what}: it looks like binary data, not YAML text.`;
/** The file holds no YAML document (nothing, or only comments). */
export const emptyFile = (): string => 'The file is empty: expected a scenario, a map with at least duration, clients and services.';
/** The document is a list or a scalar rather than a map. */
export const notAMap = (found: string): string => `Expected the scenario to be a map (duration, clients, services, ...), found ${found}.`;
/** The YAML parser refused the text. */
export const yamlSyntax = (detail: string): string => `YAML syntax error: ${detail}`;
/** The file holds a second YAML document. */
export const multipleDocuments = (): string =>
  'The file holds more than one YAML document (a second "---"); a scenario is a single document.';
/** A key repeated in one map. */
export const duplicateKey = (key: string): string => `Duplicate key "${key}": a key may appear only once in a map.`;
/** Aliases expand beyond the budget (an alias bomb). */
export const tooManyAliases = (limit: number): string =>
  `Too many YAML alias expansions (more than ${limit}): the anchors refer to each other so often the document would grow without bound.`;
/** Any other YAML-level problem, in the parser's words. */
export const yamlProblem = (detail: string): string => `YAML problem: ${detail}`;
/** The closing note when issues were left out. */
export const tooManyIssues = (shown: number, total: number): string =>
  `${total - shown} more problem(s) not shown; fix the ones above first.`;

// ── Sentences: cross-references ────────────────────────────────────────────

/** A name that should be a service. */
export const unknownService = (name: string, known: readonly string[]): string => `Unknown service "${name}".${didYouMean(name, known)}`;
/** A name that should be a client. */
export const unknownClient = (name: string, known: readonly string[]): string => `Unknown client "${name}".${didYouMean(name, known)}`;
/** `clients` or `services` is an empty map. */
export const noComponents = (kind: string): string => `A scenario needs at least one ${kind}; this map is empty.`;
/** A client and a service share a name. */
export const nameClash = (name: string): string =>
  `"${name}" names both a client and a service; each component needs its own name, since metrics are named after it.`;
/** A broker shares its name with a client or a service. */
export const brokerNameClash = (name: string, other: string): string =>
  `"${name}" names both a broker and a ${other}; each component needs its own name, since metrics are named after it.`;
/** A client's target is neither a service nor a broker. */
export const unknownTarget = (name: string, known: readonly string[]): string =>
  `Unknown service or broker "${name}".${didYouMean(name, known)}`;
/** A client that publishes to a broker has a field that only applies to requests sent to a service. */
export const publisherField = (client: string, broker: string, field: string): string =>
  `Client "${client}" publishes to the broker "${broker}", which acknowledges every message at once: "${field}" has nothing to act on. Remove it (the broker's consumers redeliver instead).`;
/** A closed-loop client publishes to a broker. */
export const publisherClosedLoop = (client: string, broker: string): string =>
  `Client "${client}" publishes to the broker "${broker}", which acknowledges at once, so closed-loop users would publish without pause; give it an open-loop arrival: { kind: poisson, rate: 100 } or { kind: constant, rate: 100 }.`;
/** A fault names a component of the wrong kind. */
export const faultTargetKind = (kind: string, target: string, wanted: string, actual: string): string =>
  `A ${kind} fault targets a ${wanted}, but "${target}" is a ${actual}.`;
/** A fault names a broker, which no fault kind targets. */
export const faultOnBroker = (kind: string, broker: string, wanted: string, consumer: string): string =>
  `A ${kind} fault targets a ${wanted}, but "${broker}" is a broker, which faults do not act on; ` +
  (wanted === 'service'
    ? `to slow or break its deliveries, target its consumer service "${consumer}".`
    : `to change what is published to it, target a client that publishes to it.`);
/** A fault kind that hits a whole service names one replica (`api[2]`). */
export const replicaTargetKind = (kind: string, target: string, service: string): string =>
  `A ${kind} fault acts on a whole service, not on one replica: write "${service}" instead of "${target}" (latency, errors and pause faults can hit one replica).`;
/** A fault that targets a client (traffic, burst) names a replica of a service. */
export const replicaTargetOfClientFault = (kind: string, target: string, service: string, clients: readonly string[]): string =>
  `A ${kind} fault targets a client, but "${target}" names a replica of the service "${service}"; name a client instead${clients.length > 0 ? `: ${list(clients)}` : ''}.`;
/** `api[5]` names a replica the service never has. */
export const replicaOutOfRange = (target: string, service: string, most: number): string =>
  `"${target}" names replica ${target.slice(service.length + 1, -1)}, but ${service} has at most ${most} replica${most === 1 ? '' : 's'}, numbered from 0 to ${most - 1}.`;
/** Both `api[2]` and `replicas:` on one fault. */
export const replicasTwice = (target: string): string =>
  `The target "${target}" already names one replica: drop replicas, or write the service's name alone as the target.`;
/** A cacheFlush names a call no service makes. */
export const unknownEdge = (edge: string, known: readonly string[]): string =>
  `Unknown edge "${edge}": no service declares this call.${didYouMean(edge, known)}`;
/** A cacheFlush names a call without a cache. */
export const edgeWithoutCache = (edge: string): string => `The call "${edge}" has no cache, so a cacheFlush fault has nothing to flush.`;
/** A call is both optional and has a fallback. */
export const optionalWithFallback = (): string =>
  'A call with a fallback already survives its failure (the fallback answers); optional: true says the same without one. Keep one: optional: true to skip the failed call, or fallback: { serviceTime: 5ms } to answer it.';
/** A call names `hedge` together with a mechanism hedging does not combine with (`retry`, `pool` or `rateLimit`). */
export const hedgeWith = (other: 'retry' | 'pool' | 'rateLimit'): string =>
  other === 'retry'
    ? 'A call is hedged or retried, not both (gRPC: a method has a retryPolicy or a hedgingPolicy). Keep one: hedge: { attempts: 2, delay: 50ms } or retry: { attempts: 3 }; nonFatal: [error] makes a hedge send its next copy at once after an error.'
    : `hedge does not combine with ${other} on the same call yet: each copy would need a ${other === 'pool' ? 'connection' : 'token'} of its own. Remove ${other}, or the hedge.`;
/** The calls of one routing group are not listed one after another. */
export const routeGroupSplit = (group: string): string =>
  `The calls of route group "${group}" are one choice, so they must be listed one after another; another call stands between them. Move this call next to the others of group "${group}", or give it a group of its own.`;
/** A call in a routing group also has a probability below 100%. */
export const routeWithProbability = (): string =>
  'A call in a route group is made whenever its group picks it, by weight; a probability below 100% on it would skip the pick. Remove probability, or give the group another call (a cheap one) that takes that share by weight.';
/** A key range whose last key is below its first. */
export const keyRangeReversed = (from: number, to: number): string =>
  `This key range ends before it starts: to (${to}) must not be below from (${from}). Write { from: ${Math.min(from, to)}, to: ${Math.max(from, to)} }, or { from: ${from} } for one key.`;
/** A call of a route by key also has a weight. */
export const weightInKeyRoute = (group: string): string =>
  `Route group "${group}" is routed by key (some of its calls name keys), so each request goes to the call that holds its key and a weight would change nothing. Remove weight, or remove keys from every call of the group to route by weight.`;
/** A route by key whose calls all name keys, or more than one does not. */
export const keyRouteRest = (group: string, without: number): string =>
  without === 0
    ? `Route group "${group}" is routed by key, and every one of its calls names keys: the keys no range holds (and operations without a key) would have nowhere to go. Leave keys off the one call that takes the rest.`
    : `Route group "${group}" is routed by key, and ${without} of its calls name no keys: exactly one call of the group takes the keys no range holds. Give the others keys: { from, to }.`;
/** Two calls of a route by key take the same key. */
export const keyRangesOverlap = (group: string, key: number): string =>
  `Two calls of route group "${group}" both take key ${key}: a key goes to one call only. Make their ranges disjoint.`;
/** A latency fault names both keys and replicas. */
export const keysWithReplicas = (): string =>
  'A latency fault on keys slows the requests of those keys on every replica; it cannot also name replicas. Keep keys (one slow tenant) or replicas (one slow replica), or write two faults.';
/** Keys are routed on or faulted, but no client gives its operations a key. */
export const keysWithoutKeyedClient = (where: string): string =>
  `${where} reads the operation's key, but no client gives its operations keys, so ${where.startsWith('Route') ? 'every request takes the call without keys' : 'it slows nothing'}. Give a client keys: { to: 99 } (keys 0 to 99).`;
/** Services call each other in a loop. */
export const callCycle = (cycle: readonly string[]): string =>
  `Call cycle ${cycle.join(' -> ')}: a service may not call, directly or through others, a service that calls it.`;
/** An expectation's metric starts with no known component. */
export const unknownComponent = (metric: string, component: string, known: readonly string[]): string =>
  `Unknown component "${component}" in metric "${metric}": expected a client, a service, a broker or an edge "caller->callee".${didYouMean(component, known)}`;
/** An expectation names a replica (`api[5]`) its service does not record. */
export const unknownReplica = (metric: string, component: string, service: string, slots: number, perInstance: boolean): string =>
  perInstance
    ? `Unknown component "${component}" in metric "${metric}": "${service}" records its replicas ${service}[0] to ${service}[${slots - 1}].`
    : `Unknown component "${component}" in metric "${metric}": "${service}" does not record its replicas one by one; set perInstance: true on it to get ${service}[0] to ${service}[${slots - 1}].`;
/** An expectation's metric is not one the component records (a warning). */
export const unknownMetric = (metric: string, name: string, kind: string, known: readonly string[]): string =>
  `"${name}" is not ${article(kind)} ${kind} metric, so "${metric}" will have no data.${didYouMean(name, known)}`;
/** An expectation's metric exists only with a mechanism its component lacks (a warning). */
export const metricNeedsMechanism = (metric: string, name: string, kind: string, when: string): string =>
  `"${name}" is recorded only for ${article(kind)} ${kind} ${when}, so "${metric}" will have no data.`;

// ── Sentences: relations between fields ────────────────────────────────────

/** The warmup leaves nothing to measure. */
export const warmupNotBelowDuration = (warmup: number, duration: number): string =>
  `warmup (${formatSeconds(warmup)}) must be below duration (${formatSeconds(duration)}): nothing would be measured.`;
/** The sample is too narrow for the duration. */
export const tooManyBuckets = (buckets: number): string =>
  `duration / sample gives ${Math.ceil(buckets)} buckets; at most ${MAX_BUCKETS} are allowed. Use a wider sample.`;
/** Buckets × components too many for memory. */
export const tooManyBucketSeries = (buckets: number, components: number, replicas = false): string =>
  `duration / sample gives ${Math.ceil(buckets)} buckets for ${components} components (clients, services${replicas ? ', calls and replicas recorded one by one' : ' and calls'}): ` +
  `${Math.ceil(buckets) * components} bucket series; at most ${MAX_BUCKET_SERIES} are allowed, since memory grows with both. Use a wider sample.`;
/** One bucket covers the whole run (a warning). */
export const sampleAboveDuration = (sample: number, duration: number): string =>
  `sample (${formatSeconds(sample)}) is longer than duration (${formatSeconds(duration)}): the run has a single bucket.`;
/** Something scheduled after the run ends (a warning). */
export const startsAfterEnd = (what: string, at: number, duration: number): string =>
  `${what} starts at ${formatSeconds(at)}, at or after the end of the run (${formatSeconds(duration)}): it never takes effect.`;
/** An expectation window with from not below to. */
export const emptyWindow = (from: number, to: number): string =>
  `The window from ${formatSeconds(from)} to ${formatSeconds(to)} is empty: "from" must be below "to".`;
/** An expectation window ending after the run. */
export const windowBeyondEnd = (to: number, duration: number): string =>
  `"to" (${formatSeconds(to)}) is after the end of the run (${formatSeconds(duration)}); use "end" or a smaller time.`;
/** A metric expectation with nothing to compare. */
export const boundMissing = (): string => 'This expectation has no bound: add atLeast, atMost, below or above.';
/** A fault with none of its effect fields. */
export const effectMissing = (kind: string, fields: readonly string[]): string => `A ${kind} fault needs ${list(fields)}.`;
/** A lognormal given neither pair of parameters, or a mix. */
export const lognormalParams = (mixed: boolean): string =>
  `A lognormal distribution takes either median and p99, or mu and sigma (log-seconds)${mixed ? ', not a mix' : ''}.`;
/** A lognormal whose p99 is not above its median. */
export const p99NotAboveMedian = (median: number, p99: number): string =>
  `p99 (${formatSeconds(p99)}) must be above median (${formatSeconds(median)}).`;
/** A min/max pair in the wrong order. */
export const minAboveMax = (what: string, min: string, max: string): string => `${what}: min (${min}) must not be above max (${max}).`;
/** A concurrency limit that starts outside the range it keeps. */
export const initialOutsideRange = (initial: number, min: number, max: number): string =>
  `concurrencyLimit: initial (${initial}) must be within min..max (${min}..${max}); note that min defaults to 20 and max to 200.`;
/** An exponential backoff that starts above its cap (a warning). */
export const baseAboveCap = (base: number, cap: number): string =>
  `backoff base (${formatSeconds(base)}) is above cap (${formatSeconds(cap)}), so every wait is the cap.`;
/** Starting instances outside the autoscale range (a warning). */
export const instancesOutsideRange = (instances: number, min: number, max: number): string =>
  `instances (${instances}) is outside autoscale min..max (${min}..${max}); the run starts outside the range the autoscaler keeps.`;
/** Two rate steps at one time. */
export const duplicateStep = (at: number): string => `Two rate steps start at ${formatSeconds(at)}; each step needs its own time.`;
/** A traffic fault that takes a rate over the limit. */
export const peakRateOverLimit = (rate: number): string =>
  `With this traffic fault the rate peaks at ${rate}/s, over the limit of ${MAX_RATE_PER_S}/s.`;
/** CoDel settings on a queue that is not CoDel. */
export const codelWithoutDiscipline = (): string =>
  'codel settings are given but the discipline is not codel; set discipline: codel or remove them.';
/** A percentage autoscale target on a metric that is not a fraction. */
export const percentTarget = (metric: string): string =>
  `A percentage target only fits the utilization metric; give ${metric} a plain number.`;
/** CoDel settings written in both places. */
export const codelTwice = (): string => 'codel settings are given twice, in discipline and in codel; keep one.';
/** A utilization target above 1. */
export const utilizationTarget = (target: number): string =>
  `A utilization target is a fraction of busy workers; found ${target}, expected a value above 0 and at most 1.`;
/** A recovers expectation in a scenario without faults (a warning). */
export const recoversWithoutFaults = (): string =>
  'A recovers expectation needs at least one fault; without faults the verdict is stable or overloaded, so it will fail.';

// ── Sentences: design lints (warnings, see lint.ts) ────────────────────────

/** A count of attempts with thousands separators; beyond 10^15, as a power of ten. */
function formatCount(n: number): string {
  if (!(n < 1e15)) return `more than 10^15`;
  return String(n).replace(/\B(?=(\d{3})+(?!\d))/g, ',');
}

/**
 * A call whose worst case (attempts x timeout, pool waits, backoff waits) is
 * longer than a timeout above it; `detail` says what was counted.
 */
export const timeoutInversion = (call: string, worst: number, detail: string, bound: number, boundEdge: string, caller: string): string =>
  `The call ${call} can take up to ${formatSeconds(worst)} (${detail}), longer than the ${formatSeconds(bound)} timeout on ${boundEdge} above it: ` +
  `that caller gives up while ${caller} is still waiting or retrying. Make the attempts fit in ${formatSeconds(bound)}.`;
/** What timeoutInversion counted: `3 attempts × 1s timeout + 2 backoff waits of up to 300ms in all`. */
export const worstCaseDetail = (attempts: number, timeout: number, poolWait: number, waits: number): string =>
  `${attempts} attempt${attempts === 1 ? '' : 's'} × ` +
  (poolWait > 0 ? `(${formatSeconds(poolWait)} pool wait + ${formatSeconds(timeout)} timeout)` : `${formatSeconds(timeout)} timeout`) +
  (waits > 0 ? ` + ${attempts - 1} backoff wait${attempts === 2 ? '' : 's'} of up to ${formatSeconds(waits)} in all` : '');
/** The structure map's line for a timeout inversion. */
export const timeoutInversionLabel = (worst: number, bound: number): string =>
  `⚠ timeout inversion: up to ${formatSeconds(worst)} > ${formatSeconds(bound)} above`;

/** Retries at several layers of one chain multiply: `attempts` per retrying layer, top first. */
export const layeredRetries = (chain: readonly string[], attempts: readonly number[], callee: string): string => {
  const product = attempts.reduce((p, a) => p * a, 1);
  const first = attempts[0];
  const factors = attempts.every((a) => a === first)
    ? `${attempts.length} layers × ${first} attempts`
    : `${attempts.join(' × ')} attempts at ${attempts.length} layers`;
  return (
    `Retries multiply along ${chain.join(' → ')}: ${factors}, up to ${formatCount(product)} attempts at ${callee} per operation. ` +
    'Retry at one layer, or give the other layers a retry budget.'
  );
};
/** The structure map's line for layered retries. */
export const layeredRetriesLabel = (product: number): string => `⚠ layered retries: up to ${formatCount(product)} attempts per operation`;

/** A LIFO or CoDel queue with unlimited capacity. */
export const unboundedQueue = (service: string, discipline: 'lifo' | 'codel'): string =>
  (discipline === 'lifo'
    ? `The lifo queue of ${service} has no capacity: under overload the newest requests are served first and the oldest wait without limit while the queue grows.`
    : `The codel queue of ${service} has no capacity: CoDel sheds a request only when it takes it out, and serves the newest first while congested, so under overload the queue still grows without limit.`) +
  ' Give it a capacity (queue.capacity).';
/** The structure map's line for an unbounded LIFO or CoDel queue. */
export const unboundedQueueLabel = (discipline: 'lifo' | 'codel'): string => `⚠ ${discipline} queue without capacity`;

/** A latency or timeout written as a bare number, which the format reads as seconds. */
export const bareNumber = (key: string, n: number): string =>
  `${key}: ${n} has no unit, so it means ${n} second${n === 1 ? '' : 's'}. Write ${formatSeconds(n)} if that is meant` +
  (n >= 1 && Number.isInteger(n) ? `, or ${n}ms for milliseconds.` : '.');
/** The structure map's line for a bare number. */
export const bareNumberLabel = (key: string, n: number): string => `⚠ ${key}: ${n} has no unit (${formatSeconds(n)})`;

/** A cache names an eviction policy but has no capacity to evict from. */
export const evictionWithoutCapacity = (): string =>
  'eviction is given but the cache has no capacity, so it never evicts; set capacity (in keys, e.g. capacity: 1000) or remove eviction.';

/** A crash fault on a service that makes downstream calls. */
export const crashWithCalls = (service: string, callees: readonly string[]): string =>
  `A crash can only hit a service that makes no calls, and "${service}" calls ${list(callees)}: ` +
  `crash one of those it calls, or use an errors fault with rate: 1 on "${service}" for a replica that fails fast.`;
/** A crashWhen with both thresholds, or with neither. */
export const crashWhenMeasure = (both: boolean): string =>
  both
    ? 'crashWhen takes one threshold, inflight or queue, not both: keep the one that crashes the replica, e.g. { inflight: 500, sustained: 10s }.'
    : 'crashWhen needs a threshold: inflight (requests waiting or holding a worker on a replica) or queue (waiting only), e.g. { inflight: 500, sustained: 10s }.';
/** A crashWhen on a service that makes downstream calls. */
export const crashWhenWithCalls = (service: string, callees: readonly string[]): string =>
  `A crash can only hit a service that makes no calls, and "${service}" calls ${list(callees)}: ` +
  `put crashWhen on one of those it calls.`;
