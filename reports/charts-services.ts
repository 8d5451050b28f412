/**
 * Service-side charts: the bathtub of each service, utilization, and instance
 * counts when they change.
 */
import type { ChartContext, ChartEntry, SeriesRow } from './chart-base.js';
import { colorBy, layeredChart, levels, lineLayer, rowsOf, timeX } from './chart-base.js';
import { metricName, type MetricOf } from '../sim/scenario/metric-catalogue.js';

const INFLOW = 'arrivals (in)';
const OUTFLOW = 'completed (out)';
const STOCK = 'in flight';
const BATHTUB_COLORS = ['#1f77b4', '#2ca02c', '#9467bd'];

/**
 * Per service, `bathtub-<service>`: inflow (arrivals per second) and outflow
 * (completed per second) as lines on the left axis, and the stock between
 * them (requests in flight: queued plus in service) as an area on the right
 * axis. When inflow stays above outflow, the tub fills.
 */
export function bathtubCharts(ctx: ChartContext): ChartEntry[] {
  const charts: ChartEntry[] = [];
  const color = {
    ...colorBy('series', [INFLOW, OUTFLOW, STOCK], BATHTUB_COLORS),
    // The area layer would otherwise give every legend entry its pale fill.
    legend: { symbolType: 'stroke', symbolOpacity: 1, symbolStrokeWidth: 3 },
  };
  for (const service of ctx.scenario.services) {
    const parts: [MetricOf<'service'>, string][] = [
      ['arrivals', INFLOW],
      ['completed', OUTFLOW],
      ['inflight', STOCK],
    ];
    const rows = parts.flatMap(([metric, label]) => {
      const values = levels(ctx, metricName('service', service.name, metric));
      return values === undefined ? [] : rowsOf(ctx.run, values, label);
    });
    if (rows.length === 0) continue;
    const layers = [];
    if (rows.some((r) => r.series === STOCK)) {
      layers.push({
        name: 'stock',
        transform: [{ filter: `datum.series === '${STOCK}'` }],
        mark: { type: 'area', opacity: 0.22, line: { strokeWidth: 1 } },
        encoding: {
          x: timeX(ctx.run),
          y: { field: 'value', type: 'quantitative', title: 'requests in flight', axis: { orient: 'right', grid: false } },
          color,
        },
      });
    }
    if (rows.some((r) => r.series !== STOCK)) {
      layers.push(
        lineLayer(
          ctx,
          { field: 'value', type: 'quantitative', title: 'requests per second', axis: { orient: 'left' } },
          {
            color,
            filter: `datum.series !== '${STOCK}'`,
          },
        ),
      );
    }
    const title = `Bathtub of ${service.name}: arrivals in, completions out, requests in flight`;
    charts.push({
      id: `bathtub-${service.name}`,
      title,
      spec: layeredChart(ctx, {
        title,
        subtitle: 'lines: requests per second (left axis); area: requests queued or in service (right axis)',
        rows,
        layers,
        resolve: { scale: { y: 'independent' } },
      }),
    });
  }
  return charts;
}

/** `utilization`: busy workers / ready workers per service, per bucket; left out when no service reports it. */
export function utilizationChart(ctx: ChartContext): ChartEntry | undefined {
  const names = ctx.scenario.services.map((s) => s.name);
  const rows = names.flatMap((name) => {
    const values = levels(ctx, metricName('service', name, 'utilization'));
    return values === undefined ? [] : rowsOf(ctx.run, values, name);
  });
  if (rows.length === 0) return undefined;
  const title = 'Utilization per service';
  const overOne = rows.some((r) => r.value > 1);
  return {
    id: 'utilization',
    title,
    spec: layeredChart(ctx, {
      title,
      subtitle: 'busy workers / ready workers, mean per bucket',
      rows,
      layers: [
        lineLayer(
          ctx,
          {
            field: 'value',
            type: 'quantitative',
            title: 'utilization',
            axis: { format: '%' },
            scale: overOne ? { domainMin: 0 } : { domain: [0, 1] },
          },
          {
            color: colorBy(
              'series',
              names.filter((n) => rows.some((r) => r.series === n)),
            ),
          },
        ),
      ],
    }),
  };
}

