/**
 * `loopsim run` with `--set` or `--seeds`: each scenario, with its overrides
 * applied before validation, runs as `loopsim run` runs it (the same outputs
 * for the first seed, the same table, the same exit codes); with `--seeds N`
 * it also runs seeds s+1 … s+N−1 on the worker pool and writes
 * replications.json, replications.html and band charts beside the usual files.
 * An expectation that fails on any seed makes the exit code 1.
 */
import { basename, join } from 'node:path';
import { InvariantBroken, RunAborted } from '../engine/run.js';
import { REPLICATIONS_FORMAT } from '../sweep/replications.js';
import { parseOverrideArguments } from '../scenario/override.js';
import { simulate, type SimulationResult } from '../simulate.js';
import { EXIT_BAD_INPUT, EXIT_EXPECTATION, EXIT_INTERNAL, EXIT_OK, processIo, type Io, type RunCommandOptions } from './commands.js';
import { formatSummaryJson, writeRunOutputs } from './outputs.js';
import { loadScenarioWith, printIssues } from './sweep-load.js';
import { runReplications, replicationsFileOf, writeReplicationOutputs, type PreparedVariant } from './sweep-replicate.js';
import { MAX_SEEDS, checkCount, defaultWorkers, type SessionOptions } from './sweep-session.js';
import { formatReplicationsTable } from './sweep-table.js';
import { formatRunTable } from './table.js';
import { jobResultOf } from './worker-job.js';
import { createWorkerPool, type WorkerPool } from './worker-pool.js';

/** Options of `loopsim run` with overrides or replications. */
export interface ReplicatedRunOptions extends RunCommandOptions, SessionOptions {
  /** `path=value` overrides, applied before validation. */
  readonly sets?: readonly string[];
  /** Seeds to run: seed, seed + 1, …; default 1. */
  readonly seeds?: number;
  /** Worker threads for the extra seeds; default the machine's available parallelism. */
  readonly workers?: number;
}

/** Runs one seed in-process like `loopsim run`; the result, or the exit code after printing why it stopped. */
function runOnce(file: string, res: () => SimulationResult, io: Io): SimulationResult | number {
  try {
    return res();
  } catch (e) {
    if (e instanceof RunAborted) {
      io.err(`✖ ${basename(file)}: ${e.message}\n`);
      return EXIT_BAD_INPUT;
    }
    if (e instanceof InvariantBroken) {
      io.err(`✖ loopsim broke one of its own invariants (a bug; please report it):\n${e.message.replace('<scenario>', file)}\n`);
      return EXIT_INTERNAL;
    }
    throw e;
  }
}

/** `loopsim run --set … --seeds N`: see the module comment. */
export async function replicatedRunCommand(files: readonly string[], opts: ReplicatedRunOptions, io: Io = processIo): Promise<number> {
  const seeds = checkCount(io, '--seeds', opts.seeds, 1, 1, MAX_SEEDS);
  const workers = checkCount(io, '--workers', opts.workers, defaultWorkers(), 1, 1024);
  if (seeds === undefined || workers === undefined) return EXIT_BAD_INPUT;
  const sets = parseOverrideArguments(opts.sets ?? [], '--set');
  if (!sets.ok) {
    printIssues(io, sets.issues);
    return EXIT_BAD_INPUT;
  }
  let code = EXIT_OK;
  let pool: WorkerPool | undefined;
  try {
    for (const f of files) {
      const sc = loadScenarioWith(f, sets.value, io);
      if (sc === undefined) {
        code = Math.max(code, EXIT_BAD_INPUT);
        continue;
      }
      const seed = opts.seed ?? sc.seed;
      const max = opts.maxEvents !== undefined ? { maxEvents: opts.maxEvents } : {};
      const res = runOnce(f, () => simulate(sc, { seed, ...max }), io);
      if (typeof res === 'number') {
        if (res === EXIT_INTERNAL) return res;
        code = Math.max(code, res);
        continue;
      }
      const dir = opts.out === undefined ? join('out', sc.name) : files.length > 1 ? join(opts.out, sc.name) : opts.out;
      await writeRunOutputs(dir, res, opts.noReport ? { noReport: true } : {});
      if (opts.json) io.out(formatSummaryJson(res));
      else io.out(formatRunTable(res) + `outputs: ${dir}\n`);
      if (res.summary.expectations.some((x) => !x.ok)) code = Math.max(code, EXIT_EXPECTATION);
      if (seeds === 1) continue;

      // Replications: the first seed is the run above; the others go to the pool.
      const variant: PreparedVariant = {
        scenario: sc,
        header: { label: sc.name, dir: '.', scenario: sc.name, file: basename(f), overrides: sets.value.map((o) => o.source) },
      };
      const range = { from: seed, count: seeds };
      pool ??= createWorkerPool(workers);
      const first = jobResultOf(res, 'full');
      const results = await runReplications([variant], range, pool, io, { ...opts, known: (_v, k) => (k === 0 ? first : undefined) });
      if (typeof results === 'number') return results;
      await writeReplicationOutputs(dir, [variant], range, results, { kind: 'replications', noReport: opts.noReport === true });
      if (!opts.json) io.out(formatReplicationsTable(replicationsFileOf(REPLICATIONS_FORMAT, [variant], range, results)));
      res.summary.expectations.forEach((x, i) => {
        const failing = (results[0] ?? []).flatMap((r, k) => (r.summary?.expectations[i]?.ok === false ? [seed + k] : []));
        if (failing.length > 0) {
          io.err(`✖ expectation "${x.text}" failed on ${failing.length} of ${seeds} seeds: ${failing.join(', ')}\n`);
          code = Math.max(code, EXIT_EXPECTATION);
        }
      });
    }
  } finally {
    await pool?.close();
  }
  return code;
}
