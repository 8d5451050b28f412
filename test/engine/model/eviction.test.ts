import { describe, expect, it } from 'vitest';
import { CacheState } from '../../../sim/engine/model/cache.js';
import { EvictionOrder, type EvictionPolicy } from '../../../sim/engine/model/eviction.js';
import { createStream } from '../../../sim/engine/rng.js';
import type { Cache } from '../../../sim/scenario/types.js';

const u = createStream(7, 'test/eviction');

function bounded(capacity: number, eviction: EvictionPolicy, over: Partial<Cache> = {}): CacheState {
  return new CacheState({
    keys: 26,
    popularity: { kind: 'uniform' },
    ttl: Infinity,
    ttlJitter: 0,
    hitTime: 0,
    coalesce: false,
    staleWhileRevalidate: false,
    capacity,
    eviction,
    ...over,
  });
}

/** Reads each key in turn as the lead does (a miss fills it); what each read found and how many keys were evicted. */
function play(c: CacheState, keys: string, t0 = 0): { found: string; evictions: number } {
  let found = '';
  let evictions = 0;
  for (const [i, ch] of [...keys].entries()) {
    const key = ch.charCodeAt(0) - 97;
    const r = c.lookup(t0 + i, key);
    found += r === 'hit' ? 'H' : 'M';
    if (r === 'miss') {
      c.beginFill(key);
      if (c.completeFill(t0 + i, key, true, u)) evictions++;
    }
  }
  return { found, evictions };
}

const letters = (c: CacheState): string => (c.order?.keys() ?? []).map((k) => String.fromCharCode(97 + k)).join('');

describe('bounded cache, by hand: 2 keys under a b a c b', () => {
  it('LRU: the read of a saves it, so c evicts b and b then evicts a', () => {
    const c = bounded(2, 'lru');
    // a: miss [a]; b: miss [b a]; a: hit [a b]; c: miss, b goes [c a]; b: miss, a goes [b c].
    expect(play(c, 'abacb')).toEqual({ found: 'MMHMM', evictions: 2 });
    expect(letters(c)).toBe('bc');
  });

  it('FIFO: the read of a does not move it, so c evicts a and b still hits', () => {
    const c = bounded(2, 'fifo');
    // a: miss [a]; b: miss [b a]; a: hit [b a]; c: miss, a goes [c b]; b: hit [c b].
    expect(play(c, 'abacb')).toEqual({ found: 'MMHMH', evictions: 1 });
    expect(letters(c)).toBe('cb');
  });

  it('an evicted key is gone for good: its next read misses', () => {
    const c = bounded(2, 'fifo');
    play(c, 'abc');
    expect(c.lookup(10, 0)).toBe('miss');
    expect(c.expiresAt(0)).toBe(-Infinity);
  });
});

describe('bounded cache', () => {
  it('never holds more than its capacity, and each new key past it evicts exactly one', () => {
    for (const policy of ['lru', 'fifo'] as const) {
      const c = bounded(3, policy);
      const { evictions } = play(c, 'abcdefghijklmnopqrstuvwxyz');
      expect(evictions).toBe(26 - 3);
      expect(c.order?.size).toBe(3);
      expect(letters(c)).toBe('zyx');
      let held = 0;
      for (let k = 0; k < 26; k++) if (c.expiresAt(k) !== -Infinity) held++;
      expect(held).toBe(3);
    }
  });

  it('refilling an expired key keeps its slot and evicts nothing', () => {
    const c = bounded(2, 'lru', { ttl: 10 });
    play(c, 'ab');
    expect(c.lookup(20, 0)).toBe('miss');
    c.beginFill(0);
    expect(c.completeFill(20, 0, true, u)).toBe(false);
    expect(letters(c)).toBe('ab');
  });

  it('under LRU a stale read counts as a use; a failed fill stores nothing and evicts nothing', () => {
    const c = bounded(2, 'lru', { ttl: 10, staleWhileRevalidate: true });
    play(c, 'ab');
    expect(c.lookup(20, 0)).toBe('stale-refresh');
    expect(letters(c)).toBe('ab');
    c.beginFill(2);
    expect(c.completeFill(21, 2, false, u)).toBe(false);
    expect(letters(c)).toBe('ab');
    c.beginFill(2);
    expect(c.completeFill(22, 2, true, u)).toBe(true); // b was least recently used
    expect(letters(c)).toBe('ca');
  });

  it('flush empties the order too: after it, capacity new keys fit without an eviction', () => {
    const c = bounded(2, 'lru');
    play(c, 'ab');
    c.flush();
    expect(c.order?.size).toBe(0);
    expect(play(c, 'cd', 5).evictions).toBe(0);
  });

  it('a capacity not below the key space keeps no order: the unbounded cache, unchanged', () => {
    expect(bounded(26, 'lru').order).toBeNull();
    expect(bounded(Infinity, 'lru').order).toBeNull();
    expect(bounded(25, 'fifo').order).not.toBeNull();
  });

  it('memory follows the capacity, not the key space', () => {
    const o = new EvictionOrder(4, 'lru');
    for (let k = 0; k < 1_000_000; k += 1000) o.write(k);
    expect(o.size).toBe(4);
    expect(o.keys()).toEqual([999_000, 998_000, 997_000, 996_000]);
  });
});
