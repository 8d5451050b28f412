/**
 * Faults opening and closing (model/fault.ts has what each kind does and
 * how overlapping windows combine). At either end of a window the target's
 * state is set afresh from every window open then: a service's latency
 * (for every request, or for the keys a fault names), error chance, workers, replica count and pause; a client's rate or active
 * users; an edge's cache is flushed at the start of a `cacheFlush`; an
 * edge's link delay and loss; a crash fails the work of the replicas it
 * takes down (crashes.ts); a burst starts sending its operations
 * (bursts.ts). A ramped size's step does the same, at its new
 * value.
 */
import { edgeTargeted } from '../../scenario/edge-names.js';
import type { Fault } from '../../scenario/types.js';
import type { ClientState } from '../model/client.js';
import type { EngineState } from '../state.js';
import { startBurst } from './bursts.js';
import { wakeUsers } from './clients.js';
import { applyInstanceCount } from './instances.js';
import { applyReplicaFaults } from './replica-faults.js';
import { crashReplica, downLevel } from './crashes.js';
import { dispatch, levels } from './services.js';

/** Fault window `i` opens. */
export function onFaultStarted(eng: EngineState, i: number): void {
  apply(eng, eng.faults.set(i, true), i, true);
}

/** Fault window `i` closes. */
export function onFaultEnded(eng: EngineState, i: number): void {
  apply(eng, eng.faults.set(i, false), i, false);
}

/** A ramped size of fault `i` (open) reached its next step: its target is set afresh, the replicas it hit kept. */
export function onFaultStepped(eng: EngineState, i: number): void {
  const f = eng.faults.step(i, eng.q.now);
  eng.services.find((x) => x.spec.name === f.target)?.replicaFaults?.resize(i, f);
  apply(eng, f, i, null);
}

/** Sets the target of fault `i` afresh; `open` says whether the window just opened, closed, or (null) stepped. */
function apply(eng: EngineState, f: Fault, i: number, open: boolean | null): void {
  if (f.kind === 'traffic') {
    const c = eng.clients.find((x) => x.spec.name === f.target);
    if (c) applyTraffic(eng, c);
    return;
  }
  if (f.kind === 'burst') {
    if (open === true) startBurst(eng, i);
    return;
  }
  if (f.kind === 'cacheFlush') {
    for (const edge of eng.edges) if (edgeTargeted(edge.name, f.target)) edge.cache?.flush();
    return;
  }
  if (f.kind === 'link') {
    for (const edge of eng.edges) {
      if (edge.link === null || !edgeTargeted(edge.name, f.target)) continue;
      const fx = eng.faults.linkEffects(edge.name);
      edge.link.set(fx.delay, fx.loss);
    }
    return;
  }
  const s = eng.services.find((x) => x.spec.name === f.target);
  if (!s) return;
  const fx = eng.faults.serviceEffects(f.target);
  if (s.applyFaults(fx)) applyInstanceCount(eng, s, 0);
  if (s.keyedLatency !== null) s.keyedLatency.open = eng.faults.keyedLatency(f.target);
  const rf = s.replicaFaults;
  if (rf !== null) {
    const crashed = applyReplicaFaults(eng, s, rf, i, open);
    for (const inst of crashed) crashReplica(eng, s, inst);
    if (rf.crashes) downLevel(eng, s);
  }
  for (const inst of s.instances) inst.paused = fx.paused || inst.ownPause;
  for (const inst of s.instances) dispatch(eng, s, inst);
  levels(eng, s);
}

function applyTraffic(eng: EngineState, c: ClientState): void {
  const mul = eng.faults.trafficMultiplier(c.spec.name);
  c.setTrafficMultiplier(mul);
  const a = c.spec.arrival;
  if (a.kind === 'closed') {
    c.activeUsers = Math.round(a.users * mul);
    wakeUsers(eng, c);
  }
}
