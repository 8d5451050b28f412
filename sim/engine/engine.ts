/**
 * The event handlers: what happens to clients, requests and services when an
 * event fires. `run.ts` builds an {@link Engine}, seeds its queue and pops
 * events; everything that changes state is here.
 *
 * The life of a request (one attempt at one service):
 *   sent ─network→ arrives ─balancer→ instance: start work | wait | rejected
 *   work done → error? → calls in order (each: send, wait, retry) → respond
 *   ─network→ caller, unless the caller's timeout already fired (then the work
 *   was `wasted`, or, with `dropExpired`, skipped at dequeue as `expired`).
 *
 * On the paths every request takes, boolean fields are tested as `=== true`
 * or `=== false`: V8 does not track the type of a field that holds a
 * boolean, so a bare `if (c.bare)` compiles to a full truthiness check
 * (false, "", 0, NaN, null, undefined, ...) where the comparison is one
 * instruction (docs/performance.md, step 25).
 */
import type { NormalizedScenario } from '../scenario/types.js';
import { EventQueue } from './event-queue.js';
import { ClientState, nextProfileChange } from './model/client.js';
import type { Draw } from './model/dist.js';
import { CallPath } from './calls.js';
import { EdgeState } from './model/edge.js';
import { Ops, OUT_ERROR, OUT_EXPIRED, OUT_OK, OUT_REJECTED, Reqs } from './model/entities.js';
import { FaultState } from './model/fault.js';
import { FAIL_ERROR, FAIL_REJECTED, FAIL_TIMEOUT, mayRetry, nextRetrySleep } from './model/retry.js';
import { evaluateAutoscaler } from './model/scaling.js';
import { Instance, ServiceState } from './model/service.js';
import type { TraceSink } from '../metrics/trace.js';

/** Event kinds; the payload words (a, b) are given beside each. */
export const EV_ARRIVAL = 0; // a: client
export const EV_THINK = 1; // a: client, b: user
export const EV_REQ_ARRIVE = 2; // a: req, b: gen
export const EV_WORK_DONE = 3; // a: req, b: gen
export const EV_RESPONSE = 4; // a: req, b: gen
export const EV_TIMEOUT = 5; // a: req, b: gen
export const EV_OP_RETRY = 6; // a: op, b: gen
export const EV_CALL_RETRY = 7; // a: req, b: gen
export const EV_FAULT_START = 8; // a: fault
export const EV_FAULT_END = 9; // a: fault
export const EV_CACHE_DONE = 10; // a: req, b: gen
export const EV_POOL_TIMEOUT = 11; // a: req, b: gen
export const EV_AUTOSCALE = 12; // a: service
export const EV_INSTANCE_READY = 13; // a: service, b: instance

/** Raised when a run must stop: a guard tripped. Carries what the user needs to act. */
export class RunAborted extends Error {
  readonly component: string;
  readonly time: number;
  constructor(message: string, component: string, time: number) {
    super(message);
    this.component = component;
    this.time = time;
  }
}

/** Options that bound a run. */
export interface EngineLimits {
  /** Stop when more requests than this are inside one service. */
  readonly maxInflight: number;
}

export class Engine {
  readonly q = new EventQueue(4096);
  readonly sink: TraceSink;
  readonly scenario: NormalizedScenario;
  readonly clients: ClientState[];
  readonly services: ServiceState[];
  readonly edges: EdgeState[];
  readonly faults: FaultState;
  /** Operations and requests in flight, by id (tables of columns; see entities.ts). */
  readonly ops = new Ops();
  readonly reqs = new Reqs();
  readonly calls: CallPath;
  /**
   * Whether any client or call retries. Without retries no operation can
   * complete twice at a service by the same path, so duplicates are not
   * looked for (their count stays 0).
   */
  private readonly retries: boolean;
  private readonly limits: EngineLimits;

