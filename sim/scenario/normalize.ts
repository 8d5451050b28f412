/**
 * Turns a validated scenario document into the NormalizedScenario the engine
 * runs and `run.json` records: every duration in seconds, every percentage a
 * fraction, every shorthand spelled out, every absent option `null` (or
 * `Infinity` for "no limit"), faults in time order, expectations with their
 * window resolved and a `text` rendering of what the user wrote.
 *
 * It assumes the document passed the schema and the checks in check-*.ts;
 * given anything else, the result is unspecified.
 */
import type { ScenarioDocument } from './schema.js';
import { CODEL_DEFAULTS } from './schema-service.js';
import type { z } from 'zod';
import { DEFAULT_CURVE_EXPONENT, type DegradationCurve as DegradationCurveDoc } from './schema-curve.js';
import { splitReplicaTarget } from './schema-replicas.js';
import type {
  Broker,
  Client,
  DegradationCurve,
  Expectation,
  Fault,
  FaultRamp,
  NormalizedScenario,
  QueueDiscipline,
  ReplicaPick,
  Service,
} from './types.js';
import {
  normalizeArrival,
  normalizeBreaker,
  normalizeCall,
  normalizeClientKeys,
  normalizeDist,
  normalizeKeyRange,
  normalizeOptionalDist,
  normalizeOutlierDetection,
  normalizeRateLimit,
  normalizeCrashWhen,
  normalizeHealthCheck,
  normalizeRetry,
  optionalSeconds,
} from './normalize-parts.js';
import { toFraction, toSeconds } from './units.js';

type ServiceDoc = ScenarioDocument['services'][string];
type FaultDoc = ScenarioDocument['faults'][number];
type BrokerDoc = ScenarioDocument['brokers'][string];
type ExpectDoc = ScenarioDocument['expect'][number];

function normalizeDiscipline(q: ServiceDoc['queue']): QueueDiscipline {
  const d = q.discipline;
  if (typeof d === 'object') return { kind: 'codel', target: toSeconds(d.target), interval: toSeconds(d.interval) };
  if (d !== 'codel') return { kind: d };
  const codel = q.codel ?? CODEL_DEFAULTS;
  return { kind: 'codel', target: toSeconds(codel.target), interval: toSeconds(codel.interval) };
}

function normalizeService(name: string, s: ServiceDoc): Service {
  const a = s.autoscale;
  const d = s.degradation;
  return {
    name,
    instances: s.instances,
    workers: s.workers === 'unlimited' ? Infinity : s.workers,
    queue: {
      capacity: s.queue.capacity === 'unlimited' ? Infinity : s.queue.capacity,
      discipline: normalizeDiscipline(s.queue),
    },
    balancer: s.balancer,
    serviceTime: normalizeDist(s.serviceTime),
    errorRate: toFraction(s.errorRate),
    dropExpired: s.dropExpired,
    calls: s.calls.map(normalizeCall),
    autoscale: a
      ? {
          metric: a.metric,
          target: typeof a.target === 'string' ? toFraction(a.target) : a.target,
          period: toSeconds(a.period),
          lag: toSeconds(a.lag),
          tolerance: a.tolerance,
          min: a.min,
          max: a.max,
          warmup: toSeconds(a.warmup),
          scaleDownStabilization: toSeconds(a.scaleDownStabilization),
        }
      : null,
    coldStart: s.coldStart ? { for: toSeconds(s.coldStart.for), slowdown: s.coldStart.slowdown } : null,
    degradation:
      d === undefined
        ? null
        : 'curve' in d
          ? normalizeCurve(d)
          : 'perInflight' in d
            ? { kind: 'linear', perInflight: toFraction(d.perInflight) }
            : { kind: 'threshold', above: d.above, slowdown: d.slowdown },
    rateLimit: normalizeRateLimit(s.rateLimit),
    concurrencyLimit: s.concurrencyLimit === undefined ? null : { ...s.concurrencyLimit, timeout: toSeconds(s.concurrencyLimit.timeout) },
    outlierDetection: normalizeOutlierDetection(s.outlierDetection),
    perInstance: s.perInstance,
    crashWhen: normalizeCrashWhen(s.crashWhen),
    healthCheck: normalizeHealthCheck(s.healthCheck),
  };
}

function normalizeBroker(name: string, b: BrokerDoc): Broker {
  return {
    name,
    consumers: { service: b.consumers.service, concurrency: b.consumers.concurrency },
    visibilityTimeout: toSeconds(b.visibilityTimeout),
    maxReceiveCount: b.maxReceiveCount ?? null,
    redeliveryDelay: optionalSeconds(b.redeliveryDelay),
    retention: toSeconds(b.retention),
    order: b.order,
  };
}

