/**
 * The verdict of a run: `stable`, `overloaded`, `recovered`, `draining` or
 * `metastable` (docs/scenario-format.md, "The verdict", and docs/model.md),
 * with the damage, the oscillation and the stock that grew beside the kind.
 * The rule is spelled out on {@link reduceVerdict}; the fault-free half lives
 * in ./queue-trend.ts, the damage in ./damage.ts, the swings in
 * ./oscillation.ts, the list of stocks in ./stocks.ts.
 */
import type { NormalizedScenario, VerdictKind } from '../scenario/types.js';
import { seriesValues } from './csv.js';
import { measureDamage, type Damage } from './damage.js';
import { findOscillation, type Oscillation } from './oscillation.js';
import { OVERLOAD_FLOOR, OVERLOAD_MEDIAN_FACTOR, explainQueueTrend, fitLine, reduceQueueTrend, type QueueTrend } from './queue-trend.js';
import { roundForOutput, roundSignificant } from './round.js';
import { bucketStart, bucketWidth, type RunSeries } from './series.js';
import { bucketRange, percentile } from './stats.js';
import { growingStock, totalBacklog, workStocks, type GrowingStock, type WorkStock } from './stocks.js';
import { isUnaffected } from './unaffected.js';

/** Floor of a service's in-flight limit. */
export const INFLIGHT_FLOOR = 10;
/** Shortest hold in seconds; the hold is the longer of this and {@link HOLD_BUCKETS}. */
export const HOLD_SECONDS = 10;
/** Shortest hold in buckets. */
export const HOLD_BUCKETS = 10;
/** Smallest relative goodput tolerance. */
export const GOODPUT_TOLERANCE = 0.05;
/** A trend over the tail counts (shrinking backlog, rising goodput) when its line moves by at least this share. */
export const TREND_SHARE = 0.1;
/** Goodput below this share of its reference has collapsed. */
export const COLLAPSED_SHARE = 0.5;

/** How one client's goodput was judged. Rates are per second. */
export interface ClientCheck {
  readonly name: string;
  /** Mean goodput over the reference window; null without one. */
  readonly reference: number | null;
  /** Lowest mean goodput over a hold that counts as recovered; null without a reference. */
  readonly threshold: number | null;
  /** Mean goodput over the last hold of the run. */
  readonly atEnd: number;
  /** `atEnd / reference`; null when the reference is missing or 0. */
  readonly fractionAtEnd: number | null;
}

/** How one service's in-flight count was judged. */
export interface ServiceCheck {
  readonly name: string;
  /** 99th percentile of the in-flight bucket means over the reference window; null without one. */
  readonly referenceP99: number | null;
  /** Every in-flight bucket mean in the hold must stay below this. */
  readonly limit: number;
  /** Largest in-flight bucket mean over the last hold of the run. */
  readonly atEnd: number;
}

/** How one work stock outside every service's in-flight count was judged (a client's retry sleepers). */
export interface StockCheck {
  /** `<component>.<metric>`. */
  readonly name: string;
  /** What it holds, in words. */
  readonly label: string;
  /** 99th percentile of its bucket means over the reference window; null without one. */
  readonly referenceP99: number | null;
  /** Every bucket mean in the hold must stay below this. */
  readonly limit: number;
  /** Largest bucket mean over the last hold of the run. */
  readonly atEnd: number;
}

/** A backlog on its way down: how fast, and when it would be back under its limit. */
export interface Drain {
  /**
   * Requests (or operations) leaving the slowest-clearing backlog per second:
   * minus the slope of its line over the tail. Null when no backlog is over
   * its limit and only goodput is still climbing back.
   */
  readonly perSecond: number | null;
  /** Seconds from the end of the run until the lines reach their limits (the latest of them). */
  readonly clearsInSeconds: number;
  /** The series that clears last: `<service>.inflight`, `<client>.retry.waiting` or `<client>.goodput`. */
  readonly series: string;
}

