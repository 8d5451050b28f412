/**
 * Valid scenarios end to end: the contract's example (every field), and the
 * warnings a valid file may still carry.
 */
import { describe, expect, test } from 'vitest';
import { formatIssues, parseScenario } from '../../sim/scenario/parse.js';
import { fixture, minimal } from './helpers.js';

describe('the contract example (every field)', () => {
  const result = parseScenario(fixture('retry-storm.yaml'), 'scenarios/retry-storm.yaml');
  const s = result.ok ? result.value : undefined;

  test('parses without errors; its one warning is a design lint (the pool wait makes api → db outlast the client)', () => {
    expect(result.ok ? formatIssues(result.warnings) : formatIssues(result.issues)).toBe(
      '⚠ The call api → db can take up to 1.2s (2 attempts × (100ms pool wait + 500ms timeout)), longer than the 1s timeout on users → api above it: ' +
        'that caller gives up while api is still waiting or retrying. Make the attempts fit in 1s.\n' +
        '  → at services.api.calls[0].timeout (scenarios/retry-storm.yaml:39:18)',
    );
    expect(s).toBeDefined();
  });

  test('top level: seed, units, name', () => {
    expect(s).toMatchObject({ name: 'retry-storm', seed: 42, duration: 300, warmup: 30, sample: 1 });
    expect(s?.description).toMatch(/^A 20 s latency spike in the gateway\./);
  });

  test('client: rate, timeout, network, retry with budget', () => {
    expect(s?.clients).toEqual([
      {
        name: 'users',
        target: 'api',
        arrival: { kind: 'poisson', rate: { kind: 'steps', steps: [{ at: 0, rate: 720 }] } },
        timeout: 1,
        network: { dist: 'exponential', mean: 0.001 },
        retry: {
          attempts: 3,
          backoff: { kind: 'exponential', base: 0.1, cap: 10 },
          jitter: 'full',
          on: ['timeout', 'error', 'rejected'],
          budget: { ratio: 0.1, minPerSecond: 10, window: 10 },
        },
        breaker: null,
        rateLimit: null,
      },
    ]);
  });

  test('service api: queue, call with pool, breaker and cache, autoscale, slowdowns', () => {
    const api = s?.services[0];
    expect(api).toMatchObject({
      name: 'api',
      instances: 4,
      workers: 16,
      queue: { capacity: 1000, discipline: { kind: 'fifo' } },
      balancer: 'roundRobin',
      serviceTime: { dist: 'exponential', mean: 0.005 },
      errorRate: 0,
      dropExpired: false,
      autoscale: {
        metric: 'utilization',
        target: 0.6,
        period: 15,
        lag: 30,
        tolerance: 0.1,
        min: 2,
        max: 40,
        warmup: 60,
        scaleDownStabilization: 300,
      },
      coldStart: { for: 120, slowdown: 2 },
      degradation: { kind: 'threshold', above: 500, slowdown: 3 },
    });
    expect(api?.calls).toEqual([
      {
        to: 'db',
        probability: 1,
        timeout: 0.5,
        network: { dist: 'constant', value: 0.0005 },
        // Only attempts and backoff are written; jitter and on take their defaults.
        retry: { attempts: 2, backoff: { kind: 'none' }, jitter: 'none', on: ['timeout', 'error', 'rejected'], budget: null },
        rateLimit: null,
        pool: { size: 20, acquireTimeout: 0.1 },
        breaker: {
          failureRate: 0.5,
          slowCall: { over: 0.4, rate: 1 },
          window: { kind: 'count', size: 100 },
          minCalls: 20,
          openFor: 5,
          halfOpenCalls: 5,
        },
        cache: {
          keys: 100000,
          popularity: { kind: 'zipf', exponent: 1 },
          ttl: 60,
          ttlJitter: 0,
          hitTime: 0.001,
          coalesce: false,
          staleWhileRevalidate: false,
          capacity: Infinity,
          eviction: 'lru',
        },
        optional: false,
        fallback: null,
        route: null,
        hedge: null,
      },
    ]);
  });

  test('service db: defaults filled, lognormal median/p99 converted to mu/sigma', () => {
    const db = s?.services[1];
    expect(db).toMatchObject({
      name: 'db',
      instances: 1,
      workers: 8,
      queue: { capacity: Infinity, discipline: { kind: 'fifo' } },
      balancer: 'roundRobin',
      errorRate: 0,
      dropExpired: false,
      calls: [],
      autoscale: null,
      coldStart: null,
      degradation: null,
      rateLimit: null,
      concurrencyLimit: null,
    });
    expect(db?.serviceTime.dist).toBe('lognormal');
    if (db?.serviceTime.dist !== 'lognormal') return;
    expect(db.serviceTime.mu).toBeCloseTo(Math.log(0.004), 12);
    expect(db.serviceTime.sigma).toBeCloseTo(Math.log(10) / 2.3263478740408408, 12);
  });

  test('faults: sorted by time, instantaneous flush, defaults for the effect not written', () => {
    expect(s?.faults).toEqual([
      { kind: 'latency', target: 'db', at: 60, for: 20, add: 0.2, multiply: 1 },
      { kind: 'errors', target: 'db', at: 60, for: 20, rate: 0.5 },
      { kind: 'capacity', target: 'api', at: 90, for: 60, instances: -2, workers: 0 },
      { kind: 'traffic', target: 'users', at: 120, for: 30, multiply: 3 },
      { kind: 'pause', target: 'api', at: 150, for: 2 },
      { kind: 'cacheFlush', target: 'api->db', at: 200, for: 0 },
    ]);
  });

  test('expectations: windows resolved, text as written', () => {
    expect(s?.expect).toEqual([
      {
        kind: 'metric',
        metric: 'users.goodput',
        stat: 'mean',
        from: 240,
        to: 300,
        atLeast: 700,
        atMost: null,
        below: null,
        above: null,
        text: 'users.goodput mean from 240s to end >= 700',
      },
      {
        kind: 'metric',
        metric: 'api.queue',
        stat: 'max',
        from: 240,
        to: 300,
        atLeast: null,
        atMost: null,
        below: 50,
        above: null,
        text: 'api.queue max from 240s to end < 50',
      },
      { kind: 'recovers', within: 60, text: 'recovers within 60s' },
    ]);
  });
});

