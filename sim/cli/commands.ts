/**
 * The CLI's commands as plain async functions of their arguments, returning
 * the exit code: 0 ok, 1 an expectation failed, 2 bad input, 3 loopsim broke
 * one of its own invariants (a bug: the message says how to replay it).
 * They print results to stdout and diagnostics to stderr.
 */
import { basename, join } from 'node:path';
import { InvariantBroken, RunAborted } from '../engine/run.js';
import { formatIssues, type Issue } from '../scenario/parse.js';
import { simulate } from '../simulate.js';
import { loadScenarioFile, type Loaded } from './files.js';
import { formatSummaryJson, writeRunOutputs } from './outputs.js';
import { createRunProgress, type ProgressStream } from './progress.js';
import { formatRunTable } from './table.js';

/** Exit codes, as SCENARIO-FORMAT.md fixes them (plus 3 for an internal error). */
export const EXIT_OK = 0;
export const EXIT_EXPECTATION = 1;
export const EXIT_BAD_INPUT = 2;
export const EXIT_INTERNAL = 3;

/** Where the CLI writes: injectable so tests can capture it. */
export interface Io {
  out(text: string): void;
  err(text: string): void;
  /** The stream a progress bar may draw on (stderr); drawn only when it is a TTY. Absent: no bar. */
  readonly progress?: ProgressStream;
}

/** The process's stdout and stderr. */
export const processIo: Io = {
  out: (t) => void process.stdout.write(t),
  err: (t) => void process.stderr.write(t),
  progress: process.stderr,
};

function load(file: string, io: Io): Loaded {
  const r = loadScenarioFile(file);
  if (!r.ok) io.err(formatIssues(r.issues as Issue[]) + '\n');
  else if (r.warnings.length > 0) io.err(formatIssues(r.warnings as Issue[]) + '\n');
  return r;
}

/** `loopsim validate <files..>`: parse and check each file; 2 if any is bad. */
export function validateCommand(files: readonly string[], io: Io = processIo): number {
  let code = EXIT_OK;
  for (const f of files) {
    const r = load(f, io);
    if (r.ok) io.out(`✔ ${f}: ${r.scenario.name} (${r.scenario.clients.length} clients, ${r.scenario.services.length} services, ${r.scenario.faults.length} faults)\n`);
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
  readonly maxEvents?: number;
  readonly noReport?: boolean;
  /** Also write a PNG beside each SVG chart. */
  readonly png?: boolean;
  /** No progress bar. */
  readonly quiet?: boolean;
}

/** `loopsim run <files..>`: run each scenario, write its outputs, print its summary. */
export async function runCommand(files: readonly string[], opts: RunCommandOptions, io: Io = processIo): Promise<number> {
  let code = EXIT_OK;
  if (opts.png && opts.noReport) io.err('⚠ --png draws the charts as PNG too; with --no-report there are no charts, so no PNG is written.\n');
  for (const f of files) {
    const loaded = load(f, io);
    if (!loaded.ok) {
      code = Math.max(code, EXIT_BAD_INPUT);
      continue;
    }
    const sc = loaded.scenario;
    let res;
    const progress = createRunProgress({ stream: io.progress, name: sc.name, durationSeconds: sc.duration, quiet: opts.quiet ?? false });
    try {
      res = simulate(sc, {
        ...(opts.seed !== undefined ? { seed: opts.seed } : {}),
        ...(opts.maxEvents !== undefined ? { maxEvents: opts.maxEvents } : {}),
        onProgress: progress.onProgress,
      });
    } catch (e) {
      if (e instanceof RunAborted) {
        io.err(`✖ ${basename(f)}: ${e.message}\n`);
        code = Math.max(code, EXIT_BAD_INPUT);
        continue;
      }
      if (e instanceof InvariantBroken) {
        io.err(`✖ loopsim broke one of its own invariants (a bug; please report it):\n${e.message.replace('<scenario>', f)}\n`);
        return EXIT_INTERNAL;
      }
      throw e;
    } finally {
      // Clear the bar before anything else is printed.
      progress.stop();
    }
    const dir = opts.out === undefined ? join('out', sc.name) : files.length > 1 ? join(opts.out, sc.name) : opts.out;
    await writeRunOutputs(dir, res, opts.noReport ? { noReport: true } : { png: opts.png ?? false });
    if (opts.json) io.out(formatSummaryJson(res));
    else io.out(formatRunTable(res) + `outputs: ${dir}\n`);
    if (res.summary.expectations.some((x) => !x.ok)) code = Math.max(code, EXIT_EXPECTATION);
  }
  return code;
}
