import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { callNotes, clientNotes, FLAG_NO_BACKOFF, FLAG_NO_BREAKER, FLAG_NO_DLQ, FLAG_NO_TIMEOUT } from '../../reports/edge-notes.js';
import { layoutStructureMap, type Box } from '../../reports/structure-layout.js';
import { renderStructureLegend, renderStructureMap } from '../../reports/structure-map.js';
import { parseScenario } from '../../sim/scenario/parse.js';
import type {
  ConcurrencyLimit,
  CrashTrigger,
  DegradationCurve,
  HealthCheck,
  NormalizedScenario,
  RateLimit,
} from '../../sim/scenario/types.js';
import { LINT_FIXTURES } from '../scenario/helpers.js';
import { makeScenario } from './fixtures.js';

const overlaps = (a: Box, b: Box): boolean => a.x < b.x + b.w && b.x < a.x + a.w && a.y < b.y + b.h && b.y < a.y + a.h;

/** The fixture plus a second client without timeout or retry, and a chain gateway → auth → db. */
function widerScenario(): NormalizedScenario {
  const base = makeScenario();
  const [gateway, db, auth] = base.services;
  const users = base.clients[0]!;
  return {
    ...base,
    clients: [users, { ...users, name: 'mobile', timeout: null, retry: null }],
    services: [gateway!, db!, { ...auth!, calls: [{ ...gateway!.calls[0]!, to: 'db' }] }],
  };
}

describe('layoutStructureMap', () => {
  it('puts clients first, then services by their longest call chain, left to right', () => {
    const layout = layoutStructureMap(widerScenario());
    const x = (name: string): number => layout.nodes.find((n) => n.name === name)!.x;
    expect(x('users')).toBe(x('mobile'));
    expect(x('users')).toBeLessThan(x('gateway'));
    expect(x('gateway')).toBeLessThan(x('auth'));
    // db is called by gateway (depth 2) and by auth (depth 3): the longer chain wins.
    expect(x('auth')).toBeLessThan(x('db'));
  });

  it('places no annotation box over another box or over a node', () => {
    const layout = layoutStructureMap(widerScenario());
    const boxes = layout.edges.map((e) => e.box);
    boxes.forEach((a, i) => {
      boxes.slice(i + 1).forEach((b) => expect(overlaps(a, b)).toBe(false));
      layout.nodes.forEach((n) => expect(overlaps(a, n), n.name).toBe(false));
    });
    for (const b of [...boxes, ...layout.nodes]) {
      expect(b.x + b.w).toBeLessThanOrEqual(layout.width);
      expect(b.y + b.h).toBeLessThanOrEqual(layout.height);
    }
  });

  it('terminates on a call cycle', () => {
    const base = makeScenario();
    const [gateway, db] = base.services;
    const cyclic = { ...base, services: [gateway!, { ...db!, calls: [{ ...gateway!.calls[1]!, to: 'gateway' }] }, base.services[2]!] };
    const layout = layoutStructureMap(cyclic);
    expect(layout.edges).toHaveLength(4);
    expect(Number.isFinite(layout.width)).toBe(true);
  });
});

describe('brokers on the structure map', () => {
  it('draws producer → broker → consumer service, left to right, with the consumer group and its settings on the delivery edge', () => {
    const sc = parseScenario(readFileSync('scenarios/broker-backlog.yaml', 'utf8'), 'broker-backlog.yaml');
    if (!sc.ok) throw new Error('broker-backlog.yaml does not parse');
    const layout = layoutStructureMap(sc.value);
    const node = (name: string) => layout.nodes.find((n) => n.name === name)!;
    expect(node('notifications').kind).toBe('broker');
    expect(node('dispatch').x).toBeLessThan(node('notifications').x);
    expect(node('notifications').x).toBeLessThan(node('notifier').x);
    expect(node('notifier').x).toBeLessThan(node('push').x);
    const edge = (from: string) => layout.edges.find((e) => e.from === from)!;
    expect(edge('client:dispatch').notes.lines.map((l) => l.text)).toEqual(['publishes · acked at once']);
    expect(edge('broker:notifications').notes.lines.map((l) => l.text)).toEqual([
      '400 consumers · visibility 1s',
      'failed: back after the visibility timeout',
      'drops after 96h',
      FLAG_NO_DLQ,
    ]);
    expect(renderStructureMap(sc.value)).toContain('class="node broker"');
  });
});