describe('line endings and encodings', () => {
  test('CRLF line endings and a byte-order mark change neither the result nor the positions', () => {
    const lf = `${minimal}    workers: lots\n`;
    const crlf = `\ufeff${lf.replace(/\n/g, '\r\n')}`;
    expect(parseScenario(crlf, 'x.yaml')).toEqual(parseScenario(lf, 'x.yaml'));
    expect(parseScenario(crlf, 'x.yaml')).toMatchObject({ ok: false, issues: [{ line: 10, column: 14 }] });
  });
});

describe('warnings', () => {
  test('a metric the format does not list warns, with a suggestion, and still parses', () => {
    const result = parseScenario(`${minimal}expect:\n  - { metric: api.queu, stat: max, below: 5 }\n`, 'w.yaml');
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(formatIssues(result.warnings)).toBe(
      '⚠ "queu" is not a service metric, so "api.queu" will have no data. Did you mean "queue"?\n' +
        '  → at expect[0].metric (w.yaml:11:15)',
    );
  });

  test('stocks have .max companions and edges have their own metrics', () => {
    const result = parseScenario(
      `${minimal}    calls: [{ to: db, pool: { size: 2 } }]\n  db: { serviceTime: 1ms }\nexpect:\n  - { metric: api.queue.max, stat: max, below: 5 }\n  - { metric: api->db.pool.inUse, stat: mean, below: 5 }\n`,
      'w.yaml',
    );
    expect(result.ok && result.warnings).toEqual([]);
  });

  test('every column timeseries.csv writes is a metric an expectation may name: a ratio has .max, a latency its quantiles', () => {
    const metrics = ['api->db.cache.hitRatio.max', 'users.latency.p50', 'users.latency.p99', 'api.latency.p90', 'api.latency.max'];
    const result = parseScenario(
      `${minimal}    calls: [{ to: db, cache: { keys: 10, ttl: 1s } }]\n  db: { serviceTime: 1ms }\nexpect:\n` +
        metrics.map((m) => `  - { metric: ${m}, stat: max, below: 5 }\n`).join(''),
      'w.yaml',
    );
    expect(result.ok && result.warnings).toEqual([]);
  });

  test('an unknown edge metric reads "an edge metric"', () => {
    const result = parseScenario(
      `${minimal}    calls: [{ to: db }]\n  db: { serviceTime: 1ms }\nexpect:\n  - { metric: api->db.call, stat: max, below: 5 }\n`,
      'w.yaml',
    );
    expect(result.ok && result.warnings.map((w) => w.message)).toEqual([
      '"call" is not an edge metric, so "api->db.call" will have no data. Did you mean "calls"?',
    ]);
  });

  test('a metric of a mechanism the component lacks warns: a breaker, unlimited workers, autoscale', () => {
    const result = parseScenario(
      `${minimal}    workers: unlimited\n    calls: [{ to: db }, { to: db, breaker: {} }]\n  db: { serviceTime: 1ms }\nexpect:\n` +
        '  - { metric: api->db.breaker, stat: max, below: 5 }\n  - { metric: api->db#2.breaker, stat: max, below: 5 }\n' +
        '  - { metric: api.utilization.max, stat: max, below: 5 }\n  - { metric: db.utilization, stat: max, below: 5 }\n' +
        '  - { metric: db.desired, stat: max, below: 5 }\n',
      'w.yaml',
    );
    expect(result.ok && result.warnings.map((w) => w.message)).toEqual([
      '"breaker" is recorded only for an edge with a breaker, so "api->db.breaker" will have no data.',
      '"utilization" is recorded only for a service with a bounded number of workers (not unlimited), so "api.utilization.max" will have no data.',
      '"desired" is recorded only for a service with autoscale, so "db.desired" will have no data.',
    ]);
  });
});

