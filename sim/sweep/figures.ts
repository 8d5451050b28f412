/**
 * The handful of figures a comparison or a sweep reports for one run, and the
 * per-bucket series its charts overlay. Pure reductions of a
 * SimulationResult; the windows match the table `loopsim run` prints.
 */
import { findSeries } from '../metrics/csv.js';
import { roundForOutput } from '../metrics/round.js';
import type { RunSeries } from '../metrics/series.js';
import { bucketRange, reduceValueStats } from '../metrics/stats.js';
import { metricName } from '../scenario/metric-catalogue.js';
import type { NormalizedScenario, VerdictKind } from '../scenario/types.js';
import type { SimulationResult } from '../simulate.js';
import { extentOf } from './stats.js';

/** What one run contributes to a comparison or a sweep. Rates per second; rounded to 6 significant digits. */
export interface RunFigures {
  readonly verdict: VerdictKind;
  /** Seconds from the end of the last fault to recovery; null unless `recovered`. */
  readonly recoverySeconds: number | null;
  /** Goodput of all clients together (operations/s) from warmup to the first fault; the measured window without faults. */
  readonly goodputBefore: number;
  /** Goodput of all clients together (operations/s) from the end of the last fault to the end; the measured window without faults. */
  readonly goodputAfter: number;
  /** Largest queue (requests waiting) any one service reached in the measured window. */
  readonly peakQueue: number;
  /** Responses nobody waited for, all services together, per second over the measured window. */
  readonly wastedPerSecond: number;
  /** Retries at every level (clients and calls) per operation the clients offered, over the measured window. */
  readonly retriesPerOperation: number;
  /** Name of the loop the verdict names (`verdict.loop.name`); null when none. */
  readonly loop: string | null;
  /** That loop's gain (`verdict.loop.gain`; 1 or more: it sustains itself); null when none. */
  readonly loopGain: number | null;
  /**
   * Peak of the stock that grew most in the measured window (`verdict.growing`:
   * a queue, pool waiters, busy workers of an `unlimited` service, operations
   * backing off...), its largest instantaneous level; 0 when no stock held work.
   */
  readonly peakBacklog: number;
  /** That stock, `<component>.<metric>` (`verdict.growing.series`); null when no stock held work. */
  readonly backlogStock: string | null;
  /** Operations lost against normal over the measured window (`verdict.damage.lostOperations`); null without a reference. */
  readonly lostOperations: number | null;
  /** The worst smoothed goodput as a share of normal, 0 to 1 (`verdict.damage.worstGoodputShare`); null without a reference. */
  readonly worstGoodputShare: number | null;
  /** Seconds with goodput below half of normal (`verdict.damage.secondsBelowHalf`); null without a reference. */
  readonly secondsBelowHalf: number | null;
  /** For `draining`: seconds from the end of the run until the backlog clears (`verdict.drain.clearsInSeconds`); null otherwise. */
  readonly drainSeconds: number | null;
  /** The series that swings (`<component>.<metric>` of `verdict.oscillation`); null when nothing does. */
  readonly oscillation: string | null;
  /** Mean time of one full swing, seconds (`verdict.oscillation.periodSeconds`); null when nothing swings. */
  readonly periodSeconds: number | null;
  /**
   * The `--metric` values, by name (sim/sweep/metric-spec.ts): null where the
   * window had nothing to measure. Absent without `--metric`.
   */
  readonly metrics?: Readonly<Record<string, number | null>>;
}

/** Names of the figures, in the order tables show them. */
export const FIGURE_NAMES = [
  'goodputBefore',
  'goodputAfter',
  'peakQueue',
  'peakBacklog',
  'recoverySeconds',
  'drainSeconds',
  'lostOperations',
  'worstGoodputShare',
  'secondsBelowHalf',
  'wastedPerSecond',
  'retriesPerOperation',
  'loopGain',
  'periodSeconds',
] as const;

/** One of {@link FIGURE_NAMES}. */
export type FigureName = (typeof FIGURE_NAMES)[number];

/** How tables name each figure, and its unit. */
export const FIGURE_LABELS: Readonly<Record<FigureName, { readonly label: string; readonly unit: string }>> = {
  goodputBefore: { label: 'goodput before faults', unit: 'ops/s' },
  goodputAfter: { label: 'goodput after faults', unit: 'ops/s' },
  peakQueue: { label: 'peak queue', unit: 'requests' },
  peakBacklog: { label: 'peak backlog', unit: 'requests' },
  recoverySeconds: { label: 'recovery time', unit: 's' },
  drainSeconds: { label: 'time left to drain', unit: 's' },
  lostOperations: { label: 'operations lost', unit: 'ops' },
  worstGoodputShare: { label: 'worst goodput, share of normal', unit: '' },
  secondsBelowHalf: { label: 'time below half of normal goodput', unit: 's' },
  wastedPerSecond: { label: 'wasted work', unit: 'responses/s' },
  retriesPerOperation: { label: 'retries per operation', unit: '' },
  loopGain: { label: 'gain of the verdict’s loop', unit: '' },
  periodSeconds: { label: 'period of the swing', unit: 's' },
};

