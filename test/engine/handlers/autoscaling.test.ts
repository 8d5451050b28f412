/**
 * handlers/autoscaling.ts: every autoscaled service is evaluated one period
 * in and every period after; an evaluation reports the HPA's count and
 * applies it, with new replicas warming up.
 */
import { describe, expect, it } from 'vitest';
import { AUTOSCALE_DUE, INSTANCE_WARMED } from '../../../sim/engine/events.js';
import { onAutoscaleDue, scheduleAutoscalers } from '../../../sim/engine/handlers/autoscaling.js';
import type { Autoscale } from '../../../sim/scenario/types.js';
import { constant, poissonClient, scenario, service } from '../../helpers/build.js';
import { drain, engineFor, request, setClock } from '../../helpers/engine.js';

const hpa: Autoscale = {
  metric: 'rpsPerInstance',
  target: 1,
  period: 15,
  lag: 0,
  tolerance: 0.1,
  min: 1,
  max: 10,
  scaleDownStabilization: 300,
  warmup: 20,
};

function scaled() {
  return engineFor(
    scenario({
      clients: [poissonClient('users', 'api', 1)],
      services: [service('api', { workers: 100, serviceTime: constant(1000), autoscale: hpa }), service('db')],
    }),
  );
}

describe('scheduleAutoscalers', () => {
  it('schedules the first evaluation of each autoscaled service one period in, and none for the others', () => {
    const { eng } = scaled();
    scheduleAutoscalers(eng);
    expect(drain(eng)).toEqual([{ time: 15, kind: AUTOSCALE_DUE, a: 0, b: 0 }]);
  });
});

describe('onAutoscaleDue', () => {
  it("scales out on the period's arrivals, reports the count, warms the new replicas and schedules the next evaluation", () => {
    const { eng, sink } = scaled();
    for (let i = 0; i < 45; i++) request(eng);
    drain(eng);
    setClock(eng, 15);
    onAutoscaleDue(eng, eng.services[0]!);
    // 45 arrivals over 15 s on one replica: 3 per second against a target of 1.
    expect(sink.last('api.desired')).toBe(3);
    expect(eng.services[0]!.baseInstances).toBe(3);
    expect(drain(eng)).toEqual([
      { time: 30, kind: AUTOSCALE_DUE, a: 0, b: 0 },
      { time: 35, kind: INSTANCE_WARMED, a: 0, b: 1 },
      { time: 35, kind: INSTANCE_WARMED, a: 0, b: 2 },
    ]);
  });

  it('does nothing for a service without an autoscaler', () => {
    const { eng } = scaled();
    setClock(eng, 15);
    onAutoscaleDue(eng, eng.services[1]!);
    expect(drain(eng)).toEqual([]);
  });
});
