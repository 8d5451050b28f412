/**
 * Edge charts (`caller->callee`): circuit-breaker state, connection-pool use
 * and cache hit ratio. The engine reports these only for edges that configure
 * the mechanism, so each chart shows exactly those edges, and is left out
 * when there are none.
 */
import type { ChartContext, ChartEntry, SeriesRow } from './chart-base.js';
import { colorBy, edgeNames, layeredChart, levels, lineLayer, rowsOf } from './chart-base.js';
import { metricName } from '../sim/scenario/metric-catalogue.js';
import { callEdgeNames } from '../sim/scenario/edge-names.js';

/**
 * `breakers`: breaker state per edge, mean per bucket (0 closed, 0.5
 * half-open, 1 open): a client's own breaker first, as its edge
 * `client->target`, then the calls' breakers.
 */
export function breakerChart(ctx: ChartContext): ChartEntry | undefined {
  const shown: string[] = [];
  const rows: SeriesRow[] = [];
  const add = (label: string, values: Float64Array | undefined): void => {
    if (values === undefined) return;
    shown.push(label);
    rows.push(...rowsOf(ctx.run, values, label));
  };
  for (const c of ctx.scenario.clients) add(`${c.name}->${c.target}`, levels(ctx, metricName('client', c.name, 'breaker')));
  for (const edge of edgeNames(ctx)) add(edge, levels(ctx, metricName('edge', edge, 'breaker')));
  if (rows.length === 0) return undefined;
  const title = 'Circuit breaker state per edge';
  return {
    id: 'breakers',
    title,
    spec: layeredChart(ctx, {
      title,
      subtitle: 'mean state per bucket: 0 closed, 0.5 half-open, 1 open (values between: it changed within the bucket)',
      rows,
      height: 120,
      layers: [
        lineLayer(
          ctx,
          {
            field: 'value',
            type: 'quantitative',
            title: 'breaker state',
            scale: { domain: [0, 1] },
            axis: {
              values: [0, 0.5, 1],
              labelExpr: "datum.value === 0 ? 'closed' : datum.value === 1 ? 'open' : 'half-open'",
            },
          },
          { color: colorBy('series', shown) },
        ),
      ],
    }),
  };
}

/**
 * A pool's capacity per bucket: its size times the caller's instances (the
 * mean of `<caller>.instances`, else the configured count), since each caller
 * instance has its own pool and `pool.inUse` is summed over them.
 */
function poolCapacity(ctx: ChartContext, edge: string, size: number): Float64Array {
  const caller = edge.slice(0, edge.indexOf('->'));
  const instances = levels(ctx, `${caller}.instances`);
  if (instances !== undefined) return instances.map((n) => n * size);
  const configured = ctx.scenario.services.find((s) => s.name === caller)?.instances ?? 1;
  return new Float64Array(ctx.run.buckets).fill(configured * size);
}

/** `pools`: connections in use, callers waiting for one, and the capacity, per edge with a pool. */
export function poolChart(ctx: ChartContext): ChartEntry | undefined {
  const shown: string[] = [];
  const rows: SeriesRow[] = [];
  for (const edge of edgeNames(ctx)) {
    const inUse = levels(ctx, metricName('edge', edge, 'pool.inUse'));
    const waiting = levels(ctx, metricName('edge', edge, 'pool.waiting'));
    if (inUse === undefined && waiting === undefined) continue;
    shown.push(edge);
    if (inUse !== undefined) rows.push(...rowsOf(ctx.run, inUse, `${edge} in use`, { component: edge, measure: 'in use' }));
    if (waiting !== undefined) rows.push(...rowsOf(ctx.run, waiting, `${edge} waiting`, { component: edge, measure: 'waiting' }));
    const size = sizeOf(ctx, edge);
    if (size !== undefined)
      rows.push(...rowsOf(ctx.run, poolCapacity(ctx, edge, size), `${edge} capacity`, { component: edge, measure: 'capacity' }));
  }
  if (rows.length === 0) return undefined;
  const sizes = ctx.scenario.services
    .flatMap((s) => s.calls.filter((c) => c.pool !== null).map((c) => `${s.name}->${c.to}: ${c.pool?.size ?? 0}`))
    .join(', ');
  const title = 'Connection pools per edge';
  return {
    id: 'pools',
    title,
    spec: layeredChart(ctx, {
      title,
      subtitle: `solid: connections in use; dashed: calls waiting for a connection; dotted: capacity, the pool size times the caller's instances (size per instance: ${sizes})`,
      rows,
      layers: [
        lineLayer(
          ctx,
          { field: 'value', type: 'quantitative', title: 'connections / waiting calls' },
          {
            color: colorBy('component', shown),
            strokeDash: {
              field: 'measure',
              type: 'nominal',
              title: null,
              scale: {
                domain: ['in use', 'waiting', 'capacity'],
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

/** The pool size of the call named `edge`, or undefined without a pool. */
function sizeOf(ctx: ChartContext, edge: string): number | undefined {
  for (const s of ctx.scenario.services) {
    const names = callEdgeNames(s);
    const at = names.indexOf(edge);
    if (at >= 0) return s.calls[at]?.pool?.size;
  }
  return undefined;
}

/** Hit ratio per bucket from hit and miss rates (skipping buckets without lookups), else the engine's own ratio series. */
function hitRatio(ctx: ChartContext, edge: string): Float64Array | undefined {
  const hits = levels(ctx, metricName('edge', edge, 'cache.hits'));
  const misses = levels(ctx, metricName('edge', edge, 'cache.misses'));
  if (hits !== undefined && misses !== undefined) {
    return hits.map((h, i) => {
      const total = h + (misses[i] ?? 0);
      return total > 0 ? h / total : NaN;
    });
  }
  return levels(ctx, metricName('edge', edge, 'cache.hitRatio'));
}

/** `cache`: cache hit ratio per edge with a cache, per bucket. */
export function cacheChart(ctx: ChartContext): ChartEntry | undefined {
  const shown: string[] = [];
  const rows: SeriesRow[] = [];
  for (const edge of edgeNames(ctx)) {
    const ratio = hitRatio(ctx, edge);
    if (ratio === undefined) continue;
    const edgeRows = rowsOf(ctx.run, ratio, edge);
    if (edgeRows.length === 0) continue;
    shown.push(edge);
    rows.push(...edgeRows);
  }
  if (rows.length === 0) return undefined;
  const title = 'Cache hit ratio per edge';
  return {
    id: 'cache',
    title,
    spec: layeredChart(ctx, {
      title,
      subtitle: 'hits / (hits + misses) per bucket; a drop sends the misses on to the callee',
      rows,
      height: 140,
      layers: [
        lineLayer(
          ctx,
          { field: 'value', type: 'quantitative', title: 'hit ratio', scale: { domain: [0, 1] }, axis: { format: '%' } },
          { color: colorBy('series', shown) },
        ),
      ],
    }),
  };
}
