/**
 * Comparisons and sweeps run in this thread, one run after another: what the
 * CLI's `compare` and `sweep` compute, for callers without worker threads or
 * files (a browser page, a test, a script). The jobs, their order and the
 * files they end in are the CLI's own (planReplications, sweepJobs,
 * buildSweepFile), so the same input gives the same compare.json or
 * sweep.json, whichever runs it.
 */
import type { Issue, Result } from '../scenario/issue.js';
import type { Override } from '../scenario/override.js';
import { parseScenarioWith } from '../scenario/parse-with.js';
import type { NormalizedScenario } from '../scenario/types.js';
import { VERSION } from '../version.js';
import { prepareCells, sweepDefinition, sweepJobs, sweepRunsOf } from './cells.js';
import { expandGrid, type SweepAxis } from './grid.js';
import type { MetricSpec } from './metric-spec.js';
import { executeJobs, type JobOptions, type JobResult } from './job.js';
import {
  COMPARE_FORMAT,
  placeReplications,
  planReplications,
  replicationsFileOf,
  type ReplicationResults,
  type ReplicationsFile,
  type SeedRange,
  type VariantHeader,
} from './replications.js';
import { buildSweepFile, type SweepFile } from './sweep-file.js';

/** Called after each finished run with the runs done and the total. */
export type RunProgress = (done: number, total: number) => void;

/** One variant of {@link runComparison}: how compare.json names it, and the scenario it runs. */
export interface ComparisonVariant {
  readonly header: VariantHeader;
  readonly scenario: NormalizedScenario;
}

/** What {@link runComparison} returns. */
export interface Comparison {
  /** compare.json. */
  readonly file: ReplicationsFile;
  /** Each variant's runs, seed by seed, with summaries and overlay traces (for buildReplicationCharts). */
  readonly results: ReplicationResults;
}

/**
 * Runs every variant on every seed of `seeds` (common random numbers) and
 * builds compare.json, as `loopsim compare` does. Throws JobFailed (naming
 * the job, variant-major) when a run trips a guard or breaks an invariant.
 */
export function runComparison(
  variants: readonly ComparisonVariant[],
  seeds: SeedRange,
  opts: JobOptions & { readonly onProgress?: RunProgress } = {},
): Comparison {
  const plan = planReplications(
    variants.map((v) => v.scenario),
    seeds,
    opts,
  );
  const done = executeJobs(plan.jobs, (i) => opts.onProgress?.(i + 1, plan.jobs.length));
  const results = placeReplications(plan, done);
  return {
    file: replicationsFileOf(
      COMPARE_FORMAT,
      variants.map((v) => v.header),
      seeds,
      results,
      opts.metrics,
    ),
    results,
  };
}

/** What {@link runSweep} runs: a scenario's text, the axes over it, and the seeds of every cell. */
export interface SweepInput {
  /** The scenario's text and the file name its messages use. */
  readonly text: string;
  readonly file: string;
  /** Overrides applied to every cell before its axis values (as `--set`). */
  readonly sets?: readonly Override[];
  /** One or two axes (from parseVary). */
  readonly axes: readonly SweepAxis[];
  /** Each value twice: without the scenario's faults and with them (one axis). */
  readonly hysteresis?: boolean;
  /** Seeds of every cell: from `from` (default the scenario's seed), `count` of them. */
  readonly seeds: { readonly from?: number; readonly count: number };
  /** `--metric` values to measure in every run (parseMetricSpecs; check them with checkMetricSpecs first). */
  readonly metrics?: readonly MetricSpec[];
}

/**
 * Runs a whole sweep and builds sweep.json, as `loopsim sweep` does in one
 * process. The issues of the scenario, or of the first cell whose values do
 * not validate, instead. Throws JobFailed (naming the run) when a run trips
 * a guard or breaks an invariant.
 */
export function runSweep(input: SweepInput, opts: JobOptions & { readonly onProgress?: RunProgress } = {}): Result<SweepFile, Issue[]> {
  const sets = input.sets ?? [];
  const base = parseScenarioWith(input.text, input.file, sets);
  if (!base.ok) return base;
  const hysteresis = input.hysteresis === true;
  const def = sweepDefinition(
    base.value,
    { file: input.file, text: input.text },
    sets,
    input.axes,
    hysteresis,
    { from: input.seeds.from ?? base.value.seed, count: input.seeds.count },
    input.metrics,
  );
  const cells = expandGrid(input.axes, hysteresis);
  const all = Array.from({ length: def.jobs }, (_, j) => j);
  const prepared = prepareCells(input, sets, input.axes, cells, new Set(cells.map((c) => c.index)));
  if (!prepared.ok) return { ok: false, issues: [...prepared.issues] };
  const jobs = sweepJobs(def, prepared.scenarios, all, { ...opts, ...(input.metrics !== undefined ? { metrics: input.metrics } : {}) });
  const results: JobResult[] = executeJobs(jobs, (i) => opts.onProgress?.(i + 1, jobs.length));
  return { ok: true, value: buildSweepFile(VERSION, def, sweepRunsOf(def, all, results), null, all.length), warnings: base.warnings };
}
