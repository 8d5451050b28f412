/**
 * The progress bar of `loopsim run`, on stderr (never stdout, which carries
 * results): simulated time reached out of the scenario's duration, with an
 * ETA. It appears only for runs that last longer than about a second, only on
 * a terminal, and never with --quiet.
 *
 * The engine reports progress synchronously from inside its loop (about every
 * million events), and the event loop turns only between slices of the run
 * (sim/cli/run-session.ts), so cli-progress's timer hardly ever fires:
 * its `synchronousUpdate` makes `update()` redraw by itself when the last
 * frame is older than two frame intervals.
 */
import { createRequire } from 'node:module';
import type cliProgressModule from 'cli-progress';
import { groupThousands } from '../../reports/format.js';

const require = createRequire(import.meta.url);

/**
 * cli-progress, loaded when the first bar is drawn. Loading it takes about
 * 8 ms; most runs (short ones, and every run whose stderr is not a terminal)
 * never draw a bar, so they never pay for it.
 */
export function barLibrary(): typeof cliProgressModule {
  return require('cli-progress') as typeof cliProgressModule;
}

/** Where a bar may draw: a writable stream that says whether it is a terminal. */
export interface ProgressStream extends NodeJS.WritableStream {
  readonly isTTY?: boolean;
  readonly columns?: number;
}

/** Options of {@link createRunProgress}. */
export interface RunProgressOptions {
  /** The stream to draw on (stderr). No bar unless it is a TTY. */
  readonly stream: ProgressStream | undefined;
  /** The scenario's name, shown before the bar. */
  readonly name: string;
  /** The scenario's simulated duration, in seconds: the bar's 100%. */
  readonly durationSeconds: number;
  /** --quiet: never draw. */
  readonly quiet?: boolean;
  /** Wall-clock milliseconds before the bar may appear. Default {@link PROGRESS_DELAY_MS}. */
  readonly delayMs?: number;
  /** Wall clock in milliseconds; injectable for tests. Default `Date.now`. */
  readonly now?: () => number;
}

/** The progress of one run: feed `onProgress` to the engine, call `stop` when the run ends. */
export interface RunProgress {
  /** Receives the simulated time reached, in seconds (RunOptions.onProgress). */
  readonly onProgress: (simTime: number) => void;
  /** Clears the bar, if it was drawn, so what follows starts on a clean line. Idempotent. */
  readonly stop: () => void;
}

/** A run quicker than this (wall clock, ms) shows no bar at all. */
export const PROGRESS_DELAY_MS = 1000;

/** Simulated seconds as the bar shows them: `12.3 s`, or `1,234 s` past a thousand. */
export function formatSimSeconds(seconds: number): string {
  return seconds < 1000 ? `${seconds.toFixed(1)} s` : `${groupThousands(Math.round(seconds))} s`;
}

/** A wall-clock estimate in seconds as the bar shows it: `8s`, `3m05s`, `1h02m`; `?` when unknown. */
export function formatEta(seconds: number): string {
  if (!Number.isFinite(seconds) || seconds < 0) return '?';
  const s = Math.ceil(seconds);
  const pad = (n: number): string => String(n).padStart(2, '0');
  if (s < 60) return `${s}s`;
  if (s < 3600) return `${Math.floor(s / 60)}m${pad(s % 60)}s`;
  return `${Math.floor(s / 3600)}h${pad(Math.floor((s % 3600) / 60))}m`;
}

/**
 * Seconds of wall clock left, extrapolating the average pace since the run
 * started: `simTime` simulated seconds took `elapsedMs`; `total` is the goal.
 */
export function estimateRemainingSeconds(simTime: number, total: number, elapsedMs: number): number {
  if (simTime <= 0 || elapsedMs <= 0) return NaN;
  return ((total - simTime) * elapsedMs) / simTime / 1000;
}

/** The bar's width in characters: what the terminal has left beside the text, within 10..30. */
function barSize(columns: number | undefined, name: string): number {
  const TEXT = 62; // "100% | 1,234 s of 3,600 s simulated | ETA 1h02m | " and the spaces around the bar
  return Math.max(10, Math.min(30, (columns ?? 80) - TEXT - name.length));
}

/** Whether a bar may be drawn on `stream` at all. */
export function isProgressShown(stream: ProgressStream | undefined, quiet: boolean): stream is ProgressStream {
  return !quiet && stream?.isTTY === true;
}

const NO_PROGRESS: RunProgress = { onProgress: () => undefined, stop: () => undefined };

/**
 * Creates the progress of one run. The bar starts at the first report that
 * arrives {@link RunProgressOptions.delayMs} after creation, so short runs
 * print nothing; after that every report updates it.
 */
export function createRunProgress(opts: RunProgressOptions): RunProgress {
  const stream = opts.stream;
  if (!isProgressShown(stream, opts.quiet ?? false)) return NO_PROGRESS;
  const now = opts.now ?? Date.now;
  const startedAt = now();
  const delayMs = opts.delayMs ?? PROGRESS_DELAY_MS;
  const total = opts.durationSeconds;
  let bar: cliProgressModule.SingleBar | undefined;
  let stopped = false;
  const payload = (simTime: number): Record<string, string> => ({
    sim: formatSimSeconds(simTime),
    remaining: formatEta(estimateRemainingSeconds(simTime, total, now() - startedAt)),
  });
  return {
    onProgress(simTime) {
      if (stopped) return;
      if (bar === undefined) {
        if (now() - startedAt < delayMs) return;
        bar = new (barLibrary().SingleBar)({
          stream,
          // The name last: on a narrow terminal the line is cut at its end.
          // The ETA is computed here from the run's average pace (cli-progress's
          // own shows 0s until its second update).
          format: `{bar} {percentage}% | {sim} of ${formatSimSeconds(total)} simulated | ETA {remaining} | ${opts.name}`,
          barsize: barSize(stream.columns, opts.name),
          barCompleteChar: '█',
          barIncompleteChar: '░',
          // Redraw from update() itself: timers fire only between slices of the run.
          synchronousUpdate: true,
          clearOnComplete: true,
          // Leave the terminal's state alone (no hidden cursor, no wrap mode, no
          // signal handlers): Ctrl-C is the CLI's to handle (sim/cli/interrupt.ts),
          // and the terminal stays usable whatever happens.
          hideCursor: false,
          linewrap: true,
          gracefulExit: false,
        });
        bar.start(total, Math.min(simTime, total), payload(simTime));
        return;
      }
      bar.update(Math.min(simTime, total), payload(simTime));
    },
    stop() {
      if (stopped) return;
      stopped = true;
      bar?.stop();
    },
  };
}
