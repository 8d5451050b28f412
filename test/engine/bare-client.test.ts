/**
 * Bare clients (Engine.startOp): when nothing in a scenario retries, an open
 * loop's operation is its one request and keeps no operation record. That is
 * a second way through the client code, so it is checked against the first:
 * the same scenario with a retry budget on the client (one attempt, so it
 * still never retries) takes the operation-record path, and every series of
 * the two runs must be the same, bit for bit.
 */
import { describe, expect, it } from 'vitest';
import { RunStepper, runScenario } from '../../sim/engine/run.js';
import type { Client, NormalizedScenario } from '../../sim/scenario/types.js';
import { call, exp, poissonClient, retry, scenario, service } from '../helpers/build.js';

/** Every way an operation can end: success, error, rejection, timeout, through a call and a network. */
function mixed(client: Partial<Client>): NormalizedScenario {
  return scenario({
    duration: 200,
    clients: [poissonClient('users', 'api', 40, { timeout: 0.08, network: exp(0.002), ...client })],
    services: [
      service('api', { serviceTime: exp(0.01), workers: 30, errorRate: 0.05, calls: [call('db', { timeout: 0.1 })] }),
      service('db', { serviceTime: exp(0.03), workers: 1, queue: { capacity: 5, discipline: { kind: 'fifo' } } }),
    ],
  });
}

const withRecord = { retry: retry(1, { budget: { ratio: 0.1, minPerSecond: 1, window: 10 } }) };

describe('bare clients', () => {
  it('give the same series as operation records do, bit for bit', () => {
    const bare = runScenario(mixed({}));
    const recorded = runScenario(mixed(withRecord));
    const names = bare.series.series.map((s) => s.name);
    expect(names).toEqual(recorded.series.series.map((s) => s.name));
    expect(bare.series).toEqual(recorded.series);
    expect(bare.events).toBe(recorded.events);
    // Every ending happened, so every branch was compared.
    const totalOf = (name: string): number => {
      const s = bare.series.series.find((x) => x.name === name);
      return s?.kind === 'rate' ? s.total : NaN;
    };
    for (const m of ['users.goodput', 'users.timeouts', 'users.failures', 'api.errors', 'db.rejected', 'api->db.timeouts']) {
      expect(totalOf(m), m).toBeGreaterThan(0);
    }
  });

  it('keep no operation record; the same client with a retry budget does', () => {
    const live = (s: NormalizedScenario): number => {
      const st = new RunStepper(s);
      let most = 0;
      while (st.advance(500)) most = Math.max(most, st.engine.ops.live);
      return most;
    };
    expect(live(mixed({}))).toBe(0);
    expect(live(mixed(withRecord))).toBeGreaterThan(0);
  });
});
