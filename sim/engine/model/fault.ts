/**
 * Faults: perturbations that hold for a window [at, at + for). At the start and
 * the end of each window the affected component's fault state is recomputed
 * from every window active at that moment, so overlapping faults combine
 * (latency: multipliers multiply and additions add; errors: independent
 * failure chances; capacity: deltas add; traffic: multipliers multiply) and
 * nothing drifts from undoing a change by arithmetic.
 *
 * - latency  applies to local work that starts inside the window.
 * - errors   a request finishing local work inside the window fails with the given chance,
 *            independently of the service's baseline `errorRate`.
 * - capacity `instances: -k` retires k instances (the newest first): they leave the
 *            balancer's rotation and finish what they hold and what waits in their
 *            queues; `+k` starts k new instances, ready at once (and cold, if the
 *            service has `coldStart`). When the window ends the count returns.
 *            `workers: ±k` changes every instance's worker count, never below 0.
 * - traffic  multiplies an open-loop client's rate; for a closed loop it multiplies the
 *            number of active users (extra users join at the start, and leave at the end
 *            once their current operation is answered).
 * - pause    every instance of the service stops: no work starts, and work in progress
 *            makes no progress until the window ends (stop-the-world GC).
 * - link     messages on a call edge are delayed, or lost (model/link.ts).
 *
 * A size that ramps (`ramps` on the fault) moves in RAMP_STEPS equal steps
 * over its `over`, each step an event (FAULT_STEPPED) that sets the target
 * afresh as a window's ends do; between steps the size is constant, so the
 * paths that read it pay nothing for the ramp.
 *
 * A latency, errors or pause fault that names replicas (`api[2]`, `replicas`)
 * hits only those: model/replica-faults.ts. A latency fault that names keys
 * slows only the work of operations with those keys ({@link KeyedLatency}).
 *
 * This module is the arithmetic of the windows and knows nothing of the
 * engine; applying the combined effects to services and clients is the
 * engine's part (handlers/faults.ts).
 */
import { edgeTargeted } from '../../scenario/edge-names.js';
import { RAMP_STEPS, type Fault } from '../../scenario/types.js';

/** A window [start, end) during which a service is paused. */
export interface PauseWindow {
  readonly start: number;
  readonly end: number;
}

/** What the fault windows open now do to one service, combined. */
export interface ServiceFaultEffects {
  /** Seconds added to each request's local work. */
  readonly latencyAdd: number;
  /** Factor on each request's local work. */
  readonly latencyMul: number;
  /** Chance that a request fails from the error faults alone. */
  readonly errorRate: number;
  /** Replicas added (or, negative, taken away). */
  readonly instances: number;
  /** Workers per replica added (or taken away). */
  readonly workers: number;
  readonly paused: boolean;
}

/** The fault windows of a run and which of them are open. */
export class FaultWindows {
  readonly faults: readonly Fault[];
  private readonly open: boolean[];
  /** Each fault with its ramped sizes at their current step (the fault itself when nothing ramps). */
  private readonly sized: Fault[];

  constructor(faults: readonly Fault[]) {
    this.faults = faults;
    this.open = faults.map(() => false);
    this.sized = faults.map((f) => (f.ramps === undefined ? f : steppedFault(f, 0)));
  }

  /** Fault `i` with its ramped sizes as they stand at time `now` (its step then); returns it. */
  step(i: number, now: number): Fault {
    const f = this.faults[i] as Fault;
    const out = f.ramps === undefined ? f : steppedFault(f, now - f.at);
    this.sized[i] = out;
    return out;
  }

  /** Marks window `i` open (`true`) or closed; returns its fault. */
  set(i: number, open: boolean): Fault {
    this.open[i] = open;
    return this.faults[i] as Fault;
  }

