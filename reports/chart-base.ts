/**
 * The parts every loopsim chart shares: finding series by name, turning
 * buckets into rows of inlined data, the time axis over [0, duration], and the
 * shaded, labelled fault windows.
 *
 * Every chart is a layered vega-lite spec whose top-level `data.values` are
 * {@link SeriesRow}s in long form (one row per bucket and series); fault
 * layers carry their own small data. Points sit at bucket midpoints, because a
 * bucket's value is its mean over the whole bucket.
 */
import { callEdgeNames } from '../sim/scenario/edge-names.js';
import type { Fault, NormalizedScenario } from '../sim/scenario/types.js';
import type { LatencySeries, RunSeries, Series } from '../sim/metrics/series.js';
import { bucketStart, bucketWidth } from '../sim/metrics/series.js';
import { faultLabel, faultShortLabel } from './fault-text.js';

/** A vega-lite spec as a plain JSON object. */
export type Spec = Record<string, unknown>;

/** One data point: the bucket midpoint `t` (seconds), the line it belongs to, its value. */
export interface SeriesRow {
  readonly t: number;
  readonly series: string;
  readonly value: number;
  /** Extra grouping fields (component, measure, quantile), used for colour and dash. */
  readonly [field: string]: string | number;
}

/** What every chart builder receives: the run, the scenario and the run's series by name. */
export interface ChartContext {
  readonly run: RunSeries;
  readonly scenario: NormalizedScenario;
  readonly byName: ReadonlyMap<string, Series>;
}

/** Plot width in pixels; with axes the rendered chart is about 800 wide. */
export const PLOT_WIDTH = 720;

/** Default plot height in pixels. */
export const PLOT_HEIGHT = 180;

/** Builds a {@link ChartContext}, indexing the run's series by name. */
export function createChartContext(run: RunSeries, scenario: NormalizedScenario): ChartContext {
  const byName = new Map<string, Series>();
  for (const s of run.series) byName.set(s.name, s);
  return { run, scenario, byName };
}

/** Rounds to 6 significant digits so inlined data stays small and free of float noise. */
export function round6(x: number): number {
  return x === 0 ? 0 : Number(x.toPrecision(6));
}

/** Midpoint of bucket `i` in seconds. */
export function bucketMid(run: RunSeries, i: number): number {
  return round6(bucketStart(run, i) + bucketWidth(run, i) / 2);
}

/**
 * The per-bucket values of a rate (per second) or the per-bucket means of a
 * stock named `name`; `undefined` when the run has no such series.
 */
export function levels(ctx: ChartContext, name: string): Float64Array | undefined {
  const s = ctx.byName.get(name);
  if (s === undefined) return undefined;
  if (s.kind === 'rate') return s.values;
  if (s.kind === 'stock') return s.mean;
  return undefined;
}

/** The latency series named `name`, or `undefined`. */
export function latencySeries(ctx: ChartContext, name: string): LatencySeries | undefined {
  const s = ctx.byName.get(name);
  return s?.kind === 'latency' ? s : undefined;
}

/** One row per bucket of `values` (non-finite values skipped), tagged with `series` and `extra`. */
export function rowsOf(
  run: RunSeries,
  values: ArrayLike<number>,
  series: string,
  extra: Readonly<Record<string, string | number>> = {},
): SeriesRow[] {
  const rows: SeriesRow[] = [];
  const n = Math.min(values.length, run.buckets);
  for (let i = 0; i < n; i += 1) {
    const v = values[i];
    if (v === undefined || !Number.isFinite(v)) continue;
    rows.push({ t: bucketMid(run, i), series, value: round6(v), ...extra });
  }
  return rows;
}

/**
 * Rows of latency quantile `q` of series `name`, in milliseconds; buckets with
 * no response are skipped (a gap in the line, not a false zero), and so are
 * zero values, which a log scale cannot show.
 */
export function latencyRows(
  ctx: ChartContext,
  name: string,
  q: number,
  series: string,
  extra: Readonly<Record<string, string | number>> = {},
): SeriesRow[] {
  const s = latencySeries(ctx, name);
  if (s === undefined) return [];
  const rows: SeriesRow[] = [];
  s.buckets.forEach((h, i) => {
    if (i >= ctx.run.buckets || h.count === 0) return;
    const ms = h.quantile(q) * 1000;
    if (ms > 0 && Number.isFinite(ms)) rows.push({ t: bucketMid(ctx.run, i), series, value: round6(ms), ...extra });
  });
  return rows;
}

