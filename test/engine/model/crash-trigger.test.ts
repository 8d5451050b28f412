/**
 * The crash trigger's bookkeeping (model/crash-trigger.ts), by hand: the
 * crash is due `sustained` after the load first rose above the threshold; a
 * dip to the threshold cancels it; a timer fires only at the time that still
 * stands; `queue` counts waiters only.
 */
import { describe, expect, it } from 'vitest';
import { CrashWatch } from '../../../sim/engine/model/crash-trigger.js';
import type { CrashTrigger } from '../../../sim/scenario/types.js';

const watch = (over: Partial<CrashTrigger> = {}): CrashWatch =>
  new CrashWatch({ measure: 'inflight', above: 5, sustained: 10, for: 30, ...over });

describe('CrashWatch', () => {
  it('is due sustained seconds after the load first goes above the threshold, not at it', () => {
    const w = watch();
    expect(w.observe(0, 5, 1)).toBe(-1);
    expect(w.observe(0, 6, 2)).toBe(12);
    // Still above: the first rise stands, no new timer.
    expect(w.observe(0, 9, 3)).toBe(-1);
    expect(w.fires(0, 11.9)).toBe(false);
    expect(w.fires(0, 12)).toBe(true);
    // Fired once: the same time does not fire again.
    expect(w.fires(0, 12)).toBe(false);
  });

  it('cancels the crash on a dip to the threshold, and counts afresh from the next rise', () => {
    const w = watch();
    expect(w.observe(0, 6, 2)).toBe(12);
    expect(w.observe(0, 5, 8)).toBe(-1);
    expect(w.fires(0, 12)).toBe(false);
    expect(w.observe(0, 6, 9)).toBe(19);
    expect(w.fires(0, 19)).toBe(true);
  });

  it('keeps each replica apart, and forgets a replica that went down', () => {
    const w = watch({ sustained: 0 });
    expect(w.observe(0, 6, 1)).toBe(1);
    expect(w.observe(1, 6, 2)).toBe(2);
    w.forget(0);
    expect(w.fires(0, 1)).toBe(false);
    expect(w.fires(1, 2)).toBe(true);
  });

  it('measures in flight as waiting plus holding a worker, queue as waiting only', () => {
    expect(watch().loadOf(3, 4)).toBe(7);
    expect(watch({ measure: 'queue' }).loadOf(3, 4)).toBe(3);
  });
});
