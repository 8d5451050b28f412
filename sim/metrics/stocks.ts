/**
 * The stocks that can hold work: every place a request or an operation can
 * pile up while it waits. The verdict, the headline chart, the terminal table
 * and the comparison figures all read them from {@link WORK_STOCKS}, so a
 * stock the model gains later is one entry here.
 */
import { callEdgeNames } from '../scenario/edge-names.js';
import type { MetricOf } from '../scenario/metric-catalogue.js';
import type { NormalizedScenario } from '../scenario/types.js';
import { findSeries } from './csv.js';
import { roundForOutput } from './round.js';
import type { RunSeries } from './series.js';

/** One kind of stock that holds work. */
export interface WorkStockKind {
  /** Which components record it. */
  readonly of: 'client' | 'service' | 'edge' | 'broker';
  /** The metric, as in `<component>.<metric>` (a stock of the metric catalogue). */
  readonly metric: MetricOf<'client'> | MetricOf<'service'> | MetricOf<'edge'> | MetricOf<'broker'>;
  /** What the work in it is doing, in words: "waiting for a pool connection". */
  readonly label: string;
  /**
   * Whether it is a stock of its own (`total`) or held inside its caller's
   * busy workers (`caller`): a request waiting for a pool connection, backing
   * off before a call's retry or waiting on a cache fill keeps its worker, so
   * it is already in the caller's `busy` and `inflight`.
   */
  readonly within: 'total' | 'caller';
  /** Recorded only by services whose workers are `unlimited` (their busy workers are the only place work piles up). */
  readonly unlimitedOnly?: boolean;
  /**
   * Whether the work in it is counted in some service's `inflight` (queues,
   * busy workers and everything held by them). The verdict's recovery test
   * checks `inflight` per service, and each stock outside it on its own.
   */
  readonly inInflight: boolean;
}

/**
 * Every stock that can hold work, the most specific first (a stock held
 * inside its caller's workers before that caller's own): when two stocks
 * peak alike, the first one names what grew.
 */
export const WORK_STOCKS: readonly WorkStockKind[] = [
  { of: 'edge', metric: 'pool.waiting', label: 'waiting for a pool connection', within: 'caller', inInflight: true },
  { of: 'edge', metric: 'cache.waiting', label: 'waiting on a cache fill', within: 'caller', inInflight: true },
  { of: 'edge', metric: 'retry.waiting', label: 'backing off before a call retry', within: 'caller', inInflight: true },
  { of: 'client', metric: 'retry.waiting', label: 'backing off before a retry', within: 'total', inInflight: false },
  { of: 'service', metric: 'queue', label: 'waiting for a worker', within: 'total', inInflight: true },
  { of: 'service', metric: 'rateLimit.waiting', label: 'waiting for a rate-limit token', within: 'total', inInflight: false },
  { of: 'service', metric: 'busy', label: 'in flight', within: 'total', inInflight: true, unlimitedOnly: true },
  { of: 'broker', metric: 'visible', label: 'waiting in a broker queue', within: 'total', inInflight: false },
  { of: 'broker', metric: 'delayed', label: 'waiting out a redelivery delay', within: 'total', inInflight: false },
];

/**
 * What the work in stock `series` (`<component>.<metric>`, as
 * {@link GrowingStock.series}) is doing, in words; undefined for a series
 * that is not a work stock. An edge's component is `caller->callee`, so the
 * name alone tells a call's retry sleepers from a client's.
 */
export function workStockLabel(series: string): string | undefined {
  const dot = series.indexOf('.');
  const component = series.slice(0, dot);
  const metric = series.slice(dot + 1);
  const of = component.includes('->') ? 'edge' : undefined;
  return WORK_STOCKS.find((k) => k.metric === metric && (of === 'edge' ? k.of === 'edge' : k.of !== 'edge'))?.label;
}

/** `api->db.pool.waiting (waiting for a pool connection)`: a work stock with what it holds. */
export function describeWorkStock(series: string): string {
  const label = workStockLabel(series);
  return label === undefined ? series : `${series} (${label})`;
}

/** One recorded work stock of a run. */
export interface WorkStock {
  /** `<component>.<metric>`. */
  readonly series: string;
  readonly component: string;
  readonly kind: WorkStockKind;
  /** Bucket means and peaks. */
  readonly mean: Float64Array;
  readonly max: Float64Array;
}

/** The work stocks `run` recorded, in {@link WORK_STOCKS} order, then in scenario order. */
export function workStocks(run: RunSeries, scenario: NormalizedScenario): WorkStock[] {
  const out: WorkStock[] = [];
  for (const kind of WORK_STOCKS) {
    const names = componentsOf(scenario, kind.of).filter((n) => kind.unlimitedOnly !== true || !limitedService(scenario, n));
    for (const component of names) {
      const s = findSeries(run, `${component}.${kind.metric}`);
      if (s?.kind === 'stock') out.push({ series: s.name, component, kind, mean: s.mean, max: s.max });
    }
  }
  return out;
}

/** The names of the scenario's clients, services or call edges (`caller->callee`, `#2` for a second call). */
export function componentsOf(scenario: NormalizedScenario, of: 'client' | 'service' | 'edge' | 'broker'): string[] {
  switch (of) {
    case 'client':
      return scenario.clients.map((c) => c.name);
    case 'service':
      return scenario.services.map((s) => s.name);
    case 'edge':
      return scenario.services.flatMap((s) => callEdgeNames(s));
    case 'broker':
      return scenario.brokers.map((b) => b.name);
  }
}

function limitedService(scenario: NormalizedScenario, name: string): boolean {
  return Number.isFinite(scenario.services.find((s) => s.name === name)?.workers ?? 0);
}

/**
 * The total backlog per bucket: the sum of the stocks of their own (service
 * queues, busy workers of `unlimited` services, operations backing off), so
 * nothing is counted twice.
 */
export function totalBacklog(run: RunSeries, stocks: readonly WorkStock[]): Float64Array {
  const total = new Float64Array(run.buckets);
  for (const s of stocks) if (s.kind.within === 'total') for (let i = 0; i < run.buckets; i += 1) total[i]! += s.mean[i]!;
  return total;
}

/** The stock that grew most, for the headline: which one, what it holds, and its peak. */
export interface GrowingStock {
  readonly series: string;
  readonly label: string;
  /** Largest bucket mean over the buckets from `first` on. */
  readonly peak: number;
}

/**
 * The stock that actually grows over buckets [first, end): the one with the
 * largest peak bucket mean, except that the first stock in
 * {@link WORK_STOCKS} order within 10% of that peak is taken (a pool's
 * waiters rather than the busy workers that hold them). Null when every
 * stock stays at 0.
 */
export function growingStock(stocks: readonly WorkStock[], first: number, end: number): GrowingStock | null {
  const peaks = stocks.map((s) => {
    let p = 0;
    for (let i = first; i < end; i += 1) p = Math.max(p, s.mean[i]!);
    return p;
  });
  const top = Math.max(0, ...peaks);
  if (!(top > 0)) return null;
  const at = peaks.findIndex((p) => p >= 0.9 * top);
  const s = stocks[at]!;
  return { series: s.series, label: s.kind.label, peak: roundForOutput(peaks[at]!) };
}