  /** The combined effects on service `name` of the windows open now. */
  serviceEffects(name: string): ServiceFaultEffects {
    let add = 0,
      mul = 1,
      ok = 1,
      instances = 0,
      workers = 0,
      paused = false;
    this.sized.forEach((g, j) => {
      // A fault that names replicas acts on them alone (model/replica-faults.ts); one that names keys, on their work alone.
      if (!this.open[j] || g.target !== name || ('replicas' in g && g.replicas !== undefined) || ('keys' in g && g.keys !== undefined))
        return;
      if (g.kind === 'latency') {
        add += g.add;
        mul *= g.multiply;
      } else if (g.kind === 'errors') ok *= 1 - g.rate;
      else if (g.kind === 'capacity') {
        instances += g.instances;
        workers += g.workers;
      } else if (g.kind === 'pause') paused = true;
    });
    return { latencyAdd: add, latencyMul: mul, errorRate: 1 - ok, instances, workers, paused };
  }

  /**
   * The combined effect on call edge `edge` of the link windows open now:
   * delays add, and a message survives each loss independently.
   */
  linkEffects(edge: string): { readonly delay: number; readonly loss: number } {
    let delay = 0,
      ok = 1;
    this.sized.forEach((g, j) => {
      if (this.open[j] && g.kind === 'link' && edgeTargeted(edge, g.target)) {
        delay += g.delay;
        ok *= 1 - g.loss;
      }
    });
    return { delay, loss: 1 - ok };
  }

  /** The latency faults on keys of service `name` open now, each with its size at its current step. */
  keyedLatency(name: string): KeyedSlowdown[] {
    const out: KeyedSlowdown[] = [];
    this.sized.forEach((g, j) => {
      if (this.open[j] && g.kind === 'latency' && g.target === name && g.keys !== undefined)
        out.push({ from: g.keys.from, to: g.keys.to, add: g.add, multiply: g.multiply });
    });
    return out;
  }

  /** The combined traffic multiplier on client `name` of the windows open now. */
  trafficMultiplier(name: string): number {
    let mul = 1;
    this.sized.forEach((g, j) => {
      if (this.open[j] && g.kind === 'traffic' && g.target === name) mul *= g.multiply;
    });
    return mul;
  }

  /** The next time after `now` at which a traffic window of client `name` opens or closes (Infinity if none). */
  nextTrafficChange(name: string, now: number): number {
    let next = Infinity;
    for (const f of this.faults) {
      if (f.kind !== 'traffic' || f.target !== name) continue;
      if (f.at > now) next = Math.min(next, f.at);
      else if (f.at + f.for > now) next = Math.min(next, f.at + f.for, nextRampStep(f, now));
    }
    return next;
  }
}

/** One open latency fault on keys: the work of an operation with a key in from..to takes `t x multiply + add`. */
export interface KeyedSlowdown {
  readonly from: number;
  readonly to: number;
  readonly add: number;
  readonly multiply: number;
}

/**
 * The latency faults on keys of one service (one slow tenant): which are open
 * now, and what they do to a draw of local work for a given key. Overlapping
 * windows combine as service-wide ones do, multipliers multiplying and
 * additions adding, for the keys in both ranges.
 */
export class KeyedLatency {
  /** The faults open now; empty outside their windows. */
  open: readonly KeyedSlowdown[] = [];

  /** Local work `t` of an operation with key `key` (-1: none), slowed by the open faults whose range holds the key. */
  apply(t: number, key: number): number {
    let mul = 1;
    let add = 0;
    for (const f of this.open) {
      if (key < f.from || key > f.to) continue;
      mul *= f.multiply;
      add += f.add;
    }
    return t * mul + add;
  }
}

/** Whether some latency fault on service `service` names keys. */
export function hasKeyedLatency(faults: readonly Fault[], service: string): boolean {
  return faults.some((f) => f.kind === 'latency' && f.target === service && f.keys !== undefined);
}

/** The largest traffic multiplier client `client` can see at once (for Poisson thinning). */
export function maxTrafficMultiplier(faults: readonly Fault[], client: string): number {
  let m = 1;
  for (const f of faults) {
    if (f.kind !== 'traffic' || f.target !== client) continue;
    const most = Math.max(f.multiply, f.ramps?.find((r) => r.field === 'multiply')?.from ?? 0);
    if (most > 1) m *= most;
  }
  return m;
}