  constructor(
    scenario: NormalizedScenario,
    sink: TraceSink,
    parts: { clients: ClientState[]; services: ServiceState[]; edges: EdgeState[] },
    limits: EngineLimits,
  ) {
    this.scenario = scenario;
    this.sink = sink;
    this.clients = parts.clients;
    this.services = parts.services;
    this.edges = parts.edges;
    this.limits = limits;
    this.retries = scenario.clients.some((c) => mayRetry(c.retry)) || scenario.services.some((s) => s.calls.some((k) => mayRetry(k.retry)));
    for (const c of this.clients) c.bare = !this.retries && c.think === null && c.budget === null;
    this.faults = new FaultState(this);
    this.calls = new CallPath(this);
  }

  /**
   * Runs the handler of the event just popped from `q`. The kinds every
   * request goes through are here; the others are in {@link stepRare}, so
   * that this stays small enough for the compiler to inline into the loop.
   */
  step(): void {
    const q = this.q;
    const R = this.reqs;
    // Events about a request or an operation name its id and generation: a mismatch means stale.
    const r = q.a;
    switch (q.kind) {
      case EV_ARRIVAL:
        return this.onArrival(this.clients[q.a] as ClientState);
      case EV_REQ_ARRIVE:
        if (R.gen[r] === q.b) this.arrive(r);
        return;
      case EV_WORK_DONE:
        if (R.gen[r] === q.b) this.onWorkDone(r);
        return;
      case EV_RESPONSE:
        if (R.gen[r] === q.b) this.onResponse(r);
        return;
      case EV_TIMEOUT:
        if (R.gen[r] === q.b && R.callerDone[r] === 0) this.onTimeout(r);
        return;
      default:
        return this.stepRare(q.kind);
    }
  }

  private stepRare(kind: number): void {
    const q = this.q;
    const R = this.reqs;
    const r = q.a;
    switch (kind) {
      case EV_THINK:
        return this.onThink(this.clients[q.a] as ClientState, q.b);
      case EV_OP_RETRY:
        if (this.ops.gen[q.a] === q.b) this.sendAttempt(this.clients[this.ops.client[q.a]!] as ClientState, q.a);
        return;
      case EV_CALL_RETRY:
        if (R.gen[r] === q.b) this.calls.send(this.edgeOf(r), r);
        return;
      case EV_FAULT_START:
        return this.faults.start(q.a);
      case EV_FAULT_END:
        return this.faults.end(q.a);
      case EV_CACHE_DONE:
        if (R.gen[r] === q.b) this.calls.succeeded(r);
        return;
      case EV_POOL_TIMEOUT:
        if (R.gen[r] === q.b && R.waitingPool[r] === 1 && q.now >= R.poolDeadline[r]!) this.calls.onPoolTimeout(r);
        return;
      case EV_AUTOSCALE:
        return evaluateAutoscaler(this, this.services[q.a] as ServiceState);
      case EV_INSTANCE_READY:
        return this.onInstanceReady(this.services[q.a] as ServiceState, q.b);
    }
  }

  // ── clients ──────────────────────────────────────────────────────────────

  /** Schedules the first arrival of an open-loop client, or the first think of every closed-loop user. */
  startClient(c: ClientState): void {
    const a = c.spec.arrival;
    if (a.kind === 'closed') {
      for (let u = 0; u < a.users; u++) this.scheduleThink(c, u);
    } else {
      this.scheduleNextArrival(c);
    }
  }

  private scheduleNextArrival(c: ClientState): void {
    if (c.poisson === true) {
      // Thinning (Lewis and Shedler): candidates at the peak rate, each kept with probability rate(t)/peak.
      if (c.maxRate > 0) this.q.push(this.q.now + c.arrivals.exponential() / c.maxRate, EV_ARRIVAL, c.index, 0);
      return;
    }
    this.scheduleEvenArrival(c);
  }

