/**
 * Clients: open-loop arrivals (Poisson, thinned to the rate in force, or
 * evenly spaced), closed-loop users who think and send, operations and
 * their attempts (through the client's rate limit, when it has one), and
 * what a client does with an attempt's outcome: success, a retry after
 * backoff (within the budget), or giving up.
 *
 * On the paths every request takes, boolean fields are tested as `=== true`
 * or `=== false`: V8 does not track the type of a field that holds a
 * boolean, so a bare `if (c.bare)` compiles to a full truthiness check
 * (false, "", 0, NaN, null, undefined, ...) where the comparison is one
 * instruction (docs/performance.md, step 25).
 */
import { ARRIVAL_DUE, LIMIT_TOKEN_READY, OP_BACKOFF_ENDED, THINK_ENDED } from '../events.js';
import { nextProfileChange, type ClientState } from '../model/client.js';
import { isDegraded } from '../model/fallback.js';
import type { TokenBucket } from '../model/rate-limit.js';
import { FAIL_ERROR, FAIL_REJECTED } from '../model/retry.js';
import type { EngineState } from '../state.js';
import { breakerPermits, breakerRecords } from './breakers.js';
import { publish } from './brokers.js';
import { LIMIT_PASSED, LIMIT_WAITS, armTokenTimer, meetLimit } from './rate-limits.js';
import { newReq, send, unrefOp } from './requests.js';
import { GIVE_UP, RETRY_NOW, retryAfterFailure } from './retry.js';

/** Schedules the first arrival of an open-loop client, or the first think of every closed-loop user. */
export function startClient(eng: EngineState, c: ClientState): void {
  const a = c.spec.arrival;
  if (a.kind === 'closed') {
    for (let u = 0; u < a.users; u++) scheduleThink(eng, c, u);
  } else {
    scheduleNextArrival(eng, c);
  }
}

function scheduleNextArrival(eng: EngineState, c: ClientState): void {
  if (c.poisson === true) {
    // Thinning (Lewis and Shedler): candidates at the peak rate, each kept with probability rate(t)/peak.
    if (c.maxRate > 0) eng.q.push(eng.q.now + c.arrivals.exponential() / c.maxRate, ARRIVAL_DUE, c.index, 0);
    return;
  }
  scheduleEvenArrival(eng, c);
}

/**
 * Evenly spaced at the current rate; when the rate changes before the next arrival is due
 * (a step, a ramp, a traffic fault), wake up then instead and cover what is left of the gap
 * at the new rate (the arrivals follow the integral of the rate, as a ramp's must).
 * Closed-loop clients have no arrivals to schedule.
 */
function scheduleEvenArrival(eng: EngineState, c: ClientState): void {
  const now = eng.q.now;
  if (c.spec.arrival.kind !== 'constant') return;
  const r = c.rateAt(now);
  c.gapSince = now;
  c.gapRate = r;
  const due = r > 0 ? now + c.gapLeft / r : Infinity;
  const change = Math.min(nextProfileChange(c.spec.arrival.rate, now), eng.faults.nextTrafficChange(c.spec.name, now));
  if (due <= change) eng.q.push(due, ARRIVAL_DUE, c.index, 0);
  else if (Number.isFinite(change)) eng.q.push(change, ARRIVAL_DUE, c.index, 1);
}

/** An open-loop client's arrival is due (`onlyRateChange`: 1 when it only marks a change of rate). */
export function onArrivalDue(eng: EngineState, c: ClientState, onlyRateChange: number): void {
  const now = eng.q.now;
  if (c.poisson === true) {
    // Kept with probability rate/peak: no draw when that is 1 (a steady rate, no traffic fault now).
    const rate = c.rateAt(now);
    if (rate >= c.maxRate || c.arrivals.uniform() * c.maxRate < rate) startOp(eng, c, -1);
  } else if (onlyRateChange === 0) {
    c.gapLeft = 1;
    startOp(eng, c, -1);
  } else {
    // Part of the gap went by at the rate before the change.
    c.gapLeft = Math.max(0, c.gapLeft - (now - c.gapSince) * c.gapRate);
  }
  scheduleNextArrival(eng, c);
}

function scheduleThink(eng: EngineState, c: ClientState, user: number): void {
  if (c.think === null) return;
  c.parked[user] = false;
  eng.q.push(eng.q.now + c.think.next(), THINK_ENDED, c.index, user);
}

