/**
 * The fallback model: which calls absorb their failure, what the plan of an
 * edge holds, and the degraded mark keyed to a request's generation.
 */
import { describe, expect, it } from 'vitest';
import { FallbackPlan, absorbsFailure, degradable, isDegraded, markDegraded } from '../../../sim/engine/model/fallback.js';
import { createGenerator } from '../../../sim/engine/rng.js';
import { call, constant, scenario, service } from '../../helpers/build.js';

describe('which calls absorb their failure', () => {
  it('a call with a fallback or marked optional; a plain call does not', () => {
    expect(absorbsFailure(call('db'))).toBe(false);
    expect(absorbsFailure(call('db', { optional: true }))).toBe(true);
    expect(absorbsFailure(call('db', { fallback: { serviceTime: constant(0), degraded: true } }))).toBe(true);
  });

  it('a scenario can degrade an answer when any of its calls absorbs', () => {
    expect(degradable(scenario({ services: [service('api', { calls: [call('db')] }), service('db')] }))).toBe(false);
    expect(
      degradable(scenario({ services: [service('api', { calls: [call('db'), call('db', { optional: true })] }), service('db')] })),
    ).toBe(true);
  });
});

describe('the plan of an edge', () => {
  const g = createGenerator(1, 'test');
  it('an optional call takes no time and degrades the answer', () => {
    const p = new FallbackPlan(call('db', { optional: true }), g);
    expect(p.time.zero).toBe(true);
    expect(p.degrades).toBe(true);
  });

  it('a fallback takes its serviceTime and degrades unless told not to', () => {
    const p = new FallbackPlan(call('db', { fallback: { serviceTime: constant(0.005), degraded: false } }), g);
    expect(p.time.zero).toBe(false);
    expect(p.time.next()).toBe(0.005);
    expect(p.degrades).toBe(false);
  });
});

describe('the degraded mark', () => {
  it('holds for the generation it was set in, and no other', () => {
    const marks = new Int32Array(4);
    expect(isDegraded(marks, 2, 0)).toBe(false);
    markDegraded(marks, 2, 0);
    expect(isDegraded(marks, 2, 0)).toBe(true);
    // The id is released (its generation bumped) and reused: the mark is gone without a reset.
    expect(isDegraded(marks, 2, 1)).toBe(false);
    expect(isDegraded(marks, 1, 0)).toBe(false);
  });

  it('wraps with the 32-bit generation', () => {
    const marks = new Int32Array(1);
    markDegraded(marks, 0, 2147483647);
    expect(isDegraded(marks, 0, 2147483647)).toBe(true);
    expect(isDegraded(marks, 0, -2147483648)).toBe(false);
  });
});
