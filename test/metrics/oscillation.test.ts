import { describe, expect, it } from 'vitest';
import { measureDamage } from '../../sim/metrics/damage.js';
import { findOscillation } from '../../sim/metrics/oscillation.js';
import { growingStock, totalBacklog, workStocks } from '../../sim/metrics/stocks.js';
import { makeRun, makeScenario, rate, repeat, stock } from './fixtures.js';

const all = (n: number) => ({ first: 0, end: n });

describe('findOscillation', () => {
  const scenario = makeScenario({ duration: 200, services: ['api'] });

  it('counts an autoscaler that overshoots, strips the tier and overshoots again (1.5 cycles)', () => {
    // desired: 5 until 50 s, 21 until 100 s, 3 until 150 s, then 15.
    const desired = Array.from({ length: 200 }, (_, i) => (i < 50 ? 5 : i < 100 ? 21 : i < 150 ? 3 : 15));
    const run = makeRun(1, 200, [stock('api.desired', desired)]);
    const o = findOscillation(run, scenario, { first: 40, end: 200 }, { first: 0, end: 40 });
    // Legs 5 → 21 → 3 → 15: amplitude (16 + 18 + 12) / 3; turning points at 50 s and 100 s (from 40 s).
    expect(o).toEqual({ component: 'api', metric: 'desired', periodSeconds: 60, amplitude: 15.3333, cycles: 1.5 });
  });

  it('ignores a single scale-up and scale-down, however large', () => {
    const desired = Array.from({ length: 200 }, (_, i) => (i < 50 ? 5 : i < 150 ? 21 : 5));
    const run = makeRun(1, 200, [stock('api.desired', desired)]);
    expect(findOscillation(run, scenario, { first: 40, end: 200 }, { first: 0, end: 40 })).toBeNull();
  });

  it('finds retry waves in attempts, and not the Poisson noise of a steady rate', () => {
    const scenarioU = makeScenario({ duration: 200, clients: ['users'] });
    const waves = Array.from({ length: 200 }, (_, i) => (i >= 60 && i < 130 && (i - 60) % 10 === 0 ? 3000 : 300 + ((i * 7919) % 40) - 20));
    const o = findOscillation(makeRun(1, 200, [rate('users.attempts', waves)]), scenarioU, { first: 60, end: 200 }, { first: 0, end: 60 });
    // Seven waves from the trigger at 60 s: the window opens on the first crest, so 13 legs, 6.5 cycles.
    expect(o).toMatchObject({ component: 'users', metric: 'attempts', periodSeconds: 10, cycles: 6.5 });
    const steady = Array.from({ length: 200 }, (_, i) => 300 + ((i * 7919) % 100) - 50);
    expect(
      findOscillation(makeRun(1, 200, [rate('users.attempts', steady)]), scenarioU, { first: 60, end: 200 }, { first: 0, end: 60 }),
    ).toBeNull();
  });

  it('does not take the bursts of a load the fault raised for swings: a leg must be half its trough', () => {
    const scenarioU = makeScenario({ duration: 200, clients: ['users'] });
    // 100/s until 60 s; then 1,250/s with bursts of ±230 (retries come in bunches): above the baseline's θ of 50, not swings.
    const raised = Array.from({ length: 200 }, (_, i) => (i < 60 ? 100 : 1250 + (i % 4 === 0 ? 230 : i % 4 === 2 ? -230 : 0)));
    const run = makeRun(1, 200, [rate('users.attempts', raised)]);
    expect(findOscillation(run, scenarioU, { first: 60, end: 200 }, { first: 0, end: 60 })).toBeNull();
    // The same bursts as real waves down to the baseline count: 1,250 → 100 is more than half of 100.
    const waves = raised.map((v, i) => (i >= 60 && i % 20 < 10 ? 100 : v));
    expect(
      findOscillation(makeRun(1, 200, [rate('users.attempts', waves)]), scenarioU, { first: 60, end: 200 }, { first: 0, end: 60 }),
    ).toMatchObject({
      metric: 'attempts',
      periodSeconds: 20,
    });
  });

  it('tells a flapping breaker from one held open and probing', () => {
    const edgeScenario = makeScenario({ duration: 60, services: ['api', 'db'], calls: { api: ['db'] } });
    const opens = Array.from({ length: 60 }, (_, i) => (i >= 10 && i < 40 && i % 3 === 1 ? 1 : 0));
    const flapping = Array.from({ length: 60 }, (_, i) => (i >= 10 && i < 40 && i % 3 === 1 ? 1 : 0));
    const flap = makeRun(1, 60, [rate('api->db.breaker.opens', opens), stock('api->db.breaker', flapping)]);
    expect(findOscillation(flap, edgeScenario, all(60), all(60))).toEqual({
      component: 'api->db',
      metric: 'breaker',
      periodSeconds: 3,
      amplitude: 1,
      cycles: 10,
    });
    const held = makeRun(1, 60, [rate('api->db.breaker.opens', opens), stock('api->db.breaker', repeat(1, 60))]);
    expect(findOscillation(held, edgeScenario, all(60), all(60))).toBeNull();
  });
});

