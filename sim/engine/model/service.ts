/**
 * A service: `instances` replicas behind a balancer, each with `workers`
 * threads and its own waiting room. A request holds a worker from the start of
 * its local work until its response is sent, downstream calls included (a
 * thread-per-request server: a slow dependency holds workers).
 */
import { defineMetric, type DirectMetricOf, type Requirement } from '../../scenario/metric-catalogue.js';
import type { Service } from '../../scenario/types.js';
import { createGenerator, createStream, type Alea, type Stream } from '../rng.js';
import { Draw } from './dist.js';
import type { TraceSink } from '../../metrics/trace.js';
import { ScalingLoop } from './autoscaler.js';
import { CoDelQueueState } from './codel.js';
import { Deque } from './deque.js';
import { TokenBucket } from './rate-limit.js';
import { AimdLimit } from './concurrency-limit.js';
import type { KeyedLatency, PauseWindow, ServiceFaultEffects } from './fault.js';
import type { ReplicaFaults } from './replica-faults.js';
import { CrashWatch } from './crash-trigger.js';
import { OutlierDetector } from './outlier.js';
import { HealthChecker } from './health-check.js';
import type { PerInstance } from './per-instance.js';

/** Metric ids of one service. */
export interface ServiceMetrics {
  readonly arrivals: number;
  readonly completed: number;
  readonly errors: number;
  readonly rejected: number;
  readonly expired: number;
  readonly wasted: number;
  readonly duplicates: number;
  readonly queue: number;
  readonly busy: number;
  readonly inflight: number;
  /** -1 when workers are unlimited (utilization has no meaning then). */
  readonly utilization: number;
  readonly instances: number;
  readonly ready: number;
  readonly latency: number;
  /** -1 without autoscale. */
  readonly desired: number;
  /** -1 without a rate limit. */
  readonly rateLimited: number;
  /** -1 without a rate limit that lets requests wait. */
  readonly limitWaiting: number;
  /** -1 without a concurrency limit. */
  readonly concurrencyLimited: number;
  /** -1 without a concurrency limit. */
  readonly concurrencyLimit: number;
  /** -1 without a crash fault on the service. */
  readonly crashKilled: number;
  /** -1 without a crash fault on the service. */
  readonly crashDown: number;
  /** -1 without outlier detection. */
  readonly ejections: number;
  /** -1 without outlier detection. */
  readonly ejected: number;
  /** Replicas the crash trigger killed; -1 without `crashWhen`. */
  readonly crashes: number;
  /** Ready replicas the health check keeps in rotation; -1 without `healthCheck`. */
  readonly healthy: number;
  /** Failed health checks; -1 without `healthCheck`. */
  readonly healthChecksFailed: number;
}

/** Declares a service's metrics (sim/scenario/metric-catalogue.ts), in the catalogue's order; `crashes`: a crash fault targets it, or a crash trigger. */
export function defineServiceMetrics(sink: TraceSink, s: Service, crashes = false): ServiceMetrics {
  const has = (r: Requirement): boolean => (r === 'crash' ? crashes : serviceHas(s, r));
  const def = (metric: DirectMetricOf<'service'>, initial?: number): number => defineMetric(sink, 'service', s.name, metric, has, initial);
  return {
    arrivals: def('arrivals'),
    completed: def('completed'),
    errors: def('errors'),
    rejected: def('rejected'),
    expired: def('expired'),
    wasted: def('wasted'),
    duplicates: def('duplicates'),
    queue: def('queue'),
    busy: def('busy'),
    inflight: def('inflight'),
    utilization: def('utilization'),
    instances: def('instances', s.instances),
    ready: def('ready', s.instances),
    latency: def('latency'),
    desired: def('desired', s.instances),
    rateLimited: def('rateLimited'),
    limitWaiting: def('rateLimit.waiting'),
    concurrencyLimited: def('concurrencyLimited'),
    concurrencyLimit: def('concurrencyLimit', s.concurrencyLimit?.initial ?? 0),
    crashKilled: def('crash.killed'),
    crashDown: def('crash.down'),
    ejections: def('outlier.ejections'),
    ejected: def('outlier.ejected'),
    crashes: def('crashes'),
    healthy: def('healthy', s.instances),
    healthChecksFailed: def('healthChecks.failed'),
  };
}

