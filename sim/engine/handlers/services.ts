/**
 * Services: a request arrives, takes a worker of the replica the balancer
 * picks (or waits in its queue, or is rejected), does its local work, makes
 * its calls in order (calls.ts, reached through the engine's `beginCall`),
 * and leaves with a response; the freed worker takes the next waiting
 * request. Every change of a service's stocks ends with one `levels` report.
 *
 *   arrives ─balancer→ instance: start work | wait | rejected
 *   work done → error? → calls in order → finish → respond
 *
 * Rare branches (pauses, degradation, cold start, managed queues, duplicate
 * keys past 31 services, the overload guard) sit in functions of their own,
 * so that the handlers every request runs stay small enough for the
 * compiler to inline (docs/performance.md, steps 9, 17 and 23).
 */
import { LOAD_HELD, WORK_DONE } from '../events.js';
import type { EdgeState } from '../model/edge.js';
import { OUT_ERROR, OUT_EXPIRED, OUT_OK, OUT_REJECTED } from '../model/entities.js';
import type { CrashWatch } from '../model/crash-trigger.js';
import { curveFactor, curveLoad } from '../model/curve.js';
import { pauseEndAt, pausedWithin } from '../model/fault.js';
import type { Instance, ServiceState } from '../model/service.js';
import { slotUtilization, type PerInstance } from '../model/per-instance.js';
import type { EngineState } from '../state.js';
import { noteResponse } from './outliers.js';
import { replicaErrorRate } from './replica-faults.js';
import { releaseIfDone, respond } from './requests.js';
import { sampleLimit } from './concurrency-limits.js';

/** Request `r` reaches its service: picks an instance, then starts work, waits or is rejected. */
export function arrive(eng: EngineState, r: number): void {
  const now = eng.q.now;
  const R = eng.reqs;
  const s = eng.services[R.svc[r]!] as ServiceState;
  eng.sink.count(s.m.arrivals, 1);
  const sc = s.scaling;
  if (sc !== null) sc.arrivals++;
  s.inside++;
  R.arrivedAt[r] = now;
  if (s.gated && eng.limitIngress(s, r)) return;
  const inst = s.pick();
  if (inst === null) return reject(eng, s, r);
  R.inst[r] = inst.index;
  if (inst.paused === false && inst.busy < s.workers) startWork(eng, s, inst, r);
  else if (inst.queue.size < s.spec.queue.capacity) enqueue(eng, s, inst, r);
  else return reject(eng, s, r);
  levels(eng, s);
}

/**
 * Request `r`, which waited at `s`'s rate limit, has its token: it goes to
 * the instance the balancer picks, as in {@link arrive}. The steps are spelled
 * out in both rather than shared: arrive calling a helper for them cost 0.9%
 * of the retry storm's instructions.
 */
export function enter(eng: EngineState, s: ServiceState, r: number): void {
  const inst = s.pick();
  if (inst === null) return reject(eng, s, r);
  eng.reqs.inst[r] = inst.index;
  if (inst.paused === false && inst.busy < s.workers) startWork(eng, s, inst, r);
  else if (inst.queue.size < s.spec.queue.capacity) enqueue(eng, s, inst, r);
  else return reject(eng, s, r);
  levels(eng, s);
}

/** `r` waits in `inst`'s queue for a worker. */
function enqueue(eng: EngineState, s: ServiceState, inst: Instance, r: number): void {
  const now = eng.q.now;
  inst.codel?.onEnqueue(now, inst.queue.size);
  eng.reqs.queuedAt[r] = now;
  inst.queue.push(r);
  s.queued++;
  const w = s.crashWatch;
  if (w !== null) watchLoad(eng, s, w, inst);
}

function reject(eng: EngineState, s: ServiceState, r: number): void {
  eng.reqs.outcome[r] = OUT_REJECTED;
  s.inside--;
  eng.sink.count(s.m.rejected, 1);
  const c = s.concurrency;
  if (c !== null) sampleLimit(eng, s, c, r, true);
  respond(eng, r);
}

/** `r` takes a worker of `inst` and starts its local work (the caller reports the levels). */
function startWork(eng: EngineState, s: ServiceState, inst: Instance, r: number): void {
  const now = eng.q.now;
  const R = eng.reqs;
  inst.busy++;
  s.busy++;
  R.workFrom[r] = now;
  if (s.edges.length > 0) {
    // It holds the worker through its calls: start them from the first.
    R.callIdx[r] = 0;
    R.callTry[r] = 0;
    R.prevSleep[r] = 0;
    R.fillKey[r] = -1;
    R.conn[r] = 0;
    R.waitingPool[r] = 0;
  }
  eng.q.push(now + serviceTime(eng, s, inst, r), WORK_DONE, r, R.gen[r]!);
}

