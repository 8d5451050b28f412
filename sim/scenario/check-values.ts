/**
 * Relations between values of a document the schema accepted: warmup below
 * duration, min not above max, a lognormal given one way, fault effects
 * present, expectation windows inside the run. Limits on single values live
 * in the schema; these need two or more fields at once.
 */
import { checkKeys } from './check-keys.js';
import type { IssueDraft, PathSegment } from './issue.js';
import * as msg from './messages.js';
import type { ScenarioDocument } from './schema.js';
import { RAMPABLE_FIELDS } from './schema-ramp.js';
import { replicaSlots } from './replica-slots.js';
import { MAX_BUCKETS, MAX_BUCKET_SERIES, MAX_RATE_PER_S, formatSeconds, toFraction, toSeconds } from './units.js';

type ServiceDoc = ScenarioDocument['services'][string];
type DistDoc = ServiceDoc['serviceTime'];
type RetryDoc = NonNullable<ScenarioDocument['clients'][string]['retry']>;
type RateDoc = Extract<ScenarioDocument['clients'][string]['arrival'], { rate: unknown }>['rate'];

function checkDist(d: DistDoc | undefined, path: PathSegment[]): IssueDraft[] {
  if (d === undefined || typeof d !== 'object') return [];
  if (d.dist === 'uniform' && toSeconds(d.min) > toSeconds(d.max)) {
    const [min, max] = [formatSeconds(toSeconds(d.min)), formatSeconds(toSeconds(d.max))];
    return [{ message: msg.minAboveMax('uniform distribution', min, max), path: [...path, 'max'] }];
  }
  if (d.dist === 'lognormal') {
    const quantiles = d.median !== undefined && d.p99 !== undefined;
    const logs = d.mu !== undefined && d.sigma !== undefined;
    const mixed = (d.median ?? d.p99) !== undefined && (d.mu ?? d.sigma) !== undefined;
    if (mixed || (!quantiles && !logs)) return [{ message: msg.lognormalParams(mixed), path }];
    if (d.median !== undefined && d.p99 !== undefined && toSeconds(d.p99) <= toSeconds(d.median)) {
      return [{ message: msg.p99NotAboveMedian(toSeconds(d.median), toSeconds(d.p99)), path: [...path, 'p99'] }];
    }
  }
  return [];
}

function checkRetry(r: RetryDoc | undefined, path: PathSegment[]): IssueDraft[] {
  const b = r?.backoff;
  if (b?.kind === 'exponential' && toSeconds(b.base) > toSeconds(b.cap)) {
    return [{ severity: 'warning', message: msg.baseAboveCap(toSeconds(b.base), toSeconds(b.cap)), path: [...path, 'backoff', 'cap'] }];
  }
  return [];
}

/** Highest rate a profile reaches, per second. */
export function peakRate(rate: RateDoc): number {
  if (typeof rate === 'number') return rate;
  if (Array.isArray(rate)) return Math.max(0, ...rate.map((s) => s.rate));
  return Math.max(rate.from, rate.to);
}

function checkRateSteps(rate: RateDoc, path: PathSegment[], duration: number): IssueDraft[] {
  if (!Array.isArray(rate)) return [];
  const out: IssueDraft[] = [];
  const seen = new Set<number>();
  for (const [j, step] of rate.entries()) {
    const at = toSeconds(step.at);
    if (seen.has(at)) out.push({ message: msg.duplicateStep(at), path: [...path, j, 'at'] });
    else if (at >= duration)
      out.push({ severity: 'warning', message: msg.startsAfterEnd('This rate step', at, duration), path: [...path, j, 'at'] });
    seen.add(at);
  }
  return out;
}

/** A call's fallback: its time is a valid distribution, and it is not also marked optional (one way to absorb a failure). */
function checkFallback(c: ServiceDoc['calls'][number], path: PathSegment[]): IssueDraft[] {
  if (c.fallback === undefined) return [];
  if (c.optional) return [{ message: msg.optionalWithFallback(), path: [...path, 'optional'] }];
  return checkDist(c.fallback.serviceTime, [...path, 'fallback', 'serviceTime']);
}

/** A hedged call: no retry policy (gRPC allows one or the other), and no pool or rate limit (one per copy is not modelled). */
function checkHedge(c: ServiceDoc['calls'][number], path: PathSegment[]): IssueDraft[] {
  if (c.hedge === undefined) return [];
  const others = (['retry', 'pool', 'rateLimit'] as const).filter((k) => c[k] !== undefined);
  return others.map((k) => ({ message: msg.hedgeWith(k), path: [...path, k] }));
}

