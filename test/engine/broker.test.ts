/**
 * Brokers in whole runs, against cases worked out by hand (SQS semantics:
 * visibility timeout, receipts, maxReceiveCount, redelivery delay,
 * retention), each run also checked for conservation.
 */
import { describe, expect, it } from 'vitest';
import { RunAborted, runScenario, type RunResult } from '../../sim/engine/run.js';
import { simulate } from '../../sim/simulate.js';
import type { Broker, Client, RateProfile, Service } from '../../sim/scenario/types.js';
import { broker, constant, scenario, service, total } from '../helpers/build.js';
import { assertConserves } from '../helpers/contracts.js';

/** A producer publishing evenly at `rate` per second from t = 0 until `until`. */
function producer(rate: number, until: number): Client {
  const profile: RateProfile = {
    kind: 'steps',
    steps: [
      { at: 0, rate },
      { at: until, rate: 0 },
    ],
  };
  return {
    name: 'producer',
    target: 'jobs',
    arrival: { kind: 'constant', rate: profile },
    timeout: null,
    network: null,
    retry: null,
    breaker: null,
    rateLimit: null,
  };
}

/** One message, published at t = 1 (the first even arrival at 1/s), to a broker `jobs` consumed by `worker`. */
function run(b: Partial<Broker>, concurrency: number, worker: Partial<Service>, client = producer(1, 1.5), duration = 20): RunResult {
  const sc = scenario({
    duration,
    clients: [client],
    services: [service('worker', worker)],
    brokers: [broker('jobs', 'worker', concurrency, b)],
  });
  return assertConserves(() => runScenario(sc));
}

function last(r: RunResult, name: string): number {
  const s = r.series.series.find((x) => x.name === name);
  if (s?.kind !== 'stock') throw new Error(`no stock ${name}`);
  return s.last;
}

const counts = (r: RunResult, ...names: string[]): number[] => names.map((n) => total(r, n));

