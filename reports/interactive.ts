/**
 * Turns a static chart spec (reports/charts.ts) into the interactive one the
 * report page embeds: a hover rule with a tooltip listing every series at the
 * nearest bucket, and either an x-interval brush (on the overview chart) or an
 * x domain that follows the brush (on every other chart). The static specs
 * stay free of these layers, so the SVG files carry no invisible marks.
 */
import type { Spec } from './chart-base.js';

/** Name of the variable parameter holding the zoomed time range `[from, to]` in seconds, or null. */
export const ZOOM_PARAM = 'loopsimZoom';

/** Name of the interval selection on the overview chart; its value is `{ t: [from, to] }` or `{}`. */
export const BRUSH_PARAM = 'loopsimBrush';

const HOVER_PARAM = 'loopsimHover';

/** Options of {@link makeInteractive}. */
export interface InteractiveOptions {
  /** The overview chart: gets the brush and keeps its full time domain. */
  readonly brush: boolean;
}

/** A field name as vega-lite reads it: dots and brackets would otherwise mean nested access. */
function fieldRef(name: string): string {
  return name.replace(/[.[\]\\]/g, (c) => `\\${c}`);
}

function isRecord(x: unknown): x is Record<string, unknown> {
  return typeof x === 'object' && x !== null && !Array.isArray(x);
}

/** The distinct `series` values of the chart's rows, in first-seen order. */
function seriesNames(spec: Spec): string[] {
  const data = spec['data'];
  const values = isRecord(data) && Array.isArray(data['values']) ? data['values'] : [];
  const names: string[] = [];
  for (const row of values) {
    const s = isRecord(row) ? row['series'] : undefined;
    if (typeof s === 'string' && !names.includes(s)) names.push(s);
  }
  return names;
}

/**
 * Transforms for a fault-label layer on a zoomable chart: hide labels of
 * faults outside the zoomed range, and pin the others to the part of their
 * window that is visible.
 */
function zoomLabels(right: boolean): Spec[] {
  const z = ZOOM_PARAM;
  const at = right ? `min(datum.end, ${z}[1])` : `max(datum.start, ${z}[0])`;
  return [{ filter: `!${z} || (datum.end >= ${z}[0] && datum.start <= ${z}[1])` }, { calculate: `${z} ? ${at} : datum.at`, as: 'at' }];
}

/**
 * Clips one layer's marks to the plot and, off the overview chart (`brush`
 * false), makes its x domain follow the zoom; returns its x encoding, if any.
 */
function interactiveLayer(layer: Record<string, unknown>, brush: boolean): Record<string, unknown> | undefined {
  const mark = layer['mark'];
  const label = String(layer['name']).startsWith('fault-labels');
  // Fault labels sit above the plot, so clipping would hide them; when zoomed
  // they follow the visible part of their window instead (see zoomLabels).
  layer['mark'] = isRecord(mark) ? { ...mark, clip: !label } : { type: mark, clip: !label };
  if (label && !brush) layer['transform'] = zoomLabels(layer['name'] === 'fault-labels-right');
  const encoding = layer['encoding'];
  const x = isRecord(encoding) ? encoding['x'] : undefined;
  if (!isRecord(x)) return undefined;
  if (!brush) {
    const scale = isRecord(x['scale']) ? x['scale'] : {};
    x['scale'] = { ...scale, domainRaw: { expr: ZOOM_PARAM } };
  }
  return x;
}

/**
 * A copy of `spec` with the page's interactions added (see the module
 * comment). Every mark is clipped to the plot, so zooming in never draws
 * lines or fault windows over the axes.
 */
export function makeInteractive(spec: Spec, options: InteractiveOptions): Spec {
  const out = JSON.parse(JSON.stringify(spec)) as Spec;
  const zoom = (): void => {
    out['params'] = [...(Array.isArray(out['params']) ? (out['params'] as unknown[]) : []), { name: ZOOM_PARAM, value: null }];
  };
  if (Array.isArray(out['concat'])) {
    // Small multiples (one panel per replica): each panel clipped and following the zoom,
    // one zoom parameter at the top, no hover rule (its selection would repeat in every panel).
    for (const panel of (out['concat'] as unknown[]).filter(isRecord)) {
      const layers = Array.isArray(panel['layer']) ? (panel['layer'] as unknown[]).filter(isRecord) : [];
      for (const layer of layers) interactiveLayer(layer, false);
    }
    zoom();
    return out;
  }
  const layers = Array.isArray(out['layer']) ? (out['layer'] as unknown[]).filter(isRecord) : [];
  let xEncoding: Record<string, unknown> | undefined;
  for (const layer of layers) {
    const x = interactiveLayer(layer, options.brush);
    if (x !== undefined && layer['name'] === 'series' && xEncoding === undefined) xEncoding = x;
  }
  if (!options.brush) zoom();
  const series = layers.find((l) => l['name'] === 'series');
  if (options.brush && series !== undefined) {
    series['params'] = [{ name: BRUSH_PARAM, select: { type: 'interval', encodings: ['x'] } }];
  }
  const names = seriesNames(out);
  if (xEncoding !== undefined && names.length > 0) {
    layers.push({
      name: 'hover',
      transform: [{ pivot: 'series', value: 'value', groupby: ['t'] }],
      mark: { type: 'rule', color: '#444', strokeWidth: 1, clip: true },
      encoding: {
        x: xEncoding,
        opacity: { condition: { param: HOVER_PARAM, empty: false, value: 0.45 }, value: 0 },
        tooltip: [
          { field: 't', type: 'quantitative', title: 'time (s, bucket midpoint)', format: '.4~g' },
          ...names.map((n) => ({ field: fieldRef(n), type: 'quantitative', title: n, format: '.4~g' })),
        ],
      },
      params: [{ name: HOVER_PARAM, select: { type: 'point', fields: ['t'], nearest: true, on: 'pointerover', clear: 'pointerout' } }],
    });
  }
  out['layer'] = layers;
  return out;
}