/** Route groups: each group's calls stand one after another, and none also has a probability below 1. */
function checkRoutes(calls: ServiceDoc['calls'], path: PathSegment[]): IssueDraft[] {
  const out: IssueDraft[] = [];
  const closed = new Set<string>();
  let open: string | undefined;
  for (const [i, c] of calls.entries()) {
    const group = c.route?.group;
    if (open !== undefined && group !== open) closed.add(open);
    open = group;
    if (group === undefined) continue;
    if (closed.has(group)) out.push({ message: msg.routeGroupSplit(group), path: [...path, i, 'route', 'group'] });
    if (toFraction(c.probability) < 1) out.push({ message: msg.routeWithProbability(), path: [...path, i, 'probability'] });
  }
  return out;
}

function checkService(s: ServiceDoc, path: PathSegment[]): IssueDraft[] {
  const out = checkDist(s.serviceTime, [...path, 'serviceTime']);
  out.push(...checkRoutes(s.calls, [...path, 'calls']));
  for (const [i, c] of s.calls.entries()) {
    out.push(...checkDist(c.network, [...path, 'calls', i, 'network']), ...checkRetry(c.retry, [...path, 'calls', i, 'retry']));
    out.push(...checkFallback(c, [...path, 'calls', i]), ...checkHedge(c, [...path, 'calls', i]));
    if (c.cache?.eviction !== undefined && c.cache.capacity === undefined)
      out.push({ message: msg.evictionWithoutCapacity(), path: [...path, 'calls', i, 'cache', 'eviction'] });
  }
  const a = s.autoscale;
  if (a) {
    const ap = [...path, 'autoscale'];
    if (a.min > a.max) out.push({ message: msg.minAboveMax('autoscale', String(a.min), String(a.max)), path: [...ap, 'min'] });
    else if (s.instances < a.min || s.instances > a.max) {
      out.push({ severity: 'warning', message: msg.instancesOutsideRange(s.instances, a.min, a.max), path: [...path, 'instances'] });
    }
    const target = typeof a.target === 'string' ? toFraction(a.target) : a.target;
    if (typeof a.target === 'string' && a.metric !== 'utilization')
      out.push({ message: msg.percentTarget(a.metric), path: [...ap, 'target'] });
    else if (a.metric === 'utilization' && target > 1) out.push({ message: msg.utilizationTarget(target), path: [...ap, 'target'] });
  }
  const cw = s.crashWhen;
  if (cw !== undefined) {
    const both = cw.inflight !== undefined && cw.queue !== undefined;
    if (both || (cw.inflight === undefined && cw.queue === undefined))
      out.push({ message: msg.crashWhenMeasure(both), path: [...path, 'crashWhen', ...(both ? ['queue'] : [])] });
    if (s.calls.length > 0)
      out.push({
        message: msg.crashWhenWithCalls(
          String(path[1]),
          s.calls.map((c) => c.to),
        ),
        path: [...path, 'crashWhen'],
        atKey: true,
      });
  }
  const cl = s.concurrencyLimit;
  if (cl !== undefined) {
    const cp = [...path, 'concurrencyLimit'];
    if (cl.min > cl.max) out.push({ message: msg.minAboveMax('concurrencyLimit', String(cl.min), String(cl.max)), path: [...cp, 'min'] });
    else if (cl.initial < cl.min || cl.initial > cl.max)
      out.push({ message: msg.initialOutsideRange(cl.initial, cl.min, cl.max), path: [...cp, 'initial'] });
  }
  const d = s.degradation;
  if (d !== undefined && 'curve' in d) {
    if (d.exponent !== undefined && d.curve !== 'polynomial')
      out.push({ message: msg.exponentWithoutPolynomial(d.curve), path: [...path, 'degradation', 'exponent'] });
    if (d.of === 'utilization' && s.workers === 'unlimited')
      out.push({ message: msg.utilizationOfUnlimited(), path: [...path, 'degradation', 'of'] });
  }
  const q = s.queue;
  if (q.codel !== undefined && typeof q.discipline === 'object') out.push({ message: msg.codelTwice(), path: [...path, 'queue', 'codel'] });
  else if (q.codel !== undefined && q.discipline !== 'codel')
    out.push({ message: msg.codelWithoutDiscipline(), path: [...path, 'queue', 'codel'] });
  return out;
}

/** A ramp must end inside its window: `over` at most the fault's `for`. */
function checkRamps(f: ScenarioDocument['faults'][number], path: PathSegment[]): IssueDraft[] {
  if (!('for' in f)) return [];
  const windowFor = toSeconds(f.for);
  const out: IssueDraft[] = [];
  for (const field of RAMPABLE_FIELDS) {
    const v: unknown = (f as Record<string, unknown>)[field];
    if (typeof v !== 'object' || v === null || !('over' in v)) continue;
    const over = toSeconds((v as { over: string | number }).over);
    if (over > windowFor) out.push({ message: msg.rampPastWindow(field, over, windowFor), path: [...path, field, 'over'] });
  }
  return out;
}