/** The x encoding of every chart: simulated time in seconds over [0, duration]. */
export function timeX(run: RunSeries, field = 't'): Spec {
  // Every layer repeats the same title: vega-lite merges identical titles into
  // one, but would join different ones ("time (s), start").
  return {
    field,
    type: 'quantitative',
    scale: { domain: [0, run.duration], nice: false, zero: false },
    axis: { title: 'time (s)', tickCount: 10, grid: true },
  };
}

/** Text width estimate in pixels for 10px labels, used to keep fault labels from overlapping. */
function labelWidthPx(text: string): number {
  // DejaVu Sans at 10 px averages about 6 px a character; erring wide keeps labels apart.
  return text.length * 6.2 + 8;
}

/** Lanes of fault labels above the plot before the labels switch to their short form. */
export const MAX_FAULT_LANES = 3;

/** Fault labels placed in lanes above the plot: the first lane free where each starts. */
function placeFaultLabels(
  ctx: ChartContext,
  text: (f: Fault) => string,
): { at: number; start: number; end: number; label: string; y: number; right: boolean; lane: number }[] {
  const { run, scenario } = ctx;
  const pxPerSecond = PLOT_WIDTH / run.duration;
  const laneEnds: number[] = [];
  return scenario.faults.map((f) => {
    const label = text(f);
    const width = labelWidthPx(label) / pxPerSecond;
    // Labels near the right edge hang left of their fault instead of past the plot.
    const end = Math.min(f.at + f.for, run.duration);
    const right = f.at + width > run.duration;
    const from = right ? end - width : f.at;
    let lane = laneEnds.findIndex((e) => e <= from);
    if (lane < 0) lane = laneEnds.length;
    laneEnds[lane] = from + width;
    return { at: right ? end : f.at, start: f.at, end, label, y: -3 - lane * 12, right, lane };
  });
}

/**
 * The fault layers of a chart: a shaded rect per fault window, a dashed rule
 * per instantaneous fault (`for: 0`, e.g. `cacheFlush`), and a label per
 * fault just above the plot (clear of the data), stacked in lanes so that
 * labels never overlap; when more than {@link MAX_FAULT_LANES} lanes would be
 * needed, in their short form (`db +200ms`).
 */
export function faultLayers(ctx: ChartContext): Spec[] {
  const { run, scenario } = ctx;
  if (scenario.faults.length === 0) return [];
  let labels = placeFaultLabels(ctx, faultLabel);
  if (labels.some((l) => l.lane >= MAX_FAULT_LANES)) labels = placeFaultLabels(ctx, faultShortLabel);
  const windows = scenario.faults
    .filter((f) => f.for > 0)
    .map((f) => ({ start: f.at, end: Math.min(f.at + f.for, run.duration), label: faultLabel(f) }));
  const instants = scenario.faults.filter((f) => f.for === 0).map((f) => ({ at: f.at, label: faultLabel(f) }));
  const layers: Spec[] = [];
  if (windows.length > 0) {
    layers.push({
      name: 'fault-windows',
      data: { values: windows },
      mark: { type: 'rect', color: '#fd8d3c', opacity: 0.16 },
      encoding: {
        x: timeX(run, 'start'),
        x2: { field: 'end' },
        tooltip: [
          { field: 'label', title: 'fault' },
          { field: 'start', title: 'from (s)' },
          { field: 'end', title: 'to (s)' },
        ],
      },
    });
  }
  if (instants.length > 0) {
    layers.push({
      name: 'fault-instants',
      data: { values: instants },
      mark: { type: 'rule', color: '#d94801', strokeDash: [4, 3] },
      encoding: { x: timeX(run, 'at'), tooltip: [{ field: 'label', title: 'fault' }] },
    });
  }
  for (const right of [false, true]) {
    const values = labels.filter((l) => l.right === right);
    if (values.length === 0) continue;
    layers.push({
      name: right ? 'fault-labels-right' : 'fault-labels',
      data: { values: values.map(({ lane: _lane, ...rest }) => rest) },
      mark: { type: 'text', align: right ? 'right' : 'left', baseline: 'bottom', dx: right ? -3 : 3, fontSize: 10, color: '#a63603' },
      encoding: {
        x: timeX(run, 'at'),
        y: { field: 'y', type: 'quantitative', scale: null },
        text: { field: 'label' },
      },
    });
  }
  return layers;
}