function normalizeCurve(d: z.infer<typeof DegradationCurveDoc>): DegradationCurve {
  const exponent = d.curve === 'polynomial' ? (d.exponent ?? DEFAULT_CURVE_EXPONENT) : 1;
  return { kind: 'curve', curve: d.curve, of: d.of, k: d.k, exponent, max: d.max };
}

function normalizeFault(f: FaultDoc): Fault {
  const ramps: FaultRamp[] = [];
  const fault = normalizeFaultSizes(f, ramps);
  return ramps.length > 0 ? { ...fault, ramps } : fault;
}

/** A size as written, plain or ramped. */
type Sized<T> = T | { readonly from: T; readonly to: T; readonly over: string | number };

/** The final size of `v` in the model's unit (its `to` when it ramps); a ramp is added to `ramps`. */
function sized<T>(field: FaultRamp['field'], v: Sized<T>, unit: (x: T) => number, ramps: FaultRamp[]): number {
  if (typeof v !== 'object' || v === null || !('over' in v)) return unit(v);
  ramps.push({ field, from: unit(v.from), over: toSeconds(v.over) });
  return unit(v.to);
}

function normalizeFaultSizes(f: FaultDoc, ramps: FaultRamp[]): Fault {
  const at = toSeconds(f.at);
  const seconds = (x: Parameters<typeof toSeconds>[0]): number => toSeconds(x);
  const fraction = (x: Parameters<typeof toFraction>[0]): number => toFraction(x);
  const plain = (x: number): number => x;
  switch (f.kind) {
    case 'cacheFlush':
      return { kind: 'cacheFlush', target: f.target, at, for: 0 };
    case 'latency':
      return {
        kind: 'latency',
        ...normalizeReplicas(f.target, f.replicas),
        at,
        for: toSeconds(f.for),
        add: sized('add', f.add ?? 0, seconds, ramps),
        multiply: sized('multiply', f.multiply ?? 1, plain, ramps),
        ...(f.keys === undefined ? {} : { keys: normalizeKeyRange(f.keys) }),
      };
    case 'errors':
      return {
        kind: 'errors',
        ...normalizeReplicas(f.target, f.replicas),
        at,
        for: toSeconds(f.for),
        rate: sized('rate', f.rate, fraction, ramps),
      };
    case 'capacity':
      return { kind: 'capacity', target: f.target, at, for: toSeconds(f.for), instances: f.instances ?? 0, workers: f.workers ?? 0 };
    case 'traffic':
      return { kind: 'traffic', target: f.target, at, for: toSeconds(f.for), multiply: sized('multiply', f.multiply, plain, ramps) };
    case 'pause':
      return { kind: 'pause', ...normalizeReplicas(f.target, f.replicas), at, for: toSeconds(f.for) };
    case 'link':
      return {
        kind: 'link',
        target: f.target,
        at,
        for: toSeconds(f.for),
        delay: sized('delay', f.delay ?? 0, seconds, ramps),
        // A partition loses everything, whatever the loss says (or ramps to).
        loss: f.partition === true ? 1 : sized('loss', f.loss ?? 0, fraction, ramps),
      };
    case 'crash': {
      const { target, replicas } = normalizeReplicas(f.target, f.replicas);
      return { kind: 'crash', target, replicas: replicas ?? { kind: 'share', share: 1 }, at, for: toSeconds(f.for) };
    }
    case 'burst':
      return { kind: 'burst', target: f.target, at, for: toSeconds(f.within ?? 0), count: f.count, spread: f.spread ?? 'even' };
  }
}

/** The service a fault targets and the replicas it hits: `api[2]`, `replicas: 2` or `replicas: "25%"`. */
function normalizeReplicas(target: string, replicas: number | string | undefined): { target: string; replicas?: ReplicaPick } {
  const one = splitReplicaTarget(target);
  if (one !== undefined) return { target: one.service, replicas: { kind: 'index', index: one.index } };
  if (replicas === undefined) return { target };
  return {
    target,
    replicas: typeof replicas === 'number' ? { kind: 'count', count: replicas } : { kind: 'share', share: toFraction(replicas) },
  };
}

/** A duration as the user wrote it, for `text`: strings verbatim, numbers as seconds. */
function written(d: string | number): string {
  return typeof d === 'number' ? `${d}s` : d;
}

