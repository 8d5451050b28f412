/**
 * model/edge.ts: a call edge declares the metrics of the elements it has
 * (breaker, pool, cache) and no others, derives its cache's hit ratio, and
 * makes one connection pool per caller replica on first use.
 */
import { describe, expect, it } from 'vitest';
import { EdgeState } from '../../../sim/engine/model/edge.js';
import { call } from '../../helpers/build.js';
import { TallySink } from '../../helpers/engine.js';

describe('EdgeState', () => {
  it('declares the metrics of its elements only', () => {
    const sink = new TallySink();
    const bare = new EdgeState(call('db'), 0, 0, 1, 'api->db', 1, sink);
    expect(sink.names).toEqual(['api->db.calls', 'api->db.retries', 'api->db.timeouts']);
    expect([bare.m.breaker, bare.m.poolInUse, bare.m.cacheHits, bare.breaker, bare.cache]).toEqual([-1, -1, -1, null, null]);
  });

  it("declares the cache's metrics and its hit ratio, and the pool's", () => {
    const sink = new TallySink();
    new EdgeState(
      call('db', {
        pool: { size: 2, acquireTimeout: null },
        cache: {
          keys: 5,
          popularity: { kind: 'uniform' },
          ttl: 1,
          ttlJitter: 0,
          hitTime: 0,
          coalesce: true,
          staleWhileRevalidate: false,
          capacity: Infinity,
          eviction: 'lru',
        },
      }),
      0,
      0,
      1,
      'api->db',
      1,
      sink,
    );
    expect(sink.names.slice(3)).toEqual([
      'api->db.pool.inUse',
      'api->db.pool.waiting',
      'api->db.cache.hits',
      'api->db.cache.misses',
      'api->db.cache.coalesced',
      'api->db.cache.waiting',
    ]);
    expect(sink.ratios).toEqual(['api->db.cache.hitRatio']);
  });

  it('makes a pool per caller replica when first asked, and the same one after', () => {
    const e = new EdgeState(call('db', { pool: { size: 2, acquireTimeout: null } }), 0, 0, 1, 'api->db', 1, new TallySink());
    const p = e.poolOf(3);
    expect(e.pools.length).toBe(4);
    expect(e.poolOf(3)).toBe(p);
    expect(e.poolOf(0)).not.toBe(p);
  });
});
