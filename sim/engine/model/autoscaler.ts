/**
 * Horizontal autoscaler with the Kubernetes HorizontalPodAutoscaler algorithm
 * (autoscaling/v2, the default `behavior`), plus the metric history that gives
 * it stale metrics.
 *
 * Knob mapping (Kubernetes → `Autoscale` field):
 *   metrics[].target (averageUtilization / averageValue)   target, in the unit of `metric`
 *   --horizontal-pod-autoscaler-sync-period (15 s)         period: how often the lead calls `evaluate`
 *   metrics pipeline delay (scrape + metrics-server window) lag: the lead feeds `MetricHistory.valueAt(now − lag)`
 *   --horizontal-pod-autoscaler-tolerance / spec tolerance  tolerance (0.1 in Kubernetes)
 *   minReplicas, maxReplicas                               min, max
 *   behavior.scaleDown.stabilizationWindowSeconds (300 s)  scaleDownStabilization
 *   readiness delay of a new pod                            warmup (the lead's business)
 * Fixed at Kubernetes' defaults: scaleUp stabilization 0 s; scaleUp policies
 * {Pods: 4 per 15 s, Percent: 100 per 15 s}, selectPolicy Max; scaleDown policy
 * {Percent: 100 per 15 s}, which allows removing every pod, so only `min` bounds scale-down.
 *
 * One evaluation, as the HPA controller does it:
 *  1. Current replicas outside [min, max] → the bound, with no metric involved.
 *  2. ratio = metric / target. Within tolerance (|ratio − 1| <= tolerance) → no change;
 *     else desired = ceil(ratio × ready pods). When some pods are not ready and ratio > 1,
 *     they count as idle (metric 0): the diluted ratio must still be out of tolerance and
 *     above 1, else no change (the HPA's guard against scaling on booting pods).
 *  3. Scale-down stabilization: the recommendation used is min(current, max of the raw
 *     recommendations of the last `scaleDownStabilization` seconds, this one included).
 *     A recommendation made exactly the window ago has left it (Go's `After(cutoff)`).
 *     The window starts with `initialReplicas` recommended at t = 0: the run begins in a
 *     steady state, so nothing scales down before t = scaleDownStabilization.
 *  4. Scale-up rate: at most max(start + 4, ceil(2 × start)), where start is the replica
 *     count 15 s ago (current minus replicas added plus replicas removed by this scaler
 *     in the last 15 s); never above `max`. Scale-down: never below `min`.
 * The older HPA path without `behavior` (scale-up limit max(2 × current, 4) per evaluation)
 * is not modelled.
 */
import type { Autoscale } from '../../scenario/types.js';

/** Length of the default HPA scaling-policy period (periodSeconds), in seconds. */
export const HPA_POLICY_PERIOD = 15;
/** Default scale-up policies: add up to 4 pods, or 100% of the pods, per policy period (the larger). */
export const HPA_SCALE_UP_PODS = 4;
/** Default scale-up policy in percent of the pods at the start of the policy period (100 = may double). */
export const HPA_SCALE_UP_PERCENT = 100;

/**
 * Time-ordered (time, value) samples in a ring that grows only when more samples
 * than expected must be kept. Internal to the autoscaler.
 */
class SampleRing {
  private times: Float64Array;
  private values: Float64Array;
  private head = 0;
  size = 0;

  /** `capacity` is a hint: the ring starts at most 64 long and grows as samples arrive. */
  constructor(capacity: number) {
    const c = Math.max(2, Math.min(64, capacity));
    this.times = new Float64Array(c);
    this.values = new Float64Array(c);
  }

  /** Time of the i-th oldest sample. */
  timeAt(i: number): number {
    return this.times[(this.head + i) % this.times.length] as number;
  }

  valueAt(i: number): number {
    return this.values[(this.head + i) % this.values.length] as number;
  }

  replaceNewest(value: number): void {
    this.values[(this.head + this.size - 1) % this.values.length] = value;
  }

  /** Drops samples at or before `cutoff` from the old end. */
  dropUntil(cutoff: number): void {
    while (this.size > 0 && !(this.timeAt(0) > cutoff)) this.dropOldest();
  }

  dropOldest(): void {
    this.head = (this.head + 1) % this.times.length;
    this.size--;
  }

  push(time: number, value: number): void {
    if (this.size === this.times.length) this.grow();
    const j = (this.head + this.size) % this.times.length;
    this.times[j] = time;
    this.values[j] = value;
    this.size++;
  }

