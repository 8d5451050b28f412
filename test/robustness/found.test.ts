/**
 * Engine bugs the robustness properties found, each minimised to a scenario
 * small enough to read. Every test states the behaviour the contract asks
 * for; all of them hold. A new bug gets its test here, as `it.fails` while it
 * is open (vitest then passes while the bug is there and fails once it is
 * fixed: turn it into `it`). The property tests are never fenced off a bug.
 * Replay any of them with `loopsim run` on the YAML shown.
 */
import { describe, expect, it } from 'vitest';
import { formatTimeseriesCsv, seriesValues } from '../../sim/metrics/csv.js';
import { formatIssues, parseScenario } from '../../sim/scenario/parse.js';
import type { NormalizedScenario } from '../../sim/scenario/types.js';
import { simulate } from '../../sim/simulate.js';

function parse(text: string): NormalizedScenario {
  const r = parseScenario(text, 'found.yaml');
  if (!r.ok) throw new Error(formatIssues(r.issues));
  return r.value;
}

function sum(xs: ArrayLike<number>): number {
  let t = 0;
  for (let i = 0; i < xs.length; i++) t += xs[i] as number;
  return t;
}

describe('found by the robustness properties', () => {
  // sim/engine/model/autoscaler.ts sizes its sample rings as ceil(lag / period) + 3 and
  // ceil(scaleDownStabilization / period) + 2 up front. A long lag or window over a short
  // period asks for more than 2^32 slots and throws; 15 s of lag at a 1 µs period already
  // allocates gigabytes and takes seconds before the first event.
  it('autoscaler preallocates: a 10^7 s lag over a 1 ms period runs', () => {
    const sc = parse(`
duration: 1s
clients:
  users: { target: api, arrival: { kind: constant, rate: 10 } }
services:
  api:
    serviceTime: 1ms
    autoscale: { metric: utilization, target: 0.5, max: 4, period: 1ms, lag: 1e7 }
`);
    expect(() => simulate(sc)).not.toThrow();
  });

  // sim/engine/model/dist.ts drew an Erlang as -ln(product of k uniforms) x mean / k. For k above
  // about 745 the product underflowed to 0 and every draw was Infinity: the work never completed.
  // (Erlangs are now sums of exponential phases; the case stays pinned.)
  it('erlang with many phases: k = 1000, mean 10 ms serves in about 10 ms', () => {
    const sc = parse(`
duration: 2s
clients:
  users: { target: api, arrival: { kind: constant, rate: 10 } }
services:
  api:
    workers: unlimited
    serviceTime: { dist: erlang, k: 1000, mean: 10ms }
`);
    const res = simulate(sc);
    expect(res.summary.metrics['api.completed']?.mean).toBeGreaterThan(5);
    expect((res.summary.metrics['api.latency'] as { mean: number }).mean).toBeCloseTo(0.01, 2);
  });

  // sim/engine/run.ts names every edge `caller->callee`, so two calls from one service to the
  // same service declare each edge metric twice. summary.json keeps the second (object keys),
  // timeseries.csv writes the name twice with the first one's values (seriesValues finds the
  // first), and an expectation measures the first.
  it('two calls to the same service: every metric name appears once', () => {
    const sc = parse(`
duration: 2s
clients:
  users: { target: api, arrival: { kind: constant, rate: 10 } }
services:
  api:
    serviceTime: 1ms
    calls:
      - { to: db, probability: 0 }
      - { to: db }
  db:
    serviceTime: 1ms
`);
    const res = simulate(sc);
    const header = formatTimeseriesCsv(res.series).split('\n')[0]?.split(',') ?? [];
    expect(header.filter((c) => c === 'api->db.calls')).toHaveLength(1);
    // Whatever the naming, what summary.json says and what the CSV column holds must agree.
    const csvCalls = sum(seriesValues(res.series, 'api->db.calls') ?? []);
    expect(res.summary.metrics['api->db.calls']?.mean).toBeCloseTo(csvCalls / 2, 6);
  });

  // sim/engine/model/scaling.ts (now handlers/autoscaling.ts) passed the HPA `provisioned() - faultInstances` as the current
  // replica count. provisioned() is clamped at 0, so a capacity fault that removes more
  // instances than exist (here -5 of 2) makes the HPA see 5 replicas: it scales to max
  // (desired 4) while the service idles at 1% utilization.
  it('capacity fault beyond the instance count: the HPA keeps seeing 2 replicas', () => {
    const sc = parse(`
duration: 60s
clients:
  users: { target: api, arrival: { kind: constant, rate: 10 } }
services:
  api:
    instances: 2
    workers: 10
    serviceTime: 10ms
    autoscale: { metric: utilization, target: 0.5, min: 2, max: 4, period: 5s, lag: 0, warmup: 0 }
faults:
  - { kind: capacity, target: api, at: 10s, for: 20s, instances: -5 }
`);
    const res = simulate(sc);
    const desired = seriesValues(res.series, 'api.desired.max') ?? new Float64Array();
    expect(Math.max(...desired)).toBe(2);
  });

  // sim/engine/engine.ts schedules a constant-rate client's next arrival 1 / rate ahead and
  // only looks at the rate again when that arrival fires. A rate that rises while an arrival
  // is pending (a step, or a traffic fault) is ignored until then: here the next arrival
  // after t = 0 is due at t = 100 s, so the step to 100/s at t = 1 s never shows (first arrival at 1 / rate, not 0).
  it('constant arrivals follow a rate step up: 0.01/s then 100/s from 1 s gives about 900 operations in 10 s', () => {
    const sc = parse(`
duration: 10s
clients:
  users:
    target: api
    arrival: { kind: constant, rate: [{ at: 0s, rate: 0.01 }, { at: 1s, rate: 100 }] }
services:
  api:
    serviceTime: 1ms
`);
    const res = simulate(sc);
    expect(sum(seriesValues(res.series, 'users.offered') ?? [])).toBeGreaterThan(850);
  });

  // sim/engine/engine.ts (countDuplicate) marks a service as done for the whole operation
  // the first time any request of the operation completes there. An operation whose call
  // tree visits a service twice by design (a diamond a -> b -> d, a -> c -> d; or two calls
  // to d) counts every second visit as a duplicate, with no retry anywhere.
  it('duplicates come only from retries: a diamond a -> b, c -> d without retries has none', () => {
    const sc = parse(`
duration: 5s
clients:
  users: { target: a, arrival: { kind: constant, rate: 10 } }
services:
  a: { workers: unlimited, serviceTime: 1ms, calls: [{ to: b }, { to: c }] }
  b: { workers: unlimited, serviceTime: 1ms, calls: [{ to: d }] }
  c: { workers: unlimited, serviceTime: 1ms, calls: [{ to: d }] }
  d: { workers: unlimited, serviceTime: 1ms }
`);
    const res = simulate(sc);
    expect(res.summary.metrics['users.retries']?.mean).toBe(0);
    expect(res.summary.metrics['d.duplicates']?.mean).toBe(0);
  });

  it('constant arrivals follow a traffic fault: 0.01/s x 10^4 for 5 s gives about 500 operations', () => {
    const sc = parse(`
duration: 10s
clients:
  users: { target: api, arrival: { kind: constant, rate: 0.01 } }
services:
  api:
    serviceTime: 1ms
faults:
  - { kind: traffic, target: users, at: 1s, for: 5s, multiply: 10000 }
`);
    const res = simulate(sc);
    expect(sum(seriesValues(res.series, 'users.offered') ?? [])).toBeGreaterThan(450);
  });
});