/** The verdict as `summary.json` writes it: `kind` and `recoverySeconds` first, then the evidence. */
export interface Verdict {
  readonly kind: VerdictKind;
  /** Seconds from the end of the last fault window to recovery; null unless `recovered`. */
  readonly recoverySeconds: number | null;
  /**
   * True when the faults changed nothing the verdict measures: from the first
   * fault to the end of the recovering hold, no backlog reached its limit and
   * no client's goodput fell short of normal by more than noise (./unaffected.ts).
   * Only a `recovered` run can be unaffected (its `recoverySeconds` is then
   * what the recovery test gives: more than 0 when noise delayed the hold);
   * false without faults.
   */
  readonly unaffected: boolean;
  /** One sentence explaining the kind, for the report and the CLI. */
  readonly reason: string;
  /** End of the last fault window (seconds); null without faults. */
  readonly faultsEnd: number | null;
  /** Seconds the run went on after `faultsEnd`; null without faults. */
  readonly watchedSeconds: number | null;
  /** Length of the hold in seconds; null without faults. */
  readonly holdSeconds: number | null;
  /** The reference window [from, to) in seconds; null without faults or when none fits. */
  readonly reference: { readonly from: number; readonly to: number } | null;
  /** One entry per client with a goodput series (empty without faults). */
  readonly clients: readonly ClientCheck[];
  /** One entry per service with an in-flight series (empty without faults). */
  readonly services: readonly ServiceCheck[];
  /** The total-queue trend that decides `stable` vs `overloaded`; null with faults. */
  readonly queue: QueueTrend | null;
  /**
   * With faults: the same total-queue trend over the reference window, where
   * the system should be healthy. When it reads overloaded, the reference
   * level is itself a growing queue and `reason` says so: a `recovered` then
   * means back to an overloaded baseline. Null without faults or without a
   * reference window.
   */
  readonly baselineQueue: QueueTrend | null;
  /** One entry per work stock outside every service's in-flight count (empty without faults). */
  readonly stocks: readonly StockCheck[];
  /**
   * Without faults: the fault-free test on the total backlog (service queues,
   * busy workers of `unlimited` services, operations backing off), which
   * decides `overloaded` together with `queue`. Null with faults.
   */
  readonly backlog: QueueTrend | null;
  /** The stock that grew most over the measured window, named for what it holds; null when none held work. */
  readonly growing: GrowingStock | null;
  /** For `draining`: the rate and the time to clear; null otherwise. */
  readonly drain: Drain | null;
  /** Goodput lost against normal over the measured window, whatever the kind; null without a reference. */
  readonly damage: Damage | null;
  /** Sustained swings after the trigger; null when nothing swings. */
  readonly oscillation: Oscillation | null;
}

