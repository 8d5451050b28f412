import { describe, expect, it } from 'vitest';
import { buildCharts, queueDepthEntry, type Spec } from '../../reports/charts.js';
import { renderSvg } from '../../reports/render.js';
import { ZOOM_PARAM, makeInteractive } from '../../reports/interactive.js';
import { overlayPinned } from '../../reports/play-pin.js';
import { peakAmplification, type AmplificationSeries } from '../../reports/charts-clients.js';
import type { RunSeries } from '../../sim/metrics/series.js';
import type { Fault, NormalizedScenario } from '../../sim/scenario/types.js';
import { FAULTS, latency, makeRun, makeScenario, rate, stock } from './fixtures.js';
import { broker } from '../helpers/build.js';
import { distinct, layerNamed, layersOf, rowsOf, valuesOf, xEncodings } from './spec-walk.js';

/** The headline chart's spec. */
const queueDepthSpec = (...args: Parameters<typeof queueDepthEntry>): Spec => queueDepthEntry(...args).spec;

const idsOf = (charts: readonly { id: string }[]): string[] => charts.map((c) => c.id);

describe('queueDepthEntry', () => {
  const spec = queueDepthSpec(makeRun(), makeScenario());

  it('draws one line per service, from the bucket means of <service>.queue, then one per other stock that held work', () => {
    const rows = rowsOf(spec);
    expect(distinct(rows, 'series')).toEqual(['gateway', 'db', 'auth', 'gateway->db: waiting for a pool connection']);
    expect(rows.find((r) => r.series === 'gateway->db: waiting for a pool connection' && r.t === 25.5)?.value).toBe(30);
    const gateway = rows.filter((r) => r.series === 'gateway');
    expect(gateway).toHaveLength(60);
    // Bucket i sits at its midpoint i + 0.5; the fixture's queue is 10 × (t − 19) after 20 s.
    expect(gateway.find((r) => r.t === 0.5)?.value).toBe(1);
    expect(gateway.find((r) => r.t === 30.5)?.value).toBe(115);
    const line = layerNamed(spec, 'series');
    expect((line?.['mark'] as { type: string }).type).toBe('line');
    expect((line?.['encoding'] as { color: { field: string } }).color.field).toBe('series');
  });

  it('shades one rect per fault window at its times, and marks instantaneous faults with a rule', () => {
    expect(valuesOf(layerNamed(spec, 'fault-windows'))).toEqual([{ start: 20, end: 30, label: 'latency +200ms on db' }]);
    expect(valuesOf(layerNamed(spec, 'fault-instants'))).toEqual([{ at: 40, label: 'cache flush on gateway->db' }]);
    const labels = [...valuesOf(layerNamed(spec, 'fault-labels')), ...valuesOf(layerNamed(spec, 'fault-labels-right'))];
    expect(labels.map((l) => l['label'])).toEqual(['latency +200ms on db', 'cache flush on gateway->db']);
  });

  it('is titled for the queues alone when no other stock held work', () => {
    const idle = queueDepthSpec(makeRun([stock('gateway->db.pool.waiting', () => 0)]), makeScenario());
    expect(idle['title']).toMatchObject({ text: 'Queue depth per service' });
    expect(distinct(rowsOf(idle), 'series')).toEqual(['gateway', 'db', 'auth']);
  });

  it('has a title and axis titles with units', () => {
    expect(spec['title']).toMatchObject({ text: 'Work waiting, per stock' });
    const line = layerNamed(spec, 'series')?.['encoding'] as { x: { axis: { title: string } }; y: { title: string } };
    expect(line.x.axis.title).toBe('time (s)');
    expect(line.y.title).toBe('requests waiting');
  });

  it('stays within the plot width of about 800 pixels with axes', () => {
    expect(spec['width']).toBeGreaterThan(600);
    expect(spec['width']).toBeLessThanOrEqual(760);
  });

  it('stacks overlapping fault labels in separate lanes', () => {
    const faults: Fault[] = [
      { kind: 'latency', target: 'db', at: 20, for: 10, add: 0.2, multiply: 1 },
      { kind: 'errors', target: 'db', at: 21, for: 5, rate: 0.5 },
    ];
    const labels = valuesOf(layerNamed(queueDepthSpec(makeRun(), makeScenario(faults)), 'fault-labels'));
    expect(labels).toHaveLength(2);
    expect(labels[0]?.['y']).not.toBe(labels[1]?.['y']);
  });

  it('switches crowded fault labels to their short form, and moves the legend below the plot', () => {
    const faults: Fault[] = [
      { kind: 'latency', target: 'db', at: 20, for: 10, add: 0.02, multiply: 1 },
      { kind: 'errors', target: 'db', at: 21, for: 5, rate: 0.1 },
      { kind: 'capacity', target: 'gateway', at: 22, for: 5, instances: 0, workers: -2 },
      { kind: 'traffic', target: 'users', at: 23, for: 5, multiply: 1.5 },
      { kind: 'pause', target: 'gateway', at: 24, for: 1 },
    ];
    const crowded = queueDepthSpec(makeRun(), makeScenario(faults));
    const labels = [...valuesOf(layerNamed(crowded, 'fault-labels')), ...valuesOf(layerNamed(crowded, 'fault-labels-right'))];
    expect(labels.map((l) => l['label'])).toEqual(['db +20ms', 'db 10% errors', 'gateway −2 workers', 'users ×1.5', 'gateway paused']);
    expect(new Set(labels.map((l) => l['y'])).size).toBe(labels.length);
    expect((crowded['config'] as { legend: { orient: string } }).legend.orient).toBe('bottom');
    expect((queueDepthSpec(makeRun(), makeScenario([]))['config'] as { legend: { orient: string } }).legend.orient).toBe('top');
    // Two labels fit in their lanes in full.
    expect(valuesOf(layerNamed(spec, 'fault-labels'))[0]?.['label']).toBe('latency +200ms on db');
  });

  it('has no fault layers without faults', () => {
    const names = layersOf(queueDepthSpec(makeRun(), makeScenario([]))).map((l) => l['name']);
    expect(names).toEqual(['series']);
  });
});

