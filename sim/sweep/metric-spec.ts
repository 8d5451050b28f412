/**
 * `--metric component.metric:stat[:from:to]`: any recorded series, reduced to
 * one number per run the way a metric expectation reduces it
 * (measureMetric in sim/metrics/expectations.ts), carried by compare, sweep
 * and `run --seeds` beside their fixed figures. Parsing and checking happen
 * before any run, against the scenarios that will run; measuring happens
 * after each run, in the job (so in the worker that ran it).
 */
import { clientHas } from '../engine/model/client.js';
import { instanceHas, instanceName, replicaSlots } from '../scenario/replica-slots.js';
import { callHas } from '../engine/model/edge.js';
import { hasLinkFault } from '../engine/model/fault.js';
import { degradable } from '../engine/model/fallback.js';
import { serviceHas } from '../engine/model/service.js';
import { measureMetric } from '../metrics/expectations.js';
import { roundForOutput } from '../metrics/round.js';
import type { RunSeries } from '../metrics/series.js';
import type { Result } from '../scenario/issue.js';
import { callEdgeNames } from '../scenario/edge-names.js';
import { didYouMean } from '../scenario/messages.js';
import {
  REQUIREMENTS,
  declarationOf,
  metricsOf,
  readableNames,
  type ComponentKind,
  type MetricDeclaration,
  type Requirement,
} from '../scenario/metric-catalogue.js';
import { STATS } from '../scenario/schema.js';
import type { ExpectStat, NormalizedScenario } from '../scenario/types.js';
import { formatSeconds, toSeconds } from '../scenario/units.js';

/** One `--metric`, parsed. Plain data: it crosses to a worker thread inside a job. */
export interface MetricSpec {
  /**
   * Its key in every output (`metrics` of a run or cell, a CSV column, a table
   * row): `<series>:<stat>`, then `:<from>:<to>` in seconds when a window was
   * given (`api.queue:max`, `users.goodput:mean:60:120`, `…:60:end`).
   */
  readonly name: string;
  /** The series, `<component>.<metric>`, or a column such as `api.queue.max` or `api.latency.p99`. */
  readonly series: string;
  readonly stat: ExpectStat;
  /** Start of the window, seconds; null: the scenario's warmup. */
  readonly from: number | null;
  /** End of the window, seconds; null: the end of the run. */
  readonly to: number | null;
  /** The metric's unit as the catalogue gives it (`requests`, `per second`, `seconds`...). */
  readonly unit: string;
  /** What the series counts or measures, from the catalogue. */
  readonly meaning: string;
}

const FORMAT = 'component.metric:stat[:from:to], e.g. api.queue:max or users.goodput:mean:60s:120s';

/** Seconds from a window end as written: `90`, `90s`, `5m`, `250ms`; `end` for the end of the run (allowed as `to` only). */
function windowEnd(text: string, allowEnd: boolean): number | null | undefined {
  if (allowEnd && text === 'end') return null;
  const n = /^\d+(\.\d+)?$/.test(text) ? Number(text) : toSeconds(text);
  return Number.isFinite(n) && n >= 0 ? n : undefined;
}

/** The catalogue declaration of a series or a column of it (`api.latency.p99` is `api.latency`'s). */
function declarationOfColumn(series: string): MetricDeclaration | undefined {
  const exact = declarationOf(series);
  if (exact !== undefined) return exact;
  const cut = series.lastIndexOf('.');
  return cut > series.indexOf('.') ? declarationOf(series.slice(0, cut)) : undefined;
}

/** Parses one `--metric` value; the message names the flag and the value. */
export function parseMetricSpec(text: string): Result<MetricSpec, string> {
  const fail = (why: string): Result<MetricSpec, string> => ({ ok: false, issues: `--metric "${text}": ${why}` });
  const parts = text
    .trim()
    .split(':')
    .map((p) => p.trim());
  if (parts.length !== 2 && parts.length !== 4) return fail(`expected ${FORMAT}.`);
  const [series = '', stat = '', fromText, toText] = parts;
  if (!/^[^.\s]+\.\S+$/.test(series)) return fail(`"${series}" is not a series name: expected component.metric, e.g. api.queue.`);
  if (!(STATS as readonly string[]).includes(stat))
    return fail(`unknown statistic "${stat}": expected one of ${STATS.join(', ')}.${didYouMean(stat, STATS)}`);
  let from: number | null = null;
  let to: number | null = null;
  if (fromText !== undefined && toText !== undefined) {
    const f = windowEnd(fromText, false);
    const t = windowEnd(toText, true);
    if (f === undefined || f === null) return fail(`the window's start "${fromText}" is not a duration (90, 90s, 5m).`);
    if (t === undefined) return fail(`the window's end "${toText}" is not a duration (90, 90s, 5m) or end.`);
    if (t !== null && f >= t) return fail(`the window starts at ${formatSeconds(f)}, not before its end ${formatSeconds(t)}.`);
    [from, to] = [f, t];
  }
  const window = from === null ? '' : `:${from}:${to ?? 'end'}`;
  const d = declarationOfColumn(series);
  return {
    ok: true,
    value: {
      name: `${series}:${stat}${window}`,
      series,
      stat: stat as ExpectStat,
      from,
      to,
      unit: d?.unit ?? '',
      meaning: d?.description ?? '',
    },
    warnings: [],
  };
}