/**
 * One draw of local work for request `r` starting now on `inst`:
 * base x latency-fault multiplier x degradation x cold start, plus the latency fault's `add`.
 */
function serviceTime(eng: EngineState, s: ServiceState, inst: Instance, r: number): number {
  const t = s.serviceTime.next() * s.latencyMul;
  return (s.shapedWork === true ? +shapeWork(eng, s, inst, t, r) : t) + s.latencyAdd; // + : see Alea.exponential
}

/** Degradation, cold start and faults on some replicas or keys applied to a draw of local work `t` (apart, so that serviceTime stays small). */
function shapeWork(eng: EngineState, s: ServiceState, inst: Instance, t: number, r: number): number {
  // A crash trigger makes work shaped: a request starting work here is where a replica's in-flight count rises.
  const w = s.crashWatch;
  if (w !== null) watchLoad(eng, s, w, inst);
  const spec = s.spec;
  const dg = spec.degradation;
  if (dg !== null) {
    if (dg.kind === 'threshold') {
      if (inst.inflight > dg.above) t *= dg.slowdown;
    } else if (dg.kind === 'curve') t *= curveFactor(dg, curveLoad(dg, inst.busy, inst.queue.size, s.workers));
    else t *= 1 + dg.perInflight * inst.inflight;
  }
  const cs = spec.coldStart;
  if (cs !== null && eng.q.now - inst.startedAt < cs.for) t *= cs.slowdown;
  // A fault on the keys of some operations (model/fault.ts, KeyedLatency).
  const kl = s.keyedLatency;
  if (kl !== null && kl.open.length > 0) t = kl.apply(t, opKey(eng, r));
  // A fault on this replica alone (model/replica-faults.ts); 1 and 0 on the others.
  return s.replicaFaults === null ? t : t * inst.latencyMul + inst.latencyAdd;
}

/** The local work of `r` is done: it fails (errorRate, error faults) or goes on to its calls. */
export function onWorkDone(eng: EngineState, r: number): void {
  const R = eng.reqs;
  const s = eng.services[R.svc[r]!] as ServiceState;
  if (s.pauses.length > 0 && pausedDuring(eng, s, r)) return;
  const p = s.errorRate;
  if (p > 0 && s.errors.uniform() < (s.replicaErrors === false ? p : replicaErrorRate(s, s.instances[R.inst[r]!] as Instance))) {
    R.outcome[r] = OUT_ERROR;
    return finish(eng, s, r);
  }
  nextCall(eng, s, r);
}

/** A stop-the-world pause freezes local work: if one fell within `r`'s work, push its completion out by the paused time. */
function pausedDuring(eng: EngineState, s: ServiceState, r: number): boolean {
  const now = eng.q.now;
  const R = eng.reqs;
  const pauses = s.replicaFaults === null ? s.pauses : ((s.instances[R.inst[r]!] as Instance).pauses ?? s.servicePauses);
  const lost = pausedWithin(pauses, R.workFrom[r]!, now);
  if (lost <= 0) return false;
  const resume = pauseEndAt(pauses, now);
  R.workFrom[r] = resume;
  eng.q.push(resume + lost, WORK_DONE, r, R.gen[r]!);
  return true;
}

/** Moves request `r` to its next call (skipping those its probability rules out), or finishes it. */
export function nextCall(eng: EngineState, s: ServiceState, r: number): void {
  const R = eng.reqs;
  const edges = s.edges;
  while (R.callIdx[r]! < edges.length) {
    const e = eng.edges[edges[R.callIdx[r]!] as number] as EdgeState;
    if (e.always) return eng.beginCall(e, r);
    const chosen = choose(eng, e, edges, r);
    if (chosen !== null) return eng.beginCall(chosen, r);
  }
  R.outcome[r] = OUT_OK;
  finish(eng, s, r);
}

/**
 * Request `r` stands at call `e` that not every request makes: draws its
 * probability, or, for the first call of a route group, picks one of the
 * group (by weight, or by its operation's key) and moves `r` to it. Returns the call to make, or `null` after moving
 * `r` past what it skips (this call, or the rest of a group it has made).
 */
function choose(eng: EngineState, e: EdgeState, edges: readonly number[], r: number): EdgeState | null {
  const R = eng.reqs;
  const route = e.route;
  if (route === null) {
    if (e.probability.uniform() < e.spec.probability) return e;
    R.callIdx[r]!++;
    return null;
  }
  if (R.callIdx[r] !== route.start) {
    // Past the group's first call: the picked call is done.
    R.callIdx[r] = route.end;
    return null;
  }
  const at = route.start + (route.byKey ? route.pickKey(opKey(eng, r)) : route.pick());
  R.callIdx[r] = at;
  const picked = eng.edges[edges[at]!] as EdgeState;
  eng.sink.count(picked.m.routed, 1);
  return picked;
}

