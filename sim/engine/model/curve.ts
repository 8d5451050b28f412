/**
 * Load-dependent latency curves (a service's `degradation: {curve, ...}`):
 * the factor on a draw of service time as a function of the load x that the
 * replica carries when the request's work starts. Pure arithmetic; the
 * handler picks x (docs/model.md, "Degradation").
 */
import type { DegradationCurve } from '../../scenario/types.js';

/**
 * The factor min(max, f(x)) on service time, f being 1 + k·x^exponent for
 * linear and polynomial (linear's exponent is 1) and e^(k·x) for
 * exponential. Never below 1 for x ≥ 0, k ≥ 0; an overflow to Infinity is
 * capped at `max`.
 */
export function curveFactor(c: DegradationCurve, x: number): number {
  const f = c.curve === 'exponential' ? Math.exp(c.k * x) : 1 + c.k * (c.exponent === 1 ? x : Math.pow(x, c.exponent));
  return f < c.max ? f : c.max;
}

/**
 * The load x a curve reads on a replica with `busy` workers held (the
 * starting request included), `waiting` requests queued and `workers`
 * workers (finite when `of` is utilization: the scenario checks refuse
 * utilization with unlimited workers).
 */
export function curveLoad(c: DegradationCurve, busy: number, waiting: number, workers: number): number {
  switch (c.of) {
    case 'inflight':
      return busy + waiting;
    case 'busy':
      return busy;
    case 'utilization':
      return busy / workers;
  }
}
