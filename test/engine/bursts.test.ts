/**
 * Bursts in whole runs: exactly `count` extra operations of the client, at
 * the right times, on top of its arrivals (which do not move), each an
 * ordinary operation of the client, and every one accounted for.
 */
import { describe, expect, it } from 'vitest';
import { runScenario } from '../../sim/engine/run.js';
import type { Client, Fault } from '../../sim/scenario/types.js';
import { constant, constantClient, poissonClient, retry, scenario, service, total, values } from '../helpers/build.js';

type Burst = Fault & { kind: 'burst' };
const burst = (over: Partial<Burst> = {}): Burst => ({
  kind: 'burst',
  target: 'users',
  at: 3.5,
  for: 0,
  count: 7,
  spread: 'even',
  ...over,
});

const run = (faults: Fault[], client: Client = constantClient(10), sample = 1) =>
  runScenario(
    scenario({
      duration: 10,
      sample,
      clients: [client],
      services: [service('api', { workers: Infinity, serviceTime: constant(0.01) })],
      faults,
    }),
  );

describe('a burst', () => {
  it('adds exactly count operations, all in the bucket of its instant', () => {
    // 10/s evenly spaced over 10s: arrivals at 0.1, 0.2, ..., 10 (the last falls at the end): 99 in the run.
    const base = run([]);
    const r = run([burst()]);
    expect(total(r, 'users.offered')).toBe(total(base, 'users.offered') + 7);
    const extra = Array.from(values(r, 'users.offered')).map((v, i) => v - (values(base, 'users.offered')[i] as number));
    expect(extra).toEqual([0, 0, 0, 7, 0, 0, 0, 0, 0, 0]);
    // Each is an ordinary operation, served like the others (nothing fails here).
    expect(total(r, 'users.goodput')).toBe(total(base, 'users.goodput') + 7);
    expect(total(r, 'api.arrivals')).toBe(total(base, 'api.arrivals') + 7);
  });

  it('spread evenly over within: 4 operations over 2s from 3s land at 3, 3.5, 4 and 4.5', () => {
    const base = run([], constantClient(10), 0.5);
    const r = run([burst({ at: 3, for: 2, count: 4 })], constantClient(10), 0.5);
    const extra = Array.from(values(r, 'users.offered')).map((v, i) => v - (values(base, 'users.offered')[i] as number));
    // Buckets of 0.5s (a rate reads per second: one operation is 2): one extra in each of [3, 3.5), [3.5, 4), [4, 4.5), [4.5, 5).
    expect(extra.map((v, i) => (v > 0 ? i : -1)).filter((i) => i >= 0)).toEqual([6, 7, 8, 9]);
    expect(extra.reduce((a, b) => a + b, 0) * 0.5).toBe(4);
  });

  it("spread uniformly: count operations inside the window, and the client's own arrivals do not move", () => {
    const poisson = poissonClient('users', 'api', 20);
    const base = run([], poisson);
    const r = run([burst({ at: 2, for: 3, count: 300, spread: 'uniform' })], poisson);
    const extra = Array.from(values(r, 'users.offered')).map((v, i) => v - (values(base, 'users.offered')[i] as number));
    expect(extra.slice(0, 2).every((v) => v === 0) && extra.slice(5).every((v) => v === 0)).toBe(true);
    expect(extra.slice(2, 5).reduce((a, b) => a + b, 0)).toBe(300);
    expect(extra.slice(2, 5).every((v) => v > 60)).toBe(true);
  });

  it('retries its operations as the client does', () => {
    const c = constantClient(1, { timeout: 0.05, retry: retry(3) });
    const slow = (faults: Fault[]) =>
      runScenario(
        scenario({
          duration: 10,
          clients: [c],
          services: [service('api', { workers: Infinity, serviceTime: constant(1) })],
          faults,
        }),
      );
    const base = slow([]);
    const r = slow([burst({ count: 5 })]);
    // Every attempt times out: 3 attempts per operation, the burst's 5 included, and all of them fail.
    expect(total(r, 'users.attempts') - total(base, 'users.attempts')).toBe(15);
    expect(total(r, 'users.failures') - total(base, 'users.failures')).toBe(5);
  });

  it('is one-shot users on a closed loop: each sends one operation and leaves', () => {
    const closed = poissonClient('users', 'api', 0, { arrival: { kind: 'closed', users: 2, think: constant(1) } });
    const base = run([], closed);
    const r = run([burst({ count: 50 })], closed);
    // Two users each send once per 1.01s (think 1s, serve 0.01s); the 50 extra send once, in bucket 3, and never again.
    const extra = Array.from(values(r, 'users.offered')).map((v, i) => v - (values(base, 'users.offered')[i] as number));
    expect(extra).toEqual([0, 0, 0, 50, 0, 0, 0, 0, 0, 0]);
  });
});
