/**
 * model/entities.ts: the operation and request tables hand out ids, take
 * them back with a new generation (so stale events can be told apart), keep
 * every column's entries when they grow, and count what is live. Call paths
 * tell two branches of one operation apart.
 */
import { describe, expect, it } from 'vitest';
import { Ops, Reqs, callPath } from '../../../sim/engine/model/entities.js';

describe('Reqs', () => {
  it('reuses a released id with its generation bumped, and counts live requests', () => {
    const R = new Reqs();
    const a = R.take();
    const b = R.take();
    expect([a, b, R.live]).toEqual([0, 1, 2]);
    const gen = R.gen[a]!;
    R.release(a);
    expect(R.live).toBe(1);
    expect(R.take()).toBe(a);
    expect(R.gen[a]).toBe(gen + 1);
  });

  it('keeps every entry when it grows past its first 2^14 records', () => {
    const R = new Reqs();
    for (let i = 0; i < 20_000; i++) {
      const r = R.take();
      R.sentAt[r] = i / 2;
      R.svc[r] = i % 7;
      R.outcome[r] = i % 4;
    }
    expect(R.sentAt.length).toBeGreaterThanOrEqual(20_000);
    expect([R.sentAt[16_383], R.svc[16_383], R.outcome[16_383], R.sentAt[19_999]]).toEqual([
      16_383 / 2,
      16_383 % 7,
      16_383 % 4,
      19_999 / 2,
    ]);
  });
});

describe('Ops', () => {
  it("forgets an operation's duplicate keys when its id is released", () => {
    const O = new Ops();
    const op = O.take();
    O.doneSets.set(op, new Set([1]));
    O.release(op);
    expect(O.doneSets.has(op)).toBe(false);
    expect(O.live).toBe(0);
  });
});

describe('callPath', () => {
  it('differs for the same callee reached by two edges, and for the same edge from two paths', () => {
    expect(callPath(0, 1)).not.toBe(callPath(0, 2));
    expect(callPath(callPath(0, 1), 3)).not.toBe(callPath(callPath(0, 2), 3));
    expect(callPath(5, 3)).toBe(callPath(5, 3));
  });
});
