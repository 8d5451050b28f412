/**
 * The core loop. Start reading here.
 *
 *   text ─parse→ Scenario ─normalize→ NormalizedScenario ─build→ Engine
 *        ─loop(pop, step)→ trace ─Recorder→ RunSeries ─reduce→ Summary, Verdict
 *
 * A run is a pure function of (scenario, seed): time advances only when the
 * loop pops an event, simultaneous events pop in the order they were
 * scheduled, and every random draw comes from a stream named after the
 * component and purpose that uses it. The loop runs in slices
 * ({@link RunStepper}); between slices the engine's state invariants are
 * checked (invariants.ts) and a caller may yield, which changes nothing.
 */
import { bareCall } from '../scenario/normalize-parts.js';
import { replicaSlots } from '../scenario/replica-slots.js';
import { PerInstance } from './model/per-instance.js';
import { callEdgeNames } from '../scenario/edge-names.js';
import type { Broker, NormalizedScenario } from '../scenario/types.js';
import { Recorder } from '../metrics/recorder.js';
import type { RunSeries } from '../metrics/series.js';
import type { TraceSink } from '../metrics/trace.js';
import { Engine, RunAborted } from './engine.js';
import { TableFull } from './model/entities.js';
import { auditConservation, stateChecker, type ConservationCheck, type StateCheck, type Violation } from './invariants.js';
import { BrokerState, defineBrokerMetrics } from './model/broker.js';
import { ClientState, defineClientMetrics } from './model/client.js';
import { degradable } from './model/fallback.js';
import { EdgeState } from './model/edge.js';
import { burstSchedules } from './model/burst.js';
import { KeyedLatency, hasKeyedLatency, hasLinkFault, maxTrafficMultiplier, pauseWindows } from './model/fault.js';
import { ReplicaFaults } from './model/replica-faults.js';
import { ServiceState, defineServiceMetrics } from './model/service.js';
import { routeChoices } from './model/route.js';

/** Options of one run. */
export interface RunOptions {
  /** Overrides the scenario's seed. */
  readonly seed?: number;
  /** Stop with an error after this many events. Default 10^9. */
  readonly maxEvents?: number;
  /**
   * Stop with an error when more requests than this are alive at once, over
   * every service together (waiting, in service, waiting on their calls, on
   * the network): the memory a run holds grows with it. Default 10^7.
   */
  readonly maxInflight?: number;
  /** Called now and then with the simulated time reached (for progress bars). */
  readonly onProgress?: (simTime: number) => void;
}

export type { ConservationCheck };

/** What a run produces before any reduction. */
export interface RunResult {
  readonly series: RunSeries;
  /** Events popped from the queue. */
  readonly events: number;
  readonly seed: number;
  readonly conservation: readonly ConservationCheck[];
}

/** What it takes to report and replay a broken invariant. */
export interface InvariantFacts {
  /** The service, edge (`caller->callee`) or client the invariant is about; `clock` for time. */
  readonly component: string;
  /** Simulated seconds when it was found (the end of the run for the conservation audit). */
  readonly time: number;
  /** The seed of the run: with the scenario, all it takes to replay it. */
  readonly seed: number;
  /** What broke, with its numbers. */
  readonly detail: string;
}

/**
 * Raised when a run breaks one of its own invariants: a bug in loopsim. The
 * fields say where, when and with which seed; the CLI adds the command that
 * replays it (it knows the file and the overrides).
 */
export class InvariantBroken extends Error implements InvariantFacts {
  readonly component: string;
  readonly time: number;
  readonly seed: number;
  readonly detail: string;
  constructor(facts: InvariantFacts) {
    super(`loopsim broke an invariant in ${facts.component} at t=${formatTime(facts.time)} with seed ${facts.seed}: ${facts.detail}`);
    this.component = facts.component;
    this.time = facts.time;
    this.seed = facts.seed;
    this.detail = facts.detail;
  }
}

export { RunAborted };

