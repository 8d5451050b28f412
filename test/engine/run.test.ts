/**
 * run.ts: the stepper behind runScenario: a run stepped in slices of any size gives
 * the same result, bit for bit, as one run to the end; and the state
 * invariants checked between slices catch a corrupted state, naming the
 * component, the simulated time and the seed, without false alarms where
 * capacity faults and retired replicas make busy workers exceed the current
 * capacity.
 */
import { describe, expect, it } from 'vitest';
import { DEFAULT_MAX_EVENTS, InvariantBroken, RunStepper, eventGuardMessage, runScenario, type RunResult } from '../../sim/engine/run.js';
import type { NormalizedScenario } from '../../sim/scenario/types.js';
import { call, exp, poissonClient, retry, scenario, service } from '../helpers/build.js';

/** Two tiers with timeouts, retries, a connection pool and a capacity fault that removes a replica and workers mid-run. */
function tiers(over: Partial<NormalizedScenario> = {}): NormalizedScenario {
  return scenario({
    duration: 30,
    seed: 3,
    clients: [poissonClient('users', 'api', 300, { timeout: 0.5, retry: retry(3) })],
    services: [
      service('api', {
        instances: 3,
        workers: 4,
        serviceTime: exp(0.005),
        calls: [call('db', { timeout: 0.2, retry: retry(2), pool: { size: 3, acquireTimeout: 0.05 } })],
      }),
      service('db', { instances: 2, workers: 4, serviceTime: exp(0.01) }),
    ],
    faults: [{ kind: 'capacity', target: 'db', at: 10, for: 5, instances: -1, workers: -2 }],
    ...over,
  });
}

/** Steps `sc` in slices of `sizes` events (cycling), each boundary checked; returns the result. */
function stepped(sc: NormalizedScenario, sizes: readonly number[], seed?: number): RunResult {
  const s = new RunStepper(sc, seed === undefined ? {} : { seed });
  for (let i = 0; s.advance(sizes[i % sizes.length]); i += 1);
  return s.finish();
}

/** What `f` throws (undefined when it returns). */
function thrown(f: () => unknown): unknown {
  try {
    f();
  } catch (e) {
    return e;
  }
  return undefined;
}

describe('RunStepper', () => {
  it('gives the result of runScenario whatever the slices, and reports progress at the same events', () => {
    const sc = tiers();
    const whole: number[] = [];
    const ref = runScenario(sc, { onProgress: (t) => whole.push(t) });
    expect(ref.events).toBeGreaterThan(30_000);
    for (const sizes of [[1], [7, 1000, 3], [ref.events - 1]]) {
      expect(JSON.stringify(stepped(sc, sizes)), String(sizes)).toBe(JSON.stringify(ref));
    }
    const sliced: number[] = [];
    const s = new RunStepper(sc, { onProgress: (t) => sliced.push(t) });
    while (s.advance(997));
    expect(sliced).toEqual(whole);
  });

  it('closedSoFar: the buckets closed so far, as the finished run has them, and asking changes nothing', () => {
    const sc = tiers();
    const ref = runScenario(sc);
    const s = new RunStepper(sc);
    const seen: number[] = [];
    while (s.advance(5000)) {
      const sofar = s.closedSoFar();
      seen.push(sofar.buckets);
      expect(sofar.duration).toBe(30);
      for (const series of sofar.series) {
        const whole = ref.series.series.find((x) => x.name === series.name);
        if (series.kind === 'stock' && whole?.kind === 'stock') expect([...series.mean]).toEqual([...whole.mean.slice(0, sofar.buckets)]);
        if (series.kind === 'rate' && whole?.kind === 'rate') expect([...series.values]).toEqual([...whole.values.slice(0, sofar.buckets)]);
      }
    }
    expect(seen.some((n) => n > 0 && n < ref.series.buckets)).toBe(true);
    expect([...seen].sort((a, b) => a - b)).toEqual(seen);
    expect(JSON.stringify(s.finish())).toBe(JSON.stringify(ref));
  });

  it('says whether events remain, and refuses to finish before the end', () => {
    const s = new RunStepper(tiers());
    expect(s.advance(10)).toBe(true);
    expect(s.events).toBe(10);
    expect(() => s.finish()).toThrow(/has not reached its end/);
    while (s.advance(100_000));
    expect(s.advance(10)).toBe(false);
    expect(s.finish().conservation.every((c) => c.ok)).toBe(true);
  });

  it('keeps every state invariant through a capacity fault that leaves more busy workers than workers x ready replicas', () => {
    // db (made slow, so its workers stay busy) drops from 2 x 4 workers to 1 x 2 at t = 10:
    // the retired replica and the extra workers finish what they hold. Checked every 20 events.
    const sc = tiers();
    const slow = { ...sc, services: sc.services.map((x) => (x.name === 'db' ? { ...x, serviceTime: exp(0.05) } : x)) };
    const s = new RunStepper(slow);
    let over = 0;
    while (s.advance(20)) {
      const db = s.engine.services[1];
      if (db !== undefined && db.busy > db.workers * db.rotation.length) over += 1;
    }
    expect(over, 'the fault did leave more busy workers than the capacity in force').toBeGreaterThan(0);
    expect(() => s.finish()).not.toThrow();
  });
});

