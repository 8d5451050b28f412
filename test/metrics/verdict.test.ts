import { describe, expect, it } from 'vitest';
import { describeVerdict } from '../../reports/verdict-text.js';
import { goodputThreshold, reduceVerdict } from '../../sim/metrics/verdict.js';
import type { Fault } from '../../sim/scenario/types.js';
import { simulate } from '../../sim/simulate.js';
import { exp, poissonClient, scenario, service } from '../helpers/build.js';
import { makeRun, makeScenario, pause, rate, repeat, stock } from './fixtures.js';

/**
 * A 100 s run, 1 s buckets, warmup 10 s: goodput 100/s and in-flight 5 until
 * the fault at 30 s; then `after(i)` gives [goodput, inflight] for bucket i ≥ 30.
 */
function faultRun(after: (i: number) => readonly [number, number], duration = 100, sample = 1) {
  const n = Math.ceil(duration / sample - 1e-9);
  const goodput: number[] = [];
  const inflight: number[] = [];
  for (let i = 0; i < n; i += 1) {
    const [g, f] = i * sample < 30 ? [100, 5] : after(i * sample);
    goodput.push(g);
    inflight.push(f);
  }
  return makeRun(sample, duration, [rate('users.goodput', goodput), stock('api.inflight', inflight), stock('api.queue', repeat(0, n))]);
}

function judge(run: ReturnType<typeof faultRun>, faults: readonly Fault[], warmup = 10) {
  return reduceVerdict(run, makeScenario({ duration: run.duration, sample: run.sample, warmup, faults }));
}

