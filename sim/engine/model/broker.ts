/**
 * A message broker's bookkeeping, with Amazon SQS's semantics: where each
 * message is (visible, in flight, delayed, gone), its receipts, and the
 * order in which visible messages are handed out. The engine's handlers
 * (handlers/brokers.ts) decide when; this file decides what, given the time.
 *
 * A message is an operation id (its record holds when it was published and
 * how often it was received); the broker keeps its own columns per id:
 *
 *   publish → VISIBLE ─receive→ IN_FLIGHT ─delete (latest receipt)→ gone
 *                 ↑                 │ visibility timeout, not deleted
 *                 └─────────────────┤
 *                 ↑                 │ failed, with a redelivery delay
 *                 └──── DELAYED ←───┘
 *
 * Visible messages wait in a ring of (id, token) pairs: FIFO takes from the
 * front, newest-first from the back. A message that leaves the ring other
 * than by being taken (deleted while visible) leaves a stale pair behind,
 * recognised by its token and skipped; a message visible again goes to the
 * back, as SQS moves a message received several times to the back of its
 * queue.
 */
import { defineMetric, type DirectMetricOf } from '../../scenario/metric-catalogue.js';
import type { TraceSink } from '../../metrics/trace.js';
import type { Broker } from '../../scenario/types.js';
import { Deque } from './deque.js';

/** Where a message is. */
export const MSG_GONE = 0;
export const MSG_VISIBLE = 1;
export const MSG_IN_FLIGHT = 2;
export const MSG_DELAYED = 3;

/** Metric ids of one broker (see the metric catalogue). */
export interface BrokerMetrics {
  readonly published: number;
  readonly received: number;
  readonly redelivered: number;
  readonly acked: number;
  readonly deadLettered: number;
  readonly dropped: number;
  readonly visible: number;
  readonly inFlight: number;
  readonly delayed: number;
  readonly oldestAge: number;
}

/** Declares a broker's metrics, in catalogue order. */
export function defineBrokerMetrics(sink: TraceSink, name: string): BrokerMetrics {
  const def = (metric: DirectMetricOf<'broker'>): number => defineMetric(sink, 'broker', name, metric);
  return {
    published: def('published'),
    received: def('received'),
    redelivered: def('redelivered'),
    acked: def('acked'),
    deadLettered: def('deadLettered'),
    dropped: def('dropped'),
    visible: def('visible'),
    inFlight: def('inFlight'),
    delayed: def('delayed'),
    oldestAge: def('oldestAge'),
  };
}

/** A broker's runtime state: its messages, its consumer group, and the edge its deliveries travel on. */
export class BrokerState {
  readonly queue: BrokerQueue;
  readonly index: number;
  readonly m: BrokerMetrics;
  /** The index of the delivery edge (broker -> consumer service) in the engine's edges. */
  readonly edge: number;
  /** Consumers holding a message (a delivery under way). */
  busy = 0;
  /** Whether the consumer group is handing out messages (so that a delivery answered at once does not start another round). */
  pumping = false;
  /** Last levels reported. */
  readonly shown = { visible: 0, inFlight: 0, delayed: 0, oldestAge: 0 };

  constructor(spec: Broker, index: number, m: BrokerMetrics, edge: number) {
    this.queue = new BrokerQueue(spec);
    this.index = index;
    this.m = m;
    this.edge = edge;
  }
}

/** A broker's messages: where each one is, in which order the visible ones wait (see the module comment). */
export class BrokerQueue {
  readonly spec: Broker;
  /** Messages in each state (the stocks). */
  visible = 0;
  inFlight = 0;
  delayed = 0;
  private readonly ids = new Deque();
  private readonly tokens = new Deque();
  private seq = 0;
  /** Per message id: state, the token of its ring entry, its latest receipt, and when it becomes visible again. */
  private state = new Int8Array(64);
  private token = new Int32Array(64);
  private receipt = new Int32Array(64);
  private due = new Float64Array(64);

  constructor(spec: Broker) {
    this.spec = spec;
  }

  /** Where message `id` is: MSG_GONE, MSG_VISIBLE, MSG_IN_FLIGHT or MSG_DELAYED. */
  stateOf(id: number): number {
    return id < this.state.length ? this.state[id]! : MSG_GONE;
  }

