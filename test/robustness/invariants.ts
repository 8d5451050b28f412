/**
 * Invariants every run must keep, checked from what it writes (summary.json,
 * timeseries.csv, the series behind them) and the scenario it ran. Each check
 * returns the violations it found, one line each, so a failing property
 * prints all of them at once.
 *
 * The engine's live state (queues, busy workers, pools, open operations, the
 * clock) is checked inside every run by sim/engine/invariants.ts, which throws
 * InvariantBroken (a throw the fuzz property reports); the checks here are of
 * another kind: what the outputs show, re-derived from the scenario.
 */
import { csvColumns, formatTimeseriesCsv } from '../../sim/metrics/csv.js';
import type { Series, StockSeries } from '../../sim/metrics/series.js';
import { callEdgeNames } from '../../sim/scenario/edge-names.js';
import { declarationOf } from '../../sim/scenario/metric-catalogue.js';
import type { NormalizedScenario, Service } from '../../sim/scenario/types.js';
import type { SimulationResult } from '../../sim/simulate.js';

/** Relative slack for comparisons of rounded or time-weighted numbers. */
const EPS = 1e-9;

const leq = (a: number, b: number): boolean => a <= b + EPS * Math.max(1, Math.abs(b));

/** Every number in `value` (an object from summary.json) that is NaN or infinite, by path. */
export function nonFiniteNumbers(value: unknown, path = 'summary'): string[] {
  if (typeof value === 'number') return Number.isFinite(value) ? [] : [`${path} = ${value}`];
  if (Array.isArray(value)) return value.flatMap((v, i) => nonFiniteNumbers(v, `${path}[${i}]`));
  if (typeof value === 'object' && value !== null) {
    return Object.entries(value).flatMap(([k, v]) => nonFiniteNumbers(v, `${path}.${k}`));
  }
  return [];
}

/**
 * CSV cells that are not finite numbers. Empty cells are allowed in the
 * columns of latencies (a bucket without responses), of ratios (a bucket
 * where the denominator is 0, as for `cache.hitRatio` without lookups) and of
 * a replica's utilization (a bucket with a moment when no replica held its index).
 */
export function badCsvCells(csv: string, series: readonly Series[]): string[] {
  const emptyOk = new Set<string>();
  for (const s of series) {
    const kind = declarationOf(s.name)?.kind;
    // A replica's utilization is empty while no replica holds its index (perInstance).
    const replicaUtilization = /\]\.utilization$/.test(s.name);
    if (kind === 'latency' || kind === 'ratio' || replicaUtilization) for (const c of csvColumns(s)) emptyOk.add(c);
  }
  const lines = csv.split('\n');
  const header = (lines[0] ?? '').split(',');
  const bad: string[] = [];
  if (lines[lines.length - 1] !== '') bad.push('timeseries.csv does not end with a newline');
  for (let r = 1; r < lines.length - 1; r++) {
    const cells = (lines[r] ?? '').split(',');
    if (cells.length !== header.length) bad.push(`row ${r} has ${cells.length} cells, the header ${header.length}`);
    cells.forEach((cell, c) => {
      const column = header[c] ?? `#${c}`;
      if (cell === '') {
        if (!emptyOk.has(column)) bad.push(`row ${r}, column ${column}: empty`);
      } else if (!Number.isFinite(Number(cell))) bad.push(`row ${r}, column ${column}: ${cell}`);
    });
  }
  return bad.slice(0, 20);
}

/** Every `faults` entry of kind `capacity` aimed at `service`. */
function capacityFaults(sc: NormalizedScenario, service: string) {
  return sc.faults.flatMap((f) => (f.kind === 'capacity' && f.target === service ? [f] : []));
}

/**
 * Most instances a service can ever have held work at once: its starting
 * count when nothing changes it; otherwise a bound that also counts retired
 * replicas, which finish what they hold (fault.ts): the instances at start,
 * plus what capacity faults can add (each window start and end may add), plus
 * what the autoscaler can add at each evaluation.
 */
function instanceBound(sc: NormalizedScenario, s: Service): { bound: number; exact: boolean } {
  const faults = capacityFaults(sc, s.name);
  const moves = faults.some((f) => f.instances !== 0) || s.autoscale !== null;
  if (!moves) return { bound: s.instances, exact: true };
  let bound = s.instances;
  for (const f of faults) bound += 2 * Math.abs(f.instances);
  if (s.autoscale !== null) bound += (Math.floor(sc.duration / s.autoscale.period) + 1) * Math.max(s.autoscale.max, s.instances);
  return { bound, exact: false };
}

