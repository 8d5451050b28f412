/**
 * Outlier detection in whole runs (handlers/outliers.ts, and the sweep in
 * handlers/instances.ts): a replica that fails every request leaves the
 * rotation on its Nth error in a row, comes back at the first sweep after
 * base x k, and least-requests' sinkholing onto a fast-failing or crashed
 * replica shrinks to the few errors it takes to eject it.
 */
import { describe, expect, it } from 'vitest';
import { runScenario } from '../../../sim/engine/run.js';
import type { Balancer, Fault, OutlierDetection } from '../../../sim/scenario/types.js';
import { SICK_REPLICA, constant, constantClient, replica, scenario, service, total, values } from '../../helpers/build.js';
import { assertConserves } from '../../helpers/contracts.js';

const od = (over: Partial<OutlierDetection> = {}): OutlierDetection => ({
  consecutiveErrors: 3,
  interval: 10,
  baseEjectionTime: 10,
  maxEjectionPercent: 0.5,
  maxEjectionTime: 300,
  ...over,
});

function run(
  instances: number,
  faults: Fault[],
  over: {
    balancer?: Balancer;
    serviceTime?: number;
    workers?: number;
    rate?: number;
    errorRate?: number;
    outlier?: OutlierDetection | null;
  },
) {
  const api = service('api', {
    instances,
    workers: over.workers ?? 1,
    balancer: over.balancer ?? 'roundRobin',
    serviceTime: constant(over.serviceTime ?? 0.1),
    errorRate: over.errorRate ?? 0,
    outlierDetection: over.outlier === undefined ? od() : over.outlier,
  });
  return runScenario(scenario({ duration: 100, clients: [constantClient(over.rate ?? 2)], services: [api], faults }));
}

/** The most replicas ejected at once over the run. */
function peakEjected(r: ReturnType<typeof run>): number {
  const s = r.series.series.find((x) => x.name === 'api.outlier.ejected');
  if (s?.kind !== 'stock') throw new Error('no api.outlier.ejected');
  return Math.max(...s.max);
}

const failing: Fault[] = [{ kind: 'errors', target: 'api', replicas: replica(0), at: 0, for: 100, rate: 1 }];

describe('outlier detection', () => {
  it('ejects a replica on its third error in a row, for 10 s x 1, 2, 3, 4, each ending at a sweep', () => {
    // Round robin gives replica 0 t = 0.5, 1.5, 2.5: ejected at 2.6 until 12.6, back at the sweep at 20.
    // Then 20.5, 21.5, 22.5: out at 22.6 for 20 s (no sweep passed healthy), back at 50; 52.6 for 30 s, back at 90; 92.6 for 40 s.
    const r = run(2, failing, {});
    expect(total(r, 'api.outlier.ejections')).toBe(4);
    expect(total(r, 'api.errors')).toBe(12);
    const out = values(r, 'api.outlier.ejected');
    expect(out[2]).toBeCloseTo(0.4, 9);
    expect([out[3], out[19], out[20], out[21]]).toEqual([1, 1, 0, 0]);
    expect(out[22]).toBeCloseTo(0.4, 9);
    expect([out[49], out[50], out[53], out[89], out[90], out[93]]).toEqual([1, 0, 1, 1, 0, 1]);
    const ready = values(r, 'api.ready');
    expect([ready[10], ready[20], ready[60]]).toEqual([1, 2, 1]);
    assertConserves(() => r);
  });

  it('without it, round robin keeps sending the failing replica half the requests', () => {
    const r = run(2, failing, { outlier: null });
    expect(total(r, 'api.errors')).toBe(100);
    expect(r.series.series.some((s) => s.name.startsWith('api.outlier'))).toBe(false);
  });

  it('never has more than maxEjectionPercent of the replicas out when all fail: 50% of 4 is 2', () => {
    const r = run(4, [], { errorRate: 1, rate: 4 });
    expect(peakEjected(r)).toBe(2);
    assertConserves(() => r);
  });

  it('lets one replica out when the share allows none, and never the last in rotation', () => {
    expect(peakEjected(run(3, [], { errorRate: 1, outlier: od({ maxEjectionPercent: 0.1 }) }))).toBe(1);
    expect(peakEjected(run(2, [], { errorRate: 1, outlier: od({ maxEjectionPercent: 1 }) }))).toBe(1);
    expect(total(run(1, [], { errorRate: 1, outlier: od({ maxEjectionPercent: 1 }) }), 'api.outlier.ejections')).toBe(0);
  });
});

describe.each(SICK_REPLICA.map(([what, faults]) => [what, faults] as const))('least-requests and %s', (_what, faults) => {
  const errorShare = (outlier: OutlierDetection | null): number => {
    const r = run(4, faults, { balancer: 'leastRequests', serviceTime: 1, workers: 1000, rate: 100, outlier });
    assertConserves(() => r);
    return total(r, 'api.errors') / total(r, 'api.arrivals');
  };

  it('sinkholes almost everything onto it without outlier detection', () => {
    expect(errorShare(null)).toBeGreaterThan(0.9);
  });

  it('loses a few requests per ejection with it (5 errors, out 30 s, 60 s, ...)', () => {
    const r = run(4, faults, {
      balancer: 'leastRequests',
      serviceTime: 1,
      workers: 1000,
      rate: 100,
      outlier: od({ consecutiveErrors: 5, baseEjectionTime: 30 }),
    });
    // Out at once, back at the sweep at 40 (30 s), out again for 60 s: beyond the run. Five errors each time.
    expect(total(r, 'api.outlier.ejections')).toBe(2);
    expect(total(r, 'api.errors')).toBe(10);
  });
});
