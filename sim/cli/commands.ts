/**
 * The CLI's commands as plain async functions of their arguments, returning
 * the exit code: 0 ok, 1 an expectation failed, 2 bad input, 3 loopsim broke
 * one of its own invariants (a bug: the message says how to replay it), 130
 * interrupted by Ctrl-C. They print results to stdout and diagnostics to stderr.
 */
import { join } from 'node:path';
import type { RunOptions } from '../engine/run.js';
import { formatIssues } from '../scenario/parse.js';
import type { SimulationResult } from '../simulate.js';
import { loadScenarioFile, type Loaded } from './files.js';
import { catchInterrupt } from './interrupt.js';
import { EXIT_BAD_INPUT, EXIT_EXPECTATION, EXIT_OK, processIo, type Io } from './io.js';
import { formatSummaryJson, writeRunOutputs, type OutputOptions } from './outputs.js';
import { playSourceOf, type PlaySource } from './play-source.js';
import { formatSimSeconds } from './progress.js';
import { reportStop, runShowingProgress, type RunOrigin } from './run-session.js';
import { formatRunTable } from './table.js';
import { guardsOf } from '../sweep/job.js';

/** Folder `loopsim list` reads when none is named. */
export const DEFAULT_SCENARIO_DIR = 'scenarios';

function load(file: string, io: Io): Loaded {
  const r = loadScenarioFile(file);
  if (!r.ok) io.err(formatIssues(r.issues) + '\n');
  else if (r.warnings.length > 0) io.err(formatIssues(r.warnings) + '\n');
  return r;
}

/**
 * `loopsim validate <files..>`: parse and check each file; 2 if any is bad.
 * Warnings, the design lints among them, go to stderr and leave the code at 0.
 */
export function validateCommand(files: readonly string[], io: Io = processIo): number {
  let code = EXIT_OK;
  for (const f of files) {
    const r = load(f, io);
    const count = (n: number, what: string): string => `${n} ${what}${n === 1 ? '' : 's'}`;
    if (r.ok)
      io.out(
        `✔ ${f}: ${r.scenario.name} (${count(r.scenario.clients.length, 'client')}, ${count(r.scenario.services.length, 'service')}, ${count(r.scenario.faults.length, 'fault')})\n`,
      );
    else code = EXIT_BAD_INPUT;
  }
  return code;
}

/** Options of `loopsim run`. */
export interface RunCommandOptions {
  readonly seed?: number;
  /** Output folder; default `out/<name>/` (with several files, always `<out>/<name>/`). */
  readonly out?: string;
  /** Print summary.json to stdout instead of the table. */
  readonly json?: boolean;
  /** Stop a run that passes this many events (RunOptions.maxEvents). */
  readonly maxEvents?: number;
  /** Stop a run when more requests than this are alive at once, all services together (RunOptions.maxInflight). */
  readonly maxInflight?: number;
  readonly noReport?: boolean;
  /** Also write a PNG beside each SVG chart. */
  readonly png?: boolean;
  /** Also write play.html beside report.html, linked from it (docs/playground.md). */
  readonly play?: boolean;
  /** No progress bar. */
  readonly quiet?: boolean;
  /** Stops the runs like Ctrl-C does (for tests and embedding). */
  readonly signal?: AbortSignal;
}

/** The engine's options from a run command's: the seed and the guards that were given. */
export function runOptionsOf(opts: RunCommandOptions): { seed?: number; maxEvents?: number; maxInflight?: number } {
  return { ...(opts.seed !== undefined ? { seed: opts.seed } : {}), ...guardsOf(opts) };
}

/**
 * What {@link writeRunOutputs} writes for a run command's flags: no charts
 * with --no-report, else the charts and, with --png, a PNG beside each SVG.
 * `run`, `run --all` and `run --set/--seeds` all write through it.
 */
export function outputOptionsOf(opts: { readonly noReport?: boolean; readonly png?: boolean }): OutputOptions {
  return opts.noReport ? { noReport: true } : { png: opts.png ?? false };
}

/**
 * Warns, before anything runs, that --png with --no-report writes no PNG
 * (there are no charts to draw), and --play no play.html (no report to link it from).
 */
export function warnPngWithoutCharts(opts: { readonly noReport?: boolean; readonly png?: boolean; readonly play?: boolean }, io: Io): void {
  if (opts.png && opts.noReport)
    io.err('⚠ --png draws the charts as PNG too; with --no-report there are no charts, so no PNG is written.\n');
  if (opts.play && opts.noReport)
    io.err('⚠ --play writes play.html beside report.html; with --no-report there is no report, so no play.html is written.\n');
}

