/**
 * Crashes (model/replica-faults.ts): a replica that goes down fails the work
 * it holds at once, waiting and in local work alike, as a killed process
 * drops its connections; its callers see errors. While down it stays in the
 * rotation and fails each request at once (its effects: no local work, an
 * error every time). When it comes back it restarts cold.
 *
 * Crashes hit only services without downstream calls (checked when the
 * scenario is read), so the work a replica holds is in its queue or in
 * local work, with one WORK_DONE event pending per request.
 */
import { TIMEOUT_FIRED, WORK_DONE } from '../events.js';
import type { EdgeState } from '../model/edge.js';
import type { ClientState } from '../model/client.js';
import { OUT_ERROR } from '../model/entities.js';
import type { Instance, ServiceState } from '../model/service.js';
import type { EngineState } from '../state.js';
import { noteResponse } from './outliers.js';
import { respond } from './requests.js';
import { finish } from './services.js';

/** Replica `inst` of `s` just went down: every request it holds fails now. */
export function crashReplica(eng: EngineState, s: ServiceState, inst: Instance): void {
  const R = eng.reqs;
  const now = eng.q.now;
  let killed = 0;
  // A replica that is down is not watched: a crash its trigger had due is off.
  s.crashWatch?.forget(inst.index);
  while (inst.queue.size > 0) {
    const r = inst.queue.shift();
    s.queued--;
    killed++;
    R.outcome[r] = OUT_ERROR;
    s.inside--;
    eng.sink.count(s.m.errors, 1);
    if (s.perInstance !== null) eng.sink.count(s.perInstance.errors[inst.slot]!, 1);
    eng.sink.latency(s.m.latency, now - R.arrivedAt[r]!);
    if (s.outlier !== null) noteResponse(eng, s, s.outlier, inst, false);
    respond(eng, r);
  }
  inst.codel?.onEmpty(now);
  const working: number[] = [];
  eng.q.forEachPending(WORK_DONE, (r, gen) => {
    if (R.gen[r] === gen && R.svc[r] === s.index && R.inst[r] === inst.index) working.push(r);
  });
  for (const r of working) {
    killed++;
    forgetPendingEvents(eng, r);
    R.outcome[r] = OUT_ERROR;
    finish(eng, s, r);
  }
  if (killed > 0) eng.sink.count(s.m.crashKilled, killed);
}

/**
 * Makes the events pending for `r` stale (its WORK_DONE above all) by moving
 * it to a new generation, and arms its caller's timeout again under that
 * generation: the caller still gives up on time if the error response is slow.
 */
function forgetPendingEvents(eng: EngineState, r: number): void {
  const R = eng.reqs;
  const gen = ++R.gen[r]!;
  if (R.callerDone[r] === 1) return;
  const edge = R.edge[r]!;
  let timeout: number | null;
  if (edge >= 0) {
    const e = eng.edges[edge] as EdgeState;
    timeout = e.delivery >= 0 ? null : e.spec.timeout;
  } else timeout = (eng.clients[R.client[r]!] as ClientState).spec.timeout;
  if (timeout !== null && R.sentAt[r]! + timeout > eng.q.now) eng.q.push(R.sentAt[r]! + timeout, TIMEOUT_FIRED, r, gen);
}

/** The number of replicas of `s` down now, for the `crash.down` level. */
export function downLevel(eng: EngineState, s: ServiceState): void {
  let n = 0;
  for (const inst of s.instances) if (inst.down) n++;
  eng.sink.level(s.m.crashDown, n);
}
