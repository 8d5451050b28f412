/**
 * Weighted routing in whole runs: each request makes exactly one call of its
 * group, the split follows the group's own stream draw for draw, the calls
 * around the group are made by everyone, and a retry stays on the pick.
 */
import { describe, expect, it } from 'vitest';
import { runScenario } from '../../sim/engine/run.js';
import { createGenerator } from '../../sim/engine/rng.js';
import type { Client } from '../../sim/scenario/types.js';
import { call, constant, retry, scenario, service, total } from '../helpers/build.js';

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
