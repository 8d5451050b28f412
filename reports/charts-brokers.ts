/**
 * Broker charts: where each broker's messages are (waiting, in flight,
 * delayed) and how often they come back. Left out when the scenario has no
 * broker.
 */
import type { ChartContext, ChartEntry, SeriesRow } from './chart-base.js';
import { colorBy, layeredChart, levels, lineLayer, rowsOf } from './chart-base.js';
import { metricName } from '../sim/scenario/metric-catalogue.js';

/** The places a message can be, as the chart's dashes show them. */
const PLACES = [
  ['visible', 'waiting'],
  ['inFlight', 'in flight'],
  ['delayed', 'delayed'],
] as const;

/** `brokers`: per broker, messages waiting to be received, received and not yet deleted, and waiting out a redelivery delay. */
export function brokerChart(ctx: ChartContext): ChartEntry | undefined {
  const shown: string[] = [];
  const rows: SeriesRow[] = [];
  for (const b of ctx.scenario.brokers) {
    let any = false;
    for (const [metric, measure] of PLACES) {
      const values = levels(ctx, metricName('broker', b.name, metric));
      if (values === undefined) continue;
      any = true;
      rows.push(...rowsOf(ctx.run, values, `${b.name} ${measure}`, { component: b.name, measure }));
    }
    if (any) shown.push(b.name);
  }
  if (rows.length === 0) return undefined;
  const timeouts = ctx.scenario.brokers.map((b) => `${b.name}: ${b.visibilityTimeout} s`).join(', ');
  const title = 'Broker messages';
  return {
    id: 'brokers',
    title,
    spec: layeredChart(ctx, {
      title,
      subtitle: `solid: waiting to be received (the backlog); dashed: received, not yet deleted (visible again after the visibility timeout: ${timeouts}); dotted: waiting out a redelivery delay`,
      rows,
      layers: [
        lineLayer(
          ctx,
          { field: 'value', type: 'quantitative', title: 'messages' },
          {
            color: colorBy('component', shown),
            strokeDash: {
              field: 'measure',
              type: 'nominal',
              title: null,
              scale: {
                domain: PLACES.map((p) => p[1]),
                range: [
                  [1, 0],
                  [5, 3],
                  [1, 3],
                ],
              },
            },
          },
        ),
      ],
    }),
  };
}
