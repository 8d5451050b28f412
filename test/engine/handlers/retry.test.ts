/**
 * handlers/retry.ts: the one retry decision, for a client's operation and
 * for a call alike: give up (storing nothing), retry at once, or schedule
 * the retry after the sleep it stores for the next decision.
 */
import { describe, expect, it } from 'vitest';
import { GIVE_UP, RETRY_NOW, RETRY_SCHEDULED, retryAfterFailure } from '../../../sim/engine/handlers/retry.js';
import { FAIL_ERROR, FAIL_TIMEOUT } from '../../../sim/engine/model/retry.js';
import type { RetryPolicy } from '../../../sim/scenario/types.js';
import { poissonClient, retry, scenario, service } from '../../helpers/build.js';
import { drain, engineFor, setClock } from '../../helpers/engine.js';

const KIND = 42;

function decide(policy: RetryPolicy | null, tries: number, fail: number, prev = 0) {
  const { eng } = engineFor(scenario({ clients: [poissonClient('users', 'api', 1, { retry: policy })], services: [service('api')] }));
  setClock(eng, 10);
  const sleeps = new Float64Array(4).fill(prev);
  const decision = retryAfterFailure(eng, policy, eng.clients[0]!, tries, fail, sleeps, 2, 7, KIND);
  return { decision, sleeps: [...sleeps], events: drain(eng) };
}

describe('retryAfterFailure', () => {
  it('gives up without a policy, with the attempts used up, or on a failure the policy does not retry on, storing nothing', () => {
    expect(decide(null, 1, FAIL_ERROR, 0.5)).toEqual({ decision: GIVE_UP, sleeps: [0.5, 0.5, 0.5, 0.5], events: [] });
    expect(decide(retry(2), 2, FAIL_ERROR).decision).toBe(GIVE_UP);
    expect(decide(retry(3, { on: ['timeout'] }), 1, FAIL_ERROR).decision).toBe(GIVE_UP);
  });

  it('retries at once when there is no backoff, storing the zero sleep', () => {
    expect(decide(retry(3, { on: ['timeout'] }), 1, FAIL_TIMEOUT, 0.5)).toEqual({
      decision: RETRY_NOW,
      sleeps: [0.5, 0.5, 0, 0.5],
      events: [],
    });
  });

  it('schedules the retry for the record and its generation after the backoff, and stores the sleep', () => {
    const r = decide(retry(3, { backoff: { kind: 'exponential', base: 0.1, cap: 10 } }), 2, FAIL_ERROR);
    expect(r.decision).toBe(RETRY_SCHEDULED);
    expect(r.sleeps[2]).toBeCloseTo(0.2, 12);
    expect(r.events).toEqual([{ time: 10 + r.sleeps[2]!, kind: KIND, a: 2, b: 7 }]);
  });

  it('gives up when the budget refuses', () => {
    const budget = { ratio: 0, minPerSecond: 0, window: 10 };
    expect(decide(retry(3, { budget }), 1, FAIL_ERROR).decision).toBe(GIVE_UP);
  });
});
