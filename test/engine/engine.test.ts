/**
 * engine.ts: start() seeds the queue (fault windows, clients, autoscalers);
 * step() runs the handler of each kind of event and drops stale ones (an
 * event naming an id whose generation moved on).
 */
import { describe, expect, it } from 'vitest';
import {
  AUTOSCALE_DUE,
  FAULT_ENDED,
  FAULT_STARTED,
  RESPONSE_ARRIVED,
  THINK_ENDED,
  TIMEOUT_FIRED,
  WORK_DONE,
} from '../../sim/engine/events.js';
import { arrive } from '../../sim/engine/handlers/services.js';
import type { Autoscale } from '../../sim/scenario/types.js';
import { constant, poissonClient, scenario, service } from '../helpers/build.js';
import { drain, engineFor, request, runUntil } from '../helpers/engine.js';

const hpa: Autoscale = {
  metric: 'utilization',
  target: 0.5,
  period: 15,
  lag: 0,
  tolerance: 0.1,
  min: 1,
  max: 4,
  scaleDownStabilization: 300,
  warmup: 0,
};

describe('Engine.start', () => {
  it("schedules each fault window's ends (a window of no length only its start), each client, each autoscaler", () => {
    const { eng } = engineFor(
      scenario({
        clients: [{ ...poissonClient('people', 'api', 1), arrival: { kind: 'closed', users: 1, think: constant(3) } }],
        services: [service('api', { autoscale: hpa })],
        faults: [
          { kind: 'latency', target: 'api', at: 5, for: 10, multiply: 2, add: 0 },
          { kind: 'cacheFlush', target: 'api', at: 7, for: 0 },
        ],
      }),
    );
    eng.start();
    expect(drain(eng).map((e) => [e.time, e.kind, e.a])).toEqual([
      [3, THINK_ENDED, 0],
      [5, FAULT_STARTED, 0],
      [7, FAULT_STARTED, 1],
      [15, FAULT_ENDED, 0],
      [15, AUTOSCALE_DUE, 0],
    ]);
  });
});

describe('Engine.step', () => {
  function oneRequest() {
    const built = engineFor(
      scenario({
        clients: [poissonClient('users', 'api', 1, { timeout: 5, network: constant(0.5) })],
        services: [service('api', { serviceTime: constant(1) })],
      }),
    );
    const { eng } = built;
    const r = request(eng, 0, false);
    eng.q.push(5, TIMEOUT_FIRED, r, eng.reqs.gen[r]!); // armed as send would
    arrive(eng, r);
    return { ...built, r };
  }

  it('runs a request through work done and response to goodput; its timeout, stale by then, does nothing', () => {
    const { eng, sink } = oneRequest();
    const kinds: number[] = [];
    const q = eng.q;
    while (q.size > 0) {
      q.pop();
      kinds.push(q.kind);
      sink.advance(q.now);
      eng.step();
    }
    expect(kinds).toEqual([WORK_DONE, RESPONSE_ARRIVED, TIMEOUT_FIRED]);
    expect(sink.total('api.completed')).toBe(1);
    expect(sink.total('users.goodput')).toBe(1);
    expect(sink.total('users.timeouts')).toBe(0);
    expect(eng.reqs.live).toBe(0);
  });

  it('drops an event whose request id has been reused since', () => {
    const { eng, sink, r } = oneRequest();
    drain(eng);
    eng.reqs.gen[r]!++;
    eng.q.push(1, WORK_DONE, r, eng.reqs.gen[r]! - 1);
    expect(runUntil(eng, sink, 10)).toBe(1);
    expect(sink.total('api.completed')).toBe(0);
    expect(eng.services[0]!.busy).toBe(1);
  });
});
