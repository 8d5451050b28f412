/**
 * `loopsim run` with `--set` or `--seeds`: each scenario, with its overrides
 * applied before validation, runs as `loopsim run` runs it (the same outputs
 * for the first seed, PNGs with --png included, the same progress bar, the
 * same table, the same exit codes); with `--seeds N` it also runs seeds
 * s+1 … s+N−1 on the worker pool, with the batch progress bar, and writes
 * replications.json, replications.html and band charts beside the usual files.
 * An expectation that fails on any seed makes the exit code 1. Ctrl-C stops
 * the runs with exit 130: the first seed's run writes nothing unless it
 * finished, the replications nothing unless all finished.
 */
import { basename } from 'node:path';
import { REPLICATIONS_FORMAT, replicationsFileOf } from '../sweep/replications.js';
import { parseOverrideArguments } from '../scenario/override.js';
import { runFileToOutputs, runOptionsOf, warnPngWithoutCharts, type RunCommandOptions } from './commands.js';
import { EXIT_BAD_INPUT, EXIT_EXPECTATION, EXIT_OK, processIo, type Io } from './io.js';
import { catchInterrupt } from './interrupt.js';
import { loadScenarioWith, printIssues } from './sweep-load.js';
import { runReplications, writeReplicationOutputs, type PreparedVariant } from './sweep-replicate.js';
import { MAX_SEEDS, checkCount, defaultWorkers, metricsFit, parseMetricFlags, type SessionOptions } from './sweep-session.js';
import { formatReplicationsTable } from './sweep-table.js';
import { jobResultOf } from '../sweep/job.js';
import { createWorkerPool, type WorkerPool } from './worker-pool.js';

/** Options of `loopsim run` with overrides or replications. */
export interface ReplicatedRunOptions extends RunCommandOptions, SessionOptions {
  /** `path=value` overrides, applied before validation. */
  readonly sets?: readonly string[];
  /** Seeds to run: seed, seed + 1, …; default 1. */
  readonly seeds?: number;
  /** Worker threads for the extra seeds; default the machine's available parallelism. */
  readonly workers?: number;
  /** `--metric component.metric:stat[:from:to]` values, measured in every seed (with `--seeds` of 2 or more). */
  readonly metrics?: readonly string[];
}

/** `loopsim run --set … --seeds N`: see the module comment. */
export async function replicatedRunCommand(files: readonly string[], opts: ReplicatedRunOptions, io: Io = processIo): Promise<number> {
  const seeds = checkCount(io, '--seeds', opts.seeds, 1, 1, MAX_SEEDS);
  const workers = checkCount(io, '--workers', opts.workers, defaultWorkers(), 1, 1024);
  if (seeds === undefined || workers === undefined) return EXIT_BAD_INPUT;
  const metrics = parseMetricFlags(io, opts.metrics);
  if (metrics === undefined) return EXIT_BAD_INPUT;
  if (metrics.length > 0 && seeds < 2) {
    io.err(
      '✖ --metric on run goes with --seeds N (N of 2 or more): it adds a row to the replications; for one run, see timeseries.csv or an expectation.\n',
    );
    return EXIT_BAD_INPUT;
  }
  const sets = parseOverrideArguments(opts.sets ?? [], '--set');
  if (!sets.ok) {
    printIssues(io, sets.issues);
    return EXIT_BAD_INPUT;
  }
  warnPngWithoutCharts(opts, io);
  let code = EXIT_OK;
  let pool: WorkerPool | undefined;
  const interrupt = catchInterrupt(opts.signal);
  try {
    for (const f of files) {
      const loaded = loadScenarioWith(f, sets.value, io);
      if (loaded === undefined) {
        code = Math.max(code, EXIT_BAD_INPUT);
        continue;
      }
      const sc = loaded.scenario;
      if (!metricsFit(io, metrics, sc, basename(f))) {
        code = Math.max(code, EXIT_BAD_INPUT);
        continue;
      }
      const seed = opts.seed ?? sc.seed;
      const origin = { file: f, scenario: sc, sets: opts.sets ?? [], warnings: loaded.warnings };
      const done = await runFileToOutputs(origin, { ...runOptionsOf(opts), seed }, files.length, opts, io, interrupt.signal);
      if (done.stop) return done.code;
      code = Math.max(code, done.code);
      if (done.written === undefined || seeds === 1) continue;
      const { result: res, dir } = done.written;

      // Replications: the first seed is the run above; the others go to the pool.
      const variant: PreparedVariant = {
        path: f,
        overrides: sets.value,
        scenario: sc,
        header: { label: sc.name, dir: '.', scenario: sc.name, file: basename(f), overrides: sets.value.map((o) => o.source) },
      };
      const range = { from: seed, count: seeds };
      pool ??= createWorkerPool(workers);
      const first = jobResultOf(res, 'full', metrics);
      // The first seed's run is written already; after Ctrl-C the message says so.
      const kept = `kept: the outputs of seed ${seed} in ${dir}; not written: replications.json and replications.html (seeds ${seed} to ${seed + seeds - 1})`;
      const results = await runReplications([variant], range, pool, io, {
        ...opts,
        signal: interrupt.signal,
        known: (_v, k) => (k === 0 ? first : undefined),
        kept,
        metrics,
      });
      if (typeof results === 'number') return results;
      await writeReplicationOutputs(dir, [variant], range, results, {
        kind: 'replications',
        noReport: opts.noReport === true,
        png: opts.png === true,
        metrics,
      });
      if (!opts.json) io.out(formatReplicationsTable(replicationsFileOf(REPLICATIONS_FORMAT, [variant.header], range, results, metrics)));
      res.summary.expectations.forEach((x, i) => {
        const failing = (results[0] ?? []).flatMap((r, k) => (r.summary?.expectations[i]?.ok === false ? [seed + k] : []));
        if (failing.length > 0) {
          io.err(`✖ expectation "${x.text}" failed on ${failing.length} of ${seeds} seeds: ${failing.join(', ')}\n`);
          code = Math.max(code, EXIT_EXPECTATION);
        }
      });
    }
  } finally {
    interrupt.release();
    await pool?.close();
  }
  return code;
}
