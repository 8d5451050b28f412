/**
 * The state trigger that crashes a replica under load (a Kubernetes OOM kill
 * or liveness failure): a replica whose load, its requests in flight or in
 * its queue, stays above a threshold for `sustained` seconds without a dip to
 * it or below is killed, and restarts after `for` seconds.
 *
 * This is the bookkeeping only: for each replica, since when its load has
 * been above, and when that makes it crash. The engine tells it each new
 * level of a replica's load and sets a timer at the time it returns; when
 * the timer fires it asks whether that time still stands (a dip in between
 * cancels it, and a new rise sets another).
 */
import type { CrashTrigger } from '../../scenario/types.js';

/** The crash trigger of one service: per replica, the time it will crash unless its load dips first. */
export class CrashWatch {
  readonly spec: CrashTrigger;
  /** Per replica, when its load, above since then, makes it crash; Infinity while not above (or down). */
  private readonly due: number[] = [];

  constructor(spec: CrashTrigger) {
    this.spec = spec;
  }

  /** The load of a replica as the trigger measures it: `queued` waiting, `busy` holding a worker. */
  loadOf(queued: number, busy: number): number {
    return this.spec.measure === 'inflight' ? queued + busy : queued;
  }

  /**
   * Replica `inst`'s load is `load` at time `now`: returns the time it will
   * crash when the load just rose above the threshold (the caller sets a
   * timer for it), else -1. A load at or below the threshold cancels a
   * crash to come.
   */
  observe(inst: number, load: number, now: number): number {
    const due = this.due[inst] ?? Infinity;
    if (load <= this.spec.above) {
      if (due !== Infinity) this.due[inst] = Infinity;
      return -1;
    }
    if (due !== Infinity) return -1;
    const at = now + this.spec.sustained;
    this.due[inst] = at;
    return at;
  }

  /** Whether replica `inst` crashes now: a timer set for `now` still stands. Clears it. */
  fires(inst: number, now: number): boolean {
    if (this.due[inst] !== now) return false;
    this.due[inst] = Infinity;
    return true;
  }

  /** Replica `inst` went down (by this trigger or a crash fault): nothing is due until it is up and above again. */
  forget(inst: number): void {
    this.due[inst] = Infinity;
  }
}
