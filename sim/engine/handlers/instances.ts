/**
 * A service's replicas: how many are in service (the autoscaler's count plus
 * the capacity faults in force), and a warming replica joining the
 * balancer's rotation, and the outlier detector's sweep returning ejected
 * replicas to it. A change of the count starts or retires replicas
 * (model/service.ts, `reconcile`) and lets every replica in rotation take
 * work waiting for it.
 */
import { INSTANCE_WARMED, OUTLIER_SWEEP } from '../events.js';
import type { Instance, ServiceState } from '../model/service.js';
import type { EngineState } from '../state.js';
import { healthLevels } from './health-checks.js';
import { rotationLevels } from './outliers.js';
import { dispatch, levels } from './services.js';

/**
 * Brings the service's replica count to its base (autoscaler or `instances`)
 * plus the capacity faults in force. New replicas warm up for `warmup`
 * seconds before taking traffic.
 */
export function applyInstanceCount(eng: EngineState, s: ServiceState, warmup: number): void {
  const now = eng.q.now;
  const started = s.reconcile(Math.max(0, s.baseInstances + s.faultInstances), now, warmup);
  for (const inst of started) eng.q.push(now + warmup, INSTANCE_WARMED, s.index, inst.index);
  instanceLevels(eng, s);
  for (const inst of s.rotation) dispatch(eng, s, inst);
  levels(eng, s);
}

/** Replica `index` of `s` finished warming up: it joins the rotation (unless it was retired meanwhile). */
export function onInstanceWarmed(eng: EngineState, s: ServiceState, index: number): void {
  const inst = s.instances[index] as Instance;
  if (inst.state !== 'warming') return;
  inst.state = 'ready';
  inst.startedAt = eng.q.now;
  s.rebuildRotation();
  instanceLevels(eng, s);
  levels(eng, s);
}

/** The sweep of `s`'s outlier detector: the replicas whose ejection is over return to the rotation; schedules the next sweep. */
export function onOutlierSweep(eng: EngineState, s: ServiceState): void {
  const od = s.outlier;
  if (od === null) return;
  const now = eng.q.now;
  const back = od.sweep(now, s.instances.length);
  if (back.length > 0) {
    for (const i of back) (s.instances[i] as Instance).ejected = false;
    s.rebuildRotation();
    rotationLevels(eng, s, od);
    levels(eng, s);
  }
  eng.q.push(now + od.spec.interval, OUTLIER_SWEEP, s.index, 0);
}

function instanceLevels(eng: EngineState, s: ServiceState): void {
  eng.sink.level(s.m.instances, s.provisioned());
  eng.sink.level(s.m.ready, s.rotation.length);
  if (s.health !== null) healthLevels(eng, s, s.health);
}
