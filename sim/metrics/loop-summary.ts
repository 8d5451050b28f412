/**
 * What `summary.json` says about the loops: each loop's gain before, during
 * and after the faults (`loops`), and the loop that dominates the window in
 * which the verdict is decided (`verdict.loop`).
 */
import { edgeNamesOf } from '../scenario/edge-names.js';
import { routeShare } from '../scenario/route-share.js';
import type { Call, NormalizedScenario, VerdictKind } from '../scenario/types.js';
import type { LoopLink, LoopName, Polarity } from './loop-structure.js';
import { loopReference, type LoopAnalysis, type LoopTrace } from './loops.js';
import { seriesValues } from './csv.js';
import { roundForOutput } from './round.js';
import { bucketWidth, type RunSeries } from './series.js';
import { bucketRange, type BucketRange } from './stats.js';

/** A loop figure over the three phases of a run; null where the phase has no bucket (or no faults). */
export interface PhaseFigures {
  /** The reference window (warmup to the first fault); without faults, the whole measured window. */
  readonly before: number | null;
  /** From the first fault's start to the end of the last one. */
  readonly during: number | null;
  /** From the end of the last fault to the end of the run. */
  readonly after: number | null;
}

/** One entry of `summary.json`'s `loops`. */
export interface LoopEntry {
  readonly name: LoopName;
  readonly polarity: Polarity;
  readonly path: readonly string[];
  /** Mean gain per phase (≥ 1: the loop sustains itself). */
  readonly gain: PhaseFigures;
  /** Share of the phase's buckets in which the loop was active (0 to 1). */
  readonly active: PhaseFigures;
  readonly id: string;
  readonly bottleneck: string;
  readonly links: readonly LoopLink[];
  readonly delays: Readonly<Record<string, number>>;
}

/** `verdict.loop`: the loop that dominates when the verdict is decided. */
export interface VerdictLoop {
  readonly name: LoopName;
  readonly polarity: Polarity;
  readonly path: readonly string[];
  /** Mean gain over the window. */
  readonly gain: number;
  readonly id: string;
  readonly bottleneck: string;
  /** The window the loop was judged over, in seconds. */
  readonly window: { readonly from: number; readonly to: number };
  /** Share of the window's buckets the loop dominated. */
  readonly dominance: number;
  /** Mean demand at the bottleneck per second (for a pool: calls wanting a connection; for an autoscaler: replicas needed). */
  readonly demand: number;
  /** Mean throughput of the bottleneck per second (for a pool: calls it carried; for an autoscaler: replicas asked for). */
  readonly served: number;
  /**
   * Mean attempts reaching the bottleneck per operation its clients offered; null without clients or offered operations.
   * When the loop's path goes through a weighted choice ({@link VerdictLoop.routedShare}), per operation the choice sends that way.
   */
  readonly attemptsPerOperation: number | null;
  /** The loop's mean multiplier over the window (1 when it has none). */
  readonly multiplier: number;
  /**
   * The share of the clients' operations that the weighted choices on the loop's path send
   * along it (the product of their route shares); absent when the path has no such choice.
   */
  readonly routedShare?: number;
}

/** Phase ranges of a run: null where a phase is empty. */
export function loopPhases(
  run: RunSeries,
  scenario: NormalizedScenario,
): { before: BucketRange | null; during: BucketRange | null; after: BucketRange | null } {
  const nonEmpty = (r: BucketRange): BucketRange | null => (r.end > r.first ? r : null);
  if (scenario.faults.length === 0) return { before: nonEmpty(bucketRange(run, scenario.warmup, run.duration)), during: null, after: null };
  const firstAt = Math.min(...scenario.faults.map((f) => f.at));
  const faultsEnd = Math.max(...scenario.faults.map((f) => f.at + f.for));
  return {
    before: nonEmpty(loopReference(run, scenario)),
    during: nonEmpty(bucketRange(run, firstAt, faultsEnd)),
    after: nonEmpty(bucketRange(run, faultsEnd, run.duration)),
  };
}

function meanOver(run: RunSeries, v: ArrayLike<number>, r: BucketRange): number {
  let sum = 0;
  let seconds = 0;
  for (let i = r.first; i < r.end; i += 1) {
    const w = bucketWidth(run, i);
    sum += v[i]! * w;
    seconds += w;
  }
  return seconds > 0 ? sum / seconds : 0;
}

/** The `loops` list of `summary.json`, in the order the structure declares them. */
export function reduceLoopEntries(run: RunSeries, scenario: NormalizedScenario, analysis: LoopAnalysis): LoopEntry[] {
  const phases = loopPhases(run, scenario);
  const per = (v: ArrayLike<number>): PhaseFigures => ({
    before: phases.before === null ? null : roundForOutput(meanOver(run, v, phases.before)),
    during: phases.during === null ? null : roundForOutput(meanOver(run, v, phases.during)),
    after: phases.after === null ? null : roundForOutput(meanOver(run, v, phases.after)),
  });
  return analysis.loops.map((t) => ({
    name: t.spec.name,
    polarity: t.spec.polarity,
    path: t.spec.path,
    gain: per(t.gain),
    active: per(t.active),
    id: t.spec.id,
    bottleneck: t.spec.bottleneck,
    links: t.spec.links,
    delays: t.spec.delays,
  }));
}

