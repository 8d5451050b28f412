/**
 * The crash trigger (`crashWhen`, model/crash-trigger.ts): the services
 * handlers tell the watch each new load of a replica and set a timer when a
 * rise makes a crash due; here the timer fires. A replica whose rise still
 * stands crashes as a crash fault would take it down (handlers/crashes.ts:
 * its work fails at once; it stays in rotation failing fast), counted in
 * `crashes`; after the restart delay it comes back cold, unless a crash
 * fault still holds it down.
 */
import { RESTART_DELAY_ENDED } from '../events.js';
import type { CrashWatch } from '../model/crash-trigger.js';
import type { ReplicaFaults } from '../model/replica-faults.js';
import type { Instance, ServiceState } from '../model/service.js';
import type { EngineState } from '../state.js';
import { crashReplica, downLevel } from './crashes.js';
import { applyReplicaFaults } from './replica-faults.js';
import { levels } from './services.js';

/** The load of replica `index` of `s` has stayed above the threshold since the rise this timer was set for: it crashes. */
export function onLoadHeld(eng: EngineState, s: ServiceState, index: number): void {
  const w = s.crashWatch as CrashWatch;
  const now = eng.q.now;
  const inst = s.instances[index] as Instance;
  if (!w.fires(index, now) || inst.down) return;
  const rf = s.replicaFaults as ReplicaFaults;
  rf.setTripped(index, true);
  eng.sink.count(s.m.crashes, 1);
  for (const down of applyReplicaFaults(eng, s, rf, -1, null)) crashReplica(eng, s, down);
  downLevel(eng, s);
  levels(eng, s);
  eng.q.push(now + w.spec.for, RESTART_DELAY_ENDED, s.index, index);
}

/** Replica `index` of `s`, crashed by the trigger, has waited out its restart delay: it restarts cold. */
export function onRestartDelayEnded(eng: EngineState, s: ServiceState, index: number): void {
  const rf = s.replicaFaults as ReplicaFaults;
  rf.setTripped(index, false);
  applyReplicaFaults(eng, s, rf, -1, null);
  downLevel(eng, s);
}
