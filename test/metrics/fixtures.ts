/**
 * Hand-built runs and scenarios for the metrics tests: a RunSeries is just
 * arrays, so each test states its buckets literally and knows the answer.
 */
import type { Client, Expectation, Fault, NormalizedScenario, Service } from '../../sim/scenario/types.js';
import { LogHistogram } from '../../sim/metrics/histogram.js';
import { call, poissonClient, service as buildService } from '../helpers/build.js';
import type { LatencySeries, RateSeries, RunSeries, Series, StockSeries } from '../../sim/metrics/series.js';

/** A run of `series` with buckets `sample` wide covering [0, duration). */
export function makeRun(sample: number, duration: number, series: Series[]): RunSeries {
  return { sample, duration, buckets: Math.ceil(duration / sample - 1e-9), series };
}

/** A rate series (events per second per bucket). */
export function rate(name: string, values: readonly number[]): RateSeries {
  return { kind: 'rate', name, values: Float64Array.from(values), total: 0 };
}

/** A stock series; the peak defaults to the mean. */
export function stock(name: string, mean: readonly number[], max: readonly number[] = mean): StockSeries {
  return { kind: 'stock', name, mean: Float64Array.from(mean), max: Float64Array.from(max), last: mean.at(-1) ?? 0 };
}

/** A latency series with the given durations (seconds) in each bucket. */
export function latency(name: string, perBucket: readonly (readonly number[])[]): LatencySeries {
  return { kind: 'latency', name, buckets: perBucket.map((xs) => histogramOf(xs)) };
}

/** A histogram holding `xs`. */
export function histogramOf(xs: Iterable<number>): LogHistogram {
  const h = new LogHistogram();
  for (const x of xs) h.record(x);
  return h;
}

/** `n` copies of `v`. */
export function repeat(v: number, n: number): number[] {
  return Array.from({ length: n }, () => v);
}

/** A pause fault on `target` over [at, at + length). */
export function pause(at: number, length: number, target = 'api'): Fault {
  return { kind: 'pause', target, at, for: length };
}

function client(name: string): Client {
  return poissonClient(name, 'api', 100);
}

function service(name: string, calls: readonly string[] = []): Service {
  return buildService(name, { serviceTime: { dist: 'constant', value: 0.001 }, calls: calls.map((to) => call(to)) });
}

/** Options for {@link makeScenario}. */
export interface ScenarioOptions {
  readonly duration: number;
  readonly sample?: number;
  readonly warmup?: number;
  readonly clients?: readonly string[];
  readonly services?: readonly string[];
  readonly faults?: readonly Fault[];
  readonly expect?: readonly Expectation[];
  /** Per service, the services it calls (plain calls). */
  readonly calls?: Readonly<Record<string, readonly string[]>>;
}

/** A scenario with one client `users` and one service `api` unless told otherwise. */
export function makeScenario(o: ScenarioOptions): NormalizedScenario {
  return {
    name: 'test',
    description: '',
    seed: 1,
    duration: o.duration,
    warmup: o.warmup ?? 0,
    sample: o.sample ?? 1,
    clients: (o.clients ?? ['users']).map(client),
    services: (o.services ?? ['api']).map((name) => service(name, o.calls?.[name])),
    brokers: [],
    faults: o.faults ?? [],
    expect: o.expect ?? [],
  };
}

/** mulberry32: a tiny seeded generator of uniforms in [0, 1). */
export function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