  /**
   * Evenly spaced at the current rate; when the rate changes before the next arrival is due
   * (a step, a ramp, a traffic fault), wake up then instead and space from the new rate.
   * Closed-loop clients have no arrivals to schedule.
   */
  private scheduleEvenArrival(c: ClientState): void {
    const now = this.q.now;
    if (c.spec.arrival.kind !== 'constant') return;
    const r = c.rateAt(now);
    const due = r > 0 ? now + 1 / r : Infinity;
    const change = Math.min(nextProfileChange(c.spec.arrival.rate, now), this.faults.nextChangeFor(c.index, now));
    if (due <= change) this.q.push(due, EV_ARRIVAL, c.index, 0);
    else if (Number.isFinite(change)) this.q.push(change, EV_ARRIVAL, c.index, 1);
  }

  private onArrival(c: ClientState): void {
    const now = this.q.now;
    if (c.poisson === true) {
      // Kept with probability rate/peak: no draw when that is 1 (a steady rate, no traffic fault now).
      const rate = c.rateAt(now);
      if (rate >= c.maxRate || c.arrivals.uniform() * c.maxRate < rate) this.startOp(c, -1);
    } else if (this.q.b === 0) {
      this.startOp(c, -1);
    }
    this.scheduleNextArrival(c);
  }

  private scheduleThink(c: ClientState, user: number): void {
    if (c.think === null) return;
    c.parked[user] = false;
    this.q.push(this.q.now + c.think.next(), EV_THINK, c.index, user);
  }

  private onThink(c: ClientState, user: number): void {
    if (user >= c.activeUsers) c.parked[user] = true;
    else this.startOp(c, user);
  }

  /** Wakes parked users below the client's active count (traffic faults on closed loops). */
  wakeUsers(c: ClientState): void {
    for (let u = 0; u < c.activeUsers; u++) if (c.parked[u] !== false) this.scheduleThink(c, u);
  }

  /**
   * Client `c` starts an operation (for `user`, or -1 on an open loop) and
   * sends its first attempt.
   *
   * A client that can send only one attempt per operation (no retries
   * anywhere in the scenario, so no duplicates to look for either; an open
   * loop; no retry budget) keeps no operation record: its request stands for
   * the operation, the request's `sentAt` is when the operation started, and
   * its `op` is -1, as is that of every request its calls make.
   */
  private startOp(c: ClientState, user: number): void {
    if (c.bare === true) return this.startBareOp(c);
    const now = this.q.now;
    const O = this.ops;
    const op = O.take();
    O.client[op] = c.index;
    O.user[op] = user;
    O.startedAt[op] = now;
    O.attempts[op] = 0;
    O.prevSleep[op] = 0;
    O.refs[op] = 1;
    O.doneMask[op] = 0;
    c.open++;
    this.sink.count(c.m.offered, 1);
    if (c.budget !== null) c.budget.deposit(now);
    this.sendAttempt(c, op);
  }

  /**
   * An operation of a bare client (see startOp): one request, no operation
   * record. It spells out what startOp and sendAttempt share rather than
   * calling a helper with them: the extra call cost 1% of M/M/1's
   * instructions.
   */
  private startBareOp(c: ClientState): void {
    c.open++;
    this.sink.count(c.m.offered, 1);
    this.sink.count(c.m.attempts, 1);
    const r = this.newReq(-1, c.index);
    this.reqs.svc[r] = c.target;
    this.send(r, c.spec.timeout, c.network);
  }

  /** Client `c` sends the next attempt of its operation `op`. */
  private sendAttempt(c: ClientState, op: number): void {
    const attempts = ++this.ops.attempts[op]!;
    this.sink.count(c.m.attempts, 1);
    if (attempts > 1) this.sink.count(c.m.retries, 1);
    const r = this.newReq(op, c.index);
    this.reqs.svc[r] = c.target;
    this.send(r, c.spec.timeout, c.network);
  }

