/**
 * The time cursor's data: per bucket, each service's queue and each stock
 * that held work on the node that holds it, and each breaker's state in
 * words on its caller, at the charts' bucket midpoints.
 */
import { describe, expect, it } from 'vitest';
import { breakerWord, playMoments } from '../../reports/play-moments.js';
import { makeRun, makeScenario, stock } from './fixtures.js';

describe('playMoments', () => {
  const m = playMoments(makeRun(), makeScenario());
  const line = (node: string, label: string): readonly (number | string)[] =>
    m.lines.find((l) => l.node === node && l.label === label)?.values ?? [];

  it('gives the bucket midpoints and, at each, the level of every queue', () => {
    expect(m.t.slice(0, 3)).toEqual([0.5, 1.5, 2.5]);
    const gateway = line('gateway', 'queue');
    expect(gateway[0]).toBe(1);
    expect(gateway[30]).toBe(115);
    expect(line('auth', 'queue').every((v) => v === 0)).toBe(true);
  });

  it("puts a call's stocks and its breaker on the caller: the pool's waiters, the state in words", () => {
    expect(line('gateway', 'to db: waiting for a pool connection')[25]).toBe(30);
    const breaker = line('gateway', 'breaker to db');
    expect(breaker[10]).toBe('closed');
    expect(breaker[25]).toBe('open');
  });

  it("puts a client's own breaker on the client", () => {
    const sc = makeScenario();
    const withBreaker = { ...sc, clients: sc.clients.map((c) => ({ ...c, breaker: sc.services[0]!.calls[0]!.breaker })) };
    const own = playMoments(makeRun([stock('users.breaker', (t) => (t >= 20 && t < 30 ? 1 : 0))]), withBreaker);
    const states = own.lines.find((l) => l.node === 'users' && l.label === 'breaker to gateway')?.values ?? [];
    expect([states[10], states[25]]).toEqual(['closed', 'open']);
  });

  it('names a mean breaker state: closed, half-open, open, or changing within the bucket', () => {
    expect([0, 0.5, 1, 0.3].map(breakerWord)).toEqual(['closed', 'half-open', 'open', 'changing']);
  });
});
