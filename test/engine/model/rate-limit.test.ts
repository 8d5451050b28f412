/**
 * The token bucket against Envoy's local rate limit (max_tokens,
 * tokens_per_fill, fill_interval; the bucket starts full) and against the
 * continuous refill it becomes when fills get ever smaller: admissions
 * counted by hand.
 */
import { describe, expect, it } from 'vitest';
import { TokenBucket } from '../../../sim/engine/model/rate-limit.js';
import type { RateLimit } from '../../../sim/scenario/types.js';

function bucket(over: Partial<RateLimit> = {}): TokenBucket {
  return new TokenBucket({ rate: 10, burst: 5, fillInterval: null, queue: 0, ...over });
}

/** Offers one request at each of `times`; returns the times admitted. */
function offer(b: TokenBucket, times: readonly number[]): number[] {
  return times.filter((t) => b.tryTake(t));
}

/** k / 20 for k = 1..n: evenly spaced arrivals at 20 a second. */
const every50ms = (n: number): number[] => Array.from({ length: n }, (_, i) => (i + 1) / 20);

describe('continuous refill', () => {
  it('rate 10, burst 5, 20/s for 1 s admits 14: the 5 of the full bucket, then 10/s less the half token lost while full', () => {
    // Tokens before each arrival: 5, 4.5, 4, ... 1 at 0.45 s (nine admitted), then 0.5 and 1 in turn.
    const admitted = offer(bucket(), every50ms(20));
    expect(admitted).toHaveLength(14);
    expect(admitted.slice(0, 9)).toEqual(every50ms(9));
    expect(admitted.slice(9)).toEqual([0.55, 0.65, 0.75, 0.85, 0.95]);
  });

  it('starts full: burst requests pass at t = 0, the next one is refused', () => {
    const b = bucket({ burst: 3 });
    expect(offer(b, [0, 0, 0, 0])).toEqual([0, 0, 0]);
  });

  it('never holds more than burst, however long it stays idle', () => {
    const b = bucket({ burst: 2 });
    expect(b.tokensAt(1000)).toBe(2);
    expect(offer(b, [1000, 1000, 1000])).toHaveLength(2);
  });

  it('tells when the next token is there: now when one is, else after (1 - tokens) / rate', () => {
    const b = bucket({ rate: 2, burst: 1 });
    expect(b.nextTokenAt(0)).toBe(0);
    expect(b.tryTake(0)).toBe(true);
    expect(b.nextTokenAt(0)).toBe(0.5);
    expect(b.nextTokenAt(0.2)).toBeCloseTo(0.5, 12);
    expect(b.tryTake(0.49)).toBe(false);
    expect(b.tryTake(0.5)).toBe(true);
  });
});

describe('fills (Envoy fill_interval)', () => {
  it('rate 10, burst 5, fillInterval 500ms, 20/s for 1 s admits 11: 5 at the start, 5 after the fill at 0.5 s, 1 at 1 s', () => {
    const admitted = offer(bucket({ fillInterval: 0.5 }), every50ms(20));
    expect(admitted).toEqual([0.05, 0.1, 0.15, 0.2, 0.25, 0.5, 0.55, 0.6, 0.65, 0.7, 1]);
  });

  it('adds tokens only at multiples of the interval, never between them', () => {
    const b = bucket({ rate: 4, burst: 4, fillInterval: 0.5 });
    expect(offer(b, [0, 0, 0, 0])).toHaveLength(4);
    expect(b.tokensAt(0.49)).toBe(0);
    expect(b.tokensAt(0.5)).toBe(2);
    expect(b.tokensAt(0.99)).toBe(2);
    expect(b.tokensAt(1)).toBe(4);
    expect(b.tokensAt(5)).toBe(4);
  });

  it('caps each fill at burst: a fill larger than the bucket lets only burst through (Envoy max_tokens)', () => {
    const b = bucket({ rate: 100, burst: 3, fillInterval: 1 });
    expect(offer(b, [0, 0, 0, 0])).toHaveLength(3);
    expect(offer(b, [1, 1, 1, 1, 1])).toHaveLength(3);
  });

  it('puts the next token at the first fill that brings the bucket to one', () => {
    const b = bucket({ rate: 0.5, burst: 1, fillInterval: 1 });
    expect(b.tryTake(0)).toBe(true);
    // Half a token per fill: the first whole one is there after the second fill.
    expect(b.nextTokenAt(0.3)).toBe(2);
    expect(b.tryTake(1)).toBe(false);
    expect(b.tryTake(2)).toBe(true);
  });

  it('finds fills at multiples of an interval that binary floating point cannot write exactly', () => {
    const b = bucket({ rate: 10, burst: 1, fillInterval: 0.1 });
    const times = Array.from({ length: 30 }, (_, i) => (i + 1) * 0.1);
    expect(b.tryTake(0)).toBe(true);
    expect(offer(b, times)).toHaveLength(30);
  });
});

describe('the waiting line', () => {
  it('has room for queue requests; 0 means none', () => {
    expect(bucket().hasRoom()).toBe(false);
    const b = bucket({ queue: 2 });
    b.waiting.push(7);
    expect(b.hasRoom()).toBe(true);
    b.waiting.push(8);
    expect(b.hasRoom()).toBe(false);
    expect(bucket({ queue: Infinity }).hasRoom()).toBe(true);
  });
});
