/**
 * Key popularity for look-aside caches: which key a request asks for.
 *
 * Zipf over n keys: key k (0-based, key 0 the most popular) has probability
 * (k + 1)^−s / Σ_{j=1..n} j^−s, the `exponent` s > 0 (1 is the classic web-cache
 * fit). Sampled by rejection-inversion (W. Hörmann and G. Derflinger, "Rejection-
 * inversion to generate variates from monotone discrete distributions", ACM TOMACS
 * 6(3), 1996): O(1) expected time per draw, no table, any n, any s > 0 including 1.
 *
 * How it works, with h(x) = x^−s and H(x) = ∫₁ˣ h, i.e. (x^(1−s) − 1)/(1 − s), or ln x
 * when s = 1: rank r in 1..n owns the interval (H(r + ½) − h(r), H(r + ½)], whose length is
 * h(r), proportional to its probability. Because h is convex and decreasing these intervals
 * do not overlap and all lie inside (H(1½) − 1, H(n + ½)]. Draw y uniform on that range,
 * invert x = H⁻¹(y), round to the rank r nearest x, and accept r when y falls inside r's
 * interval; otherwise draw again. Acceptance is high (above 90% for the exponents of
 * interest), so a draw costs about one exp and one log.
 * The quick acceptance `r − x <= squeeze` skips the interval test for most draws. In x
 * units, rank r accepts (H⁻¹(H(r + ½) − h(r)), r + ½]; the accepted stretch left of r,
 * r − H⁻¹(H(r + ½) − h(r)), is shortest at r = 2 (the paper's lemma for h convex), and
 * squeeze = 2 − H⁻¹(H(2½) − h(2)) is that stretch, so the shortcut never accepts a point
 * the interval test would reject. Rank 1 accepts everything it receives: its interval
 * starts at the bottom of the range.
 * Precision: for s > 2, H flattens towards its bound 1/(s − 1) and, far in the tail, double
 * rounding blurs the rank boundaries; checked numerically, this starts beyond ranks whose
 * combined probability is under 2·10⁻⁹ (rank 5·10⁵ for s = 2.5, 1200 for s = 5).
 */
import type { Stream } from '../rng.js';

/** Popularity law of a key space, as the normalized `Cache.popularity`. */
export type Popularity = { readonly kind: 'zipf'; readonly exponent: number } | { readonly kind: 'uniform' };

/** Below this |t|, use series for log1p(t)/t and expm1(t)/t: the quotients lose digits near 0. */
const SMALL = 1e-8;

/** log(1 + t) / t, continuous at t = 0. */
function log1pOverT(t: number): number {
  return Math.abs(t) > SMALL ? Math.log1p(t) / t : 1 - t / 2 + (t * t) / 3;
}

/** (e^t − 1) / t, continuous at t = 0. */
function expm1OverT(t: number): number {
  return Math.abs(t) > SMALL ? Math.expm1(t) / t : 1 + t / 2 + (t * t) / 6;
}

/** Draws keys in [0, keys) with the given popularity. */
export class KeySampler {
  /** Number of keys. */
  readonly keys: number;
  private readonly zipf: boolean;
  /** Zipf exponent s. */
  private readonly s: number;
  /** Lower end of the uniform range: H(1.5) − h(1). */
  private readonly lo: number;
  /** Upper end of the uniform range: H(n + 0.5). */
  private readonly hi: number;
  private readonly squeeze: number;

  constructor(keys: number, popularity: Popularity) {
    this.keys = Math.max(1, Math.floor(keys));
    this.zipf = popularity.kind === 'zipf';
    this.s = popularity.kind === 'zipf' ? popularity.exponent : 0;
    this.lo = this.bigH(1.5) - 1;
    this.hi = this.bigH(this.keys + 0.5);
    this.squeeze = 2 - this.bigHInv(this.bigH(2.5) - this.h(2));
  }

  /** One key in [0, keys), drawing one or more uniforms from `u`. */
  next(u: Stream): number {
    const n = this.keys;
    if (!this.zipf) {
      const k = Math.floor(u() * n);
      return k < n ? k : n - 1;
    }
    for (;;) {
      // Uniform on (lo, hi]: 1 − u() is in (0, 1].
      const y = this.lo + (1 - u()) * (this.hi - this.lo);
      const x = this.bigHInv(y);
      let r = Math.floor(x + 0.5);
      if (r < 1) r = 1;
      else if (r > n) r = n;
      if (r - x <= this.squeeze || y >= this.bigH(r + 0.5) - this.h(r)) return r - 1;
    }
  }

  /** h(x) = x^−s. */
  private h(x: number): number {
    return Math.exp(-this.s * Math.log(x));
  }

  /** H(x) = ∫₁ˣ t^−s dt, written so that s = 1 needs no special case. */
  private bigH(x: number): number {
    const lx = Math.log(x);
    return expm1OverT((1 - this.s) * lx) * lx;
  }

  /** Inverse of H. */
  private bigHInv(y: number): number {
    let t = (1 - this.s) * y;
    // For s > 1, H is bounded by 1/(s − 1); rounding can push t past −1, where log1p is undefined.
    if (t < -1) t = -1;
    return Math.exp(log1pOverT(t) * y);
  }
}

/** Exact Zipf probabilities of the `keys` keys (index = key), for tests and reports. O(keys). */
export function zipfPmf(keys: number, exponent: number): Float64Array {
  const p = new Float64Array(keys);
  let sum = 0;
  // Sum from the smallest terms up, for accuracy.
  for (let k = keys; k >= 1; k--) sum += Math.pow(k, -exponent);
  for (let k = 1; k <= keys; k++) p[k - 1] = Math.pow(k, -exponent) / sum;
  return p;
}
