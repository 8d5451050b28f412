/** The share of a service's requests a routed call gets, as the map and the loop analysis read it. */
import { describe, expect, it } from 'vitest';
import { callShare, routeShare } from '../../sim/scenario/route-share.js';
import { call } from '../helpers/build.js';

describe('route shares', () => {
  const calls = [
    call('main', { route: { group: 'db', weight: 90 } }),
    call('canary', { route: { group: 'db', weight: 10 } }),
    call('a', { route: { group: 'other', weight: 1 } }),
    call('log', { probability: 0.5 }),
  ];
  it("is the weight over the total of the call's own group", () => {
    expect(calls.map((c) => routeShare(calls, c))).toEqual([0.9, 0.1, 1, 1]);
  });
  it('multiplies with the probability of a call outside any group', () => {
    expect(calls.map((c) => callShare(calls, c))).toEqual([0.9, 0.1, 1, 0.5]);
  });
  it('is not known from the scenario in a route by key (null): the keys of the operations decide', () => {
    const byKey = [
      call('acme', { route: { group: 't', weight: 1, keys: { from: 0, to: 0 } } }),
      call('rest', { route: { group: 't', weight: 1 } }),
    ];
    expect(byKey.map((c) => routeShare(byKey, c))).toEqual([null, null]);
    expect(callShare(byKey, byKey[1]!)).toBeNull();
  });
});
