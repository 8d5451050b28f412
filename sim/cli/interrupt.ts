/**
 * Ctrl-C as an orderly stop, for every command that runs scenarios: while
 * it runs, SIGINT aborts a signal instead of killing the process; the command
 * stops at its next yield, keeps what finished, writes nothing half done,
 * says what was interrupted and exits 130 (EXIT_INTERRUPTED). The handler is
 * installed only while the runs go on: anywhere else Ctrl-C kills as usual.
 */
import { SLICE_EVENTS, type RunStepper } from '../engine/run.js';

/** A Ctrl-C handler in force until {@link Interrupt.release}. */
export interface Interrupt {
  /** Aborted by Ctrl-C, or when the outer signal aborts. */
  readonly signal: AbortSignal;
  /** Removes the handler (Ctrl-C kills again). Idempotent. */
  release(): void;
}

/**
 * Starts turning Ctrl-C (SIGINT) into an abort of the returned signal; an
 * `outer` signal (tests, embedding) stops it the same way. A second Ctrl-C
 * after the first is not caught and kills the process.
 */
export function catchInterrupt(outer?: AbortSignal): Interrupt {
  const stop = new AbortController();
  const abort = (): void => stop.abort();
  process.once('SIGINT', abort);
  outer?.addEventListener('abort', abort, { once: true });
  if (outer?.aborted) stop.abort();
  return {
    signal: stop.signal,
    release() {
      process.off('SIGINT', abort);
      outer?.removeEventListener('abort', abort);
    },
  };
}

/** Lets pending events (a SIGINT handler, timers, I/O) run before going on. */
export function yieldToEvents(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}

/**
 * Steps `stepper` to the end of its run in slices of SLICE_EVENTS events,
 * yielding to the event loop between slices, and stops before the next slice
 * once `signal` is aborted. Resolves to true when the run reached its end
 * (call `finish()`), false when it was stopped. Throws what `advance` throws.
 */
export async function stepInSlices(stepper: RunStepper, signal?: AbortSignal): Promise<boolean> {
  for (;;) {
    if (signal?.aborted) return false;
    if (!stepper.advance(SLICE_EVENTS)) return true;
    await yieldToEvents();
  }
}