/** Whether a service has a mechanism some of its metrics need (utilization has no meaning with unlimited workers). */
export function serviceHas(s: Service, r: Requirement): boolean {
  switch (r) {
    case 'autoscale':
      return s.autoscale !== null;
    case 'rateLimit':
      return s.rateLimit !== null;
    case 'rateLimitQueue':
      return (s.rateLimit?.queue ?? 0) > 0;
    case 'concurrencyLimit':
      return s.concurrencyLimit !== null;
    case 'outlierDetection':
      return s.outlierDetection !== null;
    case 'crashTrigger':
      return s.crashWhen !== null;
    case 'healthCheck':
      return s.healthCheck !== null;
    case 'boundedWorkers':
      return Number.isFinite(s.workers);
    case 'breaker':
    case 'pool':
    case 'cache':
    case 'clientBackoff':
    case 'callBackoff':
    case 'coalesce':
    case 'fallback':
    case 'degradable':
    case 'boundedCache':
    case 'route':
    case 'linkFault':
    case 'clientBreaker':
    case 'clientRateLimit':
    case 'clientRateLimitQueue':
    case 'callRateLimit':
    case 'callRateLimitQueue':
    case 'hedge':
    case 'perInstance': // the instance's metrics ask instanceHas
    case 'perInstanceWorkers':
    case 'crash': // the faults decide it: defineServiceMetrics is told
      return false;
  }
}

/**
 * Where a replica is in its life: `warming` (started, takes no traffic until
 * its warmup ends), `ready` (in the balancer's rotation), `retired` (scaled in
 * or taken away by a capacity fault: takes no new traffic, finishes what it holds).
 */
export type InstanceState = 'warming' | 'ready' | 'retired';

/** One replica of a service. */
export class Instance {
  readonly index: number;
  /**
   * The replica's slot in its service's per-replica series (model/per-instance.ts):
   * its index, unless it was started later into a slot a retired replica left.
   */
  slot: number;
  readonly queue = new Deque();
  /** Workers held: local work, waiting on a call, or backing off before a call retry. */
  busy = 0;
  state: InstanceState;
  /** Stop-the-world pause: no work starts and local work makes no progress. */
  paused = false;
  /** When this instance began taking traffic (cold start counts from here). */
  startedAt: number;
  /** CoDel state of the waiting queue; null for other disciplines. */
  readonly codel: CoDelQueueState | null;
  // What the faults that hit this replica alone do to it (model/replica-faults.ts); read only when the service has such faults.
  /** Seconds added to local work here. */
  latencyAdd = 0;
  /** Factor on local work here. */
  latencyMul = 1;
  /** Chance that a request fails here: the service's chance and this replica's faults, independently. */
  errorRate = 0;
  /** A pause fault holds this replica (the service-wide pauses come on top). */
  ownPause = false;
  /** The pause windows that hit this replica, service-wide ones included, merged; null while none hit it alone. */
  pauses: PauseWindow[] | null = null;
  /** A crash holds it down: it fails each request at once until it restarts (model/replica-faults.ts). */
  down = false;
  /** Outlier detection took it out of rotation (model/outlier.ts): it finishes what it holds and gets nothing new. */
  ejected = false;
  /** The health check took it out of rotation (model/health-check.ts): it finishes what it holds and gets nothing new. */
  unhealthy = false;

  constructor(index: number, startedAt: number, state: InstanceState, spec: Service) {
    this.index = index;
    this.slot = index;
    this.startedAt = startedAt;
    this.state = state;
    const d = spec.queue.discipline;
    this.codel = d.kind === 'codel' ? new CoDelQueueState(d.target, d.interval) : null;
  }

