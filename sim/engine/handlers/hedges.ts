/**
 * Hedged calls (model/hedge.ts, gRPC's hedgingPolicy): the copies of one
 * call, each a request of its own on the call's edge, sent `delay` apart
 * while no answer came. The first success wins; the copies still out are
 * cancelled as a timed-out attempt is abandoned: the caller stops waiting
 * (`abandoned`), and the callee finishes the work unless it drops expired
 * work (`dropExpired`), counting it as `wasted`.
 *
 * Each step returns what it decided (HEDGE_WON, HEDGE_FAIL, or HEDGE_WAIT
 * while copies are out); calls.ts acts on it, since what "the call succeeded"
 * and "failed for good" mean is the call's path, one group up.
 */
import { HEDGE_DUE } from '../events.js';
import type { EdgeState } from '../model/edge.js';
import { HEDGE_FAIL, HEDGE_SEND, HEDGE_WAIT, HEDGE_WON, type HedgePlan, type HedgedCall } from '../model/hedge.js';
import { FAIL_ERROR } from '../model/retry.js';
import type { EngineState } from '../state.js';
import { breakerPermits } from './breakers.js';
import { newCallReq, releaseIfDone, send } from './requests.js';

/** Request `parent` begins its hedged call on `e`: the first copy goes out now. */
export function sendFirstCopy(eng: EngineState, e: EdgeState, h: HedgePlan, parent: number): number {
  const R = eng.reqs;
  // Copies are not retries: the edge counts them as first attempts, and hedges apart.
  R.callTry[parent] = 1;
  return sendCopy(eng, e, h, h.open(parent, R.gen[parent]!), parent);
}

/**
 * Sends the next copy of `parent`'s hedged call `c` and arms the timer for
 * the one after. A copy the breaker refuses fails at once as an error, and
 * the policy decides what follows as for any failed copy.
 */
function sendCopy(eng: EngineState, e: EdgeState, h: HedgePlan, c: HedgedCall, parent: number): number {
  const now = eng.q.now;
  const copy = h.sendOne(c, now);
  if (copy > 0) eng.sink.count(e.m.hedges, 1);
  if (c.dueAt !== Infinity) eng.q.push(c.dueAt, HEDGE_DUE, parent, c.gen);
  const br = e.breaker;
  if (br !== null && !breakerPermits(eng, e, br)) return copyFailed(eng, e, h, c, parent, copy, FAIL_ERROR);
  const child = newCallReq(eng, e, parent);
  c.kids[copy] = child;
  c.kidGens[copy] = eng.reqs.gen[child]!;
  // The answer may come back within send (a rejection over a link without delay):
  // it is then decided there, through callResult, and nothing is left to do here.
  send(eng, child, e.spec.timeout, e.network);
  return HEDGE_WAIT;
}

/** Copy `copy` of `parent`'s hedged call failed with `fail`: the next copy now, wait for the others, or fail the call. */
function copyFailed(eng: EngineState, e: EdgeState, h: HedgePlan, c: HedgedCall, parent: number, copy: number, fail: number): number {
  const next = h.afterFailure(c, copy, fail);
  if (next === HEDGE_SEND) return sendCopy(eng, e, h, c, parent);
  if (next === HEDGE_FAIL) settle(eng, h, c, parent);
  return next;
}

/** The answer to `child`, a copy of `parent`'s hedged call on `e`, came back (`fail` = 0 on success) or its timeout fired. */
export function copyAnswered(eng: EngineState, e: EdgeState, h: HedgePlan, parent: number, child: number, fail: number): number {
  const c = h.get(parent, eng.reqs.gen[parent]!) as HedgedCall;
  const copy = c.kids.indexOf(child);
  if (fail !== 0) return copyFailed(eng, e, h, c, parent, copy, fail);
  h.answered(c, copy);
  if (copy > 0) eng.sink.count(e.m.hedgeWins, 1);
  settle(eng, h, c, parent);
  return HEDGE_WON;
}

/** The timer of `parent`'s hedged call on `e` fired (armed at generation `gen`): the next copy, unless the timer is stale. */
export function hedgeDue(eng: EngineState, e: EdgeState, h: HedgePlan, parent: number, gen: number): number {
  const c = h.get(parent, gen);
  // A call decided since, or a copy sent early after a non-fatal failure, moved the due time.
  if (c === undefined || c.dueAt !== eng.q.now) return HEDGE_WAIT;
  return sendCopy(eng, e, h, c, parent);
}

/** `parent`'s hedged call is decided: the copies still out are cancelled (the caller stops waiting), and the record goes. */
function settle(eng: EngineState, h: HedgePlan, c: HedgedCall, parent: number): void {
  const R = eng.reqs;
  h.close(parent);
  for (let i = 0; i < c.kids.length; i++) {
    const k = c.kids[i]!;
    if (k < 0 || R.gen[k] !== c.kidGens[i] || R.callerDone[k] === 1) continue;
    R.callerDone[k] = 1;
    R.abandoned[k] = 1;
    releaseIfDone(eng, k);
  }
}
