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
 */
import type { Dist, NormalizedScenario } from '../scenario/types.js';

type EngineDist = Dist | null;
import { EventQueue } from './event-queue.js';
import { ClientState, nextProfileChange } from './model/client.js';
import { isZero, sample } from './model/dist.js';
import { CallPath } from './calls.js';
import { EdgeState } from './model/edge.js';
import { Op, OUT_ERROR, OUT_EXPIRED, OUT_OK, OUT_REJECTED, Pool, Req } from './model/entities.js';
import { FaultState } from './model/fault.js';
import { FAIL_ERROR, FAIL_REJECTED, FAIL_TIMEOUT, retryDelay } from './model/retry.js';
import { evaluateAutoscaler } from './model/scaling.js';
import { Instance, ServiceState } from './model/service.js';
import type { TraceSink } from './trace.js';

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
  readonly ops = new Pool((id) => new Op(id));
  readonly reqs = new Pool((id) => new Req(id));
  readonly calls: CallPath;
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
    this.faults = new FaultState(this);
    this.calls = new CallPath(this);
  }

  /** Runs the handler of the event just popped from `q`. */
  step(): void {
    const q = this.q;
    switch (q.kind) {
      case EV_ARRIVAL:
        return this.onArrival(this.clients[q.a] as ClientState);
      case EV_THINK:
        return this.onThink(this.clients[q.a] as ClientState, q.b);
      case EV_REQ_ARRIVE: {
        const r = this.reqs.items[q.a] as Req;
        if (r.gen === q.b) this.arrive(r);
        return;
      }
      case EV_WORK_DONE: {
        const r = this.reqs.items[q.a] as Req;
        if (r.gen === q.b) this.onWorkDone(r);
        return;
      }
      case EV_RESPONSE: {
        const r = this.reqs.items[q.a] as Req;
        if (r.gen === q.b) this.onResponse(r);
        return;
      }
      case EV_TIMEOUT: {
        const r = this.reqs.items[q.a] as Req;
        if (r.gen === q.b && !r.callerDone) this.onTimeout(r);
        return;
      }
      case EV_OP_RETRY: {
        const op = this.ops.items[q.a] as Op;
        if (op.gen === q.b) this.sendAttempt(op);
        return;
      }
      case EV_CALL_RETRY: {
        const r = this.reqs.items[q.a] as Req;
        if (r.gen === q.b) this.calls.send(this.edgeOf(r), r);
        return;
      }
      case EV_FAULT_START:
        return this.faults.start(q.a);
      case EV_FAULT_END:
        return this.faults.end(q.a);
      case EV_CACHE_DONE: {
        const r = this.reqs.items[q.a] as Req;
        if (r.gen === q.b) this.calls.succeeded(r);
        return;
      }
      case EV_POOL_TIMEOUT: {
        const r = this.reqs.items[q.a] as Req;
        if (r.gen === q.b && r.waitingPool && q.now >= r.poolDeadline) this.calls.onPoolTimeout(r);
        return;
      }
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
      this.scheduleNextArrival(c, 0);
    }
  }

  private scheduleNextArrival(c: ClientState, now: number): void {
    if (c.spec.arrival.kind === 'poisson') {
      // Thinning (Lewis and Shedler): candidates at the peak rate, each kept with probability rate(t)/peak.
      if (c.maxRate > 0) this.q.push(now - Math.log(1 - c.arrivalStream()) / c.maxRate, EV_ARRIVAL, c.index, 0);
      return;
    }
    if (c.spec.arrival.kind !== 'constant') return;
    const r = c.rateAt(now);
    if (r > 0) this.q.push(now + 1 / r, EV_ARRIVAL, c.index, 0);
    else {
      const next = Math.min(nextProfileChange(c.spec.arrival.rate, now), this.faults.nextChangeFor(c.index, now));
      if (Number.isFinite(next)) this.q.push(next, EV_ARRIVAL, c.index, 1);
    }
  }

  private onArrival(c: ClientState): void {
    const now = this.q.now;
    if (c.spec.arrival.kind === 'poisson') {
      if (c.arrivalStream() * c.maxRate < c.rateAt(now)) this.startOp(c, -1);
    } else if (this.q.b === 0) {
      this.startOp(c, -1);
    }
    this.scheduleNextArrival(c, now);
  }

  private scheduleThink(c: ClientState, user: number): void {
    const a = c.spec.arrival;
    if (a.kind !== 'closed') return;
    c.parked[user] = false;
    this.q.push(this.q.now + sample(a.think, c.thinkStream), EV_THINK, c.index, user);
  }

  private onThink(c: ClientState, user: number): void {
    if (user >= c.activeUsers) c.parked[user] = true;
    else this.startOp(c, user);
  }

  /** Wakes parked users below the client's active count (traffic faults on closed loops). */
  wakeUsers(c: ClientState): void {
    for (let u = 0; u < c.activeUsers; u++) if (c.parked[u] !== false) this.scheduleThink(c, u);
  }

  private startOp(c: ClientState, user: number): void {
    const now = this.q.now;
    const op = this.ops.take();
    op.client = c.index;
    op.user = user;
    op.startedAt = now;
    op.attempts = 0;
    op.prevSleep = 0;
    op.done = false;
    op.refs = 1;
    op.doneMask = 0;
    op.doneSet = null;
    c.open++;
    this.sink.count(c.m.offered, now, 1);
    if (c.budget !== null) c.budget.deposit(now);
    this.sendAttempt(op);
  }

  private sendAttempt(op: Op): void {
    const now = this.q.now;
    const c = this.clients[op.client] as ClientState;
    op.attempts++;
    this.sink.count(c.m.attempts, now, 1);
    if (op.attempts > 1) this.sink.count(c.m.retries, now, 1);
    const r = this.newReq(op);
    r.client = c.index;
    r.svc = c.target;
    this.send(r, c.spec.timeout, c.spec.network, c.networkStream);
  }

  private onClientResult(r: Req, fail: number): void {
    const now = this.q.now;
    const op = this.ops.items[r.op] as Op;
    const c = this.clients[op.client] as ClientState;
    if (fail === 0) {
      this.sink.count(c.m.goodput, now, 1);
      this.sink.latency(c.m.latency, now, now - op.startedAt);
      return this.endOp(op, c);
    }
    const p = c.spec.retry;
    if (p !== null && op.attempts < p.attempts && (c.retryMask & (1 << fail)) !== 0 && (c.budget === null || c.budget.tryWithdraw(now))) {
      const d = retryDelay(p, op.attempts, op.prevSleep, c.jitterStream);
      op.prevSleep = d;
      if (d > 0) this.q.push(now + d, EV_OP_RETRY, op.id, op.gen);
      else this.sendAttempt(op);
      return;
    }
    this.sink.count(c.m.failures, now, 1);
    this.endOp(op, c);
  }

  private endOp(op: Op, c: ClientState): void {
    op.done = true;
    c.open--;
    if (op.user >= 0) {
      if (op.user < c.activeUsers) this.scheduleThink(c, op.user);
      else c.parked[op.user] = true;
    }
    this.unrefOp(op);
  }

  private unrefOp(op: Op): void {
    if (--op.refs === 0) this.ops.release(op);
  }

  // ── requests in flight ───────────────────────────────────────────────────

  /** A fresh request record for an attempt of `op` (the caller fills in where it goes). */
  newReq(op: Op): Req {
    const r = this.reqs.take();
    r.op = op.id;
    r.client = -1;
    r.parent = -1;
    r.edge = -1;
    r.inst = -1;
    r.callerDone = false;
    r.calleeDone = false;
    r.abandoned = false;
    r.outcome = OUT_OK;
    r.callIdx = 0;
    r.callTry = 0;
    r.prevSleep = 0;
    r.fillKey = -1;
    r.refreshKey = -1;
    r.conn = false;
    r.waitingPool = false;
    op.refs++;
    return r;
  }

  /** Sends `r` to its service: arms the caller's timer, then crosses the network. */
  send(r: Req, timeout: number | null, network: EngineDist, stream: () => number): void {
    const now = this.q.now;
    r.sentAt = now;
    if (timeout !== null) this.q.push(now + timeout, EV_TIMEOUT, r.id, r.gen);
    const d = isZero(network) ? 0 : sample(network as NonNullable<EngineDist>, stream);
    if (d > 0) this.q.push(now + d, EV_REQ_ARRIVE, r.id, r.gen);
    else this.arrive(r);
  }

  private onTimeout(r: Req): void {
    r.callerDone = true;
    r.abandoned = true;
    const now = this.q.now;
    if (r.edge >= 0) {
      this.sink.count((this.edges[r.edge] as EdgeState).m.timeouts, now, 1);
      this.calls.result(r, FAIL_TIMEOUT);
    } else {
      const c = this.clients[r.client] as ClientState;
      this.sink.count(c.m.timeouts, now, 1);
      this.onClientResult(r, FAIL_TIMEOUT);
      this.releaseIfDone(r);
    }
  }

  private onResponse(r: Req): void {
    if (r.callerDone) return;
    r.callerDone = true;
    const fail = r.outcome === OUT_OK ? 0 : r.outcome === OUT_ERROR ? FAIL_ERROR : FAIL_REJECTED;
    if (r.edge >= 0) {
      this.calls.result(r, fail);
    } else {
      this.onClientResult(r, fail);
      this.releaseIfDone(r);
    }
  }

  /** Frees `r` once both its caller and its callee are done with it. */
  releaseIfDone(r: Req): void {
    if (r.callerDone && r.calleeDone) {
      this.unrefOp(this.ops.items[r.op] as Op);
      this.reqs.release(r);
    }
  }

  // ── services ─────────────────────────────────────────────────────────────

  private arrive(r: Req): void {
    const now = this.q.now;
    const s = this.services[r.svc] as ServiceState;
    this.sink.count(s.m.arrivals, now, 1);
    s.arrivalsSince++;
    s.inside++;
    r.arrivedAt = now;
    const inst = s.pick();
    if (inst === null) return this.reject(s, r);
    r.inst = inst.index;
    if (!inst.paused && inst.busy < s.workers) return this.startWork(s, inst, r);
    if (inst.queue.size >= s.spec.queue.capacity) return this.reject(s, r);
    inst.codel?.onEnqueue(now, inst.queue.size);
    r.queuedAt = now;
    s.integrate(now);
    inst.queue.push(r.id);
    s.queued++;
    if (s.queued > this.limits.maxInflight) {
      throw new RunAborted(
        `the queue of ${s.spec.name} passed ${this.limits.maxInflight.toLocaleString('en-US')} requests at t=${fmtTime(now)}: the system is overloaded; bound the queue or shorten the run`,
        s.spec.name,
        now,
      );
    }
    this.levels(s, now);
  }

  private reject(s: ServiceState, r: Req): void {
    r.outcome = OUT_REJECTED;
    s.inside--;
    this.sink.count(s.m.rejected, this.q.now, 1);
    this.respond(r);
  }

  private startWork(s: ServiceState, inst: Instance, r: Req): void {
    const now = this.q.now;
    s.integrate(now);
    inst.busy++;
    s.busy++;
    this.levels(s, now);
    r.workFrom = now;
    this.q.push(now + this.serviceTime(s, inst), EV_WORK_DONE, r.id, r.gen);
  }

  /**
   * One draw of local work for a request starting now on `inst`:
   * base x latency-fault multiplier x degradation x cold start, plus the latency fault's `add`.
   */
  private serviceTime(s: ServiceState, inst: Instance): number {
    const spec = s.spec;
    let t = sample(spec.serviceTime, s.serviceTimeStream) * s.latencyMul;
    const dg = spec.degradation;
    if (dg !== null) {
      if (dg.kind === 'threshold') {
        if (inst.inflight > dg.above) t *= dg.slowdown;
      } else t *= 1 + dg.perInflight * inst.inflight;
    }
    const cs = spec.coldStart;
    if (cs !== null && this.q.now - inst.startedAt < cs.for) t *= cs.slowdown;
    return t + s.latencyAdd;
  }

  private onWorkDone(r: Req): void {
    const now = this.q.now;
    const s = this.services[r.svc] as ServiceState;
    // A stop-the-world pause freezes local work: push completion out by the paused time.
    if (s.pauses.length > 0) {
      const lost = this.faults.pausedWithin(s, r.workFrom, now);
      if (lost > 0) {
        const resume = this.faults.pauseEndAt(s, now);
        r.workFrom = resume;
        this.q.push(resume + lost, EV_WORK_DONE, r.id, r.gen);
        return;
      }
    }
    const p = s.spec.errorRate + s.extraErrorRate - s.spec.errorRate * s.extraErrorRate;
    if (p > 0 && s.errorStream() < p) {
      r.outcome = OUT_ERROR;
      return this.finish(s, r);
    }
    this.nextCall(s, r);
  }

  /** Moves `r` to its next call (skipping those its probability rules out), or finishes it. */
  nextCall(s: ServiceState, r: Req): void {
    const edges = s.edges;
    while (r.callIdx < edges.length) {
      const e = this.edges[edges[r.callIdx] as number] as EdgeState;
      if (e.spec.probability >= 1 || e.probabilityStream() < e.spec.probability) return this.calls.begin(e, r);
      r.callIdx++;
    }
    r.outcome = OUT_OK;
    this.finish(s, r);
  }

  private edgeOf(r: Req): EdgeState {
    const s = this.services[r.svc] as ServiceState;
    return this.edges[s.edges[r.callIdx] as number] as EdgeState;
  }

  /** The request leaves its service with a response (completed or error): free the worker, answer the caller. */
  finish(s: ServiceState, r: Req): void {
    const now = this.q.now;
    const inst = s.instances[r.inst] as Instance;
    s.integrate(now);
    inst.busy--;
    s.busy--;
    s.inside--;
    const m = s.m;
    if (r.outcome === OUT_OK) {
      this.sink.count(m.completed, now, 1);
      this.countDuplicate(s, r, now);
    } else this.sink.count(m.errors, now, 1);
    this.sink.latency(m.latency, now, now - r.arrivedAt);
    if (r.callerDone) this.sink.count(m.wasted, now, 1);
    // dispatch reports the stocks when it starts someone; otherwise report the freed worker here.
    if (!this.dispatch(s, inst)) this.levels(s, now);
    this.respond(r);
  }

  private countDuplicate(s: ServiceState, r: Req, now: number): void {
    const op = this.ops.items[r.op] as Op;
    const i = s.index;
    if (i < 31) {
      const bit = 1 << i;
      if ((op.doneMask & bit) !== 0) this.sink.count(s.m.duplicates, now, 1);
      op.doneMask |= bit;
    } else {
      op.doneSet ??= new Set();
      if (op.doneSet.has(i)) this.sink.count(s.m.duplicates, now, 1);
      op.doneSet.add(i);
    }
  }

  /** Sends the response back across the network, unless the caller already gave up. */
  private respond(r: Req): void {
    r.calleeDone = true;
    if (r.callerDone) return this.releaseIfDone(r);
    let net: EngineDist;
    let stream: () => number;
    if (r.edge >= 0) {
      const e = this.edges[r.edge] as EdgeState;
      net = e.spec.network;
      stream = e.networkStream;
    } else {
      const c = this.clients[r.client] as ClientState;
      net = c.spec.network;
      stream = c.networkStream;
    }
    const d = isZero(net) ? 0 : sample(net as NonNullable<EngineDist>, stream);
    if (d > 0) this.q.push(this.q.now + d, EV_RESPONSE, r.id, r.gen);
    else this.onResponse(r);
  }

  /**
   * Starts waiting requests on free workers of `inst`. FIFO takes the oldest,
   * LIFO the newest; CoDel serves FIFO normally and LIFO while congested
   * (adaptive LIFO), and sheds requests that waited past its limit (answered
   * at once as `rejected`). Under `dropExpired`, requests whose caller already
   * gave up are skipped (`expired`).
   */
  dispatch(s: ServiceState, inst: Instance): boolean {
    const now = this.q.now;
    const kind = s.spec.queue.discipline.kind;
    const drop = s.spec.dropExpired;
    const codel = inst.codel;
    const q = inst.queue;
    let changed = false;
    while (!inst.paused && inst.busy < s.workers && q.size > 0) {
      const lifo = kind === 'lifo' || (codel !== null && codel.isCongested(now));
      const id = lifo ? q.pop() : q.shift();
      if (!changed) s.integrate(now);
      changed = true;
      s.queued--;
      if (q.size === 0) codel?.onEmpty(now);
      const r = this.reqs.items[id] as Req;
      if (drop && r.abandoned) {
        r.outcome = OUT_EXPIRED;
        s.inside--;
        this.sink.count(s.m.expired, now, 1);
        r.calleeDone = true;
        this.releaseIfDone(r);
        continue;
      }
      if (codel !== null && codel.shouldDrop(now, now - r.queuedAt)) {
        this.reject(s, r);
        continue;
      }
      this.startWork(s, inst, r);
    }
    if (changed) this.levels(s, now);
    return changed;
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
    this.instanceLevels(s, now);
    for (const inst of s.rotation) this.dispatch(s, inst);
    this.levels(s, now);
  }

  private onInstanceReady(s: ServiceState, index: number): void {
    const inst = s.instances[index] as Instance;
    if (inst.state !== 'warming') return;
    inst.state = 'ready';
    inst.startedAt = this.q.now;
    s.rebuildRotation();
    this.instanceLevels(s, this.q.now);
    this.levels(s, this.q.now);
  }

  private instanceLevels(s: ServiceState, now: number): void {
    this.sink.level(s.m.instances, now, s.provisioned());
    this.sink.level(s.m.ready, now, s.rotation.length);
  }

  /** Reports the service's stocks after a change. */
  levels(s: ServiceState, now: number): void {
    const m = s.m;
    const sink = this.sink;
    sink.level(m.queue, now, s.queued);
    sink.level(m.busy, now, s.busy);
    sink.level(m.inflight, now, s.queued + s.busy);
    if (m.utilization >= 0) {
      const cap = s.workers * s.rotation.length;
      sink.level(m.utilization, now, cap > 0 ? Math.min(1, s.busy / cap) : s.busy > 0 ? 1 : 0);
    }
  }
}


function fmtTime(t: number): string {
  return `${Math.round(t * 10) / 10} s`;
}
