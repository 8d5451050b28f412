/**
 * The resilience policy of each edge of the structure map, as short lines of
 * text with a severity: what an architect checks first in a design review
 * (timeout, retry and its backoff or a hedge, rate limit, breaker, pool, cache) and what is missing.
 */
import type { Issue, LintSubject } from '../sim/scenario/issue.js';
import { edgeTargeted } from '../sim/scenario/edge-names.js';
import type {
  Arrival,
  Breaker,
  Broker,
  Call,
  Client,
  ConcurrencyLimit,
  CrashTrigger,
  HealthCheck,
  DegradationCurve,
  Dist,
  Fault,
  Hedge,
  OutlierDetection,
  RateLimit,
  RetryPolicy,
  Route,
  Service,
} from '../sim/scenario/types.js';
import { linkEffect } from './fault-text.js';
import { formatDuration, formatNumber, formatPercent } from './format.js';

/**
 * How worrying a line or an edge is: `danger` (no timeout: a slow callee
 * holds the caller forever), `warn` (retry without backoff, no breaker),
 * `ok` otherwise.
 */
export type Severity = 'ok' | 'warn' | 'danger';

/** One line of an edge's annotation. */
export interface NoteLine {
  readonly text: string;
  readonly severity: Severity;
}

/** The annotation of one edge: its lines and the worst severity among them. */
export interface EdgeNotes {
  readonly lines: readonly NoteLine[];
  readonly severity: Severity;
}

/** Flag texts, shared by the map, the legend and the tests. */
export const FLAG_NO_TIMEOUT = '⚠ no timeout';
/** Flag for a retry policy whose backoff kind is `none`. */
export const FLAG_NO_BACKOFF = '⚠ retry without backoff';
/** Flag for a service-to-service call without a circuit breaker. */
export const FLAG_NO_BREAKER = '⚠ no breaker';

const RANK: Record<Severity, number> = { ok: 0, warn: 1, danger: 2 };

function worst(lines: readonly NoteLine[]): Severity {
  return lines.reduce<Severity>((w, l) => (RANK[l.severity] > RANK[w] ? l.severity : w), 'ok');
}

const ok = (text: string): NoteLine => ({ text, severity: 'ok' });

/** `timeout 500ms`, or the no-timeout flag. */
export function timeoutText(timeout: number | null): string {
  return timeout === null ? FLAG_NO_TIMEOUT : `timeout ${formatDuration(timeout)}`;
}

function retryLines(retry: RetryPolicy | null): NoteLine[] {
  if (retry === null || retry.attempts <= 1) return [ok('no retry')];
  const b = retry.backoff;
  const backoff =
    b.kind === 'none'
      ? ''
      : b.kind === 'constant'
        ? `backoff ${formatDuration(b.base)}`
        : `backoff ${formatDuration(b.base)}·2ⁿ ≤ ${formatDuration(b.cap)}`;
  const jitter = retry.jitter === 'none' ? 'no jitter' : `${retry.jitter} jitter`;
  // A missing backoff is said once, by the flag at the end.
  const lines = [ok(`retry ${retry.attempts} attempts · ${jitter}`), ...(b.kind === 'none' ? [] : [ok(backoff)])];
  if (retry.on.length < 3) lines.push(ok(`retries on ${retry.on.join(', ')}`));
  const budget = retry.budget;
  lines.push(
    ok(
      budget === null
        ? 'no retry budget'
        : `budget ${formatPercent(budget.ratio)} + ${formatNumber(budget.minPerSecond)}/s per ${formatDuration(budget.window)}`,
    ),
  );
  if (b.kind === 'none') lines.push({ text: FLAG_NO_BACKOFF, severity: 'warn' });
  return lines;
}

/** Flag for a broker without a dead-letter queue: a message that always fails is redelivered for ever. */
export const FLAG_NO_DLQ = '⚠ no dead-letter queue';

/** The annotation of a producer's edge to its broker: it is acknowledged at once. */
export function publisherNotes(): EdgeNotes {
  return { lines: [ok('publishes · acked at once')], severity: 'ok' };
}

/** The annotation of a broker's deliveries to its consumer service: the consumer group and how messages come back. */
export function brokerNotes(b: Broker): EdgeNotes {
  const lines: NoteLine[] = [
    ok(`${formatNumber(b.consumers.concurrency)} consumers · visibility ${formatDuration(b.visibilityTimeout)}`),
    b.redeliveryDelay === null
      ? ok('failed: back after the visibility timeout')
      : ok(`failed: back after ${formatDuration(b.redeliveryDelay)}`),
    ok(`drops after ${formatDuration(b.retention)}${b.order === 'newest' ? ' · newest first' : ''}`),
    b.maxReceiveCount === null ? { text: FLAG_NO_DLQ, severity: 'warn' } : ok(`dead-letter after ${b.maxReceiveCount} receives`),
  ];
  return { lines, severity: worst(lines) };
}

