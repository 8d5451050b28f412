/**
 * Loop analysis on a finished run: for every loop of the scenario's structure
 * (./loop-structure.ts), its activity and gain in each bucket, computed from
 * the bucket aggregates the recorder already keeps (never per event), and the
 * loop that dominates each bucket. The definitions and their reasoning are in
 * docs/model.md ("Feedback loops").
 *
 * Gains are defined so that a gain of 1 or more means the loop sustains
 * itself. For the loops that act on a bottleneck's demand or capacity
 * (retry, redelivery, cache-refill, degradation), the bottleneck's pressure P
 * = demand / capacity is split between them by their multipliers m (how much
 * each inflates demand or shrinks capacity): gain = P × m / Πm, the pressure
 * the bottleneck would be under if this loop alone amplified.
 */
import type { NormalizedScenario } from '../scenario/types.js';
import { callShare } from '../scenario/route-share.js';
import { seriesValues } from './csv.js';
import { buildLoops, type LoopSpec } from './loop-structure.js';
import { bucketWidth, type RunSeries } from './series.js';
import { bucketRange, type BucketRange } from './stats.js';

/** Gains are capped here, so that a bottleneck that serves nothing gives a finite number. */
export const GAIN_CAP = 1000;
/** A retry loop is active when retries are at least this share of the attempts through its edge. */
export const RETRY_ACTIVE_SHARE = 0.05;
/** A redelivery loop is active when duplicates are at least this share of the callee's completions. */
export const DUPLICATE_ACTIVE_SHARE = 0.05;
/** An abandoned-work loop is active when at least this share of the callee's served work was wasted. */
export const WASTED_ACTIVE_SHARE = 0.1;
/** A cache-refill loop is active when the miss ratio is at least this multiple of its reference… */
export const MISS_ACTIVE_FACTOR = 1.5;
/** …and at least this share of lookups. */
export const MISS_ACTIVE_FLOOR = 0.1;
/**
 * A hedge loop is active when hedges are at least this multiple of their
 * share of the calls in the reference (a call hedged at its p95 sends about
 * 5% more copies in normal operation: that is the design, not the loop)…
 */
export const HEDGE_ACTIVE_FACTOR = 1.5;
/** …and at least this share of the calls through its edge. */
export const HEDGE_ACTIVE_FLOOR = 0.1;
/** A degradation loop is active when a request holds a worker at least this many times longer than in the reference. */
export const SLOWDOWN_ACTIVE_FACTOR = 1.25;
/** Miss ratio floor for the reference, so a perfect cache does not make the multiplier infinite. */
const MISS_REFERENCE_FLOOR = 0.01;

/** What one loop did in each bucket. */
export interface LoopTrace {
  readonly spec: LoopSpec;
  /** Gain per bucket (≥ 1: the loop sustains itself). */
  readonly gain: Float64Array;
  /** 1 where the loop's mechanism was at work in the bucket, else 0. */
  readonly active: Uint8Array;
  /** The loop's multiplier per bucket (1 for loops without one): see the module comment. */
  readonly multiplier: Float64Array;
  /** Demand at the bottleneck per bucket (per second). */
  readonly demand: Float64Array;
  /** Throughput of the bottleneck per bucket (per second). */
  readonly served: Float64Array;
}

/** Every loop of a run, and which one dominates each bucket. */
export interface LoopAnalysis {
  readonly loops: readonly LoopTrace[];
  /** Per bucket, the index in `loops` of the dominating loop, or -1 when none is active. */
  readonly dominant: Int32Array;
}

/** Per-bucket views of one service's series. */
interface ServiceView {
  /** Arrivals per second less those the rate limit refused (see {@link admitted}). */
  readonly arrivals: Float64Array;
  readonly served: Float64Array;
  readonly wasted: Float64Array;
  readonly completed: Float64Array;
  readonly duplicates: Float64Array;
  /** Throughput at full utilization (served / utilization); Infinity with unlimited workers or when idle. */
  readonly capacity: Float64Array;
  /** Seconds a served request held a worker (busy / served); NaN when nothing was served. */
  readonly holding: Float64Array;
  readonly holdingRef: number;
  readonly busy: Float64Array;
  readonly ready: Float64Array;
}

const zeros = (n: number): Float64Array => new Float64Array(n);

function values(run: RunSeries, name: string): Float64Array {
  return seriesValues(run, name) ?? zeros(run.buckets);
}

