/**
 * Charts of a long run are drawn from merged buckets: at most
 * MAX_CHART_BUCKETS per line, with each merged bucket meaning what the
 * originals meant (rates per second, time-weighted means, true peaks,
 * latencies over every response).
 */
import { describe, expect, it } from 'vitest';
import { MAX_CHART_BUCKETS, coarsenSeries } from '../../sim/metrics/coarsen.js';
import { bucketWidth, type RunSeries } from '../../sim/metrics/series.js';
import { simulate } from '../../sim/simulate.js';
import { buildCharts } from '../../reports/charts.js';
import { constant, poissonClient, scenario, service } from '../helpers/build.js';

/** 5,000 buckets of 10 ms. */
function longRun(): { run: RunSeries; sc: ReturnType<typeof scenario> } {
  const sc = {
    ...scenario({
      duration: 50,
      clients: [poissonClient('users', 'api', 200)],
      services: [service('api', { serviceTime: constant(0.004) })],
    }),
    sample: 0.01,
  };
  return { run: simulate(sc).series, sc };
}

const total = (run: RunSeries, values: ArrayLike<number>): number => {
  let t = 0;
  for (let i = 0; i < run.buckets; i++) t += (values[i] as number) * bucketWidth(run, i);
  return t;
};

describe('coarsenSeries', () => {
  it('merges buckets keeping totals, peaks and every latency', () => {
    const { run } = longRun();
    expect(run.buckets).toBe(5000);
    const c = coarsenSeries(run);
    expect([c.buckets, c.sample, c.duration]).toEqual([1667, 0.03, 50]);
    for (const s of run.series) {
      const m = c.series.find((x) => x.name === s.name);
      if (s.kind === 'rate' && m?.kind === 'rate') expect(total(c, m.values)).toBeCloseTo(total(run, s.values), 6);
      if (s.kind === 'stock' && m?.kind === 'stock' && !s.name.includes('ratio')) {
        expect(Math.max(...m.max.filter(Number.isFinite))).toBe(Math.max(...s.max.filter(Number.isFinite)));
      }
      if (s.kind === 'latency' && m?.kind === 'latency') {
        expect(m.buckets.reduce((n, h) => n + h.count, 0)).toBe(s.buckets.reduce((n, h) => n + h.count, 0));
      }
    }
    expect(coarsenSeries(c)).toBe(c);
  });

  it('keeps every line of every chart within MAX_CHART_BUCKETS points', () => {
    const { run, sc } = longRun();
    for (const chart of buildCharts(run, sc)) {
      const rows = (chart.spec as { data?: { values?: { series: string }[] } }).data?.values ?? [];
      const perLine = new Map<string, number>();
      for (const r of rows) perLine.set(r.series, (perLine.get(r.series) ?? 0) + 1);
      for (const [line, n] of perLine) expect(n, `${chart.id} ${line}`).toBeLessThanOrEqual(MAX_CHART_BUCKETS);
    }
  });
});
