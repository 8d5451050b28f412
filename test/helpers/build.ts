/**
 * Builders for normalized scenarios in tests: every default filled in, so a
 * test names only what it is about.
 */
import type { Broker, Call, Client, Dist, Fault, NormalizedScenario, ReplicaPick, RetryPolicy, Service } from '../../sim/scenario/types.js';
import type { RunResult } from '../../sim/engine/run.js';
import { bareCall } from '../../sim/scenario/normalize-parts.js';

export const exp = (mean: number): Dist => ({ dist: 'exponential', mean });
export const constant = (value: number): Dist => ({ dist: 'constant', value });

export function poissonClient(name: string, target: string, rate: number, over: Partial<Client> = {}): Client {
  return {
    name,
    target,
    arrival: { kind: 'poisson', rate: { kind: 'steps', steps: [{ at: 0, rate }] } },
    timeout: null,
    network: null,
    rateLimit: null,
    retry: null,
    breaker: null,
    ...over,
  };
}

/** Client `users` sending to api at a constant `rate`: arrivals at 1/rate, 2/rate, ... */
export function constantClient(rate: number, over: Partial<Client> = {}): Client {
  return {
    name: 'users',
    target: 'api',
    arrival: { kind: 'constant', rate: { kind: 'steps', steps: [{ at: 0, rate }] } },
    timeout: null,
    network: null,
    rateLimit: null,
    retry: null,
    breaker: null,
    ...over,
  };
}

export function service(name: string, over: Partial<Service> = {}): Service {
  return {
    name,
    instances: 1,
    workers: 1,
    queue: { capacity: Infinity, discipline: { kind: 'fifo' } },
    balancer: 'roundRobin',
    serviceTime: exp(1),
    errorRate: 0,
    dropExpired: false,
    calls: [],
    autoscale: null,
    coldStart: null,
    degradation: null,
    rateLimit: null,
    concurrencyLimit: null,
    outlierDetection: null,
    perInstance: false,
    crashWhen: null,
    healthCheck: null,
    ...over,
  };
}

export function call(to: string, over: Partial<Call> = {}): Call {
  return { ...bareCall(to), ...over };
}

export function retry(attempts: number, over: Partial<RetryPolicy> = {}): RetryPolicy {
  return { attempts, backoff: { kind: 'none' }, jitter: 'none', on: ['timeout', 'error', 'rejected'], budget: null, ...over };
}

/** A broker whose consumer group of `concurrency` sends to `service`; SQS's defaults otherwise. */
export function broker(name: string, service: string, concurrency: number, over: Partial<Broker> = {}): Broker {
  return {
    name,
    consumers: { service, concurrency },
    visibilityTimeout: 30,
    maxReceiveCount: null,
    redeliveryDelay: null,
    retention: 345_600,
    order: 'oldest',
    ...over,
  };
}

export function scenario(over: Partial<NormalizedScenario>): NormalizedScenario {
  return {
    name: 'test',
    description: '',
    seed: 1,
    duration: 100,
    warmup: 0,
    sample: 1,
    clients: [],
    services: [],
    brokers: [],
    faults: [],
    expect: [],
    ...over,
  };
}

/** Total count of a rate metric over the whole run. */
export function total(r: RunResult, name: string): number {
  const s = r.series.series.find((x) => x.name === name);
  if (s?.kind !== 'rate') throw new Error(`no rate series ${name}`);
  return s.total;
}

/** The last level of a stock metric. */
export function lastLevel(r: RunResult, name: string): number {
  const s = r.series.series.find((x) => x.name === name);
  if (s?.kind !== 'stock') throw new Error(`no stock ${name}`);
  return s.last;
}

/** Mean of a latency metric over buckets [from, to) (exact: sums and counts). */
export function meanLatency(r: RunResult, name: string, fromBucket = 0): { mean: number; count: number } {
  const s = r.series.series.find((x) => x.name === name);
  if (s?.kind !== 'latency') throw new Error(`no latency series ${name}`);
  let sum = 0;
  let count = 0;
  s.buckets.forEach((h, i) => {
    if (i >= fromBucket) {
      sum += h.sum;
      count += h.count;
    }
  });
  return { mean: sum / count, count };
}

/** Time-weighted mean of a stock over buckets [fromBucket, end) (equal-width buckets). */
export function meanStock(r: RunResult, name: string, fromBucket = 0): number {
  const s = r.series.series.find((x) => x.name === name);
  if (s?.kind !== 'stock') throw new Error(`no stock series ${name}`);
  let a = 0;
  for (let i = fromBucket; i < s.mean.length; i++) a += s.mean[i] as number;
  return a / (s.mean.length - fromBucket);
}

/** Per-bucket values of a rate or stock series. */
export function values(r: RunResult, name: string): Float64Array {
  const s = r.series.series.find((x) => x.name === name);
  if (s?.kind === 'rate') return s.values;
  if (s?.kind === 'stock') return s.mean;
  throw new Error(`no rate or stock series ${name}`);
}

/** Replica `index` of a service, as a fault's `replicas`. */
export const replica = (index: number): ReplicaPick => ({ kind: 'index', index });

/**
 * The sick replica least-requests loves, as two lists of faults on api[0] for
 * a 100 s run: one that fails every request 100 times faster than it would
 * serve it, and one that is down the whole run (a crash answers at once).
 */
export const SICK_REPLICA: readonly (readonly [string, Fault[]])[] = [
  [
    'a replica that fails fast',
    [
      { kind: 'errors', target: 'api', replicas: replica(0), at: 0, for: 100, rate: 1 },
      { kind: 'latency', target: 'api', replicas: replica(0), at: 0, for: 100, add: 0, multiply: 0.01 },
    ],
  ],
  ['a crashed replica', [{ kind: 'crash', target: 'api', replicas: replica(0), at: 0.001, for: 200 }]],
];