/** Width-weighted sum ratio Σnum / Σden over a range; NaN when the denominator is 0. */
function ratioOver(run: RunSeries, num: ArrayLike<number>, den: ArrayLike<number>, r: BucketRange): number {
  let a = 0;
  let b = 0;
  for (let i = r.first; i < r.end; i += 1) {
    const w = bucketWidth(run, i);
    a += num[i]! * w;
    b += den[i]! * w;
  }
  return b > 0 ? a / b : NaN;
}

/**
 * The buckets loops take their reference from: the whole buckets between
 * warmup and the first fault; without faults, or when none fit, the first
 * quarter (at least one bucket) of the measured window.
 */
export function loopReference(run: RunSeries, scenario: NormalizedScenario): BucketRange {
  const measured = bucketRange(run, scenario.warmup, run.duration);
  if (scenario.faults.length > 0) {
    const firstAt = Math.min(...scenario.faults.map((f) => f.at));
    const end = Math.min(run.buckets, Math.floor(firstAt / run.sample + 1e-9));
    if (end > measured.first) return { first: measured.first, end };
  }
  const n = measured.end - measured.first;
  return { first: measured.first, end: measured.first + Math.max(1, Math.floor(n / 4)) };
}

function viewService(run: RunSeries, name: string, ref: BucketRange): ServiceView {
  const n = run.buckets;
  const arrivals = admitted(run, name);
  const completed = values(run, `${name}.completed`);
  const errors = values(run, `${name}.errors`);
  const util = seriesValues(run, `${name}.utilization`);
  const busy = values(run, `${name}.busy`);
  const served = zeros(n);
  const capacity = zeros(n);
  const holding = zeros(n);
  for (let i = 0; i < n; i += 1) {
    served[i] = completed[i]! + errors[i]!;
    const u = util === undefined ? 0 : util[i]!;
    capacity[i] = u > 1e-3 ? served[i]! / u : Infinity;
    holding[i] = served[i]! > 0 ? busy[i]! / served[i]! : NaN;
  }
  return {
    arrivals,
    served,
    completed,
    wasted: values(run, `${name}.wasted`),
    duplicates: values(run, `${name}.duplicates`),
    capacity,
    holding,
    holdingRef: ratioOver(run, busy, served, ref),
    busy,
    ready: values(run, `${name}.ready`),
  };
}

/**
 * The requests that reached `name`'s workers' side of the ingress: its
 * arrivals less those its rate limit and its concurrency limit refused. A
 * refusal takes no worker, so a refusing limit cuts what a retry loop can add
 * to the pressure: retries refused at the door cost the service nothing.
 */
function admitted(run: RunSeries, name: string): Float64Array {
  let out = values(run, `${name}.arrivals`);
  for (const metric of ['rateLimited', 'concurrencyLimited']) {
    const refused = seriesValues(run, `${name}.${metric}`);
    if (refused !== undefined) out = out.map((a, i) => Math.max(0, a - refused[i]!));
  }
  return out;
}

/** demand / capacity, 0 without demand, capped at {@link GAIN_CAP}. */
export function pressure(demand: number, capacity: number): number {
  if (!(demand > 0)) return 0;
  if (!(capacity > 0)) return GAIN_CAP;
  return Math.min(GAIN_CAP, demand / capacity);
}

/** The per-bucket series of one edge's attempts and first attempts (clients use offered operations, brokers their receives). */
function edgeAttempts(run: RunSeries, spec: LoopSpec, scenario: NormalizedScenario): { attempts: Float64Array; first: Float64Array } {
  const caller = spec.path[0]!;
  if (scenario.brokers.some((b) => b.name === caller)) {
    // A broker's first receives are its receives less its redeliveries.
    const received = values(run, `${caller}.received`);
    const redelivered = values(run, `${caller}.redelivered`);
    return { attempts: received, first: received.map((a, i) => a - redelivered[i]!) };
  }
  if (scenario.clients.some((c) => c.name === caller)) {
    // Attempts the client's own breaker failed at once, or its own rate limit refused, never left it:
    // they add nothing to the loop.
    let attempts = values(run, `${caller}.attempts`);
    for (const metric of ['shortCircuited', 'rateLimited']) {
      const never = seriesValues(run, `${caller}.${metric}`);
      if (never !== undefined) attempts = attempts.map((a, i) => Math.max(0, a - never[i]!));
    }
    return { attempts, first: values(run, `${caller}.offered`) };
  }
  const attempts = values(run, `${spec.edge}.calls`);
  const retries = values(run, `${spec.edge}.retries`);
  return { attempts, first: attempts.map((a, i) => a - retries[i]!) };
}

