/**
 * model/fault.ts: the arithmetic of fault windows: overlapping windows on a
 * service combine (multipliers multiply, additions add, error chances are
 * independent, capacity deltas add), traffic multipliers multiply, and pause
 * windows give the time a stretch of work lost and when work resumes.
 */
import { describe, expect, it } from 'vitest';
import {
  FaultWindows,
  KeyedLatency,
  hasKeyedLatency,
  maxTrafficMultiplier,
  pauseEndAt,
  pauseWindows,
  pausedWithin,
} from '../../../sim/engine/model/fault.js';
import type { Fault } from '../../../sim/scenario/types.js';

const faults: Fault[] = [
  { kind: 'latency', target: 'api', at: 0, for: 10, multiply: 2, add: 0.5 },
  { kind: 'latency', target: 'api', at: 5, for: 10, multiply: 1.5, add: 0.25 },
  { kind: 'errors', target: 'api', at: 0, for: 10, rate: 0.2 },
  { kind: 'errors', target: 'api', at: 0, for: 10, rate: 0.5 },
  { kind: 'capacity', target: 'api', at: 0, for: 10, instances: -1, workers: 2 },
  { kind: 'capacity', target: 'api', at: 0, for: 10, instances: 3, workers: -1 },
  { kind: 'latency', target: 'db', at: 0, for: 10, multiply: 9, add: 9 },
  { kind: 'traffic', target: 'users', at: 20, for: 10, multiply: 3 },
  { kind: 'traffic', target: 'users', at: 25, for: 10, multiply: 0.5 },
  { kind: 'pause', target: 'api', at: 8, for: 2 },
  { kind: 'pause', target: 'api', at: 1, for: 2 },
];

describe('FaultWindows', () => {
  it('combine the open windows on a service, and only those', () => {
    const w = new FaultWindows(faults);
    expect(w.serviceEffects('api')).toEqual({ latencyAdd: 0, latencyMul: 1, errorRate: 0, instances: 0, workers: 0, paused: false });
    for (const i of [0, 1, 2, 3, 4, 5, 6, 9]) w.set(i, true);
    const fx = w.serviceEffects('api');
    expect([fx.latencyAdd, fx.latencyMul, fx.instances, fx.workers, fx.paused]).toEqual([0.75, 3, 2, 1, true]);
    expect(fx.errorRate).toBeCloseTo(1 - 0.8 * 0.5, 15);
    expect(w.set(1, false)).toBe(faults[1]);
    expect(w.serviceEffects('api').latencyMul).toBe(2);
  });

  it('multiply the open traffic windows of a client', () => {
    const w = new FaultWindows(faults);
    w.set(7, true);
    w.set(8, true);
    expect(w.trafficMultiplier('users')).toBe(1.5);
    expect(w.trafficMultiplier('other')).toBe(1);
  });

  it('give the next time a traffic window of a client opens or closes', () => {
    const w = new FaultWindows(faults);
    expect([
      w.nextTrafficChange('users', 0),
      w.nextTrafficChange('users', 20),
      w.nextTrafficChange('users', 26),
      w.nextTrafficChange('users', 35),
    ]).toEqual([20, 25, 30, Infinity]);
  });
});

describe('traffic and pauses', () => {
  it("bound a client's traffic by the product of its multipliers above 1", () => {
    expect(maxTrafficMultiplier(faults, 'users')).toBe(3);
    expect(maxTrafficMultiplier(faults, 'nobody')).toBe(1);
  });

  it("list a service's pause windows by start", () => {
    expect(pauseWindows(faults, 'api')).toEqual([
      { start: 1, end: 3 },
      { start: 8, end: 10 },
    ]);
    expect(pauseWindows(faults, 'db')).toEqual([]);
    const overlapping: Fault[] = [
      { kind: 'pause', target: 'db', at: 5, for: 10 },
      { kind: 'pause', target: 'db', at: 1, for: 5 },
      { kind: 'pause', target: 'db', at: 20, for: 1 },
    ];
    expect(pauseWindows(overlapping, 'db')).toEqual([
      { start: 1, end: 15 },
      { start: 20, end: 21 },
    ]);
  });

  it('measure the paused time within a stretch, and resume after chained windows', () => {
    const p = [
      { start: 1, end: 3 },
      { start: 3, end: 4 },
      { start: 8, end: 10 },
    ];
    expect(pausedWithin(p, 0, 9)).toBe(4);
    expect(pausedWithin(p, 2, 2.5)).toBe(0.5);
    expect(pausedWithin(p, 4, 8)).toBe(0);
    expect(pauseEndAt(p, 2)).toBe(4);
    expect(pauseEndAt(p, 5)).toBe(5);
  });
});

describe('latency faults on keys', () => {
  const onKeys = (from: number, to: number, add: number, multiply: number): Fault => ({
    kind: 'latency',
    target: 'db',
    at: 10,
    for: 10,
    add,
    multiply,
    keys: { from, to },
  });

  it('leave the service-wide effects alone and act on the work of their keys only, overlaps combining', () => {
    const w = new FaultWindows([onKeys(0, 9, 0.5, 1), onKeys(5, 5, 0, 3)]);
    w.set(0, true);
    w.set(1, true);
    expect(w.serviceEffects('db')).toMatchObject({ latencyAdd: 0, latencyMul: 1 });
    const k = new KeyedLatency();
    k.open = w.keyedLatency('db');
    // Key 2: 0.1 + 0.5; key 5: 0.1 x 3 + 0.5 (multipliers multiply, additions add); key 10 and no key (-1): untouched.
    expect(k.apply(0.1, 2)).toBeCloseTo(0.6, 12);
    expect(k.apply(0.1, 5)).toBeCloseTo(0.8, 12);
    expect(k.apply(0.1, 10)).toBe(0.1);
    expect(k.apply(0.1, -1)).toBe(0.1);
    w.set(0, false);
    k.open = w.keyedLatency('db');
    expect(k.apply(0.1, 2)).toBe(0.1);
    expect(w.keyedLatency('api')).toEqual([]);
    expect(hasKeyedLatency([onKeys(0, 0, 1, 1)], 'db')).toBe(true);
    expect(hasKeyedLatency([onKeys(0, 0, 1, 1)], 'api')).toBe(false);
  });
});