/** Parses every `--metric` value; all the messages when any is bad. A metric given twice counts once. */
export function parseMetricSpecs(texts: readonly string[]): Result<MetricSpec[], string[]> {
  const specs: MetricSpec[] = [];
  const problems: string[] = [];
  for (const t of texts) {
    const r = parseMetricSpec(t);
    if (!r.ok) problems.push(r.issues);
    else if (!specs.some((s) => s.name === r.value.name)) specs.push(r.value);
  }
  return problems.length > 0 ? { ok: false, issues: problems } : { ok: true, value: specs, warnings: [] };
}

/** The components of a scenario that record metrics, each with its kind and the mechanisms it has. */
function componentsOf(sc: NormalizedScenario): Map<string, { readonly kind: ComponentKind; readonly has: (r: Requirement) => boolean }> {
  const out = new Map<string, { readonly kind: ComponentKind; readonly has: (r: Requirement) => boolean }>();
  const canDegrade = degradable(sc);
  for (const c of sc.clients) out.set(c.name, { kind: 'client', has: (r) => clientHas(c, canDegrade, r) });
  for (const s of sc.services) out.set(s.name, { kind: 'service', has: (r) => serviceHas(s, r) });
  for (const s of sc.services) {
    const names = callEdgeNames(s);
    s.calls.forEach((call, i) =>
      out.set(names[i] ?? '', { kind: 'edge', has: (r) => callHas(call, r, hasLinkFault(sc.faults, names[i] ?? '')) }),
    );
  }
  for (const b of sc.brokers) out.set(b.name, { kind: 'broker', has: () => false });
  for (const s of sc.services) {
    if (!s.perInstance) continue;
    const has = (r: Requirement): boolean => instanceHas(true, Number.isFinite(s.workers), r);
    const slots = replicaSlots(s.name, s.instances, s.autoscale?.max ?? null, sc.faults);
    for (let i = 0; i < slots; i++) out.set(instanceName(s.name, i), { kind: 'instance', has });
  }
  return out;
}

/**
 * What is wrong with `spec` for scenario `sc` (`where` names it: a file, a
 * variant, a cell), or undefined: an unknown component or metric (with the
 * nearest name), a metric the component does not record, `count` on a
 * stock, or a window beyond the run's duration.
 */
export function checkMetricSpec(spec: MetricSpec, sc: NormalizedScenario, where: string): string | undefined {
  const head = `--metric "${spec.name}"`;
  const dot = spec.series.indexOf('.');
  const component = spec.series.slice(0, dot);
  const name = spec.series.slice(dot + 1);
  const components = componentsOf(sc);
  const owner = components.get(component);
  if (owner === undefined) {
    return `${head}: ${where} has no client, service, edge or broker "${component}".${didYouMean(component, [...components.keys()])}`;
  }
  const recorded = readableNames(metricsOf(owner.kind, owner.has));
  if (!recorded.includes(name)) {
    const absent = metricsOf(owner.kind).find((m) => readableNames([m]).includes(name));
    if (absent?.requires !== undefined) {
      return `${head}: "${name}" is recorded only for a ${owner.kind} ${REQUIREMENTS[absent.requires].when}, and ${component} in ${where} is not one.`;
    }
    return `${head}: "${name}" is not a metric of ${owner.kind} ${component}.${didYouMean(name, recorded)}`;
  }
  // A column such as api.queue.max or api.latency.p99 is one value per bucket, with no events to count.
  const kind = declarationOf(spec.series)?.kind;
  if (spec.stat === 'count' && kind !== 'rate' && kind !== 'latency') {
    return `${head}: "count" applies to rates and latencies, not to ${spec.series}; use mean, min, max, p50, p90, p99 or last.`;
  }
  const from = spec.from ?? sc.warmup;
  const to = spec.to ?? sc.duration;
  if (to > sc.duration)
    return `${head}: the window ends at ${formatSeconds(to)}, beyond the end of ${where} (duration ${formatSeconds(sc.duration)}).`;
  if (from >= to) return `${head}: the window starts at ${formatSeconds(from)}, not before its end ${formatSeconds(to)} in ${where}.`;
  return undefined;
}

/** Every problem of `specs` for scenario `sc` (see {@link checkMetricSpec}). */
export function checkMetricSpecs(specs: readonly MetricSpec[], sc: NormalizedScenario, where: string): string[] {
  return specs.map((s) => checkMetricSpec(s, sc, where)).filter((m): m is string => m !== undefined);
}

/** The values of `specs` in one run, by name (rounded to 6 significant digits); null where the window had nothing to measure. */
export function measureMetrics(run: RunSeries, sc: NormalizedScenario, specs: readonly MetricSpec[]): Record<string, number | null> {
  const out: Record<string, number | null> = {};
  for (const s of specs) {
    const m = measureMetric(run, { metric: s.series, stat: s.stat, from: s.from ?? sc.warmup, to: s.to ?? sc.duration });
    out[s.name] = 'value' in m && Number.isFinite(m.value) ? roundForOutput(m.value) : null;
  }
  return out;
}

/** A spec's label for tables and pages: `api.queue max` or `users.goodput mean 60–120 s`, with its unit. */
export function metricLabel(spec: MetricSpec): string {
  const window = spec.from === null ? '' : ` ${spec.from}–${spec.to ?? 'end'} s`;
  return `${spec.series} ${spec.stat}${window}`;
}
