/**
 * The stocks and the counter the verdict's diagnosis reads: operations and
 * calls backing off before a retry (`retry.waiting`), calls waiting on a
 * coalesced cache fill (`cache.waiting`), and a breaker's openings
 * (`breaker.opens`). Each is recorded only where the mechanism exists.
 */
import { describe, expect, it } from 'vitest';
import { runScenario, type RunResult } from '../../sim/engine/run.js';
import type { Breaker } from '../../sim/scenario/types.js';
import { call, constant, poissonClient, retry, scenario, service, total, values } from '../helpers/build.js';

const mean = (v: Float64Array, from: number, to: number): number => v.slice(from, to).reduce((a, b) => a + b, 0) / (to - from);
const has = (r: RunResult, name: string): boolean => r.series.series.some((s) => s.name === name);

describe('retry sleepers', () => {
  it("counts a client's operations waiting out a backoff: Little's law, rate × sleeps per operation × sleep", () => {
    // 100 operations a second all fail for 40 s; each sleeps 1 s before each of its 2 retries.
    const r = runScenario(
      scenario({
        duration: 80,
        clients: [{ ...poissonClient('users', 'api', 100), retry: retry(3, { backoff: { kind: 'constant', base: 1 } }) }],
        services: [service('api', { workers: Infinity, serviceTime: constant(0.001) })],
        faults: [{ kind: 'errors', target: 'api', at: 20, for: 40, rate: 1 }],
      }),
    );
    const sleeping = values(r, 'users.retry.waiting');
    expect(mean(sleeping, 25, 55)).toBeGreaterThan(180);
    expect(mean(sleeping, 25, 55)).toBeLessThan(220);
    expect(mean(sleeping, 65, 80)).toBe(0);
  });

  it("counts a call edge's calls waiting out a backoff, which keep their caller's worker", () => {
    const r = runScenario(
      scenario({
        duration: 60,
        clients: [poissonClient('users', 'api', 100)],
        services: [
          service('api', {
            workers: Infinity,
            serviceTime: constant(0.001),
            calls: [call('db', { retry: retry(3, { backoff: { kind: 'constant', base: 0.5 } }) })],
          }),
          service('db', { workers: Infinity, serviceTime: constant(0.001) }),
        ],
        faults: [{ kind: 'errors', target: 'db', at: 20, for: 30, rate: 1 }],
      }),
    );
    const sleeping = values(r, 'api->db.retry.waiting');
    // 100 calls a second × 2 sleeps of 0.5 s.
    expect(mean(sleeping, 25, 45)).toBeGreaterThan(90);
    expect(mean(sleeping, 25, 45)).toBeLessThan(110);
    const busy = values(r, 'api.busy');
    for (let i = 0; i < 60; i += 1) expect(busy[i]).toBeGreaterThanOrEqual(sleeping[i]! - 1e-9);
  });

  it('is not recorded where nothing backs off', () => {
    const r = runScenario(
      scenario({
        duration: 5,
        clients: [{ ...poissonClient('users', 'api', 10), retry: retry(3) }],
        services: [
          service('api', { workers: Infinity, serviceTime: constant(0.001), calls: [call('db')] }),
          service('db', { serviceTime: constant(0.001) }),
        ],
      }),
    );
    expect(has(r, 'users.retry.waiting')).toBe(false);
    expect(has(r, 'api->db.retry.waiting')).toBe(false);
  });
});

describe('cache fill waiters', () => {
  it('counts the calls waiting on a coalesced fill, and only with coalescing', () => {
    // One key, a fill takes 1 s and is stale 1 ms later: nearly every call waits on a fill, half a second on average.
    const run = (coalesce: boolean) =>
      runScenario(
        scenario({
          duration: 40,
          clients: [poissonClient('users', 'api', 100)],
          services: [
            service('api', {
              workers: Infinity,
              serviceTime: constant(0.001),
              calls: [
                call('db', {
                  cache: {
                    keys: 1,
                    popularity: { kind: 'uniform' },
                    ttl: 0.001,
                    ttlJitter: 0,
                    hitTime: 0,
                    coalesce,
                    staleWhileRevalidate: false,
                    capacity: Infinity,
                    eviction: 'lru',
                  },
                }),
              ],
            }),
            service('db', { workers: Infinity, serviceTime: constant(1) }),
          ],
        }),
      );
    const waiting = values(run(true), 'api->db.cache.waiting');
    expect(mean(waiting, 5, 40)).toBeGreaterThan(40);
    expect(mean(waiting, 5, 40)).toBeLessThan(60);
    expect(has(run(false), 'api->db.cache.waiting')).toBe(false);
  });
});

describe('breaker openings', () => {
  const breaker = (openFor: number): Breaker => ({
    failureRate: 0.5,
    slowCall: null,
    window: { kind: 'count', size: 20 },
    minCalls: 20,
    openFor,
    halfOpenCalls: 1,
  });
  const run = (openFor: number, faults = true) =>
    runScenario(
      scenario({
        duration: 90,
        clients: [poissonClient('users', 'api', 100)],
        services: [
          service('api', { workers: Infinity, serviceTime: constant(0.001), calls: [call('db', { breaker: breaker(openFor) })] }),
          service('db', { workers: Infinity, serviceTime: constant(0.001) }),
        ],
        faults: faults ? [{ kind: 'errors', target: 'db', at: 30, for: 30, rate: 1 }] : [],
      }),
    );

  it('counts one opening for a breaker that stays open through the fault', () => {
    expect(total(run(100), 'api->db.breaker.opens')).toBe(1);
  });

  it('counts every reopening after a failed probe: one per openFor through the fault, in buckets where the breaker is open', () => {
    const r = run(2);
    // Opens at about 30 s, then a failed probe reopens it every 2 s (and a little) until 60 s.
    expect(total(r, 'api->db.breaker.opens')).toBeGreaterThanOrEqual(13);
    expect(total(r, 'api->db.breaker.opens')).toBeLessThanOrEqual(15);
    const opens = values(r, 'api->db.breaker.opens');
    const level = r.series.series.find((s) => s.name === 'api->db.breaker');
    if (level?.kind !== 'stock') throw new Error('no breaker level');
    for (let i = 0; i < 90; i += 1) if (opens[i]! > 0) expect(level.max[i]).toBe(1);
  });

  it('counts none without a fault', () => {
    expect(total(run(2, false), 'api->db.breaker.opens')).toBe(0);
  });
});
