/**
 * The hedging decisions against gRPC's hedgingPolicy (gRFC A6): copies go
 * out hedgingDelay apart up to maxAttempts; a non-fatal status sends the
 * next copy at once; any other status, or the last copy out failing, ends
 * the call.
 */
import { describe, expect, it } from 'vitest';
import { HEDGE_FAIL, HEDGE_SEND, HEDGE_WAIT, HedgePlan } from '../../../sim/engine/model/hedge.js';
import { FAIL_ERROR, FAIL_REJECTED, FAIL_TIMEOUT } from '../../../sim/engine/model/retry.js';

describe('HedgePlan', () => {
  it('sends copies delay apart, up to attempts in all, then arms no timer', () => {
    const h = new HedgePlan({ attempts: 3, delay: 0.05, nonFatal: [] });
    const c = h.open(7, 2);
    expect(h.sendOne(c, 1)).toBe(0);
    expect(c.dueAt).toBeCloseTo(1.05, 12);
    expect(h.sendOne(c, 1.05)).toBe(1);
    expect(c.dueAt).toBeCloseTo(1.1, 12);
    expect(h.sendOne(c, 1.1)).toBe(2);
    expect(c.dueAt).toBe(Infinity);
    expect(c.out).toBe(3);
  });

  it('ends the call on any failure when no kind is non-fatal (gRPC: nonFatalStatusCodes empty)', () => {
    const h = new HedgePlan({ attempts: 3, delay: 1, nonFatal: [] });
    const c = h.open(0, 0);
    h.sendOne(c, 0);
    h.sendOne(c, 1);
    expect(h.afterFailure(c, 0, FAIL_ERROR)).toBe(HEDGE_FAIL);
    expect(c.out).toBe(1);
  });

  it('sends the next copy at once after a non-fatal failure, and waits for the others once none is left', () => {
    const h = new HedgePlan({ attempts: 2, delay: 1, nonFatal: ['error'] });
    const c = h.open(0, 0);
    h.sendOne(c, 0);
    expect(h.afterFailure(c, 0, FAIL_ERROR)).toBe(HEDGE_SEND);
    h.sendOne(c, 0.2);
    expect(c.sent).toBe(2);
    expect(h.afterFailure(c, 1, FAIL_ERROR)).toBe(HEDGE_FAIL);
  });

  it('waits while a copy is still out after the last one sent failed non-fatally', () => {
    const h = new HedgePlan({ attempts: 2, delay: 0, nonFatal: ['timeout', 'rejected'] });
    const c = h.open(0, 0);
    h.sendOne(c, 0);
    h.sendOne(c, 0);
    expect(h.afterFailure(c, 1, FAIL_REJECTED)).toBe(HEDGE_WAIT);
    expect(h.afterFailure(c, 0, FAIL_TIMEOUT)).toBe(HEDGE_FAIL);
    expect(c.kids).toEqual([-1, -1]);
  });

  it('knows a call only at the generation it began with', () => {
    const h = new HedgePlan({ attempts: 2, delay: 0, nonFatal: [] });
    h.open(3, 5);
    expect(h.get(3, 5)).toBeDefined();
    expect(h.get(3, 6)).toBeUndefined();
    h.close(3);
    expect(h.get(3, 5)).toBeUndefined();
    expect(h.size).toBe(0);
  });
});