describe('reduceVerdict with faults', () => {
  it('finds the first bucket whose hold passes: goodput back, in-flight below its limit', () => {
    // Fault [30, 40). Goodput is back at 95/s from 43 s (threshold 90.5), in-flight 20 until 45 s (limit 10).
    const run = faultRun((t) => (t < 40 ? [0, 500] : t < 43 ? [50, 100] : t < 45 ? [95, 20] : [100, 5]));
    const v = judge(run, [pause(30, 10)]);
    expect(v).toMatchObject({ kind: 'recovered', recoverySeconds: 5, faultsEnd: 40, watchedSeconds: 60, holdSeconds: 10 });
    expect(v.reference).toEqual({ from: 10, to: 30 });
    expect(v.clients).toEqual([{ name: 'users', reference: 100, threshold: 90.5132, atEnd: 100, fractionAtEnd: 1 }]);
    expect(v.services).toEqual([{ name: 'api', referenceP99: 5, limit: 10, atEnd: 5 }]);
    expect(v.reason).toMatch(/^Recovered 5 s after the last fault ended at 40 s/);
  });

  it('counts 0 s when the system is fine as soon as the faults end', () => {
    expect(
      judge(
        faultRun(() => [100, 5]),
        [pause(30, 10)],
      ),
    ).toMatchObject({ kind: 'recovered', recoverySeconds: 0 });
  });

  it('counts from the end of the last fault window, which may fall inside a bucket', () => {
    const faults = [pause(30, 5), pause(32, 8.5, 'users')]; // ends at 40.5: candidates start at 41 s
    expect(
      judge(
        faultRun(() => [100, 5]),
        faults,
      ),
    ).toMatchObject({ kind: 'recovered', recoverySeconds: 0.5, faultsEnd: 40.5 });
  });

  it('tolerates goodput noise within max(5%, 3/√(expected operations in the hold))', () => {
    // ref 100/s × 10 s = 1000 operations: tolerance 3/√1000 = 9.49%.
    expect(
      judge(
        faultRun(() => [91, 5]),
        [pause(30, 10)],
      ).kind,
    ).toBe('recovered');
    expect(
      judge(
        faultRun(() => [90, 5]),
        [pause(30, 10)],
      ).kind,
    ).toBe('metastable');
    // A hold mean that passes although single buckets dip well below the threshold.
    expect(
      judge(
        faultRun((t) => [t % 2 === 0 ? 80 : 102, 5]),
        [pause(30, 10)],
      ).kind,
    ).toBe('recovered');
  });

  it('is one-sided: a draining backlog may push goodput above the reference', () => {
    expect(
      judge(
        faultRun(() => [180, 9]),
        [pause(30, 10)],
      ),
    ).toMatchObject({ kind: 'recovered', recoverySeconds: 0 });
  });

  it('says metastable when goodput and in-flight never come back, and how far off they ended', () => {
    const v = judge(
      faultRun(() => [30, 900]),
      [pause(30, 10)],
    );
    expect(v).toMatchObject({ kind: 'metastable', recoverySeconds: null, watchedSeconds: 60 });
    expect(v.clients[0]).toMatchObject({ atEnd: 30, fractionAtEnd: 0.3 });
    expect(v.reason).toBe(
      'Not recovered in the 60 s watched after the last fault ended at 40 s: over the last 10 s, ' +
        'users goodput 30/s (30% of its reference 100/s); api in-flight 900 (limit 10); ' +
        'the backlog is not shrinking (api.inflight, users.goodput flat or growing after the faults).',
    );
  });

  it('needs the in-flight check in every bucket of the hold, not on average', () => {
    const v = judge(
      faultRun((t) => [100, t % 9 === 0 ? 12 : 5]),
      [pause(30, 10)],
    );
    expect(v.kind).toBe('metastable');
  });

  it('says metastable when the run ends less than a hold after the faults', () => {
    const v = judge(
      faultRun(() => [100, 5]),
      [pause(30, 62)],
    );
    expect(v).toMatchObject({ kind: 'metastable', watchedSeconds: 8 });
    expect(v.reason).toContain('less than the 10 s hold recovery needs');
  });

  it('holds for max(10 s, 10 buckets) in whole buckets', () => {
    // 0.1 s buckets: 100 of them. In-flight recovers at 50 s, fault ends at 40 s.
    const fine = judge(
      faultRun((t) => (t < 49.95 ? [100, 50] : [100, 5]), 100, 0.1),
      [pause(30, 10)],
    );
    expect(fine).toMatchObject({ kind: 'recovered', recoverySeconds: 10, holdSeconds: 10 });
    // 3 s buckets: 10 of them, 30 s.
    const coarse = judge(
      faultRun(() => [100, 5], 100, 3),
      [pause(30, 9)],
    );
    expect(coarse).toMatchObject({ kind: 'recovered', recoverySeconds: 0, holdSeconds: 30 });
  });

  it('falls back to the buckets before warmup when the first fault comes earlier', () => {
    const v = judge(
      faultRun(() => [100, 5]),
      [pause(30, 10)],
      35,
    );
    expect(v.reference).toEqual({ from: 0, to: 30 });
    expect(v.reason).toContain('taken from before warmup');
  });

  it('judges in-flight alone, against 10, when no whole bucket precedes the first fault', () => {
    const run = makeRun(1, 60, [rate('users.goodput', repeat(1, 60)), stock('api.inflight', repeat(4, 60))]);
    const v = judge(run, [pause(0.5, 10)], 0);
    expect(v).toMatchObject({ kind: 'recovered', recoverySeconds: 0.5, reference: null });
    expect(v.clients[0]).toMatchObject({ reference: null, threshold: null, fractionAtEnd: null });
    expect(v.services[0]).toMatchObject({ referenceP99: null, limit: 10 });
    expect(v.reason).toContain('there is no reference');
  });
});

describe('reduceVerdict: faults that changed nothing read unaffected', () => {
  it('says unaffected when goodput and in-flight never leave their reference levels', () => {
    const v = judge(
      faultRun(() => [100, 5]),
      [pause(30, 10)],
    );
    expect(v).toMatchObject({ kind: 'recovered', recoverySeconds: 0, unaffected: true });
    expect(v.reason).toMatch(/^Unaffected: from the first fault at 30 s to 50 s, goodput stayed within noise/);
  });

  it('reads a recovery that noise delayed as unaffected, keeping the delay in recoverySeconds', () => {
    // Goodput 89/s over 40-50 s: the recovery test (threshold 90.5132) passes only from 42 s,
    // but 89 is within max(5%, 4/√1000 = 12.65%) of 100, so nothing measurable happened.
    const run = faultRun((t) => [t >= 40 && t < 50 ? 89 : 100, 5]);
    const v = judge(run, [pause(30, 10)]);
    expect(v).toMatchObject({ kind: 'recovered', recoverySeconds: 2, unaffected: true });
    expect(v.reason).toMatch(/^Unaffected: from the first fault at 30 s to 52 s/);
    // At 87/s (13% short) the same dip is damage: recovered after 3 s, not unaffected.
    const worse = faultRun((t) => [t >= 40 && t < 50 ? 87 : 100, 5]);
    expect(judge(worse, [pause(30, 10)])).toMatchObject({ kind: 'recovered', recoverySeconds: 3, unaffected: false });
  });

  it('is not unaffected when goodput fell during the faults, although the run recovers at once', () => {
    const v = judge(
      faultRun((t) => [t < 40 ? 0 : 100, 5]),
      [pause(30, 10)],
    );
    expect(v).toMatchObject({ kind: 'recovered', recoverySeconds: 0, unaffected: false });
    expect(v.reason).toMatch(/^Recovered 0 s after/);
  });

  it('is not unaffected when in-flight reached its limit in one bucket during the faults', () => {
    const v = judge(
      faultRun((t) => [100, t === 35 ? 10 : 5]),
      [pause(30, 10)],
    );
    expect(v).toMatchObject({ kind: 'recovered', recoverySeconds: 0, unaffected: false });
  });

  it('is never unaffected without a reference window, nor without faults, nor when not recovered', () => {
    const run = makeRun(1, 60, [rate('users.goodput', repeat(1, 60)), stock('api.inflight', repeat(4, 60))]);
    expect(judge(run, [pause(0.5, 10)], 0)).toMatchObject({ kind: 'recovered', unaffected: false });
    expect(
      judge(
        faultRun(() => [100, 5]),
        [],
      ),
    ).toMatchObject({ kind: 'stable', unaffected: false });
    expect(
      judge(
        faultRun(() => [30, 900]),
        [pause(30, 10)],
      ),
    ).toMatchObject({ kind: 'metastable', unaffected: false });
  });
});

