/**
 * Drawing from the scenario's distributions. Each draw consumes uniforms from
 * the stream it is given, so which stream a component uses decides who shares
 * random numbers with whom (see rng.ts).
 */
import type { Dist } from '../../scenario/types.js';
import type { Alea } from '../rng.js';

const ZERO = 0;
const CONSTANT = 1;
const EXPONENTIAL = 2;
const OTHER = 3;

/**
 * A distribution bound to the generator it draws from, for the hot path:
 * `next()` gives the numbers `sample(d, g)` would, but the cases that make up
 * nearly every draw of a run (none, constant, exponential) skip the string
 * switch.
 */
export class Draw {
  /** True when every draw is exactly 0 (no distribution, or constant 0): no delay, no random number. */
  readonly zero: boolean;
  private readonly kind: number;
  /** The constant, or the exponential's mean. */
  private readonly value: number;
  private readonly dist: Dist | null;
  private readonly g: Alea;

  constructor(d: Dist | null, g: Alea) {
    this.dist = d;
    this.g = g;
    this.zero = isZero(d);
    let kind = OTHER;
    let value = NaN;
    if (d === null || this.zero) {
      kind = ZERO;
      value = 0;
    } else if (d.dist === 'constant') {
      kind = CONSTANT;
      value = d.value;
    } else if (d.dist === 'exponential') {
      kind = EXPONENTIAL;
      value = d.mean;
    }
    this.kind = kind;
    this.value = value;
  }

  /** One draw, in seconds. */
  next(): number {
    const k = this.kind;
    if (k === EXPONENTIAL) return this.g.exponential() * this.value; // as in sample()
    if (k === OTHER) return +sample(this.dist as Dist, this.g); // + keeps draws unboxed, as in Alea.exponential
    return this.value;
  }
}

/**
 * Draws one value (seconds) of `d` from `g`. Exponentials (and Erlang's
 * phases) come from the ziggurat; the other shapes invert a 53-bit uniform,
 * so a Pareto's tail reaches past 2^32 times its scale.
 */
export function sample(d: Dist, g: Alea): number {
  switch (d.dist) {
    case 'constant':
      return d.value;
    case 'exponential':
      return g.exponential() * d.mean;
    case 'uniform':
      return d.min + (d.max - d.min) * g.double();
    case 'lognormal':
      return Math.exp(d.mu + d.sigma * standardNormal(g));
    case 'erlang': {
      // A sum of k exponential phases of mean mean/k.
      let sum = 0;
      for (let i = 0; i < d.k; i++) sum += g.exponential();
      return (sum * d.mean) / d.k;
    }
    case 'pareto':
      return d.scale / Math.pow(1 - g.double(), 1 / d.shape);
  }
}

/** The mean of `d` in seconds (Infinity for a Pareto with shape <= 1). */
export function meanOf(d: Dist): number {
  switch (d.dist) {
    case 'constant':
      return d.value;
    case 'exponential':
    case 'erlang':
      return d.mean;
    case 'uniform':
      return (d.min + d.max) / 2;
    case 'lognormal':
      return Math.exp(d.mu + (d.sigma * d.sigma) / 2);
    case 'pareto':
      return d.shape > 1 ? (d.shape * d.scale) / (d.shape - 1) : Infinity;
  }
}

/** Whether every draw of `d` is exactly 0 (then no stream needs to be touched). */
export function isZero(d: Dist | null): boolean {
  return d === null || (d.dist === 'constant' && d.value === 0);
}

// Box-Muller, using one of the pair: two uniforms per draw keeps the stream's
// consumption fixed per draw, so a lognormal draw never depends on the one before.
function standardNormal(g: Alea): number {
  const r = Math.sqrt(-2 * Math.log(1 - g.double()));
  return r * Math.cos(2 * Math.PI * g.double());
}
