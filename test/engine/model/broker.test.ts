import { describe, expect, it } from 'vitest';
import { BrokerQueue, MSG_DELAYED, MSG_GONE, MSG_IN_FLIGHT, MSG_VISIBLE } from '../../../sim/engine/model/broker.js';
import type { Broker } from '../../../sim/scenario/types.js';
import { broker } from '../../helpers/build.js';

function spec(over: Partial<Broker> = {}): Broker {
  return broker('jobs', 'worker', 1, over);
}

/** Takes every visible message, in the order the queue hands them out. */
function drain(q: BrokerQueue): number[] {
  const out: number[] = [];
  for (let id = q.take(); id >= 0; id = q.take()) out.push(id);
  return out;
}

describe('broker queue (SQS semantics)', () => {
  it('hands out the oldest visible message first, or the newest with order: newest', () => {
    const fifo = new BrokerQueue(spec());
    const lifo = new BrokerQueue(spec({ order: 'newest' }));
    for (const id of [4, 7, 2]) {
      fifo.makeVisible(id);
      lifo.makeVisible(id);
    }
    expect(drain(fifo)).toEqual([4, 7, 2]);
    expect(drain(lifo)).toEqual([2, 7, 4]);
    expect(fifo.visible).toBe(0);
  });

  it('ReceiveMessage hides a message for the visibility timeout; not deleted by then, it is visible again at the back', () => {
    const q = new BrokerQueue(spec({ visibilityTimeout: 30 }));
    q.makeVisible(1);
    q.makeVisible(2);
    expect(q.take()).toBe(1);
    expect(q.receive(1, 10, 101)).toBe(40);
    expect([q.stateOf(1), q.visible, q.inFlight]).toEqual([MSG_IN_FLIGHT, 1, 1]);
    expect(q.expire(1, 101, 39.999)).toBe(false); // not due yet
    expect(q.expire(1, 101, 40)).toBe(true);
    expect([q.stateOf(1), q.visible, q.inFlight]).toEqual([MSG_VISIBLE, 2, 0]);
    expect(drain(q)).toEqual([2, 1]);
  });

  it('DeleteMessage deletes only with the latest receipt, whether the message is in flight or visible again', () => {
    const q = new BrokerQueue(spec({ visibilityTimeout: 1 }));
    q.makeVisible(5);
    q.take();
    q.receive(5, 0, 1);
    q.expire(5, 1, 1);
    q.take();
    q.receive(5, 1, 2);
    expect(q.delete(5, 1)).toBe(false); // received again since: the old receipt deletes nothing
    expect(q.stateOf(5)).toBe(MSG_IN_FLIGHT);
    q.expire(5, 2, 2);
    expect(q.delete(5, 2)).toBe(true); // visible, but not received since: the receipt is still the latest
    expect([q.stateOf(5), q.visible, q.inFlight]).toEqual([MSG_GONE, 0, 0]);
    expect(q.take()).toBe(-1); // its stale place in the queue is skipped
  });

  it('a failed message waits out the redelivery delay (ChangeMessageVisibility), and its old visibility timer does nothing', () => {
    const q = new BrokerQueue(spec({ visibilityTimeout: 30, redeliveryDelay: 2 }));
    q.makeVisible(3);
    q.take();
    q.receive(3, 0, 7);
    expect(q.postpone(3, 7, 1, 2)).toBe(3);
    expect([q.stateOf(3), q.inFlight, q.delayed]).toEqual([MSG_DELAYED, 0, 1]);
    expect(q.postpone(3, 6, 1, 2)).toBe(-1); // a stale receipt changes nothing
    expect(q.expire(3, 7, 3)).toBe(true);
    expect([q.stateOf(3), q.visible, q.delayed]).toEqual([MSG_VISIBLE, 1, 0]);
    expect(q.expire(3, 7, 30)).toBe(false); // the visibility timer of that receive finds it visible
  });

  it('front() skips entries left by deleted messages; dropFront removes the oldest', () => {
    const q = new BrokerQueue(spec());
    q.makeVisible(1);
    q.makeVisible(2);
    q.makeVisible(3);
    q.take();
    q.receive(1, 0, 1);
    q.expire(1, 1, 30); // 1 goes to the back: 2, 3, 1
    expect(q.front()).toBe(2);
    q.dropFront();
    expect([q.front(), q.visible]).toEqual([3, 2]);
  });
});
