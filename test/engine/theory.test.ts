/**
 * The engine against queueing theory. Each run is long enough that the
 * statistical error of the measured mean is a few times smaller than the
 * tolerance; the comment beside each tolerance gives the standard error it was
 * sized from. Seeds are fixed, so these are exact regressions as well.
 */
import { describe, expect, it } from 'vitest';
import { runScenario } from '../../sim/engine/run.js';
import { constant, exp, meanLatency, meanStock, poissonClient, scenario, service, call, total } from '../helpers/build.js';

/** Erlang C: probability that an arrival waits in M/M/c with offered load a = λ/μ. */
function erlangC(c: number, a: number): number {
  let term = 1;
  let sum = 1;
  for (let k = 1; k < c; k++) {
    term *= a / k;
    sum += term;
  }
  const last = (term * a) / c;
  const top = last * (c / (c - a));
  return top / (sum + top);
}

function mm1(lambda: number, duration: number) {
  const warm = 1000;
  const r = runScenario(
    scenario({
      duration,
      sample: 100,
      clients: [poissonClient('users', 'api', lambda)],
      services: [service('api', { serviceTime: exp(1) })],
    }),
  );
  return {
    W: meanLatency(r, 'api.latency', warm / 100).mean,
    Lq: meanStock(r, 'api.queue', warm / 100),
    L: meanStock(r, 'api.inflight', warm / 100),
  };
}

describe('M/M/1', () => {
  it('rho = 0.5: W = 1/(mu - lambda) = 2, Lq = rho^2/(1 - rho) = 0.5', () => {
    // 500k customers; asymptotic std error of W is about 0.4% of W, of Lq about 1.5%.
    const { W, Lq, L } = mm1(0.5, 1_000_000);
    // Little's law on the same sample path: exact up to the few customers inside at the window's ends.
    expect(L / (0.5 * W)).toBeGreaterThan(0.99);
    expect(L / (0.5 * W)).toBeLessThan(1.01);
    expect(W).toBeGreaterThan(2 * 0.98);
    expect(W).toBeLessThan(2 * 1.02);
    expect(Lq).toBeGreaterThan(0.5 * 0.94);
    expect(Lq).toBeLessThan(0.5 * 1.06);
  });

  it('rho = 0.9: W = 10, Lq = 8.1', () => {
    // 2.7M customers; std error of W about 1.1% at rho 0.9 (variance grows as (1-rho)^-4), so 5% is > 4 sigma.
    const { W, Lq, L } = mm1(0.9, 3_000_000);
    expect(W).toBeGreaterThan(10 * 0.95);
    expect(W).toBeLessThan(10 * 1.05);
    expect(Lq).toBeGreaterThan(8.1 * 0.95);
    expect(Lq).toBeLessThan(8.1 * 1.05);
    // Little's law, L = lambda W, holds on the same run far tighter than either figure alone.
    expect(L / (0.9 * W)).toBeGreaterThan(0.99);
    expect(L / (0.9 * W)).toBeLessThan(1.01);
  });
});

describe('M/M/c (Erlang C), c = 4', () => {
  it('lambda = 3, mu = 1: Wq = C(4, 3) / (c mu - lambda)', () => {
    const r = runScenario(
      scenario({ duration: 400_000, sample: 100, clients: [poissonClient('users', 'api', 3)], services: [service('api', { workers: 4 })] }),
    );
    const Wq = erlangC(4, 3) / (4 - 3);
    const W = meanLatency(r, 'api.latency', 10).mean;
    // 1.2M customers; std error of W about 0.5%; tolerance 3%.
    expect(W / (Wq + 1)).toBeGreaterThan(0.97);
    expect(W / (Wq + 1)).toBeLessThan(1.03);
    // Four instances of one worker behind random routing are NOT M/M/4: that is slower. (Pooling matters.)
  });
});

describe('M/M/1/K', () => {
  it('capacity 9 (K = 10), rho = 0.8: blocking = (1 - rho) rho^K / (1 - rho^(K+1))', () => {
    const rho = 0.8;
    const K = 10;
    const r = runScenario(
      scenario({
        duration: 500_000,
        sample: 100,
        clients: [poissonClient('users', 'api', rho)],
        services: [service('api', { queue: { capacity: 9, discipline: { kind: 'fifo' } } })],
      }),
    );
    const p = ((1 - rho) * rho ** K) / (1 - rho ** (K + 1));
    const measured = total(r, 'api.rejected') / total(r, 'api.arrivals');
    // 400k arrivals, p = 0.0235: binomial std error ~0.0002 but blocking events cluster; 5% relative.
    expect(measured / p).toBeGreaterThan(0.95);
    expect(measured / p).toBeLessThan(1.05);
  });
});

describe('M/D/1 (Pollaczek-Khinchine)', () => {
  it('lambda = 0.8, D = 1: Wq = rho / (2 mu (1 - rho)) = 2, W = 3', () => {
    const r = runScenario(
      scenario({
        duration: 1_000_000,
        sample: 100,
        clients: [poissonClient('users', 'api', 0.8)],
        services: [service('api', { serviceTime: constant(1) })],
      }),
    );
    const W = meanLatency(r, 'api.latency', 10).mean;
    // 800k customers; deterministic service halves the variance of M/M/1's; std error ~0.5%; tolerance 3%.
    expect(W).toBeGreaterThan(3 * 0.97);
    expect(W).toBeLessThan(3 * 1.03);
  });
});

describe("Little's law on a two-tier system", () => {
  it('L = lambda W at each tier and end to end', () => {
    const lambda = 50;
    const r = runScenario(
      scenario({
        duration: 20_000,
        sample: 10,
        clients: [poissonClient('users', 'api', lambda)],
        services: [
          service('api', { workers: 4, serviceTime: exp(0.02), calls: [call('db')] }),
          service('db', { workers: 2, serviceTime: exp(0.015) }),
        ],
      }),
    );
    for (const name of ['api', 'db']) {
      const L = meanStock(r, `${name}.inflight`, 10);
      const W = meanLatency(r, `${name}.latency`, 10).mean;
      // Little's law is exact on a sample path up to edge effects (a few requests at each end of 20,000 s).
      expect(L / (lambda * W)).toBeGreaterThan(0.98);
      expect(L / (lambda * W)).toBeLessThan(1.02);
    }
    // The api holds its worker while db works, so its latency includes db's.
    expect(meanLatency(r, 'api.latency').mean).toBeGreaterThan(meanLatency(r, 'db.latency').mean + 0.02 * 0.9);
  });
});

describe('response-time law (closed loop)', () => {
  it('X = N / (R + Z)', () => {
    const N = 40;
    const Z = 2;
    const r = runScenario(
      scenario({
        duration: 20_000,
        sample: 10,
        clients: [
          {
            name: 'users',
            target: 'api',
            arrival: { kind: 'closed', users: N, think: exp(Z) },
            timeout: null,
            network: null,
            retry: null,
            breaker: null,
            rateLimit: null,
          },
        ],
        services: [service('api', { workers: 2, serviceTime: exp(0.1) })],
      }),
    );
    const X = total(r, 'users.goodput') / 20_000;
    const R = meanLatency(r, 'users.latency').mean;
    // An operational law: exact up to the users still thinking or waiting at the ends of the run.
    expect(X / (N / (R + Z))).toBeGreaterThan(0.99);
    expect(X / (N / (R + Z))).toBeLessThan(1.01);
    // The server (capacity 20/s) is not the bottleneck at N/Z = 20/s, but queueing makes R well above 0.1 s.
    expect(R).toBeGreaterThan(0.1);
  });
});
