/**
 * The records the engine moves around: operations (what a client wants done,
 * across all its attempts) and requests (one attempt at one service, from a
 * client or from a caller's call edge). Both are pooled: a record is reused
 * once nothing refers to it, and a generation number tells a stale event
 * (a timer for an attempt long finished) from a live one.
 */

/** What became of a request at its service. */
export const OUT_OK = 0;
export const OUT_ERROR = 1;
export const OUT_REJECTED = 2;
export const OUT_EXPIRED = 3;

/** One logical operation of a client: first send to final success or give-up. */
export class Op {
  /** Bumped each time the record is reused. */
  gen = 0;
  readonly id: number;
  client = 0;
  /** Closed-loop user index; -1 for open-loop clients. */
  user = -1;
  startedAt = 0;
  /** Attempts sent so far. */
  attempts = 0;
  /** Previous backoff sleep (decorrelated jitter). */
  prevSleep = 0;
  /** True once the client has its answer (success or give-up). */
  done = false;
  /** Requests of this operation still alive anywhere, plus one while not done. */
  refs = 0;
  /** Services (bit = service index < 31) where an attempt of this operation completed. */
  doneMask = 0;
  /** The same for service indices >= 31. */
  doneSet: Set<number> | null = null;

  constructor(id: number) {
    this.id = id;
  }
}

/** One attempt at one service. */
export class Req {
  gen = 0;
  readonly id: number;
  /** The operation this attempt belongs to (at any depth of the call tree). */
  op = 0;
  /** Client index when sent by a client, else -1. */
  client = -1;
  /** Caller's request id when sent on a call edge, else -1. */
  parent = -1;
  /** Edge index when sent on a call edge, else -1. */
  edge = -1;
  /** Callee service and instance. */
  svc = 0;
  inst = -1;
  /** The caller stopped waiting: it got the response or its timeout fired. */
  callerDone = false;
  /** The callee is finished with it: responded, rejected or expired. */
  calleeDone = false;
  /** The caller's timeout fired before a response arrived. */
  abandoned = false;
  outcome = OUT_OK;
  sentAt = 0;
  arrivedAt = 0;
  /** Start of the stretch of local work not yet checked against pauses. */
  workFrom = 0;
  /** When it joined its instance's waiting queue (CoDel). */
  queuedAt = 0;
  // Progress through the service's calls while this request holds a worker.
  callIdx = 0;
  callTry = 0;
  prevSleep = 0;
  /** Cache key this request is filling on its current call; -1 when none. */
  fillKey = -1;
  /** Sent as a background cache refresh (stale-while-revalidate) of this key; -1 when not. */
  refreshKey = -1;
  /** Holds a connection of its current call edge's pool. */
  conn = false;
  /** Waiting for a pool connection, until `poolDeadline`. */
  waitingPool = false;
  poolDeadline = 0;

  constructor(id: number) {
    this.id = id;
  }
}

/** A free-list pool of records of one class. */
export class Pool<T extends { gen: number; readonly id: number }> {
  readonly items: T[] = [];
  private readonly free: number[] = [];
  private readonly make: (id: number) => T;
  /** Records handed out and not yet released. */
  live = 0;

  constructor(make: (id: number) => T) {
    this.make = make;
  }

  /** A fresh or recycled record (its fields are the caller's to reset). */
  take(): T {
    this.live++;
    const id = this.free.pop();
    if (id !== undefined) return this.items[id] as T;
    const x = this.make(this.items.length);
    this.items.push(x);
    return x;
  }

  /** Returns a record; events still naming its old generation become stale. */
  release(x: T): void {
    this.live--;
    x.gen++;
    this.free.push(x.id);
  }
}
