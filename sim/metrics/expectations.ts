/**
 * Checks a scenario's `expect:` list against a finished run.
 */
import type { Expectation, NormalizedScenario } from '../scenario/types.js';
import { findSeries, seriesValues } from './csv.js';
import { roundForOutput } from './round.js';
import type { RunSeries } from './series.js';
import { bucketRange, mergeHistograms, reduceValueStats } from './stats.js';
import type { Verdict } from './verdict.js';

/** One checked expectation, as `summary.json` writes it. */
export interface ExpectationResult {
  /** The expectation as written; with the reason appended when it could not be measured. */
  readonly text: string;
  readonly ok: boolean;
  /**
   * What was measured: the statistic for a metric expectation (rounded to 6
   * significant digits), `recoverySeconds` for `recovers`, the verdict kind for
   * `verdict`, the series that swings (`<component>.<metric>`) for
   * `oscillates`; null when there was nothing to measure.
   */
  readonly actual: number | string | null;
}

type MetricExpectation = Extract<Expectation, { kind: 'metric' }>;

/** What to measure: a series (or a column such as `api.queue.max`), a statistic and a window [from, to) in seconds. */
export type MetricMeasure = Pick<MetricExpectation, 'metric' | 'stat' | 'from' | 'to'>;

/** A measured value, or why there is none. */
export type Measured = { readonly value: number } | { readonly problem: string };

/**
 * Checks every expectation, in order:
 * - metric: the statistic over the buckets whose start lies in [from, to)
 *   (`to: end` is the run's duration), compared with every bound given
 *   (`atLeast` ≥, `atMost` ≤, `below` <, `above` >; unrounded). Rates and
 *   stocks: mean (width-weighted), min, max (a stock's true peak), p50, p90,
 *   p99 and last over the bucket values, and for a rate `count` = events in the
 *   window. Latencies: the window's durations merged, mean, min, max, p50,
 *   p90, p99, count, and `last` = mean of the last bucket with responses.
 *   Column names such as `api.queue.max` (a stock's peak series) or
 *   `api.latency.p99` (per-bucket p99) are accepted too. A metric the run does
 *   not have, an empty window or a window without responses fails with a null
 *   `actual` and the reason appended to `text`.
 * - `recovers: { within }`: ok when the verdict is `recovered` with
 *   recoverySeconds ≤ within; `actual` is recoverySeconds. In a run without
 *   faults there is nothing to recover from: ok when the verdict is `stable`.
 * - `verdict: { is }`: ok when the verdict kind is one of `is`; `actual` is the kind.
 * - `oscillates`: `true` ok when the verdict found an oscillation, `false`
 *   when it found none, a series name when the oscillation it found is in
 *   that series; `actual` is the series that swings, or null.
 */
export function reduceExpectations(run: RunSeries, scenario: NormalizedScenario, verdict: Verdict): ExpectationResult[] {
  return scenario.expect.map((e): ExpectationResult => {
    switch (e.kind) {
      case 'metric': {
        const m = measureMetric(run, e);
        if ('problem' in m) return { text: `${e.text} (${m.problem})`, ok: false, actual: null };
        return { text: e.text, ok: meetsBounds(e, m.value), actual: roundForOutput(m.value) };
      }
      case 'recovers': {
        if (scenario.faults.length === 0) {
          return {
            text: `${e.text} (no faults: holds when the run is stable)`,
            ok: verdict.kind === 'stable',
            actual: null,
          };
        }
        const r = verdict.recoverySeconds;
        return { text: e.text, ok: verdict.kind === 'recovered' && r !== null && r <= e.within, actual: r };
      }
      case 'verdict':
        return { text: e.text, ok: e.is.includes(verdict.kind), actual: verdict.kind };
      case 'oscillates': {
        const o = verdict.oscillation;
        const swings = o === null ? null : `${o.component}.${o.metric}`;
        return { text: e.text, ok: typeof e.what === 'boolean' ? (swings !== null) === e.what : swings === e.what, actual: swings };
      }
    }
  });
}

/** True when `value` satisfies every bound the expectation gives. */
function meetsBounds(e: MetricExpectation, value: number): boolean {
  return (
    Number.isFinite(value) &&
    (e.atLeast === null || value >= e.atLeast) &&
    (e.atMost === null || value <= e.atMost) &&
    (e.below === null || value < e.below) &&
    (e.above === null || value > e.above)
  );
}

/**
 * The statistic `e.stat` of `e.metric` over the buckets whose start lies in
 * [from, to), as a metric expectation reads it (see {@link reduceExpectations}
 * for what each statistic means per kind of series); unrounded. A problem
 * instead when the run lacks the metric or the window holds no value.
 */
export function measureMetric(run: RunSeries, e: MetricMeasure): Measured {
  const range = bucketRange(run, e.from, e.to);
  if (range.first >= range.end) return { problem: `no bucket starts between ${e.from} s and ${e.to} s` };
  const series = findSeries(run, e.metric);
  if (series?.kind === 'latency') {
    const h = mergeHistograms(series.buckets, range);
    if (h.count === 0 && e.stat !== 'count') return { problem: `no ${e.metric} responses in the window` };
    switch (e.stat) {
      case 'mean':
        return { value: h.mean };
      case 'min':
        return { value: h.min };
      case 'max':
        return { value: h.max };
      case 'p50':
        return { value: h.quantile(0.5) };
      case 'p90':
        return { value: h.quantile(0.9) };
      case 'p99':
        return { value: h.quantile(0.99) };
      case 'count':
        return { value: h.count };
      case 'last': {
        let i = range.end - 1;
        while (series.buckets[i]?.count === 0) i -= 1;
        return { value: series.buckets[i]?.mean ?? 0 };
      }
    }
  }
  const values = seriesValues(run, e.metric);
  if (values === undefined) return { problem: `this run has no metric named "${e.metric}"` };
  const stats = reduceValueStats(run, values, range, series?.kind === 'stock' ? series.max : undefined);
  if (stats === null) return { problem: `no ${e.metric} values in the window` };
  switch (e.stat) {
    case 'mean':
    case 'min':
    case 'max':
    case 'p50':
    case 'p90':
    case 'p99':
    case 'last':
      return { value: stats[e.stat] };
    case 'count':
      if (series?.kind === 'rate') return { value: Math.round(stats.total) };
      return { problem: `"count" applies to rates and latencies, not to ${e.metric}` };
  }
}
