import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  backoffDelay,
  FAIL_ERROR,
  FAIL_TIMEOUT,
  mayRetry,
  nextRetrySleep,
  RetryBudget,
  retryDelay,
  retryOnMask,
} from '../../../sim/engine/model/retry.js';
import { createStream } from '../../../sim/engine/rng.js';
import { retry } from '../../helpers/build.js';

const expo = { kind: 'exponential', base: 0.1, cap: 2 } as const;

describe('backoff before retry n', () => {
  it('none waits 0, constant waits base', () => {
    expect(backoffDelay({ kind: 'none' }, 3)).toBe(0);
    expect(backoffDelay({ kind: 'constant', base: 0.25 }, 1)).toBe(0.25);
    expect(backoffDelay({ kind: 'constant', base: 0.25 }, 7)).toBe(0.25);
  });

  it('exponential waits min(cap, base x 2^(n-1))', () => {
    expect([1, 2, 3, 4, 5, 6].map((n) => backoffDelay(expo, n))).toEqual([0.1, 0.2, 0.4, 0.8, 1.6, 2]);
    expect(backoffDelay(expo, 5000)).toBe(2);
  });
});

describe('jitter (AWS "Exponential Backoff and Jitter")', () => {
  it('none is the backoff itself', () => {
    const u = createStream(1, 't');
    expect(retryDelay(retry(5, { backoff: expo }), 3, 0, u)).toBe(0.4);
  });

  it('full is uniform on [0, d): mean d/2, never above d', () => {
    const u = createStream(1, 'full');
    const p = retry(5, { backoff: expo, jitter: 'full' });
    let sum = 0;
    for (let i = 0; i < 20000; i++) {
      const d = retryDelay(p, 3, 0, u);
      expect(d).toBeGreaterThanOrEqual(0);
      expect(d).toBeLessThan(0.4);
      sum += d;
    }
    // 20k uniforms: std error of the mean 0.4/sqrt(12 x 20000) = 0.0008.
    expect(sum / 20000).toBeCloseTo(0.2, 2);
  });

  it('equal is d/2 + uniform on [0, d/2): mean 3d/4', () => {
    const u = createStream(1, 'equal');
    const p = retry(5, { backoff: expo, jitter: 'equal' });
    let sum = 0;
    for (let i = 0; i < 20000; i++) {
      const d = retryDelay(p, 3, 0, u);
      expect(d).toBeGreaterThanOrEqual(0.2);
      expect(d).toBeLessThan(0.4);
      sum += d;
    }
    expect(sum / 20000).toBeCloseTo(0.3, 2);
  });

  it('decorrelated is min(cap, uniform(base, 3 x previous sleep)), starting from base', () => {
    const p = retry(5, { backoff: expo, jitter: 'decorrelated' });
    fc.assert(
      fc.property(fc.double({ min: 0, max: 5, noNaN: true }), fc.integer({ min: 1, max: 1000 }), (prev, seed) => {
        const d = retryDelay(p, 2, prev, createStream(seed, 'd'));
        const from = 0.1;
        const to = 3 * (prev > 0 ? prev : 0.1);
        expect(d).toBeLessThanOrEqual(2);
        expect(d).toBeGreaterThanOrEqual(Math.min(2, Math.min(from, to)) - 1e-12);
        expect(d).toBeLessThanOrEqual(Math.max(from, to) + 1e-12);
      }),
    );
  });
});

describe('retry budget (Finagle)', () => {
  it('allows ratio x first attempts + minPerSecond x window retries within the window', () => {
    const b = new RetryBudget({ ratio: 0.1, minPerSecond: 1, window: 10 });
    for (let i = 0; i < 100; i++) b.deposit(0.5);
    // 0.1 x 100 + 1 x 10 = 20 retries.
    let granted = 0;
    for (let i = 0; i < 50; i++) if (b.tryWithdraw(1)) granted++;
    expect(granted).toBe(20);
  });

  it('forgets deposits and withdrawals once they leave the trailing window', () => {
    const b = new RetryBudget({ ratio: 0.5, minPerSecond: 0, window: 10 });
    for (let i = 0; i < 10; i++) b.deposit(0);
    let granted = 0;
    for (let i = 0; i < 10; i++) if (b.tryWithdraw(0)) granted++;
    expect(granted).toBe(5);
    // Twenty seconds later nothing remains in the window: no deposits, so no retries.
    expect(b.tryWithdraw(20)).toBe(false);
    b.deposit(20);
    b.deposit(20);
    expect(b.tryWithdraw(20)).toBe(true);
    expect(b.tryWithdraw(20)).toBe(false);
  });
});

describe('whether a failed attempt is retried, and after how long', () => {
  const retrier = (budget: RetryBudget | null = null) => ({
    retryMask: retryOnMask(['timeout']),
    budget,
    jitterStream: createStream(1, 'test/next-retry'),
  });
  const constant = retry(3, { backoff: { kind: 'constant', base: 0.2 }, on: ['timeout'] });

  it('retries a kind the policy names, while attempts remain, after the backoff', () => {
    expect(nextRetrySleep(constant, retrier(), 1, FAIL_TIMEOUT, 0, 0)).toBe(0.2);
    expect(nextRetrySleep(constant, retrier(), 2, FAIL_TIMEOUT, 0, 0)).toBe(0.2);
  });

  it('gives -1 (final) without a policy, once the attempts are used up, or for a kind not retried on', () => {
    expect(nextRetrySleep(null, retrier(), 1, FAIL_TIMEOUT, 0, 0)).toBe(-1);
    expect(nextRetrySleep(constant, retrier(), 3, FAIL_TIMEOUT, 0, 0)).toBe(-1);
    expect(nextRetrySleep(constant, retrier(), 1, FAIL_ERROR, 0, 0)).toBe(-1);
  });

  it('a policy of one attempt, like none, never retries (mayRetry), whatever fails', () => {
    const once = retry(1, { on: ['timeout'] });
    expect([mayRetry(null), mayRetry(once), mayRetry(constant)]).toEqual([false, false, true]);
    for (const fail of [FAIL_TIMEOUT, FAIL_ERROR]) expect(nextRetrySleep(once, retrier(), 1, fail, 0, 0)).toBe(-1);
  });

  it('asks the budget last: a refused retry gives -1, a final failure spends nothing', () => {
    const budget = new RetryBudget({ ratio: 0, minPerSecond: 0.1, window: 10 }); // one retry in the window
    const r = retrier(budget);
    expect(nextRetrySleep(constant, r, 3, FAIL_TIMEOUT, 0, 1)).toBe(-1); // attempts used up: budget untouched
    expect(nextRetrySleep(constant, r, 1, FAIL_ERROR, 0, 1)).toBe(-1); // not retried on: budget untouched
    expect(nextRetrySleep(constant, r, 1, FAIL_TIMEOUT, 0, 1)).toBe(0.2); // the one retry
    expect(nextRetrySleep(constant, r, 1, FAIL_TIMEOUT, 0, 1)).toBe(-1); // budget spent
  });
});