/** A call's part of its route group: a share and weight, or (by key) its keys, "the other keys" for the call that takes the rest. */
function routeText(r: Route, share: number | null): string {
  if (share !== null) return `${formatPercent(share)} (weight ${formatNumber(r.weight)})`;
  const k = r.keys;
  if (k === undefined) return 'the other keys';
  return k.from === k.to ? `key ${k.from}` : `keys ${k.from}–${k.to}`;
}

/** A hedged call's policy: its copies and their spacing, and the failures that send the next copy at once. */
function hedgeLines(h: Hedge): NoteLine[] {
  const apart = h.delay === 0 ? 'all at once' : `${formatDuration(h.delay)} apart`;
  const lines = [ok(`hedge ${h.attempts} copies · ${apart}`)];
  if (h.nonFatal.length > 0) lines.push(ok(`next copy at once on ${h.nonFatal.join(', ')}`));
  return lines;
}

/** The lines of a breaker (a call's or a client's): its failure threshold, its wait when open, its slow-call rule. */
function breakerLines(br: Breaker): NoteLine[] {
  const lines = [ok(`breaker at ${formatPercent(br.failureRate)} failures · open ${formatDuration(br.openFor)}`)];
  if (br.slowCall !== null) lines.push(ok(`or at ${formatPercent(br.slowCall.rate)} slow calls (> ${formatDuration(br.slowCall.over)})`));
  return lines;
}

/** The annotation of the edge from a client to its target service; its own breaker, when it has one, is said (none is not flagged). */
export function clientNotes(c: Client): EdgeNotes {
  const lines: NoteLine[] = [
    { text: timeoutText(c.timeout), severity: c.timeout === null ? 'danger' : 'ok' },
    ...retryLines(c.retry),
    ...(c.breaker === null ? [] : breakerLines(c.breaker)),
  ];
  if (c.rateLimit !== null) lines.push(ok(rateLimitText(c.rateLimit)));
  const k = c.keys;
  if (k !== undefined) {
    const law = k.popularity.kind === 'zipf' ? `zipf ${formatNumber(k.popularity.exponent)}` : 'uniform';
    lines.push(ok(`keys ${k.from}–${k.to} · ${law}`));
  }
  return { lines, severity: worst(lines) };
}

/**
 * The annotation of a service's downstream call; `routeShare` is the part of
 * its route group's requests the call gets (see sim/scenario/route-share.ts),
 * `null` in a route by key, where the call's keys are shown instead.
 */
export function callNotes(c: Call, routeShare: number | null = 1): EdgeNotes {
  const lines: NoteLine[] = [];
  if (c.probability < 1) lines.push(ok(`${formatPercent(c.probability)} of requests`));
  if (c.route !== null) lines.push(ok(`route ${c.route.group}: ${routeText(c.route, routeShare)}`));
  lines.push({ text: timeoutText(c.timeout), severity: c.timeout === null ? 'danger' : 'ok' });
  lines.push(...(c.hedge === null ? retryLines(c.retry) : hedgeLines(c.hedge)));
  if (c.rateLimit !== null) lines.push(ok(rateLimitText(c.rateLimit, ' per caller replica')));
  if (c.breaker === null) lines.push({ text: FLAG_NO_BREAKER, severity: 'warn' });
  else lines.push(...breakerLines(c.breaker));
  if (c.pool !== null) {
    const wait = c.pool.acquireTimeout === null ? 'waits forever' : `acquire ${formatDuration(c.pool.acquireTimeout)}`;
    lines.push(ok(`pool ${c.pool.size}/instance · ${wait}`));
  }
  if (c.cache !== null) {
    const extras = [c.cache.coalesce ? 'single-flight' : '', c.cache.staleWhileRevalidate ? 'stale-while-revalidate' : '']
      .filter((x) => x !== '')
      .map((x) => ` · ${x}`)
      .join('');
    lines.push(ok(`cache ${formatNumber(c.cache.keys)} keys · ttl ${formatDuration(c.cache.ttl)}${extras}`));
    if (c.cache.capacity !== Infinity)
      lines.push(ok(`holds ${formatNumber(c.cache.capacity)} keys · evicts ${c.cache.eviction.toUpperCase()}`));
  }
  if (c.optional) lines.push(ok('optional: skipped when it fails'));
  if (c.fallback !== null) lines.push(ok(`fallback ${distText(c.fallback.serviceTime)}${c.fallback.degraded ? ' · degraded' : ''}`));
  return { lines, severity: worst(lines) };
}