/** The key of request `r`'s operation; -1 when it has none (or no operation record: a bare client's, which draws no keys). */
function opKey(eng: EngineState, r: number): number {
  const op = eng.reqs.op[r]!;
  return op < 0 ? -1 : eng.ops.key[op]!;
}

/** Request `r` leaves its service with a response (completed or error): free the worker, answer the caller. */
export function finish(eng: EngineState, s: ServiceState, r: number): void {
  const now = eng.q.now;
  const R = eng.reqs;
  const inst = s.instances[R.inst[r]!] as Instance;
  inst.busy--;
  s.busy--;
  s.inside--;
  const m = s.m;
  if (R.outcome[r] === OUT_OK) {
    eng.sink.count(m.completed, 1);
    if (eng.watchOk === true) succeededHere(eng, s, inst, r);
  } else failedHere(eng, s, inst, r);
  eng.sink.latency(m.latency, now - R.arrivedAt[r]!);
  if (R.callerDone[r] === 1) eng.sink.count(m.wasted, 1);
  dispatch(eng, s, inst);
  levels(eng, s);
  respond(eng, r);
}

/**
 * `inst`'s load at `s` just changed, and `s` has a crash trigger: tells the
 * watch, and sets the timer of the crash a rise above the threshold makes
 * due (handlers/crash-triggers.ts). A replica that is down is not watched.
 * Called where a replica's load changes off the paths every request takes at
 * other services: a request queued, a request starting work (shapeWork: a
 * trigger makes work shaped), and the end of dispatching after a finish (a
 * trigger makes the queue managed).
 */
function watchLoad(eng: EngineState, s: ServiceState, w: CrashWatch, inst: Instance): void {
  if (inst.down) return;
  const at = w.observe(inst.index, w.loadOf(inst.queue.size, inst.busy), eng.q.now);
  if (at >= 0) eng.q.push(at, LOAD_HELD, s.index, inst.index);
}

/**
 * What a success at `inst` does beyond the count, when something watches for
 * it (`watchOk`): duplicates are looked for when anything retries, the
 * outlier detector clears the replica's errors in a row, and the concurrency
 * limit takes its sample. Apart from {@link finish}, so that finish stays the
 * size it was without them.
 */
function succeededHere(eng: EngineState, s: ServiceState, inst: Instance, r: number): void {
  const R = eng.reqs;
  if (eng.retries === true) countDuplicate(eng, s, R.op[r]!, R.path[r]!);
  s.outlier?.succeeded(inst.index);
  const c = s.concurrency;
  if (c !== null) sampleLimit(eng, s, c, r, false);
}

/** Counts an error response from `inst`, and shows it to the outlier detector and the concurrency limit if there are. */
function failedHere(eng: EngineState, s: ServiceState, inst: Instance, r: number): void {
  eng.sink.count(s.m.errors, 1);
  const pi = s.perInstance;
  if (pi !== null) eng.sink.count(pi.errors[inst.slot]!, 1);
  const od = s.outlier;
  if (od !== null) noteResponse(eng, s, od, inst, false);
  const c = s.concurrency;
  if (c !== null) sampleLimit(eng, s, c, r, true);
}

/**
 * Notes that operation `op` completed at `s` by call path `path`; counts a
 * duplicate if the same request (same operation, same path) had already
 * completed there: a retry re-doing work. A service that the topology reaches
 * by several paths (a diamond, two calls) is keyed by path as well, so two
 * branches of one operation are not duplicates of each other.
 */
function countDuplicate(eng: EngineState, s: ServiceState, op: number, path: number): void {
  const bit = s.doneBit;
  if (bit === 0 || s.multiPath) return countDuplicateByKey(eng, s, op, s.multiPath ? path : 0);
  const O = eng.ops;
  const mask = O.doneMask[op]!;
  if ((mask & bit) !== 0) eng.sink.count(s.m.duplicates, 1);
  O.doneMask[op] = mask | bit;
}

function countDuplicateByKey(eng: EngineState, s: ServiceState, op: number, path: number): void {
  const sets = eng.ops.doneSets;
  let set = sets.get(op);
  if (set === undefined) sets.set(op, (set = new Set()));
  const key = s.index * 4294967296 + (path >>> 0);
  if (set.has(key)) eng.sink.count(s.m.duplicates, 1);
  set.add(key);
}

/**
 * Starts waiting requests on free workers of `inst`. FIFO takes the oldest,
 * LIFO the newest; CoDel serves FIFO normally and LIFO while congested
 * (adaptive LIFO), and sheds requests that waited past its limit (answered
 * at once as `rejected`). Under `dropExpired`, requests whose caller already
 * gave up are skipped (`expired`). The caller reports the levels.
 */
