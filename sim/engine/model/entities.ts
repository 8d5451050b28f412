/**
 * The records the engine moves around: operations (what a client wants done,
 * across all its attempts) and requests (one attempt at one service, from a
 * client or from a caller's call edge).
 *
 * Each kind lives in a table of typed-array columns indexed by a small integer
 * id (a struct of arrays), not in objects: a retry storm holds hundreds of
 * thousands of requests at once, and as objects they cost about 350 bytes
 * each and keep the garbage collector copying them from generation to
 * generation; as columns they cost about 100 bytes and make no garbage.
 * An id is reused once nothing refers to it, and a generation number tells a
 * stale event (a timer for an attempt long finished) from a live one.
 *
 * A table starts with room for 2^14 records and grows eightfold when full,
 * copying every column into a larger buffer: a storm of a few hundred
 * thousand requests gets there in two copies, where doubling from a small
 * start took a dozen and touched twice the memory on the way. The operating
 * system hands out a buffer's pages only as they are first written, so the
 * room not yet used costs address space, not memory. Because growing replaces
 * the columns, hold on to the table (`this.reqs`), never to a column, across
 * a `take()`.
 */

/** What became of a request at its service. */
export const OUT_OK = 0;
export const OUT_ERROR = 1;
export const OUT_REJECTED = 2;
export const OUT_EXPIRED = 3;

const INITIAL_CAPACITY = 1 << 14;
/** Growth factor of a full table: a storm reaches its size in a couple of copies. */
const GROWTH = 8;
const CACHE_LINE = 64;

/**
 * One buffer holding every column of a table, each column starting one cache
 * line further into its page than the one before. As separate large arrays
 * the columns would all start on a page boundary, entry i of every column
 * would fall in the same cache set, and reading one record's fields would
 * evict each other (with 2^20-entry columns the event loop ran about 10%
 * slower that way).
 */
class Block {
  readonly capacity: number;
  private readonly buffer: ArrayBuffer;
  private offset = 0;

  /** Room for `capacity` records of `bytesPerRecord` bytes in `columns` columns. */
  constructor(capacity: number, bytesPerRecord: number, columns: number) {
    this.capacity = capacity;
    // Each column starts a cache line past the last one's end, rounded up to 8 bytes for the f64 columns.
    this.buffer = new ArrayBuffer(capacity * bytesPerRecord + columns * (CACHE_LINE + 8));
  }

  /** The next column, with `old`'s entries copied in. */
  i32(old: Int32Array): Int32Array {
    const a = new Int32Array(this.buffer, this.carve(4), this.capacity);
    a.set(old);
    return a;
  }

  u8(old: Uint8Array): Uint8Array {
    const a = new Uint8Array(this.buffer, this.carve(1), this.capacity);
    a.set(old);
    return a;
  }

  f64(old: Float64Array): Float64Array {
    const a = new Float64Array(this.buffer, this.carve(8), this.capacity);
    a.set(old);
    return a;
  }

  private carve(bytes: number): number {
    // A capacity that is not a multiple of 8 (a small --max-inflight) leaves u8 and i32 columns unaligned.
    const start = Math.ceil(this.offset / 8) * 8 + CACHE_LINE;
    this.offset = start + this.capacity * bytes;
    // A column added without counting it in the table's bytes per record fails here, at once.
    if (this.offset > this.buffer.byteLength) throw new Error('entities: a table has more columns than its record size counts');
    return start;
  }
}

const NO_I32: Int32Array = new Int32Array(0);
const NO_U8: Uint8Array = new Uint8Array(0);
const NO_F64: Float64Array = new Float64Array(0);

/**
 * Thrown by {@link Reqs.take} when `maxLive` requests are alive and one more
 * is asked for; the run loop turns it into a RunAborted that says where the
 * requests are.
 */
export class TableFull extends Error {
  readonly limit: number;
  constructor(limit: number) {
    super(`more than ${limit} requests alive`);
    this.limit = limit;
  }
}

/** The free list of a table: hands out ids and takes them back. */
class FreeList {
  private ids = new Int32Array(1024);
  private n = 0;
  /** Ids ever handed out: the next fresh id. */
  used = 0;
  /** Ids handed out and not yet released. */
  live = 0;

