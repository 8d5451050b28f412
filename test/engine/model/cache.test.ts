import { describe, expect, it } from 'vitest';
import { CacheState, type CacheLookup } from '../../../sim/engine/model/cache.js';
import { createStream } from '../../../sim/engine/rng.js';
import type { Cache } from '../../../sim/scenario/types.js';

function spec(over: Partial<Cache> = {}): Cache {
  return {
    keys: 1000,
    popularity: { kind: 'uniform' },
    ttl: 60,
    ttlJitter: 0,
    hitTime: 0.001,
    coalesce: false,
    staleWhileRevalidate: false,
    capacity: Infinity,
    eviction: 'lru',
    ...over,
  };
}

const u = createStream(7, 'test/cache');

/** Fills `key` at `t` the way the lead does: lookup, beginFill, completeFill. */
function fill(c: CacheState, t: number, key: number): void {
  c.beginFill(key);
  c.completeFill(t, key, true, u);
}

describe('look-aside cache', () => {
  it('misses, then hits until the TTL runs out', () => {
    const c = new CacheState(spec());
    expect(c.lookup(0, 3)).toBe('miss');
    fill(c, 1, 3);
    expect(c.lookup(1, 3)).toBe('hit');
    expect(c.lookup(60.999, 3)).toBe('hit');
    expect(c.lookup(61, 3)).toBe('miss'); // fresh on [1, 61)
    expect(c.lookup(1, 4)).toBe('miss');
  });

  it('a failed fill stores nothing', () => {
    const c = new CacheState(spec());
    c.beginFill(3);
    c.completeFill(1, 3, false, u);
    expect(c.lookup(1, 3)).toBe('miss');
    expect(c.fillsInFlight(3)).toBe(0);
  });

  it('without coalescing, concurrent misses each call the backend', () => {
    const c = new CacheState(spec());
    const seen: CacheLookup[] = [];
    for (let i = 0; i < 5; i++) {
      const r = c.lookup(0, 9);
      seen.push(r);
      if (r === 'miss') c.beginFill(9);
    }
    expect(seen).toEqual(['miss', 'miss', 'miss', 'miss', 'miss']);
  });

  it('coalescing turns N concurrent misses on one key into one fill and N - 1 waits', () => {
    const c = new CacheState(spec({ coalesce: true }));
    const counts = { miss: 0, coalesce: 0, other: 0 };
    for (let i = 0; i < 50; i++) {
      const r = c.lookup(0.001 * i, 9);
      if (r === 'miss') {
        counts.miss++;
        c.beginFill(9);
      } else if (r === 'coalesce') counts.coalesce++;
      else counts.other++;
    }
    expect(counts).toEqual({ miss: 1, coalesce: 49, other: 0 });
    c.completeFill(0.2, 9, true, u);
    expect(c.lookup(0.2, 9)).toBe('hit');
    // After a failed fill the next request tries again.
    expect(c.lookup(100, 9)).toBe('miss');
    c.beginFill(9);
    c.completeFill(100.1, 9, false, u);
    expect(c.lookup(100.1, 9)).toBe('miss');
  });

  it('stale-while-revalidate serves the old value and issues exactly one refresh', () => {
    const c = new CacheState(spec({ staleWhileRevalidate: true, coalesce: true }));
    fill(c, 0, 5);
    let refreshes = 0;
    let stale = 0;
    for (let i = 0; i < 20; i++) {
      const r = c.lookup(60 + i * 0.01, 5);
      if (r === 'stale-refresh') {
        refreshes++;
        c.beginFill(5);
      } else if (r === 'stale') stale++;
    }
    expect(refreshes).toBe(1);
    expect(stale).toBe(19);
    c.completeFill(60.5, 5, true, u);
    expect(c.lookup(60.5, 5)).toBe('hit');
    expect(c.expiresAt(5)).toBe(120.5);
  });

  it('a failed refresh keeps the stale value; the next lookup asks for another refresh', () => {
    const c = new CacheState(spec({ staleWhileRevalidate: true }));
    fill(c, 0, 5);
    expect(c.lookup(70, 5)).toBe('stale-refresh');
    c.beginFill(5);
    expect(c.lookup(70.1, 5)).toBe('stale');
    c.completeFill(70.2, 5, false, u);
    expect(c.lookup(70.3, 5)).toBe('stale-refresh');
  });

  it('stale-while-revalidate needs a value: an absent key is a miss', () => {
    const c = new CacheState(spec({ staleWhileRevalidate: true, coalesce: true }));
    expect(c.lookup(0, 1)).toBe('miss');
    c.beginFill(1);
    expect(c.lookup(0, 1)).toBe('coalesce');
  });

  it('flush empties everything; fills in flight still land', () => {
    const c = new CacheState(spec({ staleWhileRevalidate: true }));
    for (let k = 0; k < 100; k++) fill(c, 0, k);
    c.beginFill(200);
    c.flush();
    for (let k = 0; k < 100; k++) expect(c.lookup(1, k)).toBe('miss'); // not even stale
    c.completeFill(1, 200, true, u);
    expect(c.lookup(1, 200)).toBe('hit');
  });
});

describe('TTL jitter', () => {
  it('without jitter, keys filled together expire together (the synchronised stampede)', () => {
    const c = new CacheState(spec({ ttl: 60 }));
    for (let k = 0; k < 100; k++) fill(c, 5, k);
    for (let k = 0; k < 100; k++) expect(c.expiresAt(k)).toBe(65);
  });

  it('jitter spreads expiry over (fill + ttl x (1 - jitter), fill + ttl], never later', () => {
    const c = new CacheState(spec({ ttl: 60, ttlJitter: 0.2, keys: 10_000 }));
    let lo = Infinity;
    let hi = -Infinity;
    let sum = 0;
    for (let k = 0; k < 10_000; k++) {
      fill(c, 5, k);
      const e = c.expiresAt(k);
      expect(e).toBeGreaterThan(5 + 48);
      expect(e).toBeLessThanOrEqual(5 + 60);
      lo = Math.min(lo, e);
      hi = Math.max(hi, e);
      sum += e;
    }
    // Uniform over 12 s: 10k draws reach within 0.1 s of both ends (miss chance ~ e^-83).
    expect(lo).toBeLessThan(53.1);
    expect(hi).toBeGreaterThan(64.9);
    // Mean 59 s; standard error 12 / sqrt(12 x 10000) = 0.035 s.
    expect(Math.abs(sum / 10_000 - 59)).toBeLessThan(0.2);
  });
});
