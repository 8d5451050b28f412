import { describe, expect, it } from 'vitest';
import { aggregateReplications, formatTally } from '../../sim/sweep/aggregate.js';
import type { RunFigures } from '../../sim/sweep/figures.js';

const figures = (loop: string | null, loopGain: number | null): RunFigures => ({
  verdict: loop === null ? 'recovered' : 'metastable',
  recoverySeconds: loop === null ? 5 : null,
  goodputBefore: 100,
  goodputAfter: loop === null ? 100 : 0,
  peakQueue: 10,
  wastedPerSecond: 0,
  retriesPerOperation: 0,
  loop,
  loopGain,
});

describe('replications carry the verdict’s loop', () => {
  const stats = aggregateReplications([figures('retry', 3), figures('retry', 5), figures(null, null)]);

  it('counts the loop each seed’s verdict named, and averages its gain over the seeds that name one', () => {
    expect(stats.loops).toEqual({ retry: 2, none: 1 });
    expect(stats.figures.loopGain).toMatchObject({ n: 2, mean: 4 });
  });

  it('tallies counts as the tables print them', () => {
    expect(formatTally(stats.loops, stats.seeds)).toBe('retry 2/3, none 1/3');
    expect(formatTally({ retry: 1 }, 1)).toBe('retry');
  });
});