  /** A released id, or -1 when the caller must use a fresh one (`used`, then incremented). */
  pop(): number {
    this.live++;
    return this.n > 0 ? (this.ids[--this.n] as number) : -1;
  }

  push(id: number): void {
    this.live--;
    if (this.n === this.ids.length) {
      const ids = new Int32Array(this.n * 2);
      ids.set(this.ids);
      this.ids = ids;
    }
    this.ids[this.n++] = id;
  }
}

// Ops and Reqs each spell out take, release and grow. A shared base class
// was measured (10^7 M/M/1 requests, paired runs): 3 to 6% slower, because
// the base's methods then see two kinds of table and their property loads
// stop being monomorphic. The repetition is the cheaper choice here.

const OP_COLUMNS = 9;
const OP_BYTES = 7 * 4 + 2 * 8;

/**
 * Operations, by id: one logical operation of a client, from its first send
 * to final success or give-up.
 */
export class Ops {
  private readonly free = new FreeList();
  /** Bumped each time the id is reused. */
  gen = NO_I32;
  client = NO_I32;
  /** Closed-loop user index; -1 for open-loop clients. */
  user = NO_I32;
  startedAt = NO_F64;
  /** Attempts sent so far. */
  attempts = NO_I32;
  /** Previous backoff sleep (decorrelated jitter). */
  prevSleep = NO_F64;
  /** Requests of this operation still alive anywhere, plus one while not done. */
  refs = NO_I32;
  /** Services (bit = service index < 31) where an attempt of this operation completed. */
  doneMask = NO_I32;
  /** The operation's key (tenant) drawn by its client, or -1 when its client draws none. */
  key = NO_I32;
  /** The same for service indices >= 31, by operation id (rare: only big topologies). */
  readonly doneSets = new Map<number, Set<number>>();

  constructor() {
    this.place(new Block(INITIAL_CAPACITY, OP_BYTES, OP_COLUMNS));
  }

  /** Operations in flight. */
  get live(): number {
    return this.free.live;
  }

  /** A fresh or recycled id (its columns are the caller's to reset). */
  take(): number {
    const id = this.free.pop();
    if (id >= 0) return id;
    if (this.free.used === this.gen.length) this.grow();
    return this.free.used++;
  }

  /** Returns an id; events still naming its old generation become stale. */
  release(id: number): void {
    this.gen[id]!++;
    if (this.doneSets.size > 0) this.doneSets.delete(id);
    this.free.push(id);
  }

  private grow(): void {
    this.place(new Block(this.gen.length * GROWTH, OP_BYTES, OP_COLUMNS));
  }

  /** Moves every column into `b` (keeping their entries). */
  private place(b: Block): void {
    this.gen = b.i32(this.gen);
    this.client = b.i32(this.client);
    this.user = b.i32(this.user);
    this.startedAt = b.f64(this.startedAt);
    this.attempts = b.i32(this.attempts);
    this.prevSleep = b.f64(this.prevSleep);
    this.refs = b.i32(this.refs);
    this.doneMask = b.i32(this.doneMask);
    this.key = b.i32(this.key);
  }
}

const REQ_COLUMNS = 25;
const REQ_BYTES = 13 * 4 + 6 + 6 * 8;