/** Start of the first fault and end of the last one; both `duration` without faults. */
export function faultSpan(sc: NormalizedScenario): { readonly firstAt: number; readonly lastEnd: number } {
  if (sc.faults.length === 0) return { firstAt: sc.duration, lastEnd: sc.duration };
  return { firstAt: extentOf(sc.faults.map((f) => f.at))[0], lastEnd: extentOf(sc.faults.map((f) => f.at + f.for))[1] };
}

function rateMean(run: RunSeries, name: string, from: number, to: number): number {
  const s = findSeries(run, name);
  if (s === undefined || s.kind !== 'rate') return 0;
  return reduceValueStats(run, s.values, bucketRange(run, from, to))?.mean ?? 0;
}

/** Every edge `caller->callee` of the scenario, once each. */
export function edgeNamesOf(sc: NormalizedScenario): string[] {
  const names = new Set<string>();
  for (const s of sc.services) for (const c of s.calls) names.add(`${s.name}->${c.to}`);
  return [...names];
}

/** The figures of one run (see {@link RunFigures} for each definition). */
export function reduceRunFigures(res: SimulationResult): RunFigures {
  const { scenario: sc, series: run, summary } = res;
  const { firstAt, lastEnd } = faultSpan(sc);
  const faulted = sc.faults.length > 0;
  const before: [number, number] = [sc.warmup, faulted ? firstAt : sc.duration];
  const after: [number, number] = faulted ? [lastEnd, sc.duration] : [sc.warmup, sc.duration];
  let goodputBefore = 0;
  let goodputAfter = 0;
  let offered = 0;
  let retries = 0;
  for (const c of sc.clients) {
    goodputBefore += rateMean(run, metricName('client', c.name, 'goodput'), ...before);
    goodputAfter += rateMean(run, metricName('client', c.name, 'goodput'), ...after);
    offered += rateMean(run, metricName('client', c.name, 'offered'), sc.warmup, sc.duration);
    retries += rateMean(run, metricName('client', c.name, 'retries'), sc.warmup, sc.duration);
  }
  for (const e of edgeNamesOf(sc)) retries += rateMean(run, metricName('edge', e, 'retries'), sc.warmup, sc.duration);
  let peakQueue = 0;
  let wasted = 0;
  for (const s of sc.services) {
    const q = findSeries(run, metricName('service', s.name, 'queue'));
    if (q?.kind === 'stock')
      peakQueue = Math.max(peakQueue, reduceValueStats(run, q.mean, bucketRange(run, sc.warmup, sc.duration), q.max)?.max ?? 0);
    wasted += rateMean(run, metricName('service', s.name, 'wasted'), sc.warmup, sc.duration);
  }
  const v = summary.verdict;
  const backlog = v.growing === null ? undefined : findSeries(run, v.growing.series);
  const peakBacklog =
    backlog?.kind === 'stock' ? (reduceValueStats(run, backlog.mean, bucketRange(run, sc.warmup, sc.duration), backlog.max)?.max ?? 0) : 0;
  return {
    verdict: summary.verdict.kind,
    recoverySeconds: summary.verdict.recoverySeconds,
    goodputBefore: roundForOutput(goodputBefore),
    goodputAfter: roundForOutput(goodputAfter),
    peakQueue: roundForOutput(peakQueue),
    wastedPerSecond: roundForOutput(wasted),
    retriesPerOperation: roundForOutput(offered > 0 ? retries / offered : 0),
    loop: summary.verdict.loop?.name ?? null,
    loopGain: summary.verdict.loop?.gain ?? null,
    peakBacklog: roundForOutput(peakBacklog),
    backlogStock: v.growing?.series ?? null,
    lostOperations: v.damage?.lostOperations ?? null,
    worstGoodputShare: v.damage?.worstGoodputShare ?? null,
    secondsBelowHalf: v.damage?.secondsBelowHalf ?? null,
    drainSeconds: v.drain?.clearsInSeconds ?? null,
    oscillation: v.oscillation === null ? null : `${v.oscillation.component}.${v.oscillation.metric}`,
    periodSeconds: v.oscillation?.periodSeconds ?? null,
  };
}

/** The per-bucket series a comparison overlays, from one run. */
export interface RunTrace {
  /** Bucket width and run length, seconds. */
  readonly sample: number;
  readonly duration: number;
  /** `<service>.queue`, `<service>.inflight` (bucket means) and `<client>.goodput` (per second), one value per bucket. */
  readonly series: Readonly<Record<string, readonly number[]>>;
}

/** The names a {@link RunTrace} holds for a scenario: queue and in-flight per service, goodput per client. */
export function traceNames(sc: NormalizedScenario): string[] {
  return [
    ...sc.services.map((s) => metricName('service', s.name, 'queue')),
    ...sc.clients.map((c) => metricName('client', c.name, 'goodput')),
    ...sc.services.map((s) => metricName('service', s.name, 'inflight')),
  ];
}

/** Extracts the {@link RunTrace} of a run (values rounded to 6 significant digits). */
export function reduceRunTrace(res: SimulationResult): RunTrace {
  const series: Record<string, number[]> = {};
  for (const name of traceNames(res.scenario)) {
    const s = findSeries(res.series, name);
    const values = s?.kind === 'rate' ? s.values : s?.kind === 'stock' ? s.mean : undefined;
    if (values !== undefined) series[name] = Array.from(values, roundForOutput);
  }
  return { sample: res.series.sample, duration: res.series.duration, series };
}