/**
 * Measures every loop of `scenario` on `run`, bucket by bucket: multiplier,
 * activity and gain as docs/model.md defines them, then the dominant loop of
 * each bucket (see {@link pickDominant}).
 */
export function reduceLoops(run: RunSeries, scenario: NormalizedScenario): LoopAnalysis {
  const n = run.buckets;
  const ref = loopReference(run, scenario);
  const specs = buildLoops(scenario);
  const services = new Map<string, ServiceView>();
  const service = (name: string): ServiceView => {
    let v = services.get(name);
    if (v === undefined) services.set(name, (v = viewService(run, name, ref)));
    return v;
  };
  const redelivered = new Set(specs.filter((l) => l.name === 'redelivery').map((l) => l.edge));
  const traces = specs.map((spec) => measureLoop(run, scenario, spec, service, ref, redelivered.has(spec.edge)));

  // Split each bottleneck's pressure between the demand and capacity loops acting on it.
  const groups = new Map<string, LoopTrace[]>();
  for (const t of traces) {
    if (!SHARES_PRESSURE.has(t.spec.name)) continue;
    const g = groups.get(t.spec.bottleneck) ?? [];
    g.push(t);
    groups.set(t.spec.bottleneck, g);
  }
  for (const [bottleneck, g] of groups) {
    const svc = service(bottleneck);
    // A retried fill is part of the cost of a miss: the cache-refill loop's multiplier already holds its edge's retries.
    const cached = new Set(g.filter((t) => t.spec.name === 'cache-refill').map((t) => t.spec.edge));
    const distinct = g.filter((t) => !(t.spec.name === 'retry' && cached.has(t.spec.edge)));
    for (let i = 0; i < n; i += 1) {
      const p = pressure(svc.arrivals[i]!, svc.capacity[i]!);
      let product = 1;
      for (const t of distinct) product *= t.multiplier[i]!;
      for (const t of g) t.gain[i] = Math.min(GAIN_CAP, (p * t.multiplier[i]!) / product);
    }
  }
  const dominant = new Int32Array(n);
  for (let i = 0; i < n; i += 1) dominant[i] = pickDominant(traces, i, service);
  return { loops: traces, dominant };
}

/** The loops whose gain is a share of their bottleneck's pressure. */
const SHARES_PRESSURE: ReadonlySet<string> = new Set([
  'retry',
  'redelivery',
  'cache-refill',
  'degradation',
  'crash',
  'hedge',
  'health-check',
]);

