/**
 * model/deque.ts: the waiting room of an instance: FIFO from the front, LIFO
 * from the back, growing past its capacity without losing order, also when
 * its entries wrap around the end of the buffer.
 */
import { describe, expect, it } from 'vitest';
import { Deque } from '../../../sim/engine/model/deque.js';

function contents(d: Deque): number[] {
  const out: number[] = [];
  d.forEach((x) => out.push(x));
  return out;
}

describe('Deque', () => {
  it('takes from the front (FIFO) and from the back (LIFO), and says -1 when empty', () => {
    const d = new Deque();
    for (const x of [1, 2, 3]) d.push(x);
    expect(d.peekFront()).toBe(1);
    expect(d.shift()).toBe(1);
    expect(d.pop()).toBe(3);
    expect(d.size).toBe(1);
    expect(d.shift()).toBe(2);
    expect([d.shift(), d.pop(), d.peekFront(), d.size]).toEqual([-1, -1, -1, 0]);
  });

  it('keeps its order when it grows with entries wrapped around the buffer end', () => {
    const d = new Deque(16);
    for (let i = 0; i < 12; i++) d.push(i);
    for (let i = 0; i < 10; i++) d.shift();
    for (let i = 12; i < 40; i++) d.push(i); // wraps, then grows twice
    expect(d.size).toBe(30);
    expect(contents(d)).toEqual(Array.from({ length: 30 }, (_, i) => i + 10));
    expect(d.pop()).toBe(39);
    expect(d.shift()).toBe(10);
  });
});
