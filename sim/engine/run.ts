/**
 * The core loop. Start reading here.
 *
 *   text ─parse→ Scenario ─normalize→ NormalizedScenario ─build→ Engine
 *        ─loop(pop, step)→ trace ─Recorder→ RunSeries ─reduce→ Summary, Verdict
 *
 * A run is a pure function of (scenario, seed): time advances only when the
 * loop pops an event, simultaneous events pop in the order they were
 * scheduled, and every random draw comes from a stream named after the
 * component and purpose that uses it.
 */
import { callEdgeNames } from '../scenario/edge-names.js';
import type { NormalizedScenario } from '../scenario/types.js';
import { Recorder } from '../metrics/recorder.js';
import type { RunSeries } from '../metrics/series.js';
import { EV_FAULT_END, EV_FAULT_START, Engine, RunAborted } from './engine.js';
import { ClientState, defineClientMetrics } from './model/client.js';
import { EdgeState } from './model/edge.js';
import { FaultState } from './model/fault.js';
import { scheduleAutoscalers } from './model/scaling.js';
import { ServiceState, defineServiceMetrics } from './model/service.js';

/** Options of one run. */
export interface RunOptions {
  /** Overrides the scenario's seed. */
  readonly seed?: number;
  /** Stop with an error after this many events. Default 10^9. */
  readonly maxEvents?: number;
  /** Stop with an error when one service holds more requests than this. Default 10^7. */
  readonly maxInflight?: number;
  /** Called now and then with the simulated time reached (for progress bars). */
  readonly onProgress?: (simTime: number) => void;
}

/** One conservation check: what flowed in = what flowed out + what is still inside. */
export interface ConservationCheck {
  readonly component: string;
  readonly ok: boolean;
  /** The equation with its numbers, e.g. `arrivals 100 = completed 90 + ... + inside 3`. */
  readonly detail: string;
}

/** What a run produces before any reduction. */
export interface RunResult {
  readonly series: RunSeries;
  /** Events popped from the queue. */
  readonly events: number;
  readonly seed: number;
  readonly conservation: readonly ConservationCheck[];
}

/** Raised when a run breaks one of its own invariants: a bug in loopsim, with what it takes to replay it. */
export class InvariantBroken extends Error {}

export { RunAborted };

const DEFAULT_MAX_EVENTS = 1e9;
const DEFAULT_MAX_INFLIGHT = 1e7;

/** Runs `scenario` to its `duration` and returns its bucketed series and audit. */
export function runScenario(scenario: NormalizedScenario, opts: RunOptions = {}): RunResult {
  const seed = opts.seed ?? scenario.seed;
  const maxEvents = opts.maxEvents ?? DEFAULT_MAX_EVENTS;
  const recorder = new Recorder(scenario.duration, scenario.sample);
  const engine = buildEngine(scenario, seed, recorder, opts.maxInflight ?? DEFAULT_MAX_INFLIGHT); // 1. build
  seedQueue(engine); // 2. seed the queue
  const q = engine.q;
  const end = scenario.duration;
  let events = 0;
  let nextReport = 0;
  while (q.size > 0 && q.peekTime() < end) { // 3. loop: pop, step
    q.pop();
    recorder.advance(q.now);
    engine.step();
    if (++events >= nextReport) {
      if (events >= maxEvents) {
        throw new RunAborted(`the run passed --max-events ${maxEvents} at t=${q.now.toFixed(1)} s; raise the limit or shorten the run`, 'run', q.now);
      }
      nextReport = Math.min(events + 1_000_000, maxEvents);
      opts.onProgress?.(q.now);
    }
  }
  const series = recorder.finish(); // 4. close the buckets
  const conservation = auditConservation(engine, series); // 5. audit
  const broken = conservation.filter((c) => !c.ok);
  if (broken.length > 0) {
    throw new InvariantBroken(
      `Conservation broke in ${broken.map((b) => `${b.component} (${b.detail})`).join('; ')}.\n` +
        `Replay: loopsim run <scenario> --seed ${seed}  (scenario "${scenario.name}")`,
    );
  }
  return { series, events, seed, conservation };
}

function buildEngine(scenario: NormalizedScenario, seed: number, recorder: Recorder, maxInflight: number): Engine {
  const serviceIndex = new Map(scenario.services.map((s, i) => [s.name, i]));
  const indexOf = (name: string): number => {
    const i = serviceIndex.get(name);
    if (i === undefined) throw new Error(`unknown service "${name}" (the parser should have refused it)`);
    return i;
  };
  const clients = scenario.clients.map((c, i) => {
    const m = defineClientMetrics(recorder, c.name);
    return new ClientState(c, i, indexOf(c.target), seed, m, FaultState.maxTrafficMultiplier(scenario.faults, c.name));
  });
  const services = scenario.services.map((s, i) => new ServiceState(s, i, seed, defineServiceMetrics(recorder, s)));
  const edges: EdgeState[] = [];
  for (const s of services) {
    const names = callEdgeNames(s.spec);
    for (const [k, call] of s.spec.calls.entries()) {
      const name = names[k] as string;
      const e = new EdgeState(call, edges.length, s.index, indexOf(call.to), name, seed, recorder);
      s.edges.push(e.index);
      edges.push(e);
    }
  }
  markMultiPath(services, edges);
  return new Engine(scenario, recorder, { clients, services, edges }, { maxInflight });
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

function seedQueue(engine: Engine): void {
  engine.scenario.faults.forEach((f, i) => {
    engine.q.push(f.at, EV_FAULT_START, i, 0);
    if (f.for > 0) engine.q.push(f.at + f.for, EV_FAULT_END, i, 0);
  });
  for (const c of engine.clients) engine.startClient(c);
  scheduleAutoscalers(engine);
}

function totalOf(series: RunSeries, name: string): number {
  const s = series.series.find((x) => x.name === name);
  return s !== undefined && s.kind === 'rate' ? s.total : 0;
}

/**
 * Per client: offered = goodput + failures + operations still open.
 * Per service: arrivals = completed + errors + rejected + expired + still inside,
 * and still inside = waiting + holding a worker.
 */
function auditConservation(engine: Engine, series: RunSeries): ConservationCheck[] {
  const checks: ConservationCheck[] = [];
  for (const c of engine.clients) {
    const n = c.spec.name;
    const [offered, goodput, failures] = ['offered', 'goodput', 'failures'].map((m) => totalOf(series, `${n}.${m}`)) as [number, number, number];
    checks.push({
      component: n,
      ok: offered === goodput + failures + c.open && c.open >= 0,
      detail: `offered ${offered} = goodput ${goodput} + failures ${failures} + in progress ${c.open}`,
    });
  }
  for (const s of engine.services) {
    const n = s.spec.name;
    const [arr, comp, err, rej, exp] = ['arrivals', 'completed', 'errors', 'rejected', 'expired'].map((m) => totalOf(series, `${n}.${m}`)) as [number, number, number, number, number];
    let waiting = 0;
    let busy = 0;
    for (const inst of s.instances) {
      waiting += inst.queue.size;
      busy += inst.busy;
    }
    const ok = arr === comp + err + rej + exp + s.inside && s.inside === waiting + busy && waiting === s.queued && busy === s.busy;
    checks.push({
      component: n,
      ok,
      detail: `arrivals ${arr} = completed ${comp} + errors ${err} + rejected ${rej} + expired ${exp} + inside ${s.inside} (waiting ${waiting}, holding a worker ${busy})`,
    });
  }
  return checks;
}
