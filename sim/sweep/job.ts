/**
 * One run of a sweep or a comparison: a scenario and a seed in, the figures
 * (and, on request, the summary and the overlay series) out. The same
 * function runs inside the CLI's worker threads and in-process (the CLI with
 * one worker, or a caller of the core), so where a job runs cannot change its
 * result. Plain data both ways, so jobs cross to a thread by structured clone.
 */
import { InvariantBroken, RunAborted, type InvariantFacts } from '../engine/run.js';
import type { Summary } from '../metrics/summary.js';
import type { NormalizedScenario } from '../scenario/types.js';
import { simulate, type SimulationResult } from '../simulate.js';
import { reduceRunFigures, reduceRunTrace, type RunFigures, type RunTrace } from './figures.js';
import { measureMetrics, type MetricSpec } from './metric-spec.js';

/** What a job returns beyond its figures: `figures` only (sweeps), or `full` (summary and series, for comparisons). */
export type JobDetail = 'figures' | 'full';

/** A run to do. Plain data, so it crosses to a worker thread by structured clone. */
export interface Job {
  readonly scenario: NormalizedScenario;
  readonly seed: number;
  readonly detail: JobDetail;
  readonly maxEvents?: number;
  readonly maxInflight?: number;
  /** The `--metric` values to measure after the run (RunFigures.metrics); absent or empty: none. */
  readonly metrics?: readonly MetricSpec[];
}

/** What a run gives back. */
export interface JobResult {
  readonly figures: RunFigures;
  /** summary.json of the run (with `detail: 'full'`). */
  readonly summary?: Summary;
  /** The overlay series (with `detail: 'full'`). */
  readonly trace?: RunTrace;
}

/** Why a job failed: a guard tripped (bad input), loopsim broke an invariant (a bug), or anything else. */
export interface JobFailure {
  readonly kind: 'aborted' | 'invariant' | 'error';
  readonly message: string;
  /** With `invariant`: what broke, where, when and with which seed (plain data, to cross threads). */
  readonly invariant?: InvariantFacts;
}

/** A job that failed, with which one it was (its index in the list being run). */
export class JobFailed extends Error {
  /** Index of the job in the list the pool ran (-1 when unknown). */
  readonly job: number;
  readonly failure: JobFailure;
  constructor(job: number, failure: JobFailure) {
    super(failure.message);
    this.job = job;
    this.failure = failure;
  }
}

/** The result of a run that has already been simulated. */
export function jobResultOf(res: SimulationResult, detail: JobDetail, metrics: readonly MetricSpec[] = []): JobResult {
  const fixed = reduceRunFigures(res);
  const figures = metrics.length === 0 ? fixed : { ...fixed, metrics: measureMetrics(res.series, res.scenario, metrics) };
  return detail === 'full' ? { figures, summary: res.summary, trace: reduceRunTrace(res) } : { figures };
}

/** The guards of a run (RunOptions.maxEvents, RunOptions.maxInflight), each optional. */
export interface Guards {
  readonly maxEvents?: number;
  readonly maxInflight?: number;
}

/** What every job of a batch shares beyond its scenario and seed: the guards and the `--metric` list. */
export interface JobOptions extends Guards {
  readonly metrics?: readonly MetricSpec[];
}

/** The guards and the metrics of {@link JobOptions} that were given, for a {@link Job}. */
export function jobOptionsOf(opts: JobOptions): { maxEvents?: number; maxInflight?: number; metrics?: readonly MetricSpec[] } {
  return { ...guardsOf(opts), ...(opts.metrics !== undefined && opts.metrics.length > 0 ? { metrics: opts.metrics } : {}) };
}

/** The guards that were given (`--max-events`, `--max-inflight`), absent ones left out: for a {@link Job} or RunOptions. */
export function guardsOf(opts: Guards): { maxEvents?: number; maxInflight?: number } {
  return {
    ...(opts.maxEvents !== undefined ? { maxEvents: opts.maxEvents } : {}),
    ...(opts.maxInflight !== undefined ? { maxInflight: opts.maxInflight } : {}),
  };
}

/** Runs one job. Throws what simulate throws. */
export function executeJob(job: Job): JobResult {
  const res = simulate(job.scenario, { seed: job.seed, ...guardsOf(job) });
  return jobResultOf(res, job.detail, job.metrics);
}

/**
 * Runs `jobs` one after another in this thread, each as {@link executeJob}
 * does, and returns their results by index; `onResult` hears of each as it
 * finishes. Throws {@link JobFailed}, naming the job, when one fails.
 */
export function executeJobs(jobs: readonly Job[], onResult?: (index: number, result: JobResult) => void): JobResult[] {
  return jobs.map((job, i) => {
    let result: JobResult;
    try {
      result = executeJob(job);
    } catch (e) {
      throw new JobFailed(i, describeFailure(e));
    }
    onResult?.(i, result);
    return result;
  });
}

/** A thrown value as a {@link JobFailure}. */
export function describeFailure(e: unknown): JobFailure {
  if (e instanceof RunAborted) return { kind: 'aborted', message: e.message };
  if (e instanceof InvariantBroken) {
    return { kind: 'invariant', message: e.message, invariant: { component: e.component, time: e.time, seed: e.seed, detail: e.detail } };
  }
  return { kind: 'error', message: e instanceof Error ? e.message : String(e) };
}
