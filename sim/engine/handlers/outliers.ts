/**
 * Outlier detection (model/outlier.ts) applied: every response a replica
 * sends is shown to the service's detector; an ejection takes the replica
 * out of the balancer's rotation (it finishes what it holds), and the sweep
 * every `interval` puts back those whose time is up (handlers/instances.ts,
 * which may report the service's levels). Installed only on
 * services with `outlierDetection`: the others pay one null test per response.
 */
import { OUTLIER_SWEEP } from '../events.js';
import type { OutlierDetector } from '../model/outlier.js';
import type { Instance, ServiceState } from '../model/service.js';
import type { EngineState } from '../state.js';

/** Schedules the first sweep of every service with outlier detection (one interval in). */
export function scheduleOutlierSweeps(eng: EngineState): void {
  for (const s of eng.services) {
    const od = s.outlier;
    if (od !== null) eng.q.push(od.spec.interval, OUTLIER_SWEEP, s.index, 0);
  }
}

/** Replica `inst` of `s` sent a response, `ok` or an error (the caller reports the service's levels afterwards). */
export function noteResponse(eng: EngineState, s: ServiceState, od: OutlierDetector, inst: Instance, ok: boolean): void {
  if (ok) return od.succeeded(inst.index);
  if (!od.failed(inst.index) || !od.mayEject(readyReplicas(s), s.rotation.length)) return;
  od.eject(inst.index, eng.q.now);
  inst.ejected = true;
  s.rebuildRotation();
  eng.sink.count(s.m.ejections, 1);
  rotationLevels(eng, s, od);
}

/** Replicas in service and warmed up, ejected ones included: the whole Envoy counts its share of ejected hosts against. */
function readyReplicas(s: ServiceState): number {
  let n = 0;
  for (const inst of s.instances) if (inst.state === 'ready') n++;
  return n;
}

/** Reports the replicas ejected and those in rotation after either changed. */
export function rotationLevels(eng: EngineState, s: ServiceState, od: OutlierDetector): void {
  eng.sink.level(s.m.ejected, od.ejected);
  eng.sink.level(s.m.ready, s.rotation.length);
}
