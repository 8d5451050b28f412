/**
 * Controlled-delay queue management for server request queues, as Facebook
 * describes it in "Fail at Scale" (Ben Maurer, ACM Queue, 2015) — not the
 * packet CoDel of Nichols and Jacobson, whose drop interval shrinks with
 * √(drop count).
 *
 * The rule: a queue that has not been empty at any time during the last
 * `interval` is standing, not absorbing a burst, so a request may wait at most
 * `target` in it; a queue that was empty within the last `interval` lets a
 * request wait up to `interval`. Facebook's numbers: target (their M) = 5 ms,
 * interval (their N) = 100 ms.
 *
 * Knob mapping (article → `QueueDiscipline` codel fields):
 *   M, the queue timeout under standing congestion   target (seconds)
 *   N, the look-back window and the normal timeout    interval (seconds)
 *
 * The article assigns the timeout when a request is enqueued; here it is judged
 * at dequeue (`shouldDrop`), with the state of the queue at that moment, which
 * also sheds requests that arrived just before a standing queue formed. A
 * caller who wants the article's enqueue-time stamp can read `queueTimeout(now)`
 * on enqueue and compare the wait against it itself.
 *
 * Same article, "adaptive LIFO": while `isCongested`, serve the newest request
 * first (it is the one whose caller is most likely still waiting); FIFO otherwise.
 * Switching is the lead's business; this class only answers the question.
 */

/** CoDel state of one instance's waiting queue. Pure: time comes in as `now`. */
export class CoDelQueueState {
  /** Longest wait allowed while congested (seconds). */
  readonly target: number;
  /** Look-back window, and the longest wait allowed otherwise (seconds). */
  readonly interval: number;
  /** Last time the waiting queue was seen empty; −Infinity before any request. */
  private lastEmpty = -Infinity;
  private empty = true;

  constructor(target: number, interval: number) {
    this.target = target;
    this.interval = interval;
  }

  /** A request joins the waiting queue at `now`; `queueLengthBefore` is its length just before. */
  onEnqueue(now: number, queueLengthBefore: number): void {
    // The queue was empty up to this very moment.
    if (queueLengthBefore === 0) this.lastEmpty = now;
    this.empty = false;
  }

  /** The waiting queue became empty at `now` (last request dequeued or dropped). */
  onEmpty(now: number): void {
    this.lastEmpty = now;
    this.empty = true;
  }

  /** True when the queue has not been empty at any time in the last `interval` (before `now`). */
  isCongested(now: number): boolean {
    return !this.empty && this.lastEmpty < now - this.interval;
  }

  /** Longest wait a request may have at `now`: `target` when congested, else `interval`. */
  queueTimeout(now: number): number {
    return this.isCongested(now) ? this.target : this.interval;
  }

  /**
   * At dequeue: should a request that waited `waitedSeconds` be dropped instead of served?
   * True when it waited longer than `queueTimeout(now)`.
   */
  shouldDrop(now: number, waitedSeconds: number): boolean {
    return waitedSeconds > this.queueTimeout(now);
  }
}
