import { describe, expect, it } from 'vitest';
import type { VerdictLoop } from '../../sim/metrics/loop-summary.js';
import { describeLoop } from '../../reports/loop-text.js';

const retry: VerdictLoop = {
  name: 'retry',
  polarity: 'reinforcing',
  path: ['payments', 'payments->gateway', 'gateway'],
  gain: 3.9,
  id: 'retry:payments->gateway',
  bottleneck: 'gateway',
  window: { from: 290, to: 300 },
  dominance: 1,
  demand: 3100,
  served: 800,
  attemptsPerOperation: 5.6,
  multiplier: 3,
};

describe('describeLoop', () => {
  it('names a self-sustaining loop, where it acts, and its figures', () => {
    expect(describeLoop(retry)).toBe(
      'Sustained by the retry loop through gateway: each operation now costs 5.6 attempts; the gateway would need 3,100/s and serves 800/s.',
    );
  });

  it('on a recovered run, says the loop held the recovery back, not that it sustained the failure', () => {
    expect(describeLoop({ ...retry, gain: 1.2 }, true)).toBe(
      'Held back by the retry loop through gateway until the recovery (gain 1.2 while it lasted): each operation now costs 5.6 attempts; the gateway would need 3,100/s and serves 800/s.',
    );
    expect(describeLoop({ ...retry, gain: 0.84 }, true)).toMatch(/^Driven by the retry loop/);
  });

  it('says when a reinforcing loop drove the failure without sustaining itself (gain below 1)', () => {
    expect(describeLoop({ ...retry, gain: 0.84, demand: 700, served: 790 })).toBe(
      'Driven by the retry loop through gateway (gain 0.84, below 1: it did not sustain itself): each operation now costs 5.6 attempts; the gateway would need 700/s and serves 790/s.',
    );
  });

  it('counts the attempts per operation a weighted route sends along the loop, and says what share that is', () => {
    expect(describeLoop({ ...retry, attemptsPerOperation: 2.96, routedShare: 0.1 })).toBe(
      'Sustained by the retry loop through gateway: each operation routed this way (10% of them) now costs 2.96 attempts; the gateway would need 3,100/s and serves 800/s.',
    );
  });

  it('words the other loops after what they carry', () => {
    expect(describeLoop({ ...retry, name: 'hedge', id: 'hedge:payments->gateway', multiplier: 1.8, attemptsPerOperation: null })).toBe(
      'Sustained by the hedge loop through gateway: each call now sends 1.8 copies, hedges sent while gateway answers later than the delay; the gateway would need 3,100/s and serves 800/s.',
    );
    expect(
      describeLoop({ ...retry, name: 'degradation', path: ['orders'], bottleneck: 'orders', multiplier: 2.94, demand: 915, served: 433 }),
    ).toBe(
      'Sustained by the degradation loop in orders: each request now holds a worker 2.94× as long as before; the orders would need 915/s and serves 433/s.',
    );
    expect(
      describeLoop({
        ...retry,
        name: 'pool',
        path: ['orders', 'orders->inventory.pool', 'inventory'],
        bottleneck: 'orders->inventory.pool',
        demand: 980,
        served: 689,
      }),
    ).toBe(
      'Sustained by the pool loop through the pool of orders->inventory: callers want 980 calls/s through orders->inventory.pool, which carries 689/s, and the calls waiting for a connection hold their workers.',
    );
    expect(
      describeLoop({
        ...retry,
        name: 'autoscaler',
        polarity: 'balancing',
        path: ['web', 'web.autoscaler'],
        bottleneck: 'web',
        gain: 1.5,
        demand: 8,
        served: 20,
      }),
    ).toBe('Shaped by the balancing autoscaler loop on web (gain 1.5): it asks for 20 replicas where the load needs 8.');
  });

  it("words a client's redelivery as resent operations and a broker's as deliveries", () => {
    const redelivery: VerdictLoop = {
      ...retry,
      name: 'redelivery',
      path: ['app', 'app->api', 'api'],
      id: 'redelivery:app->api',
      bottleneck: 'api',
      attemptsPerOperation: 4.02,
      demand: 4020,
      served: 1577,
    };
    const evidence = 'now reaches api 4.02 times, resends of work already done included; the api would need 4,020/s and serves 1,577/s.';
    expect(describeLoop(redelivery, false, { brokers: [] })).toBe(
      `Sustained by the redelivery loop through api: each operation ${evidence}`,
    );
    const jobs = { brokers: [{ name: 'app' }] } as unknown as Parameters<typeof describeLoop>[2];
    expect(describeLoop(redelivery, false, jobs)).toBe(`Sustained by the redelivery loop through api: each delivery ${evidence}`);
  });

  it("says a breaker open all along leaves its callee idle, with no gain to measure, rather than 'serves 0/s'", () => {
    const breaker: VerdictLoop = {
      ...retry,
      name: 'breaker',
      polarity: 'balancing',
      path: ['storefront', 'storefront->pricing.breaker', 'pricing'],
      id: 'breaker:storefront->pricing',
      bottleneck: 'pricing',
      gain: 0,
      demand: 674,
      served: 0,
    };
    expect(describeLoop(breaker, true)).toBe(
      'Shaped by the balancing breaker loop through pricing: closed, it would send 674/s to pricing; open, it leaves pricing idle, so its gain cannot be measured.',
    );
    expect(describeLoop({ ...breaker, gain: 1.4, served: 300 }, true)).toBe(
      'Shaped by the balancing breaker loop through pricing (gain 1.4): closed, it would send 674/s to pricing, which serves 300/s.',
    );
  });
});
