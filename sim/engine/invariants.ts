/**
 * The invariants a run checks on itself. A violation is a bug in loopsim,
 * never bad input: `run.ts` turns the first one into `InvariantBroken`.
 *
 * - State, at every slice boundary of the stepper (about every 10^6 events,
 *   never per event), in O(services × replicas + edges × pools + clients):
 *   per service, waiting ≥ 0 and holding a worker ≥ 0, both equal to their
 *   sums over the replicas, inside = waiting + holding a worker + waiting for
 *   a rate-limit token, and holding a
 *   worker ≤ the most workers a replica can have × every replica ever started
 *   (retired replicas finish what they hold, and a capacity fault that takes
 *   workers away lets the ones at work finish); per connection pool, in use
 *   within [0, size] and the edge's total equal to the sum over its pools; per
 *   rate limit of a client or a call, its line within [0, queue] (a call's
 *   total equal to the sum over its caller replicas' lines); per
 *   client, operations open ≥ 0 (those waiting for a token among them); per broker, consumers busy within [0,
 *   concurrency]; and simulated time never goes back.
 * - Conservation, once at the end: per client, offered = goodput + failures +
 *   operations still open; per service, arrivals = completed + errors +
 *   rejected + expired + rate-limited + still inside; per broker, published =
 *   acked + dead-lettered + dropped + visible + in flight + delayed.
 */
import type { RunSeries } from '../metrics/series.js';
import type { NormalizedScenario } from '../scenario/types.js';
import type { Engine } from './engine.js';
import type { EdgeState } from './model/edge.js';
import type { TokenBucket } from './model/rate-limit.js';
import type { ServiceState } from './model/service.js';

/** One broken invariant: the component it is about, and what broke, with the numbers. */
export interface Violation {
  readonly component: string;
  readonly detail: string;
}

/** One conservation check: what flowed in = what flowed out + what is still inside. */
export interface ConservationCheck {
  readonly component: string;
  readonly ok: boolean;
  /** The equation with its numbers, e.g. `arrivals 100 = completed 90 + ... + inside 3`. */
  readonly detail: string;
}

/** Checks the engine's state now; returns the violations found (empty when every invariant holds). */
export type StateCheck = (now: number) => Violation[];

/**
 * The most workers one replica of `service` can ever hold at once: its
 * `workers` plus every worker increase of a capacity fault aimed at it (the
 * windows may overlap). Infinity for `workers: unlimited`.
 */
function workerCeiling(scenario: NormalizedScenario, service: string, workers: number): number {
  let n = workers;
  for (const f of scenario.faults) if (f.kind === 'capacity' && f.target === service && f.workers > 0) n += f.workers;
  return n;
}

function serviceViolations(s: ServiceState, ceiling: number, out: Violation[]): void {
  const component = s.spec.name;
  const bad = (detail: string): void => void out.push({ component, detail });
  let waiting = 0;
  let holding = 0;
  for (const inst of s.instances) {
    waiting += inst.queue.size;
    holding += inst.busy;
  }
  if (!(s.queued >= 0)) bad(`waiting ${s.queued} is negative`);
  if (!(s.busy >= 0)) bad(`holding a worker ${s.busy} is negative`);
  if (s.queued !== waiting) bad(`waiting ${s.queued} differs from the sum over its ${s.instances.length} replicas (${waiting})`);
  if (s.busy !== holding) bad(`holding a worker ${s.busy} differs from the sum over its ${s.instances.length} replicas (${holding})`);
  const limited = s.limiter?.waiting.size ?? 0;
  if (s.inside !== s.queued + s.busy + limited) {
    const line = s.limiter === null ? '' : ` + waiting for a rate-limit token ${limited}`;
    bad(`inside ${s.inside} differs from waiting ${s.queued} + holding a worker ${s.busy}${line}`);
  }
  const bound = ceiling === Infinity ? Infinity : ceiling * s.instances.length;
  if (s.busy > bound)
    bad(`holding a worker ${s.busy} is above workers ${ceiling} x replicas ${s.instances.length} (retired ones included)`);
  if (s.outlier !== null) outlierViolations(s, bad);
  if (s.health !== null) healthViolations(s, bad);
}

/** The replicas marked unhealthy are those the health checker took out, and none of them is in rotation. */
function healthViolations(s: ServiceState, bad: (detail: string) => void): void {
  for (const inst of s.instances) {
    if (inst.unhealthy !== s.health?.isOut(inst.index))
      bad(`replica ${inst.index} is marked ${inst.unhealthy ? 'unhealthy' : 'healthy'} against its checks`);
  }
  if (s.rotation.some((inst) => inst.unhealthy)) bad('a replica the health check took out is in the rotation');
}

/** The outlier detector's count of ejected replicas is the replicas marked ejected, and none of them is in rotation. */
function outlierViolations(s: ServiceState, bad: (detail: string) => void): void {
  let marked = 0;
  for (const inst of s.instances) if (inst.ejected) marked++;
  if (s.outlier?.ejected !== marked) bad(`outlier detection counts ${s.outlier?.ejected} replicas ejected, ${marked} are marked ejected`);
  if (s.rotation.some((inst) => inst.ejected)) bad('an ejected replica is in the rotation');
}

function poolViolations(e: EdgeState, out: Violation[]): void {
  const size = e.spec.pool?.size;
  if (size === undefined) return;
  let inUse = 0;
  e.pools.forEach((p, i) => {
    inUse += p.inUse;
    if (!(p.inUse >= 0 && p.inUse <= size))
      out.push({
        component: e.name,
        detail: `the pool of caller replica ${i} has ${p.inUse} connections in use, outside [0, size ${size}]`,
      });
  });
  if (e.poolInUse !== inUse)
    out.push({ component: e.name, detail: `pool.inUse ${e.poolInUse} differs from the sum over its ${e.pools.length} pools (${inUse})` });
}

