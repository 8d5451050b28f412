import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { GAMMA, LogHistogram } from '../../sim/metrics/histogram.js';
import { histogramOf, mulberry32 } from './fixtures.js';

const SEED = 20240611;
const QS = [0.001, 0.01, 0.1, 0.25, 0.5, 0.75, 0.9, 0.99, 0.999];

/** Element floor(q (n - 1)) of the sorted values: the rank LogHistogram.quantile targets. */
function exactQuantile(sorted: Float64Array, q: number): number {
  return sorted[Math.floor(q * (sorted.length - 1))]!;
}

function samples(n: number, draw: (u: () => number) => number, seed: number): Float64Array {
  const u = mulberry32(seed);
  return Float64Array.from({ length: n }, () => draw(u));
}

const exponential = (mean: number) => (u: () => number) => -mean * Math.log(1 - u());
const lognormal = (mu: number, sigma: number) => (u: () => number) => {
  // Box–Muller; 1 - u() keeps the log away from 0.
  const z = Math.sqrt(-2 * Math.log(1 - u())) * Math.cos(2 * Math.PI * u());
  return Math.exp(mu + sigma * z);
};

describe(`LogHistogram accuracy (seed: ${SEED})`, () => {
  const cases = [
    ['exponential, mean 10 ms', exponential(0.01)],
    ['lognormal, median 8 ms, sigma 1', lognormal(Math.log(0.008), 1)],
    ['lognormal, wide, sigma 3', lognormal(Math.log(0.05), 3)],
  ] as const;
  for (const [label, draw] of cases) {
    it(`quantiles of 100k ${label} are within 1% of the exact ones`, () => {
      const xs = samples(100_000, draw, SEED);
      const h = histogramOf(xs);
      const sorted = xs.slice().sort();
      for (const q of QS) {
        const exact = exactQuantile(sorted, q);
        expect(Math.abs(h.quantile(q) - exact) / exact, `q=${q}`).toBeLessThanOrEqual(Math.sqrt(GAMMA) - 1 + 1e-12);
      }
      expect(h.quantile(0)).toBe(sorted[0]);
      expect(h.quantile(1)).toBe(sorted.at(-1));
    });
  }

  it('keeps count, sum, min, max and mean exact', () => {
    const h = histogramOf([0.25, 0.5, 0, 2]);
    expect([h.count, h.sum, h.min, h.max, h.mean]).toEqual([4, 2.75, 0, 2, 0.6875]);
  });

  it('answers 0 for everything when empty', () => {
    const h = new LogHistogram();
    expect([h.count, h.sum, h.min, h.max, h.mean, h.quantile(0), h.quantile(0.5), h.quantile(1)]).toEqual([0, 0, 0, 0, 0, 0, 0, 0]);
  });

  it('counts zeros apart from the log buckets', () => {
    const h = histogramOf([...Array<number>(50).fill(0), ...Array<number>(50).fill(1)]);
    expect(h.quantile(0.25)).toBe(0);
    expect(h.quantile(0.49)).toBe(0);
    expect(h.quantile(0.75)).toBeCloseTo(1, 1); // the bucket's midpoint, within 1%
  });

  it('rejects negative, NaN and infinite durations, and q outside [0, 1]', () => {
    const h = new LogHistogram();
    expect(() => h.record(-1)).toThrow(RangeError);
    expect(() => h.record(NaN)).toThrow(RangeError);
    expect(() => h.record(Infinity)).toThrow(RangeError);
    expect(() => h.quantile(1.5)).toThrow(RangeError);
    expect(h.count).toBe(0);
  });
});