/** What the verdict needs to place its loop window. */
export interface VerdictWindowFacts {
  readonly kind: VerdictKind | 'draining';
  readonly recoverySeconds: number | null;
  readonly faultsEnd: number | null;
}

/** Length of the tail window, in buckets: the verdict's hold, max(10 buckets, 10 s). */
export function tailBuckets(run: RunSeries): number {
  return Math.min(run.buckets, Math.max(10, Math.ceil(10 / run.sample - 1e-9)));
}

/**
 * The buckets in which the verdict is decided: for `recovered`, from the end
 * of the last fault to the recovery (null when it recovered at once); for
 * `stable`, none; for every other kind (the system is not back), the last
 * hold of the run (max(10 buckets, 10 s)).
 */
export function verdictLoopWindow(run: RunSeries, v: VerdictWindowFacts): BucketRange | null {
  if (v.kind === 'stable') return null;
  if (v.kind === 'recovered') {
    if (v.faultsEnd === null || v.recoverySeconds === null || v.recoverySeconds <= 0) return null;
    const r = bucketRange(run, v.faultsEnd, v.faultsEnd + v.recoverySeconds);
    return r.end > r.first ? r : null;
  }
  return { first: run.buckets - tailBuckets(run), end: run.buckets };
}

/**
 * `verdict.loop`: over the verdict's window ({@link verdictLoopWindow}), the
 * loop that dominates the most buckets (ties: the earlier declared), provided
 * some loop is active in at least half of them; null otherwise.
 */
export function reduceVerdictLoop(
  run: RunSeries,
  scenario: NormalizedScenario,
  analysis: LoopAnalysis,
  v: VerdictWindowFacts,
): VerdictLoop | null {
  const w = verdictLoopWindow(run, v);
  if (w === null) return null;
  const counts = new Map<number, number>();
  let withLoop = 0;
  for (let i = w.first; i < w.end; i += 1) {
    const d = analysis.dominant[i]!;
    if (d < 0) continue;
    withLoop += 1;
    counts.set(d, (counts.get(d) ?? 0) + 1);
  }
  const size = w.end - w.first;
  if (withLoop * 2 < size) return null;
  let best = -1;
  let bestCount = 0;
  for (const [k, c] of [...counts].sort((a, b) => a[0] - b[0])) {
    if (c > bestCount) {
      best = k;
      bestCount = c;
    }
  }
  const t = analysis.loops[best]!;
  return describeLoop(run, scenario, t, w, bestCount / size);
}

function describeLoop(run: RunSeries, scenario: NormalizedScenario, t: LoopTrace, w: BucketRange, dominance: number): VerdictLoop {
  let ops = 0;
  for (const c of t.spec.clients) {
    const o = scenario.clients.some((x) => x.name === c) ? seriesValues(run, `${c}.offered`) : undefined;
    if (o !== undefined) ops += meanOver(run, o, w);
  }
  const routed = pathRouteShare(run, scenario, t.spec.path);
  ops *= routed;
  const demand = meanOver(run, t.demand, w);
  const perOp = t.spec.name === 'pool' || t.spec.name === 'autoscaler' || !(ops > 0) ? null : roundForOutput(demand / ops);
  return {
    name: t.spec.name,
    polarity: t.spec.polarity,
    path: t.spec.path,
    gain: roundForOutput(meanOver(run, t.gain, w)),
    id: t.spec.id,
    bottleneck: t.spec.bottleneck,
    window: { from: roundForOutput(w.first * run.sample), to: roundForOutput(Math.min(run.duration, w.end * run.sample)) },
    dominance: roundForOutput(dominance),
    demand: roundForOutput(demand),
    served: roundForOutput(meanOver(run, t.served, w)),
    attemptsPerOperation: perOp,
    multiplier: roundForOutput(meanOver(run, t.multiplier, w)),
    ...(routed < 1 ? { routedShare: roundForOutput(routed) } : {}),
  };
}

/**
 * The share of operations that the route groups along a loop's path send
 * that way: the product of the route shares of its call edges (`a->b`) that
 * are alternatives of a group; 1 when none is. A route by key has no share in
 * the scenario: the run's `routed` counts give it, this call's over its group's.
 */
function pathRouteShare(run: RunSeries, scenario: NormalizedScenario, path: readonly string[]): number {
  let share = 1;
  for (const step of path) {
    const [from, to] = step.split('->');
    if (to === undefined) continue;
    const calls = scenario.services.find((s) => s.name === from)?.calls ?? [];
    const call = calls.find((c) => c.to === to && c.route !== null);
    if (call === undefined) continue;
    share *= routeShare(calls, call) ?? measuredShare(run, from!, calls, call);
  }
  return share;
}

/** The share of its group's requests the run routed to `call` of service `from` (1 when the group routed none). */
function measuredShare(run: RunSeries, from: string, calls: readonly Call[], call: Call): number {
  const names = edgeNamesOf(from, calls);
  let mine = 0;
  let group = 0;
  for (const [k, c] of calls.entries()) {
    if (c.route?.group !== call.route?.group) continue;
    let n = 0;
    for (const v of seriesValues(run, `${names[k]!}.routed`) ?? []) n += v;
    group += n;
    if (c === call) mine = n;
  }
  return group > 0 ? mine / group : 1;
}
