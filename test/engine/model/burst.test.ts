/**
 * model/burst.ts: when each operation of a burst goes out. Even spread puts
 * operation k at at + k × within / count; uniform spread draws sorted times
 * inside the window from a stream of the burst's own.
 */
import { describe, expect, it } from 'vitest';
import { BurstSchedule, burstSchedules } from '../../../sim/engine/model/burst.js';
import type { Fault } from '../../../sim/scenario/types.js';

type Burst = Fault & { kind: 'burst' };
const burst = (over: Partial<Burst> = {}): Burst => ({ kind: 'burst', target: 'users', at: 10, for: 0, count: 4, spread: 'even', ...over });

describe('BurstSchedule', () => {
  it('sends everything at `at` when within is 0', () => {
    const b = new BurstSchedule(burst({ spread: 'uniform' }), 0, 1, 0);
    expect(b.atOnce).toBe(true);
    expect([0, 1, 2, 3].map((k) => b.timeOf(k))).toEqual([10, 10, 10, 10]);
  });

  it('spreads evenly: 4 operations over 2s from 10s go out at 10, 10.5, 11 and 11.5', () => {
    const b = new BurstSchedule(burst({ for: 2 }), 0, 1, 0);
    expect(b.atOnce).toBe(false);
    expect([0, 1, 2, 3].map((k) => b.timeOf(k))).toEqual([10, 10.5, 11, 11.5]);
  });

  it('spreads uniformly: sorted times inside the window, the same for the same seed, others for another', () => {
    const f = burst({ for: 2, count: 1000, spread: 'uniform' });
    const times = (seed: number) => Array.from({ length: 1000 }, (_, k) => new BurstSchedule(f, 0, seed, 0).timeOf(k));
    const t = times(1);
    expect(t.every((x, k) => x >= 10 && x < 12 && (k === 0 || x >= (t[k - 1] as number)))).toBe(true);
    // Uniform: about half the times fall in the window's first half.
    expect(t.filter((x) => x < 11).length).toBeGreaterThan(440);
    expect(t.filter((x) => x < 11).length).toBeLessThan(560);
    expect(times(1)).toEqual(t);
    expect(times(2)).not.toEqual(t);
  });
});

describe('burstSchedules', () => {
  it('has one schedule per burst, by fault index, with its client', () => {
    const faults: Fault[] = [
      { kind: 'traffic', target: 'users', at: 0, for: 5, multiply: 2 },
      burst({ target: 'bots' }),
      burst({ target: 'users' }),
    ];
    const m = burstSchedules(faults, (name) => ['users', 'bots'].indexOf(name), 1);
    expect([...m.keys()]).toEqual([1, 2]);
    expect([m.get(1)?.client, m.get(2)?.client]).toEqual([1, 0]);
  });

  it("gives each burst draws of its own: a burst on another client changes none of this one's times", () => {
    const mine = burst({ for: 5, count: 20, spread: 'uniform' });
    const other = burst({ target: 'bots', for: 5, count: 20, spread: 'uniform' });
    const idx = (name: string) => ['users', 'bots'].indexOf(name);
    const alone = burstSchedules([mine], idx, 3).get(0);
    const withOther = burstSchedules([other, mine], idx, 3).get(1);
    const times = (b: BurstSchedule | undefined) => Array.from({ length: 20 }, (_, k) => b?.timeOf(k));
    expect(times(withOther)).toEqual(times(alone));
  });
});
