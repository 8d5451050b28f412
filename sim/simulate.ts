/**
 * One call from a scenario to everything a run measures: the engine's series,
 * then the pure reductions over them (summary, verdict, expectations).
 */
import { runScenario, type ConservationCheck, type RunOptions, type RunResult } from './engine/run.js';
import type { RunSeries } from './metrics/series.js';
import { reduceSummary, type Incomplete, type Summary } from './metrics/summary.js';
import type { NormalizedScenario } from './scenario/types.js';
import { VERSION } from './version.js';

/** Options of {@link simulate}. */
export type SimulateOptions = RunOptions;

/** Everything one run produces. */
export interface SimulationResult {
  /** The scenario as run (defaults filled in; `seed` is the one actually used). */
  readonly scenario: NormalizedScenario;
  /** Bucketed time series of every metric. */
  readonly series: RunSeries;
  /** `summary.json`: per-metric statistics over the measured window, the verdict, the expectations. */
  readonly summary: Summary;
  /** The end-of-run conservation audit (every check holds; a broken one throws instead). */
  readonly conservation: readonly ConservationCheck[];
}

/**
 * Runs a normalized scenario and reduces its results. Deterministic: the same
 * scenario and seed give the same result, bit for bit.
 *
 * @throws RunAborted when a guard trips (`maxEvents`, `maxInflight`).
 * @throws InvariantBroken when the run breaks one of its own invariants (a bug).
 */
export function simulate(scenario: NormalizedScenario, opts: SimulateOptions = {}): SimulationResult {
  return reduceRun(scenario, runScenario(scenario, opts));
}

/**
 * The reductions of a finished run of `scenario` (as {@link simulate} returns
 * them); with `incomplete`, of a run a guard stopped (its series end at the
 * stop, and summary.json says so).
 */
export function reduceRun(scenario: NormalizedScenario, run: RunResult, incomplete?: Incomplete): SimulationResult {
  const used = { ...scenario, seed: run.seed };
  const reduced = reduceSummary(run.series, used, { seed: run.seed, version: VERSION, events: run.events });
  const summary = incomplete === undefined ? reduced : { ...reduced, incomplete };
  return { scenario: used, series: run.series, summary, conservation: run.conservation };
}
