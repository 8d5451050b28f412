/**
 * The adaptive concurrency limit at a service's ingress in whole runs:
 * refusals counted by hand under a fixed limit, the limit growing only while
 * it is used, shrinking on failures and on late answers, a refusal seen by
 * the caller as a rejection, and conservation throughout.
 */
import { describe, expect, it } from 'vitest';
import { runScenario, type RunResult } from '../../../sim/engine/run.js';
import type { Client, ConcurrencyLimit, Service } from '../../../sim/scenario/types.js';
import { assertConserves } from '../../helpers/contracts.js';
import { constant, constantClient, lastLevel, retry, scenario, service, total } from '../../helpers/build.js';

const aimd = (over: Partial<ConcurrencyLimit> = {}): ConcurrencyLimit => ({
  kind: 'aimd',
  initial: 3,
  min: 3,
  max: 3,
  backoff: 0.9,
  timeout: 5,
  ...over,
});

function run(concurrencyLimit: ConcurrencyLimit, api: Partial<Service> = {}, client: Partial<Client> = {}): RunResult {
  return assertConserves(() =>
    runScenario(
      scenario({
        duration: 10.02,
        clients: [constantClient(20, client)], // 20 evenly spaced requests a second (k / 20 s), 200 over the 10.02 s run
        services: [service('api', { workers: 1, serviceTime: constant(0.1234), concurrencyLimit, ...api })],
      }),
    ),
  );
}

describe('a fixed limit of 3 in front of one worker (0.1234 s a request)', () => {
  it('lets in 3, then one per completion: 80 complete (0.1734 + 0.1234k s), 83 let in, 117 refused', () => {
    const r = run(aimd());
    expect(total(r, 'api.arrivals')).toBe(200);
    expect(total(r, 'api.completed')).toBe(80);
    expect(total(r, 'api.concurrencyLimited')).toBe(117);
    expect(total(r, 'api.rejected')).toBe(0);
    expect(total(r, 'users.failures')).toBe(117);
    expect(lastLevel(r, 'api.concurrencyLimit')).toBe(3);
  });

  it('answers a refusal as a rejection: a retry policy on rejected retries it', () => {
    const r = run(aimd(), {}, { retry: retry(2, { on: ['rejected'] }) });
    expect(total(r, 'users.retries')).toBeGreaterThan(0);
    expect(total(r, 'api.arrivals')).toBe(200 + total(r, 'users.retries'));
  });
});

describe('the limit moves with the answers', () => {
  it('grows only while half of it is used: alone in the service, each request lifts 1 to 2 to 3, then no more', () => {
    const r = run(aimd({ initial: 1, min: 1, max: 50 }), { workers: Infinity, serviceTime: constant(0.01) });
    expect(lastLevel(r, 'api.concurrencyLimit')).toBe(3);
    expect(total(r, 'api.concurrencyLimited')).toBe(0);
  });

  it('halves on each failure down to min: 10, 5, 2', () => {
    const r = run(aimd({ initial: 10, min: 2, max: 10, backoff: 0.5 }), { workers: Infinity, serviceTime: constant(0.01), errorRate: 1 });
    expect(lastLevel(r, 'api.concurrencyLimit')).toBe(2);
  });

  it('takes an answer later than timeout for a drop: 10 falls by a tenth per late answer to min 1, then refuses', () => {
    const r = run(aimd({ initial: 10, min: 1, max: 10, timeout: 0.1 }), { workers: Infinity, serviceTime: constant(0.2) });
    expect(lastLevel(r, 'api.concurrencyLimit')).toBe(1);
    expect(total(r, 'api.concurrencyLimited')).toBeGreaterThan(100);
    expect(total(r, 'api.errors')).toBe(0);
  });

  it('records nothing for a service without one', () => {
    const r = run(aimd(), { concurrencyLimit: null });
    expect(r.series.series.some((s) => s.name.startsWith('api.concurrency'))).toBe(false);
  });
});