function measureLoop(
  run: RunSeries,
  scenario: NormalizedScenario,
  spec: LoopSpec,
  service: (name: string) => ServiceView,
  ref: BucketRange,
  redelivers: boolean,
): LoopTrace {
  const n = run.buckets;
  const gain = zeros(n);
  const active = new Uint8Array(n);
  const multiplier = new Float64Array(n).fill(1);
  // The service the loop measures: the autoscaled service itself, else the callee at the end of the path.
  const svc = service(spec.name === 'autoscaler' ? spec.bottleneck : spec.path[spec.path.length - 1]!);
  const demand = Float64Array.from(svc.arrivals);
  const served = Float64Array.from(svc.served);
  const edge = spec.edge ?? '';
  switch (spec.name) {
    case 'retry':
    case 'redelivery': {
      const { attempts, first } = edgeAttempts(run, spec, scenario);
      for (let i = 0; i < n; i += 1) {
        const a = attempts[i]!;
        const f = first[i]!;
        const retries = Math.max(0, a - f);
        // Retries that redo work the callee already completed belong to redelivery; the rest to retry.
        const dup = redelivers ? Math.min(retries, svc.duplicates[i]!) : 0;
        if (f > 0) multiplier[i] = spec.name === 'redelivery' ? (f + dup) / f : a / (f + dup);
        active[i] =
          spec.name === 'redelivery'
            ? Number(svc.completed[i]! > 0 && svc.duplicates[i]! >= DUPLICATE_ACTIVE_SHARE * svc.completed[i]!)
            : Number(a > 0 && retries - dup >= RETRY_ACTIVE_SHARE * a);
      }
      break;
    }
    case 'cache-refill': {
      const calls = values(run, `${edge}.calls`);
      const retries = values(run, `${edge}.retries`);
      const hits = values(run, `${edge}.cache.hits`);
      const misses = values(run, `${edge}.cache.misses`);
      const coalesced = values(run, `${edge}.cache.coalesced`);
      const lookups = hits.map((h, i) => h + misses[i]! + coalesced[i]!);
      const refMiss = Math.max(MISS_REFERENCE_FLOOR, ratioOver(run, misses, lookups, ref) || 0);
      for (let i = 0; i < n; i += 1) {
        const miss = lookups[i]! > 0 ? misses[i]! / lookups[i]! : 0;
        const first = calls[i]! - retries[i]!;
        const perMiss = first > 0 ? calls[i]! / first : 1;
        multiplier[i] = Math.max(1, miss / refMiss) * perMiss;
        active[i] = Number(miss >= MISS_ACTIVE_FLOOR && miss >= MISS_ACTIVE_FACTOR * refMiss);
      }
      break;
    }
    case 'hedge': {
      const calls = values(run, `${edge}.calls`);
      const hedges = values(run, `${edge}.hedges`);
      const refShare = ratioOver(run, hedges, calls, ref) || 0;
      for (let i = 0; i < n; i += 1) {
        // Copies per call: what the callee gets for each call the caller makes.
        const first = calls[i]! - hedges[i]!;
        if (first > 0) multiplier[i] = calls[i]! / first;
        const share = calls[i]! > 0 ? hedges[i]! / calls[i]! : 0;
        active[i] = Number(share >= HEDGE_ACTIVE_FLOOR && share >= HEDGE_ACTIVE_FACTOR * refShare);
      }
      break;
    }
    case 'degradation': {
      for (let i = 0; i < n; i += 1) {
        const slow = svc.holding[i]! / svc.holdingRef;
        multiplier[i] = Number.isFinite(slow) ? Math.max(1, slow) : 1;
        active[i] = Number(multiplier[i]! >= SLOWDOWN_ACTIVE_FACTOR);
      }
      break;
    }
    case 'crash': {
      // Replicas down after a crash still take their share of requests and fail them: the survivors carry the work.
      const down = values(run, `${spec.bottleneck}.crash.down`);
      for (let i = 0; i < n; i += 1) {
        const ready = svc.ready[i]!;
        const up = ready - down[i]!;
        multiplier[i] = ready <= 0 || down[i]! <= 0 ? 1 : up > 0 ? Math.min(GAIN_CAP, ready / up) : GAIN_CAP;
        active[i] = Number(down[i]! > 0);
      }
      break;
    }
    case 'health-check': {
      // Replicas the check took out leave their share to those it keeps: each carries running / healthy times its share.
      const running = values(run, `${spec.bottleneck}.instances`);
      const healthy = values(run, `${spec.bottleneck}.healthy`);
      for (let i = 0; i < n; i += 1) {
        const out = running[i]! - healthy[i]!;
        multiplier[i] = running[i]! <= 0 || out <= 0 ? 1 : healthy[i]! > 0 ? Math.min(GAIN_CAP, running[i]! / healthy[i]!) : GAIN_CAP;
        active[i] = Number(out > 0);
      }
      break;
    }
    case 'pool': {
      const caller = scenario.services.find((s) => s.name === spec.path[0]);
      const call = caller?.calls.find((c) => c.to === spec.path[2]);
      const size = call?.pool?.size ?? 1;
      const callerView = service(spec.path[0]!);
      const calls = values(run, `${edge}.calls`);
      const retries = values(run, `${edge}.retries`);
      const inUse = values(run, `${edge}.pool.inUse`);
      const waiting = values(run, `${edge}.pool.waiting`);
      const routed = values(run, `${edge}.routed`);
      for (let i = 0; i < n; i += 1) {
        const connections = size * callerView.ready[i]!;
        // Calls per second one connection carries (Little's law), times the connections there are.
        const capacity = inUse[i]! > 0 ? (calls[i]! / inUse[i]!) * connections : Infinity;
        const first = calls[i]! - retries[i]!;
        const perCall = first > 0 ? calls[i]! / first : 1;
        // A route by key has no share in the scenario: the first attempts routed to the call stand for it.
        const share = call && caller ? callShare(caller.calls, call) : 1;
        demand[i] = (share === null ? routed[i]! : callerView.arrivals[i]! * share) * perCall;
        served[i] = calls[i]!;
        gain[i] = pressure(demand[i]!, capacity);
        active[i] = Number(waiting[i]! >= 1 && inUse[i]! >= 0.9 * connections);
      }
      break;
    }
    case 'abandoned-work': {
      for (let i = 0; i < n; i += 1) {
        // Sustaining needs both: everything the callee can serve is wasted, and demand keeps it saturated.
        const cap = Number.isFinite(svc.capacity[i]!) ? Math.max(svc.capacity[i]!, svc.served[i]!) : svc.served[i]!;
        gain[i] = cap > 0 ? Math.min(svc.wasted[i]! / cap, pressure(svc.arrivals[i]!, svc.capacity[i]!)) : 0;
        active[i] = Number(svc.served[i]! > 0 && svc.wasted[i]! >= WASTED_ACTIVE_SHARE * svc.served[i]!);
      }
      break;
    }
    case 'breaker': {
      // A client's own breaker records on the client; its attempts include the short-circuited ones.
      const client = scenario.clients.some((c) => c.name === spec.path[0]);
      const owner = client ? spec.path[0]! : edge;
      const state = values(run, `${owner}.breaker`);
      const sent = values(run, client ? `${owner}.attempts` : `${edge}.calls`);
      const shorted = client ? zeros(n) : values(run, `${edge}.shortCircuited`);
      for (let i = 0; i < n; i += 1) {
        // The load a closed breaker would let through, against what the callee can serve.
        demand[i] = sent[i]! + shorted[i]!;
        gain[i] = pressure(demand[i]!, svc.capacity[i]!);
        active[i] = Number(state[i]! > 0);
      }
      break;
    }
    case 'autoscaler': {
      const target = scenario.services.find((s) => s.name === spec.bottleneck);
      const a = target?.autoscale;
      const desired = values(run, `${spec.bottleneck}.desired`);
      const queue = values(run, `${spec.bottleneck}.queue`);
      for (let i = 0; i < n; i += 1) {
        const need = a === undefined || a === null ? 1 : neededReplicas(a.metric, a.target, target!.workers, svc, queue[i]!, i);
        const needed = Math.max(a?.min ?? 1, need);
        demand[i] = needed;
        served[i] = desired[i]!;
        gain[i] = Math.min(GAIN_CAP, Math.abs(desired[i]! - needed) / needed);
        active[i] = Number(Math.abs(desired[i]! - svc.ready[i]!) >= 1);
      }
      break;
    }
  }
  return { spec, gain, active, multiplier, demand, served };
}