/** `notes` with `extra` lines added at the end, its severity updated. */
export function withLines(notes: EdgeNotes, extra: readonly NoteLine[]): EdgeNotes {
  if (extra.length === 0) return notes;
  const lines = [...notes.lines, ...extra];
  return { lines, severity: worst(lines) };
}

/**
 * One line per link fault that names call edge `edge` (model/link.ts), e.g.
 * `⚡ link 60s–90s: +50ms, 5% lost`, marked `warn`: the map shows which edge
 * the fault breaks.
 */
export function linkFaultLines(faults: readonly Fault[], edge: string): NoteLine[] {
  return faults
    .filter((f): f is Fault & { kind: 'link' } => f.kind === 'link' && edgeTargeted(edge, f.target))
    .map((f) => ({ text: `⚡ link ${formatDuration(f.at)}–${formatDuration(f.at + f.for)}: ${linkEffect(f)}`, severity: 'warn' }));
}

/** The structure map's lines for the design lints among `warnings`, by the part of the system they concern. */
export interface LintLines {
  /** Lines for the edge from client `name` to its target. */
  client(name: string): NoteLine[];
  /** Lines for call `index` of service `service`. */
  call(service: string, index: number): NoteLine[];
  /** Lines for the box of service `name`. */
  service(name: string): string[];
}

function subjectKey(s: LintSubject): string {
  return s.kind === 'call' ? `call:${s.service}:${s.index}` : `${s.kind}:${s.name}`;
}

/** Sorts the design-lint labels of `warnings` (issues without a lint tag are left out) by subject; each label once. */
export function lintLines(warnings: readonly Issue[]): LintLines {
  const by = new Map<string, string[]>();
  for (const w of warnings) {
    if (w.lint === undefined) continue;
    const key = subjectKey(w.lint.subject);
    const labels = by.get(key) ?? [];
    if (!labels.includes(w.lint.label)) labels.push(w.lint.label);
    by.set(key, labels);
  }
  const warn = (key: string): NoteLine[] => (by.get(key) ?? []).map((text) => ({ text, severity: 'warn' }));
  return {
    client: (name) => warn(subjectKey({ kind: 'client', name })),
    call: (service, index) => warn(subjectKey({ kind: 'call', service, index })),
    service: (name) => by.get(subjectKey({ kind: 'service', name })) ?? [],
  };
}

/** A distribution in a few characters: `1s`, `exp 1s`, `lognormal median 8ms`. */
export function distText(d: Dist): string {
  switch (d.dist) {
    case 'constant':
      return formatDuration(d.value);
    case 'exponential':
      return `exp ${formatDuration(d.mean)}`;
    case 'uniform':
      return `${formatDuration(d.min)}–${formatDuration(d.max)}`;
    case 'lognormal':
      return `lognormal median ${formatDuration(Math.exp(d.mu))}`;
    case 'erlang':
      return `erlang k=${d.k} ${formatDuration(d.mean)}`;
    case 'pareto':
      return `pareto ${formatDuration(d.scale)} α=${formatNumber(d.shape)}`;
  }
}

/** How a client produces load: `poisson 720/s`, `constant 100→1,000/s over 5m`, `closed 200 users, think exp 1s`. */
export function arrivalText(a: Arrival): string {
  if (a.kind === 'closed') return `closed ${a.users} users, think ${distText(a.think)}`;
  const r = a.rate;
  if (r.kind === 'ramp') return `${a.kind} ${formatNumber(r.from)}→${formatNumber(r.to)}/s over ${formatDuration(r.over)}`;
  const rates = r.steps.map((s) => s.rate);
  const lo = Math.min(...rates);
  const hi = Math.max(...rates);
  return lo === hi ? `${a.kind} ${formatNumber(lo)}/s` : `${a.kind} ${formatNumber(lo)}–${formatNumber(hi)}/s in steps`;
}

