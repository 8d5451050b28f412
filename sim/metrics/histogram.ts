/**
 * A mergeable histogram of non-negative durations (seconds) with about 1%
 * relative accuracy, in the manner of DDSketch.
 *
 * A positive value x falls into bucket i = ceil(ln x / ln γ) with γ = 1.02, the
 * interval (γ^(i-1), γ^i], and is reported as that bucket's geometric midpoint
 * γ^(i-1/2): within √γ - 1 ≈ 0.995% of any value in the bucket. Zeros (and
 * values below {@link MIN_INDEXED_SECONDS}) have a count of their own. Count,
 * sum, min and max are exact; only quantiles go through the buckets.
 *
 * Storage is one dense Uint32Array of counts over the occupied index range,
 * plus an offset; it grows both ways on demand, with up to a quarter of slack
 * on the side that grows. Responses spanning 1 ms to 1 s occupy about 350
 * slots (1.4 KB); a single magnitude, 16. {@link LogHistogram.trim} drops the
 * slack once a histogram is complete (a closed time bucket).
 */

/** Bucket growth factor: bucket i covers (γ^(i-1), γ^i]. */
export const GAMMA = 1.02;

/** Positive durations below this (1 ns) count as zero: no bucket index is spent on them. */
export const MIN_INDEXED_SECONDS = 1e-9;

const LN_GAMMA = Math.log(GAMMA);
const INV_LN_GAMMA = 1 / LN_GAMMA;
const MAX_U32 = 0xffffffff;
const INITIAL_SLOTS = 16;
const MIN_SLACK = 8;
const EMPTY = new Uint32Array(0);

/** A log-bucket histogram of durations in seconds; see the module comment. */
export class LogHistogram {
  // Counts live in a Uint32Array and move to a Float64Array if a slot would
  // overflow 2^32 - 1, so a long merged window never wraps around.
  private counts: Uint32Array | Float64Array = EMPTY;
  /** Bucket index of `counts[0]`. */
  private offset = 0;
  private zeros = 0;
  private n = 0;
  // Neumaier-compensated sum: the total does not drift with the order values
  // or merges arrive in.
  private sumHi = 0;
  private sumLo = 0;
  private lowest = Infinity;
  private highest = -Infinity;

  /** Records one duration in seconds; throws a RangeError for a negative, NaN or infinite value. */
  record(x: number): void {
    if (!(x >= 0 && x < Infinity)) {
      throw new RangeError(`LogHistogram.record expects a finite duration >= 0, got ${x}`);
    }
    this.n += 1;
    this.addToSum(x);
    if (x < this.lowest) this.lowest = x;
    if (x > this.highest) this.highest = x;
    if (x < MIN_INDEXED_SECONDS) {
      this.zeros += 1;
      return;
    }
    const index = Math.ceil(Math.log(x) * INV_LN_GAMMA);
    const k = index - this.offset;
    const counts = this.counts;
    if (k >= 0 && k < counts.length) {
      const c = counts[k]! + 1;
      if (c > MAX_U32) this.widen();
      this.counts[k] = c;
      return;
    }
    this.ensureRange(index, index);
    this.counts[index - this.offset]! += 1;
  }

  /** Adds every value `other` has seen into this histogram; `other` is unchanged. */
  merge(other: LogHistogram): void {
    // Read `other` before writing `this`: they may be the same histogram.
    const { n, sumHi, sumLo, zeros, counts: src } = other;
    if (n === 0) return;
    this.n += n;
    this.addToSum(sumHi);
    this.addToSum(sumLo);
    this.zeros += zeros;
    if (other.lowest < this.lowest) this.lowest = other.lowest;
    if (other.highest > this.highest) this.highest = other.highest;
    let first = 0;
    let last = src.length - 1;
    while (first <= last && src[first] === 0) first += 1;
    while (last >= first && src[last] === 0) last -= 1;
    if (first > last) return;
    if (this.n > MAX_U32) this.widen();
    this.ensureRange(other.offset + first, other.offset + last);
    const shift = other.offset - this.offset;
    const dst = this.counts;
    for (let k = first; k <= last; k += 1) dst[k + shift]! += src[k]!;
  }

