/**
 * The performance work of issue 7 changed how numbers are computed, never
 * which numbers: each fast path here must give exactly what the plain
 * definition it replaced gives (docs/performance.md). No timing in here.
 */
import seedrandom from 'seedrandom';
import { describe, expect, it } from 'vitest';
import { Alea, createGenerator, createStream } from '../../sim/engine/rng.js';
import { bucketIndexOf, fastBucketIndexOf, LogHistogram, MIN_INDEXED_SECONDS } from '../../sim/metrics/histogram.js';

describe('Alea (seed: fixed keys)', () => {
  const KEYS = ['loopsim|1|client:users/arrival', 'loopsim|42|service:db/service-time', 'loopsim|-5|édge→x', ''];

  it("uniform() draws seedrandom's alea(key)() sequence (one step each), across batch boundaries", () => {
    for (const key of KEYS) {
      const ref = seedrandom.alea(key);
      const a = new Alea(key);
      for (let i = 0; i < 5000; i++) expect(a.uniform()).toBe(ref());
    }
  });

  it("double() draws seedrandom's alea(key).double() sequence (two steps each)", () => {
    for (const key of KEYS) {
      const ref = seedrandom.alea(key);
      const a = new Alea(key);
      for (let i = 0; i < 3000; i++) expect(a.double()).toBe(ref.double());
    }
  });

  it('any mix of the two follows the same steps as seedrandom (the mix from a fixed pattern)', () => {
    const ref = seedrandom.alea('mix');
    const a = new Alea('mix');
    for (let i = 0; i < 4000; i++) {
      if (i % 3 === 1 || i % 7 === 0) expect(a.double()).toBe(ref.double());
      else expect(a.uniform()).toBe(ref());
    }
  });

  it("long streams match too, through the refill's rare carry (about one step in 2,000)", () => {
    // The refill splits each step so that only a short chain depends on the
    // carry; the carry's own branch (x >= 1) is rare, so check millions of steps.
    let mismatches = 0;
    let steps = 0;
    for (let k = 0; k < 20; k++) {
      const key = `loopsim|${k}|long`;
      const ref = seedrandom.alea(key);
      const a = new Alea(key);
      for (let i = 0; i < 100_000; i++, steps++) if (a.uniform() !== ref()) mismatches++;
    }
    expect(steps).toBe(2_000_000);
    expect(mismatches).toBe(0);
  });

  it('createStream and createGenerator with the same (seed, name) give the same sequence', () => {
    const u = createStream(7, 'x/y');
    const g = createGenerator(7, 'x/y');
    for (let i = 0; i < 1000; i++) expect(u()).toBe(g.uniform());
  });
});

describe('histogram bucket index without a logarithm', () => {
  const ulp = (x: number): number => Math.pow(2, Math.floor(Math.log2(x)) - 52);
  const same = (x: number): void => {
    if (x >= MIN_INDEXED_SECONDS && fastBucketIndexOf(x) !== bucketIndexOf(x)) {
      expect.fail(`fastBucketIndexOf(${x}) = ${fastBucketIndexOf(x)}, bucketIndexOf = ${bucketIndexOf(x)}`);
    }
  };

  it('equals ceil(ln x / ln 1.02) around every bucket boundary from 1 ns to 10^6 s', () => {
    const lnG = Math.log(1.02);
    for (let i = Math.floor(Math.log(1e-9) / lnG); i <= Math.ceil(Math.log(1e6) / lnG); i++) {
      const edge = Math.exp(i * lnG);
      const step = ulp(edge);
      for (let k = -40; k <= 40; k++) same(edge + k * step);
    }
  });

  it('equals it at every table cell edge and at random durations (seed 3)', () => {
    for (let e = -30; e < 32; e++) {
      for (let k = 0; k < 256; k++) {
        const first = Math.pow(2, e) * (1 + k / 256);
        same(first);
        same(first + (Math.pow(2, 44) - 1) * Math.pow(2, e - 52)); // the cell's last double
      }
    }
    const u = createStream(3, 'histogram-index');
    for (let i = 0; i < 200_000; i++) {
      same(Math.exp((u() * 2 - 1) * 30));
      same(-Math.log(1 - u()) * 0.01);
    }
  });

  it('recordAll builds the histogram record() builds, value by value', () => {
    const u = createStream(4, 'histogram-record-all');
    const xs = Float64Array.from({ length: 20_000 }, (_, i) => (i % 97 === 0 ? 0 : -Math.log(1 - u()) * 0.05));
    const one = new LogHistogram();
    for (const x of xs) one.record(x);
    const all = new LogHistogram();
    all.recordAll(xs, xs.length);
    expect([all.count, all.sum, all.min, all.max, all.slots]).toEqual([one.count, one.sum, one.min, one.max, one.slots]);
    for (const q of [0.01, 0.1, 0.5, 0.9, 0.99, 0.999]) expect(all.quantile(q)).toBe(one.quantile(q));
    expect(() => all.recordAll(Float64Array.of(1, -1), 2)).toThrow(RangeError);
  });
});