  private grow(): void {
    const n = this.times.length;
    const t = new Float64Array(n * 2);
    const v = new Float64Array(n * 2);
    for (let i = 0; i < this.size; i++) {
      t[i] = this.timeAt(i);
      v[i] = this.valueAt(i);
    }
    this.times = t;
    this.values = v;
    this.head = 0;
  }
}

/**
 * Periodic samples of a metric with sample-and-hold lookup, so the scaler can be fed
 * values `lag` seconds old. Keeps only what such lookups need: about lag / period + 2 samples.
 */
export class MetricHistory {
  private readonly ring: SampleRing;
  private readonly lag: number;

  /** `lag`: how old the values asked for may be (seconds); `period`: sampling interval (seconds). */
  constructor(lag: number, period: number) {
    this.lag = lag;
    this.ring = new SampleRing(period > 0 ? Math.ceil(lag / period) + 3 : 4);
  }

  /** Records the value sampled at `time` (non-decreasing). A second sample at the same time replaces the first. */
  record(time: number, value: number): void {
    const r = this.ring;
    if (r.size > 0 && r.timeAt(r.size - 1) === time) r.replaceNewest(value);
    else r.push(time, value);
    // Keep the newest sample at or before time − lag and everything after it.
    const horizon = time - this.lag;
    while (r.size >= 2 && r.timeAt(1) <= horizon) r.dropOldest();
  }

  /** Number of samples kept (bounded by about lag / period + 2). */
  get retained(): number {
    return this.ring.size;
  }

  /**
   * The latest sample at or before `t` (sample and hold), or `fallback` when none is
   * kept (before the first sample). Exact for t >= last recorded time − lag.
   */
  valueAt(t: number, fallback = NaN): number {
    const r = this.ring;
    for (let i = r.size - 1; i >= 0; i--) if (r.timeAt(i) <= t) return r.valueAt(i);
    return fallback;
  }
}

/** Kubernetes HPA for one service. Pure: time and the metric come in as arguments. */
export class HorizontalAutoscaler {
  private readonly spec: Autoscale;
  /** Raw recommendations of the stabilization window (time, replicas). */
  private readonly recommendations: SampleRing;
  /** Scale events of the last policy period (time, signed replica change). */
  private readonly events: SampleRing;
  private lastDesired: number;

  constructor(spec: Autoscale, initialReplicas: number) {
    this.spec = spec;
    this.lastDesired = initialReplicas;
    const perWindow = spec.period > 0 ? Math.ceil(spec.scaleDownStabilization / spec.period) : 0;
    const perPolicy = spec.period > 0 ? Math.ceil(HPA_POLICY_PERIOD / spec.period) : 0;
    this.recommendations = new SampleRing(perWindow + 2);
    this.events = new SampleRing(perPolicy + 2);
    // The run starts from a steady state at the initial size, as if the HPA had been recommending
    // it all along (a freshly created HPA would start with an empty window and could scale down at once).
    if (spec.scaleDownStabilization > 0) this.recommendations.push(0, initialReplicas);
  }

  /** Replica count this scaler last asked for (the `desired` metric); `initialReplicas` before any evaluation. */
  get desired(): number {
    return this.lastDesired;
  }

  /**
   * One HPA evaluation at `now`: returns the replica count to run. `currentReplicas` is
   * the service's instance count, `metricValue` the (lagged) metric averaged over ready
   * instances, `readyReplicas` how many instances that average covers (default: all).
   */
  evaluate(now: number, currentReplicas: number, metricValue: number, readyReplicas = currentReplicas): number {
    const { min, max } = this.spec;
    let next: number;
    if (currentReplicas > max) next = max;
    else if (currentReplicas < min) next = min;
    else {
      const raw = this.recommend(currentReplicas, metricValue, readyReplicas);
      // No usable metric: the HPA skips the evaluation and records nothing.
      if (raw < 0) return (this.lastDesired = currentReplicas);
      next = this.limitRate(now, currentReplicas, this.stabilize(now, currentReplicas, raw));
    }
    if (next !== currentReplicas) {
      this.events.dropUntil(now - HPA_POLICY_PERIOD);
      this.events.push(now, next - currentReplicas);
    }
    return (this.lastDesired = next);
  }