  /** The attempt `r` of a client's operation ended (`fail` = 0 on success). */
  private onClientResult(r: number, fail: number): void {
    const O = this.ops;
    const op = this.reqs.op[r]!;
    if (op < 0) return this.bareResult(r, fail);
    const c = this.clients[O.client[op]!] as ClientState;
    if (fail !== 0) return this.clientAttemptFailed(c, op, fail);
    this.sink.count(c.m.goodput, 1);
    this.sink.latency(c.m.latency, this.q.now - O.startedAt[op]!);
    this.endOp(op, c);
  }

  /** An attempt of operation `op` failed: retry it (after backoff, within the budget) or give up. */
  private clientAttemptFailed(c: ClientState, op: number, fail: number): void {
    const now = this.q.now;
    const O = this.ops;
    const d = nextRetrySleep(c.spec.retry, c, O.attempts[op]!, fail, O.prevSleep[op]!, now);
    if (d >= 0) {
      O.prevSleep[op] = d;
      if (d > 0) this.q.push(now + d, EV_OP_RETRY, op, O.gen[op]!);
      else this.sendAttempt(c, op);
      return;
    }
    this.sink.count(c.m.failures, 1);
    this.endOp(op, c);
  }

  /** The request of a bare client's operation ended: the operation ends with it (no retries). */
  private bareResult(r: number, fail: number): void {
    const R = this.reqs;
    const c = this.clients[R.client[r]!] as ClientState;
    if (fail !== 0) {
      this.sink.count(c.m.failures, 1);
    } else {
      this.sink.count(c.m.goodput, 1);
      this.sink.latency(c.m.latency, this.q.now - R.sentAt[r]!);
    }
    c.open--;
  }

  private endOp(op: number, c: ClientState): void {
    c.open--;
    const user = this.ops.user[op]!;
    if (user >= 0) {
      if (user < c.activeUsers) this.scheduleThink(c, user);
      else c.parked[user] = true;
    }
    this.unrefOp(op);
  }

  private unrefOp(op: number): void {
    if (--this.ops.refs[op]! === 0) this.ops.release(op);
  }

  // ── requests in flight ───────────────────────────────────────────────────

  /**
   * A fresh request id for an attempt of operation `op` (-1 for a bare
   * client's, see startOp), sent by client `client` (-1 on a call edge; the
   * caller fills in where it goes). Its
   * progress through its service's calls is reset when it starts work there
   * (startWork).
   */
  newReq(op: number, client: number): number {
    const R = this.reqs;
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
    if (op >= 0) this.ops.refs[op]!++;
    return r;
  }

  /** Sends request `r` to its service: arms the caller's timer, then crosses the network. */
  send(r: number, timeout: number | null, network: Draw): void {
    const now = this.q.now;
    const R = this.reqs;
    R.sentAt[r] = now;
    if (timeout !== null) this.q.push(now + timeout, EV_TIMEOUT, r, R.gen[r]!);
    const d = network.zero === true ? 0 : network.next();
    if (d > 0) this.q.push(now + d, EV_REQ_ARRIVE, r, R.gen[r]!);
    else this.arrive(r);
  }

  private onTimeout(r: number): void {
    const R = this.reqs;
    R.callerDone[r] = 1;
    R.abandoned[r] = 1;
    const edge = R.edge[r]!;
    if (edge >= 0) {
      this.sink.count((this.edges[edge] as EdgeState).m.timeouts, 1);
      this.calls.result(r, FAIL_TIMEOUT);
    } else {
      const c = this.clients[R.client[r]!] as ClientState;
      this.sink.count(c.m.timeouts, 1);
      this.onClientResult(r, FAIL_TIMEOUT);
      this.releaseIfDone(r);
    }
  }

