/**
 * The metric catalogue on its own: well formed, and in agreement with the
 * table in docs/model.md. That the engine records exactly what it declares is
 * checked in test/engine/metric-catalogue.test.ts.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import {
  METRIC_CATALOGUE,
  REQUIREMENTS,
  defineMetric,
  defineRatio,
  findMetric,
  metricsOf,
  readableNames,
  renderMetricTable,
  type MetricDeclaration,
  type MetricSink,
} from '../../sim/scenario/metric-catalogue.js';
import { MODEL_DOC, metricTableIn } from '../helpers/metric-table.js';

const all: readonly MetricDeclaration[] = METRIC_CATALOGUE;

describe('the metric catalogue', () => {
  it('names each metric once per component kind', () => {
    const keys = all.map((m) => `${m.on}.${m.name}`);
    expect(new Set(keys).size).toBe(keys.length);
  });

  it('gives a name shared by component kinds the same kind and unit (the report finds units by name alone)', () => {
    for (const m of all) {
      for (const other of all.filter((o) => o.name === m.name)) expect([other.kind, other.unit]).toEqual([m.kind, m.unit]);
    }
  });

  it('ties each requirement to the component kind its metrics belong to', () => {
    for (const m of all) if (m.requires !== undefined) expect(REQUIREMENTS[m.requires].on).toBe(m.on);
  });

  it('lets an expectation read a stock or a ratio with .max and a latency with its quantiles', () => {
    const edge = readableNames(metricsOf('edge'));
    expect(edge).toContain('cache.hitRatio.max');
    expect(edge).toContain('pool.inUse.max');
    expect(edge).not.toContain('calls.max');
    expect(readableNames(metricsOf('client')).filter((n) => n.startsWith('latency'))).toEqual([
      'latency',
      'latency.p50',
      'latency.p90',
      'latency.p99',
      'latency.max',
    ]);
  });

  it('leaves out the metrics of mechanisms a component lacks', () => {
    const names = (has: string[]): string[] => metricsOf('service', (r) => has.includes(r)).map((m) => m.name);
    expect(names([])).not.toContain('utilization');
    expect(names([])).not.toContain('desired');
    expect(
      names([
        'autoscale',
        'boundedWorkers',
        'rateLimit',
        'rateLimitQueue',
        'crash',
        'concurrencyLimit',
        'outlierDetection',
        'crashTrigger',
        'healthCheck',
      ]),
    ).toEqual(metricsOf('service').map((m) => m.name));
    expect(findMetric('edge', 'breaker')?.requires).toBe('breaker');
    expect(findMetric('service', 'breaker')).toBeUndefined();
  });
});

describe('defineMetric and defineRatio', () => {
  const sink = (): MetricSink & { calls: unknown[][] } => {
    const calls: unknown[][] = [];
    return {
      calls,
      define: (...args) => calls.push(['define', ...args]) - 1,
      ratio: (...args) => void calls.push(['ratio', ...args]),
    };
  };

  it('declare a metric under its full name and kind, with its initial level', () => {
    const s = sink();
    expect(defineMetric(s, 'service', 'api', 'ready', () => true, 3)).toBe(0);
    expect(defineMetric(s, 'client', 'users', 'latency')).toBe(1);
    expect(s.calls).toEqual([
      ['define', 'api.ready', 'stock', 3],
      ['define', 'users.latency', 'latency', undefined],
    ]);
  });

  it('declare nothing and give -1 or no ratio when the component lacks the requirement', () => {
    const s = sink();
    expect(defineMetric(s, 'edge', 'api->db', 'breaker', () => false)).toBe(-1);
    defineRatio(s, 'edge', 'api->db', 'cache.hitRatio', () => false, 0, [0]);
    expect(s.calls).toEqual([]);
    defineRatio(s, 'edge', 'api->db', 'cache.hitRatio', (r) => r === 'cache', 4, [4, 5]);
    expect(s.calls).toEqual([['ratio', 'api->db.cache.hitRatio', 4, [4, 5]]]);
  });
});

describe('the metric table in docs/model.md', () => {
  it('is the one the catalogue renders (run `npm run docs:metrics` if not)', () => {
    expect(metricTableIn(readFileSync(MODEL_DOC, 'utf8'))).toBe(renderMetricTable());
  });

  it('has one row per metric, with when it exists', () => {
    const rows = renderMetricTable().trimEnd().split('\n').slice(2);
    expect(rows).toHaveLength(all.length);
    expect(rows).toContain('| edge | `shortCircuited` | rate | per second | with a breaker | calls failed at once by an open breaker |');
  });
});
