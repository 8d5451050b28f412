/**
 * Circuit breaker with resilience4j's CircuitBreaker semantics (the
 * CircuitBreakerStateMachine of resilience4j 1.x/2.x, automatic open → half-open
 * transition off, which is its default).
 *
 * Knob mapping (resilience4j → `Breaker` field):
 *   failureRateThreshold (percent)            failureRate (0..1)
 *   slowCallRateThreshold (percent)           slowCall.rate (0..1); `slowCall: null` = never opens on slowness
 *   slowCallDurationThreshold                 slowCall.over (seconds); a call is slow when duration > over
 *   slidingWindowType COUNT_BASED | TIME_BASED  window.kind 'count' | 'time'
 *   slidingWindowSize (calls | seconds)       window.size (calls | seconds, rounded up to whole seconds)
 *   minimumNumberOfCalls                      minCalls
 *   waitDurationInOpenState                   openFor (seconds)
 *   permittedNumberOfCallsInHalfOpenState     halfOpenCalls
 * Not modelled: ignore/record exception predicates (every failure counts),
 * maxWaitDurationInHalfOpenState (0 = wait for the probes forever), forced/disabled states.
 *
 * Behaviour, as in resilience4j:
 * - Closed: every call is permitted. Each result goes into the sliding window; once it
 *   holds at least minCalls results (for a count window, min(minCalls, size)), the
 *   breaker opens when failures/total >= failureRate or slow/total >= slowCall.rate.
 *   A failed call that is also slow counts in both rates.
 * - Count window: the last `size` results (ring buffer, subtract on evict).
 *   Time window: `size` one-second buckets; the head bucket aggregates the current
 *   whole second of simulated time, the others the previous size − 1 seconds.
 * - Open: calls are refused until the wait has elapsed (strictly: now > openedAt + openFor,
 *   like resilience4j's `Instant.isAfter`). The first call after that moves the breaker
 *   to half-open — lazily, there is no timer — and takes one of its permits.
 * - Half-open: at most halfOpenCalls permits; the results are judged in a fresh count
 *   window of halfOpenCalls, once min(minCalls, halfOpenCalls) of them are in: open again
 *   when a threshold is reached, closed (with an empty window) otherwise.
 *
 * Results of calls acquired in an earlier state: resilience4j hands every result to the
 * state current at the time the result arrives, whatever state the call was permitted in.
 * - Arriving while open: resilience4j records them into the open state's metrics but never
 *   evaluates them, and half-open starts from fresh metrics, so they change nothing. Here
 *   they are dropped.
 * - Arriving while half-open (e.g. a slow closed-state call): counted as a probe result.
 * - Arriving after the breaker closed (e.g. a late probe): counted in the new closed window.
 */
import type { Breaker } from '../../scenario/types.js';

/** The three states of resilience4j's breaker that loopsim models. */
export type BreakerStateName = 'closed' | 'open' | 'half-open';

const FAILED = 1;
const SLOW = 2;

/** A resilience4j-style circuit breaker for one caller → callee edge. Pure: time comes in as `now`. */
export class CircuitBreaker {
  private current: BreakerStateName = 'closed';
  private readonly spec: Breaker;
  private readonly timeBased: boolean;
  /** Count window: outcome bits per slot. Time window: unused (length 0). */
  private readonly outcomes: Uint8Array;
  /** Time window: per-second bucket counts (calls, failed, slow). Count window: unused. */
  private readonly bucketCalls: Int32Array;
  private readonly bucketFailed: Int32Array;
  private readonly bucketSlow: Int32Array;
  private readonly size: number;
  private readonly minClosed: number;
  private readonly minHalfOpen: number;
  private next = 0;
  private headSecond = 0;
  private total = 0;
  private failed = 0;
  private slow = 0;
  private reopenAt = 0;
  private permits = 0;
  private changes = 0;
  private changedAt = 0;

  constructor(spec: Breaker) {
    this.spec = spec;
    this.timeBased = spec.window.kind === 'time';
    this.size = Math.max(1, Math.ceil(spec.window.size));
    this.outcomes = new Uint8Array(this.timeBased ? 0 : this.size);
    const buckets = this.timeBased ? this.size : 0;
    this.bucketCalls = new Int32Array(buckets);
    this.bucketFailed = new Int32Array(buckets);
    this.bucketSlow = new Int32Array(buckets);
    // resilience4j caps minimumNumberOfCalls at the size of a count window (half-open's included).
    this.minClosed = Math.max(1, this.timeBased ? spec.minCalls : Math.min(spec.minCalls, this.size));
    this.minHalfOpen = Math.max(1, Math.min(spec.minCalls, spec.halfOpenCalls));
  }

  /** Current state as resilience4j's getState() reports it: open stays open until a call arrives after the wait. */
  get state(): BreakerStateName {
    return this.current;
  }

  /** Number of state changes so far (closed→open, open→half-open, half-open→closed|open). */
  get transitions(): number {
    return this.changes;
  }

  /** Simulated time of the last state change (0 before any). */
  get lastTransitionAt(): number {
    return this.changedAt;
  }

  /** While open: the first call strictly after this time is let through as a probe. */
  get halfOpenFrom(): number {
    return this.reopenAt;
  }