/** Requests, by id: one attempt at one service. Flags are 0 or 1. */
export class Reqs {
  private readonly free = new FreeList();
  /** Bumped each time the id is reused. */
  gen = NO_I32;
  /** The operation this attempt belongs to (at any depth of the call tree). */
  op = NO_I32;
  /** Client index when sent by a client, else -1. */
  client = NO_I32;
  /** Caller's request id when sent on a call edge, else -1. */
  parent = NO_I32;
  /** Edge index when sent on a call edge, else -1. */
  edge = NO_I32;
  /** Callee service and instance. */
  svc = NO_I32;
  inst = NO_I32;
  /** The caller stopped waiting: it got the response or its timeout fired. */
  callerDone = NO_U8;
  /** The callee is finished with it: responded, rejected or expired. */
  calleeDone = NO_U8;
  /** The caller's timeout fired before a response arrived. */
  abandoned = NO_U8;
  /** One of the OUT_* codes. */
  outcome = NO_U8;
  sentAt = NO_F64;
  arrivedAt = NO_F64;
  /** Start of the stretch of local work not yet checked against pauses. */
  workFrom = NO_F64;
  /** When it joined its instance's waiting queue (CoDel). */
  queuedAt = NO_F64;
  // Progress through the service's calls while this request holds a worker.
  callIdx = NO_I32;
  callTry = NO_I32;
  prevSleep = NO_F64;
  /** Cache key this request is filling on its current call; -1 when none. */
  fillKey = NO_I32;
  /** Sent as a background cache refresh (stale-while-revalidate) of this key; -1 when not. */
  refreshKey = NO_I32;
  /** Which call path through the topology this request took (0 from a client; see `callPath`). */
  path = NO_I32;
  /** Holds a connection of its current call edge's pool. */
  conn = NO_U8;
  /** Waiting for a pool connection, until `poolDeadline`. */
  waitingPool = NO_U8;
  poolDeadline = NO_F64;
  /** Its answer is degraded (a fallback or a skipped optional call): holds generation + 1 then (see fallback.ts). */
  degraded = NO_I32;

  /** Most requests alive at once: one more and {@link take} throws {@link TableFull}. */
  readonly maxLive: number;

  /** A table for at most `maxLive` requests alive at once (the `--max-inflight` guard). */
  constructor(maxLive = Infinity) {
    this.maxLive = maxLive;
    this.place(new Block(Math.min(INITIAL_CAPACITY, maxLive), REQ_BYTES, REQ_COLUMNS));
  }

  /** Requests alive (sent and not yet released). */
  get live(): number {
    return this.free.live;
  }

  /** A fresh or recycled id (its columns are the caller's to reset). */
  take(): number {
    const id = this.free.pop();
    if (id >= 0) return id;
    if (this.free.used === this.gen.length) this.grow();
    return this.free.used++;
  }

  /** Returns an id; events still naming its old generation become stale. */
  release(id: number): void {
    this.gen[id]!++;
    this.free.push(id);
  }

  // The bound is checked only here, when the table is full: it costs the event loop nothing.
  private grow(): void {
    if (this.gen.length >= this.maxLive) throw new TableFull(this.maxLive);
    this.place(new Block(Math.min(this.gen.length * GROWTH, this.maxLive), REQ_BYTES, REQ_COLUMNS));
  }

  /** Moves every column into `b` (keeping their entries). */
  private place(b: Block): void {
    this.gen = b.i32(this.gen);
    this.op = b.i32(this.op);
    this.client = b.i32(this.client);
    this.parent = b.i32(this.parent);
    this.edge = b.i32(this.edge);
    this.svc = b.i32(this.svc);
    this.inst = b.i32(this.inst);
    this.callerDone = b.u8(this.callerDone);
    this.calleeDone = b.u8(this.calleeDone);
    this.abandoned = b.u8(this.abandoned);
    this.outcome = b.u8(this.outcome);
    this.sentAt = b.f64(this.sentAt);
    this.arrivedAt = b.f64(this.arrivedAt);
    this.workFrom = b.f64(this.workFrom);
    this.queuedAt = b.f64(this.queuedAt);
    this.callIdx = b.i32(this.callIdx);
    this.callTry = b.i32(this.callTry);
    this.prevSleep = b.f64(this.prevSleep);
    this.fillKey = b.i32(this.fillKey);
    this.refreshKey = b.i32(this.refreshKey);
    this.path = b.i32(this.path);
    this.conn = b.u8(this.conn);
    this.waitingPool = b.u8(this.waitingPool);
    this.poolDeadline = b.f64(this.poolDeadline);
    this.degraded = b.i32(this.degraded);
  }
}

/** The path id of a call on edge `edge` made by a request whose own path id is `parentPath`. */
export function callPath(parentPath: number, edge: number): number {
  return (Math.imul(parentPath, 31) + edge + 1) | 0;
}
