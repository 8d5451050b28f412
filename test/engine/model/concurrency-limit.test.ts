/** The AIMD limit's arithmetic, sample by sample, against Netflix concurrency-limits' AIMDLimit rules. */
import { describe, expect, it } from 'vitest';
import { AimdLimit } from '../../../sim/engine/model/concurrency-limit.js';
import type { ConcurrencyLimit } from '../../../sim/scenario/types.js';

const spec = (over: Partial<ConcurrencyLimit> = {}): ConcurrencyLimit => ({
  kind: 'aimd',
  initial: 10,
  min: 1,
  max: 12,
  backoff: 0.5,
  timeout: 1,
  ...over,
});

describe('AimdLimit', () => {
  it('admits while fewer than the limit are inside', () => {
    const l = new AimdLimit(spec());
    expect(l.admits(9)).toBe(true);
    expect(l.admits(10)).toBe(false);
  });

  it('adds one per answer on time while at least half the limit is inside, up to max', () => {
    const l = new AimdLimit(spec());
    expect(l.sample(0.1, 5, false)).toBe(true); // 5 x 2 >= 10
    expect(l.limit).toBe(11);
    expect(l.sample(0.1, 5, false)).toBe(false); // 5 x 2 < 11: a limit nobody uses does not grow
    expect(l.limit).toBe(11);
    l.sample(0.1, 6, false);
    expect(l.limit).toBe(12);
    expect(l.sample(0.1, 12, false)).toBe(false); // held at max
    expect(l.limit).toBe(12);
  });

  it('multiplies by backoff and rounds down on a drop or a late answer, not below min', () => {
    const l = new AimdLimit(spec({ backoff: 0.9, min: 3 }));
    l.sample(0.1, 10, true);
    expect(l.limit).toBe(9); // floor(10 x 0.9)
    l.sample(1.5, 1, false); // later than the 1 s timeout: a drop
    expect(l.limit).toBe(8); // floor(8.1)
    for (let i = 0; i < 10; i++) l.sample(0.1, 1, true);
    expect(l.limit).toBe(3);
  });

  it('at the edge: an answer exactly at the timeout is on time', () => {
    const l = new AimdLimit(spec());
    l.sample(1, 10, false);
    expect(l.limit).toBe(11);
  });
});