describe('state invariants between slices', () => {
  it('a service holding more workers than it has throws InvariantBroken naming the service, the time and the seed', () => {
    const s = new RunStepper(tiers(), { seed: 11 });
    s.advance(5000);
    const api = s.engine.services[0];
    if (api === undefined) throw new Error('no api');
    api.busy = 2_000_000;
    const e = thrown(() => s.advance(1000));
    expect(e).toBeInstanceOf(InvariantBroken);
    const b = e as InvariantBroken;
    expect([b.component, b.seed, b.time]).toEqual(['api', 11, s.now]);
    expect(b.time).toBeGreaterThan(0);
    // The slice after the corruption moves the count by a few: hence \d{7} rather than 2000000.
    expect(b.detail).toMatch(
      /^holding a worker \d{7} differs from the sum over its 3 replicas \(\d+\); inside \d+ differs from waiting \d+ \+ holding a worker \d{7}; holding a worker \d{7} is above workers 4 x replicas 3 \(retired ones included\)$/,
    );
    expect(b.message).toMatch(/^loopsim broke an invariant in api at t=[\d.]+ s with seed 11: holding a worker/);
  });

  it('catch a negative queue, a pool past its size and a negative count of open operations', () => {
    const corrupt = (f: (s: RunStepper) => void): InvariantBroken => {
      const s = new RunStepper(tiers());
      s.advance(3000);
      f(s);
      const e = thrown(() => s.advance(10));
      expect(e).toBeInstanceOf(InvariantBroken);
      return e as InvariantBroken;
    };
    const q = corrupt((s) => void ((s.engine.services[1] as { queued: number }).queued = -500));
    expect(q.component).toBe('db');
    expect(q.detail).toMatch(/^waiting -\d+ is negative; /);
    const p = corrupt((s) => {
      const e = s.engine.edges[0];
      if (e === undefined || e.pools[0] === undefined) throw new Error('no pool yet');
      e.pools[0].inUse += 500;
    });
    expect(p.component).toBe('api->db');
    expect(p.detail).toMatch(/^the pool of caller replica 0 has \d+ connections in use, outside \[0, size 3\]/);
    const c = corrupt((s) => void ((s.engine.clients[0] as { open: number }).open = -500));
    expect(c.component).toBe('users');
    expect(c.detail).toMatch(/^operations open -\d+ is negative$/);
  });

  it('the end-of-run audit reports a broken conservation with the end of the run as its time', () => {
    const s = new RunStepper(tiers(), { seed: 5 });
    while (s.advance(100_000));
    (s.engine.clients[0] as { open: number }).open += 1;
    const e = thrown(() => s.finish());
    expect(e).toBeInstanceOf(InvariantBroken);
    expect(e).toMatchObject({ component: 'users', time: 30, seed: 5 });
    const m = /^offered (\d+) = goodput (\d+) \+ failures (\d+) \+ in progress (\d+)$/.exec((e as InvariantBroken).detail);
    const [offered, goodput, failures, open] = (m ?? []).slice(1).map(Number);
    expect(offered).toBe((goodput as number) + (failures as number) + (open as number) - 1);
  });
});

describe('the event guard’s message', () => {
  it('says how long the default limit takes, and how to stop sooner', () => {
    expect(eventGuardMessage(DEFAULT_MAX_EVENTS, 84.04)).toBe(
      'the run passed --max-events 1000000000 at t=84.0 s (the default: 10^9 events take from about 1.5 to 6 minutes; --max-events 1e8 stops a runaway run ten times sooner); raise the limit or shorten the run',
    );
    expect(eventGuardMessage(10_000, 2)).toBe('the run passed --max-events 10000 at t=2.0 s; raise the limit or shorten the run');
  });
});
