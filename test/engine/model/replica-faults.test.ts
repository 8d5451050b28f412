import { describe, expect, it } from 'vitest';
import { addWindow, isReplicaFault, pickReplicas, ReplicaFaults } from '../../../sim/engine/model/replica-faults.js';
import type { Fault } from '../../../sim/scenario/types.js';

describe('pickReplicas', () => {
  const inService = [0, 2, 3, 5]; // replicas 1 and 4 retired
  it('takes a replica by number only while it is in service', () => {
    expect(pickReplicas({ kind: 'index', index: 2 }, inService)).toEqual([2]);
    expect(pickReplicas({ kind: 'index', index: 1 }, inService)).toEqual([]);
  });
  it('takes the lowest-numbered replicas for a count, all of them when the count is larger', () => {
    expect(pickReplicas({ kind: 'count', count: 2 }, inService)).toEqual([0, 2]);
    expect(pickReplicas({ kind: 'count', count: 9 }, inService)).toEqual(inService);
  });
  it('rounds a share up, and 30% of 10 is 3', () => {
    expect(pickReplicas({ kind: 'share', share: 0.25 }, inService)).toEqual([0]);
    expect(pickReplicas({ kind: 'share', share: 0.26 }, inService)).toEqual([0, 2]);
    expect(pickReplicas({ kind: 'share', share: 0.3 }, [...Array(10).keys()])).toHaveLength(3);
  });
});

describe('ReplicaFaults', () => {
  const faults: Fault[] = [
    { kind: 'latency', target: 'api', replicas: { kind: 'count', count: 2 }, at: 0, for: 10, add: 0.1, multiply: 2 },
    { kind: 'latency', target: 'api', at: 0, for: 10, add: 1, multiply: 1 },
    { kind: 'errors', target: 'api', replicas: { kind: 'index', index: 1 }, at: 0, for: 10, rate: 0.5 },
    { kind: 'errors', target: 'api', replicas: { kind: 'index', index: 1 }, at: 0, for: 10, rate: 0.5 },
    { kind: 'pause', target: 'db', replicas: { kind: 'index', index: 0 }, at: 5, for: 10 },
  ];
  it('keeps only the replica faults of its service', () => {
    expect(faults.map(isReplicaFault)).toEqual([true, false, true, true, true]);
    const rf = new ReplicaFaults(faults, 'api');
    expect([rf.any, rf.slows, rf.pauses]).toEqual([true, true, false]);
    expect(rf.has(1)).toBe(false);
    expect(new ReplicaFaults(faults, 'db').pauseWindows()).toEqual([{ start: 5, end: 15 }]);
  });
  it('combines the open windows per replica: additions add, multipliers multiply, chances are independent', () => {
    const rf = new ReplicaFaults(faults, 'api');
    for (const i of [0, 2, 3]) rf.openWindow(i, [0, 1, 2]);
    expect(rf.effectsOn(0)).toEqual({ latencyAdd: 0.1, latencyMul: 2, errorRate: 0, paused: false, down: false });
    expect(rf.effectsOn(1)).toEqual({ latencyAdd: 0.1, latencyMul: 2, errorRate: 0.75, paused: false, down: false });
    expect(rf.effectsOn(2)).toEqual({ latencyAdd: 0, latencyMul: 1, errorRate: 0, paused: false, down: false });
    rf.closeWindow(0);
    expect(rf.effectsOn(0).latencyMul).toBe(1);
  });
  it('takes a crashed replica down: no local work, every request fails, whatever else is open on it', () => {
    const crash: Fault = { kind: 'crash', target: 'api', replicas: { kind: 'index', index: 1 }, at: 0, for: 10 };
    const rf = new ReplicaFaults([...faults, crash], 'api');
    expect(rf.crashes).toBe(true);
    for (const i of [0, 2, 5]) rf.openWindow(i, [0, 1, 2]);
    expect(rf.effectsOn(1)).toEqual({ latencyAdd: 0, latencyMul: 0, errorRate: 1, paused: false, down: true });
    expect(rf.effectsOn(0).down).toBe(false);
    rf.closeWindow(5);
    expect(rf.effectsOn(1)).toEqual({ latencyAdd: 0.1, latencyMul: 2, errorRate: 0.5, paused: false, down: false });
  });
});

describe('addWindow', () => {
  it('merges overlapping and touching windows so that no second counts twice', () => {
    expect(
      addWindow(
        [
          { start: 0, end: 2 },
          { start: 5, end: 6 },
        ],
        1,
        3,
      ),
    ).toEqual([
      { start: 0, end: 3 },
      { start: 5, end: 6 },
    ]);
    expect(addWindow([{ start: 0, end: 2 }], 2, 4)).toEqual([{ start: 0, end: 4 }]);
    expect(addWindow([{ start: 4, end: 5 }], 0, 1)).toEqual([
      { start: 0, end: 1 },
      { start: 4, end: 5 },
    ]);
  });
});
