/**
 * Charts of a sweep, from sweep.json alone (so a merged sweep draws the same):
 * - two parameters: the phase diagram, a heatmap with the first parameter
 *   across, the second up, colour the share of seeds metastable and the mean
 *   recovery time written in each cell;
 * - one parameter: the share metastable against it, or with --hysteresis the
 *   share stuck (metastable or overloaded) on both branches;
 * - one parameter: the mean recovery time with its 95% interval.
 * With `--metric`, the phase diagram offers a choice of what colours it (the
 * share metastable, or any metric's mean over the seeds), and a
 * one-parameter sweep gets one chart per metric, its mean with its interval.
 * Pure: the same file gives the same specs.
 */
import { metricLabel } from '../sim/sweep/metric-spec.js';
import { extentOf, type SampleStats } from '../sim/sweep/stats.js';
import { cellAt, type CellSummary, type SweepFile } from '../sim/sweep/sweep-file.js';
import type { ChartEntry, Spec } from './chart-base.js';
import { PLOT_WIDTH } from './chart-base.js';

/** Colour of a phase-diagram cell where no seed ended metastable. */
export const NONE_METASTABLE = '#eef1f4';

/** Id of the headline chart: the phase diagram, or the share line of a one-parameter sweep. */
export const PHASE_DIAGRAM_ID = 'phase-diagram';

const CONFIG: Spec = {
  font: 'Helvetica, Arial, sans-serif',
  legend: { orient: 'top', labelFontSize: 11, labelLimit: 400 },
  axis: { labelFontSize: 10, titleFontSize: 11, titleFontWeight: 'normal' },
  title: { fontSize: 13, subtitleFontSize: 11, subtitleColor: '#555' },
  view: { stroke: '#ddd' },
};

/** Mean recovery as short text: `12.5`, or `–` when no seed recovered. */
function recoveryText(c: CellSummary): string {
  const r = c.recoverySeconds;
  return r === null ? '–' : String(Number(r.mean.toPrecision(3)));
}

function axisTitle(f: SweepFile, k: number): string {
  const a = f.definition.axes[k];
  if (a === undefined) return '';
  return a.unit === '' ? a.field : `${a.field} (${a.unit})`;
}

/** The name of the phase diagram's colour choice (a select bound below the chart, with `--metric`). */
export const COLOUR_PARAM = 'colourBy';

/** The choice that colours the phase diagram by the share of seeds metastable. */
export const SHARE_CHOICE = 'share metastable';

/**
 * The phase diagram with a choice of colour: one row per cell and choice
 * (the share metastable, then each metric's mean), the rows of the chosen
 * one drawn. The scale starts at 0 and ends at the chosen one's largest value.
 */
function heatmapWithChoice(f: SweepFile, base: Spec, x: Spec, y: Spec): Spec {
  const metrics = f.definition.metrics ?? [];
  const choices = [SHARE_CHOICE, ...metrics.map(metricLabel)];
  const rows = (base.data as { values: Record<string, unknown>[] }).values.flatMap((r, i) => {
    const c = f.cells[i];
    return [
      { ...r, choice: SHARE_CHOICE, value: r.share },
      ...metrics.map((m, k) => ({ ...r, choice: choices[k + 1], value: c?.metrics?.[m.name]?.mean ?? null })),
    ];
  });
  const [rect, text] = base.layer as Spec[];
  return {
    ...base,
    title: {
      text: 'Phase diagram',
      subtitle:
        'colour: chosen below (share of seeds metastable, or a metric’s mean over the seeds) · number: mean recovery time (s) (– none)',
      anchor: 'start',
    },
    data: { values: rows },
    params: [{ name: COLOUR_PARAM, value: SHARE_CHOICE, bind: { input: 'select', options: choices, name: 'colour by ' } }],
    transform: [{ filter: `datum.choice === ${COLOUR_PARAM}` }],
    layer: [
      {
        ...rect,
        encoding: {
          x,
          y,
          color: {
            condition: {
              test: `datum.value === null || (datum.choice === '${SHARE_CHOICE}' && datum.value === 0)`,
              value: NONE_METASTABLE,
            },
            field: 'value',
            type: 'quantitative',
            title: null,
            scale: { scheme: 'orangered', domainMin: 0 },
            legend: { gradientLength: 240 },
          },
          tooltip: [
            { field: 'x', title: axisTitle(f, 0) },
            { field: 'y', title: axisTitle(f, 1) },
            { field: 'choice', title: 'colour' },
            { field: 'value', title: 'value', format: '.4~g' },
            { field: 'share', title: 'share metastable', format: '.0%' },
            { field: 'seeds', title: 'seeds' },
            { field: 'recovery', title: 'mean recovery (s)' },
          ],
        },
      },
      text,
    ],
  };
}