function varies(values: Float64Array | undefined): boolean {
  if (values === undefined || values.length === 0) return false;
  const first = values[0];
  return values.some((v) => v !== first);
}

/**
 * `instances`: instances, ready instances, (with autoscale) the desired
 * count and (with a crash) the replicas down, for every service where one of
 * them changes during the run; left out when every count stays flat.
 */
export function instancesChart(ctx: ChartContext): ChartEntry | undefined {
  const measures: MetricOf<'service'>[] = ['instances', 'ready', 'desired', 'crash.down'];
  const rows: SeriesRow[] = [];
  const shown: string[] = [];
  for (const service of ctx.scenario.services) {
    const series = measures.map((m) => [m, levels(ctx, metricName('service', service.name, m))] as const);
    if (!series.some(([, v]) => varies(v))) continue;
    shown.push(service.name);
    for (const [m, v] of series) {
      if (v !== undefined) rows.push(...rowsOf(ctx.run, v, `${service.name} ${m}`, { component: service.name, measure: m }));
    }
  }
  if (rows.length === 0) return undefined;
  const title = 'Instances per service';
  return {
    id: 'instances',
    title,
    spec: layeredChart(ctx, {
      title,
      subtitle:
        'solid: instances; dashed: ready (warmed up, taking traffic); dotted: desired by the autoscaler; dash-dot: down after a crash',
      rows,
      layers: [
        lineLayer(
          ctx,
          { field: 'value', type: 'quantitative', title: 'instances' },
          {
            color: colorBy('component', shown),
            strokeDash: {
              field: 'measure',
              type: 'nominal',
              title: null,
              scale: {
                domain: measures,
                range: [
                  [1, 0],
                  [6, 3],
                  [2, 2],
                  [8, 3, 2, 3],
                ],
              },
            },
          },
        ),
      ],
    }),
  };
}

/**
 * `rate-limits`: per service with a rate limit at its ingress, the requests it
 * refused per second (`rateLimited`) and, when requests may wait, the mean
 * number waiting for a token (`rateLimit.waiting`); left out when no service
 * has a rate limit.
 */
export function rateLimitChart(ctx: ChartContext): ChartEntry | undefined {
  const shown: string[] = [];
  const rows: SeriesRow[] = [];
  for (const service of ctx.scenario.services) {
    if (service.rateLimit === null) continue;
    const refused = levels(ctx, metricName('service', service.name, 'rateLimited'));
    const waiting = levels(ctx, metricName('service', service.name, 'rateLimit.waiting'));
    if (refused === undefined && waiting === undefined) continue;
    shown.push(service.name);
    if (refused !== undefined)
      rows.push(...rowsOf(ctx.run, refused, `${service.name} refused`, { component: service.name, measure: 'refused' }));
    if (waiting !== undefined)
      rows.push(...rowsOf(ctx.run, waiting, `${service.name} waiting`, { component: service.name, measure: 'waiting' }));
  }
  if (rows.length === 0) return undefined;
  const title = 'Rate limits at the ingress';
  return {
    id: 'rate-limits',
    title,
    spec: layeredChart(ctx, {
      title,
      subtitle: 'solid: requests refused per second (a 429, rateLimited); dashed: requests waiting for a token (mean per bucket)',
      rows,
      layers: [
        lineLayer(
          ctx,
          { field: 'value', type: 'quantitative', title: 'refused per second / waiting requests' },
          {
            color: colorBy('component', shown),
            strokeDash: {
              field: 'measure',
              type: 'nominal',
              title: null,
              scale: {
                domain: ['refused', 'waiting'],
                range: [
                  [1, 0],
                  [5, 3],
                ],
              },
            },
          },
        ),
      ],
    }),
  };
}