  /** Requests waiting or holding a worker here. */
  get inflight(): number {
    return this.queue.size + this.busy;
  }
}

/** A service's stock levels as last reported to the trace (the engine reports only changes). */
export class ShownLevels {
  queued = 0;
  busy = 0;
  /** Workers in rotation (workers x ready replicas); NaN before the first report. */
  capacity = NaN;
  utilization = 0;
}

/**
 * A service's runtime state, in five parts: what it is (spec, streams,
 * calls), its replicas, its stocks, what the faults in force do to it, and
 * its autoscaler. The hot paths read the fields directly, so the parts are
 * sections of one object, not objects of their own; the autoscaler, which
 * most services lack, is one (`scaling`).
 */
export class ServiceState {
  // ── what it is ──
  readonly spec: Service;
  readonly index: number;
  readonly m: ServiceMetrics;
  /** Edge indices of `spec.calls`, in order. */
  readonly edges: number[] = [];
  /** Local work per request, before fault and degradation effects. */
  readonly serviceTime: Draw;
  /** Draws whether a request fails (baseline errorRate and error faults). */
  readonly errors: Alea;
  readonly balancerStream: Stream;
  /**
   * Whether the waiting queue does more than hand out requests oldest first:
   * LIFO, CoDel, skipping requests whose caller gave up (`dropExpired`), or
   * telling a crash trigger the load left (`crashWhen`).
   */
  readonly managedQueue: boolean;
  /** Whether local work depends on the instance's state: degradation or cold start. */
  readonly shapedWork: boolean;
  /** This service's bit in an operation's `doneMask` (1 << index), or 0 for index >= 31. */
  readonly doneBit: number;
  /** Reached by more than one call path from the clients (a diamond, two calls): duplicates are keyed by path. */
  multiPath = false;

  // ── its replicas ──
  readonly instances: Instance[] = [];
  /** Instance indices in rotation, in index order. */
  rotation: Instance[] = [];
  /** The round-robin cursor of the balancers that take turns. */
  rr = 0;
  /** Instances asked for by the autoscaler (or `instances` without one), before capacity faults. */
  baseInstances: number;
  /** Sum of the `instances` deltas of the capacity faults in force. */
  faultInstances = 0;

  // ── its stocks (totals across instances) ──
  queued = 0;
  busy = 0;
  /** Requests that arrived and have not left (rejected, expired or responded). */
  inside = 0;
  /** The rate limit at the ingress and its waiting line; null without `rateLimit`. */
  readonly limiter: TokenBucket | null;
  /** The adaptive concurrency limit at the ingress; null without `concurrencyLimit`. */
  readonly concurrency: AimdLimit | null;
  /** Whether a request passes a gate at the ingress (a concurrency or a rate limit): one test on arrival for both. */
  readonly gated: boolean;
  /** Outlier detection on the balancer; null without `outlierDetection`. */
  readonly outlier: OutlierDetector | null;
  /** Active health checking by the balancer; null without `healthCheck`. */
  readonly health: HealthChecker | null;
  /** The crash trigger's watch over each replica's load; null without `crashWhen`. */
  readonly crashWatch: CrashWatch | null;
  readonly shown = new ShownLevels();

  // ── what the faults in force do to it ──
  /** Workers per instance now (capacity faults change it). */
  workers: number;
  latencyAdd = 0;
  latencyMul = 1;
  /** Chance that a request fails: the baseline errorRate and the error faults, independently. */
  errorRate: number;
  /**
   * Pause windows [start, end) from `pause` faults, sorted by start; with
   * faults that pause some replicas, their windows too (the replicas keep
   * their own lists: Instance.pauses).
   */
  readonly pauses: readonly PauseWindow[];
  /** The pause windows that hit every replica. */
  readonly servicePauses: readonly PauseWindow[];
  /** The faults that hit some replicas only; null when none does (then no replica's own fields are read). */
  readonly replicaFaults: ReplicaFaults | null;
  /** The latency faults on keys (one slow tenant); null when none targets this service. */
  readonly keyedLatency: KeyedLatency | null;
  /** The chance that a request fails from the baseline and the service-wide faults (`errorRate` without the replicas' own). */
  serviceErrorRate: number;
  /** Whether some replica has a failure chance of its own now (then `errorRate` is the largest, and each replica is asked). */
  replicaErrors = false;

