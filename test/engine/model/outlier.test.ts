/**
 * The outlier detector against Envoy's consecutive-5xx ejection: the Nth
 * error in a row ejects; a success resets the count; the ejection lasts
 * base_ejection_time x the ejection multiplier, capped by max_ejection_time;
 * the replica returns at the first sweep after that; a sweep passed healthy
 * lowers the multiplier; max_ejection_percent bounds how many are out, with
 * one host always ejectable.
 */
import { describe, expect, it } from 'vitest';
import { OutlierDetector } from '../../../sim/engine/model/outlier.js';
import type { OutlierDetection } from '../../../sim/scenario/types.js';

function detector(over: Partial<OutlierDetection> = {}): OutlierDetector {
  return new OutlierDetector({
    consecutiveErrors: 5,
    interval: 10,
    baseEjectionTime: 30,
    maxEjectionPercent: 0.1,
    maxEjectionTime: 300,
    ...over,
  });
}

/** `n` errors from replica `index` at `now`, with 10 ready replicas all in rotation; the results. */
function errors(d: OutlierDetector, index: number, n: number, now = 0): boolean[] {
  return Array.from({ length: n }, () => d.onResponse(index, false, now, 10, 10));
}

describe('consecutive errors', () => {
  it('ejects on exactly the fifth error in a row, and not again while ejected', () => {
    const d = detector();
    expect(errors(d, 0, 7)).toEqual([false, false, false, false, true, false, false]);
    expect(d.isEjected(0)).toBe(true);
    expect(d.ejected).toBe(1);
    expect(d.ejections).toBe(1);
  });

  it('starts the count again after a success', () => {
    const d = detector({ consecutiveErrors: 3 });
    errors(d, 0, 2);
    expect(d.onResponse(0, true, 0, 10, 10)).toBe(false);
    expect(errors(d, 0, 3)).toEqual([false, false, true]);
  });

  it('counts each replica apart', () => {
    const d = detector({ consecutiveErrors: 2, maxEjectionPercent: 1 });
    expect(errors(d, 0, 1)).toEqual([false]);
    expect(errors(d, 1, 1)).toEqual([false]);
    expect(errors(d, 0, 1)).toEqual([true]);
    expect(d.isEjected(1)).toBe(false);
  });
});

describe('ejection time', () => {
  it('returns the replica at the first sweep at or after base x 1, its count cleared', () => {
    const d = detector({ consecutiveErrors: 1 });
    errors(d, 0, 1, 5); // out until 35
    expect(d.sweep(30, 10)).toEqual([]);
    expect(d.sweep(40, 10)).toEqual([0]);
    expect(d.isEjected(0)).toBe(false);
    expect(d.ejected).toBe(0);
  });

  it('lasts base x the number of ejections in a row, at most maxEjectionTime', () => {
    const d = detector({ consecutiveErrors: 1, baseEjectionTime: 30, maxEjectionTime: 75 });
    errors(d, 0, 1, 0); // 30 s
    expect(d.sweep(30, 1)).toEqual([0]);
    errors(d, 0, 1, 30); // 60 s: until 90
    expect(d.multiplierOf(0)).toBe(2);
    expect(d.sweep(80, 1)).toEqual([]);
    expect(d.sweep(90, 1)).toEqual([0]);
    errors(d, 0, 1, 90); // 3 x 30 = 90 s, capped at 75: until 165
    expect(d.sweep(160, 1)).toEqual([]);
    expect(d.sweep(165, 1)).toEqual([0]);
  });

  it('lowers the multiplier by one at each sweep the replica passes in rotation', () => {
    const d = detector({ consecutiveErrors: 1 });
    errors(d, 0, 1, 0);
    d.sweep(30, 1);
    errors(d, 0, 1, 30);
    d.sweep(90, 1); // returns: the multiplier stays at 2
    expect(d.multiplierOf(0)).toBe(2);
    d.sweep(100, 1);
    expect(d.multiplierOf(0)).toBe(1);
    d.sweep(110, 1);
    d.sweep(120, 1);
    expect(d.multiplierOf(0)).toBe(0);
    errors(d, 0, 1, 120); // 30 s again
    expect(d.sweep(150, 1)).toEqual([0]);
  });

  it('takes a base time above maxEjectionTime as the cap, as Envoy does', () => {
    const d = detector({ consecutiveErrors: 1, baseEjectionTime: 60, maxEjectionTime: 20 });
    errors(d, 0, 1, 0);
    expect(d.sweep(50, 1)).toEqual([]);
    expect(d.sweep(60, 1)).toEqual([0]);
  });
});

describe('max ejection percent', () => {
  it('keeps the ejected within the share of the ready replicas: 30% of 10 is 3', () => {
    const d = detector({ consecutiveErrors: 1, maxEjectionPercent: 0.3 });
    const out = [0, 1, 2, 3, 4].map((i) => d.onResponse(i, false, 0, 10, 10 - d.ejected));
    expect(out).toEqual([true, true, true, false, false]);
    expect(d.ejected).toBe(3);
  });

  it('always lets one replica go out, even when the share allows none (10% of 3)', () => {
    const d = detector({ consecutiveErrors: 1, maxEjectionPercent: 0.1 });
    expect(d.onResponse(0, false, 0, 3, 3)).toBe(true);
    expect(d.onResponse(1, false, 0, 3, 2)).toBe(false);
  });

  it('never takes the last replica in rotation out, whatever the share', () => {
    const d = detector({ consecutiveErrors: 1, maxEjectionPercent: 1 });
    expect(d.onResponse(0, false, 0, 1, 1)).toBe(false);
    expect(d.onResponse(0, false, 0, 2, 2)).toBe(true);
    expect(d.onResponse(1, false, 0, 2, 1)).toBe(false);
  });

  it('with 0% ejects one replica and no more', () => {
    const d = detector({ consecutiveErrors: 1, maxEjectionPercent: 0 });
    expect(d.onResponse(0, false, 0, 10, 10)).toBe(true);
    expect(d.onResponse(1, false, 0, 10, 9)).toBe(false);
  });
});