/** Simulated seconds in a message: `84.123457 s` (six decimals at most, no trailing zeros). */
export function formatTime(t: number): string {
  return `${Number(t.toFixed(6))} s`;
}

/**
 * The default event guard. Measured on a 2-core development machine, 10^9
 * events take about 85 s for an M/M/1 queue and up to about 6 minutes for a
 * scenario with every mechanism (docs/performance.md); the guard's message
 * says so.
 */
export const DEFAULT_MAX_EVENTS = 1e9;

/** The message of the event guard that stopped a run at simulated time `now`. */
export function eventGuardMessage(maxEvents: number, now: number): string {
  const took =
    maxEvents === DEFAULT_MAX_EVENTS
      ? ' (the default: 10^9 events take from about 1.5 to 6 minutes; --max-events 1e8 stops a runaway run ten times sooner)'
      : '';
  return `the run passed --max-events ${maxEvents} at t=${now.toFixed(1)} s${took}; raise the limit or shorten the run`;
}
const DEFAULT_MAX_INFLIGHT = 1e7;
/** Events between two progress reports. */
const REPORT_EVERY = 1_000_000;

/** Events per slice when a run is stepped to its end in one go: the state invariants are checked between slices. */
export const SLICE_EVENTS = 1_000_000;

/**
 * A run that advances in slices: build it, call {@link advance} until it
 * returns false, then {@link finish}. Between slices the caller may yield to
 * the event loop (the CLI does, so Ctrl-C is heard) and the stepper checks
 * the engine's state invariants. Stepping in any slices gives the same
 * result, bit for bit, as {@link runScenario}.
 */
export class RunStepper {
  readonly seed: number;
  /** The engine's state: read it, do not change it (tests do, to check that a broken invariant is caught). */
  readonly engine: Engine;
  private readonly recorder: Recorder;
  private readonly end: number;
  private readonly maxEvents: number;
  private readonly onProgress: ((simTime: number) => void) | undefined;
  private readonly checkState: StateCheck;
  private eventCount = 0;
  /** Event count at which the next progress report is due. */
  private reportAt = 0;
  /** The guard tripped while the queue was seeded: thrown by the first {@link advance}. */
  private seedAbort: RunAborted | null = null;

  constructor(scenario: NormalizedScenario, opts: RunOptions = {}) {
    this.seed = opts.seed ?? scenario.seed;
    this.maxEvents = opts.maxEvents ?? DEFAULT_MAX_EVENTS;
    this.onProgress = opts.onProgress;
    this.end = scenario.duration;
    this.recorder = new Recorder(scenario.duration, scenario.sample);
    this.engine = buildEngine(scenario, this.seed, this.recorder, opts.maxInflight ?? DEFAULT_MAX_INFLIGHT); // 1. build
    try {
      this.engine.start(); // 2. seed the queue
    } catch (e) {
      // Closed-loop users all sending at t = 0 can pass a small --max-inflight already; the first advance throws it.
      if (!(e instanceof TableFull)) throw e;
      this.seedAbort = this.inflightPassed(e.limit);
    }
    this.checkState = stateChecker(this.engine);
  }

  /** Events run so far. */
  get events(): number {
    return this.eventCount;
  }

  /** Simulated time reached: the time of the last event run. */
  get now(): number {
    return this.engine.q.now;
  }

  /**
   * Runs at most `slice` more events (at least one, if any remain), then
   * checks the state invariants. Returns true while events remain before the
   * end of the run.
   *
   * @throws RunAborted when a guard trips.
   * @throws InvariantBroken when the state breaks an invariant.
   */
  advance(slice: number = Infinity): boolean {
    if (this.seedAbort !== null) throw this.seedAbort;
    try {
      return this.advanceLoop(slice);
    } catch (e) {
      if (e instanceof TableFull) throw this.inflightPassed(e.limit);
      throw e;
    }
  }

