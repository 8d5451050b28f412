/**
 * loopsim's core: everything from scenario text to results and report data,
 * importing nothing from Node, so that it runs in a browser (or any other
 * JavaScript runtime) as it runs in Node. `loopsim/core` is this module;
 * `loopsim` (sim/index.ts) is this plus what needs Node (reading files).
 * Explicit named exports and nothing else: anything not listed here is
 * internal and may change.
 *
 * ```ts
 * import { loadScenario, simulate, buildCharts } from 'loopsim/core';
 * const parsed = loadScenario(text, 'retry-storm.yaml');
 * if (parsed.ok) {
 *   const { series, summary } = simulate(parsed.value, { seed: 7 });
 *   const charts = buildCharts(series, parsed.value); // vega-lite specs
 * }
 * ```
 */

// Scenarios: text → a normalized scenario, or issues that name file, line and field.
export { parseScenario as loadScenario, formatIssues } from './scenario/parse.js';
export type { Issue, Result } from './scenario/parse.js';
export { parseScenarioWith } from './scenario/parse-with.js';
export { parseOverrideArgument, parseOverrideArguments } from './scenario/override.js';
export type { Override } from './scenario/override.js';
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

// Comparisons and sweeps, run in this thread: compare.json and sweep.json as the CLI writes them.
export { runComparison, runSweep } from './sweep/in-process.js';
export type { Comparison, ComparisonVariant, RunProgress, SweepInput } from './sweep/in-process.js';
export { parseVary } from './sweep/grid.js';
export { checkMetricSpecs, parseMetricSpecs } from './sweep/metric-spec.js';
export type { MetricSpec } from './sweep/metric-spec.js';
export type { SweepAxis } from './sweep/grid.js';
export { JobFailed } from './sweep/job.js';
export type { JobFailure, JobResult } from './sweep/job.js';
export { reduceRunFigures } from './sweep/figures.js';
export type { RunFigures } from './sweep/figures.js';
export { formatReplicationsJson } from './sweep/replications.js';
export type { ReplicationsFile, ReplicationResults, SeedRange, VariantHeader } from './sweep/replications.js';
export { formatSweepCsv, formatSweepJson } from './sweep/sweep-file.js';
export type { SweepFile } from './sweep/sweep-file.js';

// Report data: vega-lite specs of the charts, the verdict in words, the system map, the pages.
export { buildCharts } from '../reports/charts.js';
export type { ChartEntry, Spec } from '../reports/charts.js';
export { buildReplicationCharts } from '../reports/compare-charts.js';
export { buildSweepCharts } from '../reports/sweep-charts.js';
export { describeVerdict, verdictLabel } from '../reports/verdict-text.js';
export { renderStructureMap } from '../reports/structure-map.js';
export { renderReportPage } from '../reports/page.js';
export { renderComparePage } from '../reports/compare-page.js';
export { renderSweepPage } from '../reports/sweep-page.js';
export type { ChartLibraries } from '../reports/html-document.js';