  /**
   * Asks to send one call at `now` (resilience4j tryAcquirePermission). Closed: true.
   * Open: false until the wait has elapsed, then half-open. Half-open: true while
   * permits remain (each call takes one), false beyond.
   */
  tryAcquire(now: number): boolean {
    switch (this.current) {
      case 'closed':
        return true;
      case 'open':
        if (!(now > this.reopenAt)) return false;
        this.enterHalfOpen(now);
        return this.takePermit();
      case 'half-open':
        return this.takePermit();
    }
  }

  /**
   * Gives back a half-open permit whose call produced no result (resilience4j
   * releasePermission, used for ignored outcomes). A no-op in other states.
   */
  releasePermission(): void {
    if (this.current === 'half-open' && this.permits < this.spec.halfOpenCalls) this.permits++;
  }

  /**
   * Records the result of a call at `now`: its duration in seconds and whether it failed
   * (errors and timeouts alike). May open, close or re-open the breaker.
   */
  onResult(now: number, durationSeconds: number, failed: boolean): void {
    if (this.current === 'open') return;
    const sc = this.spec.slowCall;
    const bits = (failed ? FAILED : 0) | (sc !== null && durationSeconds > sc.over ? SLOW : 0);
    if (this.current === 'half-open') {
      this.add(bits);
      if (this.total >= this.minHalfOpen) {
        if (this.exceeded()) this.enterOpen(now);
        else this.enterClosed(now);
      }
      return;
    }
    if (this.timeBased) this.recordTimed(now, bits);
    else this.recordCounted(bits);
    if (this.total >= this.minClosed && this.exceeded()) this.enterOpen(now);
  }

  /**
   * Value of the `breaker` metric at `now`: 0 closed, 0.5 half-open, 1 open. An open
   * breaker whose wait has elapsed reads 0.5 — the state the next call will find — even
   * before a call has moved it there.
   */
  stateValue(now: number): 0 | 0.5 | 1 {
    switch (this.current) {
      case 'closed':
        return 0;
      case 'half-open':
        return 0.5;
      case 'open':
        return now > this.reopenAt ? 0.5 : 1;
    }
  }

  private exceeded(): boolean {
    const n = this.total;
    // Compare counts rather than rates so 10 of 20 meets a 0.5 threshold exactly.
    if (this.failed >= this.spec.failureRate * n - 1e-9) return true;
    const sc = this.spec.slowCall;
    return sc !== null && this.slow >= sc.rate * n - 1e-9;
  }

  private add(bits: number): void {
    this.total++;
    if (bits & FAILED) this.failed++;
    if (bits & SLOW) this.slow++;
  }

  private recordCounted(bits: number): void {
    const i = this.next;
    if (this.total === this.size) {
      const old = this.outcomes[i] as number;
      this.total--;
      if (old & FAILED) this.failed--;
      if (old & SLOW) this.slow--;
    }
    this.outcomes[i] = bits;
    this.next = i + 1 === this.size ? 0 : i + 1;
    this.add(bits);
  }

  private recordTimed(now: number, bits: number): void {
    const sec = Math.floor(now);
    if (sec > this.headSecond) {
      // Evict the buckets of the seconds the window slid past (at most all of them).
      const from = Math.max(this.headSecond + 1, sec - this.size + 1);
      for (let s = from; s <= sec; s++) {
        const j = s % this.size;
        this.total -= this.bucketCalls[j] as number;
        this.failed -= this.bucketFailed[j] as number;
        this.slow -= this.bucketSlow[j] as number;
        this.bucketCalls[j] = 0;
        this.bucketFailed[j] = 0;
        this.bucketSlow[j] = 0;
      }
      this.headSecond = sec;
    }
    // A result stamped before the head (time never runs backwards in the engine) joins the head bucket.
    const j = this.headSecond % this.size;
    this.bucketCalls[j] = (this.bucketCalls[j] as number) + 1;
    if (bits & FAILED) this.bucketFailed[j] = (this.bucketFailed[j] as number) + 1;
    if (bits & SLOW) this.bucketSlow[j] = (this.bucketSlow[j] as number) + 1;
    this.add(bits);
  }

  private takePermit(): boolean {
    if (this.permits <= 0) return false;
    this.permits--;
    return true;
  }

  private clearCounts(): void {
    this.total = 0;
    this.failed = 0;
    this.slow = 0;
  }

  private transition(now: number, to: BreakerStateName): void {
    this.current = to;
    this.changes++;
    this.changedAt = now;
  }

  private enterOpen(now: number): void {
    this.reopenAt = now + this.spec.openFor;
    this.transition(now, 'open');
  }

  private enterHalfOpen(now: number): void {
    // Half-open judges its probes in a fresh window of its own.
    this.clearCounts();
    this.permits = this.spec.halfOpenCalls;
    this.transition(now, 'half-open');
  }

  private enterClosed(now: number): void {
    // resilience4j builds a new ClosedState, hence an empty sliding window.
    this.clearCounts();
    this.outcomes.fill(0);
    this.bucketCalls.fill(0);
    this.bucketFailed.fill(0);
    this.bucketSlow.fill(0);
    this.next = 0;
    this.headSecond = Math.floor(now);
    this.transition(now, 'closed');
  }
}
