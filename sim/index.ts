/**
 * loopsim's public API in Node: the core (sim/core.ts, also published alone
 * as `loopsim/core`, which runs anywhere) and what needs Node's file system.
 * Anything not exported here is internal and may change.
 *
 * ```ts
 * import { loadScenarioFile, simulate } from 'loopsim';
 * const loaded = loadScenarioFile('scenarios/retry-storm-fixed.yaml');
 * if (loaded.ok) console.log(simulate(loaded.scenario, { seed: 7 }).summary.verdict.kind);
 * ```
 */
export * from './core.js';

// Scenario files: read (at most 1 MiB) and parsed, issues naming the file.
export { loadScenarioFile } from './cli/files.js';
export type { Loaded } from './cli/files.js';
// The chart libraries' browser bundles, read from node_modules, for the report pages.
export { loadChartLibraries } from '../reports/libraries.js';