/** Most workers an instance can ever have busy: `workers` plus the worker increases that may overlap. */
function workerBound(sc: NormalizedScenario, s: Service): { bound: number; exact: boolean } {
  const faults = capacityFaults(sc, s.name).filter((f) => f.workers !== 0);
  return { bound: s.workers + faults.reduce((a, f) => a + Math.max(0, f.workers), 0), exact: faults.length === 0 };
}

function stock(series: readonly Series[], name: string): StockSeries | undefined {
  const s = series.find((x) => x.name === name);
  return s?.kind === 'stock' ? s : undefined;
}

function peakOf(s: StockSeries): number {
  return s.max.reduce((a, b) => Math.max(a, b), 0);
}

/** Stocks are levels: never negative, peaks at least the means, ratios in [0, 1], breaker levels in {0, 0.5, 1}. */
function stockViolations(series: readonly Series[]): string[] {
  const out: string[] = [];
  for (const s of series) {
    if (s.kind !== 'stock') continue;
    const declared = declarationOf(s.name);
    const ratio = declared?.unit === 'fraction';
    const breaker = declared?.unit === 'breaker state';
    const replicaUtilization = /\]\.utilization$/.test(s.name);
    for (let i = 0; i < s.mean.length; i++) {
      const m = s.mean[i] as number;
      const x = s.max[i] as number;
      // A ratio is empty without a denominator; a replica's utilization is empty while no replica holds its index.
      if (Number.isNaN(m) && (declared?.kind === 'ratio' || replicaUtilization)) continue;
      if (!(m >= 0) || !(x >= 0)) out.push(`${s.name}[${i}]: mean ${m}, max ${x} (a stock is never negative)`);
      if (!leq(m, x)) out.push(`${s.name}[${i}]: mean ${m} above its peak ${x}`);
      if (ratio && !(leq(m, 1) && leq(x, 1))) out.push(`${s.name}[${i}]: mean ${m}, max ${x} (a ratio is at most 1)`);
      if (breaker && !(x === 0 || x === 0.5 || x === 1)) out.push(`${s.name}[${i}]: peak ${x} is not a breaker state (0, 0.5, 1)`);
      if (breaker && !leq(m, 1)) out.push(`${s.name}[${i}]: mean ${m} above 1`);
    }
    if (!(s.last >= 0) && !(replicaUtilization && Number.isNaN(s.last))) out.push(`${s.name}: last ${s.last} (negative or NaN)`);
    if (breaker && !(s.last === 0 || s.last === 0.5 || s.last === 1)) out.push(`${s.name}: last ${s.last} is not a breaker state`);
  }
  return out;
}

/** Capacity: busy within workers x instances, ready within instances, replicas ejected short of all of them, desired within [min, max], pools within size x caller instances, rate-limit lines within their queue (a call's x caller instances). */
function capacityViolations(sc: NormalizedScenario, series: readonly Series[]): string[] {
  const out: string[] = [];
  for (const s of sc.services) {
    const busy = stock(series, `${s.name}.busy`);
    const instances = stock(series, `${s.name}.instances`);
    const ready = stock(series, `${s.name}.ready`);
    const inst = instanceBound(sc, s);
    const work = workerBound(sc, s);
    if (busy && Number.isFinite(work.bound)) {
      const peak = peakOf(busy);
      if (!(peak <= work.bound * inst.bound)) {
        const how = inst.exact && work.exact ? '' : ' (a bound counting retired replicas and worker increases)';
        out.push(`${s.name}.busy peaked at ${peak}, above workers ${work.bound} x instances ${inst.bound}${how}`);
      }
    }
    if (instances && ready) {
      for (let i = 0; i < instances.mean.length; i++) {
        if (!leq(ready.mean[i] as number, instances.mean[i] as number) || !leq(ready.max[i] as number, instances.max[i] as number)) {
          out.push(
            `${s.name}: ready (${ready.mean[i]}, peak ${ready.max[i]}) above instances (${instances.mean[i]}, peak ${instances.max[i]}) in bucket ${i}`,
          );
          break;
        }
      }
    }
    const ejected = stock(series, `${s.name}.outlier.ejected`);
    if (ejected && instances) {
      // Outlier detection keeps one replica in rotation: at most all but one are out, and never more than are running.
      const top = peakOf(ejected);
      if (!(top <= Math.max(0, peakOf(instances) - 1)))
        out.push(`${s.name}.outlier.ejected peaked at ${top}, with at most ${peakOf(instances)} replicas`);
    }
    const healthy = stock(series, `${s.name}.healthy`);
    if (healthy && instances) {
      // The health check counts ready replicas only: never more than are running.
      const top = peakOf(healthy);
      if (!(top <= peakOf(instances))) out.push(`${s.name}.healthy peaked at ${top}, with at most ${peakOf(instances)} replicas`);
    }
    const desired = stock(series, `${s.name}.desired`);
    if (desired && s.autoscale) {
      const lo = Math.min(s.autoscale.min, s.instances);
      const hi = Math.max(s.autoscale.max, s.instances);
      const top = peakOf(desired);
      if (!(top <= hi) || !(desired.last >= lo && desired.last <= hi))
        out.push(`${s.name}.desired peaked at ${top}, last ${desired.last}, outside [${lo}, ${hi}]`);
    }
    const edges = callEdgeNames(s);
    for (const [k, c] of s.calls.entries()) {
      const waiting = stock(series, `${edges[k] as string}.rateLimit.waiting`);
      if (waiting && c.rateLimit && !(peakOf(waiting) <= c.rateLimit.queue * inst.bound))
        out.push(
          `${edges[k] as string}.rateLimit.waiting peaked at ${peakOf(waiting)}, above queue ${c.rateLimit.queue} x caller instances ${inst.bound}`,
        );
      if (c.pool === null) continue;
      const edge = edges[k] as string;
      const size = c.pool.size;
      for (const p of series) {
        if (p.name !== `${edge}.pool.inUse` || p.kind !== 'stock') continue;
        const peak = peakOf(p);
        if (!(peak <= size * inst.bound))
          out.push(`${edge}.pool.inUse peaked at ${peak}, above size ${size} x caller instances ${inst.bound}`);
      }
    }
  }
  for (const c of sc.clients) {
    const waiting = stock(series, `${c.name}.rateLimit.waiting`);
    if (waiting && c.rateLimit && !(peakOf(waiting) <= c.rateLimit.queue))
      out.push(`${c.name}.rateLimit.waiting peaked at ${peakOf(waiting)}, above queue ${c.rateLimit.queue}`);
  }
  return out;
}