describe('edge notes', () => {
  const scenario = makeScenario();
  const [dbCall, authCall] = scenario.services[0]!.calls;

  it('states timeout, retry with backoff, jitter and budget for a client', () => {
    const notes = clientNotes(scenario.clients[0]!);
    const keyed = clientNotes({ ...scenario.clients[0]!, keys: { from: 0, to: 99, popularity: { kind: 'zipf', exponent: 1.1 } } });
    expect(keyed.lines.map((l) => l.text)).toContain('keys 0–99 · zipf 1.1');
    expect(notes.lines.map((l) => l.text)).toEqual([
      'timeout 1s',
      'retry 3 attempts · full jitter',
      'backoff 100ms·2ⁿ ≤ 10s',
      'budget 10% + 10/s per 10s',
    ]);
    expect(notes.severity).toBe('ok');
  });

  it("states a client's own breaker as a call's is stated, and flags none for a client without one", () => {
    const users = scenario.clients[0]!;
    const breaker = {
      failureRate: 0.25,
      slowCall: { over: 2, rate: 0.8 },
      window: { kind: 'count', size: 50 },
      minCalls: 20,
      openFor: 30,
      halfOpenCalls: 5,
    } as const;
    const notes = clientNotes({ ...users, breaker });
    expect(notes.lines.map((l) => l.text).slice(-2)).toEqual(['breaker at 25% failures · open 30s', 'or at 80% slow calls (> 2s)']);
    expect(notes.severity).toBe('ok');
    expect(clientNotes(users).lines.some((l) => l.text.includes('breaker'))).toBe(false);
    expect(renderStructureMap({ ...scenario, clients: [{ ...users, breaker }] })).toContain('breaker at 25% failures');
  });

  it('flags a retry without backoff and a call without breaker in amber, a missing timeout in red', () => {
    const db = callNotes(dbCall!);
    expect(db.lines.find((l) => l.text === FLAG_NO_BACKOFF)?.severity).toBe('warn');
    expect(db.lines.map((l) => l.text)).toContain('pool 20/instance · acquire 100ms');
    expect(db.lines.map((l) => l.text)).toContain('cache 100,000 keys · ttl 60s');
    expect(db.lines.some((l) => l.text.startsWith('holds'))).toBe(false);
    expect(db.severity).toBe('warn');
    const bounded = callNotes({ ...dbCall!, cache: { ...dbCall!.cache!, capacity: 5000, eviction: 'fifo' } });
    expect(bounded.lines.map((l) => l.text)).toContain('holds 5,000 keys · evicts FIFO');
    const auth = callNotes(authCall!);
    expect(auth.lines.map((l) => [l.text, l.severity])).toEqual([
      ['50% of requests', 'ok'],
      [FLAG_NO_TIMEOUT, 'danger'],
      ['no retry', 'ok'],
      [FLAG_NO_BREAKER, 'warn'],
    ]);
    expect(auth.severity).toBe('danger');
  });

  it('states a fallback with its time, and an optional call', () => {
    const fb = callNotes({ ...authCall!, fallback: { serviceTime: { dist: 'constant', value: 0.005 }, degraded: true } });
    expect(fb.lines.map((l) => l.text)).toContain('fallback 5ms · degraded');
    const whole = callNotes({ ...authCall!, fallback: { serviceTime: { dist: 'exponential', mean: 0.002 }, degraded: false } });
    expect(whole.lines.map((l) => l.text)).toContain('fallback exp 2ms');
    expect(callNotes({ ...authCall!, optional: true }).lines.map((l) => l.text)).toContain('optional: skipped when it fails');
    expect(callNotes(authCall!).lines.some((l) => l.text.startsWith('fallback') || l.text.startsWith('optional'))).toBe(false);
  });

  it("states a routed call's group, its share of the group and its weight", () => {
    const hedged = callNotes({ ...authCall!, hedge: { attempts: 3, delay: 0.05, nonFatal: ['error'] } }).lines.map((l) => l.text);
    expect(hedged).toContain('hedge 3 copies · 50ms apart');
    expect(hedged).toContain('next copy at once on error');
    expect(hedged).not.toContain('no retry');
    const routed = callNotes({ ...authCall!, route: { group: 'db', weight: 90 } }, 0.9);
    expect(routed.lines.map((l) => l.text)).toContain('route db: 90% (weight 90)');
    expect(callNotes(authCall!).lines.some((l) => l.text.startsWith('route'))).toBe(false);
    // A route by key has no share in the scenario: the map names the keys each call takes.
    const acme = callNotes({ ...authCall!, route: { group: 't', weight: 1, keys: { from: 0, to: 0 } } }, null);
    expect(acme.lines.map((l) => l.text)).toContain('route t: key 0');
    expect(
      callNotes({ ...authCall!, route: { group: 't', weight: 1, keys: { from: 1, to: 9 } } }, null).lines.map((l) => l.text),
    ).toContain('route t: keys 1–9');
    expect(callNotes({ ...authCall!, route: { group: 't', weight: 1 } }, null).lines.map((l) => l.text)).toContain(
      'route t: the other keys',
    );
  });
});

