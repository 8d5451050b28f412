/**
 * Student's t quantiles against published tables, the distribution function
 * against closed forms, and the confidence intervals built from them.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { FEW_SEEDS, summarizeSample } from '../../sim/sweep/stats.js';
import { fewSeedsNote, formatStat } from '../../sim/cli/sweep-table.js';
import { incompleteBeta, logGamma, studentTCdf, studentTQuantile } from '../../sim/sweep/student-t.js';

// Two-sided 95% (p = 0.975), from any statistics table (e.g. NIST/SEMATECH e-Handbook, table 1.3.6.7.2), 3 decimals.
const T975: readonly [number, number][] = [
  [1, 12.706],
  [2, 4.303],
  [3, 3.182],
  [4, 2.776],
  [5, 2.571],
  [6, 2.447],
  [7, 2.365],
  [8, 2.306],
  [9, 2.262],
  [10, 2.228],
  [15, 2.131],
  [20, 2.086],
  [25, 2.06],
  [30, 2.042],
  [40, 2.021],
  [60, 2.0],
  [100, 1.984],
  [120, 1.98],
];

describe('studentTQuantile', () => {
  it.each(T975)('t(0.975, %i) = %f', (df, t) => {
    expect(studentTQuantile(0.975, df)).toBeCloseTo(t, 3);
  });

  it('matches other levels of the table', () => {
    expect(studentTQuantile(0.95, 1)).toBeCloseTo(6.314, 3);
    expect(studentTQuantile(0.95, 10)).toBeCloseTo(1.812, 3);
    expect(studentTQuantile(0.995, 5)).toBeCloseTo(4.032, 3);
    expect(studentTQuantile(0.9995, 1)).toBeCloseTo(636.619, 2);
  });

  it('tends to the normal quantile as df grows', () => {
    expect(studentTQuantile(0.975, 1e7)).toBeCloseTo(1.959964, 5);
  });

  it('is odd around p = 0.5 and inverts the distribution function', () => {
    fc.assert(
      fc.property(fc.double({ min: 0.001, max: 0.999, noNaN: true }), fc.double({ min: 0.5, max: 500, noNaN: true }), (p, df) => {
        const t = studentTQuantile(p, df);
        expect(studentTCdf(t, df)).toBeCloseTo(p, 9);
        expect(studentTQuantile(1 - p, df)).toBeCloseTo(-t, 6);
      }),
      { seed: 20240611 },
    );
  });

  it('refuses p outside (0, 1) and df at or below 0', () => {
    expect(() => studentTQuantile(1, 3)).toThrow(RangeError);
    expect(() => studentTQuantile(0.5, 0)).toThrow(RangeError);
  });
});

describe('the functions beneath', () => {
  it('logGamma(n) = ln((n-1)!) and logGamma(1/2) = ln √π', () => {
    expect(logGamma(1)).toBeCloseTo(0, 12);
    expect(logGamma(10)).toBeCloseTo(Math.log(362880), 10);
    expect(logGamma(0.5)).toBeCloseTo(Math.log(Math.sqrt(Math.PI)), 12);
  });

  it('incompleteBeta(x, 1, 1) = x and I_x(a, 1) = x^a', () => {
    for (const x of [0.1, 0.5, 0.93]) {
      expect(incompleteBeta(x, 1, 1)).toBeCloseTo(x, 12);
      expect(incompleteBeta(x, 3.5, 1)).toBeCloseTo(x ** 3.5, 12);
    }
  });

  it('t with 1 degree of freedom is Cauchy: P(T <= t) = 1/2 + atan(t)/π', () => {
    for (const t of [-3, -0.2, 0, 1, 7]) expect(studentTCdf(t, 1)).toBeCloseTo(0.5 + Math.atan(t) / Math.PI, 12);
  });
});

describe('summarizeSample', () => {
  it('keeps the interval of a non-negative figure at or above 0', () => {
    // Recovery times of 0, 0, 0 and 1.6 s: Student t alone gives 0.4 ± 1.27, below 0.
    const free = summarizeSample([0, 0, 0, 1.6]);
    expect(free?.ci95?.[0]).toBeLessThan(0);
    const bounded = summarizeSample([0, 0, 0, 1.6], 0);
    expect(bounded?.ci95?.[0]).toBe(0);
    expect(bounded?.ci95?.[1]).toBe(free?.ci95?.[1]);
    expect(formatStat(bounded)).toBe('0.4 (0.0 to 1.7)');
    expect(formatStat(summarizeSample([10, 12, 14, 16, 18], 0))).toBe('14.0 ± 3.9');
  });

  it('says when too few seeds make the intervals wide', () => {
    expect(fewSeedsNote(3)).toBe('note: 3 seeds give wide intervals; use --seeds 5 or more to narrow them.\n');
    expect([fewSeedsNote(1), fewSeedsNote(FEW_SEEDS)]).toEqual(['', '']);
  });

  it('gives mean ± t(0.975, n-1) s/√n', () => {
    const s = summarizeSample([10, 12, 14, 16, 18]);
    // mean 14, sd √10, half-width 2.776445 × √10 / √5 = 3.926... .
    expect(s?.mean).toBe(14);
    expect(s?.sd).toBeCloseTo(Math.sqrt(10), 5);
    expect(s?.ci95?.[0]).toBeCloseTo(14 - 3.92646, 4);
    expect(s?.ci95?.[1]).toBeCloseTo(14 + 3.92646, 4);
    expect([s?.min, s?.max, s?.n]).toEqual([10, 18, 5]);
  });

  it('has no interval for one value and nothing for none', () => {
    expect(summarizeSample([3])).toEqual({ n: 1, mean: 3, sd: 0, min: 3, max: 3, ci95: null });
    expect(summarizeSample([])).toBeNull();
  });

  it('covers the true mean about 95% of the time (normal samples of 4)', () => {
    // Box-Muller over a fixed LCG (Numerical Recipes' constants) keeps the test deterministic.
    let state = 12345;
    const uniform = (): number => ((state = (Math.imul(state, 1664525) + 1013904223) >>> 0) + 0.5) / 2 ** 32;
    const normal = (): number => Math.sqrt(-2 * Math.log(uniform())) * Math.cos(2 * Math.PI * uniform());
    let covered = 0;
    const trials = 4000;
    for (let i = 0; i < trials; i += 1) {
      const ci = summarizeSample([normal(), normal(), normal(), normal()])?.ci95;
      if (ci && ci[0] <= 0 && 0 <= ci[1]) covered += 1;
    }
    // Binomial sd at 4000 trials is 0.34%; 93.5%..96.5% is over 4 sd either way.
    expect(covered / trials).toBeGreaterThan(0.935);
    expect(covered / trials).toBeLessThan(0.965);
  });
});
