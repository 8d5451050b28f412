import { describe, expect, it } from 'vitest';
import { reduceSummary } from '../../sim/metrics/summary.js';
import { latency, makeRun, makeScenario, rate, stock } from './fixtures.js';

const META = { seed: 42, version: '0.1.0-test', events: 1234 };

// Five buckets 1 s wide over [0, 4.5): the last one is 0.5 s. Warmup 1 s drops bucket 0.
const run = makeRun(1, 4.5, [
  rate('users.goodput', [100, 1, 2, 3, 4]),
  stock('api.queue', [10, 2, 4, 6, 8], [10, 3, 9, 7, 20]),
  latency('api.latency', [[5], [0.1, 0.2], [], [0.3], []]),
  latency('db.latency', [[1], [], [], [], []]),
  stock('api.utilization', [0, 1 / 3, 1 / 3, 1 / 3, 1 / 3]),
]);
const scenario = makeScenario({ duration: 4.5, warmup: 1 });

describe('reduceSummary', () => {
  const summary = reduceSummary(run, scenario, META);

  it('writes the contract keys in the contract order', () => {
    expect(Object.keys(summary)).toEqual(['name', 'seed', 'version', 'events', 'metrics', 'verdict', 'loops', 'expectations']);
    expect(summary).toMatchObject({ name: 'test', seed: 42, version: '0.1.0-test', events: 1234 });
    expect(Object.keys(summary.metrics)).toEqual(['users.goodput', 'api.queue', 'api.latency', 'db.latency', 'api.utilization']);
    expect(Object.keys(summary.verdict).slice(0, 2)).toEqual(['kind', 'recoverySeconds']);
  });

  it('weights a stock by time (short last bucket) and reports its true peak', () => {
    // (2 + 4 + 6) × 1 s + 8 × 0.5 s over 3.5 s; p99 interpolates between 6 and 8.
    expect(summary.metrics['api.queue']).toEqual({ mean: 4.57143, min: 2, max: 20, p50: 5, p99: 7.94, last: 8 });
  });

  it('gives a rate its mean in events per second over the window', () => {
    expect(summary.metrics['users.goodput']).toEqual({ mean: 2.28571, min: 1, max: 4, p50: 2.5, p99: 3.97, last: 4 });
  });

  it('merges latency histograms over every response in the window', () => {
    const b = summary.metrics['api.latency'];
    expect(b).toMatchObject({ mean: 0.2, max: 0.3, count: 3 });
    expect(b && 'p50' in b ? b.p50 : NaN).toBeCloseTo(0.2, 2);
  });

  it('writes zeros, never NaN, for a latency without responses in the window', () => {
    expect(summary.metrics['db.latency']).toEqual({ mean: 0, p50: 0, p90: 0, p99: 0, max: 0, count: 0 });
    expect(JSON.stringify(summary.metrics)).not.toMatch(/null|NaN|Infinity/);
  });

  it('rounds non-integers to 6 significant digits', () => {
    expect(summary.metrics['api.utilization']).toMatchObject({ mean: 0.333333, last: 0.333333 });
  });

  it('writes the same bytes for the same input', () => {
    expect(JSON.stringify(reduceSummary(run, scenario, META))).toBe(JSON.stringify(summary));
  });

  it('writes zeros when no bucket starts after warmup', () => {
    const late = reduceSummary(run, makeScenario({ duration: 4.5, warmup: 4.2 }), META);
    expect(late.metrics['api.queue']).toEqual({ mean: 0, min: 0, max: 0, p50: 0, p99: 0, last: 0 });
  });

  it('checks the expectations against the verdict it reaches', () => {
    const s = reduceSummary(
      run,
      makeScenario({
        duration: 4.5,
        warmup: 1,
        expect: [
          { kind: 'verdict', is: ['stable'], text: 'verdict is stable' },
          {
            kind: 'metric',
            metric: 'api.queue',
            stat: 'max',
            from: 1,
            to: 4.5,
            atLeast: null,
            atMost: null,
            below: 50,
            above: null,
            text: 'api.queue max below 50',
          },
        ],
      }),
      META,
    );
    expect(s.verdict.kind).toBe('stable');
    expect(s.expectations).toEqual([
      { text: 'verdict is stable', ok: true, actual: 'stable' },
      { text: 'api.queue max below 50', ok: true, actual: 20 },
    ]);
  });
});
