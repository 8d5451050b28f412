import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { CircuitBreaker, type BreakerStateName } from '../../../sim/engine/model/breaker.js';
import type { Breaker } from '../../../sim/scenario/types.js';

function spec(over: Partial<Breaker> = {}): Breaker {
  return {
    failureRate: 0.5,
    slowCall: null,
    window: { kind: 'count', size: 10 },
    minCalls: 10,
    openFor: 5,
    halfOpenCalls: 3,
    ...over,
  };
}

/** Records `n` results at time `t`, the first `failures` of them failed. */
function feed(b: CircuitBreaker, t: number, n: number, failures: number, duration = 0.01): void {
  for (let i = 0; i < n; i++) b.onResult(t, duration, i < failures);
}

/** Opens `b` at time `t` with a window of failures. */
function trip(b: CircuitBreaker, t: number, calls: number): void {
  feed(b, t, calls, calls);
  expect(b.state).toBe('open');
}

describe('closed → open (resilience4j thresholds)', () => {
  it('opens on exactly the minCalls-th result when the failure rate is at the threshold, not before', () => {
    const b = new CircuitBreaker(spec({ window: { kind: 'count', size: 100 }, minCalls: 10 }));
    // 5 failures then 4 successes: 9 results, 5/9 failed, but fewer than minCalls.
    feed(b, 1, 5, 5);
    feed(b, 1, 4, 0);
    expect(b.state).toBe('closed');
    b.onResult(1, 0.01, false); // 10th result: 5/10 = 50% >= 50%
    expect(b.state).toBe('open');
    expect(b.transitions).toBe(1);
    expect(b.lastTransitionAt).toBe(1);
  });

  it('stays closed below the threshold', () => {
    const b = new CircuitBreaker(spec({ window: { kind: 'count', size: 100 }, minCalls: 10 }));
    for (let i = 0; i < 100; i++) b.onResult(1, 0.01, i % 10 >= 6); // 40% failures, never 50% in any prefix
    expect(b.state).toBe('closed');
    expect(b.transitions).toBe(0);
  });

  it('caps minCalls at the size of a count window, as resilience4j does', () => {
    const b = new CircuitBreaker(spec({ window: { kind: 'count', size: 4 }, minCalls: 50 }));
    feed(b, 1, 3, 3);
    expect(b.state).toBe('closed');
    b.onResult(1, 0.01, true);
    expect(b.state).toBe('open');
  });

  it('opens on slow calls (duration strictly over the threshold) at the slow-call rate', () => {
    const slowCall = { over: 0.4, rate: 0.6 };
    const b = new CircuitBreaker(spec({ slowCall, failureRate: 1 }));
    for (let i = 0; i < 9; i++) b.onResult(1, i < 6 ? 0.5 : 0.4, false); // 0.4 is not slow
    expect(b.state).toBe('closed');
    b.onResult(1, 0.1, false); // 6 slow of 10 = 60%
    expect(b.state).toBe('open');

    const c = new CircuitBreaker(spec({ slowCall, failureRate: 1 }));
    for (let i = 0; i < 10; i++) c.onResult(1, i < 5 ? 0.5 : 0.1, false); // 50% slow
    expect(c.state).toBe('closed');
  });

  it('counts only the last `size` results in a count window', () => {
    const b = new CircuitBreaker(spec({ window: { kind: 'count', size: 10 }, minCalls: 10 }));
    feed(b, 1, 4, 4);
    feed(b, 1, 6, 0); // 4/10 failed
    feed(b, 1, 4, 0); // the 4 failures slide out: 0/10
    feed(b, 1, 4, 4); // 4/10 again
    expect(b.state).toBe('closed');
    b.onResult(1, 0.01, true); // 5/10
    expect(b.state).toBe('open');
  });

  it('time window: results older than `size` seconds are forgotten', () => {
    const b = new CircuitBreaker(spec({ window: { kind: 'time', size: 10 }, minCalls: 10 }));
    feed(b, 0.5, 9, 9); // second 0
    // At t = 10.2 the window covers seconds 1..10: the 9 failures are gone.
    feed(b, 10.2, 9, 0);
    b.onResult(10.2, 0.01, true);
    expect(b.state).toBe('closed'); // 1/10 failed

    const c = new CircuitBreaker(spec({ window: { kind: 'time', size: 10 }, minCalls: 10 }));
    feed(c, 0.5, 9, 9);
    c.onResult(9.9, 0.01, false); // second 9 is still in a window that started at second 0
    expect(c.state).toBe('open');
  });
});