describe('buildCharts', () => {
  it('lists queue-depth first, then every chart the run has data for', () => {
    expect(idsOf(buildCharts(makeRun(), makeScenario()))).toEqual([
      'queue-depth',
      'loop-dominance',
      'amplification-users',
      'bathtub-gateway',
      'latency-clients',
      'latency-services',
      'utilization',
      'breakers',
      'pools',
      'cache',
    ]);
  });

  it('gives every layer of every chart the same x domain [0, duration] in seconds', () => {
    for (const chart of buildCharts(makeRun(), makeScenario())) {
      const xs = xEncodings(chart.spec);
      expect(xs.length, chart.id).toBeGreaterThan(0);
      for (const x of xs) {
        expect(x['scale'], chart.id).toMatchObject({ domain: [0, 60] });
        expect(x['axis'], chart.id).toMatchObject({ title: 'time (s)' });
      }
    }
  });

  it('leaves out the breaker, pool and cache charts when no edge has them', () => {
    const run = makeRun();
    const bare = { ...run, series: run.series.filter((s) => !s.name.includes('->')) };
    const ids = idsOf(buildCharts(bare, makeScenario()));
    expect(ids).not.toContain('breakers');
    expect(ids).not.toContain('pools');
    expect(ids).not.toContain('cache');
    expect(ids[0]).toBe('queue-depth');
  });

  it("draws a client's own breaker on its edge, before the calls' breakers, in the breakers chart", () => {
    const sc = makeScenario();
    const withBreaker = { ...sc, clients: sc.clients.map((c) => ({ ...c, breaker: sc.services[0]!.calls[0]!.breaker })) };
    const run = makeRun([stock('users.breaker', (t) => (t >= 20 && t < 30 ? 1 : 0))]);
    const chart = buildCharts(run, withBreaker).find((c) => c.id === 'breakers');
    const rows = rowsOf(chart?.spec ?? {});
    expect(distinct(rows, 'series')[0]).toBe('users->gateway');
    expect(rows.find((r) => r.series === 'users->gateway' && r.t === 25.5)?.value).toBe(1);
    // Without the call edges' series, the client's breaker alone still makes the chart.
    const clientOnly = { ...run, series: run.series.filter((s) => !s.name.includes('->')) };
    expect(idsOf(buildCharts(clientOnly, withBreaker))).toContain('breakers');
  });

  it('draws small multiples of in-flight and errors for a service recorded per replica: a panel each, one y scale', async () => {
    const sc = makeScenario();
    const perReplica = { ...sc, services: sc.services.map((s) => (s.name === 'db' ? { ...s, perInstance: true } : s)) };
    const run = makeRun([
      stock('db[0].inflight', () => 1),
      stock('db[0].utilization', () => 0.1),
      rate('db[0].errors', () => 0),
      stock('db[1].inflight', (t) => (t >= 20 && t < 30 ? 12 : 1)),
      stock('db[1].utilization', () => 0.1),
      rate('db[1].errors', (t) => (t >= 20 && t < 30 ? 5 : 0)),
    ]);
    const charts = buildCharts(run, perReplica);
    expect(idsOf(charts).filter((id) => id.startsWith('replicas-'))).toEqual(['replicas-inflight-db', 'replicas-errors-db']);
    const inflight = charts.find((c) => c.id === 'replicas-inflight-db')!;
    expect(inflight.title).toBe('In flight per replica of db');
    const panels = inflight.spec['concat'] as Record<string, unknown>[];
    expect(panels.map((p) => (p['title'] as { text: string }).text)).toEqual(['db[0]', 'db[1]']);
    // The same y scale in every panel, up to the highest value of any: one scale shared by the panels, from
    // the rows, so that the spec does not follow the data.
    expect(inflight.spec['resolve']).toEqual({ scale: { y: 'shared', color: 'independent' }, axis: { y: 'independent' } });
    expect(JSON.stringify(inflight.spec)).not.toContain('"domain":[0,12]');
    // Each panel draws its own rows (the line's first point names its series), not the last panel's.
    const svg = await renderSvg(inflight.spec);
    for (const name of ['db[0]', 'db[1]']) expect(svg).toContain(`series: ${name}`);
    const [vega, vl] = await Promise.all([import('vega'), import('vega-lite')]);
    const drawn = new vega.View(vega.parse(vl.compile(inflight.spec as never).spec), { renderer: 'none' });
    await drawn.runAsync();
    expect(drawn.scale('y').domain()).toEqual([0, 12]);
    // All zeros (no errors anywhere) still span [0, 1], as every other chart does.
    const errors = charts.find((c) => c.id === 'replicas-errors-db')!;
    const quiet = { ...errors.spec, concat: (errors.spec['concat'] as Spec[]).slice(0, 1) };
    const zeros = new vega.View(vega.parse(vl.compile(quiet as never).spec), { renderer: 'none' });
    await zeros.runAsync();
    expect(zeros.scale('y').domain()).toEqual([0, 1]);
    // On the page: every panel follows the zoom through one parameter at the top, and the spec still compiles and runs.
    const page = makeInteractive(inflight.spec, { brush: false });
    expect(page['params']).toEqual([{ name: ZOOM_PARAM, value: null }]);
    expect(page['layer']).toBeUndefined();
    const view = new vega.View(vega.parse(vl.compile(page as never).spec), { renderer: 'none' });
    await view.signal(ZOOM_PARAM, [20, 30]).runAsync();
    expect(view.signal(ZOOM_PARAM)).toEqual([20, 30]);
    // The playground's pin leaves small multiples as they are.
    expect(overlayPinned([inflight], { [inflight.id]: [] })[0]).toBe(inflight);
    expect(idsOf(buildCharts(run, sc)).some((id) => id.startsWith('replicas-'))).toBe(false);
  });

  it('draws a broker chart with its messages waiting, in flight and delayed, only when the scenario has a broker', () => {
    expect(idsOf(buildCharts(makeRun(), makeScenario()))).not.toContain('brokers');
    const sc = { ...makeScenario(), brokers: [broker('jobs', 'db', 4, { visibilityTimeout: 5 })] };
    const run = makeRun([stock('jobs.visible', (t) => (t < 30 ? 0 : 40)), stock('jobs.inFlight', () => 4), stock('jobs.delayed', () => 0)]);
    const chart = buildCharts(run, sc).find((c) => c.id === 'brokers');
    expect(chart?.title).toBe('Broker messages');
    expect(distinct(rowsOf(chart?.spec ?? {}), 'measure')).toEqual(['waiting', 'in flight', 'delayed']);
    expect(JSON.stringify(chart?.spec)).toContain('jobs: 5 s');
  });

  it('draws requests refused by and waiting at a rate limit, only for a service that has one', () => {
    expect(idsOf(buildCharts(makeRun([rate('gateway.rateLimited', () => 5)]), makeScenario()))).not.toContain('rate-limits');
    const base = makeScenario();
    const [gateway, ...rest] = base.services;
    const limited = { ...base, services: [{ ...gateway!, rateLimit: { rate: 100, burst: 20, fillInterval: null, queue: 50 } }, ...rest] };
    const run = makeRun([
      rate('gateway.rateLimited', (t) => (t < 20 ? 0 : 150)),
      stock('gateway.rateLimit.waiting', (t) => (t < 20 ? 0 : 50)),
    ]);
    const chart = buildCharts(run, limited).find((c) => c.id === 'rate-limits');
    expect(chart?.title).toBe('Rate limits at the ingress');
    const rows = rowsOf(chart?.spec ?? {});
    expect(distinct(rows, 'series')).toEqual(['gateway refused', 'gateway waiting']);
    expect(rows.find((r) => r.series === 'gateway refused' && r.t === 25.5)?.value).toBe(150);
    expect(rows.find((r) => r.series === 'gateway waiting' && r.t === 10.5)?.value).toBe(0);
  });

  it("draws a client's and a call's rate limit beside the ingress's, under the plain title", () => {
    const base = makeScenario();
    const [users, ...otherClients] = base.clients;
    const [gateway, ...rest] = base.services;
    const [first, ...calls] = gateway!.calls;
    const limit = { rate: 100, burst: 20, fillInterval: null, queue: 0 };
    const limited = {
      ...base,
      clients: [{ ...users!, rateLimit: { ...limit, queue: 10 } }, ...otherClients],
      services: [{ ...gateway!, calls: [{ ...first!, rateLimit: limit }, ...calls] }, ...rest],
    };
    const edge = `gateway->${first!.to}`;
    const run = makeRun([
      rate(`${users!.name}.rateLimited`, (t) => (t < 20 ? 0 : 30)),
      stock(`${users!.name}.rateLimit.waiting`, (t) => (t < 20 ? 0 : 10)),
      rate(`${edge}.rateLimited`, (t) => (t < 20 ? 0 : 70)),
    ]);
    const chart = buildCharts(run, limited).find((c) => c.id === 'rate-limits');
    expect(chart?.title).toBe('Rate limits');
    const rows = rowsOf(chart?.spec ?? {});
    expect(distinct(rows, 'series')).toEqual([`${users!.name} refused`, `${users!.name} waiting`, `${edge} refused`]);
    expect(rows.find((r) => r.series === `${edge} refused` && r.t === 25.5)?.value).toBe(70);
  });

  it('draws the concurrency limit and its refusals, only for a service that has one', () => {
    expect(idsOf(buildCharts(makeRun([rate('gateway.concurrencyLimited', () => 5)]), makeScenario()))).not.toContain('concurrency-limits');
    const base = makeScenario();
    const [gateway, ...rest] = base.services;
    const concurrencyLimit = { kind: 'aimd', initial: 20, min: 20, max: 200, backoff: 0.9, timeout: 5 } as const;
    const limited = { ...base, services: [{ ...gateway!, concurrencyLimit }, ...rest] };
    const run = makeRun([
      stock('gateway.concurrencyLimit', (t) => (t < 20 ? 40 : 25)),
      rate('gateway.concurrencyLimited', (t) => (t < 20 ? 0 : 80)),
    ]);
    const chart = buildCharts(run, limited).find((c) => c.id === 'concurrency-limits');
    expect(chart?.title).toBe('Adaptive concurrency limits at the ingress');
    const rows = rowsOf(chart?.spec ?? {});
    expect(distinct(rows, 'series')).toEqual(['gateway limit', 'gateway refused']);
    expect(rows.find((r) => r.series === 'gateway limit' && r.t === 25.5)?.value).toBe(25);
    expect(rows.find((r) => r.series === 'gateway refused' && r.t === 25.5)?.value).toBe(80);
  });

  it('draws the replicas ejected and the ejections per second, only for a service with outlier detection', () => {
    expect(idsOf(buildCharts(makeRun([stock('db.outlier.ejected', () => 1)]), makeScenario()))).not.toContain('outliers');
    const base = makeScenario();
    const detected = {
      ...base,
      services: base.services.map((s) =>
        s.name === 'db'
          ? {
              ...s,
              outlierDetection: { consecutiveErrors: 5, interval: 10, baseEjectionTime: 30, maxEjectionPercent: 0.5, maxEjectionTime: 300 },
            }
          : s,
      ),
    };
    const run = makeRun([stock('db.outlier.ejected', (t) => (t < 20 ? 0 : 1)), rate('db.outlier.ejections', (t) => (t === 20.5 ? 1 : 0))]);
    const chart = buildCharts(run, detected).find((c) => c.id === 'outliers');
    expect(chart?.title).toBe('Replicas ejected by outlier detection');
    const rows = rowsOf(chart?.spec ?? {});
    expect(distinct(rows, 'series')).toEqual(['db ejected', 'db ejections']);
    expect(rows.find((r) => r.series === 'db ejected' && r.t === 25.5)?.value).toBe(1);
    expect(rows.find((r) => r.series === 'db ejected' && r.t === 10.5)?.value).toBe(0);
  });

  it('draws the replicas kept in rotation and the failed checks per second, only for a service with a health check', () => {
    expect(idsOf(buildCharts(makeRun([stock('db.healthy', () => 1)]), makeScenario()))).not.toContain('health-checks');
    const base = makeScenario();
    const checked = {
      ...base,
      services: base.services.map((s) =>
        s.name === 'db' ? { ...s, healthCheck: { interval: 1, timeout: 1, unhealthyThreshold: 3, healthyThreshold: 1 } } : s,
      ),
    };
    const run = makeRun([stock('db.healthy', (t) => (t < 20 ? 2 : 1)), rate('db.healthChecks.failed', (t) => (t >= 18 && t < 21 ? 1 : 0))]);
    const chart = buildCharts(run, checked).find((c) => c.id === 'health-checks');
    expect(chart?.title).toBe('Replicas kept in rotation by health checks');
    const rows = rowsOf(chart?.spec ?? {});
    expect(distinct(rows, 'series')).toEqual(['db healthy', 'db failed checks']);
    expect(rows.find((r) => r.series === 'db healthy' && r.t === 25.5)?.value).toBe(1);
    expect(rows.find((r) => r.series === 'db healthy' && r.t === 10.5)?.value).toBe(2);
  });

  it('leaves out latency charts without responses and client charts without client series', () => {
    const run = makeRun();
    const noLatency = { ...run, series: run.series.filter((s) => s.kind !== 'latency' && !s.name.startsWith('users.')) };
    const ids = idsOf(buildCharts(noLatency, makeScenario()));
    expect(ids).not.toContain('latency-clients');
    expect(ids).not.toContain('latency-services');
    expect(ids).not.toContain('amplification-users');
    const empty = makeRun([latency('users.latency', () => []), latency('gateway.latency', () => []), latency('db.latency', () => [])]);
    expect(idsOf(buildCharts(empty, makeScenario()))).not.toContain('latency-clients');
  });

  it('shows instances only when a count changes', () => {
    expect(idsOf(buildCharts(makeRun(), makeScenario()))).not.toContain('instances');
    const scaled = makeRun([stock('gateway.instances', (t) => (t < 30 ? 2 : 4)), stock('gateway.ready', (t) => (t < 40 ? 2 : 4))]);
    const chart = buildCharts(scaled, makeScenario()).find((c) => c.id === 'instances');
    expect(chart).toBeDefined();
    expect(distinct(rowsOf(chart!.spec), 'series')).toEqual(['gateway instances', 'gateway ready']);
  });

  it('shows the replicas a crash holds down beside the instances', () => {
    const crashed = makeRun([stock('db.crash.down', (t) => (t >= 30 && t < 40 ? 1 : 0))]);
    const chart = buildCharts(crashed, makeScenario()).find((c) => c.id === 'instances');
    expect(distinct(rowsOf(chart!.spec), 'series')).toEqual(['db crash.down']);
  });

  it('skips buckets without responses in latency charts instead of drawing zeros', () => {
    const chart = buildCharts(makeRun(), makeScenario()).find((c) => c.id === 'latency-services')!;
    const db = rowsOf(chart.spec).filter((r) => r['component'] === 'db');
    expect(db.every((r) => r.t < 50)).toBe(true);
    expect(db.find((r) => r.t === 25.5 && r['q'] === 'p99')?.value).toBeCloseTo(204, -1);
  });

  it('computes the cache hit ratio from hits and misses', () => {
    const chart = buildCharts(makeRun(), makeScenario()).find((c) => c.id === 'cache')!;
    const rows = rowsOf(chart.spec);
    expect(rows.find((r) => r.t === 10.5)?.value).toBeCloseTo(0.9);
    expect(rows.find((r) => r.t === 42.5)?.value).toBeCloseTo(0.1);
  });

  it('draws absorbed calls per edge and degraded operations per client when a call has a fallback, and only then', () => {
    expect(idsOf(buildCharts(makeRun(), makeScenario()))).not.toContain('fallbacks');
    const run = makeRun([rate('gateway->db.fallbacks', (t) => (t < 20 ? 0 : 30)), rate('users.degraded', (t) => (t < 20 ? 0 : 25))]);
    const charts = buildCharts(run, makeScenario());
    expect(idsOf(charts).at(-1)).toBe('fallbacks');
    const rows = rowsOf(charts.at(-1)!.spec);
    expect(distinct(rows, 'series')).toEqual(['gateway->db.fallbacks', 'users.degraded']);
    expect(rows.find((r) => r.series === 'users.degraded' && r.t === 25.5)?.value).toBe(25);
    expect(rows.find((r) => r.series === 'gateway->db.fallbacks' && r.t === 10.5)?.value).toBe(0);
  });

  it('draws the requests each alternative of a weighted choice got, and only with routes', () => {
    expect(idsOf(buildCharts(makeRun(), makeScenario()))).not.toContain('routes');
    const run = makeRun([rate('gateway->db.routed', () => 90), rate('gateway->auth.routed', () => 10)]);
    const charts = buildCharts(run, makeScenario());
    expect(idsOf(charts).at(-1)).toBe('routes');
    const rows = rowsOf(charts.at(-1)!.spec);
    expect(distinct(rows, 'series').sort()).toEqual(['gateway->auth.routed', 'gateway->db.routed']);
    expect(rows.find((r) => r.series === 'gateway->db.routed' && r.t === 10.5)?.value).toBe(90);
    expect(charts.at(-1)!.title).toBe('Weighted routing');
  });

  it('draws the hedges and the hedge wins of each hedged call, and only with hedges', () => {
    expect(idsOf(buildCharts(makeRun(), makeScenario()))).not.toContain('hedges');
    const run = makeRun([rate('gateway->db.hedges', (t) => (t < 20 ? 5 : 60)), rate('gateway->db.hedgeWins', () => 4)]);
    const charts = buildCharts(run, makeScenario());
    expect(idsOf(charts).at(-1)).toBe('hedges');
    const rows = rowsOf(charts.at(-1)!.spec);
    expect(distinct(rows, 'series')).toEqual(['gateway->db.hedges', 'gateway->db.hedgeWins']);
    expect(rows.find((r) => r.series === 'gateway->db.hedges' && r.t === 25.5)?.value).toBe(60);
  });

  it('calls it routing, by weight or by key, when a group routes by key', () => {
    const s = makeScenario();
    const keyed: NormalizedScenario = {
      ...s,
      services: s.services.map((v) =>
        v.name === 'gateway'
          ? {
              ...v,
              calls: v.calls.map((c, i) => ({ ...c, route: { group: 't', weight: 1, ...(i === 0 ? { keys: { from: 0, to: 0 } } : {}) } })),
            }
          : v,
      ),
    };
    const run = makeRun([rate('gateway->db.routed', () => 90), rate('gateway->auth.routed', () => 10)]);
    const chart = buildCharts(run, keyed).find((c) => c.id === 'routes')!;
    expect(chart.title).toBe('Routing');
    expect(JSON.stringify(chart.spec)).toContain('by weight or by key');
  });

  it('puts arrivals, completions and in-flight requests in the bathtub', () => {
    const chart = buildCharts(makeRun(), makeScenario()).find((c) => c.id === 'bathtub-gateway')!;
    expect(distinct(rowsOf(chart.spec), 'series')).toEqual(['arrivals (in)', 'completed (out)', 'in flight']);
    expect(chart.spec['resolve']).toEqual({ scale: { y: 'independent' } });
  });

  it('is deterministic and refers to nothing outside the spec', () => {
    const a = JSON.stringify(buildCharts(makeRun(), makeScenario()));
    const b = JSON.stringify(buildCharts(makeRun(), makeScenario()));
    expect(a).toBe(b);
    expect(a).not.toMatch(/https?:|"url"\s*:/);
  });

  it('keeps every fault from the fixture visible in every chart', () => {
    for (const chart of buildCharts(makeRun(), makeScenario())) {
      expect(valuesOf(layerNamed(chart.spec, 'fault-windows')), chart.id).toHaveLength(FAULTS.filter((f) => f.for > 0).length);
    }
  });
});

