/**
 * Charts of a comparison (or of one scenario over several seeds): each
 * variant's queue depth, goodput and in-flight count overlaid on shared axes,
 * one chart per component. Over several seeds each variant is a band from the
 * lowest to the highest value any seed had in that bucket, with the mean as a
 * line through it. Fault windows of every variant are shaded (once each when
 * they coincide). Pure, like reports/charts.ts.
 */
import { aggregateTraces, type TraceBands } from '../sim/sweep/aggregate.js';
import type { ReplicationResults } from '../sim/sweep/replications.js';
import { metricName } from '../sim/scenario/metric-catalogue.js';
import type { NormalizedScenario } from '../sim/scenario/types.js';
import type { ChartContext, ChartEntry, SeriesRow, Spec } from './chart-base.js';
import { colorBy, layeredChart, lineLayer, round6, timeX } from './chart-base.js';
import { shortenLabels } from './format.js';

/** One variant as the charts need it. */
export interface CompareChartVariant {
  readonly label: string;
  readonly scenario: NormalizedScenario;
  readonly bands: TraceBands;
}

/** A context spanning every variant: the longest duration and the union of fault windows. */
function sharedContext(variants: readonly CompareChartVariant[]): ChartContext {
  const first = variants[0];
  if (first === undefined) throw new RangeError('buildCompareCharts: no variants');
  const duration = Math.max(...variants.map((v) => v.bands.duration));
  const seen = new Set<string>();
  const faults = variants
    .flatMap((v) => v.scenario.faults)
    .filter((f) => {
      const key = JSON.stringify(f);
      if (seen.has(key)) return false;
      seen.add(key);
      return true;
    });
  const sample = Math.min(...variants.map((v) => v.bands.sample));
  return {
    run: { sample, buckets: Math.ceil(duration / sample - 1e-9), duration, series: [] },
    scenario: { ...first.scenario, duration, faults: [...faults].sort((a, b) => a.at - b.at) },
    byName: new Map(),
  };
}

/** Rows of one series of one variant: mean, and min/max as `lo`/`hi`. */
function bandRows(v: CompareChartVariant, label: string, name: string): SeriesRow[] {
  const band = v.bands.series[name];
  if (band === undefined) return [];
  const { sample, duration } = v.bands;
  return band.mean.map((mean, i) => {
    const start = i * sample;
    const t = round6(start + Math.min(sample, duration - start) / 2);
    return { t, series: label, value: round6(mean), lo: round6(band.min[i] ?? mean), hi: round6(band.max[i] ?? mean) };
  });
}

function overlay(
  ctx: ChartContext,
  variants: readonly CompareChartVariant[],
  name: string,
  title: string,
  yTitle: string,
): Spec | undefined {
  // Short labels, and no length limit on the legend: vega-lite cuts a label at 160 px,
  // which left variants that differ only at the end of their overrides looking alike.
  const labels = shortenLabels(variants.map((v) => v.label));
  const rows = variants.flatMap((v, i) => bandRows(v, labels[i] ?? v.label, name));
  if (rows.length === 0) return undefined;
  const seeds = Math.max(...variants.map((v) => v.bands.seeds));
  const color = { ...colorBy('series', labels), legend: { labelLimit: 0 } };
  const layers: Spec[] = [];
  if (seeds > 1) {
    layers.push({
      name: 'bands',
      mark: { type: 'area', opacity: 0.18 },
      encoding: {
        x: timeX(ctx.run),
        y: { field: 'lo', type: 'quantitative', title: yTitle },
        y2: { field: 'hi' },
        color,
      },
    });
  }
  layers.push(lineLayer(ctx, { field: 'value', type: 'quantitative', title: yTitle }, { color }));
  const subtitle =
    seeds > 1
      ? `mean over ${seeds} seeds (line) and the range across seeds (band), per bucket; shaded: fault windows`
      : 'per bucket; shaded: fault windows';
  return layeredChart(ctx, { title, subtitle, rows, layers, height: 200 });
}

/**
 * Every chart of a comparison, in page order: queue depth per service,
 * goodput per client, in-flight per service (each only when some variant
 * has the series). Components are taken from every variant, first seen first.
 */
export function buildCompareCharts(variants: readonly CompareChartVariant[]): ChartEntry[] {
  const ctx = sharedContext(variants);
  const union = (pick: (sc: NormalizedScenario) => readonly { readonly name: string }[]): string[] => [
    ...new Set(variants.flatMap((v) => pick(v.scenario).map((c) => c.name))),
  ];
  const services = union((sc) => sc.services);
  const clients = union((sc) => sc.clients);
  const charts: (ChartEntry | undefined)[] = [
    ...services.map((s) =>
      entry(
        `queue-${s}`,
        `Queue depth of ${s}`,
        overlay(ctx, variants, metricName('service', s, 'queue'), `Queue depth of ${s}`, 'requests waiting'),
      ),
    ),
    ...clients.map((c) =>
      entry(
        `goodput-${c}`,
        `Goodput of ${c}`,
        overlay(ctx, variants, metricName('client', c, 'goodput'), `Goodput of ${c}`, 'operations/s'),
      ),
    ),
    ...services.map((s) =>
      entry(
        `inflight-${s}`,
        `In flight at ${s}`,
        overlay(ctx, variants, metricName('service', s, 'inflight'), `In flight at ${s} (queue + busy)`, 'requests'),
      ),
    ),
  ];
  return charts.filter((c): c is ChartEntry => c !== undefined);
}

function entry(id: string, title: string, spec: Spec | undefined): ChartEntry | undefined {
  return spec === undefined ? undefined : { id, title, spec };
}

/**
 * The charts of variants run over seeds (`results[v][k]`: variant v at its
 * k-th seed, run with `detail: 'full'`): each variant's traces aggregated
 * into bands, then {@link buildCompareCharts}.
 */
export function buildReplicationCharts(
  variants: readonly { readonly label: string; readonly scenario: NormalizedScenario }[],
  results: ReplicationResults,
): ChartEntry[] {
  return buildCompareCharts(
    variants.map((v, i) => ({
      label: v.label,
      scenario: v.scenario,
      bands: aggregateTraces((results[i] ?? []).flatMap((r) => (r.trace === undefined ? [] : [r.trace]))),
    })),
  );
}
