/**
 * Client-side charts: retry amplification per client, and latency quantiles
 * of clients and services.
 */
import type { ChartContext, ChartEntry, SeriesRow } from './chart-base.js';
import { colorBy, latencyRows, layeredChart, levels, lineLayer, rowsOf } from './chart-base.js';
import { formatNumber } from './format.js';
import { metricName } from '../sim/scenario/metric-catalogue.js';
import { bucketWidth, type RunSeries } from '../sim/metrics/series.js';

const AMPLIFICATION = ['offered', 'attempts', 'goodput'] as const;
const AMPLIFICATION_COLORS = ['#7f7f7f', '#d62728', '#2ca02c'];

/** Shortest window of the amplification figure, in seconds and in buckets (the longer wins). */
const AMPLIFICATION_WINDOW_SECONDS = 10;
const AMPLIFICATION_WINDOW_BUCKETS = 10;

/** The amplification window in buckets, for a run of `n` buckets. */
function amplificationWindow(run: RunSeries, n: number): number {
  return Math.min(n, Math.max(AMPLIFICATION_WINDOW_BUCKETS, Math.ceil(AMPLIFICATION_WINDOW_SECONDS / run.sample - 1e-9)));
}

/** Running totals of a per-second rate: entry i is the count over buckets 0..i-1. */
function cumulativeCounts(run: RunSeries, rates: Float64Array): Float64Array {
  const out = new Float64Array(rates.length + 1);
  for (let i = 0; i < rates.length; i += 1) out[i + 1] = out[i]! + (rates[i] ?? 0) * bucketWidth(run, i);
  return out;
}

/** A client's per-second series that the amplification figure reads. */
export interface AmplificationSeries {
  readonly offered: Float64Array;
  readonly attempts: Float64Array;
  readonly goodput: Float64Array;
  readonly failures: Float64Array;
}

/**
 * Peak attempts per operation over windows of max(10 s, 10 buckets): the
 * attempts sent in the window divided by the operations that could have sent
 * them, those offered in the window plus those still in progress at its
 * start (offered − goodput − failures before it). Every attempt belongs to
 * one of those operations, so the figure never exceeds the retry policy's
 * attempts. (A plain per-bucket attempts / offered does: retries of earlier
 * operations landing in a quiet bucket gave 22× for a 3-attempt policy.)
 * `undefined` when no window has an operation.
 */
export function peakAmplification(run: RunSeries, s: AmplificationSeries): number | undefined {
  const n = s.offered.length;
  if (n === 0) return undefined;
  const window = amplificationWindow(run, n);
  const [offered, attempts, goodput, failures] = [s.offered, s.attempts, s.goodput, s.failures].map((r) => cumulativeCounts(run, r)) as [
    Float64Array,
    Float64Array,
    Float64Array,
    Float64Array,
  ];
  let peak: number | undefined;
  for (let a = 0; a + window <= n; a += 1) {
    const inProgress = Math.max(0, offered[a]! - goodput[a]! - failures[a]!);
    const operations = offered[a + window]! - offered[a]! + inProgress;
    const sent = attempts[a + window]! - attempts[a]!;
    if (operations > 0 && sent > 0 && (peak === undefined || sent / operations > peak)) peak = sent / operations;
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
    const [offered, attempts, goodput, failures] = (['offered', 'attempts', 'goodput', 'failures'] as const).map((m) =>
      levels(ctx, metricName('client', client.name, m)),
    );
    // Without an end series, operations count as still in progress: the figure can only come out lower.
    const none = new Float64Array(offered?.length ?? 0);
    const peak =
      offered && attempts
        ? peakAmplification(ctx.run, { offered, attempts, goodput: goodput ?? none, failures: failures ?? none })
        : undefined;
    const title = `Offered load, attempts and goodput of ${client.name}`;
    const most = client.retry?.attempts ?? 1;
    const peakText =
      peak === undefined
        ? ''
        : `; peak attempts per operation over ${formatNumber(amplificationWindow(ctx.run, offered?.length ?? 0) * ctx.run.sample)} s ${formatNumber(peak)}× (its retry policy allows ${most}×)`;
    charts.push({
      id: `amplification-${client.name}`,
      title,
      spec: layeredChart(ctx, {
        title,
        subtitle: `attempts above offered = retry amplification, goodput below offered = lost work${peakText}`,
        rows,
        layers: [
          lineLayer(
            ctx,
            { field: 'value', type: 'quantitative', title: 'operations per second' },
            {
              color: colorBy('series', [...AMPLIFICATION], AMPLIFICATION_COLORS),
            },
          ),
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
        lineLayer(
          ctx,
          { field: 'value', type: 'quantitative', title: 'latency (ms, log scale)', scale: { type: 'log' } },
          {
            color: colorBy('component', present),
            strokeDash: {
              field: 'q',
              type: 'nominal',
              title: null,
              scale: {
                domain: ['p50', 'p99'],
                range: [
                  [4, 3],
                  [1, 0],
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
