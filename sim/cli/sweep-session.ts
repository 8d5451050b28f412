/**
 * Running a batch of jobs the way the CLI shows it: a progress bar with ETA
 * on stderr (only on a terminal, never with --quiet), Ctrl-C turned into an
 * orderly stop (finished runs kept, the caller writes partial outputs and
 * exits 130), and a failed run turned into a message and an exit code.
 */
import { availableParallelism } from 'node:os';
import { MAX_SEEDS } from '../sweep/grid.js';
import { EXIT_BAD_INPUT, EXIT_INTERNAL, type Io } from './io.js';
import { catchInterrupt } from './interrupt.js';
import { barLibrary, isProgressShown, type ProgressStream } from './progress.js';
import { formatInvariantReport } from './replay.js';
import { JobFailed, type Job, type JobResult } from '../sweep/job.js';
import { checkMetricSpecs, parseMetricSpecs, type MetricSpec } from '../sweep/metric-spec.js';
import type { NormalizedScenario } from '../scenario/types.js';
import type { PoolOutcome, WorkerPool } from './worker-pool.js';

export { MAX_SEEDS };

/** Options every batch command shares. */
export interface SessionOptions {
  /** No progress bar. */
  readonly quiet?: boolean;
  /** Stops the batch like Ctrl-C does (for tests and embedding). */
  readonly signal?: AbortSignal;
  /** Called after each finished run with the runs done and the batch size. */
  readonly onProgress?: (done: number, total: number) => void;
}

/** The default number of workers: the parallelism the machine offers. */
export function defaultWorkers(): number {
  return availableParallelism();
}

/** Checks a whole-number option within bounds; prints why not and returns undefined when it is not. */
export function checkCount(
  io: Io,
  flag: string,
  value: number | undefined,
  fallback: number,
  min: number,
  max: number,
): number | undefined {
  const v = value ?? fallback;
  if (Number.isInteger(v) && v >= min && v <= max) return v;
  io.err(`✖ ${flag} must be a whole number from ${min} to ${max}, got ${String(value)}.\n`);
  return undefined;
}

/** The `--metric` values parsed; undefined after printing what is wrong with them. */
export function parseMetricFlags(io: Io, texts: readonly string[] | undefined): MetricSpec[] | undefined {
  const r = parseMetricSpecs(texts ?? []);
  if (r.ok) return r.value;
  for (const m of r.issues) io.err(`✖ ${m}\n`);
  return undefined;
}

/** Whether every metric of `specs` can be measured in scenario `sc` (`where` names it); prints why not. */
export function metricsFit(io: Io, specs: readonly MetricSpec[], sc: NormalizedScenario, where: string): boolean {
  const problems = checkMetricSpecs(specs, sc, where);
  for (const m of problems) io.err(`✖ ${m}\n`);
  return problems.length === 0;
}

/**
 * Runs `jobs` on `pool` with Ctrl-C handling and a progress bar on `stream`
 * (the command's `io.progress`: drawn when it is a terminal and not quiet;
 * none without a stream). `label` prefixes the bar. A SIGINT handler is
 * installed only while the batch runs. The bar leaves the cursor alone, as
 * the run's bar does, so a second Ctrl-C leaves the terminal as it was.
 */
export async function runBatch(
  pool: WorkerPool,
  jobs: readonly Job[],
  label: string,
  opts: SessionOptions,
  stream: ProgressStream | undefined,
  onResult?: (index: number, result: JobResult) => void,
): Promise<PoolOutcome> {
  const interrupt = catchInterrupt(opts.signal);
  const bars = isProgressShown(stream, opts.quiet ?? false) ? barLibrary() : undefined;
  const bar = bars
    ? new bars.SingleBar(
        {
          format: `${label} [{bar}] {percentage}% | {value}/{total} runs | ETA {eta_formatted}`,
          stream,
          hideCursor: false,
          etaBuffer: 50,
          fps: 5,
        },
        bars.Presets.shades_classic,
      )
    : undefined;
  bar?.start(jobs.length, 0);
  let done = 0;
  try {
    return await pool.run(jobs, {
      signal: interrupt.signal,
      onResult: (i, r) => {
        onResult?.(i, r);
        done += 1;
        bar?.update(done);
        opts.onProgress?.(done, jobs.length);
      },
    });
  } finally {
    bar?.stop();
    interrupt.release();
  }
}

/** How a message names one job of a batch: a label, and the command that replays it. */
export interface JobName {
  /** e.g. `cell 3, seed 5`. */
  readonly label: string;
  /** The `loopsim run` command that replays the job alone. */
  readonly replay: string;
}

/**
 * The message and exit code for a failed job: 2 when a guard stopped the
 * run (too many events or requests: the input asks too much), 3 for a broken
 * invariant (the full report, replay command included) or anything
 * unexpected. `name` names the job and how to replay it.
 */
export function reportFailure(e: unknown, io: Io, name: (job: number) => JobName): number {
  if (!(e instanceof JobFailed)) throw e;
  const job = e.job >= 0 ? name(e.job) : undefined;
  const which = job?.label ?? 'a run';
  const replay = job === undefined ? '' : ` (replay: ${job.replay})`;
  const { kind, message, invariant } = e.failure;
  if (kind === 'aborted') {
    io.err(`✖ ${which}${replay}: ${message}\n`);
    return EXIT_BAD_INPUT;
  }
  if (kind === 'invariant' && invariant !== undefined && job !== undefined) {
    io.err(formatInvariantReport(invariant, job.replay, which));
    return EXIT_INTERNAL;
  }
  io.err(`✖ ${which}${replay}: a run failed unexpectedly:\n${message}\n`);
  return EXIT_INTERNAL;
}