/** A service's capacity and shape in up to three short lines, then its rate limit, its concurrency limit, its outlier detection, its health check and its crash trigger, a line each. */
export function serviceText(s: Service): string[] {
  const workers = Number.isFinite(s.workers) ? `${s.workers} workers` : 'unlimited workers';
  const lines = [`${s.instances} × ${workers}`, `service ${distText(s.serviceTime)}`];
  const extras: string[] = [];
  if (Number.isFinite(s.queue.capacity)) extras.push(`queue ≤ ${formatNumber(s.queue.capacity)}`);
  if (s.queue.discipline.kind !== 'fifo') extras.push(s.queue.discipline.kind);
  if (s.autoscale !== null) extras.push(`autoscale ${s.autoscale.min}–${s.autoscale.max}`);
  if (s.errorRate > 0) extras.push(`${formatPercent(s.errorRate)} errors`);
  if (s.degradation?.kind === 'curve') extras.push(curveText(s.degradation));
  if (extras.length > 0) lines.push(extras.join(' · '));
  if (s.rateLimit !== null) lines.push(rateLimitText(s.rateLimit));
  if (s.concurrencyLimit !== null) lines.push(concurrencyLimitText(s.concurrencyLimit));
  if (s.outlierDetection !== null) lines.push(outlierText(s.outlierDetection));
  if (s.healthCheck !== null) lines.push(healthCheckText(s.healthCheck));
  if (s.crashWhen !== null) lines.push(crashWhenText(s.crashWhen));
  return lines;
}

/** A crash trigger in one line: `crashes above 500 in flight for 10s · down 30s`, `crashes above 100 queued at once · down 10s`. */
export function crashWhenText(c: CrashTrigger): string {
  const load = c.measure === 'inflight' ? 'in flight' : 'queued';
  const held = c.sustained > 0 ? `for ${formatDuration(c.sustained)}` : 'at once';
  return `crashes above ${formatNumber(c.above)} ${load} ${held} · down ${formatDuration(c.for)}`;
}

/** An adaptive concurrency limit in one line: `concurrency AIMD 20–200 (from 20, ×0.9 on a drop or past 5s)`. */
export function concurrencyLimitText(c: ConcurrencyLimit): string {
  const range = c.min === c.max ? `${formatNumber(c.min)}` : `${formatNumber(c.min)}–${formatNumber(c.max)}`;
  return `concurrency AIMD ${range} (from ${formatNumber(c.initial)}, ×${formatNumber(c.backoff)} on a drop or past ${formatDuration(c.timeout)})`;
}

/** Outlier detection in one line: `ejects after 5 errors · 30s × n · ≤ 10%`. */
export function outlierText(o: OutlierDetection): string {
  return `ejects after ${formatNumber(o.consecutiveErrors)} errors · ${formatDuration(o.baseEjectionTime)} × n · ≤ ${formatPercent(o.maxEjectionPercent)}`;
}

/** A health check in one line: `health check every 10s ≤ 1s · out after 3 fails · back after 1 pass`. */
export function healthCheckText(h: HealthCheck): string {
  const n = (k: number, one: string, many: string): string => `${formatNumber(k)} ${k === 1 ? one : many}`;
  return `health check every ${formatDuration(h.interval)} ≤ ${formatDuration(h.timeout)} · out after ${n(h.unhealthyThreshold, 'fail', 'fails')} · back after ${n(h.healthyThreshold, 'pass', 'passes')}`;
}

/**
 * A token bucket in one line: `limit 100/s · burst 20 · refuses`,
 * `limit 100/s in fills of 100ms · burst 20 · waits ≤ 50`; `per` follows the
 * rate (` per caller replica` for a call's limit, one bucket per replica).
 */
export function rateLimitText(r: RateLimit, per = ''): string {
  const fills = r.fillInterval === null ? '' : ` in fills of ${formatDuration(r.fillInterval)}`;
  const line = r.queue === 0 ? 'refuses' : Number.isFinite(r.queue) ? `waits ≤ ${formatNumber(r.queue)}` : 'waits unbounded';
  return `limit ${formatNumber(r.rate)}/s${per}${fills} · burst ${formatNumber(r.burst)} · ${line}`;
}

/** A latency curve as its formula: `×(1 + 0.2·busy) ≤ 1000`, `×e^(3·utilization) ≤ 20`. */
export function curveText(c: DegradationCurve): string {
  const k = formatNumber(c.k);
  const f = c.curve === 'exponential' ? `e^(${k}·${c.of})` : `(1 + ${k}·${c.of}${c.exponent === 1 ? '' : `^${formatNumber(c.exponent)}`})`;
  return `time ×${f} ≤ ${formatNumber(c.max)}`;
}
