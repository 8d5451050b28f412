/**
 * model/client.ts: a client's rate over time (steps and ramps, traffic
 * faults applied), the peak it thins from, the next time its profile
 * changes, and the metrics it declares.
 */
import { describe, expect, it } from 'vitest';
import { ClientState, defineClientMetrics, maxOfProfile, nextProfileChange, rateOf } from '../../../sim/engine/model/client.js';
import type { RateProfile } from '../../../sim/scenario/types.js';
import { poissonClient } from '../../helpers/build.js';
import { TallySink } from '../../helpers/engine.js';

const steps: RateProfile = {
  kind: 'steps',
  steps: [
    { at: 0, rate: 10 },
    { at: 5, rate: 40 },
    { at: 9, rate: 20 },
  ],
};
const ramp: RateProfile = { kind: 'ramp', from: 10, to: 30, over: 20 };

describe('rate profiles', () => {
  it("give the rate of the step in force, or the ramp's line until it ends", () => {
    expect([rateOf(steps, 0), rateOf(steps, 4.99), rateOf(steps, 5), rateOf(steps, 100)]).toEqual([10, 10, 40, 20]);
    expect([rateOf(ramp, 0), rateOf(ramp, 10), rateOf(ramp, 25)]).toEqual([10, 20, 30]);
  });

  it('give their peak and their next change (a ramp in thousandths of its length)', () => {
    expect([maxOfProfile(steps), maxOfProfile(ramp)]).toEqual([40, 30]);
    expect([nextProfileChange(steps, 0), nextProfileChange(steps, 5), nextProfileChange(steps, 9)]).toEqual([5, 9, Infinity]);
    expect([nextProfileChange(ramp, 0), nextProfileChange(ramp, 19.99), nextProfileChange(ramp, 20)]).toEqual([0.02, 20, Infinity]);
  });
});

describe('ClientState', () => {
  function client(profile: RateProfile, maxMul = 1): ClientState {
    const spec = { ...poissonClient('users', 'api', 1), arrival: { kind: 'poisson' as const, rate: profile } };
    return new ClientState(spec, 0, 0, 1, defineClientMetrics(new TallySink(), 'users', spec), maxMul);
  }

  it('answers its rate at any time, through the cache of its last window, with the traffic multiplier applied', () => {
    const c = client(steps, 3);
    expect(c.maxRate).toBe(120);
    expect([c.rateAt(1), c.rateAt(2), c.rateAt(6), c.rateAt(1)]).toEqual([10, 10, 40, 10]);
    c.setTrafficMultiplier(3);
    expect(c.rateAt(6)).toBe(120);
  });

  it("declares its metrics in the contract's order", () => {
    const sink = new TallySink();
    defineClientMetrics(sink, 'users', { retry: null, breaker: null, rateLimit: null });
    expect(sink.names).toEqual([
      'users.offered',
      'users.attempts',
      'users.retries',
      'users.timeouts',
      'users.goodput',
      'users.failures',
      'users.latency',
    ]);
  });
});
