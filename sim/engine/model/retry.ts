/**
 * Retry policy arithmetic: the delay before each retry (backoff, then jitter)
 * and the retry budget. Pure functions of their inputs and the jitter stream.
 *
 * Backoff before retry n (n = 1 for the first retry):
 *   none         0
 *   constant     base
 *   exponential  min(cap, base x 2^(n-1))
 * Jitter, as in the AWS Architecture Blog's "Exponential Backoff and Jitter"
 * (with d the backoff above):
 *   none          d
 *   full          uniform(0, d)
 *   equal         d/2 + uniform(0, d/2)
 *   decorrelated  min(cap, uniform(base, 3 x previous sleep)), previous sleep starting at base
 */
import type { Backoff, Jitter, RetryBudget as BudgetSpec, RetryOn, RetryPolicy } from '../../scenario/types.js';
import type { Stream } from '../rng.js';

/** Outcome of a failed attempt, as a retry policy sees it. */
export const FAIL_TIMEOUT = 1;
export const FAIL_ERROR = 2;
export const FAIL_REJECTED = 3;

/** Bit set of the failure kinds a policy retries on (bit = 1 << FAIL_*). */
export function retryOnMask(on: readonly RetryOn[]): number {
  let m = 0;
  for (const k of on) m |= 1 << (k === 'timeout' ? FAIL_TIMEOUT : k === 'error' ? FAIL_ERROR : FAIL_REJECTED);
  return m;
}

/** Backoff before retry `n` (n >= 1), before jitter, in seconds. */
export function backoffDelay(b: Backoff, n: number): number {
  switch (b.kind) {
    case 'none':
      return 0;
    case 'constant':
      return b.base;
    case 'exponential':
      // 2^(n-1) overflows to Infinity for huge n; min() with cap keeps it finite.
      return Math.min(b.cap, b.base * Math.pow(2, n - 1));
  }
}

/**
 * Sleep before retry `n`, jitter applied. `prevSleep` is the previous sleep of
 * this operation (decorrelated jitter only; pass 0 before the first retry).
 */
export function retryDelay(policy: RetryPolicy, n: number, prevSleep: number, u: Stream): number {
  const b = policy.backoff;
  const d = backoffDelay(b, n);
  return applyJitter(policy.jitter, b, d, prevSleep, u);
}

/** What a caller that retries carries beside its policy (a client, or a call edge). */
export interface Retrier {
  /** The failure kinds its policy retries on (see {@link retryOnMask}). */
  readonly retryMask: number;
  readonly budget: RetryBudget | null;
  readonly jitterStream: Stream;
}

/** Whether `policy` can ever send a second attempt (nextRetrySleep is -1 for every failure otherwise). */
export function mayRetry(policy: RetryPolicy | null): boolean {
  return policy !== null && policy.attempts > 1;
}

/**
 * Whether `policy` can ever sleep before a retry: it retries and backs off.
 * Only then do a client and an edge record how many operations or calls
 * wait out a backoff (`retry.waiting`), a stock that holds work.
 */
export function mayBackOff(policy: RetryPolicy | null): boolean {
  return policy !== null && policy.attempts > 1 && policy.backoff.kind !== 'none';
}

/**
 * The sleep before retrying, after `tries` attempts of which the last failed
 * with `fail`, or -1 when that failure is final: no policy, the attempts used
 * up, a kind the policy does not retry on, or the budget refusing. The budget
 * is asked last, so a withdrawal is made only for a retry that happens.
 */
export function nextRetrySleep(
  policy: RetryPolicy | null,
  r: Retrier,
  tries: number,
  fail: number,
  prevSleep: number,
  now: number,
): number {
  if (policy === null || tries >= policy.attempts || (r.retryMask & (1 << fail)) === 0) return -1;
  if (r.budget !== null && !r.budget.tryWithdraw(now)) return -1;
  return retryDelay(policy, tries, prevSleep, r.jitterStream);
}

function applyJitter(j: Jitter, b: Backoff, d: number, prevSleep: number, u: Stream): number {
  switch (j) {
    case 'none':
      return d;
    case 'full':
      return u() * d;
    case 'equal':
      return d / 2 + (u() * d) / 2;
    case 'decorrelated': {
      if (b.kind === 'none') return 0;
      const base = b.base;
      const cap = b.kind === 'exponential' ? b.cap : Infinity;
      const prev = prevSleep > 0 ? prevSleep : base;
      return Math.min(cap, base + u() * (prev * 3 - base));
    }
  }
}

const BUDGET_SLOTS = 10;

/**
 * Finagle's RetryBudget over a trailing window: a retry is allowed when
 * retries + 1 <= ratio x first attempts + minPerSecond x window, all counted
 * over the last `window` seconds. The window slides in ten slots (as Finagle's
 * WindowedAdder does), so counts age out in steps of window/10.
 */
export class RetryBudget {
  private readonly firsts = new Float64Array(BUDGET_SLOTS);
  private readonly retries = new Float64Array(BUDGET_SLOTS);
  private readonly slotWidth: number;
  private slot = 0;
  private firstSum = 0;
  private retrySum = 0;

  private readonly spec: BudgetSpec;

  constructor(spec: BudgetSpec) {
    this.spec = spec;
    this.slotWidth = spec.window / BUDGET_SLOTS;
  }

  /** Records a first attempt (a deposit) at time `now`. */
  deposit(now: number): void {
    const i = this.advance(now);
    this.firsts[i] = (this.firsts[i] as number) + 1;
    this.firstSum++;
  }

  /** Asks for one retry at `now`; records and returns true when the budget allows it. */
  tryWithdraw(now: number): boolean {
    const i = this.advance(now);
    const allowed = this.spec.ratio * this.firstSum + this.spec.minPerSecond * this.spec.window;
    if (this.retrySum + 1 > allowed + 1e-9) return false;
    this.retries[i] = (this.retries[i] as number) + 1;
    this.retrySum++;
    return true;
  }

  private advance(now: number): number {
    const target = this.slotWidth > 0 ? Math.floor(now / this.slotWidth) : 0;
    // Clear every slot the window has slid past (at most all of them).
    const steps = Math.min(target - this.slot, BUDGET_SLOTS);
    for (let k = 1; k <= steps; k++) {
      const j = (this.slot + k) % BUDGET_SLOTS;
      this.firstSum -= this.firsts[j] as number;
      this.retrySum -= this.retries[j] as number;
      this.firsts[j] = 0;
      this.retries[j] = 0;
    }
    if (target > this.slot) this.slot = target;
    return this.slot % BUDGET_SLOTS;
  }
}
