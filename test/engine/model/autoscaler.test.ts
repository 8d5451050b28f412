import { describe, expect, it } from 'vitest';
import { HorizontalAutoscaler, MetricHistory, ScalingLoop } from '../../../sim/engine/model/autoscaler.js';
import type { Autoscale } from '../../../sim/scenario/types.js';

function spec(over: Partial<Autoscale> = {}): Autoscale {
  return {
    metric: 'utilization',
    target: 0.6,
    period: 15,
    lag: 30,
    tolerance: 0.1,
    min: 1,
    max: 100,
    warmup: 60,
    scaleDownStabilization: 0,
    ...over,
  };
}

describe('HPA replica formula', () => {
  it('desired = ceil(current x metric / target)', () => {
    expect(new HorizontalAutoscaler(spec(), 4).evaluate(0, 4, 0.9)).toBe(6); // 4 x 1.5
    expect(new HorizontalAutoscaler(spec(), 4).evaluate(0, 4, 0.8)).toBe(6); // ceil(5.33)
    expect(new HorizontalAutoscaler(spec(), 4).evaluate(0, 4, 0.3)).toBe(2); // 4 x 0.5
    expect(new HorizontalAutoscaler(spec(), 10).evaluate(0, 10, 0.42)).toBe(7); // 10 x 0.7
  });

  it('holds still while |metric / target - 1| is within the tolerance', () => {
    const a = new HorizontalAutoscaler(spec(), 10);
    for (const m of [0.55, 0.6, 0.64, 0.65, 0.56]) expect(a.evaluate(0, 10, m)).toBe(10);
    expect(a.evaluate(0, 10, 0.7)).toBe(12); // ratio 1.167
    expect(a.evaluate(0, 10, 0.5)).toBe(9); // ratio 0.833
  });

  it('keeps the current count when there is no metric', () => {
    const a = new HorizontalAutoscaler(spec(), 5);
    expect(a.evaluate(0, 5, NaN)).toBe(5);
    expect(a.evaluate(15, 5, 0.9, 0)).toBe(5); // no ready pod to average over
  });

  it('counts pods that are not ready as idle when scaling up (and ignores them scaling down)', () => {
    // 10 pods, 5 ready at 1.5 x target: diluted 0.75 < 1, so no scale-up on booting pods.
    expect(new HorizontalAutoscaler(spec(), 10).evaluate(0, 10, 0.9, 5)).toBe(10);
    // 8 ready at 1.5 x target: diluted 1.2, ceil(1.2 x 10) = 12.
    expect(new HorizontalAutoscaler(spec(), 10).evaluate(0, 10, 0.9, 8)).toBe(12);
    // Scaling down: ceil(0.5 x 5 ready) = 3.
    expect(new HorizontalAutoscaler(spec(), 10).evaluate(0, 10, 0.3, 5)).toBe(3);
  });
});

describe('bounds', () => {
  it('clamps to [min, max]', () => {
    const s = spec({ min: 2, max: 8 });
    expect(new HorizontalAutoscaler(s, 6).evaluate(0, 6, 6)).toBe(8);
    expect(new HorizontalAutoscaler(s, 6).evaluate(0, 6, 0.01)).toBe(2);
    expect(new HorizontalAutoscaler(s, 6).evaluate(0, 12, 0.6)).toBe(8); // above max: max, whatever the metric
    expect(new HorizontalAutoscaler(s, 6).evaluate(0, 1, 0.6)).toBe(2);
  });
});

describe('scale-down stabilization', () => {
  it('applies the highest recommendation of the last window: scale-down comes exactly one window later', () => {
    const a = new HorizontalAutoscaler(spec({ scaleDownStabilization: 300 }), 10);
    expect(a.evaluate(0, 10, 0.6)).toBe(10); // on target: recommends 10
    // Load halves: every evaluation now recommends 5, but 10 is in the window until t = 300.
    for (let t = 15; t < 300; t += 15) expect(a.evaluate(t, 10, 0.3)).toBe(10);
    expect(a.evaluate(300, 10, 0.3)).toBe(5);
    expect(a.desired).toBe(5);
  });

  it('steps down through the window maximum as older peaks leave it', () => {
    const a = new HorizontalAutoscaler(spec({ scaleDownStabilization: 60 }), 12);
    expect(a.evaluate(0, 12, 0.6)).toBe(12); // recommends 12
    expect(a.evaluate(15, 12, 0.45)).toBe(12); // recommends 9
    expect(a.evaluate(30, 12, 0.3)).toBe(12); // recommends 6
    expect(a.evaluate(60, 12, 0.3)).toBe(9); // 12 (t = 0) has left; 9 (t = 15) is the highest
    expect(a.evaluate(75, 9, 0.3 * (12 / 9))).toBe(6); // still recommends 6; 9 has left
  });

  it('starts from a steady state at the initial size, and never delays a scale-up', () => {
    const a = new HorizontalAutoscaler(spec({ scaleDownStabilization: 300 }), 4);
    expect(a.evaluate(0, 4, 0.3)).toBe(4); // recommends 2, held by the initial 4 in the window
    expect(a.evaluate(15, 4, 0.9)).toBe(6);
  });
});

