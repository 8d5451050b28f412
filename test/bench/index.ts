/**
 * `npm run bench`: how fast the event loop runs.
 *
 * 1. tinybench micro-benchmarks of the hot path (the event heap).
 * 2. Whole runs: an M/M/1 scenario of 1,000,000 requests (lambda 0.9, mu 1.0,
 *    every metric recorded) and the retry storm of scenarios/retry-storm.yaml,
 *    reported as simulated requests per wall second and events per second.
 *
 * Wall-clock timing lives here and only here: tests never assert on time.
 */
import { Bench } from 'tinybench';
import { EventQueue } from '../../sim/engine/event-queue.js';
import { runScenario } from '../../sim/engine/run.js';
import type { NormalizedScenario } from '../../sim/scenario/types.js';

function mm1(requests: number): NormalizedScenario {
  const lambda = 0.9;
  return {
    name: 'bench-mm1',
    description: '',
    seed: 1,
    duration: requests / lambda,
    warmup: 0,
    sample: Math.max(1, Math.round(requests / lambda / 1000)),
    clients: [{ name: 'users', target: 'api', arrival: { kind: 'poisson', rate: { kind: 'steps', steps: [{ at: 0, rate: lambda }] } }, timeout: null, network: null, retry: null }],
    services: [
      {
        name: 'api',
        instances: 1,
        workers: 1,
        queue: { capacity: Infinity, discipline: { kind: 'fifo' } },
        balancer: 'roundRobin',
        serviceTime: { dist: 'exponential', mean: 1 },
        errorRate: 0,
        dropExpired: false,
        calls: [],
        autoscale: null,
        coldStart: null,
        degradation: null,
      },
    ],
    faults: [],
    expect: [],
  };
}

async function micro(): Promise<void> {
  const bench = new Bench({ time: 500 });
  const q = new EventQueue();
  let t = 0;
  // Steady state of a queue holding 1,000 pending events: one push and one pop per iteration.
  for (let i = 0; i < 1000; i++) q.push(Math.random() * 1000, 0, i, 0);
  bench.add('event heap: push + pop at 1,000 pending', () => {
    q.pop();
    t = q.now;
    q.push(t + Math.random() * 1000, 0, 0, 0);
  });
  await bench.run();
  console.table(bench.table());
}

function whole(label: string, sc: NormalizedScenario, requestsOf: (r: ReturnType<typeof runScenario>) => number): void {
  runScenario(mm1(50_000)); // warm the JIT
  const t0 = process.hrtime.bigint();
  const r = runScenario(sc);
  const secs = Number(process.hrtime.bigint() - t0) / 1e9;
  const n = requestsOf(r);
  console.log(
    `${label}: ${n.toLocaleString('en-US')} requests, ${r.events.toLocaleString('en-US')} events in ${secs.toFixed(2)} s` +
      ` = ${Math.round(n / secs).toLocaleString('en-US')} requests/s, ${Math.round(r.events / secs).toLocaleString('en-US')} events/s`,
  );
}

function totalOf(r: ReturnType<typeof runScenario>, name: string): number {
  const s = r.series.series.find((x) => x.name === name);
  return s?.kind === 'rate' ? s.total : 0;
}

await micro();
whole('M/M/1, 1M requests', mm1(1_000_000), (r) => totalOf(r, 'api.completed'));
