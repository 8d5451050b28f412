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
 */
import type { Fault } from '../../scenario/types.js';
import type { Engine } from '../engine.js';
import type { ClientState } from './client.js';
import type { ServiceState } from './service.js';

export class FaultState {
  private readonly engine: Engine;
  private readonly faults: readonly Fault[];
  private readonly active: boolean[];

  constructor(engine: Engine) {
    this.engine = engine;
    this.faults = engine.scenario.faults;
    this.active = this.faults.map(() => false);
    for (const f of this.faults) {
      if (f.kind !== 'pause') continue;
      const s = this.service(f.target);
      if (s) s.pauses.push({ start: f.at, end: f.at + f.for });
    }
    for (const s of engine.services) s.pauses.sort((a, b) => a.start - b.start);
  }

  /** The largest traffic multiplier a client can see at once (for Poisson thinning). */
  static maxTrafficMultiplier(faults: readonly Fault[], client: string): number {
    let m = 1;
    for (const f of faults) if (f.kind === 'traffic' && f.target === client && f.multiply > 1) m *= f.multiply;
    return m;
  }

  /** Fault window i opens. */
  start(i: number): void {
    this.active[i] = true;
    this.apply(this.faults[i] as Fault);
  }

  /** Fault window i closes. */
  end(i: number): void {
    this.active[i] = false;
    this.apply(this.faults[i] as Fault);
  }

  /** The next time after `now` at which a traffic window of client `ci` opens or closes. */
  nextChangeFor(ci: number, now: number): number {
    const name = (this.engine.clients[ci] as ClientState).spec.name;
    let next = Infinity;
    for (const f of this.faults) {
      if (f.kind !== 'traffic' || f.target !== name) continue;
      if (f.at > now) next = Math.min(next, f.at);
      else if (f.at + f.for > now) next = Math.min(next, f.at + f.for);
    }
    return next;
  }

  /** Seconds of [from, to) during which service `s` was paused. */
  pausedWithin(s: ServiceState, from: number, to: number): number {
    let lost = 0;
    for (const p of s.pauses) {
      if (p.start >= to) break;
      const a = Math.max(from, p.start);
      const b = Math.min(to, p.end);
      if (b > a) lost += b - a;
    }
    return lost;
  }

  /** `now`, or the end of the pause window of `s` that contains `now`. */
  pauseEndAt(s: ServiceState, now: number): number {
    let t = now;
    for (const p of s.pauses) if (p.start <= t && t < p.end) t = p.end;
    return t;
  }

  private apply(f: Fault): void {
    const e = this.engine;
    if (f.kind === 'traffic') {
      const c = e.clients.find((x) => x.spec.name === f.target);
      if (c) this.applyTraffic(c);
      return;
    }
    if (f.kind === 'cacheFlush') {
      for (const edge of e.edges) if (edge.name === f.target || edge.name.startsWith(`${f.target}#`)) edge.cache?.flush();
      return;
    }
    const s = this.service(f.target);
    if (!s) return;
    let add = 0, mul = 1, ok = 1, dInst = 0, dWork = 0, paused = false;
    this.faults.forEach((g, j) => {
      if (!this.active[j] || g.target !== f.target) return;
      if (g.kind === 'latency') { add += g.add; mul *= g.multiply; }
      else if (g.kind === 'errors') ok *= 1 - g.rate;
      else if (g.kind === 'capacity') { dInst += g.instances; dWork += g.workers; }
      else if (g.kind === 'pause') paused = true;
    });
    s.latencyAdd = add;
    s.latencyMul = mul;
    s.extraErrorRate = 1 - ok;
    s.errorRate = s.spec.errorRate + s.extraErrorRate - s.spec.errorRate * s.extraErrorRate;
    s.workers = Math.max(0, s.spec.workers + dWork);
    if (dInst !== s.faultInstances) {
      s.faultInstances = dInst;
      e.applyInstanceCount(s, 0);
    }
    for (const inst of s.instances) inst.paused = paused;
    for (const inst of s.instances) e.dispatch(s, inst);
    e.levels(s);
  }

  private applyTraffic(c: ClientState): void {
    let mul = 1;
    this.faults.forEach((g, j) => {
      if (this.active[j] && g.kind === 'traffic' && g.target === c.spec.name) mul *= g.multiply;
    });
    c.setTrafficMultiplier(mul);
    const a = c.spec.arrival;
    if (a.kind === 'closed') {
      c.activeUsers = Math.round(a.users * mul);
      this.engine.wakeUsers(c);
    }
  }

  private service(name: string): ServiceState | undefined {
    return this.engine.services.find((s) => s.spec.name === name);
  }
}