/**
 * Judges a run. The rule, with buckets `sample` seconds wide and bucket i
 * starting at i × sample:
 *
 * With faults (each a window [at, at + for); `for` is 0 for `cacheFlush` and for a burst sent at once):
 * 1. `faultsEnd` is the largest at + for. The reference window is the whole
 *    buckets (start ≥ warmup, end ≤ the first fault's `at`); when there are
 *    none, the whole buckets before the first fault; when there are still
 *    none, there is no reference (said in `reason`): goodput is then not
 *    judged, and in-flight limits are 10.
 * 2. For each client, `reference` is the width-weighted mean of
 *    `<client>.goodput` over the reference window, and `threshold` =
 *    reference × max(0, 1 − max(5%, 3 / √(reference × holdSeconds))): the
 *    relative tolerance widens when few operations are expected in a hold.
 *    For each service, `limit` = max(10, 2 × the p99 of the `<service>.inflight`
 *    bucket means over the reference window); likewise for each work stock
 *    that no service's in-flight count holds (./stocks.ts: a client's
 *    operations backing off before a retry), over its own bucket means.
 * 3. The hold is H = max(10, ⌈10 s / sample⌉) buckets.
 * 4. Candidates are the buckets i with start ≥ faultsEnd and i + H ≤ the
 *    number of buckets (the hold fits in the run). A candidate passes when,
 *    over buckets i..i+H−1, every client's width-weighted mean goodput is
 *    ≥ its threshold (one-sided: a draining backlog may push it above) and
 *    every bucket mean of every service's in-flight count and of every stock
 *    of step 2 is < its limit.
 * 5. The first passing candidate gives `recovered` with recoverySeconds =
 *    i × sample − faultsEnd (0 when already fine where the faults end). A
 *    run that ends less than a hold after faultsEnd gives `metastable` (it
 *    cannot show a hold; `reason` says to run it longer).
 * 6. Otherwise the tail decides, see {@link judgeTail}: every check failing
 *    over the last hold is fitted a line over the last max(H, half of the
 *    buckets after faultsEnd) buckets. A backlog (in-flight count or stock)
 *    over its limit holds when its line does not fall by 10% of its level
 *    over the tail; goodput below its threshold holds when its line does not
 *    rise by 10% of the reference.
 * 7. `metastable` when something holds ({@link sustains}: the state keeps
 *    itself up) and, after the loop analysis, the loop that dominates the
 *    last hold has a gain of at least 1 ({@link requireSustainingLoop}: else
 *    `overloaded`); else `draining`, with `drain` the rate of the backlog that
 *    clears last and the seconds from the end of the run until every line
 *    meets its limit or threshold.
 * 8. (A refinement that changes no kind.) The fault-free queue test below,
 *    applied to the reference window, gives `baselineQueue`; when it reads
 *    overloaded, `reason` warns that the baseline was already overloaded.
 *
 * Without faults, over the measured window (the m buckets starting at or
 * after warmup), with Q the total queue (the sum of every `<service>.queue`
 * bucket mean), as {@link reduceQueueTrend} computes it:
 * 1. Q "rises through the second half" when the least-squares slope of Q
 *    against bucket start over the last ⌈m/2⌉ buckets is > 0.
 * 2. `overloaded` when Q rises through the second half and its last bucket is
 *    above max(100, 10 × the median of Q over the window) — the contract's rule;
 * 3. or (a refinement) when Q rises through the second half, its last bucket
 *    is above 100, and (m ≥ 4) its smallest bucket in the last ⌊m/4⌋ is above
 *    its largest in the first ⌊m/4⌋: a queue that climbs linearly from the
 *    start of the window ends at only about twice its median.
 * 4. or when the same test (2 or 3) reads overloaded on the total backlog B
 *    instead of Q: every work stock of its own (./stocks.ts: queues, busy
 *    workers of `unlimited` services, operations backing off), so that work
 *    piling up for a pool connection or in flight counts (`backlog`).
 * 5. `stable` otherwise.
 *
 * Whatever the kind: `damage` (./damage.ts) against what each client would
 * have got before the first fault (without faults: what it offered),
 * `oscillation` (./oscillation.ts) from the first fault on (without faults:
 * from warmup), and `growing`, the work stock with the highest peak.
 */