/** Flows: a service receives no more than its clients' attempts (less the short-circuited) and its callers' calls sent to it; its replicas' in-flight and errors sum to its own; timeouts and short-circuits within attempts. */
function flowViolations(sc: NormalizedScenario, series: readonly Series[]): string[] {
  const total = (name: string): number => series.reduce((a, s) => a + (s.name === name && s.kind === 'rate' ? s.total : 0), 0);
  const out: string[] = [];
  const edgesTo = (callee: string): string[] =>
    sc.services.flatMap((caller) => callEdgeNames(caller).filter((_, k) => caller.calls[k]?.to === callee));
  for (const s of sc.services) {
    let sent = 0;
    // A client's own breaker fails some attempts at once, and its own rate limit refuses some: those were never sent
    // (each total is 0 without the mechanism).
    for (const c of sc.clients) {
      if (c.target === s.name) sent += total(`${c.name}.attempts`) - total(`${c.name}.shortCircuited`) - total(`${c.name}.rateLimited`);
    }
    for (const e of edgesTo(s.name)) sent += total(`${e}.calls`);
    for (const b of sc.brokers) if (b.consumers.service === s.name) sent += total(`${b.name}.received`);
    const arrivals = total(`${s.name}.arrivals`);
    if (!(arrivals <= sent)) out.push(`${s.name}.arrivals ${arrivals} exceeds what was sent to it (${sent})`);
  }
  for (const s of sc.services) {
    if (!s.perInstance) continue;
    // The replicas' in-flight sums to the service's in every bucket; their errors to the service's.
    const parts = series.filter((x) => x.name.startsWith(`${s.name}[`) && x.name.endsWith('].inflight'));
    const whole = series.find((x) => x.name === `${s.name}.inflight`);
    if (whole?.kind === 'stock') {
      for (let i = 0; i < whole.mean.length; i++) {
        const sum = parts.reduce((a, p) => a + (p.kind === 'stock' ? (p.mean[i] as number) : 0), 0);
        const w = whole.mean[i] as number;
        if (!(Math.abs(sum - w) <= 1e-6 * Math.max(1, w)))
          out.push(`${s.name}[*].inflight sums to ${sum} in bucket ${i}, ${s.name}.inflight is ${w}`);
      }
    }
    const errors = series
      .filter((x) => x.name.startsWith(`${s.name}[`) && x.name.endsWith('].errors'))
      .reduce((a, x) => a + total(x.name), 0);
    if (errors !== total(`${s.name}.errors`))
      out.push(`${s.name}[*].errors sum to ${errors}, ${s.name}.errors is ${total(`${s.name}.errors`)}`);
  }
  for (const c of sc.clients) {
    if (!(total(`${c.name}.shortCircuited`) <= total(`${c.name}.attempts`)))
      out.push(`${c.name}.shortCircuited ${total(`${c.name}.shortCircuited`)} exceeds ${c.name}.attempts ${total(`${c.name}.attempts`)}`);
  }
  for (const caller of sc.services) {
    for (const e of callEdgeNames(caller)) {
      if (!(total(`${e}.timeouts`) <= total(`${e}.calls`)))
        out.push(`${e}.timeouts ${total(`${e}.timeouts`)} exceeds ${e}.calls ${total(`${e}.calls`)}`);
    }
    // A hedged call sends at most attempts - 1 copies beyond its first, and a hedge wins at most once per call.
    for (const [k, e] of callEdgeNames(caller).entries()) {
      const h = caller.calls[k]?.hedge;
      if (h == null) continue;
      const hedges = total(`${e}.hedges`);
      const firsts = total(`${e}.calls`) - hedges;
      if (!(hedges <= (h.attempts - 1) * firsts)) out.push(`${e}.hedges ${hedges} exceeds ${h.attempts - 1} per call (${firsts} calls)`);
      const wins = total(`${e}.hedgeWins`);
      if (!(wins <= Math.min(hedges, firsts))) out.push(`${e}.hedgeWins ${wins} exceeds the hedges ${hedges} or the calls ${firsts}`);
    }
  }
  // A route by key that no client gives keys to sends every request to the call for the rest.
  if (!sc.clients.some((c) => c.keys !== undefined)) {
    for (const caller of sc.services) {
      for (const [k, e] of callEdgeNames(caller).entries()) {
        if (caller.calls[k]?.route?.keys !== undefined && total(`${e}.routed`) > 0)
          out.push(`${e}.routed ${total(`${e}.routed`)} with no client drawing keys`);
      }
    }
  }
  for (const b of sc.brokers) {
    // Each message is received for the first time at most once, and never after it is older than retention.
    const first = total(`${b.name}.received`) - total(`${b.name}.redelivered`);
    if (!(first <= total(`${b.name}.published`)))
      out.push(`${b.name}: first receives ${first} exceed published ${total(`${b.name}.published`)}`);
    const age = series.find((x) => x.name === `${b.name}.oldestAge`);
    if (age?.kind === 'stock' && !(Math.max(...age.max) <= b.retention))
      out.push(`${b.name}.oldestAge reached ${Math.max(...age.max)}, above retention ${b.retention}`);
  }
  return out;
}