function checkFaults(doc: ScenarioDocument, duration: number): IssueDraft[] {
  const out: IssueDraft[] = [];
  for (const [i, f] of doc.faults.entries()) {
    const path: PathSegment[] = ['faults', i];
    if (f.kind === 'latency' && f.add === undefined && f.multiply === undefined) {
      out.push({ message: msg.effectMissing('latency', ['add', 'multiply']), path });
    }
    if (f.kind === 'capacity' && f.instances === undefined && f.workers === undefined) {
      out.push({ message: msg.effectMissing('capacity', ['instances', 'workers']), path });
    }
    if (f.kind === 'link' && f.delay === undefined && f.loss === undefined && f.partition === undefined) {
      out.push({ message: msg.effectMissing('link', ['delay', 'loss', 'partition']), path });
    }
    if (f.kind === 'traffic') {
      const arrival = doc.clients[f.target]?.arrival;
      const most = typeof f.multiply === 'number' ? f.multiply : Math.max(f.multiply.from, f.multiply.to);
      const peak = arrival && 'rate' in arrival ? peakRate(arrival.rate) * most : 0;
      if (peak > MAX_RATE_PER_S) out.push({ message: msg.peakRateOverLimit(peak), path: [...path, 'multiply'] });
    }
    out.push(...checkRamps(f, path));
    const at = toSeconds(f.at);
    if (at >= duration)
      out.push({ severity: 'warning', message: msg.startsAfterEnd(`Fault ${i} (${f.kind})`, at, duration), path: [...path, 'at'] });
  }
  return out;
}

function checkExpectations(doc: ScenarioDocument, duration: number): IssueDraft[] {
  const out: IssueDraft[] = [];
  for (const [i, e] of doc.expect.entries()) {
    const path: PathSegment[] = ['expect', i];
    if ('recovers' in e && doc.faults.length === 0) out.push({ severity: 'warning', message: msg.recoversWithoutFaults(), path });
    if (!('metric' in e)) continue;
    if (e.atLeast === undefined && e.atMost === undefined && e.below === undefined && e.above === undefined) {
      out.push({ message: msg.boundMissing(), path });
    }
    const from = e.from === undefined ? toSeconds(doc.warmup) : toSeconds(e.from);
    const to = e.to === undefined || e.to === 'end' ? duration : toSeconds(e.to);
    if (to > duration) out.push({ message: msg.windowBeyondEnd(to, duration), path: [...path, 'to'] });
    else if (from >= to) out.push({ message: msg.emptyWindow(from, to), path: [...path, e.from === undefined ? 'to' : 'from'] });
  }
  return out;
}

/** Relational checks on a schema-valid document. */
export function checkValues(doc: ScenarioDocument): IssueDraft[] {
  const out: IssueDraft[] = [];
  const duration = toSeconds(doc.duration);
  const warmup = toSeconds(doc.warmup);
  const sample = toSeconds(doc.sample);
  if (warmup >= duration) out.push({ message: msg.warmupNotBelowDuration(warmup, duration), path: ['warmup'] });
  // A service recorded per replica counts once more for each replica index its series cover.
  const replicas = Object.entries(doc.services).reduce(
    (n, [name, s]) => n + (s.perInstance ? replicaSlots(name, s.instances, s.autoscale?.max ?? null, doc.faults) : 0),
    0,
  );
  const components = Object.keys(doc.clients).length + Object.values(doc.services).reduce((n, s) => n + 1 + s.calls.length, 0) + replicas;
  if (duration / sample > MAX_BUCKETS) out.push({ message: msg.tooManyBuckets(duration / sample), path: ['sample'] });
  else if (Math.ceil(duration / sample) * components > MAX_BUCKET_SERIES)
    out.push({ message: msg.tooManyBucketSeries(duration / sample, components, replicas > 0), path: ['sample'] });
  else if (sample > duration) out.push({ severity: 'warning', message: msg.sampleAboveDuration(sample, duration), path: ['sample'] });
  for (const [name, c] of Object.entries(doc.clients)) {
    const path: PathSegment[] = ['clients', name];
    out.push(...checkDist(c.network, [...path, 'network']), ...checkRetry(c.retry, [...path, 'retry']));
    if (c.arrival.kind === 'closed') out.push(...checkDist(c.arrival.think, [...path, 'arrival', 'think']));
    else out.push(...checkRateSteps(c.arrival.rate, [...path, 'arrival', 'rate'], duration));
  }
  for (const [name, s] of Object.entries(doc.services)) out.push(...checkService(s, ['services', name]));
  out.push(...checkFaults(doc, duration), ...checkExpectations(doc, duration), ...checkKeys(doc));
  return out;
}
