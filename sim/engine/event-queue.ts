/**
 * The future event list: a min-heap ordered by (time, seq), where `seq` is a
 * counter assigned when the event is scheduled. Two events at the same time
 * therefore always come out in the order they were scheduled, which is what
 * makes a run a pure function of (scenario, seed).
 *
 * The heap is 4-ary: half as deep as a binary heap, so a pop moves each entry
 * half as often, and the four children of a node sit side by side in memory.
 * Entries live in parallel typed arrays (time, seq, kind, a, b) so that the hot
 * path allocates nothing; the arrays double when full and memory stays bounded
 * by the number of pending events, not by how many have run. Since (time, seq)
 * is a total order, the arity changes nothing in the order events pop.
 */
export class EventQueue {
  private time: Float64Array;
  private seqs: Float64Array;
  private kinds: Int32Array;
  private as: Int32Array;
  private bs: Int32Array;
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
    this.seqs = new Float64Array(c);
    this.kinds = new Int32Array(c);
    this.as = new Int32Array(c);
    this.bs = new Int32Array(c);
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
    const time = this.time, seqs = this.seqs, kinds = this.kinds, as = this.as, bs = this.bs;
    const s = this.nextSeq++;
    let i = this.n++;
    while (i > 0) {
      const p = (i - 1) >> 2;
      const pt = time[p] as number;
      if (pt < t || (pt === t && (seqs[p] as number) < s)) break;
      time[i] = pt; seqs[i] = seqs[p] as number; kinds[i] = kinds[p] as number;
      as[i] = as[p] as number; bs[i] = bs[p] as number;
      i = p;
    }
    time[i] = t; seqs[i] = s; kinds[i] = kind; as[i] = a; bs[i] = b;
  }

  /**
   * Removes the earliest event and exposes it through `now`, `kind`, `a`, `b`.
   * Returns false when the queue is empty.
   */
  pop(): boolean {
    if (this.n === 0) return false;
    const time = this.time, seqs = this.seqs, kinds = this.kinds, as = this.as, bs = this.bs;
    this.now = time[0] as number; this.kind = kinds[0] as number; this.a = as[0] as number; this.b = bs[0] as number;
    const n = --this.n;
    if (n === 0) return true;
    // Sift the last entry down from the root into the hole the popped one left.
    const lt = time[n] as number, ls = seqs[n] as number, lk = kinds[n] as number, la = as[n] as number, lb = bs[n] as number;
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
        if (jt < ct || (jt === ct && (seqs[j] as number) < (seqs[c] as number))) { c = j; ct = jt; }
      }
      if (lt < ct || (lt === ct && ls < (seqs[c] as number))) break;
      time[i] = ct; seqs[i] = seqs[c] as number; kinds[i] = kinds[c] as number;
      as[i] = as[c] as number; bs[i] = bs[c] as number;
      i = c;
    }
    time[i] = lt; seqs[i] = ls; kinds[i] = lk; as[i] = la; bs[i] = lb;
    return true;
  }

  private grow(): void {
    const c = this.time.length * 2;
    const f = (src: Float64Array): Float64Array => { const d = new Float64Array(c); d.set(src); return d; };
    const g = (src: Int32Array): Int32Array => { const d = new Int32Array(c); d.set(src); return d; };
    this.time = f(this.time); this.seqs = f(this.seqs);
    this.kinds = g(this.kinds); this.as = g(this.as); this.bs = g(this.bs);
  }
}