export function reduceVerdict(run: RunSeries, scenario: NormalizedScenario): Verdict {
  const stocks = workStocks(run, scenario);
  const measured = bucketRange(run, scenario.warmup, run.duration);
  const growing = growingStock(stocks, measured.first, measured.end);
  if (scenario.faults.length === 0) return reduceFaultFreeVerdict(run, scenario, stocks, measured, growing);
  const firstAt = Math.min(...scenario.faults.map((f) => f.at));
  const faultsEnd = Math.max(...scenario.faults.map((f) => f.at + f.for));
  const hold = Math.max(HOLD_BUCKETS, Math.ceil(HOLD_SECONDS / run.sample - 1e-9));
  const holdSeconds = hold * run.sample;

  // 1. Reference window, in whole buckets.
  const lastWhole = Math.min(run.buckets, Math.floor(firstAt / run.sample + 1e-9));
  let ref = { first: measured.first, end: lastWhole };
  const fallback = ref.first >= ref.end;
  if (fallback) ref = { first: 0, end: lastWhole };
  const hasRef = ref.first < ref.end;

  // 2. Per-client thresholds, per-service limits, and limits of the stocks outside every service.
  const tail = { first: Math.max(0, run.buckets - hold), end: run.buckets };
  const clients: ClientProbe[] = [];
  for (const c of scenario.clients) {
    const values = seriesValues(run, `${c.name}.goodput`);
    if (values === undefined) continue;
    const reference = hasRef ? weightedMean(run, values, ref.first, ref.end) : null;
    const threshold = reference === null ? null : goodputThreshold(reference, holdSeconds);
    clients.push({ name: c.name, values, reference, threshold });
  }
  const probe = (name: string, values: Float64Array): ServiceProbe => {
    const referenceP99 = hasRef ? percentile(values.slice(ref.first, ref.end).sort(), 0.99) : null;
    const limit = Math.max(INFLIGHT_FLOOR, 2 * (referenceP99 ?? 0));
    // bad[j] − bad[i] counts the buckets i..j−1 at or above the limit: integers, so exact.
    const bad = new Uint32Array(run.buckets + 1);
    for (let i = 0; i < run.buckets; i += 1) bad[i + 1] = bad[i]! + (values[i]! < limit ? 0 : 1);
    return { name, values, referenceP99, limit, bad };
  };
  const services: ServiceProbe[] = [];
  for (const s of scenario.services) {
    const values = seriesValues(run, `${s.name}.inflight`);
    if (values !== undefined) services.push(probe(s.name, values));
  }
  const outside = stocks.filter((s) => !s.kind.inInflight);
  const extra = outside.map((s) => probe(s.series, s.mean));
  const held = [...services, ...extra];

  // 3-5. The first candidate whose hold passes.
  let recoveredAt: number | null = null;
  const firstCandidate = Math.ceil(faultsEnd / run.sample - 1e-9);
  for (let i = firstCandidate; i + hold <= run.buckets && recoveredAt === null; i += 1) {
    const inflightOk = held.every((s) => s.bad[i + hold] === s.bad[i]);
    const goodputOk = inflightOk && clients.every((c) => c.threshold === null || weightedMean(run, c.values, i, i + hold) >= c.threshold);
    if (goodputOk) recoveredAt = i;
  }

  const clientChecks = clients.map((c): ClientCheck => {
    const atEnd = weightedMean(run, c.values, tail.first, tail.end);
    return {
      name: c.name,
      reference: nullableOutput(c.reference),
      threshold: nullableOutput(c.threshold),
      atEnd: roundForOutput(atEnd),
      fractionAtEnd: c.reference === null || c.reference === 0 ? null : roundForOutput(atEnd / c.reference),
    };
  });
  const peakAtEnd = (s: ServiceProbe): number => roundForOutput(s.values.slice(tail.first, tail.end).reduce((a, b) => Math.max(a, b), 0));
  const serviceChecks = services.map((s): ServiceCheck => ({
    name: s.name,
    referenceP99: nullableOutput(s.referenceP99),
    limit: roundForOutput(s.limit),
    atEnd: peakAtEnd(s),
  }));
  const stockChecks = extra.map((s, k): StockCheck => ({
    name: s.name,
    label: outside[k]!.kind.label,
    referenceP99: nullableOutput(s.referenceP99),
    limit: roundForOutput(s.limit),
    atEnd: peakAtEnd(s),
  }));
  const watched = Math.max(0, run.duration - faultsEnd);
  const trigger = bucketRange(run, firstAt, run.duration);
  const common = {
    faultsEnd: roundForOutput(faultsEnd),
    watchedSeconds: roundForOutput(watched),
    holdSeconds: roundForOutput(holdSeconds),
    reference: hasRef ? { from: roundForOutput(ref.first * run.sample), to: roundForOutput(ref.end * run.sample) } : null,
    clients: clientChecks,
    services: serviceChecks,
    queue: null,
  };
  const queues = scenario.services.flatMap((s) => seriesValues(run, `${s.name}.queue`) ?? []);
  const baselineQueue = hasRef ? reduceQueueTrend(run, queues, ref) : null;
  // In the order summary.json writes them (a later `drain:` replaces the value and keeps the place).
  const evidence = {
    baselineQueue,
    stocks: stockChecks,
    backlog: null,
    growing,
    drain: null,
    damage: hasRef ? preFaultDamage(run, scenario, clients, ref, measured) : offeredDamage(run, scenario, measured),
    oscillation: findOscillation(run, scenario, trigger, hasRef ? ref : trigger),
  };
  const refNote =
    referenceNote(hasRef ? (fallback ? ref : 'fits') : null, run.sample, firstAt) + baselineNote(baselineQueue, ref, run.sample);

  if (recoveredAt !== null) {
    const recovery = recoveredAt * run.sample - faultsEnd;
    const span = { first: Math.min(run.buckets, Math.floor(firstAt / run.sample + 1e-9)), end: recoveredAt + hold };
    const goodput = clients.flatMap((c) =>
      c.reference === null ? [] : [{ values: c.values, expected: expectedGoodput(run, scenario, c, ref) }],
    );
    if (hasRef && isUnaffected(run, span, hold, held, goodput)) {
      return {
        kind: 'recovered',
        recoverySeconds: roundForOutput(recovery),
        unaffected: true,
        reason:
          `Unaffected: from the first fault at ${fmt(firstAt)} s to ${fmt((recoveredAt + hold) * run.sample)} s, ` +
          `goodput stayed within noise of its reference and in-flight below its limit; the faults changed nothing measured.${refNote}`,
        ...common,
        ...evidence,
      };
    }
    return {
      kind: 'recovered',
      recoverySeconds: roundForOutput(recovery),
      unaffected: false,
      reason:
        `Recovered ${fmt(recovery)} s after the last fault ended at ${fmt(faultsEnd)} s: from ` +
        `${fmt(recoveredAt * run.sample)} s, goodput held at its reference level and in-flight ` +
        `below its limit for a ${fmt(holdSeconds)} s hold.${refNote}`,
      ...common,
      ...evidence,
    };
  }

  // 6-8. Not back: is the state shrinking away (draining), or holding itself (metastable)?
  const after = { first: Math.min(firstCandidate, run.buckets), end: run.buckets };
  const trend = judgeTail(run, after, hold, held, clients);
  const why =
    watched < holdSeconds
      ? `the run ends ${fmt(watched)} s after the last fault, less than the ${fmt(holdSeconds)} s hold recovery needs`
      : describeShortfall(clientChecks, [...serviceChecks, ...stockChecks], holdSeconds);
  // A run that ends less than a hold after the faults cannot show a hold: it stays metastable, as the contract has it.
  if (watched >= holdSeconds && !sustains(trend)) {
    return {
      kind: 'draining',
      recoverySeconds: null,
      unaffected: false,
      reason:
        `Draining: not back in the ${fmt(watched)} s watched after the last fault ended at ${fmt(faultsEnd)} s ` +
        `(${why}), but ${describeDrain(trend.drain)}.${refNote}`,
      ...common,
      ...evidence,
      drain: trend.drain,
    };
  }
  return {
    kind: 'metastable',
    recoverySeconds: null,
    unaffected: false,
    reason:
      `Not recovered in the ${fmt(watched)} s watched after the last fault ended at ` +
      `${fmt(faultsEnd)} s: ${why}${watched >= holdSeconds ? `; ${describeHolding(trend)}` : ''}.${refNote}`,
    ...common,
    ...evidence,
  };
}

