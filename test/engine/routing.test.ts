/**
 * Weighted routing in whole runs: each request makes exactly one call of its
 * group, the split follows the group's own stream draw for draw, the calls
 * around the group are made by everyone, and a retry stays on the pick.
 */
import { describe, expect, it } from 'vitest';
import { runScenario } from '../../sim/engine/run.js';
import { KeySampler } from '../../sim/engine/model/zipf.js';
import { createGenerator, createStream } from '../../sim/engine/rng.js';
import type { Client } from '../../sim/scenario/types.js';
import { call, constant, meanLatency, poissonClient, retry, scenario, service, total, values } from '../helpers/build.js';

/** 100 operations a second, evenly spaced, for the first 20 s of a 30 s run: N operations, each ending inside the run. */
const N = 1999;
const users: Client = {
  name: 'users',
  target: 'api',
  arrival: {
    kind: 'constant',
    rate: {
      kind: 'steps',
      steps: [
        { at: 0, rate: 100 },
        { at: 20, rate: 0 },
      ],
    },
  },
  timeout: null,
  network: null,
  rateLimit: null,
  retry: null,
  breaker: null,
};
const leaf = (name: string, errorRate = 0) => service(name, { workers: Infinity, serviceTime: constant(0.001), errorRate });
const to = (name: string, weight: number, over: Partial<ReturnType<typeof call>> = {}) =>
  call(name, { route: { group: 'db', weight }, ...over });
const api = (...calls: ReturnType<typeof call>[]) => service('api', { workers: Infinity, serviceTime: constant(0), calls });

describe('weighted routing', () => {
  it("90/10: every operation makes one of the two calls, split draw for draw by the group's stream", () => {
    const r = runScenario(
      scenario({
        seed: 3,
        duration: 30,
        clients: [users],
        services: [api(to('main', 90), to('canary', 10)), leaf('main'), leaf('canary')],
      }),
    );
    // The operations reach the choice in arrival order, each drawing once: the first N draws decide.
    const g = createGenerator(3, 'service:api/route/db');
    let first = 0;
    for (let i = 0; i < N; i++) if (g.uniform() < 0.9) first++;
    expect(total(r, 'users.offered')).toBe(N);
    expect(total(r, 'users.goodput')).toBe(N);
    expect(total(r, 'api->main.routed')).toBe(first);
    expect(total(r, 'api->canary.routed')).toBe(N - first);
    expect(total(r, 'main.arrivals')).toBe(first);
    expect(total(r, 'canary.arrivals')).toBe(N - first);
    // Within 4 standard deviations (sqrt(N x 0.9 x 0.1) = 13.4) of 90%.
    expect(Math.abs(first - 0.9 * N)).toBeLessThan(54);
  });

  it('calls before and after the group are made by every operation', () => {
    const r = runScenario(
      scenario({
        duration: 30,
        clients: [users],
        services: [api(call('auth'), to('main', 1), to('canary', 1), call('log')), leaf('auth'), leaf('main'), leaf('canary'), leaf('log')],
      }),
    );
    expect(total(r, 'auth.arrivals')).toBe(N);
    expect(total(r, 'log.arrivals')).toBe(N);
    expect(total(r, 'main.arrivals') + total(r, 'canary.arrivals')).toBe(N);
    expect(total(r, 'api->main.routed') + total(r, 'api->canary.routed')).toBe(N);
  });

  it('a retry stays on the picked call: 3 attempts at the broken one, none moved to the other', () => {
    const r = runScenario(
      scenario({
        duration: 30,
        clients: [users],
        services: [api(to('main', 1, { retry: retry(3) }), to('canary', 1)), leaf('main', 1), leaf('canary')],
      }),
    );
    const toMain = total(r, 'api->main.routed');
    expect(total(r, 'main.arrivals')).toBe(3 * toMain);
    expect(total(r, 'canary.arrivals')).toBe(N - toMain);
    expect(total(r, 'users.failures')).toBe(toMain);
    expect(total(r, 'users.goodput')).toBe(N - toMain);
  });

  it('a scenario without routes has no routed metric', () => {
    const r = runScenario(scenario({ duration: 30, clients: [users], services: [api(call('main')), leaf('main')] }));
    expect(r.series.series.some((s) => s.name.endsWith('.routed'))).toBe(false);
  });
});