  private onResponse(r: number): void {
    const R = this.reqs;
    if (R.callerDone[r] === 1) return;
    R.callerDone[r] = 1;
    const out = R.outcome[r];
    const fail = out === OUT_OK ? 0 : out === OUT_ERROR ? FAIL_ERROR : FAIL_REJECTED;
    if (R.edge[r]! >= 0) {
      this.calls.result(r, fail);
    } else {
      this.onClientResult(r, fail);
      this.releaseIfDone(r);
    }
  }

  /** Frees request `r` once both its caller and its callee are done with it. */
  releaseIfDone(r: number): void {
    const R = this.reqs;
    if (R.callerDone[r] === 1 && R.calleeDone[r] === 1) {
      const op = R.op[r]!;
      if (op >= 0) this.unrefOp(op);
      R.release(r);
    }
  }

  // ── services ─────────────────────────────────────────────────────────────

  private arrive(r: number): void {
    const now = this.q.now;
    const R = this.reqs;
    const s = this.services[R.svc[r]!] as ServiceState;
    this.sink.count(s.m.arrivals, 1);
    s.arrivalsSince++;
    s.inside++;
    R.arrivedAt[r] = now;
    const inst = s.pick();
    if (inst === null) return this.reject(s, r);
    R.inst[r] = inst.index;
    if (inst.paused === false && inst.busy < s.workers) this.startWork(s, inst, r);
    else if (inst.queue.size < s.spec.queue.capacity) this.enqueue(s, inst, r);
    else return this.reject(s, r);
    this.levels(s);
  }

  /** `r` waits in `inst`'s queue for a worker. */
  private enqueue(s: ServiceState, inst: Instance, r: number): void {
    const now = this.q.now;
    inst.codel?.onEnqueue(now, inst.queue.size);
    this.reqs.queuedAt[r] = now;
    inst.queue.push(r);
    s.queued++;
    if (s.queued > this.limits.maxInflight) this.overloaded(s);
  }

  private overloaded(s: ServiceState): never {
    const now = this.q.now;
    throw new RunAborted(
      `the queue of ${s.spec.name} passed ${this.limits.maxInflight.toLocaleString('en-US')} requests at t=${fmtTime(now)}: the system is overloaded; bound the queue or shorten the run`,
      s.spec.name,
      now,
    );
  }

  private reject(s: ServiceState, r: number): void {
    this.reqs.outcome[r] = OUT_REJECTED;
    s.inside--;
    this.sink.count(s.m.rejected, 1);
    this.respond(r);
  }

  /** `r` takes a worker of `inst` and starts its local work (the caller reports the levels). */
  private startWork(s: ServiceState, inst: Instance, r: number): void {
    const now = this.q.now;
    const R = this.reqs;
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
    this.q.push(now + this.serviceTime(s, inst), EV_WORK_DONE, r, R.gen[r]!);
  }

  /**
   * One draw of local work for a request starting now on `inst`:
   * base x latency-fault multiplier x degradation x cold start, plus the latency fault's `add`.
   */
  private serviceTime(s: ServiceState, inst: Instance): number {
    const t = s.serviceTime.next() * s.latencyMul;
    return (s.shapedWork === true ? +this.shapeWork(s, inst, t) : t) + s.latencyAdd; // + : see Alea.exponential
  }

  /** Degradation and cold start applied to a draw of local work `t` (apart, so that serviceTime stays small). */
  private shapeWork(s: ServiceState, inst: Instance, t: number): number {
    const spec = s.spec;
    const dg = spec.degradation;
    if (dg !== null) {
      if (dg.kind === 'threshold') {
        if (inst.inflight > dg.above) t *= dg.slowdown;
      } else t *= 1 + dg.perInflight * inst.inflight;
    }
    const cs = spec.coldStart;
    if (cs !== null && this.q.now - inst.startedAt < cs.for) t *= cs.slowdown;
    return t;
  }