describe('peakAmplification', () => {
  /** 30 one-second buckets: 100 operations/s, then 1/s from t = 10; each fails after 3 attempts, one a second. */
  function burst(): { run: RunSeries; series: AmplificationSeries } {
    const n = 30;
    const offered = Float64Array.from({ length: n }, (_, i) => (i < 10 ? 100 : 1));
    const at = (i: number): number => offered[i] ?? 0;
    const attempts = Float64Array.from({ length: n }, (_, i) => at(i) + at(i - 1) + at(i - 2));
    const failures = Float64Array.from({ length: n }, (_, i) => at(i - 2));
    return {
      run: { sample: 1, buckets: n, duration: n, series: [] },
      series: { offered, attempts, goodput: new Float64Array(n), failures },
    };
  }

  it("counts the operations in progress at a window's start, so it never exceeds the policy's attempts", () => {
    const { run, series } = burst();
    // Per bucket, t = 10 has 201 attempts for 1 new operation: the old figure said 201×.
    expect((series.attempts[10] ?? 0) / (series.offered[10] ?? 1)).toBe(201);
    const peak = peakAmplification(run, series) ?? NaN;
    expect(peak).toBeLessThanOrEqual(3 + 1e-9);
    expect(peak).toBeGreaterThan(2.6);
  });

  it('is the attempts per operation of a steady client', () => {
    const n = 20;
    const run: RunSeries = { sample: 0.5, buckets: n, duration: n / 2, series: [] };
    const fill = (v: number): Float64Array => new Float64Array(n).fill(v);
    expect(peakAmplification(run, { offered: fill(50), attempts: fill(100), goodput: fill(50), failures: fill(0) })).toBeCloseTo(2, 9);
    expect(peakAmplification(run, { offered: fill(0), attempts: fill(0), goodput: fill(0), failures: fill(0) })).toBeUndefined();
  });

  it("is said in the chart's subtitle beside the policy's maximum", () => {
    const chart = buildCharts(makeRun(), makeScenario()).find((c) => c.id === 'amplification-users');
    expect(JSON.stringify(chart?.spec)).toMatch(/peak attempts per operation over 10 s [\d.]+× \(its retry policy allows \d+×\)/);
  });
});

