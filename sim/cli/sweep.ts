/**
 * `loopsim sweep x.yaml --vary path=from:to:step [--vary …] --seeds N`: a
 * grid over one or two parameters, every cell run on the same N seeds, each
 * classified by the share of seeds that ended metastable. With
 * `--hysteresis` (one parameter) every value runs twice: without the
 * scenario's faults (from a healthy start) and with them (after the trigger).
 * `--find-tipping path=lo:hi` bisects instead (sweep-tipping.ts). `--shard
 * k/n` runs one deterministic slice; `loopsim merge` joins the slices.
 *
 * Outputs, in `--out` (default `out/sweep-<name>/`): sweep.csv, sweep.json,
 * sweep.html and the diagram as SVG. Ctrl-C writes what finished and exits 130.
 */
import { join } from 'node:path';
import { parseOverrideArguments } from '../scenario/override.js';
import { MAX_JOBS, MAX_JOBS_REASON, expandGrid, parseVary, type SweepAxis } from '../sweep/grid.js';
import { parseShard, shardJobs, type Shard } from '../sweep/shard.js';
import { buildSweepFile, jobPosition, type SweepRun } from '../sweep/sweep-file.js';
import { VERSION } from '../version.js';
import { EXIT_BAD_INPUT, EXIT_INTERRUPTED, EXIT_OK, processIo, type Io } from './io.js';
import { prepareCells, sweepDefinition, sweepJobs, sweepRunsOf } from '../sweep/cells.js';
import { parseWith, readScenarioText, refuseWith } from './sweep-load.js';
import { openRunLog } from './run-log.js';
import { writeSweepOutputs } from './sweep-outputs.js';
import {
  MAX_SEEDS,
  checkCount,
  defaultWorkers,
  metricsFit,
  parseMetricFlags,
  reportFailure,
  runBatch,
  type SessionOptions,
} from './sweep-session.js';
import { formatSweepTable } from './sweep-table.js';
import { tippingCommand } from './sweep-tipping.js';
import { replayCommand } from './replay.js';
import type { TippingDirection } from '../sweep/tipping.js';
import { createWorkerPool } from './worker-pool.js';

export { MAX_JOBS };

/** Options of `loopsim sweep`. */
export interface SweepOptions extends SessionOptions {
  /** `path=from:to:step` or `path=a,b,c`, once or twice. */
  readonly vary?: readonly string[];
  /** `path=lo:hi`: bisect for the tipping point instead of a grid. */
  readonly findTipping?: string;
  /** Width of the final tipping bracket, in the range's unit (`0.5s`, `1%`, `2`). */
  readonly precision?: string;
  /** `--find-tipping`: which side of the tipping point is metastable; found from the ends when absent. */
  readonly direction?: TippingDirection;
  readonly seeds?: number;
  /** First seed; default the scenario's. */
  readonly seed?: number;
  readonly sets?: readonly string[];
  readonly hysteresis?: boolean;
  readonly workers?: number;
  /** `k/n`: run only the k-th of n slices. */
  readonly shard?: string;
  readonly out?: string;
  readonly maxEvents?: number;
  readonly maxInflight?: number;
  readonly noReport?: boolean;
  /** `--metric component.metric:stat[:from:to]` values, each measured in every run and summarized per cell. */
  readonly metrics?: readonly string[];
}

function refuse(io: Io, message: string): number {
  io.err(`✖ ${message}\n`);
  return EXIT_BAD_INPUT;
}