  /** Replicas the metric asks for (step 2), or −1 when there is no usable metric. */
  private recommend(current: number, metric: number, ready: number): number {
    const { target, tolerance } = this.spec;
    if (!(ready > 0) || !Number.isFinite(metric) || !(target > 0)) return -1;
    const ratio = metric / target;
    // The epsilon keeps float noise (0.9 / 0.6 = 1.5000000000000002) from adding a pod;
    // Kubernetes works in integer percent and milli-units, where 1.5 is 1.5.
    if (ready >= current || ratio <= 1) {
      if (Math.abs(1 - ratio) <= tolerance) return current;
      return Math.ceil(ratio * ready - 1e-9);
    }
    const diluted = (ratio * ready) / current;
    if (Math.abs(1 - diluted) <= tolerance || diluted < 1) return current;
    const up = Math.ceil(diluted * current - 1e-9);
    return up < current ? current : up;
  }

  /** Step 3: scale-down stabilization over the window; records this recommendation. */
  private stabilize(now: number, current: number, raw: number): number {
    const recs = this.recommendations;
    recs.dropUntil(now - this.spec.scaleDownStabilization);
    let highest = raw;
    for (let i = 0; i < recs.size; i++) if (recs.valueAt(i) > highest) highest = recs.valueAt(i);
    if (this.spec.scaleDownStabilization > 0) recs.push(now, raw);
    if (raw >= current) return raw;
    return highest < current ? highest : current;
  }

  /** Step 4: default scale-up policies, then [min, max]. */
  private limitRate(now: number, current: number, wanted: number): number {
    if (wanted > current) {
      const events = this.events;
      events.dropUntil(now - HPA_POLICY_PERIOD);
      let net = 0;
      for (let i = 0; i < events.size; i++) net += events.valueAt(i);
      const start = current - net;
      const limit = Math.max(start + HPA_SCALE_UP_PODS, Math.ceil(start * (1 + HPA_SCALE_UP_PERCENT / 100)), current);
      return Math.min(wanted, limit, this.spec.max);
    }
    if (wanted < current) return Math.max(wanted, this.spec.min);
    return wanted;
  }
}

/**
 * One service's autoscaler as the engine runs it: the HPA, the history that
 * makes its metric late, and what the service did over the period under way
 * (busy workers and waiting requests integrated over time, arrivals counted),
 * from which the metric is measured when the period ends.
 *
 * The metric, averaged over the period and over ready instances:
 *   utilization       busy workers / (workers x ready instances)
 *   queuePerInstance  waiting requests / ready instances
 *   rpsPerInstance    arrivals per second / ready instances
 */
export class ScalingLoop {
  readonly spec: Autoscale;
  readonly hpa: HorizontalAutoscaler;
  readonly history: MetricHistory;
  // Integrals since the last evaluation, at the levels last reported, and when they were last brought up to date.
  private busyArea = 0;
  private queueArea = 0;
  private areaSince = 0;
  /** Requests that arrived at the service since the last evaluation. */
  arrivals = 0;

  constructor(spec: Autoscale, initialReplicas: number) {
    this.spec = spec;
    this.hpa = new HorizontalAutoscaler(spec, initialReplicas);
    this.history = new MetricHistory(spec.lag, spec.period);
  }

  /**
   * Adds the time since the last call at `busy` busy workers and `queued`
   * waiting requests (the levels that held until `now`) to the integrals.
   */
  integrate(now: number, busy: number, queued: number): void {
    const dt = now - this.areaSince;
    if (dt > 0) {
      this.busyArea += busy * dt;
      this.queueArea += queued * dt;
      this.areaSince = now;
    }
  }

  /**
   * One evaluation at `now`, the integrals being up to date: measures the
   * period just ended over `ready` instances of `workers` workers each (NaN
   * when none is ready), records it, reads back the value seen `lag` seconds
   * late and returns the HPA's replica count for `current` replicas. Starts
   * the next period.
   */
  evaluate(now: number, current: number, ready: number, workers: number): number {
    const a = this.spec;
    const period = a.period;
    let value = NaN;
    if (ready > 0 && period > 0) {
      if (a.metric === 'utilization') value = Number.isFinite(workers) && workers > 0 ? this.busyArea / (period * workers * ready) : NaN;
      else if (a.metric === 'queuePerInstance') value = this.queueArea / period / ready;
      else value = this.arrivals / period / ready;
    }
    this.busyArea = 0;
    this.queueArea = 0;
    this.arrivals = 0;
    this.history.record(now, value);
    const seen = this.history.valueAt(now - a.lag);
    return this.hpa.evaluate(now, current, seen, Math.min(current, ready));
  }
}
