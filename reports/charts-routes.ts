/**
 * The routing chart: how many requests each alternative of a route group
 * got, per second, so a 90/10 split shows as two lines in that ratio, and a
 * route by key shows what each key range takes. Left out when no call of
 * the scenario has a route (the engine then records no `routed`).
 */
import type { ChartContext, ChartEntry, SeriesRow } from './chart-base.js';
import { colorBy, edgeNames, layeredChart, levels, lineLayer, rowsOf } from './chart-base.js';
import { metricName } from '../sim/scenario/metric-catalogue.js';

/** `routes`: `routed` per edge, per second. */
export function routeChart(ctx: ChartContext): ChartEntry | undefined {
  const shown: string[] = [];
  const rows: SeriesRow[] = [];
  for (const edge of edgeNames(ctx)) {
    const name = metricName('edge', edge, 'routed');
    const values = levels(ctx, name);
    if (values === undefined) continue;
    shown.push(name);
    rows.push(...rowsOf(ctx.run, values, name));
  }
  if (rows.length === 0) return undefined;
  const byKey = ctx.scenario.services.some((s) => s.calls.some((c) => c.route?.keys !== undefined));
  const title = byKey ? 'Routing' : 'Weighted routing';
  const picked = byKey
    ? 'each alternative of a route group (by weight or by key) was picked for'
    : 'each alternative of a weighted choice was picked for';
  return {
    id: 'routes',
    title,
    spec: layeredChart(ctx, {
      title,
      subtitle: `requests ${picked}, per second (retries not counted again)`,
      rows,
      height: 140,
      layers: [lineLayer(ctx, { field: 'value', type: 'quantitative', title: 'per second' }, { color: colorBy('series', shown) })],
    }),
  };
}