/** The loop the verdict names (summary.json's `verdict.loop`), as far as the rule needs it. */
export interface SustainingLoop {
  readonly name: string;
  readonly polarity: 'reinforcing' | 'balancing';
  readonly path: readonly string[];
  /** Mean gain over the verdict's window: 1 or more, a reinforcing loop sustains itself. */
  readonly gain: number;
}

/**
 * The last step of the rule: a run that {@link reduceVerdict} calls
 * `metastable` after watching at least a hold stays so only when `loop`, the
 * loop that dominates the last hold, is reinforcing with a gain of at least
 * 1 (a balancing loop pushes back; it sustains nothing). Otherwise the
 * state holds with nothing amplifying it: the work left after the faults is
 * more than the system serves at its plain load, which is `overloaded` (the
 * reason says so, and names the loop and its gain when there is one). A run
 * watched for less than a hold stays `metastable`, as the contract has it.
 */
export function requireSustainingLoop(v: Verdict, loop: SustainingLoop | null): Verdict {
  if (v.kind !== 'metastable' || v.holdSeconds === null || (v.watchedSeconds ?? 0) < v.holdSeconds) return v;
  if (loop !== null && loop.polarity === 'reinforcing' && loop.gain >= 1) return v;
  const weakest =
    loop === null
      ? 'no feedback loop is active in most of the last hold'
      : loop.polarity === 'balancing'
        ? `the loop that dominates the last hold, ${loop.name} through ${loop.path.join(' → ')}, is a balancing one`
        : `the loop that dominates the last hold, ${loop.name} through ${loop.path.join(' → ')}, has a gain of ${fmt(loop.gain)}, below 1`;
  return {
    ...v,
    kind: 'overloaded',
    reason: `Overloaded after the faults, not metastable: ${v.reason.replace(/^Not recovered/, 'not recovered')} Nothing sustains it: ${weakest}, so the load alone keeps it there: work arrives at least as fast as the system serves it.`,
  };
}

/** What the tail after the faults shows (see {@link judgeTail}). */
interface TailTrend {
  /** The checks failing over the last hold whose line is flat or growing (a backlog) or flat or falling (goodput). */
  readonly holding: readonly string[];
  /** Whether some failing check is a backlog that holds (flat or growing), as opposed to goodput alone. */
  readonly backlogHolds: boolean;
  /** The drain when every failing check is on its way back; null otherwise. */
  readonly drain: Drain | null;
}

