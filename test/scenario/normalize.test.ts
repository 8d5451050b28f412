/**
 * Normalization, one default, unit or shorthand at a time: what a field
 * written (or left out) becomes in the NormalizedScenario.
 */
import { describe, expect, test } from 'vitest';
import { nameFromFile } from '../../sim/scenario/parse.js';
import { Z_99 } from '../../sim/scenario/units.js';
import { minimal, parseOk } from './helpers.js';

describe('defaults', () => {
  test('a minimal scenario gets every default the contract names', () => {
    expect(parseOk(minimal, 'scenarios/minimal.yaml')).toEqual({
      name: 'minimal',
      description: '',
      seed: 1,
      duration: 60,
      warmup: 0,
      sample: 1,
      clients: [
        {
          name: 'users',
          target: 'api',
          arrival: { kind: 'poisson', rate: { kind: 'steps', steps: [{ at: 0, rate: 100 }] } },
          timeout: null,
          network: null,
          retry: null,
          breaker: null,
          rateLimit: null,
        },
      ],
      services: [
        {
          name: 'api',
          instances: 1,
          workers: 1,
          queue: { capacity: Infinity, discipline: { kind: 'fifo' } },
          balancer: 'roundRobin',
          serviceTime: { dist: 'constant', value: 0.005 },
          errorRate: 0,
          dropExpired: false,
          calls: [],
          autoscale: null,
          coldStart: null,
          degradation: null,
          rateLimit: null,
          concurrencyLimit: null,
          outlierDetection: null,
          perInstance: false,
          crashWhen: null,
          healthCheck: null,
        },
      ],
      brokers: [],
      faults: [],
      expect: [],
    });
  });

  test('retry, breaker, pool, cache and autoscale defaults follow the documented libraries', () => {
    const s = parseOk(`${minimal}    calls:
      - to: db
        retry: {}
        pool: {}
        breaker: {}
        cache: { keys: 10 }
    autoscale: { metric: utilization, target: 0.5, max: 10 }
  db: { serviceTime: 1ms }
`);
    const call = s.services[0]?.calls[0];
    expect(call?.retry).toEqual({
      attempts: 3,
      backoff: { kind: 'none' },
      jitter: 'none',
      on: ['timeout', 'error', 'rejected'],
      budget: null,
    });
    expect(call?.pool).toEqual({ size: 10, acquireTimeout: null });
    expect(call?.breaker).toEqual({
      failureRate: 0.5,
      slowCall: null,
      window: { kind: 'count', size: 100 },
      minCalls: 100,
      openFor: 60,
      halfOpenCalls: 10,
    });
    expect(call?.cache).toEqual({
      keys: 10,
      popularity: { kind: 'uniform' },
      ttl: Infinity,
      ttlJitter: 0,
      hitTime: 0,
      coalesce: false,
      staleWhileRevalidate: false,
      capacity: Infinity,
      eviction: 'lru',
    });
    expect(s.services[0]?.autoscale).toEqual({
      metric: 'utilization',
      target: 0.5,
      period: 15,
      lag: 15,
      tolerance: 0.1,
      min: 1,
      max: 10,
      warmup: 30,
      scaleDownStabilization: 300,
    });
  });

  test('a bounded cache keeps its capacity in keys; eviction defaults to LRU', () => {
    const cacheOf = (c: string) =>
      parseOk(`${minimal}    calls:\n      - to: db\n        cache: ${c}\n  db: { serviceTime: 1ms }\n`).services[0]?.calls[0]?.cache;
    expect(cacheOf('{ keys: 10, capacity: 4 }')).toMatchObject({ capacity: 4, eviction: 'lru' });
    expect(cacheOf('{ keys: 10, capacity: 4, eviction: fifo }')).toMatchObject({ capacity: 4, eviction: 'fifo' });
  });

  test("a hedge's delay is in seconds, 0 by default, and no failure is non-fatal by default (gRPC hedgingPolicy)", () => {
    const hedgeOf = (h: string) =>
      parseOk(`${minimal}    calls:\n      - to: db\n        hedge: ${h}\n  db: { serviceTime: 1ms }\n`).services[0]?.calls[0]?.hedge;
    expect(hedgeOf('{ attempts: 2 }')).toEqual({ attempts: 2, delay: 0, nonFatal: [] });
    expect(hedgeOf('{ attempts: 5, delay: 30ms, nonFatal: [timeout, error, timeout] }')).toEqual({
      attempts: 5,
      delay: 0.03,
      nonFatal: ['timeout', 'error'],
    });
  });

  test('backoff and budget fill their own fields', () => {
    const s = parseOk(minimal.replace('rate: 100 }', 'rate: 100 }\n    retry: { backoff: { kind: exponential }, budget: {} }'));
    expect(s.clients[0]?.retry?.backoff).toEqual({ kind: 'exponential', base: 0.1, cap: 20 });
    expect(s.clients[0]?.retry?.budget).toEqual({ ratio: 0.2, minPerSecond: 10, window: 10 });
  });

  test('the name comes from the file when absent', () => {
    expect(parseOk(minimal, 'dir/sub/overload.yml').name).toBe('overload');
    expect(nameFromFile('C:\\scenarios\\My Scenario.v2.yaml')).toBe('my-scenario-v2');
    expect(nameFromFile('???.yaml')).toBe('scenario');
  });
});

