/**
 * The weighted choice: which call a draw picks (by hand, from the weights),
 * and how a service's calls are grouped into choices.
 */
import { describe, expect, it } from 'vitest';
import { RouteChoice, routeChoices } from '../../../sim/engine/model/route.js';
import { createGenerator } from '../../../sim/engine/rng.js';
import { call } from '../../helpers/build.js';

const g = createGenerator(1, 'test');

describe('a weighted pick', () => {
  it('splits [0, 1) into slices the size of each weight over the total', () => {
    // Weights 90 and 10: draws below 0.9 go to the first call, the rest to the second.
    const c = new RouteChoice(0, [90, 10], g);
    expect(c.pickAt(0)).toBe(0);
    expect(c.pickAt(0.8999)).toBe(0);
    expect(c.pickAt(0.9)).toBe(1);
    expect(c.pickAt(0.99999)).toBe(1);
  });

  it('three weights 1, 2, 1: slices [0, .25), [.25, .75), [.75, 1)', () => {
    const c = new RouteChoice(2, [1, 2, 1], g);
    expect([0.1, 0.25, 0.5, 0.7499, 0.75, 0.9].map((u) => c.pickAt(u))).toEqual([0, 1, 1, 1, 2, 2]);
    expect([c.start, c.end]).toEqual([2, 5]);
  });

  it('a draw just below 1 always lands in the last slice, whatever the rounding of the sums', () => {
    const c = new RouteChoice(0, [0.1, 0.2, 0.3, 0.4], g);
    expect(c.pickAt(1 - 2 ** -32)).toBe(3);
  });

  it('draws one uniform per pick from its own stream', () => {
    const c = new RouteChoice(0, [3, 1], createGenerator(7, 'service:api/route/db'));
    const same = createGenerator(7, 'service:api/route/db');
    for (let i = 0; i < 100; i++) expect(c.pick()).toBe(same.uniform() < 0.75 ? 0 : 1);
  });
});

describe('a pick by key', () => {
  it('sends each key to the call whose range holds it, every other key (and -1, no key) to the call for the rest', () => {
    // Calls 0..2: keys 0-9, the rest, key 42.
    const c = new RouteChoice(0, [1, 1, 1], g, [{ from: 0, to: 9 }, null, { from: 42, to: 42 }]);
    expect(c.byKey).toBe(true);
    expect([0, 9, 10, 41, 42, 43, -1, 9_999_999].map((k) => c.pickKey(k))).toEqual([0, 0, 1, 1, 2, 1, 1, 1]);
  });

  it('a group by key draws nothing: the same key always meets the same call', () => {
    const stream = createGenerator(3, 'service:api/route/t');
    const c = new RouteChoice(0, [1, 1], stream, [null, { from: 5, to: 7 }]);
    const fresh = createGenerator(3, 'service:api/route/t');
    for (let i = 0; i < 50; i++) expect(c.pickKey(6)).toBe(1);
    expect(stream.uniform()).toBe(fresh.uniform());
  });

  it('routeChoices makes a group by key when one of its calls names keys', () => {
    const calls = [
      call('acme', { route: { group: 't', weight: 1, keys: { from: 0, to: 0 } } }),
      call('shared', { route: { group: 't', weight: 1 } }),
      call('a', { route: { group: 'w', weight: 1 } }),
      call('b', { route: { group: 'w', weight: 1 } }),
    ];
    const out = routeChoices(calls, 'api', 1);
    expect(out[0]?.byKey).toBe(true);
    expect(out[0]?.pickKey(0)).toBe(0);
    expect(out[0]?.pickKey(1)).toBe(1);
    expect(out[2]?.byKey).toBe(false);
  });
});

describe('the choices of a service', () => {
  it('consecutive calls of a group share one choice; other calls have none', () => {
    const calls = [
      call('auth'),
      call('db-a', { route: { group: 'db', weight: 9 } }),
      call('db-b', { route: { group: 'db', weight: 1 } }),
      call('log'),
      call('x', { route: { group: 'solo', weight: 5 } }),
    ];
    const out = routeChoices(calls, 'api', 1);
    expect(out[0]).toBeNull();
    expect(out[3]).toBeNull();
    expect(out[1]).toBe(out[2]);
    expect([out[1]!.start, out[1]!.end]).toEqual([1, 3]);
    expect(out[1]!.pickAt(0.89)).toBe(0);
    expect(out[1]!.pickAt(0.9)).toBe(1);
    expect([out[4]!.start, out[4]!.end, out[4]!.pickAt(0.999)]).toEqual([4, 5, 0]);
  });
});
