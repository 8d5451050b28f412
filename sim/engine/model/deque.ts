/**
 * A growable ring buffer of request ids: the waiting room of one instance.
 * FIFO takes from the front, LIFO from the back; both are O(1).
 */
export class Deque {
  private buf: Int32Array;
  private head = 0;
  private n = 0;

  /** `initialCapacity` is rounded up to a power of two, so that indices wrap with a mask. */
  constructor(initialCapacity = 16) {
    let c = 16;
    while (c < initialCapacity) c *= 2;
    this.buf = new Int32Array(c);
  }

  /** Number of waiting entries. */
  get size(): number {
    return this.n;
  }

  /** Appends `x` at the back. */
  push(x: number): void {
    if (this.n === this.buf.length) this.grow();
    this.buf[(this.head + this.n) & (this.buf.length - 1)] = x;
    this.n++;
  }

  /** Removes and returns the front entry; -1 when empty. */
  shift(): number {
    if (this.n === 0) return -1;
    const x = this.buf[this.head] as number;
    this.head = (this.head + 1) & (this.buf.length - 1);
    this.n--;
    return x;
  }

  /** Removes and returns the back entry; -1 when empty. */
  pop(): number {
    if (this.n === 0) return -1;
    this.n--;
    return this.buf[(this.head + this.n) & (this.buf.length - 1)] as number;
  }

  /** The front entry without removing it; -1 when empty. */
  peekFront(): number {
    return this.n === 0 ? -1 : (this.buf[this.head] as number);
  }

  /** Calls `f` on every entry, front to back. */
  forEach(f: (x: number) => void): void {
    const mask = this.buf.length - 1;
    for (let i = 0; i < this.n; i++) f(this.buf[(this.head + i) & mask] as number);
  }

  private grow(): void {
    // Capacity stays a power of two so that `& (length - 1)` wraps indices.
    const next = new Int32Array(this.buf.length * 2);
    const mask = this.buf.length - 1;
    for (let i = 0; i < this.n; i++) next[i] = this.buf[(this.head + i) & mask] as number;
    this.buf = next;
    this.head = 0;
  }
}
