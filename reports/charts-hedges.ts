/**
 * The hedging chart: per hedged call, the copies sent beyond each call's
 * first and the calls a later copy won, per second. Hedges that climb while
 * wins stay flat are copies that only add load. Left out when no call of the
 * scenario is hedged (the engine then records neither series).
 */
import type { ChartContext, ChartEntry, SeriesRow } from './chart-base.js';
import { colorBy, edgeNames, layeredChart, levels, lineLayer, rowsOf } from './chart-base.js';
import { metricName } from '../sim/scenario/metric-catalogue.js';

/** `hedges`: `hedges` and `hedgeWins` per hedged edge, per second. */
export function hedgeChart(ctx: ChartContext): ChartEntry | undefined {
  const shown: string[] = [];
  const rows: SeriesRow[] = [];
  for (const edge of edgeNames(ctx)) {
    for (const metric of ['hedges', 'hedgeWins'] as const) {
      const name = metricName('edge', edge, metric);
      const values = levels(ctx, name);
      if (values === undefined) continue;
      shown.push(name);
      rows.push(...rowsOf(ctx.run, values, name));
    }
  }
  if (rows.length === 0) return undefined;
  return {
    id: 'hedges',
    title: 'Hedged requests',
    spec: layeredChart(ctx, {
      title: 'Hedged requests',
      subtitle: 'copies sent after the delay (hedges), and calls a later copy won (hedgeWins), per second',
      rows,
      height: 140,
      layers: [lineLayer(ctx, { field: 'value', type: 'quantitative', title: 'per second' }, { color: colorBy('series', shown) })],
    }),
  };
}