describe('reduceVerdict: draining or metastable, when not recovered', () => {
  it('is draining when the backlog over its limit shrinks: the rate, and when its line meets the limit', () => {
    // In-flight 900 at the end of the fault, 10 fewer every second after: 300 at 100 s, the limit is 10.
    const v = judge(
      faultRun((t) => (t < 40 ? [0, 900] : [100, 900 - 10 * (t - 40)])),
      [pause(30, 10)],
    );
    expect(v).toMatchObject({ kind: 'draining', recoverySeconds: null });
    expect(v.drain).toEqual({ perSecond: 10, clearsInSeconds: 29, series: 'api.inflight' });
    expect(v.reason).toMatch(/^Draining: .* api\.inflight is shrinking by 10\/s and should be under its limit in about 29 s/);
  });

  it('is metastable when the backlog shrinks by less than 10% of its level over the tail', () => {
    // 900 falling by 1 a second: 30 over the tail of 30 s, 3%: flat for the rule.
    const v = judge(
      faultRun((t) => [100, 900 - (t - 30)]),
      [pause(30, 10)],
    );
    expect(v).toMatchObject({ kind: 'metastable', drain: null });
  });

  it('is metastable when goodput stays down with no backlog, and draining when it climbs back', () => {
    expect(
      judge(
        faultRun(() => [40, 5]),
        [pause(30, 10)],
      ),
    ).toMatchObject({ kind: 'metastable', drain: null });
    // Goodput climbs by 1/s from 20/s at 40 s: 79/s at 99 s, still short of the threshold 90.5132;
    // its line reaches 80 at the end of the run (100 s) and the threshold 10.5 s later.
    const v = judge(
      faultRun((t) => [t < 40 ? 0 : 20 + (t - 40), 5]),
      [pause(30, 10)],
    );
    expect(v.kind).toBe('draining');
    expect(v.drain).toMatchObject({ perSecond: null, series: 'users.goodput' });
    expect(v.drain!.clearsInSeconds).toBeCloseTo(10.5132, 3);
  });

  it('names a backlog that holds before goodput that falls', () => {
    const v = judge(
      faultRun(() => [10, 900]),
      [pause(30, 10)],
    );
    expect(v.reason).toContain('the backlog is not shrinking (api.inflight, users.goodput flat or growing after the faults)');
  });
});

