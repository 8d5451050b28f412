/**
 * tinybench micro-benchmarks of the pieces every event goes through: the
 * event heap, a random draw, a histogram record. Each iteration does OPS
 * operations, so the timer's own cost (tens of nanoseconds) stays out of the
 * figure, which is per operation.
 */
import { Bench } from 'tinybench';
import { EventQueue } from '../../sim/engine/event-queue.js';
import { createGenerator } from '../../sim/engine/rng.js';
import { LogHistogram } from '../../sim/metrics/histogram.js';

const OPS = 1000;

/** Runs the micro-benchmarks and returns their rows (name, ns per operation). */
export async function runMicro(timeMs = 300): Promise<[string, number][]> {
  const bench = new Bench({ time: timeMs });
  const g = createGenerator(1, 'bench/micro');
  const q = new EventQueue();
  // Steady state of a heap holding 1,000 pending events: one pop and one push per operation.
  for (let i = 0; i < 1000; i++) q.push(g.uniform() * 1000, 0, i, 0);
  bench.add('event heap: pop + push at 1,000 pending', () => {
    for (let i = 0; i < OPS; i++) {
      q.pop();
      q.push(q.now + g.uniform() * 1000, 0, 0, 0);
    }
  });
  let sink = 0;
  bench.add('random draw: one 32-bit uniform (Alea, one step)', () => {
    for (let i = 0; i < OPS; i++) sink += g.uniform();
  });
  bench.add('random draw: one exponential (ziggurat)', () => {
    for (let i = 0; i < OPS; i++) sink += g.exponential();
  });
  const h = new LogHistogram();
  const xs = Float64Array.from({ length: OPS }, () => g.exponential() * 0.01);
  bench.add('histogram: record one latency (batch of 1,000)', () => {
    h.recordAll(xs, OPS);
  });
  await bench.run();
  if (sink < 0) throw new Error('unreachable');
  return bench.tasks.map((t) => {
    const r = t.result;
    return [t.name, r.state === 'completed' ? (r.period * 1e6) / OPS : NaN];
  });
}
