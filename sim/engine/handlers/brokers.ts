/**
 * Brokers: a producer publishes (acknowledged at once), the consumer group
 * receives visible messages while it has a free consumer and sends each to
 * its service as a request; the response deletes the message (success) or
 * gives it back (failure); a message not deleted within its visibility
 * timeout is visible again and is received again, until its receive count
 * reaches `maxReceiveCount` and the next receive moves it to the
 * dead-letter queue. The bookkeeping is model/broker.ts; this is the when.
 *
 *   publish → visible ─receive→ in flight ─request→ consumer service
 *   response: success → delete (latest receipt only) | failure → delay or wait
 *   visibility timeout or delay over → visible again (at the back)
 *
 * A delivery is a request on the broker's delivery edge with no caller
 * request: its response reaches {@link delivered} through calls.ts. Its
 * operation is the message, so a service that completes two deliveries of
 * one message counts a duplicate.
 */
import { MESSAGE_TIMER_ENDED } from '../events.js';
import type { BrokerState } from '../model/broker.js';
import type { ClientState } from '../model/client.js';
import type { EdgeState } from '../model/edge.js';
import { callPath } from '../model/entities.js';
import { RunAborted, type EngineState } from '../state.js';
import { newReq, releaseIfDone, send, unrefOp } from './requests.js';

/** Client `c` publishes one message to its broker: acknowledged at once, so the operation succeeds now. */
export function publish(eng: EngineState, c: ClientState): void {
  const now = eng.q.now;
  const b = eng.brokers[c.broker] as BrokerState;
  const Q = b.queue;
  if (Q.visible + Q.inFlight + Q.delayed >= eng.limits.maxInflight) throw backlogPassed(eng, b);
  const O = eng.ops;
  const id = O.take();
  O.client[id] = c.index;
  O.user[id] = -1;
  O.startedAt[id] = now;
  O.attempts[id] = 0;
  O.prevSleep[id] = 0;
  O.refs[id] = 1; // the broker's hold, dropped when the message is deleted, dead-lettered or dropped
  O.doneMask[id] = 0;
  O.key[id] = c.nextKey();
  const sink = eng.sink;
  sink.count(c.m.offered, 1);
  sink.count(c.m.attempts, 1);
  sink.count(c.m.goodput, 1);
  sink.latency(c.m.latency, 0);
  sink.count(b.m.published, 1);
  Q.makeVisible(id);
  pump(eng, b);
}

/** The guard's stop when a broker holds as many messages as --max-inflight allows requests (each takes memory as one does). */
function backlogPassed(eng: EngineState, b: BrokerState): RunAborted {
  const now = eng.q.now;
  const name = b.queue.spec.name;
  const limit = eng.limits.maxInflight.toLocaleString('en-US');
  return new RunAborted(
    `the messages held by broker ${name} passed ${limit} (--max-inflight) at t=${(Math.round(now * 10) / 10).toString()} s: its consumers cannot keep up; give it a retention, more consumers, or shorten the run`,
    name,
    now,
  );
}

/**
 * Hands visible messages to free consumers. Messages past `retention` are
 * dropped (from the front of the queue first, so that the age of the oldest
 * never passes it while consumers are busy); a message due for a receive
 * beyond `maxReceiveCount` moves to the dead-letter queue instead.
 */
function pump(eng: EngineState, b: BrokerState): void {
  if (b.pumping) return;
  b.pumping = true;
  const now = eng.q.now;
  const Q = b.queue;
  const spec = Q.spec;
  const O = eng.ops;
  for (let id = Q.front(); id >= 0 && now - O.startedAt[id]! >= spec.retention; id = Q.front()) {
    Q.dropFront();
    eng.sink.count(b.m.dropped, 1);
    unrefOp(eng, id);
  }
  while (b.busy < spec.consumers.concurrency) {
    const id = Q.take();
    if (id < 0) break;
    if (now - O.startedAt[id]! >= spec.retention) {
      eng.sink.count(b.m.dropped, 1);
      unrefOp(eng, id);
    } else if (spec.maxReceiveCount !== null && O.attempts[id]! >= spec.maxReceiveCount) {
      eng.sink.count(b.m.deadLettered, 1);
      unrefOp(eng, id);
    } else {
      deliver(eng, b, id);
    }
  }
  b.pumping = false;
  brokerLevels(eng, b);
}

/** Message `id` is received: invisible for the visibility timeout, and sent to the consumer service. */
function deliver(eng: EngineState, b: BrokerState, id: number): void {
  const q = eng.q;
  const receives = ++eng.ops.attempts[id]!;
  eng.sink.count(b.m.received, 1);
  if (receives > 1) eng.sink.count(b.m.redelivered, 1);
  const receipt = ++eng.lastReceipt;
  q.push(b.queue.receive(id, q.now, receipt), MESSAGE_TIMER_ENDED, id, receipt);
  b.busy++;
  const e = eng.edges[b.edge] as EdgeState;
  const R = eng.reqs;
  const r = newReq(eng, id, -1);
  R.edge[r] = e.index;
  R.svc[r] = e.to;
  R.refreshKey[r] = receipt;
  R.path[r] = callPath(0, e.index);
  send(eng, r, null, e.network);
}

/**
 * The response to delivery `child` on edge `e` came back (`fail` = 0 on
 * success): the consumer deletes the message with its receipt, or gives it
 * back (after `redeliveryDelay`, or when its visibility timeout ends); either
 * way it is free for the next message.
 */
export function delivered(eng: EngineState, e: EdgeState, child: number, fail: number): void {
  const b = eng.brokers[e.delivery] as BrokerState;
  const R = eng.reqs;
  const id = R.op[child]!;
  const receipt = R.refreshKey[child]!;
  const Q = b.queue;
  b.busy--;
  if (fail === 0) {
    if (Q.delete(id, receipt)) {
      eng.sink.count(b.m.acked, 1);
      unrefOp(eng, id);
    }
  } else {
    const delay = Q.spec.redeliveryDelay;
    if (delay !== null) {
      const at = Q.postpone(id, receipt, eng.q.now, delay);
      if (at >= 0) eng.q.push(at, MESSAGE_TIMER_ENDED, id, receipt);
    }
  }
  releaseIfDone(eng, child);
  pump(eng, b);
}

/** The timer of message `id` under `receipt` ran out (visibility timeout or redelivery delay): visible again if still due. */
export function onMessageTimerEnded(eng: EngineState, id: number, receipt: number): void {
  const c = eng.clients[eng.ops.client[id]!];
  // The id may have been reused by an operation that is no message; receipts are unique, so a reused message id does not match.
  if (c === undefined || c.broker < 0) return;
  const b = eng.brokers[c.broker] as BrokerState;
  if (b.queue.expire(id, receipt, eng.q.now)) pump(eng, b);
}

/** Reports the broker's stocks that changed, and the age of the message at the front of its queue. */
function brokerLevels(eng: EngineState, b: BrokerState): void {
  const Q = b.queue;
  const m = b.m;
  const shown = b.shown;
  const sink = eng.sink;
  if (Q.visible !== shown.visible) sink.level(m.visible, (shown.visible = Q.visible));
  if (Q.inFlight !== shown.inFlight) sink.level(m.inFlight, (shown.inFlight = Q.inFlight));
  if (Q.delayed !== shown.delayed) sink.level(m.delayed, (shown.delayed = Q.delayed));
  const front = Q.front();
  const age = front < 0 ? 0 : eng.q.now - eng.ops.startedAt[front]!;
  if (age !== shown.oldestAge) sink.level(m.oldestAge, (shown.oldestAge = age));
}
