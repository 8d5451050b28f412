/**
 * The samplers behind every random duration: each distribution's draws match
 * its mean and variance, and the exponential (drawn by a ziggurat, not by
 * inverting the CDF) matches its whole CDF, tail included. Seeds are fixed,
 * so every figure here is the same on every run; the tolerances are the
 * sampling error a correct sampler shows at that many draws (about 5 standard
 * errors, or a Kolmogorov-Smirnov bound at p = 0.001).
 */
import { describe, expect, it } from 'vitest';
import { createGenerator } from '../../../sim/engine/rng.js';
import { Draw, meanOf, sample } from '../../../sim/engine/model/dist.js';
import type { Dist } from '../../../sim/scenario/types.js';

const N = 400_000;

function draws(n: number, f: () => number): Float64Array {
  const xs = new Float64Array(n);
  for (let i = 0; i < n; i++) xs[i] = f();
  return xs;
}

function moments(xs: Float64Array): { mean: number; variance: number } {
  let s = 0;
  for (const x of xs) s += x;
  const mean = s / xs.length;
  let v = 0;
  for (const x of xs) v += (x - mean) * (x - mean);
  return { mean, variance: v / (xs.length - 1) };
}

/** Kolmogorov-Smirnov distance between the sample and the CDF `F`. */
function ksDistance(xs: Float64Array, F: (x: number) => number): number {
  const sorted = Float64Array.from(xs).sort();
  let d = 0;
  for (let i = 0; i < sorted.length; i++) {
    const f = F(sorted[i]!);
    d = Math.max(d, Math.abs(f - i / sorted.length), Math.abs((i + 1) / sorted.length - f));
  }
  return d;
}

/** KS critical distance at p = 0.001 for n draws. */
const ksBound = (n: number): number => 1.95 / Math.sqrt(n);

describe('exponential draws (ziggurat; seeds fixed)', () => {
  const xs = draws(
    N,
    (
      (g) => () =>
        g.exponential()
    )(createGenerator(1, 'test/exponential')),
  );

  it('follow the CDF 1 - e^-x (Kolmogorov-Smirnov)', () => {
    expect(ksDistance(xs, (x) => 1 - Math.exp(-x))).toBeLessThan(ksBound(N));
  });

  it('have mean 1 and variance 1', () => {
    const m = moments(xs);
    expect(Math.abs(m.mean - 1)).toBeLessThan(5 / Math.sqrt(N));
    expect(Math.abs(m.variance - 1)).toBeLessThan(5 * Math.sqrt(8 / N)); // var of (X-1)^2 is 8
  });

  it('reach into the tail past the base strip (x > 7.697) as often as e^-x says', () => {
    const g = createGenerator(2, 'test/exponential-tail');
    const n = 4_000_000;
    const R = 7.697117470131487;
    let past = 0;
    let sumPast = 0;
    for (let i = 0; i < n; i++) {
      const x = g.exponential();
      if (x > R) {
        past++;
        sumPast += x;
      }
    }
    const expected = n * Math.exp(-R); // about 1,820
    expect(Math.abs(past - expected)).toBeLessThan(5 * Math.sqrt(expected));
    // Memoryless: beyond R, the excess is again Exp(1).
    expect(Math.abs(sumPast / past - (R + 1))).toBeLessThan(5 / Math.sqrt(past));
  });

  it('are never negative or infinite, and small values come as often as the CDF says', () => {
    let min = Infinity;
    let max = 0;
    let below = 0;
    for (const x of xs) {
      min = Math.min(min, x);
      max = Math.max(max, x);
      if (x < 0.01) below++;
    }
    expect(min).toBeGreaterThanOrEqual(0);
    expect(Number.isFinite(max)).toBe(true);
    const p = 1 - Math.exp(-0.01);
    expect(Math.abs(below - N * p)).toBeLessThan(5 * Math.sqrt(N * p));
  });

  it('a bound Draw scales them by the mean', () => {
    const mean = 0.025;
    const d = new Draw({ dist: 'exponential', mean }, createGenerator(3, 'a'));
    const ref = createGenerator(3, 'a');
    for (let i = 0; i < 1000; i++) expect(d.next()).toBe(ref.exponential() * mean);
  });
});

describe('every distribution: mean and variance (seeds fixed)', () => {
  const cases: [Dist, number][] = [
    // [distribution, variance]
    [{ dist: 'constant', value: 0.2 }, 0],
    [{ dist: 'exponential', mean: 0.05 }, 0.05 ** 2],
    [{ dist: 'uniform', min: 0.01, max: 0.03 }, 0.02 ** 2 / 12],
    [{ dist: 'erlang', k: 4, mean: 0.1 }, 0.1 ** 2 / 4],
    [{ dist: 'erlang', k: 1000, mean: 0.01 }, 0.01 ** 2 / 1000],
    [{ dist: 'lognormal', mu: -3, sigma: 0.5 }, (Math.exp(0.25) - 1) * Math.exp(-6 + 0.25)],
    [{ dist: 'pareto', scale: 0.01, shape: 5 }, (0.01 ** 2 * 5) / (4 ** 2 * 3)],
  ];
  for (const [d, variance] of cases) {
    it(`${JSON.stringify(d)}`, () => {
      const g = createGenerator(4, `test/${d.dist}`);
      const n = d.dist === 'erlang' && d.k > 100 ? 20_000 : N;
      const xs = draws(n, () => sample(d, g));
      const m = moments(xs);
      if (variance === 0) {
        expect(xs.every((x) => x === meanOf(d))).toBe(true);
        return;
      }
      expect(Math.abs(m.mean - meanOf(d))).toBeLessThanOrEqual(5 * Math.sqrt(variance / n));
      expect(m.variance / variance).toBeGreaterThan(0.95);
      // A Pareto's sample variance converges slowly (its fourth moment is large): only the lower bound.
      if (d.dist !== 'pareto') expect(m.variance / variance).toBeLessThan(1.05);
    });
  }

  it('a Pareto with shape 1.1 still reaches far into its tail (53-bit uniforms)', () => {
    const g = createGenerator(5, 'test/pareto-tail');
    const d: Dist = { dist: 'pareto', scale: 1, shape: 1.1 };
    let max = 0;
    for (let i = 0; i < N; i++) max = Math.max(max, sample(d, g));
    // P(X > x) = x^-1.1: among 400,000 draws the largest is typically near 400,000^(1/1.1) ≈ 120,000.
    expect(max).toBeGreaterThan(10_000);
    expect(Number.isFinite(max)).toBe(true);
  });

  it('the Erlang is a sum of its phases: the CDF of k = 2 (Kolmogorov-Smirnov)', () => {
    const g = createGenerator(6, 'test/erlang-2');
    const d: Dist = { dist: 'erlang', k: 2, mean: 2 }; // phases of mean 1
    const xs = draws(N, () => sample(d, g));
    expect(ksDistance(xs, (x) => 1 - Math.exp(-x) * (1 + x))).toBeLessThan(ksBound(N));
  });
});
