/**
 * Charts as the playground sends them to its page: each spec's inlined data
 * sets named, and the spec's shape (the spec without its data) beside them,
 * so that the page can pour a new run's rows into a chart already on screen
 * (vega's `view.data(name, values)`) instead of embedding it again, which
 * costs a parse, a compile and a layout on the page's main thread. A chart
 * whose shape changed (another series, another fault window's label, the
 * pinned run added or taken away) is embedded afresh.
 */
import type { ChartEntry, Spec } from './charts.js';

/** One inlined data set of a spec: its name in the compiled view, and its rows. */
export interface NamedData {
  readonly name: string;
  readonly values: readonly unknown[];
}

/** A chart ready for the page: the spec (data sets named, rows inlined, no title), its shape and its data sets. */
export interface PlayChart extends ChartEntry {
  /** The chart's title and subtitle, which the page sets above the chart (a subtitle often quotes the run's figures). */
  readonly caption: { readonly text: string; readonly subtitle: string };
  /** The spec without its rows, as text: two charts of equal shape differ in their rows only. */
  readonly shape: string;
  /** Every inlined data set of {@link ChartEntry.spec}, by the name the spec now gives it. */
  readonly data: readonly NamedData[];
}

/** The keys under which vega-lite nests views that can carry data of their own. */
const NESTED = ['layer', 'concat', 'hconcat', 'vconcat'] as const;

/**
 * Names every inlined data set of a chart's spec by where it sits (`d` for
 * the top level, `d.1` for the second layer's, `d.1.0` deeper), returning the
 * named spec (a copy: the entry is not changed), its shape and its data sets.
 * vega-lite keeps a named inline data set's name in the compiled vega spec.
 *
 * Two more changes keep a chart's shape from following its data: the title
 * goes to {@link PlayChart.caption}, and each linear y scale spans at least
 * [0, 1] (vega-lite's `unionWith`) where the report fixes [0, 1] when every
 * value is 0 or leaves it to the data.
 */
export function playChart(entry: ChartEntry): PlayChart {
  const data: NamedData[] = [];
  const named = (spec: Spec, path: string): { spec: Spec; shape: Spec } => {
    const out: Spec = unitY({ ...spec });
    const shape: Spec = { ...out };
    const inline = spec['data'] as Spec | undefined;
    if (inline !== undefined && Array.isArray(inline['values'])) {
      const values = inline['values'] as unknown[];
      data.push({ name: path, values });
      out['data'] = { ...inline, name: path };
      shape['data'] = { ...inline, name: path, values: [] };
    }
    for (const key of NESTED) {
      const views = spec[key];
      if (!Array.isArray(views)) continue;
      const parts = (views as Spec[]).map((v, i) => named(v, `${path}.${i}`));
      out[key] = parts.map((p) => p.spec);
      shape[key] = parts.map((p) => p.shape);
    }
    return { spec: out, shape };
  };
  const { title, ...untitled } = entry.spec;
  const { spec, shape } = named(untitled, 'd');
  return { ...entry, caption: captionOf(title), spec, shape: JSON.stringify(shape), data };
}

/** A vega-lite title's text and subtitle as plain text (a title is a string, or `{ text, subtitle }`, each a string or lines). */
function captionOf(title: unknown): PlayChart['caption'] {
  const line = (x: unknown): string => (Array.isArray(x) ? x.join(' ') : typeof x === 'string' ? x : '');
  if (typeof title === 'string') return { text: title, subtitle: '' };
  const t = (title ?? {}) as Spec;
  return { text: line(t['text']), subtitle: line(t['subtitle']) };
}

/** A view whose y encoding is on a linear scale, made to span at least [0, 1] whatever its data. */
function unitY(view: Spec): Spec {
  const enc = view['encoding'] as Spec | undefined;
  const y = enc?.['y'] as Spec | undefined;
  if (enc === undefined || y === undefined || y['type'] !== 'quantitative' || y['scale'] === null) return view;
  const { domain, domainMin, ...scale } = (y['scale'] as Spec | undefined) ?? {};
  if (scale['type'] !== undefined && scale['type'] !== 'linear') return view;
  const unit = Array.isArray(domain) && domain[0] === 0 && domain[1] === 1;
  if ((domain !== undefined && !unit) || (domainMin !== undefined && domainMin !== 0)) return view;
  return { ...view, encoding: { ...enc, y: { ...y, scale: { ...scale, domain: { unionWith: [0, 1] } } } } };
}
