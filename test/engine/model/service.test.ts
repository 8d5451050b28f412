/**
 * model/service.ts: a service's replicas (reconciled to a count: warming
 * ones retired first, then the newest ready ones; new ones warm or ready),
 * its balancers, what the faults in force set, and the metrics it declares.
 */
import { describe, expect, it } from 'vitest';
import { ServiceState, defineServiceMetrics } from '../../../sim/engine/model/service.js';
import type { Service } from '../../../sim/scenario/types.js';
import { service } from '../../helpers/build.js';
import { TallySink } from '../../helpers/engine.js';

function svc(over: Partial<Service> = {}): ServiceState {
  const spec = service('api', { instances: 3, workers: 4, errorRate: 0.1, ...over });
  return new ServiceState(spec, 0, 1, defineServiceMetrics(new TallySink(), spec));
}

describe('replicas', () => {
  it('retire warming replicas first, then the newest ready ones; start new ones warm or ready', () => {
    const s = svc();
    const warming = s.reconcile(5, 10, 30);
    expect(warming.map((i) => i.index)).toEqual([3, 4]);
    expect(s.provisioned()).toBe(5);
    expect(s.rotation.length).toBe(3);
    s.reconcile(2, 11, 30);
    expect(s.instances.map((i) => i.state)).toEqual(['ready', 'ready', 'retired', 'retired', 'retired']);
    expect(s.reconcile(3, 12, 0)).toEqual([]);
    expect(s.rotation.map((i) => i.index)).toEqual([0, 1, 5]);
    expect(s.instances[5]!.startedAt).toBe(12);
  });

  it('pick the only replica, none when none is ready, and take turns under round robin', () => {
    expect(svc({ instances: 1 }).pick()?.index).toBe(0);
    const none = svc();
    none.reconcile(0, 0, 0);
    expect(none.pick()).toBeNull();
    const rr = svc();
    expect([rr.pick(), rr.pick(), rr.pick(), rr.pick()].map((i) => i?.index)).toEqual([0, 1, 2, 0]);
  });

  it('send a request to the least loaded replica under leastRequests and powerOfTwo', () => {
    for (const balancer of ['leastRequests', 'powerOfTwo'] as const) {
      const s = svc({ instances: 2, balancer });
      s.instances[0]!.busy = 3;
      for (let k = 0; k < 10; k++) expect(s.pick()?.index, balancer).toBe(1);
    }
  });
});

describe('applyFaults', () => {
  it('sets latency, an error chance independent of the baseline, and workers never below 0; says when the replica count changes', () => {
    const s = svc();
    expect(s.applyFaults({ latencyAdd: 0.5, latencyMul: 2, errorRate: 0.5, instances: 0, workers: -9, paused: false })).toBe(false);
    expect([s.latencyAdd, s.latencyMul, s.workers]).toEqual([0.5, 2, 0]);
    expect(s.errorRate).toBeCloseTo(0.1 + 0.5 - 0.05, 15);
    expect(s.applyFaults({ latencyAdd: 0, latencyMul: 1, errorRate: 0, instances: -1, workers: 0, paused: false })).toBe(true);
    expect([s.faultInstances, s.workers, s.errorRate]).toEqual([-1, 4, 0.1]);
  });
});

describe('defineServiceMetrics', () => {
  it('declares utilization only for finite workers and desired only with an autoscaler', () => {
    const sink = new TallySink();
    const m = defineServiceMetrics(sink, service('api', { workers: Infinity }));
    expect([m.utilization, m.desired]).toEqual([-1, -1]);
    expect(sink.names).toEqual([
      'api.arrivals',
      'api.completed',
      'api.errors',
      'api.rejected',
      'api.expired',
      'api.wasted',
      'api.duplicates',
      'api.queue',
      'api.busy',
      'api.inflight',
      'api.instances',
      'api.ready',
      'api.latency',
    ]);
    expect(svc().scaling).toBeNull();
  });
});