describe('reduceVerdict: a baseline already overloaded before the first fault', () => {
  /** faultRun's shape, with the queue of api given per bucket. */
  function runWithQueue(queue: (i: number) => number) {
    const n = 100;
    const goodput = Array.from({ length: n }, () => 100);
    const inflight = Array.from({ length: n }, (_, i) => 5 + queue(i));
    return makeRun(1, n, [
      rate('users.goodput', goodput),
      stock('api.inflight', inflight),
      stock(
        'api.queue',
        Array.from({ length: n }, (_, i) => queue(i)),
      ),
    ]);
  }

  it('keeps the kind the rule gives, and warns in the reason that the reference level was not healthy', () => {
    // The queue climbs by 20 a second from t = 0: over the reference window [10, 30) it grows from 200 to 580.
    const v = judge(
      runWithQueue((i) => 20 * i),
      [pause(30, 10)],
    );
    expect(v.baselineQueue).toMatchObject({ overloadedBy: 'steadyClimb', last: 580 });
    expect(v.reason).toContain('Caution: the system was already overloaded before the first fault');
    expect(v.reason).toContain('(10 s to 30 s)');
  });

  it('says nothing more when the baseline is healthy', () => {
    const v = judge(
      faultRun(() => [100, 5]),
      [pause(30, 10)],
    );
    expect(v.baselineQueue).toMatchObject({ overloadedBy: null });
    expect(v.reason).not.toContain('Caution');
  });

  it('has no baseline without faults', () => {
    const run = makeRun(1, 100, [stock('api.queue', repeat(1, 100))]);
    expect(reduceVerdict(run, makeScenario({ duration: 100, warmup: 10 })).baselineQueue).toBeNull();
  });
});

describe('reduceVerdict without faults', () => {
  const n = 100;
  const queueRun = (queue: (i: number) => number) =>
    makeRun(1, n, [
      stock(
        'api.queue',
        Array.from({ length: n }, (_, i) => queue(i)),
      ),
      stock('db.queue', repeat(1, n)),
    ]);
  const judgeQueue = (queue: (i: number) => number) =>
    reduceVerdict(queueRun(queue), makeScenario({ duration: n, warmup: 10, services: ['api', 'db'] }));

  it('is stable when the total queue stays low, however noisy', () => {
    const v = judgeQueue((i) => (i * 7919) % 13);
    expect(v).toMatchObject({ kind: 'stable', recoverySeconds: null, queue: { overloadedBy: null } });
    expect(v.reason).toMatch(/^No faults, and the total queue does not grow/);
  });

  it('is overloaded when the queue rises through the second half and ends above max(100, 10 × median)', () => {
    const v = judgeQueue((i) => (i < 60 ? 2 : (i - 60) ** 2));
    expect(v).toMatchObject({ kind: 'overloaded', queue: { overloadedBy: 'endAboveBound', median: 3, last: 1522, bound: 100 } });
  });

  it('is overloaded when the queue climbs steadily from the start (refinement)', () => {
    // Linear growth ends at about twice its median, so the 10 × rule alone misses it.
    const v = judgeQueue((i) => 20 * i);
    expect(v.queue).toMatchObject({ overloadedBy: 'steadyClimb', last: 1981 });
    expect(v.kind).toBe('overloaded');
  });

  it('is stable when the queue is high but bounded, or falling', () => {
    expect(judgeQueue((i) => 500 + ((i * 7919) % 200)).kind).toBe('stable');
    expect(judgeQueue((i) => 5000 - 40 * i).kind).toBe('stable');
    expect(judgeQueue((i) => Math.min(1000, 50 * i)).kind).toBe('stable'); // a full, bounded queue
  });

  it('is stable when the queue ends above 10 × its median but stays under 100', () => {
    expect(judgeQueue((i) => (i < 90 ? 0 : 5 * (i - 89))).kind).toBe('stable');
  });
});

describe('goodputThreshold', () => {
  it('applies max(5%, 3/√(reference × hold)) below the reference', () => {
    expect(goodputThreshold(10_000, 10)).toBeCloseTo(9500, 9);
    expect(goodputThreshold(100, 10)).toBeCloseTo(100 * (1 - 3 / Math.sqrt(1000)), 9);
    expect(goodputThreshold(0.05, 10)).toBe(0); // tolerance above 100%
    expect(goodputThreshold(0, 10)).toBe(0);
  });
});

describe('the verdict of a run overloaded before its fault (engine to verdict)', () => {
  it('warns that the pre-fault level is not healthy, in the reason and in the report sentence', () => {
    // 120 arrivals a second at a service that finishes 100: the queue grows by about 20 a second
    // from the start, long before the short pause at 60 s.
    const sc = scenario({
      duration: 120,
      warmup: 10,
      clients: [poissonClient('users', 'api', 120)],
      services: [service('api', { serviceTime: exp(0.01) })],
      faults: [pause(60, 2)],
    });
    const res = simulate(sc);
    expect(res.summary.verdict.baselineQueue?.overloadedBy).not.toBeNull();
    expect(res.summary.verdict.reason).toContain('Caution: the system was already overloaded before the first fault');
    expect(describeVerdict(res.summary.verdict, res.scenario)).toContain('Caution: the queue was already growing before the first fault');
  });
});
