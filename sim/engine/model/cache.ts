/**
 * Look-aside (cache-aside) cache in front of one downstream call: the caller
 * looks the key up, and on a miss calls the backend and writes the answer back
 * with a TTL — memcached/Redis as most services use them.
 *
 * Knob mapping (real-world → `Cache` field):
 *   key space size                                     keys
 *   key popularity (Zipf s / uniform)                  popularity (see zipf.ts; the lead draws keys)
 *   TTL / expiration time of a `set`                   ttl (seconds)
 *   TTL jitter ("randomized expiry" against stampedes) ttlJitter (0..1)
 *   lookup round trip on a hit                         hitTime (the lead's business)
 *   single-flight / request coalescing (Go's singleflight, Varnish request coalescing)
 *                                                      coalesce
 *   stale-while-revalidate (RFC 5861), without a bound on staleness
 *                                                      staleWhileRevalidate
 *   maxmemory / maximumSize counted in keys            capacity (Infinity: unbounded)
 *   maxmemory-policy (allkeys-lru) / FIFO              eviction (see eviction.ts)
 *
 * Decisions:
 * - An entry filled at t with effective TTL d is fresh on [t, t + d); at t + d it has expired.
 * - Jitter shortens, never lengthens: d = ttl × (1 − ttlJitter × u), u uniform on [0, 1),
 *   so d lies in (ttl × (1 − ttlJitter), ttl]. With ttlJitter = 0, d = ttl exactly, so keys
 *   filled at the same moment expire at the same moment: the synchronised-expiry stampede.
 *   One uniform is drawn per successful fill whatever ttlJitter is, so turning jitter on
 *   or off leaves the stream's other draws where they were.
 * - `lookup` only reads; `beginFill` claims a fill. The engine is single-threaded, so a
 *   caller that gets 'miss' or 'stale-refresh' and calls `beginFill` in the same event
 *   cannot race another lookup.
 * - A failed fill leaves the entry as it was: absent stays absent; a stale entry keeps
 *   being served (and the next lookup asks for a new refresh).
 * - `flush` (the cacheFlush fault) empties every entry but not the fills in flight: they
 *   are real requests and write their answer when it comes, as a memcached `set` racing
 *   a `flush_all` does.
 * - Bounded (finite `capacity`): a successful fill of a key not held takes a slot; when
 *   none is free, the key chosen by `eviction` is dropped (its value gone, as if never
 *   filled) and `completeFill` reports it. An expired entry keeps its slot until it is
 *   refilled or dropped, as a lazily expiring memcached or Redis does. Under LRU a lookup
 *   that serves the entry (fresh or stale) and a refill count as uses.
 */
import type { Cache } from '../../scenario/types.js';
import type { Stream } from '../rng.js';
import { EvictionOrder } from './eviction.js';

/**
 * What a lookup found:
 * - 'hit': fresh entry, serve it.
 * - 'miss': nothing usable; call the backend (and `beginFill` when its answer will be stored).
 * - 'coalesce': (coalesce on) a fill of this key is in flight; wait for it instead of calling.
 * - 'stale': (staleWhileRevalidate on) expired entry, a refresh is already in flight; serve the old value.
 * - 'stale-refresh': (staleWhileRevalidate on) expired entry and no refresh yet; serve the old value
 *   and start one background refresh (`beginFill`, later `completeFill`).
 */
export type CacheLookup = 'hit' | 'miss' | 'coalesce' | 'stale' | 'stale-refresh';

/** Entries of one look-aside cache, in typed arrays indexed by key. Pure: time and randomness come in. */
export class CacheState {
  /** Number of keys. */
  readonly keys: number;
  private readonly spec: Cache;
  /** Expiry time per key; −Infinity when the key holds no value. */
  private readonly expiry: Float64Array;
  /** Fills in flight per key. */
  private readonly inFlight: Uint32Array;
  /** The keys held and their eviction order; null when unbounded. */
  readonly order: EvictionOrder | null;

  constructor(spec: Cache) {
    this.spec = spec;
    this.keys = Math.max(1, Math.floor(spec.keys));
    this.expiry = new Float64Array(this.keys).fill(-Infinity);
    this.inFlight = new Uint32Array(this.keys);
    this.order = spec.capacity < this.keys ? new EvictionOrder(spec.capacity, spec.eviction) : null;
  }

  /**
   * Looks `key` up at `now`; see `CacheLookup` for what the caller does next.
   * Changes nothing but, under LRU, the recency of an entry it serves.
   */
  lookup(now: number, key: number): CacheLookup {
    const exp = this.expiry[key] as number;
    if (now < exp) {
      this.order?.read(key);
      return 'hit';
    }
    const busy = (this.inFlight[key] as number) > 0;
    if (exp !== -Infinity && this.spec.staleWhileRevalidate) {
      this.order?.read(key);
      return busy ? 'stale' : 'stale-refresh';
    }
    if (busy && this.spec.coalesce) return 'coalesce';
    return 'miss';
  }

  /** A fill (backend call whose answer will be stored) of `key` starts. */
  beginFill(key: number): void {
    this.inFlight[key] = (this.inFlight[key] as number) + 1;
  }

  /**
   * A fill of `key` ends at `now`. On success the value is stored with expiry
   * now + ttl × (1 − ttlJitter × u()); on failure the entry is left as it was.
   * Returns whether storing it evicted another key (only a bounded cache does).
   */
  completeFill(now: number, key: number, ok: boolean, u: Stream): boolean {
    const n = this.inFlight[key] as number;
    if (n > 0) this.inFlight[key] = n - 1;
    if (!ok) return false;
    const { ttl, ttlJitter } = this.spec;
    this.expiry[key] = now + ttl * (1 - ttlJitter * u());
    if (this.order === null) return false;
    const dropped = this.order.write(key);
    if (dropped < 0) return false;
    this.expiry[dropped] = -Infinity;
    return true;
  }

  /** Drops every stored value (cacheFlush fault). Fills in flight still complete. */
  flush(): void {
    this.expiry.fill(-Infinity);
    this.order?.clear();
  }

  /** Expiry time of `key`'s value; −Infinity when it holds none. */
  expiresAt(key: number): number {
    return this.expiry[key] as number;
  }

  /** Number of fills of `key` in flight. */
  fillsInFlight(key: number): number {
    return this.inFlight[key] as number;
  }
}