/**
 * The tail after the faults holds: some backlog over its limit is flat or
 * growing, or some client's goodput stays below its threshold without
 * climbing back. The second half of the rule for `metastable`, that a loop
 * with a gain of at least 1 keeps it there, is {@link requireSustainingLoop}:
 * the loop analysis (./loops.ts) runs on the verdict's window, so it comes after.
 */
function sustains(trend: TailTrend): boolean {
  return trend.holding.length > 0;
}

/**
 * Judges the tail of the run after the faults: the last max(hold, half of the
 * buckets after `faultsEnd`) buckets, or all of them when fewer. For every
 * check failing over the last hold (a stock whose largest bucket mean there is
 * at or above its limit; a client whose mean goodput there is below its
 * threshold), fits a least-squares line over the tail:
 * - a stock is shrinking when the line falls by at least 10% of its value at
 *   the tail's start; it clears where the line meets its limit;
 * - goodput is climbing back when the line rises by at least 10% of the
 *   reference; it is back where the line meets its threshold.
 * With fewer than 2 buckets after the faults nothing can be seen moving: every
 * failing check holds.
 */
function judgeTail(
  run: RunSeries,
  after: { first: number; end: number },
  hold: number,
  held: readonly ServiceProbe[],
  clients: readonly ClientProbe[],
): TailTrend {
  const n = after.end - after.first;
  const tail = { first: after.end - Math.min(n, Math.max(hold, Math.ceil(n / 2))), end: after.end };
  const last = { first: Math.max(after.first, run.buckets - hold), end: run.buckets };
  const endTime = run.duration;
  const holding: string[] = [];
  let backlogHolds = false;
  // The backlog that clears last, and the client whose goodput is back last.
  let stock: Drain | null = null;
  let goodput: Drain | null = null;
  for (const s of held) {
    if (last.first >= last.end || s.bad[last.end] === s.bad[last.first]) continue;
    const line = tail.end - tail.first >= 2 ? fitLine(run, s.values, tail.first, tail.end) : null;
    const span = bucketStart(run, tail.end - 1) - bucketStart(run, tail.first);
    if (line === null || !(line.slope < 0) || -line.slope * span < TREND_SHARE * Math.abs(line.level)) {
      holding.push(seriesOfProbe(s));
      backlogHolds = true;
      continue;
    }
    const atEnd = line.level + line.slope * (endTime - line.t0);
    const clears = Math.max(0, (atEnd - s.limit) / -line.slope);
    if (stock === null || clears > stock.clearsInSeconds)
      stock = { perSecond: -line.slope, clearsInSeconds: clears, series: seriesOfProbe(s) };
  }
  for (const c of clients) {
    if (c.threshold === null || c.reference === null || last.first >= last.end) continue;
    if (weightedMean(run, c.values, last.first, last.end) >= c.threshold) continue;
    const line = tail.end - tail.first >= 2 ? fitLine(run, c.values, tail.first, tail.end) : null;
    const span = bucketStart(run, tail.end - 1) - bucketStart(run, tail.first);
    if (line === null || !(line.slope > 0) || line.slope * span < TREND_SHARE * c.reference) {
      holding.push(`${c.name}.goodput`);
      continue;
    }
    const atEnd = line.level + line.slope * (endTime - line.t0);
    const back = Math.max(0, (c.threshold - atEnd) / line.slope);
    if (goodput === null || back > goodput.clearsInSeconds)
      goodput = { perSecond: null, clearsInSeconds: back, series: `${c.name}.goodput` };
  }
  // A backlog still draining is named before goodput climbing behind it; the time is the later of the two.
  const clears = Math.max(stock?.clearsInSeconds ?? 0, goodput?.clearsInSeconds ?? 0);
  const first = stock ?? goodput;
  const drain =
    holding.length > 0 || first === null
      ? null
      : {
          perSecond: first.perSecond === null ? null : roundForOutput(first.perSecond),
          clearsInSeconds: roundForOutput(clears),
          series: first.series,
        };
  return { holding, backlogHolds, drain };
}

/** A service probe is named after its service; a stock probe after its series. */
function seriesOfProbe(s: ServiceProbe): string {
  return s.name.includes('.') ? s.name : `${s.name}.inflight`;
}