  private onWorkDone(r: number): void {
    const R = this.reqs;
    const s = this.services[R.svc[r]!] as ServiceState;
    if (s.pauses.length > 0 && this.pausedDuring(s, r)) return;
    const p = s.errorRate;
    if (p > 0 && s.errors.uniform() < p) {
      R.outcome[r] = OUT_ERROR;
      return this.finish(s, r);
    }
    this.nextCall(s, r);
  }

  /** A stop-the-world pause freezes local work: if one fell within `r`'s work, push its completion out by the paused time. */
  private pausedDuring(s: ServiceState, r: number): boolean {
    const now = this.q.now;
    const R = this.reqs;
    const lost = this.faults.pausedWithin(s, R.workFrom[r]!, now);
    if (lost <= 0) return false;
    const resume = this.faults.pauseEndAt(s, now);
    R.workFrom[r] = resume;
    this.q.push(resume + lost, EV_WORK_DONE, r, R.gen[r]!);
    return true;
  }

  /** Moves request `r` to its next call (skipping those its probability rules out), or finishes it. */
  nextCall(s: ServiceState, r: number): void {
    const R = this.reqs;
    const edges = s.edges;
    while (R.callIdx[r]! < edges.length) {
      const e = this.edges[edges[R.callIdx[r]!] as number] as EdgeState;
      if (e.spec.probability >= 1 || e.probability.uniform() < e.spec.probability) return this.calls.begin(e, r);
      R.callIdx[r]!++;
    }
    R.outcome[r] = OUT_OK;
    this.finish(s, r);
  }

  private edgeOf(r: number): EdgeState {
    const s = this.services[this.reqs.svc[r]!] as ServiceState;
    return this.edges[s.edges[this.reqs.callIdx[r]!] as number] as EdgeState;
  }

  /** Request `r` leaves its service with a response (completed or error): free the worker, answer the caller. */
  finish(s: ServiceState, r: number): void {
    const now = this.q.now;
    const R = this.reqs;
    const inst = s.instances[R.inst[r]!] as Instance;
    inst.busy--;
    s.busy--;
    s.inside--;
    const m = s.m;
    if (R.outcome[r] === OUT_OK) {
      this.sink.count(m.completed, 1);
      if (this.retries === true) this.countDuplicate(s, R.op[r]!, R.path[r]!);
    } else this.sink.count(m.errors, 1);
    this.sink.latency(m.latency, now - R.arrivedAt[r]!);
    if (R.callerDone[r] === 1) this.sink.count(m.wasted, 1);
    this.dispatch(s, inst);
    this.levels(s);
    this.respond(r);
  }

  /**
   * Notes that operation `op` completed at `s` by call path `path`; counts a
   * duplicate if the same request (same operation, same path) had already
   * completed there: a retry re-doing work. A service that the topology reaches
   * by several paths (a diamond, two calls) is keyed by path as well, so two
   * branches of one operation are not duplicates of each other.
   */
  private countDuplicate(s: ServiceState, op: number, path: number): void {
    const bit = s.doneBit;
    if (bit === 0 || s.multiPath) return this.countDuplicateByKey(s, op, s.multiPath ? path : 0);
    const O = this.ops;
    const mask = O.doneMask[op]!;
    if ((mask & bit) !== 0) this.sink.count(s.m.duplicates, 1);
    O.doneMask[op] = mask | bit;
  }

  private countDuplicateByKey(s: ServiceState, op: number, path: number): void {
    const sets = this.ops.doneSets;
    let set = sets.get(op);
    if (set === undefined) sets.set(op, (set = new Set()));
    const key = s.index * 4294967296 + (path >>> 0);
    if (set.has(key)) this.sink.count(s.m.duplicates, 1);
    set.add(key);
  }

  /** Sends the response to `r` back across the network, unless the caller already gave up. */
  private respond(r: number): void {
    const R = this.reqs;
    R.calleeDone[r] = 1;
    if (R.callerDone[r] === 1) return this.releaseIfDone(r);
    const edge = R.edge[r]!;
    const net = edge >= 0 ? (this.edges[edge] as EdgeState).network : (this.clients[R.client[r]!] as ClientState).network;
    const d = net.zero === true ? 0 : net.next();
    if (d > 0) this.q.push(this.q.now + d, EV_RESPONSE, r, R.gen[r]!);
    else this.onResponse(r);
  }

