/**
 * The verdict of a run: `stable`, `overloaded`, `recovered` or `metastable`
 * (docs/scenario-format.md, "The verdict"). The rule is spelled out on
 * {@link reduceVerdict}; the fault-free half lives in ./queue-trend.ts.
 */
import type { NormalizedScenario, VerdictKind } from '../scenario/types.js';
import { seriesValues } from './csv.js';
import { OVERLOAD_FLOOR, OVERLOAD_MEDIAN_FACTOR, explainQueueTrend, reduceQueueTrend, type QueueTrend } from './queue-trend.js';
import { roundForOutput, roundSignificant } from './round.js';
import { bucketWidth, type RunSeries } from './series.js';
import { bucketRange, percentile } from './stats.js';

/** Floor of a service's in-flight limit. */
export const INFLIGHT_FLOOR = 10;
/** Shortest hold in seconds; the hold is the longer of this and {@link HOLD_BUCKETS}. */
export const HOLD_SECONDS = 10;
/** Shortest hold in buckets. */
export const HOLD_BUCKETS = 10;
/** Smallest relative goodput tolerance. */
export const GOODPUT_TOLERANCE = 0.05;

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

/** The verdict as `summary.json` writes it: `kind` and `recoverySeconds` first, then the evidence. */
export interface Verdict {
  readonly kind: VerdictKind;
  /** Seconds from the end of the last fault window to recovery; null unless `recovered`. */
  readonly recoverySeconds: number | null;
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
}

/**
 * Judges a run. The rule, with buckets `sample` seconds wide and bucket i
 * starting at i × sample:
 *
 * With faults (each a window [at, at + for); `for` is 0 for `cacheFlush`):
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
 *    bucket means over the reference window).
 * 3. The hold is H = max(10, ⌈10 s / sample⌉) buckets.
 * 4. Candidates are the buckets i with start ≥ faultsEnd and i + H ≤ the
 *    number of buckets (the hold fits in the run). A candidate passes when,
 *    over buckets i..i+H−1, every client's width-weighted mean goodput is
 *    ≥ its threshold (one-sided: a draining backlog may push it above) and
 *    every service's in-flight bucket mean is < its limit.
 * 5. The first passing candidate gives `recovered` with recoverySeconds =
 *    i × sample − faultsEnd (0 when already fine where the faults end). No
 *    passing candidate, including a run that ends less than a hold after
 *    faultsEnd, gives `metastable`.
 * 6. (A refinement that changes no kind.) The fault-free queue test below,
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
 * 4. `stable` otherwise.
 */
