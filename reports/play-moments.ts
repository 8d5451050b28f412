/**
 * The playground's time cursor: the run's state bucket by bucket, as the
 * structure map shows it at the cursor: each work stock's level on the node
 * that holds it (a service's queue, a pool's waiters on its caller…), and each
 * circuit breaker's state on its caller (a client's own on the client). Pure; from the same coarsened
 * buckets as the charts, so the cursor and the charts agree.
 */
import { coarsenSeries } from '../sim/metrics/coarsen.js';
import type { RunSeries } from '../sim/metrics/series.js';
import { workStocks } from '../sim/metrics/stocks.js';
import { metricName } from '../sim/scenario/metric-catalogue.js';
import type { NormalizedScenario } from '../sim/scenario/types.js';
import { bucketMid, createChartContext, edgeNames, levels, round6 } from './chart-base.js';

/** One line the map shows on a node at the cursor: `label: value` per bucket. */
export interface PlayMomentLine {
  /** The map node it goes on (a client's or a service's name: an edge's caller). */
  readonly node: string;
  readonly label: string;
  /** Per bucket: a level (rounded), or a breaker's state in words. */
  readonly values: readonly (number | string)[];
}

/** The run at each bucket: the buckets' midpoints and the lines of the map. */
export interface PlayMoments {
  readonly t: readonly number[];
  readonly lines: readonly PlayMomentLine[];
}

/** A bucket's mean breaker state in words: 0 closed, 0.5 half-open, 1 open; between, it changed within the bucket. */
export function breakerWord(mean: number): string {
  if (mean === 0) return 'closed';
  if (mean === 1) return 'open';
  if (mean === 0.5) return 'half-open';
  return 'changing';
}

/** The node an edge's or a client's line goes on: the caller of `a->b`, else the component itself. */
const nodeOf = (component: string): string => component.split('->')[0] ?? component;

/** The moments of a run, for the cursor: every work stock that held work, every breaker. */
export function playMoments(run: RunSeries, scenario: NormalizedScenario): PlayMoments {
  const ctx = createChartContext(coarsenSeries(run), scenario);
  const t = Array.from({ length: ctx.run.buckets }, (_, i) => bucketMid(ctx.run, i));
  const lines: PlayMomentLine[] = [];
  for (const s of workStocks(ctx.run, scenario)) {
    const queue = s.kind.of === 'service' && s.kind.metric === 'queue';
    if (!queue && !s.max.some((x) => x > 0)) continue;
    const where = s.component.includes('->') ? `to ${s.component.split('->')[1] ?? ''}: ` : '';
    lines.push({ node: nodeOf(s.component), label: queue ? 'queue' : `${where}${s.kind.label}`, values: Array.from(s.mean, round6) });
  }
  for (const c of scenario.clients) {
    const values = levels(ctx, metricName('client', c.name, 'breaker'));
    if (values !== undefined) lines.push({ node: c.name, label: `breaker to ${c.target}`, values: Array.from(values, breakerWord) });
  }
  for (const edge of edgeNames(ctx)) {
    const values = levels(ctx, metricName('edge', edge, 'breaker'));
    if (values !== undefined)
      lines.push({ node: nodeOf(edge), label: `breaker to ${edge.split('->')[1] ?? ''}`, values: Array.from(values, breakerWord) });
  }
  return { t, lines };
}
