/**
 * The crash fault (handlers/crashes.ts): the work a replica holds fails at
 * once, the replica fails each request at once while down (still in the
 * rotation), and comes back cold. Whole runs small enough to count by hand.
 * The balancers' answer to a crashed replica is in test/engine/replica-faults.test.ts.
 */
import { describe, expect, it } from 'vitest';
import { runScenario } from '../../../sim/engine/run.js';
import type { Balancer, Client, Fault, ReplicaPick } from '../../../sim/scenario/types.js';
import { constant, constantClient, meanLatency, scenario, service, total, values } from '../../helpers/build.js';
import { assertConserves } from '../../helpers/contracts.js';

const one = (index: number): ReplicaPick => ({ kind: 'index', index });
const all: ReplicaPick = { kind: 'share', share: 1 };

/** `rate` requests/s (constant, from t = 1/rate) to `instances` replicas of api for 100 s. */
function run(
  instances: number,
  faults: Fault[],
  over: { balancer?: Balancer; serviceTime?: number; workers?: number; rate?: number; cold?: boolean; client?: Partial<Client> } = {},
) {
  const api = service('api', {
    instances,
    workers: over.workers ?? 1,
    balancer: over.balancer ?? 'roundRobin',
    serviceTime: constant(over.serviceTime ?? 0.5),
    coldStart: over.cold === true ? { for: 10, slowdown: 3 } : null,
  });
  const client = constantClient(over.rate ?? 1, over.client);
  return runScenario(scenario({ duration: 100, clients: [client], services: [api], faults }));
}

describe('a crash', () => {
  it('fails the request in local work at once, then every arrival while down, then serves again', () => {
    // t = 10 is in work [10, 10.5) at the crash (10.25); t = 11 ... 15 reach the down replica and fail at once.
    const r = run(1, [{ kind: 'crash', target: 'api', replicas: all, at: 10.25, for: 5 }]);
    expect(total(r, 'api.crash.killed')).toBe(1);
    expect(total(r, 'api.errors')).toBe(6);
    expect(values(r, 'api.errors')[10]).toBe(1);
    expect(total(r, 'api.completed')).toBe(99 - 6);
    const down = values(r, 'api.crash.down');
    expect(down[9]).toBe(0);
    expect(down[12]).toBe(1);
    expect(down[16]).toBe(0);
    assertConserves(() => r);
  });

  it('fails what waits in the queue as well as what is in work', () => {
    // 3 s of work per request, one a second: t = 2 is in work [4, 7) at 5.5 and t = 3, 4, 5 wait.
    const r = run(1, [{ kind: 'crash', target: 'api', replicas: all, at: 5.5, for: 1 }], { serviceTime: 3 });
    expect(total(r, 'api.crash.killed')).toBe(4);
    const s = r.series.series.find((x) => x.name === 'api.latency');
    if (s?.kind !== 'latency') throw new Error('no latency');
    // t = 2 waited 2 s and worked 1.5 s when the crash failed it.
    expect((s.buckets[5] as { max: number }).max).toBeCloseTo(3.5, 9);
    assertConserves(() => r);
  });

  it('hits only the replica it names: round robin keeps sending it every other request', () => {
    // Replica 1 takes t = 2, 4, ...; down over [20, 40): t = 20, 22, ..., 38 fail, ten of them.
    const r = run(2, [{ kind: 'crash', target: 'api', replicas: one(1), at: 19.9, for: 20 }]);
    expect(total(r, 'api.crash.killed')).toBe(0);
    expect(total(r, 'api.errors')).toBe(10);
    assertConserves(() => r);
  });

  it('brings the replica back cold: its coldStart slowdown counts from the restart', () => {
    // Down over [10.25, 30.25): t = 31 ... 40 run 3 x 0.5 s, the rest 0.5 s (ten workers: nobody waits).
    const r = run(1, [{ kind: 'crash', target: 'api', replicas: all, at: 10.25, for: 20 }], { cold: true, workers: 10 });
    const ok = meanLatency(r, 'api.latency', 31);
    expect(ok.count).toBe(99 - 30);
    expect(ok.mean).toBeCloseTo((10 * 1.5 + 59 * 0.5) / 69, 9);
    assertConserves(() => r);
  });

  it('the caller of a request killed in work still times out on time when the error is slow to come back', () => {
    // 0.2 s of network each way, 3 s of work, a 3.6 s timeout: t = 2 works over [4.2, 7.2) and is killed at 5.5;
    // its error reaches the caller at 5.7, after its deadline, 5.6, so the caller gives up at 5.6.
    const client = { timeout: 3.6, network: constant(0.2) };
    const r = run(1, [{ kind: 'crash', target: 'api', replicas: all, at: 5.5, for: 1 }], { serviceTime: 3, client });
    expect(values(r, 'users.timeouts')[5]).toBe(1);
    assertConserves(() => r);
  });
});
