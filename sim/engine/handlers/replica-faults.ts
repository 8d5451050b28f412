/**
 * Faults that hit some replicas of a service (model/replica-faults.ts): when
 * such a window opens it picks its replicas among those in service; at
 * either end of any window on the service, each replica's own latency,
 * failure chance and pause are set afresh from the windows open then.
 */
import type { Instance, ServiceState } from '../model/service.js';
import { addWindow, type ReplicaFaults } from '../model/replica-faults.js';
import type { EngineState } from '../state.js';

/**
 * Fault window `i` opened (`open`), closed, or stepped a ramped size (`null`)
 * on `s`, after the service-wide effects were set: updates the replica
 * windows and every replica's own effects. Returns the replicas a crash just
 * took down (the caller fails their work: handlers/crashes.ts), then sets
 * each replica's pause and dispatches.
 */
export function applyReplicaFaults(eng: EngineState, s: ServiceState, rf: ReplicaFaults, i: number, open: boolean | null): Instance[] {
  if (rf.has(i) && open !== null) {
    if (open) pickAndPause(eng, s, rf, i);
    else rf.closeWindow(i);
  }
  let most = 0;
  const crashed: Instance[] = [];
  for (const inst of s.instances) {
    const e = rf.effectsOn(inst.index);
    if (e.down !== inst.down) {
      if (e.down) crashed.push(inst);
      else inst.startedAt = eng.q.now; // restarts cold
      inst.down = e.down;
    }
    inst.latencyAdd = e.latencyAdd;
    inst.latencyMul = e.latencyMul;
    inst.errorRate = e.errorRate;
    inst.ownPause = e.paused;
    if (e.errorRate > most) most = e.errorRate;
  }
  // The hot path tests the service's chance first: raise it to the worst replica's, and ask the replica (replicaErrorRate).
  s.replicaErrors = most > 0;
  if (most > 0) s.errorRate = s.serviceErrorRate + most - s.serviceErrorRate * most;
  return crashed;
}

/** Window `i` opens: picks its replicas and, for a pause, adds the window to each one's pause list. */
function pickAndPause(eng: EngineState, s: ServiceState, rf: ReplicaFaults, i: number): void {
  const inService: number[] = [];
  for (const inst of s.instances) if (inst.state !== 'retired') inService.push(inst.index);
  const picked = rf.openWindow(i, inService);
  const f = eng.faults.faults[i];
  if (f?.kind !== 'pause') return;
  for (const k of picked) {
    const inst = s.instances[k] as Instance;
    inst.pauses = addWindow(inst.pauses ?? s.servicePauses, f.at, f.at + f.for);
  }
}

/** The chance that a request on `inst` fails: the service-wide faults' and the replica's own, independently. */
export function replicaErrorRate(s: ServiceState, inst: Instance): number {
  const a = s.serviceErrorRate;
  const b = inst.errorRate;
  return a + b - a * b;
}