export function dispatch(eng: EngineState, s: ServiceState, inst: Instance): void {
  if (s.managedQueue === true) return dispatchManaged(eng, s, inst);
  const q = inst.queue;
  while (inst.paused === false && inst.busy < s.workers && q.size > 0) {
    s.queued--;
    startWork(eng, s, inst, q.shift());
  }
}

/** {@link dispatch} for a LIFO or CoDel queue, or one that drops expired requests. */
function dispatchManaged(eng: EngineState, s: ServiceState, inst: Instance): void {
  const now = eng.q.now;
  const kind = s.spec.queue.discipline.kind;
  const drop = s.spec.dropExpired;
  const codel = inst.codel;
  const q = inst.queue;
  while (!inst.paused && inst.busy < s.workers && q.size > 0) {
    const lifo = kind === 'lifo' || (codel !== null && codel.isCongested(now));
    const r = lifo ? q.pop() : q.shift();
    s.queued--;
    if (q.size === 0) codel?.onEmpty(now);
    const R = eng.reqs;
    if (drop && R.abandoned[r] === 1) {
      expire(eng, s, r);
      continue;
    }
    if (codel !== null && codel.shouldDrop(now, now - R.queuedAt[r]!)) {
      reject(eng, s, r);
      continue;
    }
    startWork(eng, s, inst, r);
  }
  // A crash trigger makes the queue managed: after a finish (or a pause's end) the replica's load is what is left here.
  const w = s.crashWatch;
  if (w !== null) watchLoad(eng, s, w, inst);
}

/** Request `r`, whose caller gave up while it waited, leaves `s` unserved (`dropExpired`). */
export function expire(eng: EngineState, s: ServiceState, r: number): void {
  const R = eng.reqs;
  R.outcome[r] = OUT_EXPIRED;
  s.inside--;
  eng.sink.count(s.m.expired, 1);
  const c = s.concurrency;
  if (c !== null) sampleLimit(eng, s, c, r, true);
  R.calleeDone[r] = 1;
  releaseIfDone(eng, r);
}

/**
 * Reports the service's stocks that changed since they were last reported
 * (to the trace, and to the autoscaler's integrals): one call at the end of
 * each change, however many steps it took.
 */
export function levels(eng: EngineState, s: ServiceState): void {
  const m = s.m;
  const sink = eng.sink;
  const queued = s.queued;
  const busy = s.busy;
  const shown = s.shown;
  if (queued !== shown.queued || busy !== shown.busy) {
    const sc = s.scaling;
    if (sc !== null) sc.integrate(eng.q.now, shown.busy, shown.queued);
    if (queued !== shown.queued) sink.level(m.queue, queued);
    if (busy !== shown.busy) sink.level(m.busy, busy);
    if (queued + busy !== shown.queued + shown.busy) sink.level(m.inflight, queued + busy);
  }
  if (m.utilization >= 0) {
    const cap = s.workers * s.rotation.length;
    if (busy !== shown.busy || cap !== shown.capacity) {
      const u = cap > 0 ? Math.min(1, busy / cap) : busy > 0 ? 1 : 0;
      if (u !== shown.utilization) sink.level(m.utilization, u);
      shown.utilization = u;
      shown.capacity = cap;
    }
  }
  shown.queued = queued;
  shown.busy = busy;
  const pi = s.perInstance;
  if (pi !== null) replicaLevels(eng, s, pi);
}

/**
 * Reports the per-replica levels that changed (`perInstance: true`): each
 * slot's in-flight (its replicas' queues and busy workers, a retired replica
 * still draining included) and utilization (model/per-instance.ts).
 */
function replicaLevels(eng: EngineState, s: ServiceState, pi: PerInstance): void {
  const { sumInflight, sumBusy, held, serving } = pi;
  sumInflight.fill(0);
  sumBusy.fill(0);
  held.fill(0);
  serving.fill(0);
  for (const inst of s.instances) {
    const k = inst.slot;
    const inside = inst.queue.size + inst.busy;
    sumInflight[k]! += inside;
    sumBusy[k]! += inst.busy;
    if (inst.state !== 'retired') held[k] = 1;
    if (inst.state === 'ready' && !inst.ejected && !inst.unhealthy) serving[k] = 1;
  }
  const sink = eng.sink;
  for (let k = 0; k < pi.slots; k++) {
    const inside = sumInflight[k]!;
    if (inside !== pi.shownInflight[k]) {
      sink.level(pi.inflight[k]!, inside);
      pi.shownInflight[k] = inside;
    }
    const id = pi.utilization[k]!;
    if (id < 0) continue;
    const u = slotUtilization(sumBusy[k]!, inside, s.workers, held[k] === 1, serving[k] === 1);
    if (!Object.is(u, pi.shownUtilization[k])) {
      sink.level(id, u);
      pi.shownUtilization[k] = u;
    }
  }
}