describe('units and shorthands', () => {
  test.each([
    ['250us', 0.00025],
    ['250ms', 0.25],
    ['1.5s', 1.5],
    ['2m', 120],
    ['1h', 3600],
    ['.5s', 0.5],
    ['0.25', 0.25],
    ['0', 0],
  ])('timeout: %s is %f seconds', (written, seconds) => {
    const s = parseOk(minimal.replace('rate: 100 }', `rate: 100 }\n    timeout: ${written}`));
    expect(s.clients[0]?.timeout).toBe(seconds);
  });

  test('percentages become fractions', () => {
    const s = parseOk(minimal.replace('serviceTime: 5ms', 'serviceTime: 5ms\n    errorRate: "2.5%"\n    degradation: { perInflight: 1% }'));
    expect(s.services[0]?.errorRate).toBeCloseTo(0.025, 15);
    expect(s.services[0]?.degradation).toEqual({ kind: 'linear', perInflight: 0.01 });
  });

  test('a degradation curve gets of: inflight, max 1000 and its exponent (2 for polynomial, 1 for linear)', () => {
    const curve = (yaml: string) =>
      parseOk(minimal.replace('serviceTime: 5ms', `serviceTime: 5ms\n    degradation: ${yaml}`)).services[0]?.degradation;
    expect(curve('{ curve: polynomial, k: 0.01 }')).toEqual({
      kind: 'curve',
      curve: 'polynomial',
      of: 'inflight',
      k: 0.01,
      exponent: 2,
      max: 1000,
    });
    expect(curve('{ curve: linear, of: busy, k: 0.2 }')).toEqual({
      kind: 'curve',
      curve: 'linear',
      of: 'busy',
      k: 0.2,
      exponent: 1,
      max: 1000,
    });
    expect(curve('{ curve: exponential, of: utilization, k: 3, max: 20 }')).toEqual({
      kind: 'curve',
      curve: 'exponential',
      of: 'utilization',
      k: 3,
      exponent: 1,
      max: 20,
    });
    expect(curve('{ curve: polynomial, k: 1, exponent: 4 }')).toMatchObject({ exponent: 4 });
  });

  test("a client's and a call's rateLimit normalize as a service's: queue 0 by default, unlimited as Infinity, fills in seconds", () => {
    const s = parseOk(`
duration: 60s
clients:
  users:
    target: api
    arrival: { kind: poisson, rate: 100 }
    rateLimit: { rate: 50, burst: 10 }
services:
  api:
    serviceTime: 5ms
    calls:
      - { to: db, rateLimit: { rate: 20, burst: 2, fillInterval: 250ms, queue: unlimited } }
  db: { serviceTime: 1ms }
`);
    expect(s.clients[0]?.rateLimit).toEqual({ rate: 50, burst: 10, fillInterval: null, queue: 0 });
    expect(s.services[0]?.calls[0]?.rateLimit).toEqual({ rate: 20, burst: 2, fillInterval: 0.25, queue: Infinity });
    expect(s.services[1]?.calls).toEqual([]);
  });

  test("healthCheck in seconds, with a Kubernetes readiness probe's defaults (Envoy requires every field)", () => {
    const on = (hc: string) =>
      parseOk(minimal.replace('serviceTime: 5ms', `serviceTime: 5ms\n    healthCheck: ${hc}`)).services[0]?.healthCheck;
    expect(on('{}')).toEqual({ interval: 10, timeout: 1, unhealthyThreshold: 3, healthyThreshold: 1 });
    expect(on('{ interval: 500ms, timeout: 2s, unhealthyThreshold: 2, healthyThreshold: 4 }')).toEqual({
      interval: 0.5,
      timeout: 2,
      unhealthyThreshold: 2,
      healthyThreshold: 4,
    });
    expect(parseOk(minimal).services[0]?.healthCheck).toBeNull();
  });

  test('crashWhen names its measure, in seconds, at once and after 10s (the first kubelet back-off) by default', () => {
    const on = (crashWhen: string) =>
      parseOk(minimal.replace('serviceTime: 5ms', `serviceTime: 5ms\n    crashWhen: ${crashWhen}`)).services[0]?.crashWhen;
    expect(on('{ inflight: 500 }')).toEqual({ measure: 'inflight', above: 500, sustained: 0, for: 10 });
    expect(on('{ queue: 0, sustained: 1.5s, for: 2m }')).toEqual({ measure: 'queue', above: 0, sustained: 1.5, for: 120 });
    expect(parseOk(minimal).services[0]?.crashWhen).toBeNull();
  });

  test('workers and capacity may be unlimited', () => {
    const s = parseOk(minimal.replace('serviceTime: 5ms', 'serviceTime: 5ms\n    workers: unlimited\n    queue: { capacity: unlimited }'));
    expect(s.services[0]?.workers).toBe(Infinity);
    expect(s.services[0]?.queue.capacity).toBe(Infinity);
  });

  test('rate steps are sorted and start at 0, with rate 0 before the first', () => {
    const s = parseOk(minimal.replace('rate: 100 }', 'rate: [{ at: 2m, rate: 900 }, { at: 30s, rate: 500 }] }'));
    expect(s.clients[0]?.arrival).toEqual({
      kind: 'poisson',
      rate: {
        kind: 'steps',
        steps: [
          { at: 0, rate: 0 },
          { at: 30, rate: 500 },
          { at: 120, rate: 900 },
        ],
      },
    });
  });

  test('a ramp and a closed loop', () => {
    const s = parseOk(
      `${minimal.replace('rate: 100 }', 'rate: { from: 100, to: 1000, over: 5m } }')}
  # a second client, closed loop
`.replace(
        'services:',
        `  shoppers:
    target: api
    arrival: { kind: closed, users: 200, think: { dist: exponential, mean: 1s } }
services:`,
      ),
    );
    expect(s.clients.map((c) => c.arrival)).toEqual([
      { kind: 'poisson', rate: { kind: 'ramp', from: 100, to: 1000, over: 300 } },
      { kind: 'closed', users: 200, think: { dist: 'exponential', mean: 1 } },
    ]);
  });

  test.each([
    ['{ dist: constant, value: 10ms }', { dist: 'constant', value: 0.01 }],
    ['{ dist: exponential, mean: 10ms }', { dist: 'exponential', mean: 0.01 }],
    ['{ dist: uniform, min: 5ms, max: 15ms }', { dist: 'uniform', min: 0.005, max: 0.015 }],
    ['{ dist: lognormal, mu: -4.6, sigma: 0.5 }', { dist: 'lognormal', mu: -4.6, sigma: 0.5 }],
    ['{ dist: erlang, k: 4, mean: 10ms }', { dist: 'erlang', k: 4, mean: 0.01 }],
    ['{ dist: pareto, scale: 5ms, shape: 2.5 }', { dist: 'pareto', scale: 0.005, shape: 2.5 }],
  ])('distribution %s', (written, dist) => {
    const s = parseOk(minimal.replace('serviceTime: 5ms', `serviceTime: ${written}`));
    expect(s.services[0]?.serviceTime).toEqual(dist);
  });

  test('lognormal p99 lands on the 99th percentile', () => {
    const s = parseOk(minimal.replace('serviceTime: 5ms', 'serviceTime: { dist: lognormal, median: 8ms, p99: 80ms }'));
    const d = s.services[0]?.serviceTime;
    if (d?.dist !== 'lognormal') throw new Error('expected a lognormal');
    expect(Math.exp(d.mu)).toBeCloseTo(0.008, 12);
    expect(Math.exp(d.mu + Z_99 * d.sigma)).toBeCloseTo(0.08, 12);
  });

  test('codel: the word alone takes RFC 8289 defaults; both spellings give the same', () => {
    const queue = (q: string): unknown =>
      parseOk(minimal.replace('serviceTime: 5ms', `serviceTime: 5ms\n    queue: ${q}`)).services[0]?.queue;
    expect(queue('{ discipline: codel }')).toEqual({ capacity: Infinity, discipline: { kind: 'codel', target: 0.005, interval: 0.1 } });
    expect(queue('{ discipline: codel, codel: { target: 10ms } }')).toEqual(queue('{ discipline: { kind: codel, target: 10ms } }'));
  });

  test('a count window caps minCalls, as resilience4j does', () => {
    const s = parseOk(`${minimal}    calls: [{ to: db, breaker: { window: { kind: count, size: 20 } } }]\n  db: { serviceTime: 1ms }\n`);
    expect(s.services[0]?.calls[0]?.breaker?.minCalls).toBe(20);
  });

  test("a client's breaker takes a call's defaults and units, and its count window caps minCalls the same way", () => {
    const onClient = (b: string) => parseOk(minimal.replace('rate: 100 }', `rate: 100 }\n    breaker: ${b}`)).clients[0]?.breaker;
    const onCall = (b: string) =>
      parseOk(`${minimal}    calls: [{ to: db, breaker: ${b} }]\n  db: { serviceTime: 1ms }\n`).services[0]?.calls[0]?.breaker;
    // The call's defaults are pinned by 'retry, breaker, pool, cache and autoscale defaults' above.
    expect(onClient('{}')).toEqual(onCall('{}'));
    expect(onClient('{}')?.minCalls).toBe(100);
    const written = '{ failureRate: 20%, slowCall: { over: 2s }, window: { kind: time, size: 30s }, openFor: 500ms }';
    expect(onClient(written)).toEqual(onCall(written));
    expect(onClient(written)).toMatchObject({
      failureRate: 0.2,
      slowCall: { over: 2, rate: 1 },
      window: { kind: 'time', size: 30 },
      openFor: 0.5,
    });
    expect(onClient('{ window: { kind: count, size: 20 } }')?.minCalls).toBe(20);
  });

  test('faults at the same time keep the order written', () => {
    const s = parseOk(`${minimal}faults:
  - { kind: pause, target: api, at: 30s, for: 1s }
  - { kind: errors, target: api, at: 10s, for: 1s, rate: 10% }
  - { kind: latency, target: api, at: 10s, for: 1s, multiply: 2 }
`);
    expect(s.faults.map((f) => f.kind)).toEqual(['errors', 'latency', 'pause']);
  });

  test('replica faults: api[2] names one replica, replicas a count or a share; without either, no replicas field', () => {
    const s = parseOk(`${minimal.replace('serviceTime: 5ms', 'serviceTime: 5ms\n    instances: 4')}faults:
  - { kind: pause, target: "api[2]", at: 10s, for: 1s }
  - { kind: errors, target: api, replicas: 2, at: 20s, for: 1s, rate: 10% }
  - { kind: latency, target: api, replicas: 25%, at: 30s, for: 1s, multiply: 2 }
  - { kind: latency, target: api, at: 40s, for: 1s, multiply: 2 }
`);
    expect(s.faults.map((f) => [f.target, 'replicas' in f ? f.replicas : 'absent'])).toEqual([
      ['api', { kind: 'index', index: 2 }],
      ['api', { kind: 'count', count: 2 }],
      ['api', { kind: 'share', share: 0.25 }],
      ['api', 'absent'],
    ]);
  });

  test('operation keys: a client draws from..to (from 0, uniform by default); a route by key and a latency fault on keys keep their ranges', () => {
    const s = parseOk(`
duration: 60s
clients:
  tenants:
    target: api
    arrival: { kind: poisson, rate: 100 }
    keys: { to: 99, popularity: { zipf: 1.1 } }
  plain:
    target: api
    arrival: { kind: poisson, rate: 100 }
    keys: { from: 100, to: 199 }
services:
  api:
    serviceTime: 5ms
    calls:
      - to: acme
        route: { group: t, keys: { from: 0 } }
      - to: globex
        route: { group: t, keys: { from: 1, to: 9 } }
      - to: shared
        route: { group: t }
  acme: { serviceTime: 1ms }
  globex: { serviceTime: 1ms }
  shared: { serviceTime: 1ms }
faults:
  - { kind: latency, target: acme, keys: { from: 0 }, at: 10s, for: 10s, add: 1s }
`);
    expect(s.clients[0]?.keys).toEqual({ from: 0, to: 99, popularity: { kind: 'zipf', exponent: 1.1 } });
    expect(s.clients[1]?.keys).toEqual({ from: 100, to: 199, popularity: { kind: 'uniform' } });
    expect(s.services[0]?.calls.map((c) => c.route)).toEqual([
      { group: 't', weight: 1, keys: { from: 0, to: 0 } },
      { group: 't', weight: 1, keys: { from: 1, to: 9 } },
      { group: 't', weight: 1 },
    ]);
    expect(s.faults[0]).toMatchObject({ kind: 'latency', target: 'acme', add: 1, multiply: 1, keys: { from: 0, to: 0 } });
    // Without keys nothing of them is written: a scenario that uses none is normalized as before.
    const plain = parseOk(minimal);
    expect(plain.clients[0]).not.toHaveProperty('keys');
  });

  test('link faults: delay in seconds, loss as a fraction, a partition as a loss of 1, absent effects as 0', () => {
    const s = parseOk(`${minimal}    calls: [{ to: db }]
  db: { serviceTime: 1ms }
faults:
  - { kind: link, target: api->db, at: 10s, for: 5s, delay: 50ms }
  - { kind: link, target: api->db, at: 20s, for: 5s, loss: 5% }
  - { kind: link, target: api->db, at: 30s, for: 5s, partition: true, delay: 1ms }
  - { kind: link, target: api->db, at: 40s, for: 5s, partition: false }
`);
    expect(s.faults.map((f) => (f.kind === 'link' ? [f.delay, f.loss] : []))).toEqual([
      [0.05, 0],
      [0, 0.05],
      [0.001, 1],
      [0, 0],
    ]);
  });

  test('verdict and windowed expectations', () => {
    const s = parseOk(`${minimal}expect:
  - { verdict: stable }
  - { verdict: [stable, overloaded] }
  - { metric: api.latency, stat: p99, to: 30s, atMost: 0.1, above: 0 }
`);
    expect(s.expect).toEqual([
      { kind: 'verdict', is: ['stable'], text: 'verdict is stable' },
      { kind: 'verdict', is: ['stable', 'overloaded'], text: 'verdict is one of stable, overloaded' },
      {
        kind: 'metric',
        metric: 'api.latency',
        stat: 'p99',
        from: 0,
        to: 30,
        atLeast: null,
        atMost: 0.1,
        below: null,
        above: 0,
        text: 'api.latency p99 to 30s <= 0.1 and > 0',
      },
    ]);
  });

  test('the draining kind and oscillation expectations', () => {
    const s = parseOk(`${minimal}expect:
  - { verdict: [draining, metastable] }
  - { oscillates: true }
  - { oscillates: false }
  - { oscillates: users.attempts }
`);
    expect(s.expect).toEqual([
      { kind: 'verdict', is: ['draining', 'metastable'], text: 'verdict is one of draining, metastable' },
      { kind: 'oscillates', what: true, text: 'oscillates' },
      { kind: 'oscillates', what: false, text: 'does not oscillate' },
      { kind: 'oscillates', what: 'users.attempts', text: 'oscillates in users.attempts' },
    ]);
  });

  test('anchors, aliases and merge keys work', () => {
    const s = parseOk(`
duration: 60s
clients:
  users: { target: api, arrival: { kind: poisson, rate: 10 } }
services:
  api: &base
    serviceTime: &fast 5ms
    workers: 4
  db:
    <<: *base
    instances: 2
`);
    expect(s.services[1]).toMatchObject({ name: 'db', instances: 2, workers: 4, serviceTime: { dist: 'constant', value: 0.005 } });
  });
});
