/**
 * The engine: which handler runs when an event fires. `run.ts` builds an
 * {@link Engine}, seeds its queue ({@link Engine.start}) and pops events;
 * {@link Engine.step} hands each to its handler. The handlers, grouped by
 * what they act on, are in handlers/; the state they share, and the five
 * steps of a request's life that go from one group up to another, are in
 * state.ts.
 *
 * The life of a request (one attempt at one service):
 *   sent ─network→ arrives ─balancer→ instance: start work | wait | rejected
 *   work done → error? → calls in order (each: send, wait, retry) → respond
 *   ─network→ caller, unless the caller's timeout already fired (then the work
 *   was `wasted`, or, with `dropExpired`, skipped at dequeue as `expired`).
 *
 *   handlers/clients.ts      arrivals, users, operations, a client's retries
 *   handlers/requests.ts     the wire: send, respond, response, timeout, release
 *   handlers/services.ts     arrival, work, queue, finish, stock levels
 *   handlers/instances.ts    replica counts, warm-up
 *   handlers/calls.ts        a call's cache, breaker, pool, retries
 *   handlers/faults.ts       fault windows opening and closing
 *   handlers/autoscaling.ts  the HPA's periodic evaluation
 *   handlers/brokers.ts      publishing, receiving, deleting, redelivering messages
 *   handlers/retry.ts        the retry decision, one for clients and calls
 *   handlers/rate-limits.ts  token buckets: take, wait, refuse (a client's and a call's lines: clients.ts, calls.ts)
 *   handlers/bursts.ts       a burst's extra operations
 *   handlers/outliers.ts     outlier detection: ejecting replicas that fail in a row
 *   handlers/crash-triggers.ts  crashWhen: a replica that stays loaded crashes, restarts
 *
 * The handlers are plain functions taking the engine as first argument,
 * called directly: V8 inlines them as it did the methods they once were,
 * with no dispatch through objects on the hot path.
 */
import {
  ARRIVAL_DUE,
  AUTOSCALE_DUE,
  BURST_OP_DUE,
  CACHE_READ_DONE,
  CALL_BACKOFF_ENDED,
  FALLBACK_DONE,
  FAULT_ENDED,
  FAULT_STARTED,
  FAULT_STEPPED,
  INSTANCE_WARMED,
  LIMIT_TOKEN_READY,
  LOAD_HELD,
  MESSAGE_TIMER_ENDED,
  OP_BACKOFF_ENDED,
  POOL_WAIT_EXPIRED,
  REQUEST_ARRIVED,
  RESTART_DELAY_ENDED,
  RESPONSE_ARRIVED,
  THINK_ENDED,
  TIMEOUT_FIRED,
  HEDGE_DUE,
  TOKEN_READY,
  OUTLIER_SWEEP,
  HEALTH_CHECK_DUE,
  WORK_DONE,
} from './events.js';
import { onAutoscaleDue, scheduleAutoscalers } from './handlers/autoscaling.js';
import { onMessageTimerEnded } from './handlers/brokers.js';
import { onBurstOpDue } from './handlers/bursts.js';
import { beginCall, callResult, onCallBackoffEnded, onCallTokenReady, onHedgeDue, onPoolWaitExpired, succeeded } from './handlers/calls.js';
import { onLoadHeld, onRestartDelayEnded } from './handlers/crash-triggers.js';
import { clientResult, onArrivalDue, onClientTokenReady, onThinkEnded, onOpBackoffEnded, startClient } from './handlers/clients.js';
import { onFaultEnded, onFaultStarted, onFaultStepped } from './handlers/faults.js';
import { rampStepTimes } from './model/fault.js';
import { onInstanceWarmed, onOutlierSweep } from './handlers/instances.js';
import { scheduleOutlierSweeps } from './handlers/outliers.js';
import { onHealthCheckDue, scheduleHealthChecks } from './handlers/health-checks.js';
import { limitIngress, onTokenReady } from './handlers/rate-limits.js';
import { refuseOverLimit } from './handlers/concurrency-limits.js';
import { onResponse, onTimeout } from './handlers/requests.js';
import { arrive, onWorkDone } from './handlers/services.js';
import type { ClientState } from './model/client.js';
import type { EdgeState } from './model/edge.js';
import type { ServiceState } from './model/service.js';
import { EngineState } from './state.js';

export { RunAborted, type EngineLimits } from './state.js';

