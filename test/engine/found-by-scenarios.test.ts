/**
 * Engine behaviour found while building the scenario library, each reduced
 * to the smallest scenario that shows it. A test here states what the model
 * should do; while it fails, the engine does something else.
 */
import { describe, expect, it } from 'vitest';
import { runScenario } from '../../sim/engine/run.js';
import type { Cache } from '../../sim/scenario/types.js';
import { call, constant, retry, scenario, service, values } from '../helpers/build.js';

/** One key, filled once and kept for the whole run; concurrent misses wait for one fill. */
const ONE_KEY: Cache = {
  keys: 1,
  popularity: { kind: 'uniform' },
  ttl: 100,
  ttlJitter: 0,
  hitTime: 0,
  coalesce: true,
  staleWhileRevalidate: false,
  capacity: Infinity,
  eviction: 'lru',
};

describe('look-aside cache with coalescing', () => {
  // Requests every 10 ms until 0.145 s, then none until 0.5 s. The first one
  // misses and fills; the next ones wait for that fill. The store is slow
  // (100 ms) and fails everything until 0.25 s, so the fill fails twice (its
  // own retry included) at 0.21 s, and each waiter then retries on its own.
  // Those retries reach the store after 0.25 s and succeed at about 0.31 s.
  const run = () =>
    runScenario(
      scenario({
        duration: 1,
        sample: 0.05,
        clients: [
          {
            name: 'users',
            target: 'api',
            arrival: {
              kind: 'constant',
              rate: {
                kind: 'steps',
                steps: [
                  { at: 0, rate: 100 },
                  { at: 0.145, rate: 0 },
                  { at: 0.5, rate: 100 },
                ],
              },
            },
            timeout: null,
            network: null,
            rateLimit: null,
            retry: null,
            breaker: null,
          },
        ],
        services: [
          service('api', { workers: Infinity, serviceTime: constant(0), calls: [call('db', { retry: retry(2), cache: ONE_KEY })] }),
          service('db', { workers: Infinity, serviceTime: constant(0.1) }),
        ],
        faults: [{ kind: 'errors', target: 'db', at: 0, for: 0.25, rate: 1 }],
      }),
    );

  it('keeps the value a waiter fetched itself after the shared fill failed', () => {
    const r = run();
    const sum = (name: string, from: number, to: number): number =>
      values(r, name)
        .slice(from, to)
        .reduce((a, b) => a + b * 0.05, 0);
    // The waiters' own retries did reach the store, and they succeeded.
    expect(sum('db.arrivals', 4, 5)).toBeGreaterThan(1);
    expect(sum('db.completed', 6, 7)).toBeGreaterThan(1);
    // A look-aside cache writes back what it read from the store, whoever read it,
    // so when requests resume at 0.5 s the key should be there: hits only, no new fill.
    // The engine drops the value a waiter fetched, so the request at 0.5 s misses and
    // fills again (one miss, one more call to the store).
    expect(sum('api->db.cache.misses', 10, 20)).toBe(0);
    expect(sum('db.arrivals', 10, 20)).toBe(0);
  });
});
