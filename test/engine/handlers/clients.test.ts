/**
 * handlers/clients.ts: arrivals (Poisson, even, through rate changes), users
 * who think and park, operations and their attempts, and what a client does
 * with an outcome: goodput, a retry after backoff, or a failure.
 *
 * Bare clients (startOp): when nothing in a scenario retries, an open
 * loop's operation is its one request and keeps no operation record. That is
 * a second way through the client code, so it is checked against the first:
 * the same scenario with a retry budget on the client (one attempt, so it
 * still never retries) takes the operation-record path, and every series of
 * the two runs must be the same, bit for bit.
 */
import { describe, expect, it } from 'vitest';
import { ARRIVAL_DUE, OP_BACKOFF_ENDED, REQUEST_ARRIVED, THINK_ENDED } from '../../../sim/engine/events.js';
import { clientResult, onArrivalDue, onThinkEnded, startClient, wakeUsers } from '../../../sim/engine/handlers/clients.js';
import { FAIL_ERROR } from '../../../sim/engine/model/retry.js';
import { RunStepper, runScenario } from '../../../sim/engine/run.js';
import type { Client, NormalizedScenario } from '../../../sim/scenario/types.js';
import { call, constant, exp, poissonClient, retry, scenario, service } from '../../helpers/build.js';
import { drain, engineFor, setClock } from '../../helpers/engine.js';

function oneClient(client: Client) {
  return engineFor(scenario({ clients: [client], services: [service('api')] }));
}

const closed = (users: number): Client => ({ ...poissonClient('users', 'api', 1), arrival: { kind: 'closed', users, think: constant(2) } });
const even = (rate: number, over: Partial<Client> = {}): Client => ({
  ...poissonClient('users', 'api', 1),
  arrival: {
    kind: 'constant',
    rate: {
      kind: 'steps',
      steps: [
        { at: 0, rate },
        { at: 10, rate: rate * 2 },
      ],
    },
  },
  ...over,
});

describe('arrivals', () => {
  it('space an even client at 1/rate, wake it at a rate step, and carry the gap on at the new rate', () => {
    const { eng, sink } = oneClient(even(0.25, { network: constant(0.001) }));
    startClient(eng, eng.clients[0]!);
    expect(drain(eng)).toEqual([{ time: 4, kind: ARRIVAL_DUE, a: 0, b: 0 }]);
    setClock(eng, 8);
    onArrivalDue(eng, eng.clients[0]!, 0);
    expect(sink.total('users.offered')).toBe(1);
    expect(drain(eng).filter((e) => e.kind === ARRIVAL_DUE)).toEqual([{ time: 10, kind: ARRIVAL_DUE, a: 0, b: 1 }]);
    onArrivalDue(eng, eng.clients[0]!, 1);
    expect(sink.total('users.offered')).toBe(1); // a wake-up at a rate change sends nothing
    // Half the 4 s gap went by at 0.25/s (8 to 10 s); the other half takes 1 s at 0.5/s.
    expect(drain(eng).filter((e) => e.kind === ARRIVAL_DUE)).toEqual([{ time: 11, kind: ARRIVAL_DUE, a: 0, b: 0 }]);
  });

  it("send one request per operation from a bare client, to the client's target", () => {
    const { eng, sink } = oneClient(poissonClient('users', 'api', 5, { network: constant(0.01) }));
    expect(eng.clients[0]!.bare).toBe(true);
    onArrivalDue(eng, eng.clients[0]!, 0);
    expect(sink.total('users.offered')).toBe(1);
    expect(sink.total('users.attempts')).toBe(1);
    const arrived = drain(eng).filter((e) => e.kind === REQUEST_ARRIVED);
    expect(arrived.length).toBe(1);
    expect(eng.reqs.op[arrived[0]!.a]).toBe(-1);
    expect(eng.ops.live).toBe(0);
  });
});

describe('closed loops', () => {
  it('start every user thinking, and park a user above the active count instead of sending', () => {
    const { eng, sink } = oneClient(closed(3));
    const c = eng.clients[0]!;
    startClient(eng, c);
    expect(drain(eng).map((e) => [e.time, e.kind, e.b])).toEqual([
      [2, THINK_ENDED, 0],
      [2, THINK_ENDED, 1],
      [2, THINK_ENDED, 2],
    ]);
    c.activeUsers = 2;
    onThinkEnded(eng, c, 2);
    expect(c.parked[2]).toBe(true);
    expect(sink.total('users.offered')).toBe(0);
    c.activeUsers = 3;
    wakeUsers(eng, c);
    expect(drain(eng).map((e) => [e.kind, e.b])).toEqual([[THINK_ENDED, 2]]);
  });

  it('think again once an operation ends', () => {
    const { eng, sink } = oneClient({ ...closed(1), network: constant(0.01) });
    const c = eng.clients[0]!;
    onThinkEnded(eng, c, 0);
    const [sent] = drain(eng);
    clientResult(eng, sent!.a, 0);
    expect(sink.total('users.goodput')).toBe(1);
    expect(c.open).toBe(0);
    expect(drain(eng).map((e) => [e.kind, e.b])).toEqual([[THINK_ENDED, 0]]);
  });
});

describe('outcomes', () => {
  it('retry a failed attempt after its backoff, then fail the operation when the attempts are used up', () => {
    const policy = retry(2, { backoff: { kind: 'constant', base: 0.5 } });
    const { eng, sink } = oneClient(poissonClient('users', 'api', 1, { network: constant(0.01), retry: policy }));
    const c = eng.clients[0]!;
    onArrivalDue(eng, c, 0);
    const first = drain(eng).find((e) => e.kind === REQUEST_ARRIVED)!;
    const op = eng.reqs.op[first.a]!;
    expect(op).toBeGreaterThanOrEqual(0);
    setClock(eng, 1);
    clientResult(eng, first.a, FAIL_ERROR);
    expect(drain(eng).filter((e) => e.kind === OP_BACKOFF_ENDED)).toEqual([
      { time: 1.5, kind: OP_BACKOFF_ENDED, a: op, b: eng.ops.gen[op] },
    ]);
    eng.ops.attempts[op] = 2;
    clientResult(eng, first.a, FAIL_ERROR);
    expect(sink.total('users.failures')).toBe(1);
    expect(c.open).toBe(0);
  });
});

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