export class Engine extends EngineState {
  /** Seeds the queue: every fault window's ends, every client's first arrival or think, every autoscaler's first evaluation. */
  start(): void {
    this.scenario.faults.forEach((f, i) => {
      this.q.push(f.at, FAULT_STARTED, i, 0);
      if (f.for > 0) this.q.push(f.at + f.for, FAULT_ENDED, i, 0);
      for (const t of rampStepTimes(f)) if (t < f.at + f.for) this.q.push(t, FAULT_STEPPED, i, 0);
    });
    for (const c of this.clients) startClient(this, c);
    scheduleAutoscalers(this);
    scheduleOutlierSweeps(this);
    scheduleHealthChecks(this);
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
      case ARRIVAL_DUE:
        return onArrivalDue(this, this.clients[q.a] as ClientState, q.b);
      case REQUEST_ARRIVED:
        if (R.gen[r] === q.b) arrive(this, r);
        return;
      case WORK_DONE:
        if (R.gen[r] === q.b) onWorkDone(this, r);
        return;
      case RESPONSE_ARRIVED:
        if (R.gen[r] === q.b) onResponse(this, r);
        return;
      case TIMEOUT_FIRED:
        if (R.gen[r] === q.b && R.callerDone[r] === 0) onTimeout(this, r);
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
      case THINK_ENDED:
        return onThinkEnded(this, this.clients[q.a] as ClientState, q.b);
      case OP_BACKOFF_ENDED:
        if (this.ops.gen[q.a] === q.b) onOpBackoffEnded(this, this.clients[this.ops.client[q.a]!] as ClientState, q.a);
        return;
      case CALL_BACKOFF_ENDED:
        if (R.gen[r] === q.b) onCallBackoffEnded(this, r);
        return;
      case FAULT_STARTED:
        return onFaultStarted(this, q.a);
      case FAULT_ENDED:
        return onFaultEnded(this, q.a);
      case FAULT_STEPPED:
        return onFaultStepped(this, q.a);
      case CACHE_READ_DONE:
        if (R.gen[r] === q.b) succeeded(this, r);
        return;
      case POOL_WAIT_EXPIRED:
        if (R.gen[r] === q.b && R.waitingPool[r] === 1 && q.now >= R.poolDeadline[r]!) onPoolWaitExpired(this, r);
        return;
      case AUTOSCALE_DUE:
        return onAutoscaleDue(this, this.services[q.a] as ServiceState);
      case INSTANCE_WARMED:
        return onInstanceWarmed(this, this.services[q.a] as ServiceState, q.b);
      case MESSAGE_TIMER_ENDED:
        return onMessageTimerEnded(this, q.a, q.b);
      case FALLBACK_DONE:
        if (R.gen[r] === q.b) succeeded(this, r);
        return;
      case TOKEN_READY:
        return onTokenReady(this, this.services[q.a] as ServiceState);
      case BURST_OP_DUE:
        return onBurstOpDue(this, q.a, q.b);
      case OUTLIER_SWEEP:
        return onOutlierSweep(this, this.services[q.a] as ServiceState);
      case LIMIT_TOKEN_READY:
        if (q.b < 0) return onClientTokenReady(this, this.clients[q.a] as ClientState);
        return onCallTokenReady(this, this.edges[q.a] as EdgeState, q.b);
      case LOAD_HELD:
        return onLoadHeld(this, this.services[q.a] as ServiceState, q.b);
      case RESTART_DELAY_ENDED:
        return onRestartDelayEnded(this, this.services[q.a] as ServiceState, q.b);
      case HEDGE_DUE:
        if (R.gen[r] === q.b) onHedgeDue(this, r, q.b);
        return;
      case HEALTH_CHECK_DUE:
        return onHealthCheckDue(this, this.services[q.a] as ServiceState);
    }
  }

  // The steps that go up from one group of handlers to another (see state.ts).

  arrive(r: number): void {
    arrive(this, r);
  }

  clientResult(r: number, fail: number): void {
    clientResult(this, r, fail);
  }

  callResult(child: number, fail: number): void {
    callResult(this, child, fail);
  }

  beginCall(e: EdgeState, parent: number): void {
    beginCall(this, e, parent);
  }

  limitIngress(s: ServiceState, r: number): boolean {
    const c = s.concurrency;
    if (c !== null && refuseOverLimit(this, s, c, r)) return true;
    return s.limiter !== null && limitIngress(this, s, r);
  }
}