describe(`LogHistogram merge (seed: ${SEED})`, () => {
  it('gives the same answers as recording everything in one histogram', () => {
    const xs = samples(30_000, lognormal(Math.log(0.01), 1.5), SEED);
    const parts = [0, 1, 2].map((p) => histogramOf(xs.subarray(p * 10_000, (p + 1) * 10_000)));
    const merged = new LogHistogram();
    for (const p of parts) merged.merge(p);
    const whole = histogramOf(xs);
    for (const q of [0, ...QS, 1]) expect(merged.quantile(q)).toBe(whole.quantile(q));
    expect([merged.count, merged.min, merged.max]).toEqual([whole.count, whole.min, whole.max]);
    expect(merged.sum).toBeCloseTo(whole.sum, 10);
  });

  it('does not depend on the merge order', () => {
    const a = histogramOf(samples(5000, exponential(0.002), 1));
    const b = histogramOf(samples(5000, exponential(2), 2));
    const ab = new LogHistogram();
    ab.merge(a);
    ab.merge(b);
    const ba = new LogHistogram();
    ba.merge(b);
    ba.merge(a);
    for (const q of QS) expect(ab.quantile(q)).toBe(ba.quantile(q));
    expect(ab.sum).toBe(ba.sum);
  });

  it('leaves the merged-in histogram unchanged, and may merge itself', () => {
    const a = histogramOf([0.1, 0.2]);
    const b = histogramOf([5]);
    b.merge(a);
    expect([a.count, a.max]).toEqual([2, 0.2]);
    a.merge(a);
    expect([a.count, a.sum, a.quantile(0.5)]).toEqual([4, 0.6000000000000001, a.quantile(0.5)]);
    expect(a.quantile(0.25)).toBeCloseTo(0.1, 2);
  });

  it('widens its counts instead of wrapping past 2^32', () => {
    const h = histogramOf([1]);
    for (let i = 0; i < 33; i += 1) h.merge(h);
    expect(h.count).toBe(2 ** 33);
    expect(h.quantile(0.5)).toBe(1);
    h.record(1);
    expect(h.count).toBe(2 ** 33 + 1);
  });
});

describe('LogHistogram memory', () => {
  it('holds few slots for values of one magnitude', () => {
    const h = histogramOf([0.01, 0.0102, 0.0105, 0.011]);
    expect(h.slots).toBeLessThanOrEqual(16);
    h.trim();
    expect(h.slots).toBeLessThanOrEqual(6);
  });

  it('holds about ln(max/min)/ln(γ) slots, not a fixed table', () => {
    const u = mulberry32(SEED);
    const hs = Array.from({ length: 3000 }, () => {
      const h = new LogHistogram();
      for (let i = 0; i < 100; i += 1) h.record(0.001 * 10 ** (u() * 3)); // 1 ms .. 1 s
      return h;
    });
    const span = Math.ceil(Math.log(1000) / Math.log(GAMMA)) + 1; // 350
    expect(Math.max(...hs.map((h) => h.slots))).toBeLessThanOrEqual(1.6 * span); // growth slack, at most a quarter per side
    for (const h of hs) h.trim();
    for (const h of hs) expect(h.slots).toBeLessThanOrEqual(span);
  });

  it('keeps its answers through trim', () => {
    const h = histogramOf(samples(1000, exponential(0.01), 3));
    const before = QS.map((q) => h.quantile(q));
    h.trim();
    expect(QS.map((q) => h.quantile(q))).toEqual(before);
    h.record(1e-6);
    h.record(100);
    expect([h.quantile(0), h.quantile(1)]).toEqual([1e-6, 100]);
  });
});

describe('LogHistogram properties', () => {
  const durations = fc.array(fc.oneof(fc.constant(0), fc.double({ min: 1e-12, max: 1e6, noNaN: true })), {
    maxLength: 200,
  });

  it('is non-decreasing in q, between the exact min and max', () => {
    fc.assert(
      fc.property(durations, fc.double({ min: 0, max: 1, noNaN: true }), fc.double({ min: 0, max: 1, noNaN: true }), (xs, q1, q2) => {
        const h = histogramOf(xs);
        const [lo, hi] = q1 <= q2 ? [q1, q2] : [q2, q1];
        expect(h.quantile(lo)).toBeLessThanOrEqual(h.quantile(hi));
        if (xs.length > 0) {
          expect(h.quantile(lo)).toBeGreaterThanOrEqual(h.min);
          expect(h.quantile(hi)).toBeLessThanOrEqual(h.max);
        }
      }),
    );
  });

  it('merges associatively: same count and quantiles either way', () => {
    fc.assert(
      fc.property(durations, durations, durations, (a, b, c) => {
        const left = histogramOf(a);
        const bc = histogramOf(b);
        left.merge(histogramOf(b));
        left.merge(histogramOf(c));
        bc.merge(histogramOf(c));
        const right = histogramOf(a);
        right.merge(bc);
        expect(left.count).toBe(right.count);
        for (const q of [0, 0.1, 0.5, 0.9, 0.99, 1]) expect(left.quantile(q)).toBe(right.quantile(q));
      }),
    );
  });
});
