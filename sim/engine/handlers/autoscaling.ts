/**
 * The autoscaler's loop, as the Kubernetes HPA runs it: every `period` it
 * measures the service's metric over the period just ended, records it, reads
 * back the value from `lag` seconds ago (metrics pipelines are late), asks the
 * HPA algorithm for a replica count and applies it (model/autoscaler.ts has
 * the measuring and the algorithm). New replicas warm up for `warmup`
 * seconds before they take traffic.
 */
import { AUTOSCALE_DUE } from '../events.js';
import type { ServiceState } from '../model/service.js';
import type { EngineState } from '../state.js';
import { applyInstanceCount } from './instances.js';

/** Schedules the first evaluation of every autoscaled service (one period in). */
export function scheduleAutoscalers(eng: EngineState): void {
  for (const s of eng.services) {
    const a = s.spec.autoscale;
    if (a !== null) eng.q.push(a.period, AUTOSCALE_DUE, s.index, 0);
  }
}

/** One HPA evaluation of service `s` at the current time; schedules the next. */
export function onAutoscaleDue(eng: EngineState, s: ServiceState): void {
  const loop = s.scaling;
  if (loop === null) return;
  const now = eng.q.now;
  loop.integrate(now, s.shown.busy, s.shown.queued);
  // The replicas the HPA manages are its own last count; capacity faults take instances away
  // underneath it (they show as fewer ready replicas), they do not change what it asked for.
  const desired = loop.evaluate(now, s.baseInstances, s.rotation.length, s.workers);
  eng.sink.level(s.m.desired, desired);
  if (desired !== s.baseInstances) {
    s.baseInstances = desired;
    applyInstanceCount(eng, s, loop.spec.warmup);
  }
  if (loop.spec.period > 0) eng.q.push(now + loop.spec.period, AUTOSCALE_DUE, s.index, 0);
}
