/**
 * Replications reduced: the figures of several seeds of one variant as means
 * with 95% intervals and verdict counts, and their per-bucket series as a
 * band (mean, min and max across seeds). Seeds are taken in the order given,
 * so the result does not depend on the order runs finished in.
 */
import { roundForOutput } from '../metrics/round.js';
import { describeWorkStock } from '../metrics/stocks.js';
import type { VerdictKind } from '../scenario/types.js';
import { FIGURE_NAMES, type FigureName, type RunFigures, type RunTrace } from './figures.js';
import { extentOf, summarizeSample, type SampleStats } from './stats.js';

/** How many runs ended with each verdict. */
export type VerdictCounts = Record<VerdictKind, number>;

/** Counts of each verdict among `verdicts`. */
export function countVerdicts(verdicts: readonly VerdictKind[]): VerdictCounts {
  const counts: VerdictCounts = { stable: 0, overloaded: 0, recovered: 0, draining: 0, metastable: 0 };
  for (const v of verdicts) counts[v] += 1;
  return counts;
}

/** How many runs named each loop in their verdict (`none` for runs without one), in first-seen order. */
export type LoopCounts = Readonly<Record<string, number>>;

/** How many runs gave each name (a loop, a stock, a series; `none` for runs without one), in first-seen order. */
export type NameCounts = Readonly<Record<string, number>>;

/** Counts of each name among `names` (null counts as `none`). */
export function countNames(names: readonly (string | null)[]): NameCounts {
  const counts: Record<string, number> = {};
  for (const l of names) counts[l ?? 'none'] = (counts[l ?? 'none'] ?? 0) + 1;
  return counts;
}

/** Counts of each loop name among `loops` (null counts as `none`). */
export function countLoops(loops: readonly (string | null)[]): LoopCounts {
  return countNames(loops);
}

/** "metastable" (one seed) or "recovered 2/3, metastable 1/3": each key that occurred, with its count out of `n`. */
export function formatTally(counts: Readonly<Record<string, number>>, n: number): string {
  return Object.entries(counts)
    .filter(([, c]) => c > 0)
    .map(([k, c]) => (n === 1 ? k : `${k} ${c}/${n}`))
    .join(', ');
}

/** {@link formatTally} of the stocks that grew most, each with what it holds: "api->db.pool.waiting (waiting for a pool connection)". */
export function formatStockTally(counts: NameCounts, n: number): string {
  const described: Record<string, number> = {};
  for (const [k, c] of Object.entries(counts)) described[k === 'none' ? k : describeWorkStock(k)] = c;
  return formatTally(described, n);
}

/** The figures of one variant over its seeds. */
export interface ReplicationStats {
  readonly seeds: number;
  readonly verdicts: VerdictCounts;
  /** The loops the verdicts named. */
  readonly loops: LoopCounts;
  /** The stock that grew most in each seed (`backlogStock`; `none` where no stock held work). */
  readonly backlogStocks: NameCounts;
  /** Seeds whose verdict found a sustained swing. */
  readonly oscillating: number;
  /** The series that swung (`oscillation`; `none` for seeds without a swing). */
  readonly oscillations: NameCounts;
  /**
   * Each figure over the seeds that have it: `recoverySeconds` over those
   * that recovered, `drainSeconds` over those draining, `loopGain` over those
   * whose verdict names a loop, `periodSeconds` over those that swing, the
   * damage over those with a reference; the others over every seed. Null
   * when no seed has it.
   */
  readonly figures: Readonly<Record<FigureName, SampleStats | null>>;
  /** Each `--metric` over the seeds where it had a value (null when none had); absent without `--metric`. */
  readonly metrics?: Readonly<Record<string, SampleStats | null>>;
}

/**
 * Each `--metric` of `runs` summarized over the runs where it had a value, in
 * the order the runs name them; undefined when no run carries metrics.
 */
export function summarizeMetrics(runs: readonly Pick<RunFigures, 'metrics'>[]): Record<string, SampleStats | null> | undefined {
  if (!runs.some((r) => r.metrics !== undefined)) return undefined;
  const names = [...new Set(runs.flatMap((r) => Object.keys(r.metrics ?? {})))];
  const out: Record<string, SampleStats | null> = {};
  // Every recorded series counts, levels or times something: never below 0.
  for (const n of names)
    out[n] = summarizeSample(
      runs.map((r) => r.metrics?.[n]).filter((v): v is number => typeof v === 'number'),
      0,
    );
  return out;
}

/** Reduces the figures of a variant's seeds (at least one). */
export function aggregateReplications(runs: readonly RunFigures[]): ReplicationStats {
  const figures = {} as Record<FigureName, SampleStats | null>;
  for (const name of FIGURE_NAMES) {
    const values = runs.map((r) => r[name]).filter((v): v is number => v !== null);
    // Every figure is a count, a rate or a time: never below 0.
    figures[name] = summarizeSample(values, 0);
  }
  const metrics = summarizeMetrics(runs);
  return {
    seeds: runs.length,
    verdicts: countVerdicts(runs.map((r) => r.verdict)),
    loops: countLoops(runs.map((r) => r.loop)),
    backlogStocks: countNames(runs.map((r) => r.backlogStock)),
    oscillating: runs.filter((r) => r.oscillation !== null).length,
    oscillations: countNames(runs.map((r) => r.oscillation)),
    figures,
    ...(metrics !== undefined ? { metrics } : {}),
  };
}

/** A series across seeds, bucket by bucket. */
export interface SeriesBand {
  readonly mean: readonly number[];
  readonly min: readonly number[];
  readonly max: readonly number[];
}

/** The traces of a variant's seeds as bands. */
export interface TraceBands {
  readonly sample: number;
  readonly duration: number;
  readonly seeds: number;
  readonly series: Readonly<Record<string, SeriesBand>>;
}

/**
 * Bands over the traces of one variant's seeds (same scenario, so the same
 * buckets). A series missing from some trace is banded over those that have it.
 */
export function aggregateTraces(traces: readonly RunTrace[]): TraceBands {
  const first = traces[0];
  if (first === undefined) throw new RangeError('aggregateTraces: no traces');
  const series: Record<string, SeriesBand> = {};
  for (const name of Object.keys(first.series)) {
    const columns = traces.map((t) => t.series[name]).filter((c): c is readonly number[] => c !== undefined);
    const [length] = extentOf(columns.map((c) => c.length));
    const mean: number[] = [];
    const min: number[] = [];
    const max: number[] = [];
    for (let i = 0; i < length; i += 1) {
      let sum = 0;
      let lo = Infinity;
      let hi = -Infinity;
      for (const c of columns) {
        const v = c[i] as number;
        sum += v;
        lo = Math.min(lo, v);
        hi = Math.max(hi, v);
      }
      mean.push(roundForOutput(sum / columns.length));
      min.push(lo);
      max.push(hi);
    }
    series[name] = { mean, min, max };
  }
  return { sample: first.sample, duration: first.duration, seeds: traces.length, series };
}
