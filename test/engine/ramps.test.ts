/**
 * Ramping fault sizes (`{ from, to, over }`, model/fault.ts): RAMP_STEPS equal
 * steps, each holding the straight line's value at its middle, then `to`,
 * against hand-computed values mid-ramp.
 */
import { describe, expect, it } from 'vitest';
import { FaultWindows, maxTrafficMultiplier, steppedFault } from '../../sim/engine/model/fault.js';
import { runScenario } from '../../sim/engine/run.js';
import type { Fault } from '../../sim/scenario/types.js';
import { total, values } from '../helpers/build.js';
import { parseOk } from '../scenario/helpers.js';

/** 40 s; a constant client of 10 operations a second; api answers in 10 ms with unbounded workers. */
function system(fault: string): string {
  return `
duration: 40s
sample: 1s
clients:
  users: { target: api, arrival: { kind: constant, rate: 10 } }
services:
  api: { workers: unlimited, serviceTime: 10ms }
faults:
  - ${fault}
`;
}

function meanPerBucket(run: ReturnType<typeof runScenario>, name: string): number[] {
  const s = run.series.series.find((x) => x.name === name);
  if (s?.kind !== 'latency') throw new Error(`no latency series ${name}`);
  return s.buckets.map((h) => Math.round((h.sum / h.count) * 1e7) / 1e4);
}

describe('a ramped fault size', () => {
  it('steps a latency fault from 0 to 100 ms over 10 s: 1 ms a step, each at its middle', () => {
    // Steps of 0.1 s from 10.05 s: an arrival at t is on step k = floor((t - 10.05) / 0.1) and gets (k + 0.5) ms.
    const run = runScenario(
      parseOk(system('{ kind: latency, target: api, at: 10.05s, for: 25s, add: { from: 0ms, to: 100ms, over: 10s } }')),
    );
    const ms = meanPerBucket(run, 'api.latency');
    expect(ms[5]).toBe(10);
    // Arrivals 15.0 ... 15.9 are on steps 49 ... 58: 49.5 ... 58.5 ms added, 54 ms on average.
    expect(ms[15]).toBe(10 + 54);
    // 12.0 ... 12.9: steps 19 ... 28.
    expect(ms[12]).toBe(10 + 24);
    // From 20.05 s the ramp is done: 100 ms until the window ends at 35.05 s.
    expect(ms.slice(21, 35)).toEqual(Array(14).fill(110));
    expect(ms[37]).toBe(10);
  });

  it('ramps a traffic surge: the rate follows the steps, then holds at the top', () => {
    const run = runScenario(
      parseOk(system('{ kind: traffic, target: users, at: 10s, for: 20s, multiply: { from: 1, to: 3, over: 10s } }')),
    );
    const offered = values(run, 'users.offered');
    expect(offered[5]).toBe(10);
    // Second 14-15 is steps 40 ... 49, multipliers 1.81 ... 1.99: about 19 operations.
    expect(Math.abs((offered[14] as number) - 19)).toBeLessThanOrEqual(1);
    expect(offered.slice(21, 29)).toEqual(new Float64Array(8).fill(30));
    expect(total(run, 'users.offered')).toBeGreaterThan(400);
  });
});

describe('FaultWindows with ramps', () => {
  const at = 100;
  const faults: Fault[] = [
    { kind: 'errors', target: 'api', at, for: 60, rate: 0.5, ramps: [{ field: 'rate', from: 0, over: 50 }] },
    { kind: 'link', target: 'api->db', at, for: 60, delay: 0.2, loss: 0, ramps: [{ field: 'delay', from: 0, over: 20 }] },
    { kind: 'traffic', target: 'users', at, for: 60, multiply: 2, ramps: [{ field: 'multiply', from: 6, over: 40 }] },
  ];

  it('hold the middle of each step, and the top once the ramp is over', () => {
    const w = new FaultWindows(faults);
    for (let i = 0; i < faults.length; i++) w.set(i, true);
    // Window open, step 0 of each: 0.5 x 0.5/100, 0.2 x 0.5/100, 6 - 4 x 0.5/100.
    expect(w.serviceEffects('api').errorRate).toBeCloseTo(0.0025, 12);
    expect(w.linkEffects('api->db').delay).toBeCloseTo(0.001, 12);
    expect(w.trafficMultiplier('users')).toBeCloseTo(5.98, 12);
    // 25 s in: step 50 of the 50 s ramp, step 100 (done) of the 20 s one, step 62 of the 40 s one.
    for (let i = 0; i < faults.length; i++) w.step(i, at + 25);
    expect(w.serviceEffects('api').errorRate).toBeCloseTo(0.5 * 0.505, 12);
    expect(w.linkEffects('api->db').delay).toBe(0.2);
    expect(w.trafficMultiplier('users')).toBeCloseTo(6 - 4 * 0.625, 12);
  });

  it('step on their own event time, whatever its rounding', () => {
    const f = faults[0]!;
    for (let k = 1; k < 100; k++) {
      const stepped = steppedFault(f, at + (k * 50) / 100 - at);
      expect(stepped.kind === 'errors' && stepped.rate).toBeCloseTo((0.5 * (k + 0.5)) / 100, 12);
    }
  });

  it('size Poisson thinning for the largest multiplier a ramp reaches, from or to', () => {
    expect(maxTrafficMultiplier(faults, 'users')).toBe(6);
  });
});

describe('evenly spaced arrivals under a changing rate', () => {
  it('carry the gap on across each change: a client ramp from 10/s to 30/s over 10 s sends 11, 13, ... 29 a second', () => {
    // Before, each change restarted the gap, and a ramp that changes every 10 ms never let a 100 ms gap finish.
    const run = runScenario(
      parseOk(`
duration: 12s
sample: 1s
clients:
  users: { target: api, arrival: { kind: constant, rate: { from: 10, to: 30, over: 10s } } }
services:
  api: { workers: unlimited, serviceTime: 10ms }
`),
    );
    const offered = Array.from(values(run, 'users.offered'));
    // The integral of the rate over second s is 10 + 2 (s + 1/2): 11, 13, ..., 29, give or take the arrival on a boundary.
    offered.slice(0, 10).forEach((n, s) => expect(Math.abs(n - (11 + 2 * s))).toBeLessThanOrEqual(1));
    expect(offered.slice(10)).toEqual([30, 30]);
  });
});