/** A closed-loop user finished thinking: sends an operation, or parks if the user count fell below it. */
export function onThinkEnded(eng: EngineState, c: ClientState, user: number): void {
  if (user >= c.activeUsers) c.parked[user] = true;
  else startOp(eng, c, user);
}

/** Wakes parked users below the client's active count (traffic faults on closed loops). */
export function wakeUsers(eng: EngineState, c: ClientState): void {
  for (let u = 0; u < c.activeUsers; u++) if (c.parked[u] !== false) scheduleThink(eng, c, u);
}

/**
 * Client `c` starts an operation (for `user`, or -1 on an open loop) and
 * sends its first attempt.
 *
 * A client that can send only one attempt per operation (no retries
 * anywhere in the scenario, so no duplicates to look for either; an open
 * loop; no retry budget; no breaker or rate limit of its own) keeps no operation record: its request stands for
 * the operation, the request's `sentAt` is when the operation started, and
 * its `op` is -1, as is that of every request its calls make.
 */
function startOp(eng: EngineState, c: ClientState, user: number): void {
  if (c.bare === true) return startBareOp(eng, c);
  if (c.broker >= 0) return publish(eng, c);
  const now = eng.q.now;
  const O = eng.ops;
  const op = O.take();
  O.client[op] = c.index;
  O.user[op] = user;
  O.startedAt[op] = now;
  O.attempts[op] = 0;
  O.prevSleep[op] = 0;
  O.refs[op] = 1;
  O.doneMask[op] = 0;
  O.key[op] = c.nextKey();
  c.open++;
  eng.sink.count(c.m.offered, 1);
  if (c.budget !== null) c.budget.deposit(now);
  sendAttempt(eng, c, op);
}

/**
 * Client `c` starts an operation that belongs to no user, outside its
 * arrival process: a burst's (handlers/bursts.ts). On a closed loop it is a
 * one-shot user's: it retries as the client does, and when it ends nobody
 * thinks and sends again.
 */
export function startExtraOp(eng: EngineState, c: ClientState): void {
  startOp(eng, c, -1);
}

/**
 * An operation of a bare client (see startOp): one request, no operation
 * record. It spells out what startOp and sendAttempt share rather than
 * calling a helper with them: the extra call cost 1% of M/M/1's
 * instructions.
 */
function startBareOp(eng: EngineState, c: ClientState): void {
  c.open++;
  eng.sink.count(c.m.offered, 1);
  eng.sink.count(c.m.attempts, 1);
  const r = newReq(eng, -1, c.index);
  eng.reqs.svc[r] = c.target;
  send(eng, r, c.spec.timeout, c.network);
}

/** Operation `op` of client `c` has waited out its backoff: it leaves the sleepers and is sent again. */
export function onOpBackoffEnded(eng: EngineState, c: ClientState, op: number): void {
  eng.sink.level(c.m.retryWaiting, --c.sleeping);
  sendAttempt(eng, c, op);
}

/**
 * Client `c` makes the next attempt of its operation `op` (the first, or a
 * retry once its backoff ended): counted, then through its own breaker and
 * its rate limit, if it has them, onto the wire. The breaker comes first, as
 * in resilience4j's order (Retry around CircuitBreaker around RateLimiter):
 * an open breaker fails the attempt at once, before it takes a token or
 * reaches the network; it still counts as an attempt (and a retry after the
 * first), and the retry policy treats it as an error, as resilience4j's Retry
 * treats the breaker's CallNotPermittedException.
 */
export function sendAttempt(eng: EngineState, c: ClientState, op: number): void {
  const attempts = ++eng.ops.attempts[op]!;
  eng.sink.count(c.m.attempts, 1);
  if (attempts > 1) eng.sink.count(c.m.retries, 1);
  const br = c.breaker;
  if (br !== null && !breakerPermits(eng, c, br)) return attemptFailed(eng, c, op, FAIL_ERROR);
  if (c.limiter !== null && limitAttempt(eng, c, c.limiter, op)) return;
  // The send is spelled out here and in transmitAttempt: a call to it here cost 1% of the retry storm's instructions (with the call's split).
  const r = newReq(eng, op, c.index);
  eng.reqs.svc[r] = c.target;
  send(eng, r, c.spec.timeout, c.network);
}

/** The attempt of operation `op`, which waited for a token of client `c`'s rate limit, leaves for its target. */
function transmitAttempt(eng: EngineState, c: ClientState, op: number): void {
  const r = newReq(eng, op, c.index);
  eng.reqs.svc[r] = c.target;
  send(eng, r, c.spec.timeout, c.network);
}

