/**
 * The autoscaler's loop, as the Kubernetes HPA runs it: every `period` it
 * measures the service's metric over the period just ended, records it, reads
 * back the value from `lag` seconds ago (metrics pipelines are late), asks the
 * HPA algorithm for a replica count and applies it. New replicas warm up for
 * `warmup` seconds before they take traffic.
 *
 * The metric, averaged over the period and over ready instances:
 *   utilization       busy workers / (workers x ready instances)
 *   queuePerInstance  waiting requests / ready instances
 *   rpsPerInstance    arrivals per second / ready instances
 */
import type { Engine } from '../engine.js';
import { EV_AUTOSCALE } from '../engine.js';
import type { ServiceState } from './service.js';

/** Schedules the first evaluation of every autoscaled service (one period in). */
export function scheduleAutoscalers(engine: Engine): void {
  for (const s of engine.services) {
    const a = s.spec.autoscale;
    if (a !== null) engine.q.push(a.period, EV_AUTOSCALE, s.index, 0);
  }
}

/** One HPA evaluation of service `s` at the current time; schedules the next. */
export function evaluateAutoscaler(engine: Engine, s: ServiceState): void {
  const a = s.spec.autoscale;
  if (a === null || s.hpa === null || s.history === null) return;
  const now = engine.q.now;
  s.integrate(now);
  const ready = s.rotation.length;
  const period = a.period;
  let value = NaN;
  if (ready > 0 && period > 0) {
    if (a.metric === 'utilization') value = Number.isFinite(s.workers) && s.workers > 0 ? s.busyArea / (period * s.workers * ready) : NaN;
    else if (a.metric === 'queuePerInstance') value = s.queueArea / period / ready;
    else value = s.arrivalsSince / period / ready;
  }
  s.busyArea = 0;
  s.queueArea = 0;
  s.arrivalsSince = 0;
  s.history.record(now, value);
  const seen = s.history.valueAt(now - a.lag);
  // The replicas the HPA manages are its own last count; capacity faults take instances away
  // underneath it (they show as fewer ready replicas), they do not change what it asked for.
  const current = s.baseInstances;
  const desired = s.hpa.evaluate(now, current, seen, Math.min(current, ready));
  engine.sink.level(s.m.desired, desired);
  if (desired !== s.baseInstances) {
    s.baseInstances = desired;
    engine.applyInstanceCount(s, a.warmup);
  }
  if (period > 0) engine.q.push(now + period, EV_AUTOSCALE, s.index, 0);
}
