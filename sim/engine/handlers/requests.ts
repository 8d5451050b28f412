/**
 * Requests on the wire: a request is made, crosses the network to its
 * service, and its response (or its caller's timeout) comes back; once both
 * ends are done with it, its id is freed.
 *
 * Who sent it decides where the answer goes: a client (`edge` < 0) or a
 * call of another request (`edge` >= 0). Those two live in groups above
 * this one, so the answer reaches them through the engine
 * (`clientResult`, `callResult`; see state.ts), as does a request reaching
 * its service (`arrive`).
 *
 * On the paths every request takes, boolean fields are tested as `=== true`
 * or `=== false`: V8 does not track the type of a field that holds a
 * boolean, so a bare `if (net.zero)` compiles to a full truthiness check
 * (false, "", 0, NaN, null, undefined, ...) where the comparison is one
 * instruction (docs/performance.md, step 25).
 */
import { REQUEST_ARRIVED, RESPONSE_ARRIVED, TIMEOUT_FIRED } from '../events.js';
import type { ClientState } from '../model/client.js';
import { LOST, type NetworkDraw } from '../model/link.js';
import type { EdgeState } from '../model/edge.js';
import { OUT_ERROR, OUT_OK, callPath } from '../model/entities.js';
import { FAIL_ERROR, FAIL_REJECTED, FAIL_TIMEOUT } from '../model/retry.js';
import type { EngineState } from '../state.js';
import { requestLost, responseLost } from './links.js';

/**
 * A fresh request id for an attempt of operation `op` (-1 for a bare
 * client's, see clients.ts), sent by client `client` (-1 on a call edge; the
 * caller fills in where it goes). Its progress through its service's calls
 * is reset when it starts work there (services.ts, startWork).
 */
export function newReq(eng: EngineState, op: number, client: number): number {
  const R = eng.reqs;
  const r = R.take();
  R.op[r] = op;
  R.client[r] = client;
  R.parent[r] = -1;
  R.edge[r] = -1;
  R.refreshKey[r] = -1;
  R.path[r] = 0;
  R.callerDone[r] = 0;
  R.calleeDone[r] = 0;
  R.abandoned[r] = 0;
  R.outcome[r] = OUT_OK;
  if (op >= 0) eng.ops.refs[op]!++;
  return r;
}

/** A fresh request for one attempt (or hedged copy) of `parent`'s call on `e`, counted on the edge and ready to {@link send}. */
export function newCallReq(eng: EngineState, e: EdgeState, parent: number): number {
  const R = eng.reqs;
  eng.sink.count(e.m.calls, 1);
  if (R.callTry[parent]! > 1) eng.sink.count(e.m.retries, 1);
  else if (e.budget !== null) e.budget.deposit(eng.q.now);
  const child = newReq(eng, R.op[parent]!, -1);
  R.parent[child] = parent;
  R.edge[child] = e.index;
  R.svc[child] = e.to;
  R.path[child] = callPath(R.path[parent]!, e.index);
  return child;
}

/** Sends request `r` to its service: arms the caller's timer, then crosses the network (unless a link fault loses it). */
export function send(eng: EngineState, r: number, timeout: number | null, network: NetworkDraw): void {
  const q = eng.q;
  const now = q.now;
  const R = eng.reqs;
  R.sentAt[r] = now;
  if (timeout !== null) q.push(now + timeout, TIMEOUT_FIRED, r, R.gen[r]!);
  const d = network.zero === true ? 0 : network.next();
  if (d > 0) {
    if (d === LOST) return requestLost(eng, r);
    q.push(now + d, REQUEST_ARRIVED, r, R.gen[r]!);
  } else eng.arrive(r);
}

/** Sends the response to `r` back across the network, unless the caller already gave up (or a link fault loses it). */
export function respond(eng: EngineState, r: number): void {
  const R = eng.reqs;
  R.calleeDone[r] = 1;
  if (R.callerDone[r] === 1) return releaseIfDone(eng, r);
  const edge = R.edge[r]!;
  const net = edge >= 0 ? (eng.edges[edge] as EdgeState).network : (eng.clients[R.client[r]!] as ClientState).network;
  const d = net.zero === true ? 0 : net.next();
  if (d > 0) {
    if (d === LOST) return responseLost(eng, r);
    eng.q.push(eng.q.now + d, RESPONSE_ARRIVED, r, R.gen[r]!);
  } else onResponse(eng, r);
}

/** The response to `r` reached its caller (ignored if the caller's timeout already fired). */
export function onResponse(eng: EngineState, r: number): void {
  const R = eng.reqs;
  if (R.callerDone[r] === 1) return;
  R.callerDone[r] = 1;
  const out = R.outcome[r];
  const fail = out === OUT_OK ? 0 : out === OUT_ERROR ? FAIL_ERROR : FAIL_REJECTED;
  if (R.edge[r]! >= 0) {
    eng.callResult(r, fail);
  } else {
    eng.clientResult(r, fail);
    releaseIfDone(eng, r);
  }
}

/** The caller's timeout on `r` fired before its response came back: the caller stops waiting. */
export function onTimeout(eng: EngineState, r: number): void {
  const R = eng.reqs;
  R.callerDone[r] = 1;
  R.abandoned[r] = 1;
  const edge = R.edge[r]!;
  if (edge >= 0) {
    eng.sink.count((eng.edges[edge] as EdgeState).m.timeouts, 1);
    eng.callResult(r, FAIL_TIMEOUT);
  } else {
    const c = eng.clients[R.client[r]!] as ClientState;
    eng.sink.count(c.m.timeouts, 1);
    eng.clientResult(r, FAIL_TIMEOUT);
    releaseIfDone(eng, r);
  }
}

/** Frees request `r` once both its caller and its callee are done with it. */
export function releaseIfDone(eng: EngineState, r: number): void {
  const R = eng.reqs;
  if (R.callerDone[r] === 1 && R.calleeDone[r] === 1) {
    const op = R.op[r]!;
    if (op >= 0) unrefOp(eng, op);
    R.release(r);
  }
}

/** Drops one reference to operation `op`; frees it when none is left. */
export function unrefOp(eng: EngineState, op: number): void {
  if (--eng.ops.refs[op]! === 0) eng.ops.release(op);
}
