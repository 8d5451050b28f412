/**
 * Fallbacks and optional calls in whole runs, against hand-computed counts:
 * a call that fails for good (after its retries) is absorbed, the caller
 * carries on, and the operation counts in goodput and, when degraded, in
 * the client's `degraded`.
 */
import { describe, expect, it } from 'vitest';
import { runScenario } from '../../sim/engine/run.js';
import type { Client } from '../../sim/scenario/types.js';
import { call, constant, meanLatency, retry, scenario, service, total } from '../helpers/build.js';

/** 10 operations a second, evenly spaced, for the first 20 s of a 30 s run: N operations (t = 0.1 s to 19.9 s), each ending inside the run. */
const N = 199;
const users = (over: Partial<Client> = {}): Client => ({
  name: 'users',
  target: 'api',
  arrival: {
    kind: 'constant',
    rate: {
      kind: 'steps',
      steps: [
        { at: 0, rate: 10 },
        { at: 20, rate: 0 },
      ],
    },
  },
  timeout: null,
  network: null,
  rateLimit: null,
  retry: null,
  breaker: null,
  ...over,
});

const broken = service('db', { workers: Infinity, serviceTime: constant(0.001), errorRate: 1 });
const fine = service('db', { workers: Infinity, serviceTime: constant(0.001) });
const api = (...calls: ReturnType<typeof call>[]) => service('api', { workers: Infinity, serviceTime: constant(0), calls });
const fallback = (time: number, degraded = true) => ({ serviceTime: constant(time), degraded });

describe('optional calls', () => {
  it('a failed optional call is skipped: every operation succeeds, degraded', () => {
    const r = runScenario(scenario({ duration: 30, clients: [users()], services: [api(call('db', { optional: true })), broken] }));
    const offered = total(r, 'users.offered');
    expect(offered).toBe(N);
    expect(total(r, 'users.goodput')).toBe(offered);
    expect(total(r, 'users.failures')).toBe(0);
    expect(total(r, 'users.degraded')).toBe(offered);
    expect(total(r, 'api->db.fallbacks')).toBe(offered);
    expect(total(r, 'api.completed')).toBe(offered);
    expect(total(r, 'db.errors')).toBe(offered);
  });

  it('the same call, not optional, fails every operation (the contrast)', () => {
    const r = runScenario(scenario({ duration: 30, clients: [users()], services: [api(call('db')), broken] }));
    expect(total(r, 'users.goodput')).toBe(0);
    expect(total(r, 'users.failures')).toBe(N);
    expect(r.series.series.some((s) => s.name === 'users.degraded' || s.name === 'api->db.fallbacks')).toBe(false);
  });

  it('a successful optional call leaves the answer whole', () => {
    const r = runScenario(scenario({ duration: 30, clients: [users()], services: [api(call('db', { optional: true })), fine] }));
    expect(total(r, 'users.goodput')).toBe(N);
    expect(total(r, 'users.degraded')).toBe(0);
    expect(total(r, 'api->db.fallbacks')).toBe(0);
  });

  it('is absorbed only after its retries: 3 attempts at db per operation, then one fallback', () => {
    const r = runScenario(
      scenario({ duration: 30, clients: [users()], services: [api(call('db', { optional: true, retry: retry(3) })), broken] }),
    );
    expect(total(r, 'db.arrivals')).toBe(3 * N);
    expect(total(r, 'api->db.retries')).toBe(2 * N);
    expect(total(r, 'api->db.fallbacks')).toBe(N);
    expect(total(r, 'users.degraded')).toBe(N);
  });

  it('a later required call that fails still fails the operation, which is then not degraded goodput', () => {
    const other = service('other', { workers: Infinity, serviceTime: constant(0.001), errorRate: 1 });
    const r = runScenario(
      scenario({ duration: 30, clients: [users()], services: [api(call('db', { optional: true }), call('other')), broken, other] }),
    );
    expect(total(r, 'users.failures')).toBe(N);
    expect(total(r, 'users.goodput')).toBe(0);
    expect(total(r, 'users.degraded')).toBe(0);
    expect(total(r, 'other.arrivals')).toBe(N);
  });
});

describe('fallbacks', () => {
  it('the fallback takes its serviceTime on the caller: each operation lasts 1 ms (db) + 50 ms', () => {
    const r = runScenario(
      scenario({ duration: 30, clients: [users()], services: [api(call('db', { fallback: fallback(0.05) })), broken] }),
    );
    expect(total(r, 'users.goodput')).toBe(N);
    expect(total(r, 'users.degraded')).toBe(N);
    expect(meanLatency(r, 'users.latency').mean).toBeCloseTo(0.051, 9);
  });

  it('a timed-out call falls back at its timeout: 100 ms + 20 ms', () => {
    const slow = service('db', { workers: Infinity, serviceTime: constant(1) });
    const r = runScenario(
      scenario({ duration: 30, clients: [users()], services: [api(call('db', { timeout: 0.1, fallback: fallback(0.02) })), slow] }),
    );
    expect(total(r, 'api->db.timeouts')).toBe(N);
    expect(total(r, 'api->db.fallbacks')).toBe(N);
    expect(meanLatency(r, 'users.latency').mean).toBeCloseTo(0.12, 9);
  });

  it('degraded: false counts the fallback answer as whole', () => {
    const r = runScenario(
      scenario({ duration: 30, clients: [users()], services: [api(call('db', { fallback: fallback(0, false) })), broken] }),
    );
    expect(total(r, 'users.goodput')).toBe(N);
    expect(total(r, 'api->db.fallbacks')).toBe(N);
    expect(total(r, 'users.degraded')).toBe(0);
  });
});

describe('the degraded mark', () => {
  it('travels up through a caller that itself succeeded: client -> web -> api -> db', () => {
    const web = service('web', { workers: Infinity, serviceTime: constant(0), calls: [call('api')] });
    const r = runScenario(
      scenario({ duration: 30, clients: [users({ target: 'web' })], services: [web, api(call('db', { optional: true })), broken] }),
    );
    expect(total(r, 'users.goodput')).toBe(N);
    expect(total(r, 'users.degraded')).toBe(N);
    expect(total(r, 'web.completed')).toBe(N);
  });

  it('is cleared when a request id is reused: degraded counts exactly the operations whose call failed', () => {
    // Half of db's answers are errors, drawn at random; request ids are reused throughout the run.
    const flaky = service('db', { workers: Infinity, serviceTime: constant(0.001), errorRate: 0.5 });
    const r = runScenario(scenario({ duration: 100, clients: [users()], services: [api(call('db', { optional: true })), flaky] }));
    const failed = total(r, 'db.errors');
    expect(failed).toBeGreaterThan(70);
    expect(failed).toBeLessThan(130);
    expect(total(r, 'users.degraded')).toBe(failed);
    expect(total(r, 'users.goodput')).toBe(N);
  });

  it('a degraded answer that comes after the client gave up counts in neither goodput nor degraded', () => {
    // api's optional call times out at 50 ms and is skipped; the client gave up each attempt at 40 ms.
    const slowApi = service('api', { workers: Infinity, serviceTime: constant(0), calls: [call('db', { optional: true, timeout: 0.05 })] });
    const db = service('db', { workers: Infinity, serviceTime: constant(0.2) });
    const r = runScenario(scenario({ duration: 30, clients: [users({ timeout: 0.04, retry: retry(2) })], services: [slowApi, db] }));
    expect(total(r, 'users.goodput')).toBe(0);
    expect(total(r, 'users.degraded')).toBe(0);
    expect(total(r, 'api->db.fallbacks')).toBe(2 * N);
  });
});
