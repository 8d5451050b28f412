/**
 * `summary.json`: what a run measured, the verdict and the expectations, in
 * the shape docs/scenario-format.md fixes ("What a run leaves behind").
 */
import type { NormalizedScenario } from '../scenario/types.js';
import { reduceExpectations, type ExpectationResult } from './expectations.js';
import { roundForOutput } from './round.js';
import type { RunSeries, Series } from './series.js';
import {
  bucketRange,
  mergeHistograms,
  reduceLatencyBlock,
  reduceValueStats,
  type BucketRange,
  type LatencyBlock,
  type StatBlock,
} from './stats.js';
import { reduceLoopEntries, reduceVerdictLoop, type LoopEntry, type VerdictLoop } from './loop-summary.js';
import { reduceLoops } from './loops.js';
import { reduceVerdict, requireSustainingLoop, type Verdict as BaseVerdict } from './verdict.js';

export type { ExpectationResult } from './expectations.js';
export type { LatencyBlock, StatBlock } from './stats.js';
export type { LoopEntry, VerdictLoop } from './loop-summary.js';

/** The verdict with the loop that dominates when it is decided (null when none is active). */
export type Verdict = BaseVerdict & { readonly loop: VerdictLoop | null };

/** The whole `summary.json`, keys in the contract's order. */
export interface Summary {
  readonly name: string;
  readonly seed: number;
  /** loopsim's version. */
  readonly version: string;
  /** Events the engine processed. */
  readonly events: number;
  /**
   * One block per series, in series order: {@link StatBlock} for rates and
   * stocks, {@link LatencyBlock} for latencies.
   */
  readonly metrics: Readonly<Record<string, StatBlock | LatencyBlock>>;
  readonly verdict: Verdict;
  /** Every causal loop of the scenario's structure, with its gain before, during and after the faults. */
  readonly loops: readonly LoopEntry[];
  readonly expectations: readonly ExpectationResult[];
  /**
   * Present only when a guard (`--max-events`, `--max-inflight`) stopped the
   * run: everything above covers the simulated time up to `stoppedAt`
   * (seconds), not the scenario's whole duration. `reason` is the guard's message.
   */
  readonly incomplete?: Incomplete;
}

/** Why and when a run stopped before its end (summary.json's `incomplete`). */
export interface Incomplete {
  readonly reason: string;
  /** Simulated seconds reached when the guard stopped the run. */
  readonly stoppedAt: number;
}

/**
 * The text of `summary.json`: the keys in {@link Summary}'s order, two-space
 * indent, a final newline. The CLI writes it and the playground shows it, so
 * both give the same bytes for the same run.
 */
export function summaryJsonText(summary: Summary): string {
  return JSON.stringify(summary, null, 2) + '\n';
}

/** What the run knows besides its series and scenario. */
export interface SummaryMeta {
  readonly seed: number;
  readonly version: string;
  readonly events: number;
}

/**
 * Builds `summary.json` for a run.
 *
 * The measured window is the buckets whose start is at or after `warmup`.
 * Rates and stocks get {@link StatBlock}: mean (width-weighted: events per
 * second for a rate, time-weighted for a stock), min, p50, p99 over bucket
 * values, max (a stock's true peak: the largest per-bucket max), and last (the
 * last bucket's value). Latencies merge the window's histograms into
 * {@link LatencyBlock} over every response. Every number is finite (0 stands
 * in for nothing measured: an empty window, a latency without responses), and
 * non-integers are rounded to 6 significant digits so the file reads well and
 * does not change with the last bits of floating-point arithmetic.
 */
export function reduceSummary(run: RunSeries, scenario: NormalizedScenario, meta: SummaryMeta): Summary {
  const window = bucketRange(run, scenario.warmup, run.duration);
  const metrics: Record<string, StatBlock | LatencyBlock> = {};
  for (const s of run.series) metrics[s.name] = reduceMetricBlock(run, s, window);
  const base = reduceVerdict(run, scenario);
  const analysis = reduceLoops(run, scenario);
  const loop = reduceVerdictLoop(run, scenario, analysis, base);
  const verdict: Verdict = { ...requireSustainingLoop(base, loop), loop };
  return {
    name: scenario.name,
    seed: meta.seed,
    version: meta.version,
    events: meta.events,
    metrics,
    verdict,
    loops: reduceLoopEntries(run, scenario, analysis),
    expectations: reduceExpectations(run, scenario, verdict),
  };
}

/** The summary block of one series over `window`, rounded for output. */
export function reduceMetricBlock(run: RunSeries, s: Series, window: BucketRange): StatBlock | LatencyBlock {
  if (s.kind === 'latency') {
    const b = reduceLatencyBlock(mergeHistograms(s.buckets, window));
    return {
      mean: roundForOutput(b.mean),
      p50: roundForOutput(b.p50),
      p90: roundForOutput(b.p90),
      p99: roundForOutput(b.p99),
      max: roundForOutput(b.max),
      count: roundForOutput(b.count),
    };
  }
  const stats = s.kind === 'rate' ? reduceValueStats(run, s.values, window) : reduceValueStats(run, s.mean, window, s.max);
  return {
    mean: roundForOutput(stats?.mean ?? 0),
    min: roundForOutput(stats?.min ?? 0),
    max: roundForOutput(stats?.max ?? 0),
    p50: roundForOutput(stats?.p50 ?? 0),
    p99: roundForOutput(stats?.p99 ?? 0),
    last: roundForOutput(stats?.last ?? 0),
  };
}