describe('open → half-open → closed | open', () => {
  it('refuses calls until openFor has elapsed, then lets halfOpenCalls probes through', () => {
    const b = new CircuitBreaker(spec({ openFor: 5, halfOpenCalls: 3 }));
    trip(b, 10, 10);
    expect(b.tryAcquire(12)).toBe(false);
    expect(b.tryAcquire(15)).toBe(false); // resilience4j: strictly after the wait
    expect(b.stateValue(14)).toBe(1);
    expect(b.stateValue(15.001)).toBe(0.5); // what the next call will find
    expect(b.state).toBe('open'); // no automatic transition
    expect(b.tryAcquire(15.001)).toBe(true);
    expect(b.state).toBe('half-open');
    expect(b.tryAcquire(15.002)).toBe(true);
    expect(b.tryAcquire(15.003)).toBe(true);
    expect(b.tryAcquire(15.004)).toBe(false); // permits beyond halfOpenCalls are refused
    expect(b.tryAcquire(99)).toBe(false);
    expect(b.transitions).toBe(2);
  });

  it('closes when the probes succeed, with an empty window', () => {
    const b = new CircuitBreaker(spec({ halfOpenCalls: 3 }));
    trip(b, 0, 10);
    for (let i = 0; i < 3; i++) expect(b.tryAcquire(6)).toBe(true);
    b.onResult(6.1, 0.01, false);
    b.onResult(6.1, 0.01, true); // 1 of 2: no verdict before halfOpenCalls results
    expect(b.state).toBe('half-open');
    b.onResult(6.1, 0.01, false); // 1/3 < 50%
    expect(b.state).toBe('closed');
    expect(b.stateValue(6.1)).toBe(0);
    expect(b.transitions).toBe(3);
    // The old failures are gone: 9 failures are not yet minCalls results.
    feed(b, 7, 9, 9);
    expect(b.state).toBe('closed');
  });

  it('re-opens when the probes fail, and waits openFor again', () => {
    const b = new CircuitBreaker(spec({ halfOpenCalls: 3, openFor: 5 }));
    trip(b, 0, 10);
    for (let i = 0; i < 3; i++) b.tryAcquire(6);
    b.onResult(6.2, 0.01, true);
    b.onResult(6.2, 0.01, false);
    b.onResult(6.2, 0.01, true); // 2/3 failed
    expect(b.state).toBe('open');
    expect(b.tryAcquire(11)).toBe(false);
    expect(b.tryAcquire(11.3)).toBe(true);
  });

  it('decides after min(minCalls, halfOpenCalls) probe results, as resilience4j does', () => {
    const b = new CircuitBreaker(spec({ minCalls: 2, halfOpenCalls: 5, window: { kind: 'count', size: 2 } }));
    feed(b, 0, 2, 2);
    expect(b.state).toBe('open');
    b.tryAcquire(6);
    b.onResult(6, 0.01, false);
    expect(b.state).toBe('half-open');
    b.onResult(6, 0.01, false);
    expect(b.state).toBe('closed');
  });

  it('ignores results that arrive while open; counts late closed-state calls as probes', () => {
    const b = new CircuitBreaker(spec({ halfOpenCalls: 2 }));
    trip(b, 0, 10);
    feed(b, 1, 50, 0); // in-flight closed-state calls answering while open
    expect(b.state).toBe('open');
    b.tryAcquire(6);
    b.onResult(6, 0.01, true); // a straggler from the closed state, counted as a probe
    b.onResult(6, 0.01, true);
    expect(b.state).toBe('open');
  });

  it('a released half-open permit can be taken again', () => {
    const b = new CircuitBreaker(spec({ halfOpenCalls: 1 }));
    trip(b, 0, 10);
    expect(b.tryAcquire(6)).toBe(true);
    expect(b.tryAcquire(6)).toBe(false);
    b.releasePermission();
    expect(b.tryAcquire(6)).toBe(true);
  });
});

describe('transitions', () => {
  const legal = new Set(['closed->open', 'open->half-open', 'half-open->closed', 'half-open->open']);
  type Op = { kind: 'acquire'; dt: number } | { kind: 'result'; dt: number; failed: boolean; slow: boolean };
  const op: fc.Arbitrary<Op> = fc.oneof(
    fc.record({ kind: fc.constant('acquire' as const), dt: fc.double({ min: 0, max: 3, noNaN: true }) }),
    fc.record({
      kind: fc.constant('result' as const),
      dt: fc.double({ min: 0, max: 0.5, noNaN: true }),
      failed: fc.boolean(),
      slow: fc.boolean(),
    }),
  );
  const config = fc.record({
    failureRate: fc.double({ min: 0.05, max: 1, noNaN: true }),
    slowCall: fc.option(fc.record({ over: fc.constant(0.3), rate: fc.double({ min: 0.05, max: 1, noNaN: true }) })),
    window: fc.oneof(
      fc.record({ kind: fc.constant('count' as const), size: fc.integer({ min: 1, max: 20 }) }),
      fc.record({ kind: fc.constant('time' as const), size: fc.integer({ min: 1, max: 10 }) }),
    ),
    minCalls: fc.integer({ min: 1, max: 20 }),
    openFor: fc.double({ min: 0, max: 5, noNaN: true }),
    halfOpenCalls: fc.integer({ min: 1, max: 5 }),
  });

  it('only legal transitions, one counted per state change, never more probes than permits (seed 42)', () => {
    fc.assert(
      fc.property(config, fc.array(op, { maxLength: 300 }), (cfg, ops) => {
        const b = new CircuitBreaker(cfg);
        let now = 0;
        let changes = 0;
        let granted = 0;
        for (const o of ops) {
          now += o.dt;
          const before: BreakerStateName = b.state;
          let ok = false;
          if (o.kind === 'acquire') {
            ok = b.tryAcquire(now);
            if (before === 'closed') expect(ok).toBe(true);
            if (before === 'open' && b.state === 'open') expect(ok).toBe(false);
          } else {
            b.onResult(now, o.slow ? 0.5 : 0.1, o.failed);
          }
          const after: BreakerStateName = b.state;
          if (after !== before) {
            changes++;
            expect(legal.has(`${before}->${after}`)).toBe(true);
            granted = 0;
          }
          if (ok && after === 'half-open') granted++;
          expect(granted).toBeLessThanOrEqual(cfg.halfOpenCalls);
          expect(b.transitions).toBe(changes);
        }
      }),
      { seed: 42 },
    );
  });
});