/**
 * The attempt of operation `op` meets client `c`'s rate limit `b`: false when
 * it took a token (it is sent now), true when it waits for one or was
 * refused. A refused attempt is never sent: it fails at once as a rejection,
 * which the client's retry policy retries only if its `on` has `rejected`,
 * and which the client's breaker, if it has one, counts as a failure.
 */
function limitAttempt(eng: EngineState, c: ClientState, b: TokenBucket, op: number): boolean {
  const met = meetLimit(eng, b, op, LIMIT_TOKEN_READY, c.index, -1);
  if (met === LIMIT_PASSED) return false;
  if (met === LIMIT_WAITS) {
    eng.sink.level(c.m.limitWaiting, b.waiting.size);
    return true;
  }
  eng.sink.count(c.m.rateLimited, 1);
  // Inside the client's breaker, the limiter's refusal is one of its failures (resilience4j's RequestNotPermitted).
  if (c.breaker !== null) breakerRecords(eng, c, c.breaker, 0, true);
  attemptFailed(eng, c, op, FAIL_REJECTED);
  return true;
}

/** Client `c`'s rate limit holds a token for its first waiting attempt: send every attempt a token is there for. */
export function onClientTokenReady(eng: EngineState, c: ClientState): void {
  const b = c.limiter as TokenBucket;
  const now = eng.q.now;
  b.timerAt = Infinity;
  while (b.waiting.size > 0 && b.tryTake(now)) transmitAttempt(eng, c, b.waiting.shift());
  eng.sink.level(c.m.limitWaiting, b.waiting.size);
  armTokenTimer(eng, b, LIMIT_TOKEN_READY, c.index, -1);
}

/** The attempt `r` of a client's operation ended (`fail` = 0 on success). */
export function clientResult(eng: EngineState, r: number, fail: number): void {
  const O = eng.ops;
  const op = eng.reqs.op[r]!;
  if (op < 0) return bareResult(eng, r, fail);
  const c = eng.clients[O.client[op]!] as ClientState;
  if (c.breaker !== null) breakerRecords(eng, c, c.breaker, eng.q.now - eng.reqs.sentAt[r]!, fail !== 0);
  if (fail !== 0) return attemptFailed(eng, c, op, fail);
  eng.sink.count(c.m.goodput, 1);
  if (eng.degradable === true) countDegraded(eng, c, r);
  eng.sink.latency(c.m.latency, eng.q.now - O.startedAt[op]!);
  endOp(eng, op, c);
}

/** An attempt of operation `op` failed (or its breaker refused it): retry it (after backoff, within the budget) or give up. */
function attemptFailed(eng: EngineState, c: ClientState, op: number, fail: number): void {
  const O = eng.ops;
  const next = retryAfterFailure(eng, c.spec.retry, c, O.attempts[op]!, fail, O.prevSleep, op, O.gen[op]!, OP_BACKOFF_ENDED);
  if (next === RETRY_NOW) return sendAttempt(eng, c, op);
  if (next !== GIVE_UP) return eng.sink.level(c.m.retryWaiting, ++c.sleeping);
  eng.sink.count(c.m.failures, 1);
  endOp(eng, op, c);
}

/** The request of a bare client's operation ended: the operation ends with it (no retries). */
function bareResult(eng: EngineState, r: number, fail: number): void {
  const R = eng.reqs;
  const c = eng.clients[R.client[r]!] as ClientState;
  if (fail !== 0) {
    eng.sink.count(c.m.failures, 1);
  } else {
    eng.sink.count(c.m.goodput, 1);
    if (eng.degradable === true) countDegraded(eng, c, r);
    eng.sink.latency(c.m.latency, eng.q.now - R.sentAt[r]!);
  }
  c.open--;
}

/** A successful attempt `r` whose answer is degraded also counts in client `c`'s `degraded`. */
function countDegraded(eng: EngineState, c: ClientState, r: number): void {
  const R = eng.reqs;
  if (isDegraded(R.degraded, r, R.gen[r]!)) eng.sink.count(c.m.degraded, 1);
}

function endOp(eng: EngineState, op: number, c: ClientState): void {
  c.open--;
  const user = eng.ops.user[op]!;
  if (user >= 0) {
    if (user < c.activeUsers) scheduleThink(eng, c, user);
    else c.parked[user] = true;
  }
  unrefOp(eng, op);
}
