import { describe, expect, it } from 'vitest';
import { reduceExpectations } from '../../sim/metrics/expectations.js';
import { reduceVerdict } from '../../sim/metrics/verdict.js';
import type { Expectation, ExpectStat } from '../../sim/scenario/types.js';
import { latency, makeRun, makeScenario, pause, rate, repeat, stock } from './fixtures.js';

// 10 buckets of 1 s; the last one is 0.5 s wide (duration 9.5).
const run = makeRun(1, 9.5, [
  rate('users.goodput', [0, 10, 20, 30, 40, 50, 60, 70, 80, 90]),
  stock('api.queue', [1, 2, 3, 4, 5, 6, 7, 8, 9, 10], [1, 2, 3, 4, 50, 6, 7, 8, 9, 11]),
  latency('api.latency', [[0.1], [0.2], [], [0.4, 0.4], [], [], [], [], [], [1, 2]]),
  stock('api.inflight', repeat(1, 10)),
]);

interface Bounds {
  atLeast?: number;
  atMost?: number;
  below?: number;
  above?: number;
}

function metric(name: string, stat: ExpectStat, from: number, to: number, b: Bounds = {}): Expectation {
  const text = `${name} ${stat} [${from}, ${to})`;
  return {
    kind: 'metric',
    metric: name,
    stat,
    from,
    to,
    atLeast: b.atLeast ?? null,
    atMost: b.atMost ?? null,
    below: b.below ?? null,
    above: b.above ?? null,
    text,
  };
}

function check(expectations: Expectation[], faults = [pause(2, 1)]) {
  const scenario = makeScenario({ duration: run.duration, faults, expect: expectations });
  return reduceExpectations(run, scenario, reduceVerdict(run, scenario));
}

