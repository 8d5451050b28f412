/**
 * handlers/services.ts: a request arrives and starts work, waits or is
 * rejected; its work ends in an error or its calls; it finishes, freeing its
 * worker for the next waiting request (in the queue's order); and every
 * change is reported once, as the levels that changed.
 */
import { describe, expect, it } from 'vitest';
import { WORK_DONE } from '../../../sim/engine/events.js';
import type { Engine } from '../../../sim/engine/engine.js';
import { dispatch, finish, levels, onWorkDone } from '../../../sim/engine/handlers/services.js';
import { OUT_ERROR, OUT_OK, TableFull } from '../../../sim/engine/model/entities.js';
import type { Service } from '../../../sim/scenario/types.js';
import { constant, poissonClient, scenario, service } from '../../helpers/build.js';
import { drain, engineFor, request, setClock } from '../../helpers/engine.js';

function api(over: Partial<Service> = {}, maxInflight = 1e7) {
  return engineFor(
    scenario({ clients: [poissonClient('users', 'api', 1)], services: [service('api', { serviceTime: constant(1), ...over })] }),
    maxInflight,
  );
}

const arrival = (eng: Engine): number => request(eng);

describe('arrive', () => {
  it('starts work on a free worker, queues behind a busy one, and rejects at a full queue', () => {
    const { eng, sink } = api({ queue: { capacity: 1, discipline: { kind: 'fifo' } } });
    const a = arrival(eng);
    const b = arrival(eng);
    arrival(eng);
    const s = eng.services[0]!;
    expect([s.busy, s.queued, s.inside]).toEqual([1, 1, 2]);
    expect(sink.total('api.arrivals')).toBe(3);
    expect(sink.total('api.rejected')).toBe(1);
    expect(sink.total('users.failures')).toBe(1);
    expect(drain(eng)).toEqual([{ time: 1, kind: WORK_DONE, a, b: eng.reqs.gen[a] }]);
    expect(eng.reqs.queuedAt[b]).toBe(0);
  });

  it('refuses a request past the in-flight limit, which bounds the requests alive over the whole run', () => {
    const { eng } = api({}, 2);
    arrival(eng);
    arrival(eng);
    // run.ts turns this into RunAborted with the limit in its message (test/cli/guards.test.ts).
    expect(() => arrival(eng)).toThrow(TableFull);
  });

  it('counts arrivals for the autoscaler only where there is one', () => {
    const scaled = api({
      autoscale: {
        metric: 'rpsPerInstance',
        target: 1,
        period: 15,
        lag: 0,
        tolerance: 0.1,
        min: 1,
        max: 4,
        scaleDownStabilization: 300,
        warmup: 0,
      },
    });
    arrival(scaled.eng);
    expect(scaled.eng.services[0]!.scaling?.arrivals).toBe(1);
    expect(api().eng.services[0]!.scaling).toBeNull();
  });
});

describe('work done and finish', () => {
  it('finishes a request with an error at errorRate 1, and counts its latency from its arrival', () => {
    const { eng, sink } = api({ errorRate: 1 });
    const r = arrival(eng);
    setClock(eng, 1);
    onWorkDone(eng, r);
    expect(eng.reqs.outcome[r]).toBe(OUT_ERROR);
    expect(sink.total('api.errors')).toBe(1);
    expect(sink.latencies('api.latency')).toEqual([1]);
    expect(eng.services[0]!.busy).toBe(0);
  });

  it('pushes the end of work out by the time a pause took from it', () => {
    const { eng } = engineFor(
      scenario({
        clients: [poissonClient('users', 'api', 1)],
        services: [service('api', { serviceTime: constant(1) })],
        faults: [{ kind: 'pause', target: 'api', at: 0.25, for: 0.5 }],
      }),
    );
    const r = arrival(eng);
    setClock(eng, 1);
    onWorkDone(eng, r);
    expect(drain(eng)).toEqual([{ time: 1.5, kind: WORK_DONE, a: r, b: eng.reqs.gen[r] }]);
  });

  it('frees the worker for the oldest waiting request (FIFO) and counts work whose caller gave up as wasted', () => {
    const { eng, sink } = api();
    const a = arrival(eng);
    const b = arrival(eng);
    arrival(eng);
    drain(eng);
    eng.reqs.callerDone[a] = 1;
    eng.reqs.outcome[a] = OUT_OK;
    finish(eng, eng.services[0]!, a);
    expect(sink.total('api.completed')).toBe(1);
    expect(sink.total('api.wasted')).toBe(1);
    expect(drain(eng).map((e) => e.a)).toEqual([b]);
  });

  it('serves the newest waiting request first under LIFO', () => {
    const { eng } = api({ queue: { capacity: Infinity, discipline: { kind: 'lifo' } } });
    const a = arrival(eng);
    arrival(eng);
    const c = arrival(eng);
    drain(eng);
    const s = eng.services[0]!;
    s.instances[0]!.busy--;
    s.busy--;
    dispatch(eng, s, s.instances[0]!);
    expect(drain(eng).map((e) => e.a)).toEqual([c]);
    expect(a).not.toBe(c);
  });

  it('skips a waiting request whose caller gave up under dropExpired, as expired', () => {
    const { eng, sink } = api({ dropExpired: true });
    arrival(eng);
    const b = arrival(eng);
    drain(eng);
    eng.reqs.abandoned[b] = 1;
    eng.reqs.callerDone[b] = 1;
    const s = eng.services[0]!;
    s.instances[0]!.busy--;
    s.busy--;
    dispatch(eng, s, s.instances[0]!);
    expect(sink.total('api.expired')).toBe(1);
    expect(drain(eng)).toEqual([]);
    expect(s.inside).toBe(1);
  });
});

describe('levels', () => {
  it('reports only the stocks that changed since the last report', () => {
    const { eng, sink } = api({ workers: 2 });
    arrival(eng);
    const before = sink.levelLog.length;
    levels(eng, eng.services[0]!);
    expect(sink.levelLog.length).toBe(before);
    arrival(eng);
    expect(sink.levelLog.slice(before)).toEqual([
      ['api.busy', 2],
      ['api.inflight', 2],
      ['api.utilization', 1],
    ]);
  });
});