describe('the pool chart', () => {
  it("draws the capacity at the pool size times the caller's instances, the scale of the summed series", () => {
    const pools = buildCharts(makeRun(), makeScenario()).find((c) => c.id === 'pools');
    const capacity = rowsOf(pools?.spec ?? {}).filter((r) => r['measure'] === 'capacity');
    // gateway has 2 instances, each with a pool of 20 connections to db.
    expect(capacity.length).toBeGreaterThan(0);
    expect(distinct(capacity, 'value')).toEqual([40]);
    expect(JSON.stringify(pools?.spec)).toContain(
      "dotted: capacity, the pool size times the caller's instances (size per instance: gateway->db: 20)",
    );
  });
});

describe('the loop-dominance band', () => {
  it('draws one span per stretch of buckets with the same dominant loop, labelled with the loop and where it acts', () => {
    const band = buildCharts(makeRun(), makeScenario()).find((c) => c.id === 'loop-dominance');
    const rows = ((band?.spec['data'] as { values: { t: number; end: number; series: string }[] }) ?? { values: [] }).values;
    expect(rows.length).toBeGreaterThan(0);
    for (const r of rows) expect(r.end).toBeGreaterThan(r.t);
    expect(rows.every((r) => /^[a-z-]+ \((R|B)\) (through|in|on) /.test(r.series))).toBe(true);
  });
});
