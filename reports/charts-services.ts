/**
 * Service-side charts: the bathtub of each service, utilization, instance
 * counts when they change, rate limits (with the clients' and the calls'),
 * outlier ejections, health checks, and the small multiples of a service recorded per replica.
 */
import type { ChartContext, ChartEntry, SeriesRow } from './chart-base.js';
import { PLOT_WIDTH, colorBy, layeredChart, levels, lineLayer, rowsOf, timeX } from './chart-base.js';
import { instanceName } from '../sim/scenario/replica-slots.js';
import { metricName, type MetricOf } from '../sim/scenario/metric-catalogue.js';
import { callEdgeNames } from '../sim/scenario/edge-names.js';
import type { Service } from '../sim/scenario/types.js';

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
 * `rate-limits`: per component with a rate limit (a service's ingress, a
 * client, a call edge with its caller replicas' buckets together), the
 * attempts or requests it refused per second (`rateLimited`) and, when they
 * may wait, the mean number waiting for a token (`rateLimit.waiting`); left
 * out when nothing has a rate limit.
 */
export function rateLimitChart(ctx: ChartContext): ChartEntry | undefined {
  const sc = ctx.scenario;
  const outer = [
    ...sc.clients.filter((c) => c.rateLimit !== null).map((c) => c.name),
    ...sc.services.flatMap((s) => {
      const names = callEdgeNames(s);
      return s.calls.flatMap((c, i) => (c.rateLimit !== null ? [names[i] as string] : []));
    }),
  ];
  return pairChart(ctx, {
    id: 'rate-limits',
    // Only ingress limits: the chart keeps the title it had before clients and calls could have one.
    title: outer.length === 0 ? 'Rate limits at the ingress' : 'Rate limits',
    subtitle: 'solid: requests refused per second (a 429, rateLimited); dashed: requests waiting for a token (mean per bucket)',
    axis: 'refused per second / waiting requests',
    owners: [...servicesWith(ctx, (s) => s.rateLimit !== null), ...outer],
    solid: ['rateLimited', 'refused'],
    dashed: ['rateLimit.waiting', 'waiting'],
  });
}

/**
 * `outliers`: per service with outlier detection, the replicas out of
 * rotation (`outlier.ejected`, mean per bucket) and the ejections per second
 * (`outlier.ejections`); left out when no service has outlier detection.
 */
export function outlierChart(ctx: ChartContext): ChartEntry | undefined {
  return pairChart(ctx, {
    id: 'outliers',
    title: 'Replicas ejected by outlier detection',
    subtitle: 'solid: replicas out of rotation (mean per bucket); dashed: ejections per second',
    axis: 'replicas ejected / ejections per second',
    owners: servicesWith(ctx, (s) => s.outlierDetection !== null),
    solid: ['outlier.ejected', 'ejected'],
    dashed: ['outlier.ejections', 'ejections'],
  });
}

/**
 * `health-checks`: per service with a health check, the replicas it keeps in
 * rotation (`healthy`, mean per bucket) and its failed checks per second
 * (`healthChecks.failed`); left out when no service has a health check.
 */
export function healthCheckChart(ctx: ChartContext): ChartEntry | undefined {
  return pairChart(ctx, {
    id: 'health-checks',
    title: 'Replicas kept in rotation by health checks',
    subtitle: 'solid: replicas healthy (mean per bucket); dashed: failed checks per second',
    axis: 'replicas healthy / failed checks per second',
    owners: servicesWith(ctx, (s) => s.healthCheck !== null),
    solid: ['healthy', 'healthy'],
    dashed: ['healthChecks.failed', 'failed checks'],
  });
}

/**
 * `concurrency-limits`: per service with an adaptive concurrency limit, the
 * limit (`concurrencyLimit`, mean per bucket) and the requests it refused per
 * second (`concurrencyLimited`); left out when no service has one.
 */
export function concurrencyLimitChart(ctx: ChartContext): ChartEntry | undefined {
  return pairChart(ctx, {
    id: 'concurrency-limits',
    title: 'Adaptive concurrency limits at the ingress',
    subtitle: 'solid: the limit (mean per bucket); dashed: requests refused per second (concurrencyLimited)',
    axis: 'limit / refused per second',
    owners: servicesWith(ctx, (s) => s.concurrencyLimit !== null),
    solid: ['concurrencyLimit', 'limit'],
    dashed: ['concurrencyLimited', 'refused'],
  });
}

/** What {@link pairChart} draws: two metrics of each of `owners`, each with its label. */
interface PairChartSpec {
  readonly id: string;
  readonly title: string;
  readonly subtitle: string;
  readonly axis: string;
  /** The components to draw (services, or for rate limits also clients and call edges), in order. */
  readonly owners: readonly string[];
  readonly solid: readonly [MetricOf<'service'>, string];
  readonly dashed: readonly [MetricOf<'service'>, string];
}

/** The names of the services `has` accepts. */
function servicesWith(ctx: ChartContext, has: (s: Service) => boolean): string[] {
  return ctx.scenario.services.filter(has).map((s) => s.name);
}

/**
 * A chart of two metrics per component, one line solid and one dashed,
 * coloured by component; undefined when no component has either. A metric
 * name means the same on every kind of component, so one read serves all.
 */
function pairChart(ctx: ChartContext, p: PairChartSpec): ChartEntry | undefined {
  const shown: string[] = [];
  const rows: SeriesRow[] = [];
  for (const owner of p.owners) {
    const pair = [p.solid, p.dashed].map(([m, label]) => [levels(ctx, metricName('service', owner, m)), label] as const);
    if (pair.every(([v]) => v === undefined)) continue;
    shown.push(owner);
    for (const [v, label] of pair)
      if (v !== undefined) rows.push(...rowsOf(ctx.run, v, `${owner} ${label}`, { component: owner, measure: label }));
  }
  if (rows.length === 0) return undefined;
  return {
    id: p.id,
    title: p.title,
    spec: layeredChart(ctx, {
      title: p.title,
      subtitle: p.subtitle,
      rows,
      layers: [
        lineLayer(
          ctx,
          { field: 'value', type: 'quantitative', title: p.axis },
          {
            color: colorBy('component', shown),
            strokeDash: {
              field: 'measure',
              type: 'nominal',
              title: null,
              scale: {
                domain: [p.solid[1], p.dashed[1]],
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

/** The panels of one row of small multiples at most; more replicas wrap onto further rows. */
const PANELS_PER_ROW = 4;

/**
 * Per service with `perInstance: true`, `replicas-inflight-<service>` and
 * `replicas-errors-<service>`: small multiples, one small panel per replica
 * slot (`api[0]`, `api[1]`…), all on the same y scale so that a replica that
 * takes more than its share stands out. Fault windows are shaded in each
 * panel; their labels are left to the other charts.
 */
export function replicaCharts(ctx: ChartContext): ChartEntry[] {
  const out: ChartEntry[] = [];
  for (const s of ctx.scenario.services) {
    if (!s.perInstance) continue;
    for (const [metric, what, axis] of [
      ['inflight', 'In flight', 'requests'],
      ['errors', 'Errors', 'errors per second'],
    ] as const) {
      const chart = smallMultiples(ctx, s.name, metric, axis, `${what} per replica of ${s.name}`);
      if (chart !== undefined) out.push({ id: `replicas-${metric}-${s.name}`, title: chart.title, spec: chart.spec });
    }
  }
  return out;
}

function smallMultiples(
  ctx: ChartContext,
  service: string,
  metric: MetricOf<'instance'>,
  axis: string,
  title: string,
): { title: string; spec: Record<string, unknown> } | undefined {
  const panels: { name: string; rows: SeriesRow[] }[] = [];
  for (let i = 0; ; i++) {
    const name = instanceName(service, i);
    const values = levels(ctx, metricName('instance', name, metric));
    if (values === undefined) break;
    panels.push({ name, rows: rowsOf(ctx.run, values, name) });
  }
  if (panels.length === 0) return undefined;
  const columns = Math.min(PANELS_PER_ROW, panels.length);
  const width = Math.floor((PLOT_WIDTH - 24 * (columns - 1)) / columns);
  let config: unknown;
  const concat = panels.map((p, index) => {
    const spec = layeredChart(ctx, {
      title: p.name,
      rows: p.rows,
      height: 90,
      layers: [
        lineLayer(
          ctx,
          // Shared by every panel (resolve, below), and at least [0, 1] so that a run of zeros has ticks; a
          // domain worked out from the rows would make the spec follow the data (the playground redraws it).
          { field: 'value', type: 'quantitative', title: axis, scale: { domain: { unionWith: [0, 1] } } },
          { color: colorBy('series', [p.name]) },
        ),
      ],
    });
    // One config at the top; the labels of the fault windows would crowd a small panel.
    const { config: c, layer, ...rest } = spec;
    config = c;
    // vega-lite names a layer's data after the layer: a name used in every panel would draw the last
    // panel's rows in all of them, so each panel's layers carry its index.
    const layers = (layer as Record<string, unknown>[])
      .filter((l) => !String(l['name']).startsWith('fault-labels'))
      .map((l) => ({ ...l, name: `${String(l['name'])}-${index}` }));
    return { ...rest, width, layer: layers };
  });
  return {
    title,
    spec: {
      title: { text: title, subtitle: 'one panel per replica, the same y scale in each; mean per bucket', anchor: 'start' },
      columns,
      concat,
      // One y scale for all the panels (a concat's own are independent), each panel keeping its axis and
      // its colour (a concat shares colour scales, which would give each panel the next colour).
      resolve: { scale: { y: 'shared', color: 'independent' }, axis: { y: 'independent' } },
      config: { ...(config as Record<string, unknown>), legend: { disable: true } },
    },
  };
}
