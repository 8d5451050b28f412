/**
 * Pin and compare, the playground's overlay: a pinned run's lines drawn
 * dashed and faint under the current run's, on the charts where two runs
 * read well together (those whose lines are plain lines: the queue depth,
 * amplification, bathtubs, utilization; not the latency charts, whose dash
 * already tells p50 from p99, nor the loop-dominance band). Pure: chart specs
 * in, chart specs out. Both runs use the scenario's seed and loopsim's named
 * random streams, so what differs between the lines is the change, not luck.
 */
import type { ChartEntry, Spec } from './chart-base.js';

/** A pinned run's data, chart by chart: each chart's rows (its top-level `data.values`), by chart id. */
export type PinnedRows = Readonly<Record<string, readonly unknown[]>>;

/** Name of the layers {@link overlayPinned} adds; the page drops them to unpin. */
export const PINNED_LAYER = 'pinned';

/** How the pinned run's lines are drawn: dashed, thinner and faint, in each line's own colour. */
const PINNED_MARK: Spec = { strokeDash: [6, 3], strokeWidth: 1.2, opacity: 0.55, clip: true };

/** Is this one of the chart's data lines that a pinned copy of can go under? */
function overlaid(layer: Spec): boolean {
  const mark = layer['mark'] as Spec | undefined;
  const encoding = layer['encoding'] as Spec | undefined;
  return layer['name'] === 'series' && mark?.['type'] === 'line' && encoding?.['strokeDash'] === undefined;
}

/**
 * The charts with the pinned run under them: for each chart the pinned run
 * also had, a copy of each plain line layer over the pinned rows, dashed and
 * faint, just before the current lines. A chart the pinned run did not have,
 * or one with no plain line, is returned as it is.
 */
export function overlayPinned(charts: readonly ChartEntry[], pinned: PinnedRows): ChartEntry[] {
  return charts.map((chart) => {
    const rows = pinned[chart.id];
    // Small multiples (a `concat` of panels) have no top-level layers: they go as they are.
    const layers = (chart.spec['layer'] ?? []) as readonly Spec[];
    const first = layers.findIndex(overlaid);
    if (rows === undefined || first < 0) return chart;
    const copies = layers.filter(overlaid).map((layer) => ({
      ...layer,
      name: PINNED_LAYER,
      data: { values: rows },
      mark: { ...(layer['mark'] as Spec), ...PINNED_MARK },
    }));
    const layer = [...layers.slice(0, first), ...copies, ...layers.slice(first)];
    return { ...chart, spec: { ...chart.spec, layer } };
  });
}
