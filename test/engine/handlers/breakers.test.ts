/**
 * handlers/breakers.ts: the code a call's breaker and a client's own share.
 * A breaker site over a stub engine whose sink keeps what it is told: the
 * permit and its refusal (`shortCircuited`), the results handed over, and the
 * `breaker` level reported only when it changes (with `breaker.opens` where
 * the site records it).
 */
import { describe, expect, it } from 'vitest';
import { breakerPermits, breakerRecords, type BreakerSite } from '../../../sim/engine/handlers/breakers.js';
import { CircuitBreaker } from '../../../sim/engine/model/breaker.js';
import type { EngineState } from '../../../sim/engine/state.js';

const SHORT = 0;
const LEVEL = 1;
const OPENS = 2;

/** A stub engine at time `now` whose sink logs every count and level by metric id. */
function stub() {
  const log: [string, number, number][] = [];
  const eng = {
    q: { now: 0 },
    sink: {
      count: (id: number, n: number) => log.push(['count', id, n]),
      level: (id: number, v: number) => log.push(['level', id, v]),
    },
  };
  return { eng: eng as unknown as EngineState, q: eng.q, log };
}

function site(opens: boolean): BreakerSite {
  const breaker = new CircuitBreaker({
    failureRate: 0.5,
    slowCall: null,
    window: { kind: 'count', size: 2 },
    minCalls: 2,
    openFor: 5,
    halfOpenCalls: 1,
  });
  return {
    breaker,
    breakerLevel: 0,
    m: opens ? { shortCircuited: SHORT, breaker: LEVEL, breakerOpens: OPENS } : { shortCircuited: SHORT, breaker: LEVEL },
  };
}

describe('breaker handlers', () => {
  it('permits while closed, reports the level once it opens, then refuses and counts each refusal', () => {
    const { eng, q, log } = stub();
    const s = site(true);
    const br = s.breaker!;
    expect(breakerPermits(eng, s, br)).toBe(true);
    breakerRecords(eng, s, br, 0.1, true);
    expect(log).toEqual([]);
    q.now = 1;
    breakerRecords(eng, s, br, 0.1, true);
    // Two failures of two: open at 1 s; the level goes to 1 and the opening is counted, once.
    expect(log).toEqual([
      ['level', LEVEL, 1],
      ['count', OPENS, 1],
    ]);
    q.now = 2;
    expect(breakerPermits(eng, s, br)).toBe(false);
    expect(breakerPermits(eng, s, br)).toBe(false);
    expect(log.slice(2)).toEqual([
      ['count', SHORT, 1],
      ['count', SHORT, 1],
    ]);
    // Past openFor the breaker is half-open: one probe goes; its success closes it.
    q.now = 6.5;
    expect(breakerPermits(eng, s, br)).toBe(true);
    expect(log.at(-1)).toEqual(['level', LEVEL, 0.5]);
    breakerRecords(eng, s, br, 0.1, false);
    expect(log.at(-1)).toEqual(['level', LEVEL, 0]);
    expect(s.breakerLevel).toBe(0);
  });

  it("counts no opening where the site does not record one (a client's own breaker)", () => {
    const { eng, q, log } = stub();
    const s = site(false);
    breakerRecords(eng, s, s.breaker!, 0, true);
    q.now = 1;
    breakerRecords(eng, s, s.breaker!, 0, true);
    expect(log).toEqual([['level', LEVEL, 1]]);
  });
});
