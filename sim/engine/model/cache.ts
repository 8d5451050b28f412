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
 */
import type { Cache } from '../../scenario/types.js';
import type { Stream } from '../rng.js';

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

  constructor(spec: Cache) {
    this.spec = spec;
    this.keys = Math.max(1, Math.floor(spec.keys));
    this.expiry = new Float64Array(this.keys).fill(-Infinity);
    this.inFlight = new Uint32Array(this.keys);
  }

  /** Looks `key` up at `now`. Reads only; see `CacheLookup` for what the caller does next. */
  lookup(now: number, key: number): CacheLookup {
    const exp = this.expiry[key] as number;
    if (now < exp) return 'hit';
    const busy = (this.inFlight[key] as number) > 0;
    if (exp !== -Infinity && this.spec.staleWhileRevalidate) return busy ? 'stale' : 'stale-refresh';
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
   */
  completeFill(now: number, key: number, ok: boolean, u: Stream): void {
    const n = this.inFlight[key] as number;
    if (n > 0) this.inFlight[key] = n - 1;
    if (!ok) return;
    const { ttl, ttlJitter } = this.spec;
    this.expiry[key] = now + ttl * (1 - ttlJitter * u());
  }

  /** Drops every stored value (cacheFlush fault). Fills in flight still complete. */
  flush(): void {
    this.expiry.fill(-Infinity);
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