/** `loopsim sweep`: see the module comment. */
export async function sweepCommand(path: string, opts: SweepOptions, io: Io = processIo): Promise<number> {
  // 1. Arguments.
  const vary = opts.vary ?? [];
  if (opts.findTipping !== undefined && vary.length > 0) return refuse(io, 'Give either --vary or --find-tipping, not both.');
  if (opts.findTipping === undefined && (vary.length < 1 || vary.length > 2))
    return refuse(io, 'Give one or two --vary path=from:to:step (or --find-tipping path=lo:hi).');
  if (opts.hysteresis && vary.length !== 1) return refuse(io, '--hysteresis needs exactly one --vary.');
  if (opts.direction !== undefined && opts.findTipping === undefined) return refuse(io, '--direction goes with --find-tipping.');
  if (opts.findTipping !== undefined && opts.shard !== undefined)
    return refuse(io, '--find-tipping runs probes one after another and cannot be sharded.');
  if (opts.findTipping !== undefined && (opts.metrics ?? []).length > 0)
    return refuse(io, '--metric goes with --vary: --find-tipping only counts metastable seeds.');
  const metrics = parseMetricFlags(io, opts.metrics);
  if (metrics === undefined) return EXIT_BAD_INPUT;
  const seeds = checkCount(io, '--seeds', opts.seeds, 1, 1, MAX_SEEDS);
  const workers = checkCount(io, '--workers', opts.workers, defaultWorkers(), 1, 1024);
  if (seeds === undefined || workers === undefined) return EXIT_BAD_INPUT;
  let shard: Shard | null = null;
  if (opts.shard !== undefined) {
    const s = parseShard(opts.shard);
    if (!s.ok) return refuse(io, `--shard: ${s.issues}.`);
    shard = s.value;
  }
  const sets = parseOverrideArguments(opts.sets ?? [], '--set');
  if (!sets.ok) return refuseWith(io, sets.issues);

  // 2. The scenario as given (with --set), then each axis.
  const src = readScenarioText(path);
  if (!src.ok) return refuseWith(io, src.issues);
  const base = parseWith(src, sets.value, io)?.scenario;
  if (base === undefined) return EXIT_BAD_INPUT;
  const from = opts.seed ?? base.seed;
  if (opts.findTipping !== undefined) {
    return tippingCommand(
      {
        path,
        src,
        base,
        sets: sets.value,
        range: opts.findTipping,
        precision: opts.precision,
        direction: opts.direction,
        seeds: { from, count: seeds },
        workers,
      },
      opts,
      io,
    );
  }
  const axes: SweepAxis[] = [];
  for (const v of vary) {
    const a = parseVary(v);
    if (!a.ok) return refuseWith(io, a.issues);
    axes.push(a.value);
  }
  if (opts.hysteresis && base.faults.length === 0) {
    return refuse(
      io,
      `--hysteresis compares runs with and without the scenario's faults, but ${src.file} has none: add the trigger as a fault.`,
    );
  }
  if (!metricsFit(io, metrics, base, src.file)) return EXIT_BAD_INPUT;
  const def = sweepDefinition(base, src, sets.value, axes, opts.hysteresis === true, { from, count: seeds }, metrics);
  if (def.jobs > MAX_JOBS) {
    return refuse(
      io,
      `The sweep asks for ${def.jobs} runs (${def.cells} cells x ${seeds} seeds); at most ${MAX_JOBS} are allowed (${MAX_JOBS_REASON}): use coarser steps or fewer seeds.`,
    );
  }

  // 3. The cells this process runs, each validated like a file.
  const cells = expandGrid(axes, def.hysteresis);
  const mine = shardJobs(def.jobs, shard);
  const prepared = prepareCells(src, sets.value, axes, cells, new Set(mine.map((j) => jobPosition(def, j).cell)));
  if (!prepared.ok) return refuseWith(io, prepared.issues);
  // A cell's values may shorten the run or take a mechanism away: each cell is checked too.
  for (const c of cells) {
    const sc = prepared.scenarios[c.index];
    if (
      sc !== undefined &&
      !metricsFit(io, metrics, sc, `${src.file} at ${c.at.map((i, k) => `${axes[k]?.field ?? ''}=${axes[k]?.labels[i] ?? ''}`).join(', ')}`)
    )
      return EXIT_BAD_INPUT;
  }

  // 4. Runs: each one appended to runs.jsonl as it finishes; the runs an earlier attempt logged are kept.
  const dir = opts.out ?? join('out', shard === null ? `sweep-${base.name}` : `sweep-${base.name}-shard-${shard.index}-of-${shard.count}`);
  const log = openRunLog(dir, VERSION, def, shard);
  let runs: SweepRun[];
  let interrupted: boolean;
  try {
    if (log.replaced !== undefined) io.err(`note: ${log.replaced}\n`);
    const logged = new Set(log.previous.map((r) => r.cell * seeds + (r.seed - from)));
    const todo = mine.filter((j) => !logged.has(j));
    const jobs = sweepJobs(def, prepared.scenarios, todo, { ...opts, metrics });
    const pool = createWorkerPool(workers);
    if (opts.quiet !== true) {
      const slice = shard === null ? '' : `, shard ${shard.index}/${shard.count}`;
      const resumed = log.previous.length === 0 ? '' : `; ${log.previous.length} already done in ${log.path}, ${todo.length} to go`;
      io.err(
        `sweep ${base.name}: ${mine.length} runs (${def.cells} cells x ${seeds} seeds${slice}${resumed}) on up to ${workers} workers\n`,
      );
    }
    let outcome;
    let logFailure: Error | undefined;
    try {
      outcome = await runBatch(pool, jobs, `sweep ${base.name}`, opts, io.progress, (i, r) => {
        // Thrown from here, an error would escape the pool's message handler: kept for after the batch.
        try {
          if (logFailure === undefined) log.append({ ...jobPosition(def, todo[i] ?? 0), ...r.figures });
        } catch (e) {
          logFailure = e instanceof Error ? e : new Error('the run log could not be written', { cause: e });
        }
      });
    } catch (e) {
      const code = reportFailure(e, io, (i) => {
        const { cell, seed } = jobPosition(def, todo[i] ?? 0);
        const c = cells[cell];
        if (c === undefined) throw new Error(`sweep: job ${i} has no cell ${cell}`);
        return { label: `cell ${cell}, seed ${seed}`, replay: replayCommand(path, sets.value, axes, c, seed) };
      });
      // After a broken invariant the report ends the output; runs.jsonl stays all the same.
      if (code === EXIT_BAD_INPUT) {
        io.err(
          `  a guard stopped that run: the runs that finished are in ${log.path}; no sweep.csv or sweep.json is written. Give it more room (--max-events, --max-inflight) and run the same command again to carry on.\n`,
        );
      }
      return code;
    } finally {
      await pool.close();
    }
    if (logFailure !== undefined) throw logFailure;
    runs = log.previous.slice();
    for (const r of sweepRunsOf(def, todo, outcome.results)) runs.push(r);
    interrupted = outcome.interrupted;

    // 5. Outputs: everything that finished, even after Ctrl-C.
    const file = buildSweepFile(VERSION, def, runs, shard, mine.length);
    await writeSweepOutputs(dir, file, { noReport: opts.noReport === true });
    io.out(formatSweepTable(file));
    log.close(file.complete);
  } finally {
    log.close();
  }
  if (interrupted) {
    io.err(
      `✖ interrupted: ${runs.length} of ${mine.length} runs finished; partial results in ${dir} (run the same command again to finish the sweep)\n`,
    );
    return EXIT_INTERRUPTED;
  }
  io.out(`outputs: ${dir}\n`);
  return EXIT_OK;
}