/** A client's or a call's rate-limit lines: each within [0, queue]; a call's `limitWaiting` their sum. */
function limitViolations(name: string, lines: readonly TokenBucket[], total: number, out: Violation[]): void {
  let waiting = 0;
  for (const b of lines) {
    waiting += b.waiting.size;
    if (!(b.waiting.size <= b.spec.queue))
      out.push({ component: name, detail: `${b.waiting.size} wait for a rate-limit token, above queue ${b.spec.queue}` });
  }
  if (waiting !== total)
    out.push({ component: name, detail: `rateLimit.waiting ${total} differs from the sum over its lines (${waiting})` });
}

/**
 * A check of `engine`'s state invariants (see the module comment), to call at
 * each slice boundary with the simulated time reached; it remembers that time
 * to check that the next one is not earlier.
 */
export function stateChecker(engine: Engine): StateCheck {
  const ceilings = engine.services.map((s) => workerCeiling(engine.scenario, s.spec.name, s.spec.workers));
  let previous = 0;
  return (now) => {
    const out: Violation[] = [];
    if (!(now >= previous)) out.push({ component: 'clock', detail: `time went back from t=${previous} s to t=${now} s` });
    else previous = now;
    engine.services.forEach((s, i) => serviceViolations(s, ceilings[i] as number, out));
    for (const e of engine.edges) {
      poolViolations(e, out);
      if (e.spec.rateLimit !== null) limitViolations(e.name, e.limiters, e.limitWaiting, out);
    }
    for (const c of engine.clients) {
      if (!(c.open >= 0)) out.push({ component: c.spec.name, detail: `operations open ${c.open} is negative` });
      if (c.limiter !== null) limitViolations(c.spec.name, [c.limiter], c.limiter.waiting.size, out);
    }
    for (const b of engine.brokers) {
      const most = b.queue.spec.consumers.concurrency;
      if (!(b.busy >= 0 && b.busy <= most))
        out.push({ component: b.queue.spec.name, detail: `consumers busy ${b.busy} outside [0, ${most}]` });
    }
    return out;
  };
}

function totalOf(series: RunSeries, name: string): number {
  const s = series.series.find((x) => x.name === name);
  return s !== undefined && s.kind === 'rate' ? s.total : 0;
}

/**
 * Per client: offered = goodput + failures + operations still open.
 * Per service: arrivals = completed + errors + rejected + expired + rate-limited
 * + still inside, and still inside = waiting + holding a worker + waiting for a
 * rate-limit token.
 * Per broker: published = acked + dead-lettered + dropped + visible + in flight + delayed.
 */
export function auditConservation(engine: Engine, series: RunSeries): ConservationCheck[] {
  const checks: ConservationCheck[] = [];
  for (const c of engine.clients) {
    const n = c.spec.name;
    const [offered, goodput, failures] = ['offered', 'goodput', 'failures'].map((m) => totalOf(series, `${n}.${m}`)) as [
      number,
      number,
      number,
    ];
    checks.push({
      component: n,
      ok: offered === goodput + failures + c.open && c.open >= 0,
      detail: `offered ${offered} = goodput ${goodput} + failures ${failures} + in progress ${c.open}`,
    });
  }
  for (const s of engine.services) {
    const n = s.spec.name;
    const [arr, comp, err, rej, exp, lim, cut] = [
      'arrivals',
      'completed',
      'errors',
      'rejected',
      'expired',
      'rateLimited',
      'concurrencyLimited',
    ].map((m) => totalOf(series, `${n}.${m}`)) as [number, number, number, number, number, number, number];
    const limitWaiting = s.limiter?.waiting.size ?? 0;
    let waiting = 0;
    let busy = 0;
    for (const inst of s.instances) {
      waiting += inst.queue.size;
      busy += inst.busy;
    }
    const ok =
      arr === comp + err + rej + exp + lim + cut + s.inside &&
      s.inside === waiting + busy + limitWaiting &&
      waiting === s.queued &&
      busy === s.busy;
    const limitText = s.limiter === null ? '' : `, waiting for a rate-limit token ${limitWaiting}`;
    checks.push({
      component: n,
      ok,
      detail: `arrivals ${arr} = completed ${comp} + errors ${err} + rejected ${rej} + expired ${exp}${s.limiter === null ? '' : ` + rate-limited ${lim}`}${s.concurrency === null ? '' : ` + concurrency-limited ${cut}`} + inside ${s.inside} (waiting ${waiting}, holding a worker ${busy}${limitText})`,
    });
  }
  for (const b of engine.brokers) {
    const n = b.queue.spec.name;
    const [pub, acked, dead, dropped] = ['published', 'acked', 'deadLettered', 'dropped'].map((m) => totalOf(series, `${n}.${m}`)) as [
      number,
      number,
      number,
      number,
    ];
    const { visible, inFlight, delayed } = b.queue;
    checks.push({
      component: n,
      ok: pub === acked + dead + dropped + visible + inFlight + delayed && visible >= 0 && inFlight >= 0 && delayed >= 0,
      detail: `published ${pub} = acked ${acked} + dead-lettered ${dead} + dropped ${dropped} + visible ${visible} + in flight ${inFlight} + delayed ${delayed}`,
    });
  }
  return checks;
}
