import { describe, expect, it } from 'vitest';
import { LogHistogram } from '../../sim/metrics/histogram.js';
import { Recorder } from '../../sim/metrics/recorder.js';
import type { Series } from '../../sim/metrics/series.js';
import { mulberry32 } from './fixtures.js';

/** The state of a histogram that anything downstream can read. */
function facts(h: LogHistogram): number[] {
  return [h.count, h.sum, h.min, h.max, ...[0.01, 0.25, 0.5, 0.9, 0.999].map((q) => h.quantile(q))];
}

function latencySeries(series: readonly Series[], name: string): readonly LogHistogram[] {
  const s = series.find((x) => x.name === name);
  if (s?.kind !== 'latency') throw new Error(`no latency series ${name}`);
  return s.buckets;
}

describe('Recorder', () => {
  // The recorder buffers latencies per metric and folds them into the bucket's
  // histogram a few thousand at a time; what it hands over must be what
  // recording each value in its bucket, one by one, gives.
  it('buckets interleaved latencies of several metrics exactly as recording them one by one', () => {
    const rec = new Recorder(30, 10);
    const count = rec.define('c.count', 'rate');
    const ids = [rec.define('a.latency', 'latency'), rec.define('level', 'stock'), rec.define('b.latency', 'latency')];
    const latencyIds = [ids[0]!, ids[2]!];
    const expected = latencyIds.map(() => [new LogHistogram(), new LogHistogram(), new LogHistogram()]);
    const u = mulberry32(7);
    // 30,000 events over 30 s: thousands per bucket for each metric, so the
    // buffers fill and fold several times and are part full at every close.
    for (let i = 0; i < 30_000; i++) {
      const now = i / 1000;
      rec.advance(now);
      rec.count(count, 1);
      const which = u() < 0.7 ? 0 : 1;
      const x = u() < 0.01 ? 0 : -0.01 * Math.log(1 - u());
      rec.latency(latencyIds[which]!, x);
      expected[which]![Math.floor(now / 10)]!.record(x);
    }
    const series = rec.finish().series;
    for (const [k, name] of ['a.latency', 'b.latency'].entries()) {
      const got = latencySeries(series, name);
      expect(got).toHaveLength(3);
      for (let b = 0; b < 3; b++) expect(facts(got[b]!)).toEqual(facts(expected[k]![b]!));
    }
    const c = series.find((x) => x.name === 'c.count');
    expect(c?.kind === 'rate' && c.total).toBe(30_000);
  });

  it('keeps a latency metric defined after others apart from them', () => {
    const rec = new Recorder(1, 1);
    const a = rec.define('a.latency', 'latency');
    for (let i = 0; i < 5000; i++) rec.latency(a, 1);
    const b = rec.define('b.latency', 'latency');
    rec.latency(b, 2);
    const series = rec.finish().series;
    const [ha, hb] = [latencySeries(series, 'a.latency')[0]!, latencySeries(series, 'b.latency')[0]!];
    expect([ha.count, ha.sum, ha.min, ha.max]).toEqual([5000, 5000, 1, 1]);
    expect([hb.count, hb.sum, hb.min, hb.max]).toEqual([1, 2, 2, 2]);
  });
});
