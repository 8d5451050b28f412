/**
 * handlers/replica-faults.ts, reached through the fault handler: a window on
 * some replicas picks them when it opens, sets each replica's own latency,
 * failure chance and pause, and releases them when it closes.
 */
import { describe, expect, it } from 'vitest';
import { onFaultEnded, onFaultStarted } from '../../../sim/engine/handlers/faults.js';
import { replicaErrorRate } from '../../../sim/engine/handlers/replica-faults.js';
import type { Fault } from '../../../sim/scenario/types.js';
import { poissonClient, scenario, service } from '../../helpers/build.js';
import { engineFor } from '../../helpers/engine.js';

function withFaults(faults: Fault[]) {
  return engineFor(
    scenario({ clients: [poissonClient('users', 'api', 10)], services: [service('api', { instances: 3, errorRate: 0.5 })], faults }),
  );
}

describe('replica faults', () => {
  it('set the chosen replicas alone, on top of the service-wide faults, and undo exactly', () => {
    const { eng } = withFaults([
      { kind: 'latency', target: 'api', replicas: { kind: 'count', count: 2 }, at: 0, for: 10, multiply: 3, add: 0.1 },
      { kind: 'errors', target: 'api', replicas: { kind: 'index', index: 2 }, at: 0, for: 10, rate: 0.5 },
      { kind: 'pause', target: 'api', replicas: { kind: 'index', index: 0 }, at: 0, for: 10 },
      { kind: 'latency', target: 'api', at: 0, for: 10, multiply: 2, add: 0 },
    ]);
    const s = eng.services[0]!;
    for (const i of [0, 1, 2, 3]) onFaultStarted(eng, i);
    const [a, b, c] = s.instances;
    expect([a!.latencyMul, b!.latencyMul, c!.latencyMul]).toEqual([3, 3, 1]);
    expect(s.latencyMul).toBe(2); // the service-wide fault stays on the service
    expect([a!.paused, b!.paused, c!.paused]).toEqual([true, false, false]);
    expect(a!.pauses).toEqual([{ start: 0, end: 10 }]);
    // The service's chance is raised to the worst replica's, and each replica is asked.
    expect(s.replicaErrors).toBe(true);
    expect(s.errorRate).toBe(0.75);
    expect(replicaErrorRate(s, c!)).toBe(0.75);
    expect(replicaErrorRate(s, a!)).toBe(0.5);
    for (const i of [0, 1, 2, 3]) onFaultEnded(eng, i);
    expect([a!.latencyMul, a!.latencyAdd, a!.paused, c!.errorRate]).toEqual([1, 0, false, 0]);
    expect([s.replicaErrors, s.errorRate]).toEqual([false, 0.5]);
  });

  it('a replica number not in service picks nothing', () => {
    const { eng } = withFaults([{ kind: 'errors', target: 'api', replicas: { kind: 'index', index: 7 }, at: 0, for: 10, rate: 1 }]);
    onFaultStarted(eng, 0);
    expect(eng.services[0]!.replicaErrors).toBe(false);
  });
});
