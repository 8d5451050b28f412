/**
 * handlers/instances.ts: the replica count follows the autoscaler's base plus
 * the capacity faults; replicas that warm up join the rotation when their
 * warmup ends, unless they were retired meanwhile; and replicas that join
 * take work that was waiting.
 */
import { describe, expect, it } from 'vitest';
import { INSTANCE_WARMED, WORK_DONE } from '../../../sim/engine/events.js';
import { applyInstanceCount, onInstanceWarmed } from '../../../sim/engine/handlers/instances.js';
import { constant, poissonClient, scenario, service } from '../../helpers/build.js';
import { drain, engineFor, request } from '../../helpers/engine.js';

function api() {
  return engineFor(
    scenario({ clients: [poissonClient('users', 'api', 1)], services: [service('api', { instances: 1, serviceTime: constant(1) })] }),
  );
}

describe('applyInstanceCount', () => {
  it('starts warming replicas, reports them as instances but not ready, and schedules their warm-up', () => {
    const { eng, sink } = api();
    const s = eng.services[0]!;
    s.baseInstances = 3;
    applyInstanceCount(eng, s, 30);
    expect(sink.last('api.instances')).toBe(3);
    expect(sink.last('api.ready')).toBe(1);
    expect(drain(eng)).toEqual([
      { time: 30, kind: INSTANCE_WARMED, a: 0, b: 1 },
      { time: 30, kind: INSTANCE_WARMED, a: 0, b: 2 },
    ]);
  });

  it('adds the capacity faults in force to the base, never going below zero', () => {
    const { eng, sink } = api();
    const s = eng.services[0]!;
    s.faultInstances = -5;
    applyInstanceCount(eng, s, 0);
    expect(sink.last('api.instances')).toBe(0);
    expect(s.rotation).toEqual([]);
  });

  it('lets the replicas in rotation take work that waited', () => {
    const { eng } = api();
    const s = eng.services[0]!;
    s.workers = 0;
    const r = request(eng);
    expect(s.queued).toBe(1);
    s.workers = 1;
    applyInstanceCount(eng, s, 0);
    expect(s.queued).toBe(0);
    expect(drain(eng)).toEqual([{ time: 1, kind: WORK_DONE, a: r, b: eng.reqs.gen[r] }]);
  });
});

describe('onInstanceWarmed', () => {
  it('puts a warmed replica into the rotation, cold from now', () => {
    const { eng, sink } = api();
    const s = eng.services[0]!;
    s.baseInstances = 2;
    applyInstanceCount(eng, s, 30);
    drain(eng);
    onInstanceWarmed(eng, s, 1);
    expect(s.rotation.map((i) => i.index)).toEqual([0, 1]);
    expect(s.instances[1]!.startedAt).toBe(eng.q.now);
    expect(sink.last('api.ready')).toBe(2);
  });

  it('ignores a replica retired while it warmed', () => {
    const { eng, sink } = api();
    const s = eng.services[0]!;
    s.baseInstances = 2;
    applyInstanceCount(eng, s, 30);
    s.baseInstances = 1;
    applyInstanceCount(eng, s, 30);
    onInstanceWarmed(eng, s, 1);
    expect(s.instances[1]!.state).toBe('retired');
    expect(s.rotation.length).toBe(1);
    expect(sink.last('api.ready')).toBe(1);
  });
});
