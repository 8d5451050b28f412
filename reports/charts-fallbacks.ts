/**
 * The fallbacks chart: how often calls that failed for good were absorbed
 * (by a fallback, or skipped as optional), per edge, and how many of each
 * client's successful operations were answered degraded. Left out when no
 * call of the scenario absorbs its failure (the engine then records neither).
 */
import type { ChartContext, ChartEntry, SeriesRow } from './chart-base.js';
import { colorBy, edgeNames, layeredChart, levels, lineLayer, rowsOf } from './chart-base.js';
import { metricName } from '../sim/scenario/metric-catalogue.js';

/** `fallbacks`: `fallbacks` per edge (solid) and `degraded` per client (dashed), per second. */
export function fallbackChart(ctx: ChartContext): ChartEntry | undefined {
  const shown: string[] = [];
  const rows: SeriesRow[] = [];
  const add = (name: string, measure: string): void => {
    const values = levels(ctx, name);
    if (values === undefined) return;
    shown.push(name);
    rows.push(...rowsOf(ctx.run, values, name, { measure }));
  };
  for (const edge of edgeNames(ctx)) add(metricName('edge', edge, 'fallbacks'), 'absorbed calls');
  for (const c of ctx.scenario.clients) add(metricName('client', c.name, 'degraded'), 'degraded operations');
  if (rows.length === 0) return undefined;
  const title = 'Fallbacks and degraded answers';
  return {
    id: 'fallbacks',
    title,
    spec: layeredChart(ctx, {
      title,
      subtitle:
        "solid: calls that failed for good and were absorbed (fallback or optional) per edge; dashed: each client's operations answered degraded (part of its goodput), per second",
      rows,
      height: 140,
      layers: [
        lineLayer(
          ctx,
          { field: 'value', type: 'quantitative', title: 'per second' },
          {
            color: colorBy('series', shown),
            strokeDash: {
              field: 'measure',
              type: 'nominal',
              title: null,
              scale: {
                domain: ['absorbed calls', 'degraded operations'],
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
