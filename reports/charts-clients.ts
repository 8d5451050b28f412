/**
 * Client-side charts: retry amplification per client, and latency quantiles
 * of clients and services.
 */
import type { ChartContext, ChartEntry, SeriesRow } from './chart-base.js';
import { colorBy, latencyRows, layeredChart, levels, lineLayer, rowsOf } from './chart-base.js';
import { formatNumber } from './format.js';
import { metricName } from '../sim/scenario/metric-catalogue.js';

const AMPLIFICATION = ['offered', 'attempts', 'goodput'] as const;
const AMPLIFICATION_COLORS = ['#7f7f7f', '#d62728', '#2ca02c'];

/** Largest attempts / offered over the buckets where both are positive, or `undefined`. */
function peakAmplification(offered: Float64Array | undefined, attempts: Float64Array | undefined): number | undefined {
  if (offered === undefined || attempts === undefined) return undefined;
  let peak: number | undefined;
  for (let i = 0; i < offered.length; i += 1) {
    const o = offered[i] ?? 0;
    const a = attempts[i] ?? 0;
    if (o > 0 && a > 0 && (peak === undefined || a / o > peak)) peak = a / o;
  }
  return peak;
}

/**
 * Per client, `amplification-<client>`: new operations offered, attempts sent
 * (first tries plus retries) and goodput, in operations per second. Attempts
 * above offered is retry amplification; goodput below offered is lost work.
 */
export function amplificationCharts(ctx: ChartContext): ChartEntry[] {
  const charts: ChartEntry[] = [];
  for (const client of ctx.scenario.clients) {
    const rows = AMPLIFICATION.flatMap((m) => {
      const values = levels(ctx, `${client.name}.${m}`);
      return values === undefined ? [] : rowsOf(ctx.run, values, m);
    });
    if (rows.length === 0) continue;
    const peak = peakAmplification(levels(ctx, metricName('client', client.name, 'offered')), levels(ctx, metricName('client', client.name, 'attempts')));
    const title = `Offered load, attempts and goodput of ${client.name}`;
    const peakText = peak === undefined ? '' : `; peak attempts per offered operation ${formatNumber(peak)}×`;
    charts.push({
      id: `amplification-${client.name}`,
      title,
      spec: layeredChart(ctx, {
        title,
        subtitle: `attempts above offered = retry amplification, goodput below offered = lost work${peakText}`,
        rows,
        layers: [
          lineLayer(ctx, { field: 'value', type: 'quantitative', title: 'operations per second' }, {
            color: colorBy('series', [...AMPLIFICATION], AMPLIFICATION_COLORS),
          }),
        ],
      }),
    });
  }
  return charts;
}

function latencyChart(
  ctx: ChartContext,
  id: string,
  title: string,
  on: 'client' | 'service',
  names: readonly string[],
  what: string,
): ChartEntry | undefined {
  const rows: SeriesRow[] = names.flatMap((name) => [
    ...latencyRows(ctx, metricName(on, name, 'latency'), 0.5, `${name} p50`, { component: name, q: 'p50' }),
    ...latencyRows(ctx, metricName(on, name, 'latency'), 0.99, `${name} p99`, { component: name, q: 'p99' }),
  ]);
  if (rows.length === 0) return undefined;
  const present = names.filter((n) => rows.some((r) => r['component'] === n));
  return {
    id,
    title,
    spec: layeredChart(ctx, {
      title,
      subtitle: `${what}; solid p99, dashed p50, per bucket; gaps: no response in that bucket`,
      rows,
      layers: [
        lineLayer(ctx, { field: 'value', type: 'quantitative', title: 'latency (ms, log scale)', scale: { type: 'log' } }, {
          color: colorBy('component', present),
          strokeDash: { field: 'q', type: 'nominal', title: null, scale: { domain: ['p50', 'p99'], range: [[4, 3], [1, 0]] } },
        }),
      ],
    }),
  };
}

/**
 * `latency-clients` (end to end, successful operations, retries included) and
 * `latency-services` (arrival to response), p50 and p99 per bucket in ms on a
 * log scale. Each is left out when nothing was recorded.
 */
export function latencyCharts(ctx: ChartContext): ChartEntry[] {
  const charts = [
    latencyChart(
      ctx,
      'latency-clients',
      'Client latency p50 / p99',
      'client',
      ctx.scenario.clients.map((c) => c.name),
      'first send to final success, retries and backoff included',
    ),
    latencyChart(
      ctx,
      'latency-services',
      'Service latency p50 / p99',
      'service',
      ctx.scenario.services.map((s) => s.name),
      'arrival at the service to response sent',
    ),
  ];
  return charts.filter((c): c is ChartEntry => c !== undefined);
}
