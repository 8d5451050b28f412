/**
 * Load-dependent latency curves against hand-computed values: the factor
 * alone, then whole runs where the load each request sees is known.
 */
import { describe, expect, it } from 'vitest';
import { curveFactor, curveLoad } from '../../../sim/engine/model/curve.js';
import { runScenario } from '../../../sim/engine/run.js';
import type { Client, DegradationCurve } from '../../../sim/scenario/types.js';
import { constant, meanLatency, scenario, service } from '../../helpers/build.js';

const curve = (over: Partial<DegradationCurve>): DegradationCurve => ({
  kind: 'curve',
  curve: 'linear',
  of: 'inflight',
  k: 0,
  exponent: 1,
  max: 1000,
  ...over,
});

describe('curveFactor', () => {
  it('is 1 + k·x for linear (Brooker: base + k·base per concurrent request)', () => {
    expect(curveFactor(curve({ k: 0.1 }), 1)).toBeCloseTo(1.1, 12);
    expect(curveFactor(curve({ k: 0.1 }), 20)).toBeCloseTo(3, 12);
    expect(curveFactor(curve({ k: 0 }), 500)).toBe(1);
  });

  it('is 1 + k·x^exponent for polynomial', () => {
    expect(curveFactor(curve({ curve: 'polynomial', k: 0.01, exponent: 2 }), 10)).toBeCloseTo(2, 12);
    expect(curveFactor(curve({ curve: 'polynomial', k: 0.5, exponent: 3 }), 2)).toBeCloseTo(5, 12);
    expect(curveFactor(curve({ curve: 'polynomial', k: 4, exponent: 1.5 }), 0.25)).toBeCloseTo(1.5, 12);
  });

  it('is e^(k·x) for exponential', () => {
    expect(curveFactor(curve({ curve: 'exponential', k: Math.LN2 }), 3)).toBeCloseTo(8, 12);
    expect(curveFactor(curve({ curve: 'exponential', k: 2 }), 0.5)).toBeCloseTo(Math.E, 12);
  });

  it('is capped at max, an overflow included', () => {
    expect(curveFactor(curve({ k: 1, max: 50 }), 100)).toBe(50);
    expect(curveFactor(curve({ curve: 'exponential', k: 10, max: 1000 }), 1e6)).toBe(1000);
  });
});

describe('curveLoad', () => {
  it('reads waiting + busy, busy, or busy / workers', () => {
    expect(curveLoad(curve({ of: 'inflight' }), 3, 7, 4)).toBe(10);
    expect(curveLoad(curve({ of: 'busy' }), 3, 7, 4)).toBe(3);
    expect(curveLoad(curve({ of: 'utilization' }), 3, 7, 4)).toBe(0.75);
  });
});

/** `n` clients each sending one request a second at the same instants to `api` (constant 10 ms of work). */
function run(d: DegradationCurve, n: number, workers = 4) {
  const clients: Client[] = Array.from({ length: n }, (_, i) => ({
    name: `c${i}`,
    target: 'api',
    arrival: {
      kind: 'constant',
      rate: { kind: 'steps', steps: [{ at: 0, rate: 1 }] },
    },
    timeout: null,
    network: null,
    rateLimit: null,
    retry: null,
    breaker: null,
  }));
  return runScenario(
    scenario({
      duration: 20,
      clients,
      services: [
        service('api', {
          workers,
          serviceTime: constant(0.01),
          degradation: d,
        }),
      ],
    }),
  );
}

describe('a degradation curve in a whole run', () => {
  it('slows a request alone on its replica by f(1), or f(1/workers) for utilization', () => {
    // Each request finds the replica empty: x = 1 (inflight, busy) or 1/4 (utilization).
    expect(meanLatency(run(curve({ k: 0.5 }), 1), 'api.latency').mean).toBeCloseTo(0.015, 9);
    expect(meanLatency(run(curve({ of: 'busy', curve: 'polynomial', k: 2, exponent: 3 }), 1), 'api.latency').mean).toBeCloseTo(0.03, 9);
    expect(meanLatency(run(curve({ of: 'utilization', k: 2 }), 1), 'api.latency').mean).toBeCloseTo(0.015, 9);
    expect(meanLatency(run(curve({ of: 'utilization', curve: 'exponential', k: 4 }), 1), 'api.latency').mean).toBeCloseTo(0.01 * Math.E, 9);
  });

  it('gives the second of two simultaneous requests the factor of two in flight', () => {
    // Linear k = 0.5 of busy: 10 ms × 1.5 and 10 ms × 2, a mean of 17.5 ms.
    expect(meanLatency(run(curve({ of: 'busy', k: 0.5 }), 2), 'api.latency').mean).toBeCloseTo(0.0175, 9);
    // One worker: the second waits 15 ms for the first, then starts alone (x = 1): 15 and 30 ms.
    expect(meanLatency(run(curve({ of: 'busy', k: 0.5 }), 2, 1), 'api.latency').mean).toBeCloseTo(0.0225, 9);
    // Of inflight with one worker: the second arrives to x = 2 but starts after the first, with x = 1.
    expect(meanLatency(run(curve({ k: 0.5 }), 2, 1), 'api.latency').mean).toBeCloseTo(0.0225, 9);
  });

  it('caps the factor at max', () => {
    // e^(10 × 1) = 22,026 capped at 1000: 10 s of work per request.
    const r = run(curve({ curve: 'exponential', k: 10, max: 1000 }), 1, 100);
    expect(meanLatency(r, 'api.latency').mean).toBeCloseTo(10, 6);
  });
});