function describeDrain(d: Drain | null): string {
  if (d === null) return 'nothing holds the state up';
  if (d.perSecond === null) return `${d.series} is climbing back and should reach its threshold in about ${fmt(d.clearsInSeconds)} s`;
  return `${d.series} is shrinking by ${fmt(d.perSecond)}/s and should be under its limit in about ${fmt(d.clearsInSeconds)} s`;
}

function describeHolding(t: TailTrend): string {
  const what = t.holding.join(', ');
  return t.backlogHolds
    ? `the backlog is not shrinking (${what} flat or growing after the faults)`
    : `goodput is not climbing back (${what} flat or falling after the faults)`;
}

/**
 * Lowest hold-mean goodput that counts as back to `reference` (per second):
 * reference × max(0, 1 − max(5%, 3 / √(reference × holdSeconds))).
 */
export function goodputThreshold(reference: number, holdSeconds: number): number {
  const expected = reference * holdSeconds;
  if (!(expected > 0)) return 0;
  const tolerance = Math.max(GOODPUT_TOLERANCE, 3 / Math.sqrt(expected));
  return reference * Math.max(0, 1 - tolerance);
}

interface ClientProbe {
  readonly name: string;
  readonly values: Float64Array;
  readonly reference: number | null;
  readonly threshold: number | null;
}

interface ServiceProbe {
  readonly name: string;
  readonly values: Float64Array;
  readonly referenceP99: number | null;
  readonly limit: number;
  readonly bad: Uint32Array;
}

function reduceFaultFreeVerdict(
  run: RunSeries,
  scenario: NormalizedScenario,
  stocks: readonly WorkStock[],
  measured: { first: number; end: number },
  growing: GrowingStock | null,
): Verdict {
  const queues = scenario.services.flatMap((s) => seriesValues(run, `${s.name}.queue`) ?? []);
  const trend = reduceQueueTrend(run, queues, measured);
  const backlog = reduceQueueTrend(run, [totalBacklog(run, stocks)], measured);
  const overloaded = trend.overloadedBy !== null || backlog.overloadedBy !== null;
  return {
    kind: overloaded ? 'overloaded' : 'stable',
    recoverySeconds: null,
    unaffected: false,
    reason: trend.overloadedBy !== null || !overloaded ? explainQueueTrend(trend) : explainBacklog(backlog, growing),
    faultsEnd: null,
    watchedSeconds: null,
    holdSeconds: null,
    reference: null,
    clients: [],
    services: [],
    queue: trend,
    baselineQueue: null,
    stocks: [],
    backlog,
    growing,
    drain: null,
    damage: offeredDamage(run, scenario, measured),
    oscillation: findOscillation(run, scenario, measured, measured),
  };
}

/** Why a fault-free run whose queues stay flat is still overloaded: the work piles up elsewhere. */
function explainBacklog(t: QueueTrend, growing: GrowingStock | null): string {
  const where = growing === null ? '' : `; most of it in ${growing.series} (${growing.label}, up to ${fmt(growing.peak)})`;
  return (
    `No faults, yet the total backlog (queues, busy workers of unlimited services, operations backing off) ` +
    `rises through the second half of the window (${fmt(t.slope)}/s) and ends at ${fmt(t.last)}${where}.`
  );
}

/** Damage against what the clients offered, bucket by bucket (no pre-fault reference). */
function offeredDamage(run: RunSeries, scenario: NormalizedScenario, measured: { first: number; end: number }): Damage | null {
  const goodput = scenario.clients.flatMap((c) => seriesValues(run, `${c.name}.goodput`) ?? []);
  const offered = scenario.clients.flatMap((c) => seriesValues(run, `${c.name}.offered`) ?? []);
  return measureDamage(run, sumOf(run, goodput), sumOf(run, offered), measured, 'offered');
}

/**
 * Damage against what each client would have got had the system stayed as it
 * was before the first fault: for an open loop, its offered operations in each
 * bucket times its pre-fault share of them that succeeded (so a traffic step
 * raises what normal is); for a closed loop, whose users send less when the
 * system slows, its pre-fault goodput.
 */
function preFaultDamage(
  run: RunSeries,
  scenario: NormalizedScenario,
  clients: readonly ClientProbe[],
  ref: { first: number; end: number },
  measured: { first: number; end: number },
): Damage | null {
  const expected = sumOf(
    run,
    clients.map((c) => expectedGoodput(run, scenario, c, ref)),
  );
  return measureDamage(
    run,
    sumOf(
      run,
      clients.map((c) => c.values),
    ),
    expected,
    measured,
    'preFault',
  );
}

