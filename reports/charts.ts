/**
 * RunSeries + NormalizedScenario → vega-lite specs, as plain JSON with the data
 * inlined. Pure and deterministic: the same run gives the same specs, byte for
 * byte once serialized.
 *
 * Every chart shares the x domain [0, duration] in seconds and shows the fault
 * windows shaded and labelled. A run of more than 2,000 buckets is drawn from
 * merged, wider buckets (sim/metrics/coarsen.ts). A chart whose data would be empty (a mechanism
 * the scenario does not configure, a latency nobody recorded) is left out.
 */
import type { NormalizedScenario } from '../sim/scenario/types.js';
import { coarsenSeries } from '../sim/metrics/coarsen.js';
import type { RunSeries } from '../sim/metrics/series.js';
import type { ChartContext, ChartEntry, Spec } from './chart-base.js';
import { colorBy, createChartContext, layeredChart, lineLayer, rowsOf } from './chart-base.js';
import { amplificationCharts, latencyCharts } from './charts-clients.js';
import { brokerChart } from './charts-brokers.js';
import { breakerChart, cacheChart, poolChart } from './charts-edges.js';
import { fallbackChart } from './charts-fallbacks.js';
import { routeChart } from './charts-routes.js';
import { hedgeChart } from './charts-hedges.js';
import { loopDominanceChart } from './charts-loops.js';
import {
  bathtubCharts,
  concurrencyLimitChart,
  instancesChart,
  outlierChart,
  healthCheckChart,
  rateLimitChart,
  replicaCharts,
  utilizationChart,
} from './charts-services.js';
import { workStocks } from '../sim/metrics/stocks.js';

/** The chart list entry and the plain-JSON spec type, re-exported for callers of this module. */
export type { ChartEntry, Spec } from './chart-base.js';

/** Id of the headline chart, first in {@link buildCharts}; the CLI writes it as `queue-depth.svg`. */
export const QUEUE_DEPTH_ID = 'queue-depth';

/**
 * The headline: every service's queue, plus every other stock that held work
 * in the run (a pool's waiters, retry sleepers, cache-fill waiters, the busy
 * workers of an `unlimited` service), each line named for what it holds. The
 * title says which of the two it is.
 */
function queueDepth(ctx: ChartContext, keep?: ReadonlySet<string>): Spec {
  const queues: { name: string; values: Float64Array }[] = [];
  const held: { name: string; values: Float64Array }[] = [];
  for (const s of workStocks(ctx.run, ctx.scenario)) {
    if (s.kind.of === 'service' && s.kind.metric === 'queue') queues.push({ name: s.component, values: s.mean });
    else {
      const name = `${s.component}: ${s.kind.label}`;
      if (s.max.some((x) => x > 0) || keep?.has(name) === true) held.push({ name, values: s.mean });
    }
  }
  const lines = [...queues, ...held];
  const others = held.length > 0;
  const names = lines.map((l) => l.name);
  return layeredChart(ctx, {
    title: others ? WORK_WAITING_TITLE : QUEUE_DEPTH_TITLE,
    subtitle: others
      ? 'requests and operations held in each stock that held work, mean per bucket; shaded: fault windows'
      : 'requests waiting for a worker (not those in service), mean per bucket; shaded: fault windows',
    rows: lines.flatMap((l) => rowsOf(ctx.run, l.values, l.name)),
    height: 240,
    layers: [lineLayer(ctx, { field: 'value', type: 'quantitative', title: 'requests waiting' }, { color: colorBy('series', names) })],
  });
}

const QUEUE_DEPTH_TITLE = 'Queue depth per service';
const WORK_WAITING_TITLE = 'Work waiting, per stock';

/**
 * The headline chart as {@link buildCharts} gives it first: queue depth of
 * every service over time, one line per service (`<s>.queue` bucket means),
 * and a line for every other stock that held work (see
 * sim/metrics/stocks.ts), fault windows shaded and labelled. The playground
 * draws it from a run still under way, with `keep` naming lines to draw even
 * while their stock is still empty (those an earlier run drew), so that the
 * chart keeps its shape through the run.
 */
export function queueDepthEntry(run: RunSeries, scenario: NormalizedScenario, keep?: ReadonlySet<string>): ChartEntry {
  return headlineEntry(createChartContext(coarsenSeries(run), scenario), keep);
}

/** The names of the lines of a queue-depth chart, as {@link queueDepthEntry}'s `keep` takes them. */
export function queueDepthLines(entry: ChartEntry): string[] {
  const color = ((entry.spec['layer'] as Spec[]).find((l) => l['name'] === 'series')?.['encoding'] as Spec | undefined)?.['color'] as
    Spec | undefined;
  return [...(((color?.['scale'] as Spec | undefined)?.['domain'] as string[] | undefined) ?? [])];
}

function headlineEntry(ctx: ChartContext, keep?: ReadonlySet<string>): ChartEntry {
  const spec = queueDepth(ctx, keep);
  return { id: QUEUE_DEPTH_ID, title: (spec['title'] as { text: string }).text, spec };
}

/**
 * Every chart of a run, in the order the report shows them; the first is
 * always `queue-depth`. Then, each only when it has data: the band of the
 * dominant feedback loop over time (`loop-dominance`); per client,
 * offered vs attempts vs goodput (`amplification-<client>`); per service, the
 * bathtub of arrivals, completions and requests in flight (`bathtub-<service>`);
 * latency p50/p99 of clients (`latency-clients`) and services
 * (`latency-services`); `utilization`; `instances` (only when a count
 * changes); per edge, breaker state (`breakers`), pool use (`pools`) and cache
 * hit ratio (`cache`); calls absorbed by fallbacks and degraded answers (`fallbacks`);
 * requests refused by and waiting at a service's rate limit (`rate-limits`); the adaptive
 * concurrency limit and its refusals (`concurrency-limits`); requests per
 * alternative of a weighted choice (`routes`); replicas ejected by outlier
 * detection (`outliers`); replicas kept by health checks and the checks
 * failed (`health-checks`); per service recorded per replica, small multiples of
 * in-flight and errors (`replicas-inflight-<service>`, `replicas-errors-<service>`).
 */
export function buildCharts(run: RunSeries, scenario: NormalizedScenario): ChartEntry[] {
  const ctx = createChartContext(coarsenSeries(run), scenario);
  const charts: (ChartEntry | undefined)[] = [
    headlineEntry(ctx),
    loopDominanceChart(ctx),
    ...amplificationCharts(ctx),
    ...bathtubCharts(ctx),
    ...latencyCharts(ctx),
    utilizationChart(ctx),
    instancesChart(ctx),
    ...replicaCharts(ctx),
    breakerChart(ctx),
    poolChart(ctx),
    cacheChart(ctx),
    brokerChart(ctx),
    fallbackChart(ctx),
    rateLimitChart(ctx),
    concurrencyLimitChart(ctx),
    routeChart(ctx),
    outlierChart(ctx),
    hedgeChart(ctx),
    healthCheckChart(ctx),
  ];
  return charts.filter((c): c is ChartEntry => c !== undefined);
}