/**
 * Renders an expectation compactly, as written:
 * `users.goodput mean from 240s to end >= 700`, `recovers within 60s`, `verdict is recovered`,
 * `oscillates`, `does not oscillate`, `oscillates in web.desired`.
 */
export function expectationText(e: ExpectDoc): string {
  if ('recovers' in e) return `recovers within ${written(e.recovers.within)}`;
  if ('oscillates' in e)
    return e.oscillates === true ? 'oscillates' : e.oscillates === false ? 'does not oscillate' : `oscillates in ${e.oscillates}`;
  if ('verdict' in e) {
    const kinds = typeof e.verdict === 'string' ? [e.verdict] : e.verdict;
    return kinds.length === 1 ? `verdict is ${kinds[0] ?? ''}` : `verdict is one of ${kinds.join(', ')}`;
  }
  const window =
    e.from !== undefined ? ` from ${written(e.from)} to ${written(e.to ?? 'end')}` : e.to !== undefined ? ` to ${written(e.to)}` : '';
  const bounds = [
    e.atLeast !== undefined ? `>= ${e.atLeast}` : '',
    e.atMost !== undefined ? `<= ${e.atMost}` : '',
    e.below !== undefined ? `< ${e.below}` : '',
    e.above !== undefined ? `> ${e.above}` : '',
  ].filter((b) => b !== '');
  return `${e.metric} ${e.stat}${window} ${bounds.join(' and ')}`;
}

function normalizeExpectation(e: ExpectDoc, warmup: number, duration: number): Expectation {
  const text = expectationText(e);
  if ('recovers' in e) return { kind: 'recovers', within: toSeconds(e.recovers.within), text };
  if ('verdict' in e) return { kind: 'verdict', is: typeof e.verdict === 'string' ? [e.verdict] : [...new Set(e.verdict)], text };
  if ('oscillates' in e) return { kind: 'oscillates', what: e.oscillates, text };
  return {
    kind: 'metric',
    metric: e.metric,
    stat: e.stat,
    from: e.from === undefined ? warmup : toSeconds(e.from),
    to: e.to === undefined || e.to === 'end' ? duration : toSeconds(e.to),
    atLeast: e.atLeast ?? null,
    atMost: e.atMost ?? null,
    below: e.below ?? null,
    above: e.above ?? null,
    text,
  };
}

/**
 * The NormalizedScenario for a validated document. `defaultName` is used when
 * the document has no `name` (parse.ts passes the file name without extension).
 */
export function normalizeScenario(doc: ScenarioDocument, defaultName: string): NormalizedScenario {
  const duration = toSeconds(doc.duration);
  const warmup = toSeconds(doc.warmup);
  const clients: Client[] = Object.entries(doc.clients).map(([name, c]) => ({
    name,
    target: c.target,
    arrival: normalizeArrival(c.arrival),
    timeout: optionalSeconds(c.timeout),
    network: normalizeOptionalDist(c.network),
    retry: normalizeRetry(c.retry),
    breaker: normalizeBreaker(c.breaker),
    rateLimit: normalizeRateLimit(c.rateLimit),
    ...(c.keys === undefined ? {} : { keys: normalizeClientKeys(c.keys) }),
  }));
  return {
    name: doc.name ?? defaultName,
    description: doc.description,
    seed: doc.seed,
    duration,
    warmup,
    sample: toSeconds(doc.sample),
    clients,
    services: Object.entries(doc.services).map(([name, s]) => normalizeService(name, s)),
    brokers: Object.entries(doc.brokers).map(([name, b]) => normalizeBroker(name, b)),
    // Array.prototype.sort is stable, so faults at the same time keep the order written.
    faults: doc.faults.map(normalizeFault).sort((a, b) => a.at - b.at),
    expect: doc.expect.map((e) => normalizeExpectation(e, warmup, duration)),
  };
}

/** What `toRunJson` writes for an unlimited quantity (`Infinity` in a NormalizedScenario). */
export const UNLIMITED = 'unlimited';

/**
 * The scenario as plain JSON for `run.json`. JSON has no Infinity, so every
 * `Infinity` (unlimited workers, an unbounded queue, a cache that never
 * expires) becomes the string `"unlimited"`, the word users write for it.
 * Everything else is already plain data.
 */
export function toRunJson(s: NormalizedScenario): unknown {
  return JSON.parse(JSON.stringify(s, (_key, v: unknown) => (v === Infinity ? UNLIMITED : v)));
}
