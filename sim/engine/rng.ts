/**
 * Seeded random streams. One root seed; every consumer asks for its own stream
 * by name (`client:users/arrival`, `service:db/service-time`, ...), so adding a
 * component or a purpose never shifts the numbers another one draws (common
 * random numbers across variants of a design).
 */

/** A stream of uniform numbers in [0, 1) (32 random bits each). */
export type Stream = () => number;

/** Creates the named stream for `seed`. Same (seed, name) → same sequence, on any machine. */
export function createStream(seed: number, name: string): Stream {
  const g = createGenerator(seed, name);
  return () => g.uniform();
}

/**
 * The generator behind the named stream: `createGenerator(seed, name).uniform()`
 * gives the sequence `createStream(seed, name)` does. The hot path draws from
 * it directly, one method call instead of a closure around one.
 */
export function createGenerator(seed: number, name: string): Alea {
  // Alea: fast, 2^116 period, and seeded from a string, so the name is part of the key.
  return new Alea(`loopsim|${seed}|${name}`);
}

/** Generator steps computed at a time (see Alea.uniform). */
const BATCH = 256;

/**
 * Johannes Baagøe's Alea generator, as seedrandom's `alea` implements it and
 * with the same output: `uniform()` is one step (seedrandom's `prng()`, also
 * called `quick()`), `double()` two (seedrandom's `double()`), so any mix of
 * the two draws the sequence seedrandom would.
 *
 * Steps are computed BATCH at a time into a buffer that the draws read from:
 * the batch loop keeps the generator's state in registers, and `uniform()` is
 * small enough for the compiler to inline at every call site, so a draw
 * allocates nothing and costs little beyond the generator's own step (one
 * dependency chain through the carry: about 5 ns on the machine
 * docs/performance.md describes).
 */
export class Alea {
  /** s0, s1, s2 (fractions in [0, 1)) and the carry c. */
  private readonly s = new Float64Array(4);
  private readonly buf = new Float64Array(BATCH);
  private i = BATCH;

  constructor(key: string) {
    const mash = createMash();
    const s = this.s;
    s[0] = mash(' ');
    s[1] = mash(' ');
    s[2] = mash(' ');
    s[3] = 1;
    for (let i = 0; i < 3; i++) {
      s[i] = s[i]! - mash(key);
      if (s[i]! < 0) s[i] = s[i]! + 1;
    }
  }

  /** The next uniform in [0, 1), with 32 random bits: a multiple of 2^-32. One step. */
  uniform(): number {
    if (this.i === BATCH) this.refill();
    return this.buf[this.i++]!;
  }

  /** The next uniform in [0, 1), with 53 random bits (for heavy tails). Two steps. */
  double(): number {
    const hi = this.uniform();
    return hi + ((this.uniform() * 0x200000) | 0) * 1.1102230246251565e-16; // 2^-53
  }

  /**
   * The next standard exponential (mean 1), by Marsaglia and Tsang's
   * ziggurat: one step and a table lookup for about 98.9% of draws, no
   * logarithm. Exact in distribution (the rejection steps make it so); the
   * number of steps a draw takes varies.
   */
  exponential(): number {
    const j = this.uniform() * 4294967296; // the step's 32 bits, as an integer
    const i = j & 255;
    if (j < ZIG_K[i]!) return j * ZIG_W[i]!;
    // The unary plus tells the compiler that the call gives a number, so both
    // returns stay unboxed doubles where this is inlined (without it, every
    // draw was boxed into a heap number).
    return +this.exponentialSlow(j, i);
  }

  /** The ziggurat's rare cases: the base strip's tail, and the wedges beside each layer. */
  private exponentialSlow(j: number, i: number): number {
    for (;;) {
      if (i === 0) return ZIG_R - Math.log(1 - this.uniform()); // past R, memoryless: R + Exp(1)
      const x = j * ZIG_W[i]!;
      if (ZIG_F[i]! + this.uniform() * (ZIG_F[i - 1]! - ZIG_F[i]!) < Math.exp(-x)) return x;
      j = this.uniform() * 4294967296;
      i = j & 255;
      if (j < ZIG_K[i]!) return j * ZIG_W[i]!;
    }
  }