  // ── its autoscaler ──
  /** The HPA loop and the integrals of its period; null without `autoscale`. */
  readonly scaling: ScalingLoop | null;

  // ── its series per replica ──
  /** The per-replica series (`perInstance: true`); null without them. */
  readonly perInstance: PerInstance | null;

  constructor(
    spec: Service,
    index: number,
    seed: number,
    m: ServiceMetrics,
    pauses: readonly PauseWindow[] = [],
    replicaFaults: ReplicaFaults | null = null,
    perInstance: PerInstance | null = null,
    keyedLatency: KeyedLatency | null = null,
  ) {
    this.spec = spec;
    this.perInstance = perInstance;
    this.index = index;
    this.m = m;
    this.workers = spec.workers;
    // A crash trigger watches each replica's load after dispatching, which the managed path does.
    this.managedQueue = spec.queue.discipline.kind !== 'fifo' || spec.dropExpired || spec.crashWhen !== null;
    this.keyedLatency = keyedLatency;
    this.shapedWork =
      spec.degradation !== null ||
      spec.coldStart !== null ||
      replicaFaults?.slows === true ||
      replicaFaults?.crashes === true ||
      keyedLatency !== null;
    this.doneBit = index < 31 ? 1 << index : 0;
    this.errorRate = spec.errorRate;
    this.serviceErrorRate = spec.errorRate;
    this.servicePauses = pauses;
    this.replicaFaults = replicaFaults;
    this.pauses = replicaFaults?.pauses === true ? [...pauses, ...replicaFaults.pauseWindows()].sort((a, b) => a.start - b.start) : pauses;
    const key = `service:${spec.name}`;
    this.serviceTime = new Draw(spec.serviceTime, createGenerator(seed, `${key}/service-time`));
    this.errors = createGenerator(seed, `${key}/errors`);
    this.balancerStream = createStream(seed, `${key}/balancer`);
    // Instances present at t = 0 have been running for a while: they are warm.
    for (let i = 0; i < spec.instances; i++) this.instances.push(new Instance(i, -Infinity, 'ready', spec));
    this.rotation = this.instances.slice();
    this.baseInstances = spec.instances;
    this.scaling = spec.autoscale !== null ? new ScalingLoop(spec.autoscale, spec.instances) : null;
    this.limiter = spec.rateLimit !== null ? new TokenBucket(spec.rateLimit) : null;
    this.concurrency = spec.concurrencyLimit !== null ? new AimdLimit(spec.concurrencyLimit) : null;
    this.gated = this.limiter !== null || this.concurrency !== null;
    this.outlier = spec.outlierDetection !== null ? new OutlierDetector(spec.outlierDetection) : null;
    this.crashWatch = spec.crashWhen !== null ? new CrashWatch(spec.crashWhen) : null;
    this.health = spec.healthCheck !== null ? new HealthChecker(spec.healthCheck) : null;
  }

  /**
   * Sets what the faults in force do to this service: extra latency, an error
   * chance of their own (independent of the baseline `errorRate`) and a
   * change of workers per instance (never below 0). Returns whether the
   * replica count they ask for changed (the caller then reconciles it, and
   * pauses the instances after that, new ones included).
   */
  applyFaults(fx: ServiceFaultEffects): boolean {
    const base = this.spec.errorRate;
    this.latencyAdd = fx.latencyAdd;
    this.latencyMul = fx.latencyMul;
    this.errorRate = base + fx.errorRate - base * fx.errorRate;
    this.serviceErrorRate = this.errorRate;
    this.workers = Math.max(0, this.spec.workers + fx.workers);
    if (fx.instances === this.faultInstances) return false;
    this.faultInstances = fx.instances;
    return true;
  }

