/**
 * A faulty network link on one call edge (the `link` fault), in the manner of
 * Linux netem's `delay` and `loss` and of a Chaos Mesh partition: while a
 * window is open, every message on the edge (each request, and each response
 * coming back) gets `delay` on top of its one-way network delay, and is lost
 * with chance `loss` (1 in a partition). A message's fate is decided when it
 * is sent; one already on the wire when a window opens or closes keeps it.
 * A lost message never arrives: the caller learns of it only by its timeout,
 * and without a timeout it waits for good.
 *
 * {@link LinkDraw} stands in for the edge's network delay (it has the same
 * `zero` and `next()`), and is made only for an edge that some link fault
 * names, so an edge without one draws its delays exactly as before.
 */
import type { Alea } from '../rng.js';
import type { Draw } from './dist.js';

/**
 * What {@link LinkDraw.next} returns for a message the link loses: it never
 * arrives. Positive, so the sender tests for it only on its path for a delay
 * above 0, and finite, so that it is never mistaken for an infinite draw of a
 * heavy-tailed network delay (which is scheduled, and never pops, as before).
 */
export const LOST = Number.MAX_VALUE;

/** One-way delays of an edge whose link a fault can break. */
export class LinkDraw {
  /** Never 0 for sure: `next()` must run so that a loss can be drawn. */
  readonly zero: boolean = false;
  /** Seconds added to each message while the faults now open hold. */
  delay = 0;
  /** Chance that a message is lost while the faults now open hold. */
  loss = 0;
  private readonly base: Draw;
  private readonly lossDraw: Alea;

  /** `base` is the edge's own network delay; `lossDraw` a stream of its own, used only while `loss` is above 0. */
  constructor(base: Draw, lossDraw: Alea) {
    this.base = base;
    this.lossDraw = lossDraw;
  }

  /** Sets the combined effect of the link faults open now. */
  set(delay: number, loss: number): void {
    this.delay = delay;
    this.loss = loss;
  }

  /**
   * The one-way delay of a message sent now, in seconds, or {@link LOST}. The
   * base delay is drawn either way, so that the edge's network stream stays
   * in step with a run without the fault.
   */
  next(): number {
    const d = this.base.zero === true ? 0 : this.base.next();
    const loss = this.loss;
    if (loss > 0 && (loss >= 1 || this.lossDraw.uniform() < loss)) return LOST;
    return d + this.delay;
  }
}

/** An edge's one-way network delay: its plain draw, or a {@link LinkDraw} when a link fault names it. */
export type NetworkDraw = Draw | LinkDraw;
