import { describe, expect, it } from 'vitest';
import { CoDelQueueState } from '../../../sim/engine/model/codel.js';

const TARGET = 0.005;
const INTERVAL = 0.1;

describe('CoDel ("Fail at Scale")', () => {
  it('starts uncongested', () => {
    const q = new CoDelQueueState(TARGET, INTERVAL);
    expect(q.isCongested(0)).toBe(false);
    expect(q.isCongested(1000)).toBe(false);
    expect(q.queueTimeout(0)).toBe(INTERVAL);
  });

  it('a queue that was empty within the last interval drops only waits longer than the interval', () => {
    const q = new CoDelQueueState(TARGET, INTERVAL);
    q.onEnqueue(1, 0); // empty until t = 1
    q.onEnqueue(1.01, 1);
    expect(q.isCongested(1.08)).toBe(false);
    expect(q.shouldDrop(1.08, 0.08)).toBe(false); // way past target, still fine
    expect(q.shouldDrop(1.1, 0.1)).toBe(false); // exactly the interval: kept
    expect(q.shouldDrop(1.1, 0.1001)).toBe(true);
  });

  it('a queue not empty for a whole interval drops waits longer than the target', () => {
    const q = new CoDelQueueState(TARGET, INTERVAL);
    q.onEnqueue(1, 0);
    for (let t = 1.001; t < 1.3; t += 0.001) q.onEnqueue(t, 5); // never drains
    expect(q.isCongested(1.1)).toBe(false); // empty at t = 1, exactly one interval ago
    expect(q.isCongested(1.1001)).toBe(true);
    expect(q.queueTimeout(1.2)).toBe(TARGET);
    expect(q.shouldDrop(1.2, 0.004)).toBe(false);
    expect(q.shouldDrop(1.2, 0.005)).toBe(false);
    expect(q.shouldDrop(1.2, 0.006)).toBe(true);
  });

  it('draining the queue ends congestion; a standing queue brings it back after one interval', () => {
    const q = new CoDelQueueState(TARGET, INTERVAL);
    q.onEnqueue(0, 0);
    q.onEnqueue(0.01, 1);
    expect(q.isCongested(0.5)).toBe(true);
    q.onEmpty(0.5);
    expect(q.isCongested(0.5)).toBe(false);
    expect(q.isCongested(5)).toBe(false); // still empty: nothing is standing
    q.onEnqueue(5, 0);
    q.onEnqueue(5.05, 1);
    expect(q.isCongested(5.09)).toBe(false);
    expect(q.shouldDrop(5.09, 0.04)).toBe(false);
    expect(q.isCongested(5.11)).toBe(true);
    expect(q.shouldDrop(5.11, 0.04)).toBe(true);
  });

  it('an enqueue into an empty queue counts as having been empty at that moment', () => {
    const q = new CoDelQueueState(TARGET, INTERVAL);
    q.onEnqueue(0, 0);
    q.onEnqueue(0.5, 3);
    expect(q.isCongested(0.5)).toBe(true);
    q.onEnqueue(0.6, 0); // the lead drained it without calling onEmpty: the length says it was empty
    expect(q.isCongested(0.65)).toBe(false);
  });
});