describe('broker', () => {
  it('a message processed within its visibility timeout is received once and deleted; the producer is acknowledged at once', () => {
    const r = run({ visibilityTimeout: 1 }, 1, { serviceTime: constant(0.5) });
    expect(counts(r, 'jobs.published', 'jobs.received', 'jobs.redelivered', 'jobs.acked', 'worker.completed', 'worker.duplicates')).toEqual(
      [1, 1, 0, 1, 1, 0],
    );
    expect(counts(r, 'producer.offered', 'producer.goodput')).toEqual([1, 1]);
  });

  it('processing longer than the visibility timeout: redelivered each second, dead-lettered at maxReceiveCount, every copy processed', () => {
    // Published and received at t=1 (in flight until 2); visible again at 2 and 3, received again each time;
    // at 4 the first delivery finishes with receipt 1, which is no longer the latest (nothing deleted), then the
    // message is visible again with 3 receives: the next receive moves it to the dead-letter queue.
    const r = run({ visibilityTimeout: 1, maxReceiveCount: 3 }, 10, { workers: Infinity, serviceTime: constant(3) });
    expect(counts(r, 'jobs.received', 'jobs.redelivered', 'jobs.acked', 'jobs.deadLettered')).toEqual([3, 2, 0, 1]);
    expect(counts(r, 'worker.completed', 'worker.duplicates')).toEqual([3, 2]);
    expect([last(r, 'jobs.visible'), last(r, 'jobs.inFlight')]).toEqual([0, 0]);
  });

  it('without maxReceiveCount there is no dead-letter queue: the message is redelivered to the end of the run', () => {
    // Received at 1, 2, ..., 19 (the run ends at 20): 19 receives; deliveries end 3 s after each, so those received by 16 complete.
    const r = run({ visibilityTimeout: 1 }, 100, { workers: Infinity, serviceTime: constant(3) });
    expect(counts(r, 'jobs.received', 'jobs.redelivered', 'jobs.acked', 'jobs.deadLettered')).toEqual([19, 18, 0, 0]);
    expect(counts(r, 'worker.completed', 'worker.duplicates')).toEqual([16, 15]);
  });

  it('a late delete with the latest receipt deletes a message that is visible again but not received since', () => {
    // One consumer, busy with the message from 1 to 2.5; at 2 the message is visible again but no consumer is
    // free; at 2.5 the delete names receipt 1, still the latest: the message is gone, never redelivered.
    const r = run({ visibilityTimeout: 1 }, 1, { serviceTime: constant(1.5) });
    expect(counts(r, 'jobs.received', 'jobs.redelivered', 'jobs.acked')).toEqual([1, 0, 1]);
    expect(last(r, 'jobs.visible')).toBe(0);
  });

  it('a failed delivery waits out the visibility timeout, or only the redelivery delay, holding no consumer', () => {
    // Every delivery fails after 0.1 s. Without a delay: received at 1, visible again at 31, after the run.
    const slow = run({ visibilityTimeout: 30, maxReceiveCount: 3 }, 1, { serviceTime: constant(0.1), errorRate: 1 });
    expect(counts(slow, 'jobs.received', 'jobs.deadLettered')).toEqual([1, 0]);
    expect(last(slow, 'jobs.inFlight')).toBe(1);
    // With a 2 s delay: received at 1, 3.1 and 5.2, failing at 1.1, 3.2 and 5.3; dead-lettered at 7.3.
    // Delayed over [1.1, 3.1], [3.2, 5.2] and [5.3, 7.3]: per 1 s bucket 0, 0.9, 1, 0.1 + 0.8, 1, 0.2 + 0.7, 1, 0.3.
    const fast = run({ visibilityTimeout: 30, maxReceiveCount: 3, redeliveryDelay: 2 }, 1, { serviceTime: constant(0.1), errorRate: 1 });
    expect(counts(fast, 'jobs.received', 'jobs.redelivered', 'jobs.deadLettered', 'worker.errors')).toEqual([3, 2, 1, 3]);
    const delayed = fast.series.series.find((x) => x.name === 'jobs.delayed');
    expect(delayed?.kind === 'stock' ? Array.from(delayed.mean.slice(0, 8)).map((v) => Math.round(v * 10) / 10) : []).toEqual([
      0, 0.9, 1, 0.9, 1, 0.9, 1, 0.3,
    ]);
  });

  it('a consumer freed by a failure takes the next message at once', () => {
    // Two messages (t=0.5 and 1), one consumer; deliveries fail after 0.1 s with a 10 s delay. Message 1 is
    // received at 0.5 and given back at 0.6; message 2 is received at 1 without waiting for it.
    const r = run({ redeliveryDelay: 10, maxReceiveCount: 1 }, 1, { serviceTime: constant(0.1), errorRate: 1 }, producer(2, 1.2), 5);
    expect(counts(r, 'jobs.published', 'jobs.received')).toEqual([2, 2]);
    expect(last(r, 'jobs.delayed')).toBe(2);
  });

  it('messages older than retention are dropped from the front of the queue, unreceived', () => {
    // Published every 0.25 s from 0.25 to 9.75 (39 messages); the one consumer holds the first (received at
    // 0.25) past the end. At the last publish (9.75), those published by 4.75 (18 of them) are past 5 s of age.
    const r = run({ visibilityTimeout: 100, retention: 5 }, 1, { serviceTime: constant(100) }, producer(4, 9.9));
    expect(counts(r, 'jobs.published', 'jobs.received', 'jobs.dropped')).toEqual([39, 1, 18]);
    expect([last(r, 'jobs.visible'), last(r, 'jobs.inFlight'), last(r, 'jobs.oldestAge')]).toEqual([20, 1, 4.75]);
  });

  it('order: newest serves the newest message first, so the oldest waits and ages', () => {
    // One consumer taking 1 s per message, messages every 0.25 s for 10 s: FIFO serves them in order, and the
    // age of the front message grows by 0.75 s a second; newest-first leaves the first messages at the front.
    const oldest = run({}, 1, { serviceTime: constant(1) }, producer(4, 9.9), 12);
    const newest = run({ order: 'newest' }, 1, { serviceTime: constant(1) }, producer(4, 9.9), 12);
    expect(total(oldest, 'jobs.acked')).toBe(total(newest, 'jobs.acked'));
    expect(last(newest, 'jobs.oldestAge')).toBeGreaterThan(last(oldest, 'jobs.oldestAge'));
  });

  it('a broker backlog that keeps growing is a stock of the verdict: overloaded, named in the growing stock', () => {
    // 4 messages a second against 2 consumers taking 1 s each: the queue grows by 2 a second.
    const sc = scenario({
      duration: 60,
      clients: [producer(4, 1000)],
      services: [service('worker', { workers: 2, serviceTime: constant(1) })],
      brokers: [broker('jobs', 'worker', 2)],
    });
    const v = simulate(sc).summary.verdict;
    expect(v.kind).toBe('overloaded');
    expect(v.growing?.series).toBe('jobs.visible');
  });

  it('stops with RunAborted when a broker holds as many messages as --max-inflight allows requests', () => {
    // 4 a second against one consumer stuck on its first message: 100 held after the publish at 25 s; the next, at 25.25 s, stops the run.
    const sc = scenario({
      duration: 60,
      clients: [producer(4, 1000)],
      services: [service('worker', { serviceTime: constant(100) })],
      brokers: [broker('jobs', 'worker', 1)],
    });
    expect(() => runScenario(sc, { maxInflight: 100 })).toThrow(RunAborted);
    expect(() => runScenario(sc, { maxInflight: 100 })).toThrow(/messages held by broker jobs passed 100 \(--max-inflight\) at t=25.3 s/);
  });
});