describe('scale-up rate (default HPA policy: max(4 pods, 100%) per 15 s)', () => {
  it('adds at most max(4, current) pods per 15 s', () => {
    const a = new HorizontalAutoscaler(spec({ period: 5 }), 2);
    expect(a.evaluate(0, 2, 6)).toBe(6); // wants 20; 2 + 4 > 2 x 2
    expect(a.evaluate(5, 6, 2)).toBe(6); // wants 20; 15 s ago there were 2
    expect(a.evaluate(10, 6, 2)).toBe(6);
    expect(a.evaluate(15, 6, 2)).toBe(12); // the t = 0 step left the period: 6 x 2
    expect(a.evaluate(30, 12, 1)).toBe(20); // wants 20, limit 24
  });

  it('a large service doubles at most', () => {
    const a = new HorizontalAutoscaler(spec({ max: 1000 }), 50);
    expect(a.evaluate(0, 50, 6)).toBe(100);
  });
});

describe('MetricHistory (sample and hold, bounded)', () => {
  it('answers the latest sample at or before t', () => {
    const h = new MetricHistory(30, 15);
    expect(h.valueAt(0)).toBeNaN();
    expect(h.valueAt(0, 0.5)).toBe(0.5);
    for (let t = 0; t <= 150; t += 15) h.record(t, t / 10);
    expect(h.valueAt(150 - 30)).toBe(12);
    expect(h.valueAt(150 - 29)).toBe(12);
    expect(h.valueAt(150 - 14.5)).toBe(13.5);
    expect(h.valueAt(150)).toBe(15);
    expect(h.valueAt(1000)).toBe(15);
  });

  it('keeps about lag / period + 2 samples, however long it runs', () => {
    const h = new MetricHistory(30, 1);
    for (let t = 0; t <= 10_000; t++) {
      h.record(t, t);
      expect(h.valueAt(t - 30, -1)).toBe(t < 30 ? -1 : t - 30);
    }
    expect(h.retained).toBeLessThanOrEqual(32);
  });

  it('a second sample at the same time replaces the first', () => {
    const h = new MetricHistory(0, 1);
    h.record(1, 3);
    h.record(1, 4);
    expect(h.valueAt(1)).toBe(4);
    expect(h.retained).toBe(1);
  });
});

describe('ScalingLoop', () => {
  const spec = (metric: Autoscale['metric'], lag = 0): Autoscale => ({
    metric,
    target: 1,
    period: 10,
    lag,
    tolerance: 0.1,
    min: 1,
    max: 20,
    scaleDownStabilization: 300,
    warmup: 0,
  });

  it('measures utilization from busy workers integrated over the period, per ready replica', () => {
    const loop = new ScalingLoop(spec('utilization'), 2);
    loop.integrate(4, 0, 0); // nothing busy for 4 s
    loop.integrate(10, 4, 0); // 4 busy for 6 s: 24 worker-seconds
    // 24 / (10 s x 2 workers x 2 ready) = 0.6 against a target of 1: ceil(0.6 x 2) = 2 replicas.
    expect(loop.evaluate(10, 2, 2, 2)).toBe(2);
    loop.integrate(20, 8, 0); // 8 busy for 10 s: 80 / 40 = 2, twice the target
    expect(loop.evaluate(20, 2, 2, 2)).toBe(4);
  });

  it('measures waiting requests and arrivals per replica, and starts each period afresh', () => {
    const queue = new ScalingLoop(spec('queuePerInstance'), 1);
    queue.integrate(10, 0, 3);
    expect(queue.evaluate(10, 1, 1, 4)).toBe(3);
    const rps = new ScalingLoop(spec('rpsPerInstance'), 1);
    rps.arrivals = 50;
    expect(rps.evaluate(10, 1, 1, 4)).toBe(5);
    expect(rps.arrivals).toBe(0);
  });

  it('acts on the value measured `lag` seconds earlier, and on nothing when no replica is ready', () => {
    const loop = new ScalingLoop(spec('rpsPerInstance', 10), 1);
    loop.arrivals = 50;
    expect(loop.evaluate(10, 1, 1, 4)).toBe(1); // nothing measured 10 s before t = 10
    expect(loop.evaluate(20, 1, 1, 4)).toBe(5); // the 5 per second of the first period, seen now
    expect(loop.evaluate(30, 1, 0, 4)).toBe(1);
  });
});
