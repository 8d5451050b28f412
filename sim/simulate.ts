/**
 * One call from a scenario to everything a run measures: the engine's series,
 * then the pure reductions over them (summary, verdict, expectations).
 */
import { runScenario, type ConservationCheck, type RunOptions, type RunResult } from './engine/run.js';
import type { RunSeries } from './metrics/series.js';
import { reduceSummary, type Incomplete, type Summary } from './metrics/summary.js';
import { ScenarioInputError, checkScenarioObject } from './scenario/check-object.js';
import type { Issue } from './scenario/issue.js';
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
 * Runs a scenario and reduces its results. Deterministic: the same scenario
 * and seed give the same result, bit for bit.
 *
 * `scenario` is what `loadScenario` or `loadScenarioFile` returned, or a
 * scenario document as a plain object (the shape of a YAML file, checked
 * with the file's schema and messages). Anything else is refused before the
 * engine sees it.
 *
 * @throws ScenarioInputError when `scenario` is not a scenario; its `issues` name each wrong field.
 * @throws RunAborted when a guard trips (`maxEvents`, `maxInflight`).
 * @throws InvariantBroken when the run breaks one of its own invariants (a bug).
 */
export function simulate(scenario: NormalizedScenario | Readonly<Record<string, unknown>>, opts: SimulateOptions = {}): SimulationResult {
  const checked = checkScenarioObject(scenario);
  if (!checked.ok) throw new ScenarioInputError(checked.issues);
  checkRunOptions(opts);
  return reduceRun(checked.value, runScenario(checked.value, opts));
}

/** Refuses options of the wrong type, naming the option (a TypeError deep in the engine otherwise). */
function checkRunOptions(opts: unknown): void {
  const o = (typeof opts === 'object' && opts !== null ? opts : {}) as Record<string, unknown>;
  const issues: Issue[] = [];
  if (typeof opts !== 'object' || opts === null)
    issues.push({
      severity: 'error',
      message: `The options must be an object, got ${opts === null ? 'null' : typeof opts}.`,
      path: [],
      file: '(options)',
    });
  for (const [key, min] of [
    ['seed', 0],
    ['maxEvents', 1],
    ['maxInflight', 1],
  ] as const) {
    const v = o[key];
    if (v !== undefined && !(typeof v === 'number' && Number.isSafeInteger(v) && v >= min)) {
      issues.push({
        severity: 'error',
        message: `${key} must be a whole number from ${min}, got ${JSON.stringify(v) ?? 'undefined'}.`,
        path: [key],
        file: '(options)',
      });
    }
  }
  if (o['onProgress'] !== undefined && typeof o['onProgress'] !== 'function')
    issues.push({ severity: 'error', message: 'onProgress must be a function.', path: ['onProgress'], file: '(options)' });
  if (issues.length > 0) throw new ScenarioInputError(issues);
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
