/**
 * Where the CLI writes and the exit codes it returns: what every command
 * shares, apart from the commands themselves (so that the modules commands.ts
 * uses can import these without importing it back).
 */
import type { ProgressStream } from './progress.js';

/** Exit codes, as docs/scenario-format.md fixes them (plus 3 for an internal error and 130 for Ctrl-C). */
export const EXIT_OK = 0;
export const EXIT_EXPECTATION = 1;
export const EXIT_BAD_INPUT = 2;
export const EXIT_INTERNAL = 3;
/** Exit code after Ctrl-C (128 + SIGINT), as shells expect. */
export const EXIT_INTERRUPTED = 130;

/** Where the CLI writes: injectable so tests can capture it. */
export interface Io {
  out(text: string): void;
  err(text: string): void;
  /** The stream a progress bar may draw on (stderr); drawn only when it is a TTY. Absent: no bar. */
  readonly progress?: ProgressStream;
}

/**
 * `text` with every control character but newline and tab shown as a
 * visible escape (`\x1b`, `\x07`): text from a scenario file (a story, a
 * name in a message) cannot move the cursor, recolour or retitle the
 * terminal, or ring its bell.
 */
export function neutralizeControls(text: string): string {
  return text.replace(/[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/g, (c) => `\\x${c.charCodeAt(0).toString(16).padStart(2, '0')}`);
}

/** The process's stdout and stderr; control characters from files are neutralized ({@link neutralizeControls}). */
export const processIo: Io = {
  out: (t) => void process.stdout.write(neutralizeControls(t)),
  err: (t) => void process.stderr.write(neutralizeControls(t)),
  progress: process.stderr,
};
