/**
 * `compare.json` and `replications.json`: one or more variants, each run over
 * the same seeds (common random numbers: every component draws from its own
 * named stream, so two variants see the same arrivals and service times
 * wherever their designs agree). Each variant keeps its per-seed figures and
 * their means with 95% intervals.
 */
import type { NormalizedScenario } from '../scenario/types.js';
import { VERSION } from '../version.js';
import { aggregateReplications, type ReplicationStats } from './aggregate.js';
import type { RunFigures } from './figures.js';
import { jobOptionsOf, type Job, type JobOptions, type JobResult } from './job.js';
import type { MetricSpec } from './metric-spec.js';

/** The `format` tag of compare.json. */
export const COMPARE_FORMAT = 'loopsim-compare/1';
/** The `format` tag of replications.json. */
export const REPLICATIONS_FORMAT = 'loopsim-replications/1';

/** One seed's figures. */
export type SeedFigures = { readonly seed: number } & RunFigures;

/** One variant over its seeds. */
export interface VariantRecord {
  /** How tables and charts name it: the scenario name, or the `--with` text. */
  readonly label: string;
  /** Folder (under the output folder) holding its summary.json and run.json for the first seed. */
  readonly dir: string;
  readonly scenario: string;
  /** The scenario file's base name. */
  readonly file: string;
  /** The overrides applied, as written (`--set …`, `--with …`). */
  readonly overrides: readonly string[];
  readonly stats: ReplicationStats;
  readonly runs: readonly SeedFigures[];
}

/** The whole compare.json or replications.json. */
export interface ReplicationsFile {
  readonly format: typeof COMPARE_FORMAT | typeof REPLICATIONS_FORMAT;
  readonly version: string;
  /** Seeds from, from + 1, …, from + count − 1, the same for every variant. */
  readonly seeds: { readonly from: number; readonly count: number };
  /** What each `--metric` measures, in the order given; absent without `--metric`. Each run's `metrics` and each variant's `stats.metrics` use their names. */
  readonly metrics?: readonly MetricSpec[];
  readonly variants: readonly VariantRecord[];
}

/** What a variant is, before its runs. */
export interface VariantHeader {
  readonly label: string;
  readonly dir: string;
  readonly scenario: string;
  readonly file: string;
  readonly overrides: readonly string[];
}

/**
 * Builds the file from each variant's figures, seed by seed (`figures[v][k]`
 * is variant v at seed from + k).
 */
export function buildReplicationsFile(
  format: ReplicationsFile['format'],
  version: string,
  seeds: { readonly from: number; readonly count: number },
  variants: readonly VariantHeader[],
  figures: readonly (readonly RunFigures[])[],
  metrics: readonly MetricSpec[] = [],
): ReplicationsFile {
  return {
    format,
    version,
    seeds,
    ...(metrics.length > 0 ? { metrics } : {}),
    variants: variants.map((v, i) => {
      const runs = figures[i] ?? [];
      return { ...v, stats: aggregateReplications(runs), runs: runs.map((f, k) => ({ seed: seeds.from + k, ...f })) };
    }),
  };
}

/** The JSON text: two-space indent, final newline. */
export function formatReplicationsJson(f: ReplicationsFile): string {
  return JSON.stringify(f, null, 2) + '\n';
}

/** Seeds from, from + 1, …, from + count − 1. */
export interface SeedRange {
  readonly from: number;
  readonly count: number;
}

/** Every variant's results, seed by seed: `results[v][k]` is variant v at seed from + k. */
export type ReplicationResults = readonly (readonly JobResult[])[];

/** The jobs of variants × seeds, and where each job's result goes. */
export interface ReplicationPlan {
  /** Variant-major: every seed of the first variant, then the next variant's. */
  readonly jobs: readonly Job[];
  /** `[variant, seed index]` of each job. */
  readonly where: readonly (readonly [number, number])[];
  /** The results known before any job runs (from `known`), in place; the jobs' results are to be placed by {@link placeReplications}. */
  readonly results: JobResult[][];
}

/**
 * The jobs that run `scenarios` on every seed of `seeds` (with summaries and
 * traces: `detail: 'full'`), leaving out the results `known` already has
 * (the CLI's first seed, run in-process for its full outputs).
 */
export function planReplications(
  scenarios: readonly NormalizedScenario[],
  seeds: SeedRange,
  guards: JobOptions,
  known?: (variant: number, seedIndex: number) => JobResult | undefined,
): ReplicationPlan {
  const jobs: Job[] = [];
  const where: [number, number][] = [];
  const results: JobResult[][] = scenarios.map(() => []);
  scenarios.forEach((scenario, i) => {
    for (let k = 0; k < seeds.count; k += 1) {
      const done = known?.(i, k);
      if (done !== undefined) {
        results[i]![k] = done;
        continue;
      }
      jobs.push({ scenario, seed: seeds.from + k, detail: 'full', ...jobOptionsOf(guards) });
      where.push([i, k]);
    }
  });
  return { jobs, where, results };
}

/** The plan's results with each job's result (by job index; undefined ones left out) put in place. */
export function placeReplications(plan: ReplicationPlan, jobResults: readonly (JobResult | undefined)[]): ReplicationResults {
  jobResults.forEach((r, j) => {
    const [i, k] = plan.where[j] ?? [0, 0];
    if (r !== undefined) plan.results[i]![k] = r;
  });
  return plan.results;
}

/** compare.json / replications.json from the variants and their results. */
export function replicationsFileOf(
  format: ReplicationsFile['format'],
  variants: readonly VariantHeader[],
  seeds: SeedRange,
  results: ReplicationResults,
  metrics: readonly MetricSpec[] = [],
): ReplicationsFile {
  return buildReplicationsFile(
    format,
    VERSION,
    seeds,
    variants,
    results.map((rs) => rs.map((r) => r.figures)),
    metrics,
  );
}
