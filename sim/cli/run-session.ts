/**
 * Running one scenario in-process the way `loopsim run` shows it: the engine
 * steps in slices of about 10^6 events and yields to the event loop between
 * them, so Ctrl-C is heard during a long run; the run then stops with nothing
 * written for it, and the command exits 130. A guard that trips (exit 2), a
 * broken invariant (exit 3, with the command that replays it) and Ctrl-C
 * each print one message here, for `run`, `run --all` and `run --set/--seeds`.
 */
import { basename } from 'node:path';
import { InvariantBroken, RunAborted, RunStepper, type RunOptions } from '../engine/run.js';
import type { Issue } from '../scenario/issue.js';
import type { NormalizedScenario } from '../scenario/types.js';
import { reduceRun, type SimulationResult } from '../simulate.js';
import { EXIT_BAD_INPUT, EXIT_INTERNAL, EXIT_INTERRUPTED, type Io } from './io.js';
import { stepInSlices } from './interrupt.js';
import { createRunProgress, formatSimSeconds } from './progress.js';
import { formatInvariantReport, runReplayCommand } from './replay.js';

/** How an in-process run ended: its result, or why it stopped. */
export type SlicedRun =
  | { readonly kind: 'done'; readonly result: SimulationResult }
  /**
   * A guard tripped (`--max-events`, `--max-inflight`): the input asks too
   * much. `partial` is the run up to the stop, its summary marked incomplete.
   */
  | { readonly kind: 'aborted'; readonly error: RunAborted; readonly partial: SimulationResult }
  /** loopsim broke one of its own invariants: a bug. */
  | { readonly kind: 'broken'; readonly error: InvariantBroken }
  /** Ctrl-C (or the signal) stopped it at simulated time `time`. */
  | { readonly kind: 'interrupted'; readonly time: number };

/** A run that did not finish. */
export type RunStop = Exclude<SlicedRun, { readonly kind: 'done' }>;

/**
 * Runs `scenario` in slices of {@link SLICE_EVENTS} events, yielding to the
 * event loop between slices, and stops before the next slice once `signal`
 * is aborted. The result is the one `simulate` gives. Anything but a guard or
 * a broken invariant is thrown.
 */
export async function runInSlices(scenario: NormalizedScenario, opts: RunOptions, signal?: AbortSignal): Promise<SlicedRun> {
  let stepper: RunStepper | undefined;
  try {
    stepper = new RunStepper(scenario, opts);
    if (!(await stepInSlices(stepper, signal))) return { kind: 'interrupted', time: stepper.now };
    return { kind: 'done', result: reduceRun(scenario, stepper.finish()) };
  } catch (e) {
    if (e instanceof RunAborted && stepper !== undefined) {
      const partial = reduceRun(scenario, stepper.finishStopped(), { reason: e.message, stoppedAt: Number(stepper.now.toFixed(6)) });
      return { kind: 'aborted', error: e, partial };
    }
    if (e instanceof InvariantBroken) return { kind: 'broken', error: e };
    throw e;
  }
}

/**
 * {@link runInSlices} with the progress bar of `loopsim run` on
 * `io.progress` (only on a terminal, never when `quiet`), named after the
 * scenario; the bar is cleared before this resolves or throws, so whatever
 * is printed next starts on a clean line. `run`, `run --all` and
 * `run --set/--seeds` (its first seed) run through it.
 */
export async function runShowingProgress(
  scenario: NormalizedScenario,
  opts: RunOptions,
  signal: AbortSignal | undefined,
  io: Io,
  quiet: boolean,
): Promise<SlicedRun> {
  const progress = createRunProgress({ stream: io.progress, name: scenario.name, durationSeconds: scenario.duration, quiet });
  try {
    return await runInSlices(scenario, { ...opts, onProgress: progress.onProgress }, signal);
  } finally {
    progress.stop();
  }
}

/** The run a message is about: the file as given, its scenario, and the `path=value` overrides applied to it. */
export interface RunOrigin {
  readonly file: string;
  readonly scenario: NormalizedScenario;
  readonly sets: readonly string[];
  /** The scenario's warnings, for the report's structure map. Default none. */
  readonly warnings?: readonly Issue[];
}

/** The one-line message after Ctrl-C stopped the run of `origin` at simulated time `time`. */
export function interruptedMessage(origin: RunOrigin, time: number): string {
  const at = `t=${formatSimSeconds(time)} of ${formatSimSeconds(origin.scenario.duration)} simulated`;
  return `✖ interrupted: ${basename(origin.file)} stopped at ${at}; nothing written for it.\n`;
}

/**
 * Prints why the run of `origin` stopped and returns the exit code: 2 for a
 * guard, 3 for a broken invariant (with the command that replays it), 130 for
 * Ctrl-C.
 */
export function reportStop(stop: RunStop, origin: RunOrigin, io: Io): number {
  switch (stop.kind) {
    case 'aborted':
      io.err(`✖ ${basename(origin.file)}: ${stop.error.message}\n`);
      return EXIT_BAD_INPUT;
    case 'broken':
      io.err(formatInvariantReport(stop.error, runReplayCommand(origin.file, stop.error.seed, origin.sets)));
      return EXIT_INTERNAL;
    case 'interrupted':
      io.err(interruptedMessage(origin, stop.time));
      return EXIT_INTERRUPTED;
  }
}