export function reduceVerdict(run: RunSeries, scenario: NormalizedScenario): Verdict {
  if (scenario.faults.length === 0) return reduceFaultFreeVerdict(run, scenario);
  const firstAt = Math.min(...scenario.faults.map((f) => f.at));
  const faultsEnd = Math.max(...scenario.faults.map((f) => f.at + f.for));
  const hold = Math.max(HOLD_BUCKETS, Math.ceil(HOLD_SECONDS / run.sample - 1e-9));
  const holdSeconds = hold * run.sample;

  // 1. Reference window, in whole buckets.
  const lastWhole = Math.min(run.buckets, Math.floor(firstAt / run.sample + 1e-9));
  let ref = { first: bucketRange(run, scenario.warmup, Infinity).first, end: lastWhole };
  const fallback = ref.first >= ref.end;
  if (fallback) ref = { first: 0, end: lastWhole };
  const hasRef = ref.first < ref.end;

  // 2. Per-client thresholds and per-service limits.
  const tail = { first: Math.max(0, run.buckets - hold), end: run.buckets };
  const clients: ClientProbe[] = [];
  for (const c of scenario.clients) {
    const values = seriesValues(run, `${c.name}.goodput`);
    if (values === undefined) continue;
    const reference = hasRef ? weightedMean(run, values, ref.first, ref.end) : null;
    const threshold = reference === null ? null : goodputThreshold(reference, holdSeconds);
    clients.push({ name: c.name, values, reference, threshold });
  }
  const services: ServiceProbe[] = [];
  for (const s of scenario.services) {
    const values = seriesValues(run, `${s.name}.inflight`);
    if (values === undefined) continue;
    const referenceP99 = hasRef ? percentile(values.slice(ref.first, ref.end).sort(), 0.99) : null;
    const limit = Math.max(INFLIGHT_FLOOR, 2 * (referenceP99 ?? 0));
    // bad[j] − bad[i] counts the buckets i..j−1 at or above the limit: integers, so exact.
    const bad = new Uint32Array(run.buckets + 1);
    for (let i = 0; i < run.buckets; i += 1) bad[i + 1] = bad[i]! + (values[i]! < limit ? 0 : 1);
    services.push({ name: s.name, values, referenceP99, limit, bad });
  }

  // 3-5. The first candidate whose hold passes.
  let recoveredAt: number | null = null;
  const firstCandidate = Math.ceil(faultsEnd / run.sample - 1e-9);
  for (let i = firstCandidate; i + hold <= run.buckets && recoveredAt === null; i += 1) {
    const inflightOk = services.every((s) => s.bad[i + hold] === s.bad[i]);
    const goodputOk =
      inflightOk &&
      clients.every((c) => c.threshold === null || weightedMean(run, c.values, i, i + hold) >= c.threshold);
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
  const serviceChecks = services.map((s): ServiceCheck => ({
    name: s.name,
    referenceP99: nullableOutput(s.referenceP99),
    limit: roundForOutput(s.limit),
    atEnd: roundForOutput(s.values.slice(tail.first, tail.end).reduce((a, b) => Math.max(a, b), 0)),
  }));
  const watched = Math.max(0, run.duration - faultsEnd);
  const common = {
    faultsEnd: roundForOutput(faultsEnd),
    watchedSeconds: roundForOutput(watched),
    holdSeconds: roundForOutput(holdSeconds),
    reference: hasRef
      ? { from: roundForOutput(ref.first * run.sample), to: roundForOutput(ref.end * run.sample) }
      : null,
    clients: clientChecks,
    services: serviceChecks,
    queue: null,
  };
  const queues = scenario.services.flatMap((s) => seriesValues(run, `${s.name}.queue`) ?? []);
  const baselineQueue = hasRef ? reduceQueueTrend(run, queues, ref) : null;
  const refNote =
    referenceNote(hasRef ? (fallback ? ref : 'fits') : null, run.sample, firstAt) + baselineNote(baselineQueue, ref, run.sample);

  if (recoveredAt !== null) {
    const recovery = recoveredAt * run.sample - faultsEnd;
    return {
      kind: 'recovered',
      recoverySeconds: roundForOutput(recovery),
      reason:
        `Recovered ${fmt(recovery)} s after the last fault ended at ${fmt(faultsEnd)} s: from ` +
        `${fmt(recoveredAt * run.sample)} s, goodput held at its reference level and in-flight ` +
        `below its limit for a ${fmt(holdSeconds)} s hold.${refNote}`,
      ...common,
      baselineQueue,
    };
  }
  const why =
    watched < holdSeconds
      ? `the run ends ${fmt(watched)} s after the last fault, less than the ${fmt(holdSeconds)} s hold recovery needs`
      : describeShortfall(clientChecks, serviceChecks, holdSeconds);
  return {
    kind: 'metastable',
    recoverySeconds: null,
    reason:
      `Not recovered in the ${fmt(watched)} s watched after the last fault ended at ` +
      `${fmt(faultsEnd)} s: ${why}.${refNote}`,
    ...common,
    baselineQueue,
  };
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

function reduceFaultFreeVerdict(run: RunSeries, scenario: NormalizedScenario): Verdict {
  const queues = scenario.services.flatMap((s) => seriesValues(run, `${s.name}.queue`) ?? []);
  const trend = reduceQueueTrend(run, queues, bucketRange(run, scenario.warmup, run.duration));
  return {
    kind: trend.overloadedBy !== null ? 'overloaded' : 'stable',
    recoverySeconds: null,
    reason: explainQueueTrend(trend),
    faultsEnd: null,
    watchedSeconds: null,
    holdSeconds: null,
    reference: null,
    clients: [],
    services: [],
    queue: trend,
    baselineQueue: null,
  };
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

function describeShortfall(
  clients: readonly ClientCheck[],
  services: readonly ServiceCheck[],
  holdSeconds: number,
): string {
  const parts: string[] = [];
  for (const c of clients) {
    if (c.threshold !== null && c.atEnd < c.threshold) {
      const share =
        c.fractionAtEnd === null ? '' : ` (${fmt(100 * c.fractionAtEnd)}% of its reference ${fmt(c.reference ?? 0)}/s)`;
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
