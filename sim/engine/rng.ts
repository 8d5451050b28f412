/**
 * Seeded random streams. One root seed; every consumer asks for its own stream
 * by name (`client:users/arrival`, `service:db/service-time`, ...), so adding a
 * component or a purpose never shifts the numbers another one draws (common
 * random numbers across variants of a design).
 */

/** A stream of uniform numbers in [0, 1). */
export type Stream = () => number;

/** Creates the named stream for `seed`. Same (seed, name) → same sequence, on any machine. */
export function createStream(seed: number, name: string): Stream {
  const g = createGenerator(seed, name);
  return () => g.double();
}

/**
 * The generator behind the named stream: `createGenerator(seed, name).double()`
 * gives the sequence `createStream(seed, name)` does. The hot path draws from
 * it directly, one method call instead of a closure around one.
 */
export function createGenerator(seed: number, name: string): Alea {
  // Alea: fast, 2^116 period, and seeded from a string, so the name is part of the key.
  return new Alea(`loopsim|${seed}|${name}`);
}

/** Draws computed at a time (see Alea.double). */
const BATCH = 256;

/**
 * Johannes Baagøe's Alea generator, as seedrandom's `alea` implements it and
 * with the same output (seedrandom.alea(key).double() gives the same sequence).
 *
 * Draws are computed BATCH at a time into a buffer that `double()` reads
 * from: the batch loop keeps the generator's state in registers, and
 * `double()` is small enough for the compiler to inline at every call site,
 * so a draw allocates nothing and costs little beyond the generator's own two
 * steps (one dependency chain through the carry: about 10 ns on the machine
 * docs/performance.md describes). The numbers and their order are those of
 * drawing one at a time.
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

  /** The next uniform in [0, 1), with 53 random bits. */
  double(): number {
    if (this.i === BATCH) this.refill();
    return this.buf[this.i++]!;
  }

  /**
   * Computes the next BATCH draws. Each is two steps of the generator:
   * t = 2091639 s0 + c 2^-32, c = floor(t), (s0, s1, s2) = (s1, s2, t - c);
   * the first step's output gives the high 32 bits, the second's the low 21.
   */
  private refill(): void {
    const s = this.s;
    const buf = this.buf;
    let s0 = s[0]!;
    let s1 = s[1]!;
    let s2 = s[2]!;
    let c = s[3]!;
    for (let k = 0; k < BATCH; k++) {
      let t = 2091639 * s0 + c * 2.3283064365386963e-10; // 2^-32
      c = t | 0;
      const hi = t - c;
      t = 2091639 * s1 + c * 2.3283064365386963e-10;
      c = t | 0;
      const lo = t - c;
      s0 = s2;
      s1 = hi;
      s2 = lo;
      buf[k] = hi + ((lo * 0x200000) | 0) * 1.1102230246251565e-16; // 2^-53
    }
    s[0] = s0;
    s[1] = s1;
    s[2] = s2;
    s[3] = c;
    this.i = 0;
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