  /** Instances ready or warming: what the autoscaler counts as current replicas. */
  provisioned(): number {
    let n = 0;
    for (const inst of this.instances) if (inst.state !== 'retired') n++;
    return n;
  }

  /**
   * Brings the replicas in service to `n`: retires the surplus (warming ones
   * first, then the newest ready ones) or starts new ones, which are ready at
   * once when `warmup` is 0 and warming otherwise. Returns the instances that
   * started warming (the caller schedules their readiness).
   */
  reconcile(n: number, now: number, warmup: number): Instance[] {
    const started: Instance[] = [];
    let have = this.provisioned();
    for (let i = this.instances.length - 1; i >= 0 && have > n; i--) {
      const inst = this.instances[i] as Instance;
      if (inst.state === 'warming') {
        inst.state = 'retired';
        have--;
      }
    }
    for (let i = this.instances.length - 1; i >= 0 && have > n; i--) {
      const inst = this.instances[i] as Instance;
      if (inst.state === 'ready') {
        inst.state = 'retired';
        have--;
      }
    }
    while (have < n) {
      const inst = new Instance(this.instances.length, now, warmup > 0 ? 'warming' : 'ready', this.spec);
      if (this.perInstance !== null) inst.slot = this.freeSlot();
      this.instances.push(inst);
      if (warmup > 0) started.push(inst);
      have++;
    }
    this.rebuildRotation();
    return started;
  }

  /**
   * The lowest per-replica slot no replica in service holds (a retired
   * replica still draining shares its slot with the newcomer). There is one:
   * the slots cover the most replicas the service can have in service.
   */
  private freeSlot(): number {
    const taken = new Set<number>();
    for (const inst of this.instances) if (inst.state !== 'retired') taken.add(inst.slot);
    let k = 0;
    while (taken.has(k)) k++;
    return k;
  }

  /** Rotation = the ready instances out neither by outlier detection nor by the health check, in index order (as Envoy: either takes a host out). */
  rebuildRotation(): void {
    this.rotation = this.instances.filter((i) => i.state === 'ready' && !i.ejected && !i.unhealthy);
  }

  /** Picks the instance for a new arrival, by the service's balancer; null when none is in rotation. */
  pick(): Instance | null {
    const r = this.rotation;
    const n = r.length;
    if (n === 1) return r[0] as Instance;
    return n === 0 ? null : this.balance(r, n);
  }

  /**
   * The balancer's choice among `n` > 1 instances. Apart from `pick` so that
   * `pick` stays small enough for the compiler to inline into the arrival
   * handler.
   */
  private balance(r: readonly Instance[], n: number): Instance {
    switch (this.spec.balancer) {
      case 'roundRobin':
        return r[this.rr++ % n] as Instance;
      case 'random':
        return r[Math.floor(this.balancerStream() * n)] as Instance;
      case 'leastRequests': {
        // Ties go round robin, so equal instances share the load evenly.
        const start = this.rr++ % n;
        let best = r[start] as Instance;
        for (let k = 1; k < n; k++) {
          const c = r[(start + k) % n] as Instance;
          if (c.inflight < best.inflight) best = c;
        }
        return best;
      }
      case 'powerOfTwo': {
        // Two distinct instances drawn uniformly; the less loaded one wins, the first on a tie.
        const i = Math.floor(this.balancerStream() * n);
        let j = Math.floor(this.balancerStream() * (n - 1));
        if (j >= i) j++;
        const a = r[i] as Instance;
        const b = r[j] as Instance;
        return b.inflight < a.inflight ? b : a;
      }
    }
  }
}