  /**
   * Starts waiting requests on free workers of `inst`. FIFO takes the oldest,
   * LIFO the newest; CoDel serves FIFO normally and LIFO while congested
   * (adaptive LIFO), and sheds requests that waited past its limit (answered
   * at once as `rejected`). Under `dropExpired`, requests whose caller already
   * gave up are skipped (`expired`). The caller reports the levels.
   */
  dispatch(s: ServiceState, inst: Instance): void {
    if (s.managedQueue === true) return this.dispatchManaged(s, inst);
    const q = inst.queue;
    while (inst.paused === false && inst.busy < s.workers && q.size > 0) {
      s.queued--;
      this.startWork(s, inst, q.shift());
    }
  }

  /** {@link dispatch} for a LIFO or CoDel queue, or one that drops expired requests. */
  private dispatchManaged(s: ServiceState, inst: Instance): void {
    const now = this.q.now;
    const kind = s.spec.queue.discipline.kind;
    const drop = s.spec.dropExpired;
    const codel = inst.codel;
    const q = inst.queue;
    while (!inst.paused && inst.busy < s.workers && q.size > 0) {
      const lifo = kind === 'lifo' || (codel !== null && codel.isCongested(now));
      const r = lifo ? q.pop() : q.shift();
      s.queued--;
      if (q.size === 0) codel?.onEmpty(now);
      const R = this.reqs;
      if (drop && R.abandoned[r] === 1) {
        R.outcome[r] = OUT_EXPIRED;
        s.inside--;
        this.sink.count(s.m.expired, 1);
        R.calleeDone[r] = 1;
        this.releaseIfDone(r);
        continue;
      }
      if (codel !== null && codel.shouldDrop(now, now - R.queuedAt[r]!)) {
        this.reject(s, r);
        continue;
      }
      this.startWork(s, inst, r);
    }
  }

  // ── instances ────────────────────────────────────────────────────────────

  /**
   * Brings the service's replica count to its base (autoscaler or `instances`)
   * plus the capacity faults in force. New replicas warm up for `warmup`
   * seconds before taking traffic.
   */
  applyInstanceCount(s: ServiceState, warmup: number): void {
    const now = this.q.now;
    const started = s.reconcile(Math.max(0, s.baseInstances + s.faultInstances), now, warmup);
    for (const inst of started) this.q.push(now + warmup, EV_INSTANCE_READY, s.index, inst.index);
    this.instanceLevels(s);
    for (const inst of s.rotation) this.dispatch(s, inst);
    this.levels(s);
  }

  private onInstanceReady(s: ServiceState, index: number): void {
    const inst = s.instances[index] as Instance;
    if (inst.state !== 'warming') return;
    inst.state = 'ready';
    inst.startedAt = this.q.now;
    s.rebuildRotation();
    this.instanceLevels(s);
    this.levels(s);
  }

  private instanceLevels(s: ServiceState): void {
    this.sink.level(s.m.instances, s.provisioned());
    this.sink.level(s.m.ready, s.rotation.length);
  }

  /**
   * Reports the service's stocks that changed since they were last reported
   * (to the trace, and to the autoscaler's integrals): one call at the end of
   * each change, however many steps it took.
   */
  levels(s: ServiceState): void {
    const m = s.m;
    const sink = this.sink;
    const queued = s.queued;
    const busy = s.busy;
    const shown = s.shown;
    if (queued !== shown.queued || busy !== shown.busy) {
      if (s.hpa !== null) s.integrate(this.q.now);
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
  }
}


function fmtTime(t: number): string {
  return `${Math.round(t * 10) / 10} s`;
}