/**
 * What one client's goodput would have been in each bucket (per second) had
 * the system stayed as it was over the reference window: for an open loop, its
 * offered operations times its reference share of them that succeeded; for a
 * closed loop, its reference goodput.
 */
function expectedGoodput(run: RunSeries, scenario: NormalizedScenario, c: ClientProbe, ref: { first: number; end: number }): Float64Array {
  const expected = new Float64Array(run.buckets);
  const spec = scenario.clients.find((x) => x.name === c.name);
  const offered = seriesValues(run, `${c.name}.offered`);
  const offeredRef = offered === undefined ? 0 : weightedMean(run, offered, ref.first, ref.end);
  const reference = c.reference ?? 0;
  const open = spec !== undefined && spec.arrival.kind !== 'closed' && offered !== undefined && offeredRef > 0;
  for (let i = 0; i < run.buckets; i += 1) expected[i] = open ? (offered[i]! * reference) / offeredRef : reference;
  return expected;
}

function sumOf(run: RunSeries, columns: readonly Float64Array[]): Float64Array {
  const total = new Float64Array(run.buckets);
  for (const c of columns) for (let i = 0; i < run.buckets; i += 1) total[i]! += c[i]!;
  return total;
}

function weightedMean(run: RunSeries, values: Float64Array, first: number, end: number): number {
  let sum = 0;
  let seconds = 0;
  for (let i = first; i < end; i += 1) {
    const w = bucketWidth(run, i);
    sum += values[i]! * w;
    seconds += w;
  }
  return seconds > 0 ? sum / seconds : 0;
}

function describeShortfall(clients: readonly ClientCheck[], services: readonly (ServiceCheck | StockCheck)[], holdSeconds: number): string {
  const parts: string[] = [];
  for (const c of clients) {
    if (c.threshold !== null && c.atEnd < c.threshold) {
      const share = c.fractionAtEnd === null ? '' : ` (${fmt(100 * c.fractionAtEnd)}% of its reference ${fmt(c.reference ?? 0)}/s)`;
      parts.push(`${c.name} goodput ${fmt(c.atEnd)}/s${share}`);
    }
  }
  for (const s of services) {
    if (s.atEnd >= s.limit) parts.push(`${s.name} in-flight ${fmt(s.atEnd)} (limit ${fmt(s.limit)})`);
  }
  const tail = `over the last ${fmt(holdSeconds)} s`;
  // Each part of the last hold may pass on its own while no single hold passes them all at once.
  return parts.length > 0 ? `${tail}, ${parts.join('; ')}` : `no hold passed every check at once`;
}

/** What the reason adds when the reference window was itself overloaded: a warning; else nothing. */
function baselineNote(t: QueueTrend | null, ref: { first: number; end: number }, sample: number): string {
  if (t === null || t.overloadedBy === null) return '';
  return (
    ` Caution: the system was already overloaded before the first fault: over the reference window ` +
    `(${fmt(ref.first * sample)} s to ${fmt(ref.end * sample)} s) the total queue grows, to ${fmt(t.last)} ` +
    `(${t.overloadedBy === 'endAboveBound' ? `above max(${OVERLOAD_FLOOR}, ${OVERLOAD_MEDIAN_FACTOR} × its median)` : 'climbing steadily'}), ` +
    `so the reference level is not a healthy one.`
  );
}

/** What the reason adds about the reference window: nothing when it fits after warmup. */
function referenceNote(ref: 'fits' | { first: number; end: number } | null, sample: number, firstAt: number): string {
  if (ref === 'fits') return '';
  if (ref === null) {
    return (
      ` No whole bucket precedes the first fault (at ${fmt(firstAt)} s), so there is no reference: ` +
      `goodput is not judged and in-flight limits are ${INFLIGHT_FLOOR}.`
    );
  }
  return (
    ` The reference is taken from before warmup (${fmt(ref.first * sample)}–${fmt(ref.end * sample)} s): ` +
    `no whole bucket fits between warmup and the first fault.`
  );
}

function nullableOutput(x: number | null): number | null {
  return x === null ? null : roundForOutput(x);
}

function fmt(x: number): string {
  return String(roundSignificant(x, 4));
}