function heatmap(f: SweepFile): Spec {
  const [ax, ay] = f.definition.axes;
  const xs = ax?.labels ?? [];
  const ys = ay?.labels ?? [];
  const rows = f.cells.map((c) => {
    const [xi, yi] = cellAt(f.definition, c.index);
    return {
      x: c.labels[0] ?? '',
      y: c.labels[1] ?? '',
      xi,
      yi,
      share: c.shareMetastable,
      seeds: c.seeds,
      metastable: c.verdicts.metastable,
      recovery: recoveryText(c),
    };
  });
  // Ordered by each value's position on its axis: a sort given as the list of labels becomes one
  // nested expression in vega, which overflows the stack at about 1,000 labels.
  const x = { field: 'x', type: 'ordinal', sort: { field: 'xi', op: 'min' }, title: axisTitle(f, 0), axis: { labelAngle: 0 } };
  const y = { field: 'y', type: 'ordinal', sort: { field: 'yi', op: 'min', order: 'descending' }, title: axisTitle(f, 1) };
  const spec: Spec = {
    title: {
      text: 'Phase diagram',
      subtitle: 'colour: share of seeds metastable · number: mean recovery time (s) of the seeds that recovered (– none)',
      anchor: 'start',
    },
    width: Math.min(PLOT_WIDTH, Math.max(360, 60 * xs.length)),
    height: Math.min(520, Math.max(200, 40 * ys.length)),
    data: { values: rows },
    layer: [
      {
        mark: { type: 'rect', stroke: '#fff', strokeWidth: 0.5 },
        encoding: {
          x,
          y,
          // No seed metastable is drawn neutral: the scheme's lightest end is a pale orange that reads as "a little".
          color: {
            condition: { test: 'datum.share === 0', value: NONE_METASTABLE },
            field: 'share',
            type: 'quantitative',
            title: 'share metastable',
            scale: { domain: [0, 1], scheme: 'orangered' },
            legend: { format: '.0%', gradientLength: 240 },
          },
          tooltip: [
            { field: 'x', title: axisTitle(f, 0) },
            { field: 'y', title: axisTitle(f, 1) },
            { field: 'share', title: 'share metastable', format: '.0%' },
            { field: 'metastable', title: 'seeds metastable' },
            { field: 'seeds', title: 'seeds' },
            { field: 'recovery', title: 'mean recovery (s)' },
          ],
        },
      },
      {
        mark: { type: 'text', fontSize: 10 },
        encoding: {
          x,
          y,
          text: { field: 'recovery' },
          color: { condition: { test: 'datum.share > 0.5', value: '#fff' }, value: '#222' },
        },
      },
    ],
    config: CONFIG,
  };
  return (f.definition.metrics ?? []).length > 0 ? heatmapWithChoice(f, spec, x, y) : spec;
}

/** The x encoding of a one-parameter chart: quantitative when every value is a number. */
function oneAxisX(f: SweepFile): Spec {
  const a = f.definition.axes[0];
  const numeric = a !== undefined && a.numbers.every((n) => n !== null);
  const numbers = (a?.numbers ?? []).filter((n): n is number => n !== null);
  // The whole axis, so charts that show only some cells (recovery) line up with the others.
  return numeric
    ? { field: 'x', type: 'quantitative', title: axisTitle(f, 0), scale: { domain: extentOf(numbers), zero: false, nice: false } }
    : { field: 'label', type: 'ordinal', sort: { field: 'xi', op: 'min' }, title: axisTitle(f, 0), axis: { labelAngle: 0 } };
}

const BRANCH_NAMES = { untriggered: 'from a healthy start (faults removed)', triggered: 'after the trigger (the faults)' } as const;