  /**
   * Computes the next BATCH steps: t = 2091639 s0 + c 2^-32, c = floor(t),
   * (s0, s1, s2) = (s1, s2, t - c).
   *
   * Every value here is a multiple of 2^-32 below 2^21 (the seeds are, and
   * each step keeps them so), so all of this arithmetic is exact in doubles.
   * That lets the step be split: a = 2091639 s0 and its floor do not depend
   * on the carry, and t = floor(a) + x with x = frac(a) + c 2^-32 < 2, so
   * floor(t) = floor(a) + (x >= 1) and t - floor(t) = x - (x >= 1). Only the
   * last two depend on the previous step's carry, a much shorter chain than
   * the whole step's (about twice as fast); the numbers are the same, bit for
   * bit (test/bench/exactness.test.ts checks them against seedrandom).
   */
  private refill(): void {
    const s = this.s;
    const buf = this.buf;
    let s0 = s[0]!;
    let s1 = s[1]!;
    let s2 = s[2]!;
    let c = s[3]!;
    for (let k = 0; k < BATCH; k++) {
      const a = 2091639 * s0;
      const floorA = a | 0; // a < 2^21
      const x = a - floorA + c * 2.3283064365386963e-10; // 2^-32
      const carry = x >= 1 ? 1 : 0;
      c = floorA + carry;
      s0 = s1;
      s1 = s2;
      s2 = x - carry;
      buf[k] = s2;
    }
    s[0] = s0;
    s[1] = s1;
    s[2] = s2;
    s[3] = c;
    this.i = 0;
  }
}

/**
 * The exponential ziggurat's tables (Marsaglia and Tsang, "The Ziggurat
 * Method for Generating Random Variables", 2000): 256 layers of equal area
 * V under e^-x, the base one ending at R. Layer i spans [0, x_i) with
 * f(x_i) = ZIG_F[i]; a 32-bit j falls in its rectangle, accepted at once,
 * when j < ZIG_K[i], and maps to x = j ZIG_W[i].
 */
const ZIG_R = 7.697117470131487;
const ZIG_V = 3.949659822581572e-3;
const ZIG_K = new Float64Array(256);
const ZIG_W = new Float64Array(256);
const ZIG_F = new Float64Array(256);
{
  const m = 4294967296; // 2^32
  const q = ZIG_V / Math.exp(-ZIG_R);
  ZIG_K[0] = Math.floor((ZIG_R / q) * m);
  ZIG_K[1] = 0;
  ZIG_W[0] = q / m;
  ZIG_W[255] = ZIG_R / m;
  ZIG_F[0] = 1;
  ZIG_F[255] = Math.exp(-ZIG_R);
  let x = ZIG_R;
  let prev = ZIG_R;
  for (let i = 254; i >= 1; i--) {
    x = -Math.log(ZIG_V / x + Math.exp(-x));
    ZIG_K[i + 1] = Math.floor((x / prev) * m);
    prev = x;
    ZIG_F[i] = Math.exp(-x);
    ZIG_W[i] = x / m;
  }
}

/** Baagøe's Mash: hashes strings into the generator's initial state. */
function createMash(): (data: string) => number {
  let n = 0xefc8249d;
  return (data) => {
    for (let i = 0; i < data.length; i++) {
      n += data.charCodeAt(i);
      let h = 0.02519603282416938 * n;
      n = h >>> 0;
      h -= n;
      h *= n;
      n = h >>> 0;
      h -= n;
      n += h * 0x100000000; // 2^32
    }
    return (n >>> 0) * 2.3283064365386963e-10; // 2^-32
  };
}
