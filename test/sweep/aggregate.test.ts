import { describe, expect, it } from 'vitest';
import { aggregateReplications, formatStockTally, formatTally } from '../../sim/sweep/aggregate.js';
import type { RunFigures } from '../../sim/sweep/figures.js';
import { QUIET_FIGURES } from '../helpers/figures.js';

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
  ...QUIET_FIGURES,
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

describe('replications carry the backlog, the damage and the swings', () => {
  const stuck: RunFigures = {
    ...figures('retry', 3),
    peakBacklog: 900,
    backlogStock: 'api->db.pool.waiting',
    lostOperations: 5000,
    worstGoodputShare: 0.1,
    secondsBelowHalf: 40,
    oscillation: 'api->db.breaker',
    periodSeconds: 4,
  };
  const draining: RunFigures = {
    ...figures(null, null),
    verdict: 'draining',
    recoverySeconds: null,
    peakBacklog: 300,
    backlogStock: 'api.queue',
    lostOperations: 1000,
    drainSeconds: 80,
  };
  const stats = aggregateReplications([stuck, draining, figures(null, null)]);

  it('tallies the stock that grew and counts the seeds that swing', () => {
    expect(stats.backlogStocks).toEqual({ 'api->db.pool.waiting': 1, 'api.queue': 1, none: 1 });
    expect(formatStockTally(stats.backlogStocks, stats.seeds)).toBe(
      'api->db.pool.waiting (waiting for a pool connection) 1/3, api.queue (waiting for a worker) 1/3, none 1/3',
    );
    expect(stats.oscillating).toBe(1);
    expect(stats.oscillations).toEqual({ 'api->db.breaker': 1, none: 2 });
  });

  it('averages each figure over the seeds that have it', () => {
    expect(stats.figures.peakBacklog).toMatchObject({ n: 3, mean: 400 });
    expect(stats.figures.lostOperations).toMatchObject({ n: 2, mean: 3000 });
    expect(stats.figures.drainSeconds).toMatchObject({ n: 1, mean: 80 });
    expect(stats.figures.periodSeconds).toMatchObject({ n: 1, mean: 4 });
  });
});