describe("a client's own breaker", () => {
  test('its metrics may be named in expectations; without a breaker they warn', () => {
    const expectations =
      'expect:\n  - { metric: users.shortCircuited, stat: max, below: 5 }\n  - { metric: users.breaker.max, stat: max, below: 2 }\n';
    const withBreaker = parseScenario(minimal.replace('rate: 100 }', 'rate: 100 }\n    breaker: {}') + expectations, 'b.yaml');
    expect(withBreaker.ok && withBreaker.warnings).toEqual([]);
    const without = parseScenario(minimal + expectations, 'b.yaml');
    expect(without.ok && without.warnings.map((w) => w.message)).toEqual([
      '"shortCircuited" is recorded only for a client with a breaker, so "users.shortCircuited" will have no data.',
      '"breaker" is recorded only for a client with a breaker, so "users.breaker.max" will have no data.',
    ]);
  });
});

describe('series per replica', () => {
  const service = minimal.replace('serviceTime: 5ms', 'serviceTime: 5ms\n    instances: 2\n    workers: 4');
  const expecting = (metrics: string[]) => 'expect:\n' + metrics.map((m) => `  - { metric: "${m}", stat: max, atLeast: 0 }\n`).join('');

  test('an expectation may name a replica of a service with perInstance, with did-you-mean for its metric', () => {
    const on = service.replace('workers: 4', 'workers: 4\n    perInstance: true');
    const named = parseScenario(on + expecting(['api[1].errors', 'api[0].inflight.max', 'api[1].utilization']), 'p.yaml');
    expect(named.ok && named.warnings).toEqual([]);
    const typo = parseScenario(on + expecting(['api[1].error']), 'p.yaml');
    expect(typo.ok && typo.warnings.map((w) => w.message)).toEqual([
      '"error" is not an instance metric, so "api[1].error" will have no data. Did you mean "errors"?',
    ]);
  });

  test('a replica of a service without perInstance warns, as a metric of a mechanism it lacks does', () => {
    const off = parseScenario(service + expecting(['api[1].errors']), 'p.yaml');
    expect(off.ok && off.warnings.map((w) => w.message)).toEqual([
      '"errors" is recorded only for an instance of a service with perInstance: true, so "api[1].errors" will have no data.',
    ]);
  });
});

describe('bursts', () => {
  test('normalize to a window as long as within (0 when absent), spread even unless written', () => {
    const result = parseScenario(
      `${minimal}faults:\n  - { kind: burst, target: users, at: 30s, count: 500 }\n` +
        '  - { kind: burst, target: users, at: 40s, count: 20, within: 1500ms, spread: uniform }\n',
      'b.yaml',
    );
    expect(result.ok ? result.value.faults : result.issues).toEqual([
      { kind: 'burst', target: 'users', at: 30, for: 0, count: 500, spread: 'even' },
      { kind: 'burst', target: 'users', at: 40, for: 1.5, count: 20, spread: 'uniform' },
    ]);
  });
});

describe('operation keys', () => {
  test('a route by key or a latency fault on keys with no client that draws keys is a warning naming where', () => {
    const text = `${minimal}    calls:
      - to: acme
        route: { group: t, keys: { from: 0 } }
      - to: shared
        route: { group: t }
  acme: { serviceTime: 1ms }
  shared: { serviceTime: 1ms }
faults:
  - { kind: latency, target: acme, keys: { from: 0 }, at: 10s, for: 10s, add: 1s }
`;
    const r = parseScenario(text, 'keys.yaml');
    if (!r.ok) throw new Error(formatIssues(r.issues));
    expect(r.warnings.map((w) => w.message)).toEqual([
      "Route by key in api reads the operation's key, but no client gives its operations keys, so every request takes the call without keys. Give a client keys: { to: 99 } (keys 0 to 99).",
      "The latency fault 0 on keys reads the operation's key, but no client gives its operations keys, so it slows nothing. Give a client keys: { to: 99 } (keys 0 to 99).",
    ]);
    const keyed = parseScenario(text.replace('    target: api\n', '    target: api\n    keys: { to: 9 }\n'), 'keys.yaml');
    expect(keyed.ok && keyed.warnings).toEqual([]);
  });
});