/** Options of {@link layeredChart}. */
export interface LayeredChartOptions {
  readonly title: string;
  readonly subtitle?: string;
  readonly rows: readonly SeriesRow[];
  /** The data layers, drawn between the fault windows (behind) and the fault labels (in front). */
  readonly layers: readonly Spec[];
  readonly height?: number;
  /** vega-lite `resolve`, e.g. independent y scales for a dual-axis chart. */
  readonly resolve?: Spec;
}

/**
 * A layer whose linear y scale spans [0, 1]. Used when every value of a chart
 * is 0: vega's ticks over an empty [0, 0] domain come out as `0.000000`.
 */
function withUnitY(layer: Spec): Spec {
  const enc = layer['encoding'] as Spec | undefined;
  const y = enc?.['y'] as Spec | undefined;
  if (enc === undefined || y === undefined) return layer;
  const scale = (y['scale'] as Spec | undefined) ?? {};
  if (scale['domain'] !== undefined || scale['type'] === 'log') return layer;
  return { ...layer, encoding: { ...enc, y: { ...y, scale: { ...scale, domain: [0, 1] } } } };
}

/** Assembles a chart: title, size, inlined rows, fault windows behind the data and fault labels in front. */
export function layeredChart(ctx: ChartContext, o: LayeredChartOptions): Spec {
  const allZero = o.rows.length > 0 && o.rows.every((r) => r.value === 0);
  if (allZero) o = { ...o, layers: o.layers.map(withUnitY) };
  const faults = faultLayers(ctx);
  const behind = faults.filter((l) => !String(l['name']).startsWith('fault-labels'));
  const front = faults.filter((l) => String(l['name']).startsWith('fault-labels'));
  const spec: Spec = {
    title: o.subtitle === undefined ? { text: o.title, anchor: 'start' } : { text: o.title, subtitle: o.subtitle, anchor: 'start' },
    width: PLOT_WIDTH,
    height: o.height ?? PLOT_HEIGHT,
    data: { values: o.rows },
    layer: [...behind, ...o.layers, ...front],
    config: {
      font: 'Helvetica, Arial, sans-serif',
      // With faults, the band above the plot holds their labels: the legend goes below.
      legend: { orient: ctx.scenario.faults.length > 0 ? 'bottom' : 'top', labelFontSize: 11 },
      axis: { labelFontSize: 10, titleFontSize: 11, titleFontWeight: 'normal' },
      // A fixed minimum width for y axes keeps the time axes of stacked charts aligned.
      axisY: { minExtent: 48 },
      title: { fontSize: 13, subtitleFontSize: 11, subtitleColor: '#555' },
      view: { stroke: '#ddd' },
    },
  };
  if (o.resolve !== undefined) spec['resolve'] = o.resolve;
  return spec;
}

/** A line layer over the chart's rows, colour by `color` (default `series`), with an optional dash field. */
export function lineLayer(
  ctx: ChartContext,
  y: Spec,
  opts: { color?: Spec; strokeDash?: Spec; filter?: string; interpolate?: string } = {},
): Spec {
  const layer: Spec = {
    name: 'series',
    mark: { type: 'line', strokeWidth: 1.6, interpolate: opts.interpolate ?? 'linear' },
    encoding: {
      x: timeX(ctx.run),
      y,
      color: opts.color ?? { field: 'series', type: 'nominal', title: null, scale: { scheme: 'tableau10' } },
      ...(opts.strokeDash === undefined ? {} : { strokeDash: opts.strokeDash }),
    },
  };
  if (opts.filter !== undefined) layer['transform'] = [{ filter: opts.filter }];
  return layer;
}

/** One chart to render: a stable id (also the SVG file stem), a title and its vega-lite spec. */
export interface ChartEntry {
  readonly id: string;
  readonly title: string;
  readonly spec: Spec;
}

/** A colour encoding over a fixed domain, so a component keeps its colour across charts. */
export function colorBy(field: string, domain: readonly string[], range?: readonly string[]): Spec {
  const scale: Spec = range === undefined ? { domain, scheme: 'tableau10' } : { domain, range };
  return { field, type: 'nominal', title: null, scale };
}

/** Names of every edge `caller->callee` declared in the scenario, in declaration order, without repeats. */
export function edgeNames(ctx: ChartContext): string[] {
  return ctx.scenario.services.flatMap(callEdgeNames);
}
