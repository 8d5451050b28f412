/**
 * loopsim's public API: explicit named exports and nothing else. Anything not
 * listed here is internal and may change.
 *
 * ```ts
 * import { loadScenarioFile, simulate } from 'loopsim';
 * const loaded = loadScenarioFile('scenarios/retry-storm-fixed.yaml');
 * if (loaded.ok) console.log(simulate(loaded.scenario, { seed: 7 }).summary.verdict.kind);
 * ```
 */

// Scenarios: text or file → a normalized scenario, or issues that name file, line and field.
export { parseScenario as loadScenario, formatIssues } from './scenario/parse.js';
export type { Issue, Result } from './scenario/parse.js';
export { loadScenarioFile } from './cli/files.js';
export type { Loaded } from './cli/files.js';
export { scenarioJsonSchema } from './scenario/schema.js';
export type { NormalizedScenario, Client, Service, Call, Fault, Expectation, Dist, RetryPolicy, VerdictKind } from './scenario/types.js';

// Running: a scenario and a seed → series, summary, verdict, expectations.
export { simulate } from './simulate.js';
export { ScenarioInputError } from './scenario/check-object.js';
export type { SimulateOptions, SimulationResult } from './simulate.js';
export { runScenario, RunStepper, InvariantBroken, RunAborted } from './engine/run.js';
export type { RunOptions, RunResult, ConservationCheck, InvariantFacts } from './engine/run.js';

// Results.
export type { Summary, StatBlock, LatencyBlock, Verdict, ExpectationResult } from './metrics/summary.js';
export type { RunSeries, Series, RateSeries, StockSeries, LatencySeries } from './metrics/series.js';
export { formatTimeseriesCsv, seriesValues } from './metrics/csv.js';
export { VERSION } from './version.js';