describe('renderStructureMap', () => {
  it('draws each edge in its severity colour with a matching arrowhead', () => {
    const svg = renderStructureMap(widerScenario());
    expect(svg).toMatch(/<g class="edge danger" data-from="mobile" data-to="gateway">[\s\S]*?stroke="#c62828"[\s\S]*?url\(#arrow-danger\)/);
    expect(svg).toContain('<marker id="arrow-warn"');
    expect(svg).not.toMatch(/https?:\/\//);
  });

  it('writes the latency curve of a service as its formula under the service', () => {
    const base = makeScenario();
    const [gateway, ...rest] = base.services;
    const curved = (degradation: DegradationCurve) => renderStructureMap({ ...base, services: [{ ...gateway!, degradation }, ...rest] });
    expect(curved({ kind: 'curve', curve: 'linear', of: 'busy', k: 0.2, exponent: 1, max: 1000 })).toContain(
      'time ×(1 + 0.2·busy) ≤ 1,000',
    );
    expect(curved({ kind: 'curve', curve: 'polynomial', of: 'inflight', k: 0.01, exponent: 2, max: 50 })).toContain(
      'time ×(1 + 0.01·inflight^2) ≤ 50',
    );
    expect(curved({ kind: 'curve', curve: 'exponential', of: 'utilization', k: 3, exponent: 1, max: 20 })).toContain(
      'time ×e^(3·utilization) ≤ 20',
    );
  });

  it("writes a service's outlier detection under it: errors in a row, base ejection time, most out at once", () => {
    const base = makeScenario();
    const [gateway, ...rest] = base.services;
    const outlierDetection = { consecutiveErrors: 5, interval: 10, baseEjectionTime: 30, maxEjectionPercent: 0.5, maxEjectionTime: 300 };
    expect(renderStructureMap({ ...base, services: [{ ...gateway!, outlierDetection }, ...rest] })).toContain(
      'ejects after 5 errors · 30s × n · ≤ 50%',
    );
    expect(renderStructureMap(base)).not.toContain('ejects after');
  });

  it("writes a service's rate limit under it: rate, fills, burst, and whether it refuses or lets requests wait", () => {
    const base = makeScenario();
    const [gateway, ...rest] = base.services;
    const limited = (rateLimit: RateLimit) => renderStructureMap({ ...base, services: [{ ...gateway!, rateLimit }, ...rest] });
    expect(limited({ rate: 100, burst: 20, fillInterval: null, queue: 0 })).toContain('limit 100/s · burst 20 · refuses');
    expect(limited({ rate: 1000, burst: 50, fillInterval: 0.1, queue: 200 })).toContain(
      'limit 1,000/s in fills of 100ms · burst 50 · waits ≤ 200',
    );
    expect(limited({ rate: 5, burst: 1, fillInterval: null, queue: Infinity })).toContain('limit 5/s · burst 1 · waits unbounded');
    expect(renderStructureMap(base)).not.toContain('limit ');
  });

  it("writes a client's rate limit on its edge, and a call's on the call's edge, per caller replica", () => {
    const base = makeScenario();
    const [users, ...otherClients] = base.clients;
    const withClientLimit = renderStructureMap({
      ...base,
      clients: [{ ...users!, rateLimit: { rate: 50, burst: 5, fillInterval: null, queue: 10 } }, ...otherClients],
    });
    expect(withClientLimit).toContain('limit 50/s · burst 5 · waits ≤ 10');
    const [gateway, ...rest] = base.services;
    const [first, ...calls] = gateway!.calls;
    const limitedCall = { ...first!, rateLimit: { rate: 200, burst: 20, fillInterval: null, queue: 0 } };
    const withCallLimit = renderStructureMap({ ...base, services: [{ ...gateway!, calls: [limitedCall, ...calls] }, ...rest] });
    expect(withCallLimit).toContain('limit 200/s per caller replica · burst 20 · refuses');
    expect(renderStructureMap(base)).not.toContain('limit ');
  });

  it("writes a service's crash trigger under it: threshold, measure, time held and restart delay", () => {
    const base = makeScenario();
    const [gateway, ...rest] = base.services;
    const crashing = (crashWhen: CrashTrigger) => renderStructureMap({ ...base, services: [{ ...gateway!, crashWhen }, ...rest] });
    expect(crashing({ measure: 'inflight', above: 500, sustained: 10, for: 30 })).toContain(
      'crashes above 500 in flight for 10s · down 30s',
    );
    expect(crashing({ measure: 'queue', above: 100, sustained: 0, for: 10 })).toContain('crashes above 100 queued at once · down 10s');
    expect(renderStructureMap(base)).not.toContain('crashes above');
  });

  it("writes a service's health check under it: interval, timeout and both thresholds", () => {
    const base = makeScenario();
    const [gateway, ...rest] = base.services;
    const checked = (healthCheck: HealthCheck) => renderStructureMap({ ...base, services: [{ ...gateway!, healthCheck }, ...rest] });
    expect(checked({ interval: 10, timeout: 1, unhealthyThreshold: 3, healthyThreshold: 1 })).toContain(
      'health check every 10s ≤ 1s · out after 3 fails · back after 1 pass',
    );
    expect(checked({ interval: 0.5, timeout: 0.2, unhealthyThreshold: 1, healthyThreshold: 2 })).toContain(
      'health check every 500ms ≤ 200ms · out after 1 fail · back after 2 passes',
    );
    expect(renderStructureMap(base)).not.toContain('health check');
  });

  it("writes a service's concurrency limit under it: its range, start, backoff and timeout", () => {
    const base = makeScenario();
    const [gateway, ...rest] = base.services;
    const limited = (concurrencyLimit: ConcurrencyLimit) =>
      renderStructureMap({ ...base, services: [{ ...gateway!, concurrencyLimit }, ...rest] });
    expect(limited({ kind: 'aimd', initial: 20, min: 20, max: 200, backoff: 0.9, timeout: 5 })).toContain(
      'concurrency AIMD 20–200 (from 20, ×0.9 on a drop or past 5s)',
    );
    expect(limited({ kind: 'aimd', initial: 8, min: 8, max: 8, backoff: 0.5, timeout: 0.25 })).toContain(
      'concurrency AIMD 8 (from 8, ×0.5 on a drop or past 250ms)',
    );
    expect(renderStructureMap(base)).not.toContain('concurrency AIMD');
  });

  it('marks the call a link fault breaks, on that edge only, in amber', () => {
    const base = makeScenario();
    const svg = renderStructureMap({
      ...base,
      faults: [
        { kind: 'link', target: 'gateway->db', at: 60, for: 30, delay: 0.05, loss: 0.05 },
        { kind: 'link', target: 'gateway->db', at: 100, for: 5, delay: 0, loss: 1 },
      ],
    });
    expect(svg).toMatch(/<g class="edge [a-z]+" data-from="gateway" data-to="db">[\s\S]*?⚡ link 60s–90s: \+50ms, 5% lost/);
    expect(svg).toContain('font-weight="600" fill="#b45309">⚡ link 100s–105s: partitioned</text>');
    expect(svg.match(/⚡ link/g)).toHaveLength(2 * 3); // each line once on the map, and in the titles of the edge and its box
    expect(renderStructureMap(base)).not.toContain('⚡ link');
  });

  it('escapes names', () => {
    const base = makeScenario();
    const svg = renderStructureMap({ ...base, clients: [{ ...base.clients[0]!, name: 'a<b' }] });
    expect(svg).toContain('a&lt;b');
    expect(svg).not.toContain('a<b');
  });
});

describe('design lints on the structure map', () => {
  /** A lint fixture parsed: its scenario and its warnings. */
  function linted(file: string): { scenario: NormalizedScenario; warnings: Parameters<typeof renderStructureMap>[1] } {
    const r = parseScenario(readFileSync(new URL(file, LINT_FIXTURES), 'utf8'), file);
    if (!r.ok) throw new Error(file);
    return { scenario: r.value, warnings: r.warnings };
  }
  /** The annotation box of the edge from → to, as SVG text. */
  const box = (svg: string, from: string, to: string): string =>
    new RegExp(`<g class="edge-notes[^"]*" data-from="${from}" data-to="${to}">[\\s\\S]*?</g>`).exec(svg)?.[0] ?? '';

  it('adds a call lint to its edge, in amber, and only there', () => {
    const { scenario, warnings } = linted('layered-retries.yaml');
    const svg = renderStructureMap(scenario, warnings);
    const label = '⚠ layered retries: up to 27 attempts per operation';
    expect(box(svg, 'svc', 'db')).toContain(`font-weight="600" fill="#b45309">${label}</text>`);
    expect(svg.split(label)).toHaveLength(4); // the line, and the titles of the edge and of its box
    expect(box(svg, 'api', 'svc')).not.toContain('⚠ layered');
    expect(renderStructureMap(scenario)).not.toContain('⚠ layered');
    // The box grows to hold the line and still overlaps nothing.
    const layout = layoutStructureMap(scenario, warnings);
    const edge = layout.edges.find((e) => e.from === 'service:svc' && e.to === 'service:db')!;
    expect(edge.notes.severity).toBe('warn');
    for (const n of layout.nodes) expect(overlaps(edge.box, n), n.name).toBe(false);
  });

  it('adds a client lint to the client edge, and a service lint or a fault lint to the service box', () => {
    const { scenario, warnings } = linted('bare-number.yaml');
    const svg = renderStructureMap(scenario, warnings);
    expect(box(svg, 'users', 'api')).toContain('⚠ timeout: 2 has no unit (2s)');
    const node = (name: string): string => new RegExp(`<g class="node service" data-name="${name}">[\\s\\S]*?</g>`).exec(svg)?.[0] ?? '';
    expect(node('api')).toContain('fill="#b45309">⚠ serviceTime.mean: 0.02 has no unit (20ms)</text>');
    expect(node('db')).toContain('⚠ add: 100 has no unit (100s)');
    const queues = linted('unbounded-queue.yaml');
    expect(renderStructureMap(queues.scenario, queues.warnings)).toContain('⚠ lifo queue without capacity');
  });

  it('the legend explains the lint lines', () => {
    expect(renderStructureLegend()).toContain('⚠ design lints');
  });
});