  /** The guard's message: the bound, the time, and the service holding the most requests. */
  private inflightPassed(limit: number): RunAborted {
    const now = this.engine.q.now;
    let top = this.engine.services[0];
    for (const s of this.engine.services) if (top === undefined || s.inside > top.inside) top = s;
    const n = (x: number): string => x.toLocaleString('en-US');
    const where = top === undefined ? '' : `, ${n(top.inside)} of them inside ${top.spec.name} (${n(top.queued)} waiting in its queue)`;
    return new RunAborted(
      `the requests in flight passed ${n(limit)} at t=${formatTime(Math.round(now * 10) / 10)}${where}: the system is overloaded; bound the queues or shorten the run`,
      top?.spec.name ?? 'run',
      now,
    );
  }

  private advanceLoop(slice: number): boolean {
    const engine = this.engine;
    const recorder = this.recorder;
    const q = engine.q;
    const end = this.end;
    const maxEvents = this.maxEvents;
    const stopAt = this.eventCount + slice;
    let events = this.eventCount;
    let nextReport = Math.min(this.reportAt, maxEvents, stopAt);
    try {
      while (q.size > 0 && q.peekTime() < end) {
        // 3. loop: pop, step
        q.pop();
        recorder.advance(q.now);
        engine.step();
        if (++events >= nextReport) {
          if (events >= maxEvents) {
            throw new RunAborted(eventGuardMessage(maxEvents, q.now), 'run', q.now);
          }
          if (events >= this.reportAt) {
            this.reportAt = events + REPORT_EVERY;
            this.onProgress?.(q.now);
          }
          if (events >= stopAt) break;
          nextReport = Math.min(this.reportAt, maxEvents, stopAt);
        }
      }
    } finally {
      // Kept when a guard throws too: the outputs up to the stop count the events run.
      this.eventCount = events;
    }
    this.raise(this.checkState(q.now));
    return q.size > 0 && q.peekTime() < end;
  }

  /** The series of the buckets closed so far, changing nothing (Recorder.closedSoFar): for a page that draws as the run goes. */
  closedSoFar(): RunSeries {
    return this.recorder.closedSoFar();
  }

  /**
   * Closes the buckets and audits conservation; call it once {@link advance}
   * has returned false.
   *
   * @throws InvariantBroken when conservation broke.
   */
  finish(): RunResult {
    const q = this.engine.q;
    if (q.size > 0 && q.peekTime() < this.end)
      throw new Error('RunStepper.finish: the run has not reached its end (advance until it returns false)');
    const series = this.recorder.finish(); // 4. close the buckets
    const conservation = auditConservation(this.engine, series); // 5. audit
    this.raise(
      conservation.filter((c) => !c.ok),
      this.end,
    );
    return { series, events: this.eventCount, seed: this.seed, conservation };
  }

  /**
   * The series up to the stop, after a guard stopped the run ({@link advance}
   * threw RunAborted): buckets over [0, now), the last one cut short. No
   * conservation audit: the run did not reach its end. Call it instead of
   * {@link finish}.
   */
  finishStopped(): RunResult {
    return { series: this.recorder.finish(this.now), events: this.eventCount, seed: this.seed, conservation: [] };
  }

  /** Throws InvariantBroken for the first component in `violations`, with every violation of that component; nothing when empty. */
  private raise(violations: readonly Violation[], time = this.now): void {
    const first = violations[0];
    if (first === undefined) return;
    const detail = violations
      .filter((v) => v.component === first.component)
      .map((v) => v.detail)
      .join('; ');
    throw new InvariantBroken({ component: first.component, time, seed: this.seed, detail });
  }
}

/** Runs `scenario` to its `duration` and returns its bucketed series and audit. */
export function runScenario(scenario: NormalizedScenario, opts: RunOptions = {}): RunResult {
  const stepper = new RunStepper(scenario, opts);
  while (stepper.advance(SLICE_EVENTS));
  return stepper.finish();
}

/**
 * The engine of `scenario` with `seed`, its components built and their
 * metrics declared on `recorder`, before any event is scheduled
 * ({@link Engine.start} seeds the queue).
 */
