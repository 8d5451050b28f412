import { describe, expect, it } from 'vitest';
import { formatCsvNumber, formatTimeseriesCsv, seriesValues } from '../../sim/metrics/csv.js';
import { latency, makeRun, rate, stock } from './fixtures.js';

// Three buckets of 0.1 s over [0, 0.25): the last is 0.05 s wide.
const run = makeRun(0.1, 0.25, [
  rate('users.goodput', [10, 1 / 3, 0]),
  stock('api.queue', [0.5, 2, 1234567.891], [1, 3, 1234568]),
  latency('api.latency', [[0.01, 0.02], [], [0]]),
  stock('api->db.pool.inUse', [1, 2, 3]),
]);

describe('formatTimeseriesCsv', () => {
  it('writes a header, then one row per bucket, in series order', () => {
    expect(formatTimeseriesCsv(run)).toBe(
      [
        'time,users.goodput,api.queue,api.queue.max,api.latency,api.latency.p50,api.latency.p99,api->db.pool.inUse,api->db.pool.inUse.max',
        // p50 and p99 of {0.01, 0.02} are element 0, reported as its bucket's midpoint (within 1%).
        '0,10,0.5,1,0.015,0.0100106,0.0100106,1,1',
        '0.1,0.333333,2,3,,,,2,2',
        '0.2,0,1234570,1234568,0,0,0,3,3',
        '',
      ].join('\n'),
    );
  });

  it('writes the same bytes for the same run', () => {
    expect(formatTimeseriesCsv(run)).toBe(formatTimeseriesCsv(run));
  });
});

describe('seriesValues', () => {
  it('reads rates, stock means and peaks', () => {
    expect(Array.from(seriesValues(run, 'users.goodput') ?? [])).toEqual([10, 1 / 3, 0]);
    expect(Array.from(seriesValues(run, 'api.queue.max') ?? [])).toEqual([1, 3, 1234568]);
  });

  it('reads latency means and quantiles, NaN where a bucket has no responses', () => {
    expect(Array.from(seriesValues(run, 'api.latency') ?? [])).toEqual([0.015, NaN, 0]);
    const p99 = seriesValues(run, 'api.latency.p99');
    expect(p99?.[0]).toBeCloseTo(0.01, 3); // element floor(0.99 × (2 - 1)): the lower one
    expect(seriesValues(run, 'api.latency.max')?.[0]).toBe(0.02);
  });

  it('prefers an exact name with dots, and answers undefined for unknown columns', () => {
    expect(seriesValues(run, 'api->db.pool.inUse')?.[2]).toBe(3);
    expect(seriesValues(run, 'api->db.pool.inUse.max')?.[2]).toBe(3);
    expect(seriesValues(run, 'api.nope')).toBeUndefined();
    expect(seriesValues(run, 'users.goodput.max')).toBeUndefined();
    expect(seriesValues(run, 'api.queue.p99')).toBeUndefined();
  });
});

describe('formatCsvNumber', () => {
  it('keeps integers, rounds the rest to 6 significant digits, and leaves NaN empty', () => {
    expect([123456789, 0.1 + 0.2, -0, 1e-7 / 3, NaN, Infinity].map(formatCsvNumber)).toEqual([
      '123456789',
      '0.3',
      '0',
      '3.33333e-8',
      '',
      '',
    ]);
  });
});
