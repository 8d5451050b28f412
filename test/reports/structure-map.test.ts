import { describe, expect, it } from 'vitest';
import { callNotes, clientNotes, FLAG_NO_BACKOFF, FLAG_NO_BREAKER, FLAG_NO_TIMEOUT } from '../../reports/edge-notes.js';
import { layoutStructureMap, type Box } from '../../reports/structure-layout.js';
import { renderStructureMap } from '../../reports/structure-map.js';
import type { NormalizedScenario } from '../../sim/scenario/types.js';
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

describe('edge notes', () => {
  const scenario = makeScenario();
  const [dbCall, authCall] = scenario.services[0]!.calls;

  it('states timeout, retry with backoff, jitter and budget for a client', () => {
    const notes = clientNotes(scenario.clients[0]!);
    expect(notes.lines.map((l) => l.text)).toEqual([
      'timeout 1s',
      'retry 3 attempts · full jitter',
      'backoff 100ms·2ⁿ ≤ 10s',
      'budget 10% + 10/s per 10s',
    ]);
    expect(notes.severity).toBe('ok');
  });

  it('flags a retry without backoff and a call without breaker in amber, a missing timeout in red', () => {
    const db = callNotes(dbCall!);
    expect(db.lines.find((l) => l.text === FLAG_NO_BACKOFF)?.severity).toBe('warn');
    expect(db.lines.map((l) => l.text)).toContain('pool 20/instance · acquire 100ms');
    expect(db.lines.map((l) => l.text)).toContain('cache 100,000 keys · ttl 60s');
    expect(db.severity).toBe('warn');
    const auth = callNotes(authCall!);
    expect(auth.lines.map((l) => [l.text, l.severity])).toEqual([
      ['50% of requests', 'ok'],
      [FLAG_NO_TIMEOUT, 'danger'],
      ['no retry', 'ok'],
      [FLAG_NO_BREAKER, 'warn'],
    ]);
    expect(auth.severity).toBe('danger');
  });
});

describe('renderStructureMap', () => {
  it('draws each edge in its severity colour with a matching arrowhead', () => {
    const svg = renderStructureMap(widerScenario());
    expect(svg).toMatch(/<g class="edge danger" data-from="mobile" data-to="gateway">[\s\S]*?stroke="#c62828"[\s\S]*?url\(#arrow-danger\)/);
    expect(svg).toContain('<marker id="arrow-warn"');
    expect(svg).not.toMatch(/https?:\/\//);
  });

  it('escapes names', () => {
    const base = makeScenario();
    const svg = renderStructureMap({ ...base, clients: [{ ...base.clients[0]!, name: 'a<b' }] });
    expect(svg).toContain('a&lt;b');
    expect(svg).not.toContain('a<b');
  });
});
