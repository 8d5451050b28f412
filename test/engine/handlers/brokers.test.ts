/**
 * handlers/brokers.ts: publishing acknowledges at once and hands the message
 * to a free consumer as a request on the delivery edge; a delivery's result
 * deletes or gives back; a timer makes a message visible again only under
 * its latest receipt.
 */
import { describe, expect, it } from 'vitest';
import { delivered, onMessageTimerEnded, publish } from '../../../sim/engine/handlers/brokers.js';
import { MESSAGE_TIMER_ENDED, REQUEST_ARRIVED, WORK_DONE } from '../../../sim/engine/events.js';
import { MSG_DELAYED, MSG_GONE, MSG_IN_FLIGHT, MSG_VISIBLE } from '../../../sim/engine/model/broker.js';
import type { Engine } from '../../../sim/engine/engine.js';
import type { Broker } from '../../../sim/scenario/types.js';
import { broker, constant, poissonClient, scenario, service } from '../../helpers/build.js';
import { drain, engineFor, setClock } from '../../helpers/engine.js';

function setup(over: Partial<Broker> = {}, concurrency = 1) {
  const sc = scenario({
    clients: [poissonClient('producer', 'jobs', 1)],
    services: [service('worker', { serviceTime: constant(0.5) })],
    brokers: [broker('jobs', 'worker', concurrency, { visibilityTimeout: 10, ...over })],
  });
  const { eng, sink } = engineFor(sc);
  setClock(eng, 2);
  return { eng, sink, b: eng.brokers[0]!, e: eng.edges[eng.brokers[0]!.edge]! };
}

/** The live request on delivery edge `edge` (the only one in these tests). */
function deliveryOf(eng: Engine, edge: number): number {
  for (let r = 0; r < 16; r++) if (eng.reqs.edge[r] === edge && eng.reqs.callerDone[r] === 0) return r;
  throw new Error('no delivery');
}

describe('broker handlers', () => {
  it('publish acknowledges the producer at once and sends the message to a free consumer, its timer set to the visibility timeout', () => {
    const { eng, sink, b, e } = setup();
    publish(eng, eng.clients[0]!);
    expect(['producer.offered', 'producer.goodput', 'jobs.published', 'jobs.received'].map((n) => sink.total(n))).toEqual([1, 1, 1, 1]);
    expect(sink.latencies('producer.latency')).toEqual([0]);
    expect([b.busy, b.queue.inFlight, sink.last('jobs.inFlight')]).toEqual([1, 1, 1]);
    expect(e.name).toBe('jobs->worker');
    const events = drain(eng);
    expect(events.map((x) => [x.time, x.kind])).toEqual([
      [2.5, WORK_DONE],
      [12, MESSAGE_TIMER_ENDED],
    ]);
    expect(eng.reqs.refreshKey[events[0]!.a]).toBe(events[1]!.b); // the delivery carries the receipt
  });

  it('with every consumer busy, a new message waits visible and the age of the oldest is reported', () => {
    const { eng, sink, b } = setup();
    publish(eng, eng.clients[0]!);
    setClock(eng, 3);
    publish(eng, eng.clients[0]!);
    expect([b.busy, b.queue.visible, sink.last('jobs.visible'), sink.last('jobs.oldestAge')]).toEqual([1, 1, 1, 0]);
    expect(drain(eng).filter((x) => x.kind === REQUEST_ARRIVED || x.kind === WORK_DONE)).toHaveLength(0); // the second waits
  });

  it('a successful delivery deletes the message and frees its consumer for the next one', () => {
    const { eng, sink, b, e } = setup();
    publish(eng, eng.clients[0]!);
    const first = eng.reqs.op[drain(eng)[0]!.a]!;
    publish(eng, eng.clients[0]!);
    const child = [...Array(4).keys()].find((r) => eng.reqs.op[r] === first && eng.reqs.edge[r] === e.index)!;
    eng.reqs.calleeDone[child] = 1;
    eng.reqs.callerDone[child] = 1;
    delivered(eng, e, child, 0);
    expect([sink.total('jobs.acked'), b.queue.stateOf(first), b.busy, sink.total('jobs.received')]).toEqual([1, MSG_GONE, 1, 2]);
  });

  it('a failed delivery gives the message back after the redelivery delay, or leaves it in flight without one', () => {
    for (const [delay, state] of [
      [1, MSG_DELAYED],
      [null, MSG_IN_FLIGHT],
    ] as const) {
      const { eng, b, e } = setup({ redeliveryDelay: delay });
      publish(eng, eng.clients[0]!);
      const child = deliveryOf(eng, e.index);
      const id = eng.reqs.op[child]!;
      eng.reqs.calleeDone[child] = 1;
      eng.reqs.callerDone[child] = 1;
      delivered(eng, e, child, 1);
      expect([b.queue.stateOf(id), b.busy]).toEqual([state, 0]);
      expect(drain(eng).map((x) => x.time)).toEqual(delay === null ? [2.5, 12] : [2.5, 3, 12]);
    }
  });

  it('a timer under an old receipt does nothing; under the latest, the message is visible and received again', () => {
    const { eng, sink, b } = setup({}, 2);
    publish(eng, eng.clients[0]!);
    const timer = drain(eng).find((x) => x.kind === MESSAGE_TIMER_ENDED)!;
    setClock(eng, timer.time);
    onMessageTimerEnded(eng, timer.a, timer.b - 1);
    expect(b.queue.stateOf(timer.a)).toBe(MSG_IN_FLIGHT);
    onMessageTimerEnded(eng, timer.a, timer.b);
    expect([sink.total('jobs.received'), sink.total('jobs.redelivered'), b.busy]).toEqual([2, 1, 2]);
    expect(b.queue.stateOf(timer.a)).not.toBe(MSG_VISIBLE);
  });
});
