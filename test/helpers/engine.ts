/**
 * Engines for unit tests of the event handlers: built from a scenario with
 * no event scheduled, reporting to a {@link TallySink} that keeps totals by
 * metric name, so that a test calls one handler and reads what it did (the
 * events it scheduled, the counts and levels it reported, the records it
 * changed).
 */
import type { MetricKind, TraceSink } from '../../sim/metrics/trace.js';
import type { Engine } from '../../sim/engine/engine.js';
import { newReq } from '../../sim/engine/handlers/requests.js';
import { arrive } from '../../sim/engine/handlers/services.js';
import { buildEngine } from '../../sim/engine/run.js';
import type { NormalizedScenario } from '../../sim/scenario/types.js';

/** A trace sink that keeps, per metric: counts summed, the last level, every latency. */
export class TallySink implements TraceSink {
  private readonly ids = new Map<string, number>();
  private readonly counts: number[] = [];
  private readonly levels: number[] = [];
  private readonly durations: number[][] = [];
  readonly kinds: MetricKind[] = [];
  /** Level reports, in order, as [metric name, value]. */
  readonly levelLog: [string, number][] = [];
  readonly names: string[] = [];
  ratios: string[] = [];
  now = 0;

  define(name: string, kind: MetricKind, initial = 0): number {
    const id = this.names.length;
    this.ids.set(name, id);
    this.names.push(name);
    this.kinds.push(kind);
    this.counts.push(0);
    this.levels.push(initial);
    this.durations.push([]);
    return id;
  }

  advance(now: number): void {
    this.now = now;
  }

  count(id: number, n: number): void {
    this.counts[id] = (this.counts[id] as number) + n;
  }

  level(id: number, value: number): void {
    this.levels[id] = value;
    this.levelLog.push([this.names[id] as string, value]);
  }

  latency(id: number, seconds: number): void {
    this.durations[id]?.push(seconds);
  }

  ratio(name: string): void {
    this.ratios.push(name);
  }

  /** The summed count of rate metric `name` (0 if never counted). */
  total(name: string): number {
    return this.counts[this.id(name)] as number;
  }

  /** The last level reported for stock metric `name` (its initial value if none). */
  last(name: string): number {
    return this.levels[this.id(name)] as number;
  }

  /** Every duration recorded for latency metric `name`. */
  latencies(name: string): number[] {
    return this.durations[this.id(name)] as number[];
  }

  /** Whether metric `name` was declared. */
  has(name: string): boolean {
    return this.ids.has(name);
  }

  private id(name: string): number {
    const id = this.ids.get(name);
    if (id === undefined) throw new Error(`no metric ${name}`);
    return id;
  }
}

/** The engine of `sc` with nothing scheduled, and the sink it reports to. */
export function engineFor(sc: NormalizedScenario, maxInflight = 1e7): { eng: Engine; sink: TallySink } {
  const sink = new TallySink();
  return { eng: buildEngine(sc, sc.seed, sink, maxInflight), sink };
}

/** One scheduled event. */
export interface Scheduled {
  readonly time: number;
  readonly kind: number;
  readonly a: number;
  readonly b: number;
}

/** Takes every pending event off `eng`'s queue, in the order they would pop (the clock moves to the last). */
export function drain(eng: Engine): Scheduled[] {
  const out: Scheduled[] = [];
  const q = eng.q;
  while (q.pop()) out.push({ time: q.now, kind: q.kind, a: q.a, b: q.b });
  return out;
}

/** Runs `eng`'s events in order while they are before `until`, each through {@link Engine.step}; returns how many ran. */
export function runUntil(eng: Engine, sink: TallySink, until: number): number {
  const q = eng.q;
  let n = 0;
  while (q.size > 0 && q.peekTime() < until) {
    q.pop();
    sink.advance(q.now);
    eng.step();
    n++;
  }
  return n;
}

/** Sets `eng`'s clock to `t` (by scheduling and popping a no-op event); pending events are kept only if later than `t`. */
export function setClock(eng: Engine, t: number): void {
  const kept = drain(eng).filter((e) => e.time > t);
  eng.q.push(t, -1, 0, 0);
  eng.q.pop();
  for (const e of kept) eng.q.push(e.time, e.kind, e.a, e.b);
}

/**
 * A bare request of client 0 to service `svc` (its operation counted as
 * open), which has arrived there now unless `arrived` is false; its id.
 */
export function request(eng: Engine, svc = 0, arrived = true): number {
  const r = newReq(eng, -1, 0);
  eng.reqs.svc[r] = svc;
  eng.clients[0]!.open++;
  if (arrived) arrive(eng, r);
  return r;
}