describe('reduceExpectations', () => {
  it('measures rates over the buckets starting in [from, to), to: end included', () => {
    const [mean, last, count] = check([
      metric('users.goodput', 'mean', 5, 9.5, { atLeast: 60 }),
      metric('users.goodput', 'last', 0, 9.5),
      metric('users.goodput', 'count', 8, 9.5),
    ]);
    // (50 + 60 + 70 + 80) × 1 s + 90 × 0.5 s over 4.5 s
    expect(mean).toEqual({ text: 'users.goodput mean [5, 9.5)', ok: true, actual: 67.7778 });
    expect(last?.actual).toBe(90);
    expect(count?.actual).toBe(125); // 80 events + 45 in the half bucket
  });

  it('applies every bound given, each with its own comparison', () => {
    const results = check([
      metric('users.goodput', 'max', 0, 3, { atLeast: 20 }),
      metric('users.goodput', 'max', 0, 3, { atMost: 20 }),
      metric('users.goodput', 'max', 0, 3, { below: 20 }),
      metric('users.goodput', 'max', 0, 3, { above: 20 }),
      metric('users.goodput', 'max', 0, 3, { above: 10, below: 30 }),
    ]);
    expect(results.map((r) => r.ok)).toEqual([true, true, false, false, true]);
  });

  it("takes a stock's max from its true peak, and reads `<name>.max` as the peak series", () => {
    const [peak, mean, peakSeries] = check([
      metric('api.queue', 'max', 0, 9.5, { below: 50 }),
      metric('api.queue', 'mean', 0, 2),
      metric('api.queue.max', 'p50', 3, 6),
    ]);
    expect(peak).toMatchObject({ ok: false, actual: 50 });
    expect(mean?.actual).toBe(1.5);
    expect(peakSeries?.actual).toBe(6); // median of 4, 50, 6
  });

  it('merges latency histograms over the window', () => {
    const [count, max, p50, mean, last, p99Series] = check([
      metric('api.latency', 'count', 0, 9.5),
      metric('api.latency', 'max', 0, 9),
      metric('api.latency', 'p50', 0, 5),
      metric('api.latency', 'mean', 0, 5),
      metric('api.latency', 'last', 0, 8),
      metric('api.latency.p99', 'max', 0, 9.5),
    ]);
    expect(count?.actual).toBe(6);
    expect(max?.actual).toBe(0.4);
    expect(p50?.actual as number).toBeCloseTo(0.2, 2);
    expect(mean?.actual).toBe(0.275);
    expect(last?.actual).toBe(0.4);
    expect(p99Series?.actual as number).toBeCloseTo(1, 1);
  });

  it('fails, with a null actual and a reason, when there is nothing to measure', () => {
    const [unknown, empty, quiet, stockCount] = check([
      metric('api.nope', 'mean', 0, 9.5),
      metric('users.goodput', 'mean', 9.6, 20),
      metric('api.latency', 'p99', 4, 9),
      metric('api.queue', 'count', 0, 9.5),
    ]);
    expect(unknown).toEqual({ text: 'api.nope mean [0, 9.5) (this run has no metric named "api.nope")', ok: false, actual: null });
    expect(empty).toMatchObject({ ok: false, actual: null, text: expect.stringContaining('no bucket starts between') });
    expect(quiet).toMatchObject({ ok: false, actual: null, text: expect.stringContaining('no api.latency responses') });
    expect(stockCount).toMatchObject({ ok: false, actual: null });
  });

  it('checks recovery against the verdict, and the verdict kind', () => {
    const recovers = (within: number): Expectation => ({ kind: 'recovers', within, text: `recovers within ${within}s` });
    const fastRun = makeRun(1, 30, [rate('users.goodput', repeat(10, 30)), stock('api.inflight', repeat(1, 30))]);
    const scenario = makeScenario({
      duration: 30,
      faults: [pause(5, 2.5)],
      expect: [recovers(1), recovers(0.25), { kind: 'verdict', is: ['recovered', 'stable'], text: 'verdict' }],
    });
    const results = reduceExpectations(fastRun, scenario, reduceVerdict(fastRun, scenario));
    expect(results).toEqual([
      { text: 'recovers within 1s', ok: true, actual: 0.5 },
      { text: 'recovers within 0.25s', ok: false, actual: 0.5 },
      { text: 'verdict', ok: true, actual: 'recovered' },
    ]);
  });

  it('checks `oscillates` against the oscillation the verdict found: any, none, or in one series', () => {
    // desired: 5, then 21, 3 and 15 after the fault at 5 s: 1.5 cycles of thrash.
    const desired = Array.from({ length: 40 }, (_, i) => (i < 10 ? 5 : i < 20 ? 21 : i < 30 ? 3 : 15));
    const swinging = makeRun(1, 40, [
      rate('users.goodput', repeat(10, 40)),
      stock('api.inflight', repeat(1, 40)),
      stock('api.desired', desired),
    ]);
    const osc = (what: boolean | string): Expectation => ({ kind: 'oscillates', what, text: `oscillates ${String(what)}` });
    const scenario = makeScenario({
      duration: 40,
      faults: [pause(5, 2)],
      expect: [osc(true), osc(false), osc('api.desired'), osc('users.attempts')],
    });
    expect(reduceExpectations(swinging, scenario, reduceVerdict(swinging, scenario)).map((r) => [r.ok, r.actual])).toEqual([
      [true, 'api.desired'],
      [false, 'api.desired'],
      [true, 'api.desired'],
      [false, 'api.desired'],
    ]);
    const calm = makeRun(1, 40, [rate('users.goodput', repeat(10, 40)), stock('api.inflight', repeat(1, 40))]);
    expect(reduceExpectations(calm, scenario, reduceVerdict(calm, scenario)).map((r) => [r.ok, r.actual])).toEqual([
      [false, null],
      [true, null],
      [false, null],
      [false, null],
    ]);
  });

  it('treats `recovers` without faults as holding when the run is stable', () => {
    const [r] = check([{ kind: 'recovers', within: 10, text: 'recovers' }], []);
    expect(r).toEqual({ text: 'recovers (no faults: holds when the run is stable)', ok: true, actual: null });
  });
});