describe('routing by key (per-tenant bulkheads)', () => {
  const tenants: Client = { ...users, name: 'tenants', keys: { from: 0, to: 9, popularity: { kind: 'uniform' } } };
  const byKey = (name: string, keys?: { from: number; to: number }) =>
    call(name, { route: { group: 't', weight: 1, ...(keys === undefined ? {} : { keys }) } });
  /** The keys the client draws, operation by operation: its own stream, offset by its first key. */
  const drawn = (seed: number, n: number, from = 0, to = 9): number[] => {
    const sampler = new KeySampler(to - from + 1, { kind: 'uniform' });
    const stream = createStream(seed, 'client:tenants/keys');
    return Array.from({ length: n }, () => from + sampler.next(stream));
  };

  it("each operation's key, drawn from the client's own stream, picks the call whose range holds it", () => {
    const r = runScenario(
      scenario({
        seed: 4,
        duration: 30,
        clients: [tenants],
        services: [api(byKey('low', { from: 0, to: 2 }), byKey('rest')), leaf('low'), leaf('rest')],
      }),
    );
    const low = drawn(4, N).filter((k) => k <= 2).length;
    expect(total(r, 'tenants.offered')).toBe(N);
    expect(total(r, 'api->low.routed')).toBe(low);
    expect(total(r, 'api->rest.routed')).toBe(N - low);
    expect(total(r, 'low.arrivals')).toBe(low);
    // Keys 0-2 of 10, uniform: 30% within 4 standard deviations (sqrt(N x 0.3 x 0.7) = 20.5).
    expect(Math.abs(low - 0.3 * N)).toBeLessThan(82);
  });

  it('the key is kept down the call tree and through retries; operations without keys go to the call for the rest', () => {
    const plain: Client = { ...users, name: 'plain' };
    const r = runScenario(
      scenario({
        seed: 4,
        duration: 30,
        // tenants reach api through edge, one level down; plain ones reach it directly, with no key.
        clients: [{ ...tenants, target: 'edge' }, plain],
        services: [
          service('edge', { workers: Infinity, serviceTime: constant(0), calls: [call('api')] }),
          api(byKey('low', { from: 0, to: 2 }), { ...byKey('rest'), retry: retry(2) }),
          leaf('low'),
          leaf('rest', 1),
        ],
      }),
    );
    const low = drawn(4, N).filter((k) => k <= 2).length;
    expect(total(r, 'api->low.routed')).toBe(low);
    expect(total(r, 'api->rest.routed')).toBe(2 * N - low);
    // rest always fails: each operation routed there tries it twice, and never moves to low.
    expect(total(r, 'rest.arrivals')).toBe(2 * (2 * N - low));
    expect(total(r, 'low.arrivals')).toBe(low);
  });

  it('a latency fault on one key slows only the work of that key: latency is 1.001 s for it, 0.001 s for the others', () => {
    const r = runScenario(
      scenario({
        seed: 9,
        duration: 30,
        clients: [tenants],
        services: [service('api', { workers: Infinity, serviceTime: constant(0.001) })],
        faults: [{ kind: 'latency', target: 'api', at: 0, for: 30, add: 1, multiply: 1, keys: { from: 3, to: 3 } }],
      }),
    );
    const slow = drawn(9, N).filter((k) => k === 3).length;
    const { mean, count } = meanLatency(r, 'tenants.latency');
    expect(count).toBe(N);
    expect(mean).toBeCloseTo((slow * 1.001 + (N - slow) * 0.001) / N, 9);
  });

  it('one slow tenant stalls every tenant in one shared pool, and only itself in a pool of its own', () => {
    // 200 operations/s, keys 0..99 by zipf 1.1 (key 0 takes about 23%), 20 ms of work each, 30 workers in all.
    // From 30 s to 60 s key 0's work takes 1 s more: ~46/s x 1 s would need 46 workers.
    const clients = [
      poissonClient('tenants', 'api', 200, { timeout: 2, keys: { from: 0, to: 99, popularity: { kind: 'zipf', exponent: 1.1 } } }),
    ];
    const slow = (target: string) => ({ kind: 'latency', target, at: 30, for: 30, add: 1, multiply: 1, keys: { from: 0, to: 0 } }) as const;
    const pool = (name: string, workers: number) => service(name, { workers, serviceTime: constant(0.02) });
    const front = (...calls: ReturnType<typeof call>[]) => service('api', { workers: Infinity, serviceTime: constant(0), calls });
    const shared = runScenario(
      scenario({
        duration: 90,
        clients,
        services: [front(call('reports', { timeout: 2 })), pool('reports', 30)],
        faults: [slow('reports')],
      }),
    );
    const split = runScenario(
      scenario({
        duration: 90,
        clients,
        services: [
          front(
            call('reports-acme', { timeout: 2, route: { group: 't', weight: 1, keys: { from: 0, to: 0 } } }),
            call('reports', { timeout: 2, route: { group: 't', weight: 1 } }),
          ),
          pool('reports-acme', 10),
          pool('reports', 20),
        ],
        faults: [slow('reports-acme')],
      }),
    );
    const during = (r: ReturnType<typeof runScenario>) =>
      values(r, 'tenants.goodput')
        .slice(40, 60)
        .reduce((a, b) => a + b, 0) / 20;
    const others = total(split, 'api->reports.routed') / total(split, 'tenants.offered');
    // Shared: the slow tenant's work fills every worker, and everyone waits past the 2 s timeout.
    expect(during(shared)).toBeLessThan(20);
    // Split: every tenant but key 0 is served as before (about 77% of the operations); key 0 alone times out.
    expect(during(split)).toBeGreaterThan(0.95 * 200 * others);
    expect(sum(split, 'reports.queue')).toBe(0);
    expect(split.conservation.every((c) => c.ok)).toBe(true);
  });
});

function sum(r: ReturnType<typeof runScenario>, name: string): number {
  return values(r, name).reduce((a, b) => a + b, 0);
}
