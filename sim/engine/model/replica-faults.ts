/**
 * Faults that hit some replicas of a service rather than all of them: one
 * replica by its number (`target: api[2]`), a count of replicas, or a share
 * of them. A slow replica (a gray failure), one that fails fast, one in a GC
 * pause: the rest of the service is healthy, and what the balancer does with
 * the sick replica decides the outcome.
 *
 * The replicas are chosen when the window opens, among those in service then
 * (ready or warming), lowest-numbered first; replicas that start during the
 * window are not hit. The window's effect on a chosen replica combines with
 * the service-wide faults as those combine with each other (model/fault.ts):
 * multipliers multiply, additions add, failure chances are independent.
 *
 * A crash takes its replicas down for its window (or the service's crash
 * trigger, `crashWhen`, for its restart delay): a down replica stays in
 * the balancer's rotation (nothing checks its health) and fails each request
 * at once, as a dead process refuses connections; a crash overrides every
 * other window on the replica. When the window closes the replica restarts,
 * cold (the service's coldStart counts from then).
 *
 * This module is arithmetic only: which replicas a window picks and what the
 * open windows do to each replica. Applying it is handlers/replica-faults.ts.
 */
import type { Fault, ReplicaPick } from '../../scenario/types.js';
import { mergeWindows, type PauseWindow } from './fault.js';

/** A fault that names the replicas it hits (a latency, errors or pause fault with `replicas`, or a crash). */
export type ReplicaFault = Extract<Fault, { kind: 'latency' | 'errors' | 'pause' | 'crash' }> & { readonly replicas: ReplicaPick };

/** Whether `f` hits chosen replicas rather than the whole service (a crash always does: every replica when it names none). */
export function isReplicaFault(f: Fault): f is ReplicaFault {
  return (f.kind === 'latency' || f.kind === 'errors' || f.kind === 'pause' || f.kind === 'crash') && f.replicas !== undefined;
}

/** What the replica windows open now do to one replica, combined (the service-wide faults come on top). */
export interface ReplicaEffects {
  /** Seconds added to each request's local work. */
  readonly latencyAdd: number;
  /** Factor on each request's local work. */
  readonly latencyMul: number;
  /** Chance that a request fails from these windows alone. */
  readonly errorRate: number;
  readonly paused: boolean;
  /** A crash holds this replica down: it fails every request at once (no local work), until its restart. */
  readonly down: boolean;
}

/** The effects of no window. */
export const NO_REPLICA_EFFECTS: ReplicaEffects = { latencyAdd: 0, latencyMul: 1, errorRate: 0, paused: false, down: false };

/** The effects on a replica that is down: every request fails, after no local work. */
const DOWN: ReplicaEffects = { latencyAdd: 0, latencyMul: 0, errorRate: 1, paused: false, down: true };

/**
 * The replicas a window picks: `inService` are the numbers of the replicas
 * ready or warming when it opens, in increasing order. A count takes the
 * first ones, a share the first ceil(share x n); a number takes that replica
 * if it is in service.
 */
export function pickReplicas(pick: ReplicaPick, inService: readonly number[]): number[] {
  switch (pick.kind) {
    case 'index':
      return inService.includes(pick.index) ? [pick.index] : [];
    case 'count':
      return inService.slice(0, pick.count);
    case 'share':
      // A tiny epsilon keeps 30% of 10 at 3, not 4, despite 0.3 x 10 = 3.0000000000000004.
      return inService.slice(0, Math.ceil(pick.share * inService.length - 1e-9));
  }
}

/** The replica windows of one service: which are open, and the replicas each one picked. */
export class ReplicaFaults {
  /** The service's replica faults, by their index in the scenario's fault list. */
  private readonly faults = new Map<number, ReplicaFault>();
  /** Open windows (by fault index) and the replica numbers each picked. */
  private readonly open = new Map<number, readonly number[]>();
  /** Whether some window slows replicas (their local work then goes through the shaped path). */
  readonly slows: boolean;
  /** Whether some window pauses replicas. */
  readonly pauses: boolean;
  /** Whether some window crashes replicas (their local work then goes through the shaped path: a down replica does none). */
  readonly crashes: boolean;

  /** Replicas down by the service's crash trigger (`crashWhen`), until their restart. */
  private readonly tripped = new Set<number>();
  /** Whether the service has a crash trigger (`crashWhen`). */
  private readonly trips: boolean;

  /**
   * `faults`: the scenario's whole fault list; only the replica faults on
   * `service` are kept. `trips`: the service has a crash trigger, which takes
   * replicas down as a crash fault does.
   */
  constructor(faults: readonly Fault[], service: string, trips = false) {
    faults.forEach((f, i) => {
      if (f.target === service && isReplicaFault(f)) this.faults.set(i, f);
    });
    const kinds = [...this.faults.values()].map((f) => f.kind);
    this.slows = kinds.includes('latency');
    this.pauses = kinds.includes('pause');
    this.crashes = kinds.includes('crash') || trips;
    this.trips = trips;
  }

  /** Whether the service has any replica fault, or a crash trigger. */
  get any(): boolean {
    return this.faults.size > 0 || this.trips;
  }

  /** The crash trigger takes replica `index` down (`down`) or lets it restart. */
  setTripped(index: number, down: boolean): void {
    if (down) this.tripped.add(index);
    else this.tripped.delete(index);
  }

  /** Whether fault `i` is one of this service's replica faults. */
  has(i: number): boolean {
    return this.faults.has(i);
  }

  /** The windows of the faults that pause replicas, sorted by start (whichever replicas they pick). */
  pauseWindows(): PauseWindow[] {
    const out: PauseWindow[] = [];
    for (const f of this.faults.values()) if (f.kind === 'pause') out.push({ start: f.at, end: f.at + f.for });
    return out.sort((a, b) => a.start - b.start);
  }

  /** Window `i` opens on the replicas `inService` (numbers, increasing); returns the replicas it picked. */
  openWindow(i: number, inService: readonly number[]): readonly number[] {
    const f = this.faults.get(i) as ReplicaFault;
    const picked = pickReplicas(f.replicas, inService);
    this.open.set(i, picked);
    return picked;
  }

  /** Fault `i`, a replica fault of this service, now has the sizes of `f` (a ramp's next step). */
  resize(i: number, f: Fault): void {
    if (this.faults.has(i) && isReplicaFault(f)) this.faults.set(i, f);
  }

  /** Window `i` closes. */
  closeWindow(i: number): void {
    this.open.delete(i);
  }

  /** The combined effects on replica `index` of the windows open now. */
  effectsOn(index: number): ReplicaEffects {
    if (this.tripped.has(index)) return DOWN;
    let add = 0,
      mul = 1,
      ok = 1,
      paused = false,
      hit = false;
    for (const [i, picked] of this.open) {
      if (!picked.includes(index)) continue;
      const f = this.faults.get(i) as ReplicaFault;
      if (f.kind === 'crash') return DOWN;
      hit = true;
      if (f.kind === 'latency') {
        add += f.add;
        mul *= f.multiply;
      } else if (f.kind === 'errors') ok *= 1 - f.rate;
      else paused = true;
    }
    return hit ? { latencyAdd: add, latencyMul: mul, errorRate: 1 - ok, paused, down: false } : NO_REPLICA_EFFECTS;
  }
}

/** `windows` with [start, end) added, merged as {@link mergeWindows} does. */
export function addWindow(windows: readonly PauseWindow[], start: number, end: number): PauseWindow[] {
  return mergeWindows([...windows, { start, end }]);
}