export function buildEngine(scenario: NormalizedScenario, seed: number, recorder: TraceSink, maxInflight: number): Engine {
  const serviceIndex = new Map(scenario.services.map((s, i) => [s.name, i]));
  const indexOf = (name: string): number => {
    const i = serviceIndex.get(name);
    if (i === undefined) throw new Error(`unknown service "${name}" (the parser should have refused it)`);
    return i;
  };
  const brokerIndex = new Map(scenario.brokers.map((b, i) => [b.name, i]));
  const canDegrade = degradable(scenario);
  const clients = scenario.clients.map((c, i) => {
    const m = defineClientMetrics(recorder, c.name, c, canDegrade);
    const broker = brokerIndex.get(c.target);
    const cs = new ClientState(c, i, broker === undefined ? indexOf(c.target) : -1, seed, m, maxTrafficMultiplier(scenario.faults, c.name));
    if (broker !== undefined) cs.broker = broker;
    return cs;
  });
  const services = scenario.services.map((s, i) => {
    const replicaFaults = new ReplicaFaults(scenario.faults, s.name, s.crashWhen !== null);
    const m = defineServiceMetrics(recorder, s, replicaFaults.crashes);
    // Declared after the service's own metrics, as the catalogue lists them.
    const slots = replicaSlots(s.name, s.instances, s.autoscale?.max ?? null, scenario.faults);
    const perInstance = s.perInstance ? new PerInstance(recorder, s, slots) : null;
    const keyed = hasKeyedLatency(scenario.faults, s.name) ? new KeyedLatency() : null;
    const replicas = replicaFaults.any ? replicaFaults : null;
    return new ServiceState(s, i, seed, m, pauseWindows(scenario.faults, s.name), replicas, perInstance, keyed);
  });
  const edges: EdgeState[] = [];
  for (const s of services) {
    const names = callEdgeNames(s.spec);
    const routes = routeChoices(s.spec.calls, s.spec.name, seed);
    for (const [k, call] of s.spec.calls.entries()) {
      const name = names[k] as string;
      const e = new EdgeState(call, edges.length, s.index, indexOf(call.to), name, seed, recorder, {
        linkFaulted: hasLinkFault(scenario.faults, name),
      });
      e.route = routes[k] ?? null;
      s.edges.push(e.index);
      edges.push(e);
    }
  }
  const brokers = scenario.brokers.map((b, i) => {
    const m = defineBrokerMetrics(recorder, b.name);
    const e = deliveryEdge(b, edges.length, indexOf(b.consumers.service), seed, recorder);
    e.delivery = i;
    edges.push(e);
    return new BrokerState(b, i, m, e.index);
  });
  markMultiPath(services, edges);
  const bursts = burstSchedules(scenario.faults, (name) => scenario.clients.findIndex((c) => c.name === name), seed);
  return new Engine(scenario, recorder, { clients, services, edges, brokers, bursts }, { maxInflight });
}

/**
 * The edge a broker's consumer group delivers on, `<broker>-><service>`: no
 * network, no timeout, no retry (the broker redelivers), and no metrics of
 * its own (the broker's count its deliveries).
 */
function deliveryEdge(b: Broker, index: number, to: number, seed: number, recorder: TraceSink): EdgeState {
  const spec = bareCall(b.consumers.service);
  return new EdgeState(spec, index, -1, to, `${b.name}->${b.consumers.service}`, seed, recorder, { recorded: false });
}

/**
 * Marks the services that one operation can reach by more than one call path:
 * paths(s) = sum over the calls u->s of max(1, paths(u)). The call graph has
 * no cycles (the parser refuses them), so the recursion ends.
 */
function markMultiPath(services: readonly ServiceState[], edges: readonly EdgeState[]): void {
  const memo = new Map<number, number>();
  const paths = (s: number): number => {
    const known = memo.get(s);
    if (known !== undefined) return known;
    let n = 0;
    for (const e of edges) if (e.to === s) n += Math.max(1, paths(e.from));
    memo.set(s, n);
    return n;
  };
  for (const s of services) s.multiPath = paths(s.index) > 1;
}