/** The pause windows of service `service` that hit every replica, sorted by start, overlapping ones merged. */
export function pauseWindows(faults: readonly Fault[], service: string): PauseWindow[] {
  const out: PauseWindow[] = [];
  for (const f of faults)
    if (f.kind === 'pause' && f.target === service && f.replicas === undefined) out.push({ start: f.at, end: f.at + f.for });
  return mergeWindows(out);
}

/** `windows` sorted by start, with overlapping or touching windows merged, so that no paused second counts twice. */
export function mergeWindows(windows: readonly PauseWindow[]): PauseWindow[] {
  const out: PauseWindow[] = [];
  for (const w of [...windows].sort((a, b) => a.start - b.start)) {
    const last = out[out.length - 1];
    if (last !== undefined && w.start <= last.end) out[out.length - 1] = { start: last.start, end: Math.max(last.end, w.end) };
    else out.push(w);
  }
  return out;
}

/** Seconds of [from, to) that fall within `pauses` (sorted by start, as {@link pauseWindows} gives them). */
export function pausedWithin(pauses: readonly PauseWindow[], from: number, to: number): number {
  let lost = 0;
  for (const p of pauses) {
    if (p.start >= to) break;
    const a = Math.max(from, p.start);
    const b = Math.min(to, p.end);
    if (b > a) lost += b - a;
  }
  return lost;
}

/** `now`, or the end of the pause window (of `pauses`) that contains `now`, following windows that chain. */
export function pauseEndAt(pauses: readonly PauseWindow[], now: number): number {
  let t = now;
  for (const p of pauses) if (p.start <= t && t < p.end) t = p.end;
  return t;
}

/** Whether some link fault names call edge `edge`. */
export function hasLinkFault(faults: readonly Fault[], edge: string): boolean {
  return faults.some((f) => f.kind === 'link' && edgeTargeted(edge, f.target));
}

/** Which step of `RAMP_STEPS` a ramp of length `over` is on, `elapsed` seconds into its window (RAMP_STEPS once done). */
function rampStep(over: number, elapsed: number): number {
  // The small slack puts a step's own event on that step, whatever the rounding of at + k * over / RAMP_STEPS.
  return Math.max(0, Math.min(RAMP_STEPS, Math.floor((elapsed / over) * RAMP_STEPS + 1e-9)));
}

/**
 * Fault `f`, `elapsed` seconds into its window, with each ramped size at its
 * current step: step k of a ramp from `from` to `to` holds the value of the
 * straight line at the middle of the step, from + (to - from) (k + 1/2) / RAMP_STEPS,
 * and from `at + over` on the size is `to`.
 */
export function steppedFault(f: Fault, elapsed: number): Fault {
  if (f.ramps === undefined) return f;
  const out: Record<string, unknown> = { ...f };
  for (const r of f.ramps) {
    const to = (f as unknown as Record<string, number>)[r.field] as number;
    const k = rampStep(r.over, elapsed);
    out[r.field] = k >= RAMP_STEPS ? to : r.from + ((to - r.from) * (k + 0.5)) / RAMP_STEPS;
  }
  return out as unknown as Fault;
}

/** The times at which fault `f`'s ramped sizes change step, after its start (duplicates and all). */
export function rampStepTimes(f: Fault): number[] {
  const out: number[] = [];
  for (const r of f.ramps ?? []) for (let k = 1; k <= RAMP_STEPS; k++) out.push(f.at + (k * r.over) / RAMP_STEPS);
  return out;
}

/** The next time after `now` at which a ramp of fault `f` changes step (Infinity if none). */
function nextRampStep(f: Fault, now: number): number {
  let next = Infinity;
  for (const r of f.ramps ?? []) {
    const k = rampStep(r.over, now - f.at);
    if (k >= RAMP_STEPS) continue;
    let t = f.at + ((k + 1) * r.over) / RAMP_STEPS;
    if (t <= now) t = f.at + ((k + 2) * r.over) / RAMP_STEPS;
    next = Math.min(next, t);
  }
  return next;
}
