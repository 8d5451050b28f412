/**
 * The retry decision after a failed attempt, the same for a client's
 * operation and for a request's call: ask the policy (attempts left, a
 * failure kind it retries on, the budget) for the sleep before the next
 * attempt, remember it (decorrelated jitter grows from it), and schedule
 * the retry, unless it is due now or the failure is final: those the
 * caller acts on, since what "send again" and "give up" mean is its own.
 */
import type { RetryPolicy } from '../../scenario/types.js';
import { nextRetrySleep, type Retrier } from '../model/retry.js';
import type { EngineState } from '../state.js';

/** What {@link retryAfterFailure} decided. */
export const GIVE_UP = -1;
export const RETRY_NOW = 0;
export const RETRY_SCHEDULED = 1;

/**
 * After `tries` attempts of record `id` (an operation or a request), the
 * last of which failed with `fail`: stores the sleep before the next one
 * in `sleeps[id]` and, when it is positive, schedules event `kind` for
 * (`id`, `gen`) after it. Returns {@link RETRY_SCHEDULED}, {@link RETRY_NOW}
 * (no sleep: the caller sends at once) or {@link GIVE_UP} (nothing stored).
 */
export function retryAfterFailure(
  eng: EngineState,
  policy: RetryPolicy | null,
  who: Retrier,
  tries: number,
  fail: number,
  sleeps: Float64Array,
  id: number,
  gen: number,
  kind: number,
): number {
  const now = eng.q.now;
  const d = nextRetrySleep(policy, who, tries, fail, sleeps[id]!, now);
  if (d < 0) return GIVE_UP;
  sleeps[id] = d;
  if (d === 0) return RETRY_NOW;
  eng.q.push(now + d, kind, id, gen);
  return RETRY_SCHEDULED;
}
