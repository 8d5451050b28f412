/**
 * The engine against the metric catalogue (sim/scenario/metric-catalogue.ts):
 * a run records exactly the metrics the catalogue declares for each component
 * and the mechanisms it has, in the catalogue's order and with its kinds; and
 * every column of timeseries.csv is a name an expectation may use, with data
 * behind it.
 */
import { describe, expect, it } from 'vitest';
import { runScenario } from '../../sim/engine/run.js';
import { formatTimeseriesCsv, seriesValues } from '../../sim/metrics/csv.js';
import { metricsOf, readableNames, type ComponentKind, type Requirement } from '../../sim/scenario/metric-catalogue.js';
import { parseScenario } from '../../sim/scenario/parse.js';
import { parseOk } from '../scenario/helpers.js';

/** Every mechanism a metric may need, on one component or another, and each missing somewhere. */
const text = `
duration: 20s
clients:
  users:
    target: api
    arrival: { kind: poisson, rate: 50 }
    timeout: 1s
    breaker: {}
    rateLimit: { rate: 1000, burst: 100, queue: 10 }
services:
  api:
    instances: 2
    workers: 4
    serviceTime: 2ms
    autoscale: { metric: utilization, target: 0.6, period: 5s, min: 1, max: 4 }
    perInstance: true
    calls:
      - { to: db, pool: { size: 2 }, breaker: {} }
      - { to: db, cache: { keys: 10, ttl: 1s }, optional: true }
      - { to: db, rateLimit: { rate: 1000, burst: 100, queue: 5 } }
      - { to: db, route: { group: replicas, weight: 3 } }
      - { to: db, route: { group: replicas } }
  db:
    workers: unlimited
    serviceTime: 1ms
    perInstance: true
    concurrencyLimit: { kind: aimd, initial: 50, min: 10, max: 100 }
    crashWhen: { inflight: 10000 }
    healthCheck: { timeout: 10s }
faults:
  - { kind: link, target: api->db#3, at: 5s, for: 1s, delay: 1ms }
`;

/** The components of the scenario above, in the engine's order, with the mechanisms each has. */
const components: [ComponentKind, string, Requirement[]][] = [
  ['client', 'users', ['degradable', 'clientBreaker', 'clientRateLimit', 'clientRateLimitQueue']],
  ['service', 'api', ['autoscale', 'boundedWorkers']],
  // Up to the autoscaler's max, each replica after the service's own metrics.
  ['instance', 'api[0]', ['perInstance', 'perInstanceWorkers']],
  ['instance', 'api[1]', ['perInstance', 'perInstanceWorkers']],
  ['instance', 'api[2]', ['perInstance', 'perInstanceWorkers']],
  ['instance', 'api[3]', ['perInstance', 'perInstanceWorkers']],
  ['service', 'db', ['concurrencyLimit', 'crash', 'crashTrigger', 'healthCheck']],
  // Unlimited workers: no utilization.
  ['instance', 'db[0]', ['perInstance']],
  ['edge', 'api->db', ['breaker', 'pool']],
  ['edge', 'api->db#2', ['cache', 'fallback']],
  ['edge', 'api->db#3', ['linkFault', 'callRateLimit', 'callRateLimitQueue']],
  ['edge', 'api->db#4', ['route']],
  ['edge', 'api->db#5', ['route']],
];

const run = runScenario(parseOk(text)).series;

describe('the engine records what the catalogue declares', () => {
  it('every metric of every component, in catalogue order, ratios last, with the catalogue kinds', () => {
    const declared = components.flatMap(([kind, name, has]) =>
      metricsOf(kind, (r) => has.includes(r)).map((m) => ({ name: `${name}.${m.name}`, kind: m.kind })),
    );
    const expected = [...declared.filter((m) => m.kind !== 'ratio'), ...declared.filter((m) => m.kind === 'ratio')];
    // A ratio is recorded as a stock-shaped series.
    expect(run.series.map((s) => ({ name: s.name, kind: s.kind }))).toEqual(
      expected.map((m) => ({ name: m.name, kind: m.kind === 'ratio' ? 'stock' : m.kind })),
    );
  });

  it('every timeseries.csv column may be named in an expectation without a warning', () => {
    const columns = formatTimeseriesCsv(run).split('\n', 1)[0]?.split(',').slice(1) ?? [];
    expect(columns).toContain('api->db#2.cache.hitRatio.max');
    const expectations = columns.map((c) => `  - { metric: "${c}", stat: max, atLeast: 0 }\n`).join('');
    const result = parseScenario(`${text}expect:\n${expectations}`, 'columns.yaml');
    expect(result.ok && result.warnings).toEqual([]);
  });

  it('every name an expectation may use for a recorded metric reads a value per bucket', () => {
    for (const [kind, name, has] of components) {
      for (const metric of readableNames(metricsOf(kind, (r) => has.includes(r)))) {
        expect(seriesValues(run, `${name}.${metric}`), `${name}.${metric}`).toHaveLength(run.buckets);
      }
    }
  });
});