describe('measureDamage', () => {
  it('sums the shortfall (late work counts as served), finds the worst bucket and the seconds below half', () => {
    const goodput = Float64Array.from({ length: 10 }, (_, i) => (i === 3 || i === 4 ? 0 : i === 5 ? 300 : 100));
    const run = makeRun(1, 10, []);
    const d = measureDamage(run, goodput, new Float64Array(10).fill(100), all(10), 'preFault');
    expect(d).toEqual({ lostOperations: 0, worstGoodputShare: 0, secondsBelowHalf: 2, worstAt: 3, reference: 'preFault' });
  });

  it('smooths slow clients over enough buckets to hold 100 operations', () => {
    // 10 operations a second: a 10 s window. One empty bucket is noise, not damage.
    const goodput = Float64Array.from({ length: 60 }, (_, i) => (i === 30 ? 0 : 10));
    const d = measureDamage(makeRun(1, 60, []), goodput, new Float64Array(60).fill(10), all(60), 'offered');
    expect(d).toMatchObject({ lostOperations: 10, worstGoodputShare: 0.9, secondsBelowHalf: 0 });
  });

  it('is null when nothing was expected', () => {
    expect(measureDamage(makeRun(1, 5, []), new Float64Array(5), new Float64Array(5), all(5), 'offered')).toBeNull();
  });
});

describe('work stocks', () => {
  const sc = makeScenario({ duration: 10, services: ['api', 'db'], calls: { api: ['db'] } });
  const run = makeRun(1, 10, [
    stock('api.queue', repeat(0, 10)),
    stock('db.queue', repeat(5, 10)),
    stock('api->db.pool.waiting', [0, 0, 0, 0, 0, 100, 200, 300, 400, 400]),
    stock('users.retry.waiting', repeat(1, 10)),
  ]);

  it('lists every recorded stock, the most specific first', () => {
    expect(workStocks(run, sc).map((s) => s.series)).toEqual(['api->db.pool.waiting', 'users.retry.waiting', 'api.queue', 'db.queue']);
  });

  it('adds up only the stocks of their own: a pool waiter is already a busy worker of its caller', () => {
    expect(Array.from(totalBacklog(run, workStocks(run, sc)))).toEqual(repeat(6, 10));
  });

  it('names the stock that grew most', () => {
    expect(growingStock(workStocks(run, sc), 0, 10)).toEqual({
      series: 'api->db.pool.waiting',
      label: 'waiting for a pool connection',
      peak: 400,
    });
    expect(growingStock(workStocks(run, sc), 0, 5)).toEqual({ series: 'db.queue', label: 'waiting for a worker', peak: 5 });
  });
});