  /** Message `id` becomes visible: at the back of the queue. */
  makeVisible(id: number): void {
    if (id >= this.state.length) this.grow(id);
    this.state[id] = MSG_VISIBLE;
    const t = ++this.seq | 0;
    this.token[id] = t;
    this.ids.push(id);
    this.tokens.push(t);
    this.visible++;
  }

  /**
   * Takes the next visible message out of the queue (the oldest entry, or
   * the newest with `order: newest`) and returns its id; -1 when none is
   * visible. The caller receives it or disposes of it.
   */
  take(): number {
    const newest = this.spec.order === 'newest';
    while (this.ids.size > 0) {
      const id = newest ? this.ids.pop() : this.ids.shift();
      const t = newest ? this.tokens.pop() : this.tokens.shift();
      if (this.state[id] === MSG_VISIBLE && this.token[id] === t) {
        this.state[id] = MSG_GONE;
        this.visible--;
        return id;
      }
    }
    return -1;
  }

  /**
   * The message at the front of the queue (the one that has been visible
   * longest), after removing the stale entries before it; -1 when none.
   * It stays in the queue.
   */
  front(): number {
    while (this.ids.size > 0) {
      const id = this.ids.peekFront();
      if (this.state[id] === MSG_VISIBLE && this.token[id] === this.tokens.peekFront()) return id;
      this.ids.shift();
      this.tokens.shift();
    }
    return -1;
  }

  /** Removes the front message (found by {@link front}) from the queue. */
  dropFront(): void {
    const id = this.ids.shift();
    this.tokens.shift();
    this.state[id] = MSG_GONE;
    this.visible--;
  }

  /**
   * Message `id`, just taken, is received at `now` under `receipt` (unique
   * in the run, which a delete must name): it is in flight and invisible
   * until `now + visibilityTimeout`, the time returned.
   */
  receive(id: number, now: number, receipt: number): number {
    this.state[id] = MSG_IN_FLIGHT;
    this.inFlight++;
    this.receipt[id] = receipt;
    return (this.due[id] = now + this.spec.visibilityTimeout);
  }

  /**
   * A consumer deletes message `id` with `receipt` (DeleteMessage). As in SQS,
   * only the latest receipt deletes; an older one (the message was received
   * again since) leaves it where it is. Returns whether it was deleted.
   */
  delete(id: number, receipt: number): boolean {
    const st = this.stateOf(id);
    if (st === MSG_GONE || this.receipt[id] !== receipt) return false;
    if (st === MSG_VISIBLE) this.visible--;
    else if (st === MSG_IN_FLIGHT) this.inFlight--;
    else this.delayed--;
    this.state[id] = MSG_GONE;
    return true;
  }

  /**
   * A consumer gives message `id` back after a failed delivery
   * (ChangeMessageVisibility to `redeliveryDelay`): it waits `delay`
   * seconds, holding no consumer, then is visible again. Returns the time it
   * is due, or -1 when the receipt is no longer the latest or the message is
   * not in flight (it then stays as it is).
   */
  postpone(id: number, receipt: number, now: number, delay: number): number {
    if (this.stateOf(id) !== MSG_IN_FLIGHT || this.receipt[id] !== receipt) return -1;
    this.state[id] = MSG_DELAYED;
    this.inFlight--;
    this.delayed++;
    return (this.due[id] = now + delay);
  }

  /**
   * The timer of message `id` with `receipt` ran out at `now` (its visibility
   * timeout, or its redelivery delay): when it is still in flight or delayed
   * under that receipt and due, it is visible again. Returns whether it is.
   */
  expire(id: number, receipt: number, now: number): boolean {
    const st = this.stateOf(id);
    if ((st !== MSG_IN_FLIGHT && st !== MSG_DELAYED) || this.receipt[id] !== receipt || now < this.due[id]!) return false;
    if (st === MSG_IN_FLIGHT) this.inFlight--;
    else this.delayed--;
    this.makeVisible(id);
    return true;
  }

  private grow(id: number): void {
    let n = this.state.length * 2;
    while (n <= id) n *= 2;
    this.state = grown(this.state, new Int8Array(n));
    this.token = grown(this.token, new Int32Array(n));
    this.receipt = grown(this.receipt, new Int32Array(n));
    this.due = grown(this.due, new Float64Array(n));
  }
}

/** `into`, a larger column, with `from` copied to its start. */
function grown<T extends Int8Array | Int32Array | Float64Array>(from: T, into: T): T {
  into.set(from);
  return into;
}