/** Summary blocks are ordered: min ≤ mean ≤ max, p50 ≤ p99 ≤ max, latency p50 ≤ p90 ≤ p99 ≤ max, nothing negative. */
function summaryViolations(res: SimulationResult): string[] {
  const out: string[] = [];
  for (const [name, b] of Object.entries(res.summary.metrics)) {
    if ('count' in b) {
      if (!(b.count >= 0 && Number.isInteger(b.count))) out.push(`${name}.count = ${b.count}`);
      if (!(b.p50 >= 0 && leq(b.p50, b.p90) && leq(b.p90, b.p99) && leq(b.p99, b.max) && leq(b.mean, b.max) && b.mean >= 0)) {
        out.push(`${name}: latency block out of order ${JSON.stringify(b)}`);
      }
    } else if (!(
      leq(b.min, b.mean) &&
      leq(b.mean, b.max) &&
      leq(b.min, b.p50) &&
      leq(b.p50, b.p99) &&
      leq(b.p99, b.max) &&
      leq(b.last, b.max) &&
      leq(b.min, b.last)
    )) {
      out.push(`${name}: block out of order ${JSON.stringify(b)}`);
    }
  }
  return out;
}

/**
 * Column names of timeseries.csv (and keys of summary.json) are unique, also
 * when a service calls the same service twice (`caller->callee#2`).
 */
function duplicateNames(series: readonly Series[]): string[] {
  const seen = new Set<string>();
  const out: string[] = [];
  for (const s of series) {
    if (seen.has(s.name)) out.push(`metric ${s.name} appears twice`);
    seen.add(s.name);
  }
  return out;
}

/**
 * Every invariant visible from a finished run's outputs, as violation lines
 * (empty when all hold). Conservation and determinism have their own helpers
 * (test/helpers/contracts.ts).
 */
export function runViolations(res: SimulationResult): string[] {
  const series = res.series.series;
  const csv = formatTimeseriesCsv(res.series);
  return [
    ...nonFiniteNumbers(res.summary),
    ...badCsvCells(csv, series),
    ...stockViolations(series).slice(0, 20),
    ...capacityViolations(res.scenario, series),
    ...flowViolations(res.scenario, series),
    ...summaryViolations(res),
    ...duplicateNames(series),
  ];
}
