/**
 * Hedged requests on a call, as gRPC's hedgingPolicy (gRFC A6): the first
 * copy goes out at once and another after each `delay` without an answer, up
 * to `attempts` copies in all. The first success wins and the copies still
 * out are cancelled. A copy that fails with a non-fatal kind sends the next
 * copy at once (its delay cut short); any other failure ends the call. When
 * every copy has been sent and the last one out fails, the call fails.
 *
 * This file holds the decisions and the record of each hedged call in
 * progress; the handlers (handlers/calls.ts) send, time and cancel the copies.
 */
import type { Hedge } from '../../scenario/types.js';
import { retryOnMask } from './retry.js';

/** What {@link HedgePlan.afterFailure} decided. */
export const HEDGE_SEND = 0;
export const HEDGE_WAIT = 1;
export const HEDGE_FAIL = 2;
/** A copy succeeded: the call is won (not an answer of afterFailure). */
export const HEDGE_WON = 3;

/** One hedged call in progress, made by one calling request. */
export interface HedgedCall {
  /** The calling request's generation when the call began. */
  readonly gen: number;
  /** Copies sent so far (a copy the breaker refused counts: it was tried). */
  sent: number;
  /** Copies sent whose answer has not come back. */
  out: number;
  /** When the next copy is due without an answer; `Infinity` when none is left to send. */
  dueAt: number;
  /** Per copy, in the order sent: its request id, or -1 once it answered (or never went on the wire). */
  readonly kids: number[];
  /** Per copy: its request's generation when sent. */
  readonly kidGens: number[];
}

/** A call's hedging policy and its hedged calls in progress, by calling request. */
export class HedgePlan {
  /** Copies in all, the first included. */
  readonly attempts: number;
  /** Seconds without an answer before the next copy. */
  readonly delay: number;
  /** The failure kinds that send the next copy at once (bit = 1 << FAIL_*, as a retry's `on`). */
  readonly nonFatalMask: number;
  private readonly calls = new Map<number, HedgedCall>();

  constructor(spec: Hedge) {
    this.attempts = spec.attempts;
    this.delay = spec.delay;
    this.nonFatalMask = retryOnMask(spec.nonFatal);
  }

  /** Hedged calls in progress. */
  get size(): number {
    return this.calls.size;
  }

  /** Request `parent` (generation `gen`) begins a hedged call: its record, no copy sent yet. */
  open(parent: number, gen: number): HedgedCall {
    const c: HedgedCall = { gen, sent: 0, out: 0, dueAt: Infinity, kids: [], kidGens: [] };
    this.calls.set(parent, c);
    return c;
  }

  /** The hedged call in progress of request `parent` at generation `gen`, if there is one. */
  get(parent: number, gen: number): HedgedCall | undefined {
    const c = this.calls.get(parent);
    return c !== undefined && c.gen === gen ? c : undefined;
  }

  /** Forgets `parent`'s hedged call (decided: won, or failed for good). */
  close(parent: number): void {
    this.calls.delete(parent);
  }

  /**
   * Notes a copy going out at time `now` (its number is `c.sent` before the
   * call) and sets when the next one is due: `now + delay`, or `Infinity`
   * when this was the last. Returns the copy's number, from 0.
   */
  sendOne(c: HedgedCall, now: number): number {
    const copy = c.sent++;
    c.out++;
    c.kids.push(-1);
    c.kidGens.push(0);
    c.dueAt = c.sent < this.attempts ? now + this.delay : Infinity;
    return copy;
  }

  /**
   * Copy `copy` of `c` answered with failure kind `fail` (FAIL_*): send the
   * next copy at once (a non-fatal kind with copies left), wait for those
   * still out (non-fatal, none left to send), or fail the call (a fatal kind,
   * or nothing left out or to send).
   */
  afterFailure(c: HedgedCall, copy: number, fail: number): number {
    this.answered(c, copy);
    if ((this.nonFatalMask & (1 << fail)) === 0) return HEDGE_FAIL;
    if (c.sent < this.attempts) return HEDGE_SEND;
    return c.out > 0 ? HEDGE_WAIT : HEDGE_FAIL;
  }

  /** Copy `copy` of `c` answered (success or failure): it is no longer out. */
  answered(c: HedgedCall, copy: number): void {
    c.kids[copy] = -1;
    c.out--;
  }
}
