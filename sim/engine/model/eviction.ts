/**
 * Which keys a bounded cache holds, and which one it drops when a new key
 * arrives and every slot is taken.
 *
 * Real counterparts:
 * - `lru`: least recently used goes first; a read or a write of a held key
 *   makes it the most recent. Redis `maxmemory-policy allkeys-lru` (which
 *   samples, where this is exact) and memcached's per-slab LRU; Caffeine and
 *   Guava's `maximumSize` are LRU-like by default.
 * - `fifo`: the key held longest goes first, whatever was read since; reads
 *   and rewrites of a held key do not move it. Nginx's and many hand-rolled
 *   bounded maps behave so.
 *
 * The order is an intrusive doubly linked list over `capacity` slots, with a
 * map from key to slot: memory is proportional to the capacity, not to the
 * key space, and every operation is O(1).
 */

/** How a bounded cache picks the key it drops. */
export type EvictionPolicy = 'lru' | 'fifo';

/** No slot / no key. */
const NONE = -1;

/** The keys a bounded cache holds, oldest (next to go) at the tail. Pure. */
export class EvictionOrder {
  readonly capacity: number;
  private readonly touchOnRead: boolean;
  private readonly slotOf = new Map<number, number>();
  private readonly keyAt: Int32Array;
  private readonly prev: Int32Array;
  private readonly next: Int32Array;
  /** Most recent (head) and next to go (tail); NONE when empty. */
  private head = NONE;
  private tail = NONE;
  /** Slots from `used` on have never held a key since the start or the last `clear`. */
  private used = 0;

  /** `capacity` keys at most (a whole number from 1). */
  constructor(capacity: number, policy: EvictionPolicy) {
    this.capacity = capacity;
    this.touchOnRead = policy === 'lru';
    this.keyAt = new Int32Array(capacity);
    this.prev = new Int32Array(capacity);
    this.next = new Int32Array(capacity);
  }

  /** Number of keys held. */
  get size(): number {
    return this.slotOf.size;
  }

  /** Whether `key` is held. */
  holds(key: number): boolean {
    return this.slotOf.has(key);
  }

  /** `key`, held, was read: under LRU it becomes the most recent; under FIFO nothing moves. */
  read(key: number): void {
    if (!this.touchOnRead) return;
    const s = this.slotOf.get(key);
    if (s !== undefined && s !== this.head) {
      this.unlink(s);
      this.pushHead(s);
    }
  }

  /**
   * `key` was written. A held key counts as read (see `read`); a new key takes
   * a free slot, or the slot of the key at the tail, which is dropped and
   * returned. Returns NONE (-1) when nothing was dropped.
   */
  write(key: number): number {
    if (this.slotOf.has(key)) {
      this.read(key);
      return NONE;
    }
    let s: number;
    let dropped = NONE;
    if (this.used < this.capacity) s = this.used++;
    else {
      s = this.tail;
      dropped = this.keyAt[s] as number;
      this.slotOf.delete(dropped);
      this.unlink(s);
    }
    this.keyAt[s] = key;
    this.slotOf.set(key, s);
    this.pushHead(s);
    return dropped;
  }

  /** Drops every key (a flush). */
  clear(): void {
    this.slotOf.clear();
    this.head = NONE;
    this.tail = NONE;
    this.used = 0;
  }

  /** Keys held, most recent first (for tests and checks). */
  keys(): number[] {
    const out: number[] = [];
    for (let s = this.head; s !== NONE; s = this.next[s] as number) out.push(this.keyAt[s] as number);
    return out;
  }

  private unlink(s: number): void {
    const p = this.prev[s] as number;
    const n = this.next[s] as number;
    if (p !== NONE) this.next[p] = n;
    else this.head = n;
    if (n !== NONE) this.prev[n] = p;
    else this.tail = p;
  }

  private pushHead(s: number): void {
    this.prev[s] = NONE;
    this.next[s] = this.head;
    if (this.head !== NONE) this.prev[this.head] = s;
    else this.tail = s;
    this.head = s;
  }
}
