/**
 * The bisection of --find-tipping as pure transitions, against response
 * curves whose tipping point is known.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  createProbe,
  createTipping,
  isTipped,
  nextTippingValue,
  recordTippingProbe,
  type TippingOptions,
  type TippingState,
} from '../../sim/sweep/tipping.js';

/** Runs a search where `metastableAt(v)` says how many of `seeds` seeds end metastable at v. */
function search(
  lo: number,
  hi: number,
  precision: number,
  seeds: number,
  metastableAt: (v: number) => number,
  opts: TippingOptions = {},
): TippingState {
  let s = createTipping(lo, hi, precision, opts);
  for (let v = nextTippingValue(s); v !== null; v = nextTippingValue(s)) s = recordTippingProbe(s, createProbe(v, seeds, metastableAt(v)));
  return s;
}

describe('tipping search', () => {
  it('needs a strict majority', () => {
    expect([isTipped(3, 5), isTipped(2, 5), isTipped(2, 4), isTipped(3, 4)]).toEqual([true, false, false, true]);
  });

  it('probes lo, then hi, then halves the bracket to the precision', () => {
    const s = search(0, 16, 1, 1, (v) => (v >= 5.3 ? 1 : 0));
    expect(s.probes.map((p) => p.value)).toEqual([0, 16, 8, 4, 6, 5]);
    expect(s.status).toBe('found');
    expect([s.below, s.above]).toEqual([5, 6]);
  });

  it('brackets any threshold within the precision', () => {
    fc.assert(
      fc.property(
        fc.double({ min: 0.01, max: 0.99, noNaN: true }),
        fc.double({ min: 1e-4, max: 0.2, noNaN: true }),
        (threshold, precision) => {
          const s = search(0, 1, precision, 5, (v) => (v >= threshold ? 4 : 1));
          expect(s.status).toBe('found');
          const below = s.below ?? NaN;
          const above = s.above ?? NaN;
          expect(below).toBeLessThan(threshold);
          expect(above).toBeGreaterThanOrEqual(threshold);
          expect(above - below).toBeLessThanOrEqual(precision * (1 + 1e-9));
          // Bisection: about log2(range / precision) probes after the two ends.
          expect(s.probes.length).toBeLessThanOrEqual(2 + Math.ceil(Math.log2(1 / precision)) + 1);
        },
      ),
      { seed: 42 },
    );
  });

  it('stops at the ends when the range does not bracket the tipping point', () => {
    const up = { direction: 'up' } as const;
    const down = { direction: 'down' } as const;
    expect(search(0, 10, 1, 3, () => 3, up)).toMatchObject({ status: 'tipped-at-lo', probes: [{ value: 0 }] });
    expect(search(0, 10, 1, 3, () => 0, up)).toMatchObject({ status: 'not-tipped-at-hi', probes: [{ value: 0 }, { value: 10 }] });
    expect(search(0, 10, 1, 3, () => 0, down)).toMatchObject({ status: 'not-tipped-at-lo', probes: [{ value: 0 }] });
    expect(search(0, 10, 1, 3, () => 3, down)).toMatchObject({ status: 'tipped-at-hi', probes: [{ value: 0 }, { value: 10 }] });
    // Without a direction both ends are probed before giving up.
    expect(search(0, 10, 1, 3, () => 3)).toMatchObject({ status: 'tipped-at-both-ends', direction: null });
    expect(search(0, 10, 1, 3, () => 0)).toMatchObject({ status: 'tipped-at-neither-end', direction: null });
  });

  it('finds the direction from the ends: metastable below the tipping point when a higher value is safer', () => {
    const s = search(0, 16, 1, 1, (v) => (v < 5.3 ? 1 : 0));
    expect(s).toMatchObject({ status: 'found', direction: 'down', below: 5, above: 6 });
    expect(s.probes.map((p) => p.value)).toEqual([0, 16, 8, 4, 6, 5]);
    expect(search(0, 16, 1, 1, (v) => (v >= 5.3 ? 1 : 0)).direction).toBe('up');
  });

  it('on a whole-number field probes whole numbers only, down to adjacent ones', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 200 }), fc.integer({ min: 1, max: 200 }), fc.boolean(), (lo, width, safeAbove) => {
        const hi = lo + width;
        const threshold = lo + 0.5 + Math.floor(width / 3);
        const tipsAt = (v: number): boolean => v >= threshold !== safeAbove;
        const s = search(lo, hi, 1, 1, (v) => (tipsAt(v) ? 1 : 0), { integer: true });
        expect(s.probes.every((p) => Number.isInteger(p.value))).toBe(true);
        expect(s.status).toBe('found');
        expect([s.below, s.above]).toEqual([Math.floor(threshold), Math.ceil(threshold)]);
      }),
      { seed: 17 },
    );
    expect(() => createTipping(1.5, 10, 1, { integer: true })).toThrow(RangeError);
  });

  it('records each probe with its share', () => {
    expect(createProbe(1.5, 5, 3)).toEqual({ value: 1.5, seeds: 5, metastable: 3, share: 0.6, tipped: true });
  });
});
