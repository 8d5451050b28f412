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

/** Collects bare numbers under one subject. */
class Finder {
  readonly out: IssueDraft[] = [];
  private readonly subject: LintSubject;

  constructor(subject: LintSubject) {
    this.subject = subject;
  }

  /** A duration field: a non-zero number is a bare number (0 needs no unit). */
  value(v: unknown, path: PathSegment[]): void {
    if (typeof v !== 'number' || v === 0) return;
    const key = String(path.findLast((p) => typeof p === 'string') ?? '');
    this.out.push({
      severity: 'warning',
      message: msg.bareNumber(key, v),
      path,
      lint: { code: 'bare-number', label: msg.bareNumberLabel(key, v), subject: this.subject },
    });
  }

  /** A distribution: a plain number, or the duration fields of `{ dist: ... }`. */
  dist(d: unknown, path: PathSegment[]): void {
    if (typeof d !== 'object' || d === null) return this.value(d, path);
    for (const k of DIST_DURATIONS) if (k in d) this.value((d as Record<string, unknown>)[k], [...path, k]);
  }

  /** The base and cap of a retry policy's backoff. */
  retry(r: ClientDoc['retry'], path: PathSegment[]): void {
    const b = r?.backoff;
    if (b === undefined || b.kind === 'none') return;
    this.value(b.base, [...path, 'backoff', 'base']);
    if (b.kind === 'exponential') this.value(b.cap, [...path, 'backoff', 'cap']);
  }
}

function callSites(f: Finder, c: CallDoc, path: PathSegment[]): void {
  f.value(c.timeout, [...path, 'timeout']);
  f.dist(c.network, [...path, 'network']);
  f.retry(c.retry, [...path, 'retry']);
  f.value(c.pool?.acquireTimeout, [...path, 'pool', 'acquireTimeout']);
  f.value(c.breaker?.slowCall?.over, [...path, 'breaker', 'slowCall', 'over']);
  f.value(c.cache?.hitTime, [...path, 'cache', 'hitTime']);
}

function serviceSites(f: Finder, s: ServiceDoc, path: PathSegment[]): void {
  f.dist(s.serviceTime, [...path, 'serviceTime']);
  const q = s.queue;
  for (const [settings, at] of [[typeof q.discipline === 'object' ? q.discipline : undefined, 'discipline'], [q.codel, 'codel']] as const) {
    f.value(settings?.target, [...path, 'queue', at, 'target']);
    f.value(settings?.interval, [...path, 'queue', at, 'interval']);
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
    const f = new Finder({ kind: 'client', name });
    const path: PathSegment[] = ['clients', name];
    f.value(c.timeout, [...path, 'timeout']);
    f.dist(c.network, [...path, 'network']);
    f.retry(c.retry, [...path, 'retry']);
    out.push(...f.out);
  }
  for (const [name, s] of Object.entries(doc.services)) {
    const service = new Finder({ kind: 'service', name });
    serviceSites(service, s, ['services', name]);
    out.push(...service.out);
    for (const [i, c] of s.calls.entries()) {
      const call = new Finder({ kind: 'call', service: name, index: i });
      callSites(call, c, ['services', name, 'calls', i]);
      out.push(...call.out);
    }
  }
  for (const [i, fault] of doc.faults.entries()) {
    if (fault.kind !== 'latency') continue;
    const f = new Finder({ kind: 'service', name: fault.target });
    f.value(fault.add, ['faults', i, 'add']);
    out.push(...f.out);
  }
  return out;
}
