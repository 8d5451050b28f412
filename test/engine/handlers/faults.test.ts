/**
 * handlers/faults.ts: a window opening or closing sets its target afresh
 * from every window open then: a service's latency, errors, workers,
 * replicas and pause; a client's rate or users; an edge's cache.
 */
import { describe, expect, it } from 'vitest';
import { THINK_ENDED } from '../../../sim/engine/events.js';
import { onFaultEnded, onFaultStarted } from '../../../sim/engine/handlers/faults.js';
import type { Fault } from '../../../sim/scenario/types.js';
import { call, constant, poissonClient, scenario, service } from '../../helpers/build.js';
import { drain, engineFor } from '../../helpers/engine.js';

function withFaults(faults: Fault[]) {
  return engineFor(
    scenario({
      clients: [
        poissonClient('users', 'api', 10),
        { ...poissonClient('people', 'api', 1), arrival: { kind: 'closed', users: 2, think: constant(1) } },
      ],
      services: [
        service('api', {
          instances: 2,
          workers: 4,
          errorRate: 0.5,
          calls: [
            call('db', {
              cache: {
                keys: 10,
                popularity: { kind: 'uniform' },
                ttl: 100,
                ttlJitter: 0,
                hitTime: 0,
                coalesce: false,
                staleWhileRevalidate: false,
                capacity: Infinity,
                eviction: 'lru',
              },
            }),
          ],
        }),
        service('db'),
      ],
      faults,
    }),
  );
}

describe('service faults', () => {
  it('combine while they overlap and undo exactly when they close', () => {
    const { eng } = withFaults([
      { kind: 'latency', target: 'api', at: 0, for: 10, multiply: 2, add: 0.1 },
      { kind: 'latency', target: 'api', at: 0, for: 10, multiply: 3, add: 0.2 },
      { kind: 'errors', target: 'api', at: 0, for: 10, rate: 0.5 },
    ]);
    const s = eng.services[0]!;
    onFaultStarted(eng, 0);
    onFaultStarted(eng, 1);
    onFaultStarted(eng, 2);
    expect([s.latencyMul, s.latencyAdd]).toEqual([6, 0.1 + 0.2]);
    expect(s.errorRate).toBe(0.75);
    onFaultEnded(eng, 1);
    onFaultEnded(eng, 2);
    expect([s.latencyMul, s.latencyAdd, s.errorRate]).toEqual([2, 0.1, 0.5]);
    onFaultEnded(eng, 0);
    expect([s.latencyMul, s.latencyAdd, s.errorRate]).toEqual([1, 0, 0.5]);
  });

  it('change workers and replicas for a capacity window, and give them back after it', () => {
    const { eng, sink } = withFaults([{ kind: 'capacity', target: 'api', at: 0, for: 10, instances: -1, workers: -3 }]);
    const s = eng.services[0]!;
    onFaultStarted(eng, 0);
    expect(s.workers).toBe(1);
    expect(sink.last('api.ready')).toBe(1);
    onFaultEnded(eng, 0);
    expect(s.workers).toBe(4);
    expect(sink.last('api.ready')).toBe(2);
  });

  it('pause every replica, those started during the pause included', () => {
    const { eng } = withFaults([
      { kind: 'pause', target: 'api', at: 0, for: 10 },
      { kind: 'capacity', target: 'api', at: 0, for: 10, instances: 1, workers: 0 },
    ]);
    const s = eng.services[0]!;
    onFaultStarted(eng, 0);
    onFaultStarted(eng, 1);
    expect(s.instances.map((i) => i.paused)).toEqual([true, true, true]);
    onFaultEnded(eng, 0);
    expect(s.instances.map((i) => i.paused)).toEqual([false, false, false]);
  });
});

describe('client and cache faults', () => {
  it("multiply an open loop's rate, and a closed loop's users, waking the ones that join", () => {
    const { eng } = withFaults([
      { kind: 'traffic', target: 'users', at: 0, for: 10, multiply: 3 },
      { kind: 'traffic', target: 'people', at: 0, for: 10, multiply: 2 },
    ]);
    onFaultStarted(eng, 0);
    expect(eng.clients[0]!.rateAt(0)).toBe(30);
    const people = eng.clients[1]!;
    people.parked.push(false, false); // users 0 and 1 are thinking
    onFaultStarted(eng, 1);
    expect(people.activeUsers).toBe(4);
    expect(
      drain(eng)
        .filter((e) => e.kind === THINK_ENDED)
        .map((e) => e.b),
    ).toEqual([2, 3]);
    onFaultEnded(eng, 0);
    expect(eng.clients[0]!.rateAt(0)).toBe(10);
  });

  it('flush the cache of every edge the target names', () => {
    const { eng } = withFaults([{ kind: 'cacheFlush', target: 'api->db', at: 0, for: 0 }]);
    const cache = eng.edges[0]!.cache!;
    cache.beginFill(3);
    cache.completeFill(0, 3, true, () => 0.5);
    expect(cache.lookup(0, 3)).toBe('hit');
    onFaultStarted(eng, 0);
    expect(cache.lookup(0, 3)).toBe('miss');
  });

  it('set a link from every link window open on it: delays add, losses are independent chances', () => {
    const { eng } = withFaults([
      { kind: 'link', target: 'api->db', at: 0, for: 10, delay: 0.05, loss: 0.5 },
      { kind: 'link', target: 'api->db', at: 0, for: 10, delay: 0.02, loss: 0.2 },
    ]);
    const link = eng.edges[0]!.link!;
    onFaultStarted(eng, 0);
    onFaultStarted(eng, 1);
    expect([link.delay, link.loss]).toEqual([0.05 + 0.02, 1 - 0.5 * 0.8]);
    onFaultEnded(eng, 0);
    expect([link.delay, link.loss]).toEqual([0.02, 1 - 0.8]);
    onFaultEnded(eng, 1);
    expect([link.delay, link.loss]).toEqual([0, 0]);
  });

  it('start a burst when its window opens (its first operation scheduled), and do nothing when it closes', () => {
    const { eng, sink } = withFaults([{ kind: 'burst', target: 'people', at: 0, for: 1, count: 4, spread: 'even' }]);
    onFaultStarted(eng, 0);
    const first = drain(eng);
    expect(first.map((e) => e.time)).toEqual([0]);
    onFaultEnded(eng, 0);
    expect(drain(eng)).toEqual([]);
    expect(sink.total('people.offered')).toBe(0);
  });
});