/** Replicas that would bring the autoscaler's metric to its target at this bucket's load (reference service time). */
function neededReplicas(
  metric: 'utilization' | 'queuePerInstance' | 'rpsPerInstance',
  target: number,
  workers: number,
  svc: ServiceView,
  queue: number,
  i: number,
): number {
  switch (metric) {
    case 'utilization':
      return Number.isFinite(workers) && Number.isFinite(svc.holdingRef) ? (svc.arrivals[i]! * svc.holdingRef) / (workers * target) : 1;
    case 'rpsPerInstance':
      return svc.arrivals[i]! / target;
    case 'queuePerInstance':
      return queue / target;
  }
}

/** Rank of a loop kind among reinforcing loops on one bottleneck: abandoned work adds no demand of its own, so it comes last. */
const lastResort = (t: LoopTrace): number => (t.spec.name === 'abandoned-work' ? 1 : 0);

/**
 * The loop that dominates bucket `i`, as an index into `traces`, or -1 when no
 * loop is active. Among the active loops: reinforcing before balancing; then
 * loops whose bottleneck is saturated (demand ≥ capacity) first, the deepest
 * such bottleneck first (a saturated callee holds its callers' workers, so
 * the cause sits downstream); then abandoned work last (it adds no demand of
 * its own); then the highest gain; ties keep declaration order.
 */
export function pickDominant(
  traces: readonly LoopTrace[],
  i: number,
  service: (name: string) => { arrivals: Float64Array; capacity: Float64Array },
): number {
  let best = -1;
  let bestKey: number[] = [];
  traces.forEach((t, k) => {
    if (t.active[i] !== 1) return;
    const isPool = t.spec.name === 'pool';
    const saturated = isPool ? t.gain[i]! >= 1 : t.spec.polarity === 'reinforcing' && pressureAt(service, t.spec.bottleneck, i) >= 1;
    const key = [t.spec.polarity === 'reinforcing' ? 1 : 0, saturated ? 1 : 0, saturated ? t.spec.depth : 0, -lastResort(t), t.gain[i]!];
    if (best === -1 || greater(key, bestKey)) {
      best = k;
      bestKey = key;
    }
  });
  return best;
}

function pressureAt(service: (name: string) => { arrivals: Float64Array; capacity: Float64Array }, name: string, i: number): number {
  const s = service(name);
  return pressure(s.arrivals[i]!, s.capacity[i]!);
}

function greater(a: readonly number[], b: readonly number[]): boolean {
  for (let k = 0; k < a.length; k += 1) {
    if (a[k]! !== b[k]!) return a[k]! > b[k]!;
  }
  return false;
}
