/** LinkDraw: an edge's one-way delay under the link faults open now. */
import { describe, expect, it } from 'vitest';
import { Draw } from '../../../sim/engine/model/dist.js';
import { LinkDraw, LOST } from '../../../sim/engine/model/link.js';
import { createGenerator } from '../../../sim/engine/rng.js';

describe('LinkDraw', () => {
  it('adds the delay to the base draw, and returns LOST for every message in a partition', () => {
    const d = new LinkDraw(new Draw({ dist: 'constant', value: 0.005 }, createGenerator(1, 'base')), createGenerator(1, 'loss'));
    expect(d.next()).toBe(0.005);
    d.set(0.05, 0);
    expect(d.next()).toBeCloseTo(0.055, 12);
    d.set(0, 1);
    expect(d.next()).toBe(LOST);
  });

  it('loses a message with its chance, drawn from its own stream, and draws the base delay for every message', () => {
    const base = () => new Draw({ dist: 'exponential', mean: 0.01 }, createGenerator(7, 'base'));
    const plain = base();
    const d = new LinkDraw(base(), createGenerator(7, 'loss'));
    d.set(0, 0.25);
    let lost = 0;
    for (let i = 0; i < 4000; i++) {
      const want = plain.next();
      const got = d.next();
      if (got === LOST) lost++;
      else expect(got).toBe(want);
    }
    // 1000 expected; 3 standard deviations of a binomial(4000, 0.25) are about 82.
    expect(Math.abs(lost - 1000)).toBeLessThan(82);
  });
});
