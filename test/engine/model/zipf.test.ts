import { describe, expect, it } from 'vitest';
import { KeySampler, zipfPmf } from '../../../sim/engine/model/zipf.js';
import { createStream, type Stream } from '../../../sim/engine/rng.js';

/** Counts `draws` keys from `sampler`. */
function histogram(sampler: KeySampler, u: Stream, draws: number): Float64Array {
  const h = new Float64Array(sampler.keys);
  for (let i = 0; i < draws; i++) {
    const k = sampler.next(u);
    h[k] = (h[k] as number) + 1;
  }
  return h;
}

/**
 * Pearson chi-square of the top `top` keys, one bin each, plus one bin for all the
 * others, against the probabilities `p`: top degrees of freedom.
 */
function chiSquareTop(h: Float64Array, p: Float64Array, draws: number, top: number): number {
  let chi = 0;
  let restObs = draws;
  let restExp = draws;
  for (let k = 0; k < top; k++) {
    const e = draws * (p[k] as number);
    const o = h[k] as number;
    chi += ((o - e) * (o - e)) / e;
    restObs -= o;
    restExp -= e;
  }
  return chi + ((restObs - restExp) * (restObs - restExp)) / restExp;
}

// Thresholds: the 1 - 10^-4 quantile of chi-square with k degrees of freedom, by the
// Wilson-Hilferty approximation k (1 - 2/(9k) + z sqrt(2/(9k)))^3 with z = 3.719:
// 52.7 for k = 20, 94.8 for k = 49. With 200k draws every expected bin count is at
// least 80 (the smallest: key 20 at s = 2.5, 200k x 20^-2.5 / zeta(2.5) = 83), far past
// the usual >= 5 rule for the chi-square approximation. A correct sampler fails one of
// these checks with probability about 10^-4 per seed (the seeds are fixed, so the tests
// are deterministic), while an exponent off by 0.02 gives chi-square 50 to 380 here.
const CHI2_20 = 52.7;
const CHI2_49 = 94.8;
const DRAWS = 200_000;

describe('Zipf keys (rejection-inversion)', () => {
  for (const s of [0.5, 0.99, 1, 1.2, 2.5]) {
    it(`matches the exact pmf on the top 20 keys, s = ${s} (seed 1)`, () => {
      const keys = 1000;
      const u = createStream(1, `zipf-test/${s}`);
      const h = histogram(new KeySampler(keys, { kind: 'zipf', exponent: s }), u, DRAWS);
      const p = zipfPmf(keys, s);
      expect(chiSquareTop(h, p, DRAWS, 20)).toBeLessThan(CHI2_20);
      // And key by key for the top 5: within 5 standard deviations of the binomial count.
      for (let k = 0; k < 5; k++) {
        const e = DRAWS * (p[k] as number);
        expect(Math.abs((h[k] as number) - e)).toBeLessThan(5 * Math.sqrt(e * (1 - (p[k] as number))));
      }
    });
  }

  it('covers the whole key range, tail included (s = 1, 10 keys, seed 2)', () => {
    const u = createStream(2, 'zipf-test/small');
    const h = histogram(new KeySampler(10, { kind: 'zipf', exponent: 1 }), u, DRAWS);
    const p = zipfPmf(10, 1);
    let chi = 0;
    for (let k = 0; k < 10; k++) {
      const e = DRAWS * (p[k] as number);
      chi += ((h[k] as number) - e) ** 2 / e;
    }
    // 9 degrees of freedom: 1 - 10^-4 quantile ~ 33.7.
    expect(chi).toBeLessThan(33.7);
  });

  it('needs about one uniform per key for s = 1 (O(1), rarely rejects)', () => {
    const base = createStream(3, 'zipf-test/cost');
    let calls = 0;
    const u: Stream = () => {
      calls++;
      return base();
    };
    const sampler = new KeySampler(1_000_000, { kind: 'zipf', exponent: 1 });
    for (let i = 0; i < 100_000; i++) sampler.next(u);
    expect(calls / 100_000).toBeLessThan(1.2);
  });

  it('one key is always key 0; the same seed gives the same keys', () => {
    const one = new KeySampler(1, { kind: 'zipf', exponent: 1.1 });
    const u = createStream(4, 'zipf-test/one');
    for (let i = 0; i < 100; i++) expect(one.next(u)).toBe(0);
    const z = new KeySampler(500, { kind: 'zipf', exponent: 0.8 });
    const a = createStream(5, 'zipf-test/same');
    const b = createStream(5, 'zipf-test/same');
    for (let i = 0; i < 1000; i++) expect(z.next(a)).toBe(z.next(b));
  });
});

describe('uniform keys', () => {
  it('matches 1/keys on every key (seed 6)', () => {
    const keys = 50;
    const u = createStream(6, 'uniform-test');
    const h = histogram(new KeySampler(keys, { kind: 'uniform' }), u, DRAWS);
    const e = DRAWS / keys;
    let chi = 0;
    for (let k = 0; k < keys; k++) chi += ((h[k] as number) - e) ** 2 / e;
    expect(chi).toBeLessThan(CHI2_49);
  });

  it('stays in range even when the stream returns its largest value', () => {
    const s = new KeySampler(7, { kind: 'uniform' });
    expect(s.next(() => 1 - 2 ** -53)).toBe(6);
    expect(s.next(() => 0)).toBe(0);
    const z = new KeySampler(7, { kind: 'zipf', exponent: 1 });
    expect(z.next(() => 0)).toBeLessThan(7);
    expect(z.next(() => 1 - 2 ** -53)).toBe(0);
  });
});
