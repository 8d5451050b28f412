/**
 * The bare-number lint: a latency, timeout or wait written as a plain number,
 * which the format reads as seconds (`add: 100` is 100 s, where 100ms was
 * almost certainly meant). Works on the document as written, since the
 * normalized scenario no longer knows whether a value had a unit.
 */
import type { IssueDraft, LintSubject, PathSegment } from './issue.js';
import * as msg from './messages.js';
import type { ScenarioDocument } from './schema.js';

type ClientDoc = ScenarioDocument['clients'][string];
type ServiceDoc = ScenarioDocument['services'][string];
type CallDoc = ServiceDoc['calls'][number];

/** The duration fields of a distribution object (mu and sigma are log-seconds, not durations). */
const DIST_DURATIONS = ['value', 'mean', 'min', 'max', 'median', 'p99', 'scale'] as const;

/** Collects the bare numbers of one client, service, call or fault; paths are relative to it. */
class Finder {
  readonly out: IssueDraft[] = [];
  private readonly subject: LintSubject;
  private readonly base: readonly PathSegment[];

  constructor(subject: LintSubject, base: readonly PathSegment[]) {
    this.subject = subject;
    this.base = base;
  }

  /** A duration field: a non-zero number is a bare number (0 needs no unit). */
  value(v: unknown, rel: readonly string[]): void {
    if (typeof v !== 'number' || v === 0) return;
    // Named from the component down (`serviceTime.mean`, `retry.backoff.base`), as it reads beside the component on the map.
    const key = rel.join('.');
    this.out.push({
      severity: 'warning',
      message: msg.bareNumber(key, v),
      path: [...this.base, ...rel],
      lint: { code: 'bare-number', label: msg.bareNumberLabel(key, v), subject: this.subject },
    });
  }

  /** A distribution: a plain number, or the duration fields of `{ dist: ... }`. */
  dist(d: unknown, rel: readonly string[]): void {
    if (typeof d !== 'object' || d === null) return this.value(d, rel);
    for (const k of DIST_DURATIONS) if (k in d) this.value((d as Record<string, unknown>)[k], [...rel, k]);
  }

  /** The base and cap of a retry policy's backoff. */
  retry(r: ClientDoc['retry']): void {
    const b = r?.backoff;
    if (b === undefined || b.kind === 'none') return;
    this.value(b.base, ['retry', 'backoff', 'base']);
    if (b.kind === 'exponential') this.value(b.cap, ['retry', 'backoff', 'cap']);
  }
}

function callSites(f: Finder, c: CallDoc): void {
  f.value(c.timeout, ['timeout']);
  f.dist(c.network, ['network']);
  f.retry(c.retry);
  f.value(c.pool?.acquireTimeout, ['pool', 'acquireTimeout']);
  f.value(c.breaker?.slowCall?.over, ['breaker', 'slowCall', 'over']);
  f.value(c.cache?.hitTime, ['cache', 'hitTime']);
}

function serviceSites(f: Finder, s: ServiceDoc): void {
  f.dist(s.serviceTime, ['serviceTime']);
  const q = s.queue;
  for (const [settings, at] of [
    [typeof q.discipline === 'object' ? q.discipline : undefined, 'discipline'],
    [q.codel, 'codel'],
  ] as const) {
    f.value(settings?.target, ['queue', at, 'target']);
    f.value(settings?.interval, ['queue', at, 'interval']);
  }
}

/**
 * Every latency, timeout or wait written as a bare number: timeouts (client,
 * call, pool acquire, the breaker's slow-call threshold), service and network
 * times, cache hit time, backoff base and cap, CoDel target and interval, and
 * the `add` of a latency fault. Windows and lengths of time (duration, at,
 * for, ttl, openFor, think time) are left alone: whole seconds are normal there.
 */
export function lintBareNumbers(doc: ScenarioDocument): IssueDraft[] {
  const out: IssueDraft[] = [];
  for (const [name, c] of Object.entries(doc.clients)) {
    const f = new Finder({ kind: 'client', name }, ['clients', name]);
    f.value(c.timeout, ['timeout']);
    f.dist(c.network, ['network']);
    f.retry(c.retry);
    out.push(...f.out);
  }
  for (const [name, s] of Object.entries(doc.services)) {
    const service = new Finder({ kind: 'service', name }, ['services', name]);
    serviceSites(service, s);
    out.push(...service.out);
    for (const [i, c] of s.calls.entries()) {
      const call = new Finder({ kind: 'call', service: name, index: i }, ['services', name, 'calls', i]);
      callSites(call, c);
      out.push(...call.out);
    }
  }
  for (const [i, fault] of doc.faults.entries()) {
    if (fault.kind !== 'latency') continue;
    const f = new Finder({ kind: 'service', name: fault.target }, ['faults', i]);
    f.value(fault.add, ['add']);
    out.push(...f.out);
  }
  return out;
}
