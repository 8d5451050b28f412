/**
 * Active health checking (model/health-check.ts) applied: every `interval`
 * the balancer checks each ready replica of a service with `healthCheck`; a
 * replica that reaches `unhealthyThreshold` failures in a row leaves the
 * rotation (it finishes what it holds, as an ejected one does), one that
 * reaches `healthyThreshold` passes in a row comes back. The rotation is the
 * one outlier detection uses: a replica is in it only when neither takes it
 * out, as in Envoy. Installed only on services with `healthCheck`: the others
 * schedule no check and pay nothing.
 */
import { HEALTH_CHECK_DUE } from '../events.js';
import type { HealthChecker } from '../model/health-check.js';
import type { ServiceState } from '../model/service.js';
import type { EngineState } from '../state.js';
import { levels } from './services.js';

/** Schedules the first round of checks of every service with a health check (one interval in). */
export function scheduleHealthChecks(eng: EngineState): void {
  for (const s of eng.services) {
    const hc = s.health;
    if (hc !== null) eng.q.push(hc.spec.interval, HEALTH_CHECK_DUE, s.index, 0);
  }
}

/** A round of checks of `s`'s ready replicas at the interval; schedules the next round. */
export function onHealthCheckDue(eng: EngineState, s: ServiceState): void {
  const hc = s.health;
  if (hc === null) return;
  const now = eng.q.now;
  const R = eng.reqs;
  let failed = 0;
  let changed = false;
  for (const inst of s.instances) {
    if (inst.state !== 'ready') continue;
    const oldestWait = inst.queue.size > 0 ? now - R.queuedAt[inst.queue.peekFront()]! : 0;
    const ok = hc.checkPasses(inst.down, inst.paused, oldestWait);
    if (!ok) failed++;
    const change = hc.record(inst.index, ok);
    if (change === 'none') continue;
    inst.unhealthy = change === 'out';
    changed = true;
  }
  if (failed > 0) eng.sink.count(s.m.healthChecksFailed, failed);
  if (changed) {
    s.rebuildRotation();
    healthLevels(eng, s, hc);
    levels(eng, s);
  }
  eng.q.push(now + hc.spec.interval, HEALTH_CHECK_DUE, s.index, 0);
}

/** Reports the replicas the health check keeps in rotation, and those in rotation, after either changed. */
export function healthLevels(eng: EngineState, s: ServiceState, hc: HealthChecker): void {
  let healthy = 0;
  for (const inst of s.instances) if (inst.state === 'ready' && !hc.isOut(inst.index)) healthy++;
  eng.sink.level(s.m.healthy, healthy);
  eng.sink.level(s.m.ready, s.rotation.length);
}
