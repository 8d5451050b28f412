/**
 * Outlier detection on a service's balancer, after Envoy's consecutive-5xx
 * detector. Each replica's error responses in a row are counted; a success
 * resets the count. The response that brings the count to
 * `consecutiveErrors` ejects the replica at once (the balancer skips it),
 * unless that would put more than `maxEjectionPercent` of the ready replicas
 * out (one replica may always be ejected, as in Envoy) or take the last one
 * out of rotation (where Envoy, in panic mode, would route to every replica
 * anyway). An ejection lasts `baseEjectionTime` x the replica's ejection
 * multiplier (its ejections so far, less one for each sweep it passed in
 * rotation since), at most `maxEjectionTime`; the replica returns at the
 * first sweep (every `interval` from the start) at or after that time, with
 * its count of errors cleared.
 *
 * Pure arithmetic on replica numbers and times: applying a decision (the
 * rotation, the metrics) is handlers/outliers.ts.
 */
import type { OutlierDetection } from '../../scenario/types.js';

/** The detector's state for one service. */
export class OutlierDetector {
  readonly spec: OutlierDetection;
  /** Per replica number: error responses in a row since the last success or return. */
  private readonly streak: number[] = [];
  /** Per replica number: the ejection multiplier (Envoy's num_ejections, decremented by healthy sweeps). */
  private readonly multiplier: number[] = [];
  /** Per replica number: when its ejection ends; absent or NaN while it is not ejected. */
  private readonly until: number[] = [];
  /** Replicas ejected now. */
  ejected = 0;
  /** Ejections so far. */
  ejections = 0;

  constructor(spec: OutlierDetection) {
    this.spec = spec;
  }

  /** Whether replica `index` is ejected now. */
  isEjected(index: number): boolean {
    const u = this.until[index];
    return u !== undefined && !Number.isNaN(u);
  }

  /**
   * Replica `index` answered a request, `ok` or with an error, at `now`;
   * `ready` replicas are in service and warmed up, ejected ones included, and
   * `inRotation` of them take traffic. Returns true when this response ejects
   * the replica.
   */
  onResponse(index: number, ok: boolean, now: number, ready: number, inRotation: number): boolean {
    if (ok) {
      this.succeeded(index);
      return false;
    }
    if (!this.failed(index) || !this.mayEject(ready, inRotation)) return false;
    this.eject(index, now);
    return true;
  }

  /** Replica `index` answered with a success: its errors in a row start again from 0. */
  succeeded(index: number): void {
    this.streak[index] = 0;
  }

  /** Replica `index` answered with an error; returns whether it has now failed enough in a row to be ejected (and is not out already). */
  failed(index: number): boolean {
    const n = (this.streak[index] ?? 0) + 1;
    this.streak[index] = n;
    return n >= this.spec.consecutiveErrors && !this.isEjected(index);
  }

  /** Ejects replica `index` at `now` (the caller checked {@link mayEject}). */
  eject(index: number, now: number): void {
    const k = (this.multiplier[index] ?? 0) + 1;
    this.multiplier[index] = k;
    this.until[index] = now + Math.min(this.spec.baseEjectionTime * k, Math.max(this.spec.baseEjectionTime, this.spec.maxEjectionTime));
    this.ejected++;
    this.ejections++;
  }

  /**
   * Whether one more replica may go out: always when none is out and another
   * stays in rotation; otherwise only while the ejected share, this one
   * included, stays within `maxEjectionPercent` of the ready replicas.
   */
  mayEject(ready: number, inRotation: number): boolean {
    if (inRotation <= 1) return false;
    if (this.ejected === 0) return true;
    // A tiny epsilon keeps 3 of 10 within 30% despite float rounding.
    return this.ejected + 1 <= this.spec.maxEjectionPercent * ready + 1e-9;
  }

  /**
   * The sweep at `now`: returns the numbers of the ejected replicas whose
   * time is up (they go back into rotation, their error count cleared), and
   * lowers the multiplier of every replica in rotation that has one.
   */
  sweep(now: number, replicas: number): number[] {
    const back: number[] = [];
    for (let i = 0; i < replicas; i++) {
      const u = this.until[i];
      if (u !== undefined && !Number.isNaN(u)) {
        if (now < u) continue;
        this.until[i] = NaN;
        this.streak[i] = 0;
        this.ejected--;
        back.push(i);
      } else if ((this.multiplier[i] ?? 0) > 0) this.multiplier[i]!--;
    }
    return back;
  }

  /** The multiplier of replica `index` (0 before its first ejection). */
  multiplierOf(index: number): number {
    return this.multiplier[index] ?? 0;
  }
}
