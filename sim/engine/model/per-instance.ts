/**
 * A service's series per replica (`perInstance: true`): in-flight,
 * utilization and errors for each replica slot (sim/scenario/replica-slots.ts
 * says what a slot is), and the levels last reported, so that only changes
 * are reported. Created only for a service that asks for it.
 */
import { defineMetric, type DirectMetricOf } from '../../scenario/metric-catalogue.js';
import { instanceHas, instanceName } from '../../scenario/replica-slots.js';
import type { Service } from '../../scenario/types.js';
import type { TraceSink } from '../../metrics/trace.js';

/** One service's per-replica metric ids and the levels last shown, by slot. */
export class PerInstance {
  /** Slots the series cover (replica indices 0 to slots - 1). */
  readonly slots: number;
  readonly inflight: Int32Array;
  /** -1 per slot with unlimited workers. */
  readonly utilization: Int32Array;
  readonly errors: Int32Array;
  /** In-flight and utilization as last reported, per slot (utilization NaN while the slot is empty). */
  readonly shownInflight: Float64Array;
  readonly shownUtilization: Float64Array;
  // Scratch for one report: per slot, requests inside, workers busy, a replica in service, a replica in rotation.
  readonly sumInflight: Float64Array;
  readonly sumBusy: Float64Array;
  readonly held: Uint8Array;
  readonly serving: Uint8Array;

  /**
   * Declares the series of service `s`'s `slots` replica slots on `sink`,
   * slot by slot in catalogue order, each starting as the run does: the first
   * `s.instances` slots hold a ready, idle replica, the others none.
   */
  constructor(sink: TraceSink, s: Service, slots: number) {
    this.slots = slots;
    this.inflight = new Int32Array(slots);
    this.utilization = new Int32Array(slots);
    this.errors = new Int32Array(slots);
    this.shownInflight = new Float64Array(slots);
    this.shownUtilization = new Float64Array(slots);
    this.sumInflight = new Float64Array(slots);
    this.sumBusy = new Float64Array(slots);
    this.held = new Uint8Array(slots);
    this.serving = new Uint8Array(slots);
    const bounded = Number.isFinite(s.workers);
    for (let i = 0; i < slots; i++) {
      const u = i < s.instances ? 0 : NaN;
      const def = (metric: DirectMetricOf<'instance'>, initial?: number): number =>
        defineMetric(sink, 'instance', instanceName(s.name, i), metric, (r) => instanceHas(true, bounded, r), initial);
      this.inflight[i] = def('inflight');
      this.utilization[i] = def('utilization', u);
      this.errors[i] = def('errors');
      this.shownUtilization[i] = u;
    }
  }
}

/**
 * A slot's utilization: busy / `workers` (at most 1) while a replica there is
 * in rotation; as the service's own without a replica in rotation, 1 when it
 * holds work and 0 when it does not; NaN (an empty bucket) when no replica
 * holds the slot at all.
 */
export function slotUtilization(busy: number, inflight: number, workers: number, held: boolean, serving: boolean): number {
  if (serving && workers > 0) return Math.min(1, busy / workers);
  if (busy > 0) return 1;
  return held || inflight > 0 ? 0 : NaN;
}
