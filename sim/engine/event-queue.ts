/**
 * The future event list: a min-heap ordered by (time, seq), where `seq` is a
 * counter assigned when the event is scheduled. Two events at the same time
 * therefore always come out in the order they were scheduled, which is what
 * makes a run a pure function of (scenario, seed).
 *
 * The heap is 4-ary: half as deep as a binary heap, so a pop moves each entry
 * half as often, and the four children of a node sit side by side in memory.
 * Each heap entry is a time and a slot; the slot holds the rest of the event
 * (seq, kind, a, b), written once when it is scheduled and read once when it
 * pops, so sifting moves two numbers per level instead of five (a retry
 * storm's heap holds hundreds of thousands of timeouts, about ten levels
 * deep). A slot is reused once its event has popped. Everything lives in
 * typed arrays, so the hot path allocates nothing; the arrays double when
 * full and memory stays bounded by the number of pending events, not by how
 * many have run. Since (time, seq) is a total order, neither the arity nor
 * the slots change the order events pop in.
 */
export class EventQueue {
  /** Heap order: the time of entry i, and the slot that holds the rest of it. */
  private time: Float64Array;
  private slot: Int32Array;
  /** By slot: the event's seq, kind and payload. */
  private seqs: Float64Array;
  private kinds: Int32Array;
  private as: Int32Array;
  private bs: Int32Array;
  /** Slots free for reuse (a stack), and the first slot never used. */
  private free: Int32Array;
  private nFree = 0;
  private fresh = 0;
  private n = 0;
  private nextSeq = 0;

  /** Time of the event last popped (simulated seconds). */
  now = 0;
  /** Kind of the event last popped. */
  kind = 0;
  /** First payload word of the event last popped. */
  a = 0;
  /** Second payload word of the event last popped. */
  b = 0;

  constructor(initialCapacity = 1024) {
    const c = Math.max(16, initialCapacity);
    this.time = new Float64Array(c);
    this.slot = new Int32Array(c);
    this.seqs = new Float64Array(c);
    this.kinds = new Int32Array(c);
    this.as = new Int32Array(c);
    this.bs = new Int32Array(c);
    this.free = new Int32Array(c);
  }

  /** Number of pending events. */
  get size(): number {
    return this.n;
  }

  /** Time of the earliest pending event; Infinity when empty. */
  peekTime(): number {
    return this.n > 0 ? (this.time[0] as number) : Infinity;
  }

  /** Schedules an event of `kind` with payload (a, b) at absolute time `t`. */
  push(t: number, kind: number, a: number, b: number): void {
    if (this.n === this.time.length) this.grow();
    const time = this.time,
      slot = this.slot,
      seqs = this.seqs;
    const k = this.nFree > 0 ? (this.free[--this.nFree] as number) : this.fresh++;
    const s = this.nextSeq++;
    seqs[k] = s;
    this.kinds[k] = kind;
    this.as[k] = a;
    this.bs[k] = b;
    let i = this.n++;
    while (i > 0) {
      const p = (i - 1) >> 2;
      const pt = time[p] as number;
      if (pt < t || (pt === t && (seqs[slot[p] as number] as number) < s)) break;
      time[i] = pt;
      slot[i] = slot[p] as number;
      i = p;
    }
    time[i] = t;
    slot[i] = k;
  }

  /**
   * Removes the earliest event and exposes it through `now`, `kind`, `a`, `b`.
   * Returns false when the queue is empty.
   */
  pop(): boolean {
    if (this.n === 0) return false;
    const time = this.time,
      slot = this.slot,
      seqs = this.seqs;
    const top = slot[0] as number;
    this.now = time[0] as number;
    this.kind = this.kinds[top] as number;
    this.a = this.as[top] as number;
    this.b = this.bs[top] as number;
    this.free[this.nFree++] = top;
    const n = --this.n;
    if (n === 0) return true;
    // Sift the last entry down from the root into the hole the popped one left.
    const lt = time[n] as number,
      lk = slot[n] as number,
      ls = seqs[lk] as number;
    let i = 0;
    for (;;) {
      const first = 4 * i + 1;
      if (first >= n) break;
      // The earliest of the (up to) four children.
      let c = first;
      let ct = time[first] as number;
      const last = Math.min(first + 3, n - 1);
      for (let j = first + 1; j <= last; j++) {
        const jt = time[j] as number;
        if (jt < ct || (jt === ct && (seqs[slot[j] as number] as number) < (seqs[slot[c] as number] as number))) {
          c = j;
          ct = jt;
        }
      }
      if (lt < ct || (lt === ct && ls < (seqs[slot[c] as number] as number))) break;
      time[i] = ct;
      slot[i] = slot[c] as number;
      i = c;
    }
    time[i] = lt;
    slot[i] = lk;
    return true;
  }

  /**
   * Calls `fn(a, b)` for each pending event of `kind`, in heap order (fixed
   * for a given history, so runs stay deterministic). A scan of the whole
   * list, for rare moments such as a crash; nothing on the hot path calls it.
   */
  forEachPending(kind: number, fn: (a: number, b: number) => void): void {
    for (let i = 0; i < this.n; i++) {
      const k = this.slot[i] as number;
      if (this.kinds[k] === kind) fn(this.as[k] as number, this.bs[k] as number);
    }
  }

  private grow(): void {
    const c = this.time.length * 2;
    const f = (src: Float64Array): Float64Array => {
      const d = new Float64Array(c);
      d.set(src);
      return d;
    };
    const g = (src: Int32Array): Int32Array => {
      const d = new Int32Array(c);
      d.set(src);
      return d;
    };
    this.time = f(this.time);
    this.slot = g(this.slot);
    this.seqs = f(this.seqs);
    this.kinds = g(this.kinds);
    this.as = g(this.as);
    this.bs = g(this.bs);
    this.free = g(this.free);
  }
}
