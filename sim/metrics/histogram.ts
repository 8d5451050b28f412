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

/** The bucket index of a positive duration: the definition, with one logarithm. */
export function bucketIndexOf(x: number): number {
  return Math.ceil(Math.log(x) * INV_LN_GAMMA);
}

// The same index without a logarithm, for the durations that matter (1 ns to
// about 136 years). A double's exponent and top CELL_BITS mantissa bits pick a
// cell 2^-CELL_BITS of an octave wide, narrower than a bucket (1/256 < ln 1.02),
// so a cell holds at most one bucket boundary. Two tables give, per cell, the
// bucket of its first value and the first value of the next bucket (Infinity
// when the cell has none). They are built from bucketIndexOf itself, an octave
// at a time when first needed, by stepping over the doubles of each cell, so
// the fast index equals the definition bit for bit; it costs a table lookup
// instead of a call to Math.log.
const CELL_BITS = 8;
const MIN_EXPONENT = -30; // 2^-30 s < MIN_INDEXED_SECONDS
const MAX_EXPONENT = 32; // exclusive: 2^32 s, about 136 years
const FIRST_CELL = (1023 + MIN_EXPONENT) << CELL_BITS;
const CELLS = (MAX_EXPONENT - MIN_EXPONENT) << CELL_BITS;
const bits = new Float64Array(1);
const words = new Uint32Array(bits.buffer);
/** Index of the word of a double that holds its sign, exponent and top mantissa bits. */
const HIGH_WORD = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1 ? 1 : 0;
const cellBucket = new Int32Array(CELLS);
const cellNext = new Float64Array(CELLS);
const octaveBuilt = new Uint8Array(MAX_EXPONENT - MIN_EXPONENT);

function buildOctave(octave: number): void {
  const e = octave + MIN_EXPONENT;
  const ulp = Math.pow(2, e - 52);
  const perCell = Math.pow(2, 52 - CELL_BITS); // doubles in a cell
  for (let k = 0; k < 1 << CELL_BITS; k++) {
    const c = (octave << CELL_BITS) + k;
    const first = Math.pow(2, e) * (1 + k / (1 << CELL_BITS));
    const b = bucketIndexOf(first);
    cellBucket[c] = b;
    // Every double of the cell is first + j * ulp, exactly. Find the least j in the
    // next bucket: start from γ^b, a few ulps off, and step to the exact change.
    if (bucketIndexOf(first + (perCell - 1) * ulp) === b) {
      cellNext[c] = Infinity;
      continue;
    }
    let j = Math.min(perCell - 1, Math.max(1, Math.round((Math.exp(b * LN_GAMMA) - first) / ulp)));
    while (j > 1 && bucketIndexOf(first + (j - 1) * ulp) !== b) j--;
    while (bucketIndexOf(first + j * ulp) === b) j++;
    cellNext[c] = first + j * ulp;
  }
  octaveBuilt[octave] = 1;
}

/** bucketIndexOf(x) for x >= MIN_INDEXED_SECONDS, by table when x is in range. */
export function fastBucketIndexOf(x: number): number {
  bits[0] = x;
  const c = (words[HIGH_WORD]! >>> (20 - CELL_BITS)) - FIRST_CELL;
  if (c < 0 || c >= CELLS) return bucketIndexOf(x);
  if (octaveBuilt[c >> CELL_BITS] === 0) buildOctave(c >> CELL_BITS);
  const b = cellBucket[c]!;
  return x < cellNext[c]! ? b : b + 1;
}

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
    this.countIndex(fastBucketIndexOf(x));
  }

  /**
   * Records `values[0 .. count)` in order: the same histogram as calling
   * `record` on each, with the running totals kept in locals for the loop
   * (the recorder folds its buffered latencies through here).
   */
  recordAll(values: Float64Array, count: number): void {
    let n = this.n;
    let zeros = this.zeros;
    let sumHi = this.sumHi;
    let sumLo = this.sumLo;
    let lowest = this.lowest;
    let highest = this.highest;
    let i = 0;
    for (; i < count; i++) {
      const x = values[i]!;
      if (!(x >= 0 && x < Infinity)) break;
      n += 1;
      const t = sumHi + x; // Neumaier, as in addToSum
      sumLo += Math.abs(sumHi) >= Math.abs(x) ? sumHi - t + x : x - t + sumHi;
      sumHi = t;
      if (x < lowest) lowest = x;
      if (x > highest) highest = x;
      if (x < MIN_INDEXED_SECONDS) zeros += 1;
      else this.countIndex(fastBucketIndexOf(x));
    }
    this.n = n;
    this.zeros = zeros;
    this.sumHi = sumHi;
    this.sumLo = sumLo;
    this.lowest = lowest;
    this.highest = highest;
    if (i < count) this.record(values[i]!); // throws the RangeError for the bad value
  }

  /** Adds one to bucket `index`. */
  private countIndex(index: number): void {
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

  /**
   * A copy holding only the occupied bucket range, as {@link LogHistogram.trim}
   * would leave this one: for keeping a finished histogram while this one is
   * cleared and reused.
   */
  copyTrimmed(): LogHistogram {
    const h = new LogHistogram();
    const c = this.counts;
    let first = 0;
    let last = c.length - 1;
    while (first <= last && c[first] === 0) first += 1;
    while (last >= first && c[last] === 0) last -= 1;
    if (first <= last) {
      h.counts = c.slice(first, last + 1);
      h.offset = this.offset + first;
    }
    h.zeros = this.zeros;
    h.n = this.n;
    h.sumHi = this.sumHi;
    h.sumLo = this.sumLo;
    h.lowest = this.lowest;
    h.highest = this.highest;
    return h;
  }

  /** Empties the histogram, keeping its storage for the values to come. */
  clear(): void {
    if (this.n === 0) return;
    this.counts.fill(0);
    this.zeros = 0;
    this.n = 0;
    this.sumHi = 0;
    this.sumLo = 0;
    this.lowest = Infinity;
    this.highest = -Infinity;
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
