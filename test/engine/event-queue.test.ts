import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { EventQueue } from '../../sim/engine/event-queue.js';

/** An event as the tests schedule it: the payload words say which push it was. */
interface Scheduled {
  readonly t: number;
  readonly kind: number;
  readonly a: number;
  readonly b: number;
}

/** Pops everything; returns the events in the order they came out. */
function drain(q: EventQueue): Scheduled[] {
  const out: Scheduled[] = [];
  while (q.pop()) out.push({ t: q.now, kind: q.kind, a: q.a, b: q.b });
  return out;
}

/** A push (a time) or a pop (null). */
const op = fc.oneof(
  fc.constantFrom(0, 1, 1.5, 2, 7).map((t): number | null => t),
  fc.double({ min: 0, max: 10, noNaN: true }),
  fc.constant(null),
);

describe('EventQueue', () => {
  // The order a run depends on: by time, and events at the same time in the
  // order they were scheduled. The reference is a stable sort of what is
  // pending; pops come interleaved with pushes, the heap grows past its
  // first capacity, and slots of popped events are reused.
  it('pops by time, ties in the order they were scheduled, through growth and reuse', () => {
    fc.assert(
      fc.property(fc.array(op, { maxLength: 400 }), (ops) => {
        const q = new EventQueue(16);
        let pending: (Scheduled & { seq: number })[] = [];
        let seq = 0;
        for (const t of ops) {
          if (t === null) {
            const popped = q.pop();
            expect(popped).toBe(pending.length > 0);
            if (!popped) continue;
            pending.sort((x, y) => x.t - y.t || x.seq - y.seq);
            const want = pending.shift()!;
            expect({ t: q.now, kind: q.kind, a: q.a, b: q.b }).toEqual({ t: want.t, kind: want.kind, a: want.a, b: want.b });
          } else {
            const e = { t, kind: seq % 14, a: seq, b: 7 * seq + 1, seq };
            seq++;
            q.push(e.t, e.kind, e.a, e.b);
            pending.push(e);
          }
          expect(q.size).toBe(pending.length);
          expect(q.peekTime()).toBe(pending.length === 0 ? Infinity : Math.min(...pending.map((p) => p.t)));
        }
        pending = pending.sort((x, y) => x.t - y.t || x.seq - y.seq);
        expect(drain(q)).toEqual(pending.map(({ t, kind, a, b }) => ({ t, kind, a, b })));
      }),
      { numRuns: 300, seed: 7 },
    );
  });

  it('keeps 100,000 events at one time in the order they were scheduled', () => {
    const q = new EventQueue(16);
    for (let i = 0; i < 100_000; i++) q.push(5, 1, i, 0);
    const out = drain(q);
    expect(out).toHaveLength(100_000);
    expect(out.every((e, i) => e.a === i)).toBe(true);
  });
});
