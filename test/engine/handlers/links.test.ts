/**
 * Link faults (sim/engine/model/link.ts, handlers/links.ts) in whole runs: delayed and lost
 * messages, against hand-computed
 * cases: a constant client of 10 operations a second (one every 0.1 s) whose
 * service api makes one call to db.
 */
import { describe, expect, it } from 'vitest';
import { runScenario } from '../../../sim/engine/run.js';
import { parseOk } from '../../scenario/helpers.js';
import { total } from '../../helpers/build.js';
import { assertConserves } from '../../helpers/contracts.js';

/** 30 s; api does no work of its own; db answers in 10 ms; the call's network is 5 ms each way. */
function system(fault: string, call = '{ to: db, network: 5ms, timeout: 1s }'): string {
  return `
duration: 30s
sample: 1s
clients:
  users: { target: api, arrival: { kind: constant, rate: 10 } }
services:
  api: { workers: unlimited, serviceTime: 0ms, calls: [${call}] }
  db: { workers: unlimited, serviceTime: 10ms }
faults:
  - ${fault}
`;
}

/** Per-bucket mean latency of a latency series, in seconds. */
function meanPerBucket(series: ReturnType<typeof runScenario>['series'], name: string): number[] {
  const s = series.series.find((x) => x.name === name);
  if (s?.kind !== 'latency') throw new Error(`no latency series ${name}`);
  return s.buckets.map((h) => h.sum / h.count);
}

describe('a link fault on a call', () => {
  it('adds its delay to the request and to the response: 20 ms becomes 120 ms inside the window', () => {
    const run = runScenario(parseOk(system('{ kind: link, target: api->db, at: 10.05s, for: 10s, delay: 50ms }')));
    const ms = meanPerBucket(run.series, 'users.latency').map((s) => Math.round(s * 1e6) / 1e3);
    // 5 + 10 + 5 ms outside the window; both messages of an operation sent inside it take 50 ms more.
    expect(ms.slice(2, 9)).toEqual([20, 20, 20, 20, 20, 20, 20]);
    expect(ms.slice(11, 19)).toEqual([120, 120, 120, 120, 120, 120, 120, 120]);
    expect(ms.slice(22, 29)).toEqual([20, 20, 20, 20, 20, 20, 20]);
    expect(total(run, 'api->db.lost')).toBe(0);
  });

  it('in a partition loses every message sent inside the window: the caller learns only by its timeout', () => {
    // Window [10.01, 11.01): the requests sent at 10.1 ... 11.0 (10) are lost on the way out; the one
    // sent at 10.0 reaches db at 10.005 and its response, sent at 10.015, is lost on the way back.
    const run = assertConserves(() =>
      runScenario(parseOk(system('{ kind: link, target: api->db, at: 10.01s, for: 1s, partition: true }'))),
    );
    expect(total(run, 'api->db.lost')).toBe(11);
    expect(total(run, 'api->db.timeouts')).toBe(11);
    expect(total(run, 'users.failures')).toBe(11);
    expect(total(run, 'db.arrivals')).toBe(total(run, 'users.offered') - 10);
  });

  it('loses each message with its chance: 20% of requests and 20% of the responses that remain', () => {
    const run = runScenario(parseOk(system('{ kind: link, target: api->db, at: 0s, for: 28s, loss: 20% }')));
    const lost = total(run, 'api->db.lost');
    // 280 calls in the window; one goes through only if both its messages do (0.8 x 0.8 = 64%). Each
    // failed operation lost exactly one message and was given up at the call's timeout, before the end.
    expect(total(run, 'users.failures')).toBe(lost);
    expect(total(run, 'api->db.timeouts')).toBe(lost);
    expect(lost).toBeGreaterThan(280 * 0.36 - 3 * Math.sqrt(280 * 0.36 * 0.64));
    expect(lost).toBeLessThan(280 * 0.36 + 3 * Math.sqrt(280 * 0.36 * 0.64));
  });

  it('names every call from caller to callee, or one call by its number', () => {
    const calls = '{ to: db, timeout: 1s }, { to: db, timeout: 1s }';
    const both = runScenario(parseOk(system('{ kind: link, target: api->db, at: 10.05s, for: 1s, partition: true }', calls)));
    expect([total(both, 'api->db.lost'), total(both, 'api->db#2.lost')]).toEqual([10, 0]);
    const second = runScenario(parseOk(system('{ kind: link, target: api->db#2, at: 10.05s, for: 1s, partition: true }', calls)));
    expect(second.series.series.some((s) => s.name === 'api->db.lost')).toBe(false);
    expect(total(second, 'api->db#2.lost')).toBe(10);
  });

  it('records no lost series, and draws the same numbers, on a call no link fault names', () => {
    const plain = runScenario(
      parseOk(system('{ kind: latency, target: db, at: 10s, for: 1s, add: 0ms }', '{ to: db, network: { dist: exponential, mean: 5ms } }')),
    );
    const faulted = runScenario(
      parseOk(
        system('{ kind: link, target: api->db, at: 10s, for: 1s, delay: 0ms }', '{ to: db, network: { dist: exponential, mean: 5ms } }'),
      ),
    );
    expect(plain.series.series.some((s) => s.name.endsWith('.lost'))).toBe(false);
    // A window that adds nothing leaves every latency as it was: the base delays are drawn in the same order.
    expect(meanPerBucket(faulted.series, 'users.latency')).toEqual(meanPerBucket(plain.series, 'users.latency'));
  });
});