  /**
   * The value at quantile `q` (0..1): the lower nearest-rank value, element
   * floor(q × (count - 1)) of the sorted values, to within about 1%. Returns
   * the exact min for q = 0 and max for q = 1, and 0 for an empty histogram.
   * Non-decreasing in `q`; independent of the order values and merges came in.
   */
  quantile(q: number): number {
    if (!(q >= 0 && q <= 1)) throw new RangeError(`quantile expects q in [0, 1], got ${q}`);
    if (this.n === 0) return 0;
    if (q === 0) return this.lowest;
    if (q === 1) return this.highest;
    const rank = q * (this.n - 1);
    let seen = this.zeros;
    if (seen > rank) return this.lowest;
    const counts = this.counts;
    for (let k = 0; k < counts.length; k += 1) {
      seen += counts[k]!;
      if (seen > rank) {
        const mid = Math.exp((k + this.offset - 0.5) * LN_GAMMA);
        return Math.min(this.highest, Math.max(this.lowest, mid));
      }
    }
    return this.highest;
  }

  /** Shrinks storage to the occupied bucket range; call when a histogram stops receiving values. */
  trim(): void {
    const c = this.counts;
    let first = 0;
    let last = c.length - 1;
    while (first <= last && c[first] === 0) first += 1;
    while (last >= first && c[last] === 0) last -= 1;
    if (first > last) {
      this.counts = EMPTY;
      this.offset = 0;
    } else if (first > 0 || last < c.length - 1) {
      this.counts = c.slice(first, last + 1);
      this.offset += first;
    }
  }

  /** Number of values recorded. */
  get count(): number {
    return this.n;
  }

  /** Exact sum of the values recorded, in seconds (compensated summation). */
  get sum(): number {
    return this.sumHi + this.sumLo;
  }

  /** Smallest value recorded (exact); 0 when empty. */
  get min(): number {
    return this.n === 0 ? 0 : this.lowest;
  }

  /** Largest value recorded (exact); 0 when empty. */
  get max(): number {
    return this.n === 0 ? 0 : this.highest;
  }

  /** sum / count; 0 when empty. */
  get mean(): number {
    return this.n === 0 ? 0 : this.sum / this.n;
  }

  /** Bucket slots currently allocated (a memory measure for tests and benchmarks). */
  get slots(): number {
    return this.counts.length;
  }

  private addToSum(x: number): void {
    const hi = this.sumHi;
    const t = hi + x;
    this.sumLo += Math.abs(hi) >= Math.abs(x) ? hi - t + x : x - t + hi;
    this.sumHi = t;
  }

  private widen(): void {
    if (this.counts instanceof Uint32Array) this.counts = Float64Array.from(this.counts);
  }

  /** Makes bucket indices lo..hi addressable, growing with slack on the side that grows. */
  private ensureRange(lo: number, hi: number): void {
    const old = this.counts;
    const make = (size: number): Uint32Array | Float64Array =>
      old instanceof Float64Array ? new Float64Array(size) : new Uint32Array(size);
    if (old.length === 0) {
      const size = Math.max(INITIAL_SLOTS, hi - lo + 1);
      this.counts = make(size);
      this.offset = lo - ((size - (hi - lo + 1)) >> 1);
      return;
    }
    const curLo = this.offset;
    const curHi = this.offset + old.length - 1;
    if (lo >= curLo && hi <= curHi) return;
    const slack = Math.max(MIN_SLACK, old.length >> 2);
    const newLo = lo < curLo ? lo - slack : curLo;
    const newHi = hi > curHi ? hi + slack : curHi;
    const next = make(newHi - newLo + 1);
    next.set(old, curLo - newLo);
    this.counts = next;
    this.offset = newLo;
  }
}
