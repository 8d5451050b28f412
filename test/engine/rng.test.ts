/**
 * rng.ts: every stream is named, so a (seed, name) pair always gives the
 * same sequence and another name or seed another one; the generator and the
 * stream of one name agree; draws stay in [0, 1). (The Alea arithmetic
 * itself is checked against seedrandom in test/bench/exactness.test.ts.)
 */
import { describe, expect, it } from 'vitest';
import { createGenerator, createStream } from '../../sim/engine/rng.js';

const take = (f: () => number, n: number): number[] => Array.from({ length: n }, f);

describe('named streams', () => {
  it('repeat for the same seed and name, across a batch refill', () => {
    expect(take(createStream(7, 'service:db/errors'), 600)).toEqual(take(createStream(7, 'service:db/errors'), 600));
  });

  it('differ for another name or another seed', () => {
    const a = take(createStream(7, 'service:db/errors'), 8);
    expect(take(createStream(7, 'service:db/balancer'), 8)).not.toEqual(a);
    expect(take(createStream(8, 'service:db/errors'), 8)).not.toEqual(a);
  });

  it('agree with the generator of the same name, and stay in [0, 1)', () => {
    const g = createGenerator(3, 'x');
    const s = take(createStream(3, 'x'), 1000);
    expect(take(() => g.uniform(), 1000)).toEqual(s);
    expect(s.every((u) => u >= 0 && u < 1)).toBe(true);
  });

  it('draw exponentials with the requested mean 1, positive', () => {
    const g = createGenerator(1, 'exp');
    const xs = take(() => g.exponential(), 100_000);
    expect(xs.every((x) => x > 0)).toBe(true);
    expect(xs.reduce((a, b) => a + b, 0) / xs.length).toBeCloseTo(1, 1);
  });
});