/**
 * The play.html a run of `file` writes with --play (and a report): the file
 * under the run's overrides, `sets` and then `--seed`'s; nothing otherwise.
 */
export function playOptionOf(file: string, sets: readonly string[], opts: RunCommandOptions, io: Io): { play?: PlaySource } {
  if (opts.play !== true || opts.noReport === true) return {};
  const source = playSourceOf(file, opts.seed === undefined ? sets : [...sets, `seed=${opts.seed}`], io);
  return source === undefined ? {} : { play: source };
}

/** What one file of a run command came to: its exit code, whether to stop there, and its result when it finished. */
export interface FileOutcome {
  readonly code: number;
  /** Ctrl-C or a broken invariant: the command stops with `code`. (A guard only skips the file.) */
  readonly stop: boolean;
  /** The run's result and the folder its outputs went to, when it finished. */
  readonly written?: { readonly result: SimulationResult; readonly dir: string };
}

/**
 * Runs the scenario of `origin` as `loopsim run` does, for one of
 * `fileCount` files: progress bar, outputs written (into `out/<name>/`, or
 * `--out`, or `<out>/<name>/` with several files), the summary table or
 * summary.json printed, the exit code from its expectations; or the message
 * of a guard, a broken invariant or Ctrl-C. `run` and `run --set/--seeds`
 * go through here.
 */
export async function runFileToOutputs(
  origin: RunOrigin,
  runOpts: RunOptions,
  fileCount: number,
  opts: RunCommandOptions,
  io: Io,
  signal: AbortSignal,
): Promise<FileOutcome> {
  const sc = origin.scenario;
  const run = await runShowingProgress(sc, runOpts, signal, io, opts.quiet ?? false);
  const dir = opts.out === undefined ? join('out', sc.name) : fileCount > 1 ? join(opts.out, sc.name) : opts.out;
  const outputOptions: OutputOptions = {
    ...outputOptionsOf(opts),
    ...(origin.warnings !== undefined ? { warnings: origin.warnings } : {}),
    ...playOptionOf(origin.file, origin.sets, opts, io),
  };
  if (run.kind === 'aborted') {
    // A collapsing system: the picture up to the stop is what the user wants, marked incomplete.
    const code = reportStop(run, origin, io);
    await writeRunOutputs(dir, run.partial, outputOptions);
    io.err(`  the run up to t=${formatSimSeconds(run.partial.summary.incomplete?.stoppedAt ?? 0)} is in ${dir}, marked incomplete.\n`);
    return { code, stop: false };
  }
  if (run.kind !== 'done') return { code: reportStop(run, origin, io), stop: true };
  const res = run.result;
  await writeRunOutputs(dir, res, outputOptions);
  if (opts.json) io.out(formatSummaryJson(res));
  else io.out(formatRunTable(res) + `outputs: ${dir}\n`);
  return { code: res.summary.expectations.some((x) => !x.ok) ? EXIT_EXPECTATION : EXIT_OK, stop: false, written: { result: res, dir } };
}

/**
 * `loopsim run <files..>`: run each scenario, write its outputs, print its
 * summary. Ctrl-C stops the run in progress (nothing written for it; the
 * outputs of the runs before it stay) and returns 130.
 */
export async function runCommand(files: readonly string[], opts: RunCommandOptions, io: Io = processIo): Promise<number> {
  let code = EXIT_OK;
  warnPngWithoutCharts(opts, io);
  const interrupt = catchInterrupt(opts.signal);
  // Two files with one name would write into one folder: the later one is refused, as with run --all.
  const named = new Map<string, string>();
  try {
    for (const f of files) {
      const loaded = load(f, io);
      if (!loaded.ok) {
        code = Math.max(code, EXIT_BAD_INPUT);
        continue;
      }
      const name = loaded.scenario.name;
      const earlier = named.get(name);
      if (earlier !== undefined) {
        io.err(
          `✖ ${f} is named "${name}", like ${earlier}: both would write into the same folder. Give one of them another name (name: in the file); ${f} was not run.\n`,
        );
        code = Math.max(code, EXIT_BAD_INPUT);
        continue;
      }
      named.set(name, f);
      const done = await runFileToOutputs(
        { file: f, scenario: loaded.scenario, sets: [], warnings: loaded.warnings },
        runOptionsOf(opts),
        files.length,
        opts,
        io,
        interrupt.signal,
      );
      if (done.stop) return done.code;
      code = Math.max(code, done.code);
    }
  } finally {
    interrupt.release();
  }
  return code;
}