function shareLine(f: SweepFile): Spec {
  const hyst = f.definition.hysteresis;
  const rows = f.cells.map((c) => ({
    x: c.numbers[0] ?? null,
    label: c.labels[0] ?? '',
    xi: cellAt(f.definition, c.index)[0],
    share: hyst ? c.shareStuck : c.shareMetastable,
    branch: c.branch === null ? 'all' : BRANCH_NAMES[c.branch],
    seeds: c.seeds,
  }));
  const color = hyst
    ? { field: 'branch', type: 'nominal', title: null, scale: { domain: Object.values(BRANCH_NAMES), range: ['#2b8cbe', '#d94801'] } }
    : { value: '#d94801' };
  const encoding = {
    x: oneAxisX(f),
    y: {
      field: 'share',
      type: 'quantitative',
      title: hyst ? 'share of seeds stuck (metastable or overloaded)' : 'share of seeds metastable',
      scale: { domain: [0, 1] },
      axis: { format: '.0%' },
    },
    color,
    tooltip: [
      { field: 'label', title: axisTitle(f, 0) },
      { field: 'share', title: 'share', format: '.0%' },
      { field: 'seeds', title: 'seeds' },
    ],
  };
  return {
    title: {
      text: hyst ? 'Hysteresis: the same load, with and without a preceding trigger' : 'Share of seeds metastable',
      subtitle: hyst
        ? 'where the branches part, history decides: the system is healthy when started healthy but stays stuck after the trigger'
        : `over ${f.definition.seeds.count} seed${f.definition.seeds.count === 1 ? '' : 's'} per value`,
      anchor: 'start',
    },
    width: PLOT_WIDTH,
    height: 220,
    data: { values: rows },
    layer: [
      { mark: { type: 'line', strokeWidth: 1.8 }, encoding },
      { mark: { type: 'point', filled: true, size: 40 }, encoding },
    ],
    config: CONFIG,
  };
}

/** What a one-parameter chart of a per-cell mean shows: which statistic, its titles and the seeds it is over. */
interface MeanChart {
  readonly pick: (c: CellSummary) => SampleStats | null;
  readonly title: string;
  readonly subtitle: string;
  readonly axis: string;
  /** Tooltip titles of the mean and of the number of seeds it is over. */
  readonly meanTitle: string;
  readonly seedsTitle: string;
}

/** A per-cell mean with its 95% interval against the one parameter (the triggered branch only); undefined when no cell has one. */
function meanChart(f: SweepFile, m: MeanChart): Spec | undefined {
  const rows = f.cells
    .filter((c) => m.pick(c) !== null && c.branch !== 'untriggered')
    .map((c) => {
      const r = m.pick(c) as SampleStats;
      return {
        x: c.numbers[0] ?? null,
        label: c.labels[0] ?? '',
        xi: cellAt(f.definition, c.index)[0],
        mean: r.mean,
        lo: r.ci95?.[0] ?? r.mean,
        hi: r.ci95?.[1] ?? r.mean,
        n: r.n,
      };
    });
  if (rows.length === 0) return undefined;
  const x = oneAxisX(f);
  return {
    title: { text: m.title, subtitle: m.subtitle, anchor: 'start' },
    width: PLOT_WIDTH,
    height: 200,
    data: { values: rows },
    layer: [
      {
        mark: { type: 'rule', color: '#6b7280' },
        encoding: { x, y: { field: 'lo', type: 'quantitative', title: m.axis }, y2: { field: 'hi' } },
      },
      {
        mark: { type: 'point', filled: true, size: 40, color: '#2456a6' },
        encoding: {
          x,
          y: { field: 'mean', type: 'quantitative' },
          tooltip: [
            { field: 'label', title: axisTitle(f, 0) },
            { field: 'mean', title: m.meanTitle },
            { field: 'n', title: m.seedsTitle },
          ],
        },
      },
    ],
    config: CONFIG,
  };
}

/** Every chart of a sweep, the headline first (see the module comment). */
export function buildSweepCharts(f: SweepFile): ChartEntry[] {
  if (f.definition.axes.length === 2) return [{ id: PHASE_DIAGRAM_ID, title: 'Phase diagram', spec: heatmap(f) }];
  const charts: ChartEntry[] = [
    { id: PHASE_DIAGRAM_ID, title: f.definition.hysteresis ? 'Hysteresis' : 'Share of seeds metastable', spec: shareLine(f) },
  ];
  const recovery = meanChart(f, {
    pick: (c) => c.recoverySeconds,
    title: 'Recovery time',
    subtitle: 'mean over the seeds that recovered, with its 95% confidence interval',
    axis: 'recovery time (s)',
    meanTitle: 'mean (s)',
    seedsTitle: 'seeds recovered',
  });
  if (recovery !== undefined) charts.push({ id: 'recovery-time', title: 'Recovery time', spec: recovery });
  (f.definition.metrics ?? []).forEach((m, k) => {
    const label = metricLabel(m);
    const spec = meanChart(f, {
      pick: (c) => c.metrics?.[m.name] ?? null,
      title: label,
      subtitle: `${m.meaning}; mean over the seeds, with its 95% confidence interval`,
      axis: m.unit === '' ? label : `${label} (${m.unit})`,
      meanTitle: 'mean',
      seedsTitle: 'seeds measured',
    });
    if (spec !== undefined) charts.push({ id: `metric-${k + 1}`, title: label, spec });
  });
  return charts;
}
