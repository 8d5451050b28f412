import { describe, expect, it } from 'vitest';
import { faultLabel, faultPhrase } from '../../reports/fault-text.js';
import { formatDuration, formatNumber, formatPercent, groupThousands } from '../../reports/format.js';
import { describeDamage, describeOscillation, describeVerdict } from '../../reports/verdict-text.js';
import type { Verdict } from '../../sim/metrics/verdict.js';
import type { Fault } from '../../sim/scenario/types.js';
import { makeScenario } from './fixtures.js';

const spike: Fault = { kind: 'latency', target: 'gateway', at: 60, for: 20, add: 0.2, multiply: 1 };

const base: Verdict = {
  kind: 'metastable',
  recoverySeconds: null,
  unaffected: false,
  reason: '',
  faultsEnd: 80,
  watchedSeconds: 120,
  holdSeconds: 10,
  reference: { from: 10, to: 60 },
  clients: [{ name: 'users', reference: 700, threshold: 665, atEnd: 84, fractionAtEnd: 0.12 }],
  services: [{ name: 'gateway', referenceP99: 12, limit: 24, atEnd: 4000 }],
  queue: null,
  baselineQueue: null,
  stocks: [],
  backlog: null,
  growing: null,
  drain: null,
  damage: null,
  oscillation: null,
};

const scenario = makeScenario([spike]);

describe('describeVerdict', () => {
  it('names the fault, how long the run watched and how far goodput still is from its level', () => {
    expect(describeVerdict(base, scenario)).toBe(
      'Metastable: 120 s after the latency spike on gateway (+200ms for 20s) ended, goodput of users is still 12% of its pre-fault level.',
    );
  });

  it('falls back to the in-flight count when goodput is back', () => {
    const v = { ...base, clients: [{ ...base.clients[0]!, atEnd: 700, fractionAtEnd: 1 }] };
    expect(describeVerdict(v, scenario)).toBe(
      'Metastable: 120 s after the latency spike on gateway (+200ms for 20s) ended, gateway still holds 4,000 requests in flight (before the fault: 12 at p99).',
    );
  });

  it('says when the run was too short to judge', () => {
    expect(describeVerdict({ ...base, watchedSeconds: 4 }, scenario)).toMatch(/only 4 s after .* less than the 10 s hold/);
  });

  it('gives the recovery time', () => {
    const v: Verdict = { ...base, kind: 'recovered', recoverySeconds: 14 };
    expect(describeVerdict(v, scenario)).toBe(
      'Recovered: 14 s after the latency spike on gateway (+200ms for 20s) ended, goodput and in-flight requests were back to their pre-fault level.',
    );
  });

  it('describes the fault-free kinds from the queue trend', () => {
    const queue = {
      median: 3,
      last: 12400,
      bound: 100,
      slope: 40,
      firstQuarterMax: 10,
      lastQuarterMin: 9000,
      overloadedBy: 'endAboveBound' as const,
    };
    const none = { ...base, faultsEnd: null, watchedSeconds: null, holdSeconds: null, reference: null, clients: [], services: [], queue };
    const noFaults = makeScenario([]);
    expect(describeVerdict({ ...none, kind: 'overloaded' }, noFaults)).toMatch(/^Overloaded: .* ended at 12,400 requests waiting/);
    const calm = { ...none, kind: 'stable' as const, queue: { ...queue, last: 2, overloadedBy: null } };
    expect(describeVerdict(calm, noFaults)).toBe(
      'Stable: no fault was injected, and the total queue did not grow (it ended at 2 requests waiting).',
    );
  });
});

describe('the diagnosis in words', () => {
  it('gives the drain rate and the time to clear of a draining run', () => {
    const v: Verdict = { ...base, kind: 'draining', drain: { perSecond: 52.5, clearsInSeconds: 290, series: 'gateway.inflight' } };
    expect(describeVerdict(v, scenario)).toBe(
      'Draining: 120 s after the latency spike on gateway (+200ms for 20s) ended, the backlog is not cleared yet but shrinking by 52.5/s (gateway.inflight); at this pace it is cleared about 290 s after the run ends.',
    );
  });

  it('names the stock that piled up when a fault-free run is overloaded outside the queues', () => {
    const queue = { median: 0, last: 0, bound: 100, slope: 0, firstQuarterMax: 0, lastQuarterMin: 0, overloadedBy: null };
    const v: Verdict = {
      ...base,
      kind: 'overloaded',
      faultsEnd: null,
      watchedSeconds: null,
      holdSeconds: null,
      reference: null,
      clients: [],
      services: [],
      queue,
      backlog: { ...queue, last: 11800, overloadedBy: 'endAboveBound' },
      growing: { series: 'api->db.pool.waiting', label: 'waiting for a pool connection', peak: 11800 },
    };
    expect(describeVerdict(v, makeScenario([]))).toBe(
      'Overloaded: with no fault injected, work kept piling up through the second half of the run, most of it waiting for a pool connection (api->db.pool.waiting, up to 11,800); more work arrives than the system finishes.',
    );
  });

  it('says the damage whatever the kind: how low, how long, during which fault, how many operations', () => {
    const v: Verdict = {
      ...base,
      kind: 'recovered',
      recoverySeconds: 0,
      damage: { lostOperations: 101023, worstGoodputShare: 0.0359, secondsBelowHalf: 390, worstAt: 65, reference: 'preFault' },
    };
    const damage =
      'Goodput fell to 4% of normal and stayed below half of it for 390 s, during the latency spike on gateway (+200ms for 20s); 101,023 operations lost.';
    expect(describeDamage(v, scenario)).toBe(damage);
    expect(describeVerdict(v, scenario)).toMatch(new RegExp(`^Recovered at once: .* ${damage.replace(/[()+.]/g, '\\$&')}$`));
    const after = { ...v, damage: { ...v.damage!, worstAt: 95, secondsBelowHalf: 0, worstGoodputShare: 0.6 } };
    expect(describeDamage(after, scenario)).toBe(
      'Goodput fell to 60% of normal, after the faults ended (at 95 s); 101,023 operations lost.',
    );
    const mild = { ...v, damage: { ...v.damage!, worstGoodputShare: 0.97, lostOperations: 0, reference: 'offered' as const } };
    expect(describeDamage(mild, scenario)).toBe('Goodput never fell below 97% of the offered load.');
    expect(describeDamage(base, scenario)).toBe('');
  });

  it('under a traffic surge, measures goodput against normal for the load offered, not the pre-surge rate', () => {
    const surge = { kind: 'traffic', target: 'users', at: 60, for: 20, multiply: 2 } as const;
    const v: Verdict = {
      ...base,
      kind: 'recovered',
      recoverySeconds: 0,
      damage: { lostOperations: 22112, worstGoodputShare: 0.574, secondsBelowHalf: 0, worstAt: 74, reference: 'preFault' },
    };
    expect(describeDamage(v, makeScenario([surge]))).toBe(
      'Goodput fell to 57% of normal for the load offered, during the traffic surge from users (×2 for 20s); 22,112 operations lost.',
    );
    // After the surge (or with a traffic cut), normal is the pre-fault rate again.
    expect(describeDamage({ ...v, damage: { ...v.damage!, worstAt: 90 } }, makeScenario([surge]))).toMatch(
      /^Goodput fell to 57% of normal, after/,
    );
    expect(describeDamage(v, makeScenario([{ ...surge, multiply: 0.5 }]))).toMatch(/^Goodput fell to 57% of normal, during/);
  });

  it('says a run the faults did not touch was unaffected, not recovered at once', () => {
    const v: Verdict = { ...base, kind: 'recovered', recoverySeconds: 0, unaffected: true };
    expect(describeVerdict(v, scenario)).toMatch(
      /^Unaffected: from the start of the first fault until a hold after the latency spike on gateway \(\+200ms for 20s\) ended, goodput stayed within noise of its pre-fault level/,
    );
  });

  it('describes the oscillation of a controller, of load and of a breaker', () => {
    const o = (metric: string, component: string) => ({
      ...base,
      oscillation: { component, metric, periodSeconds: 375, amplitude: 15.3, cycles: 1.5 },
    });
    expect(describeOscillation(o('desired', 'web'))).toBe(
      'Oscillating: the replica count (desired) of web swings by 15.3 about every 375 s (1.5 cycles after the trigger).',
    );
    expect(describeOscillation(o('attempts', 'phones'))).toMatch(/^Oscillating: the attempts per second of phones swings by/);
    const flap = { ...base, oscillation: { component: 'api->db', metric: 'breaker', periodSeconds: 2.5, amplitude: 1, cycles: 74 } };
    expect(describeOscillation(flap)).toBe('Oscillating: the breaker on api->db opened 74 times, about every 2.5 s.');
    expect(describeOscillation(base)).toBe('');
  });
});

describe('fault text and formats', () => {
  it('labels each kind of fault', () => {
    expect(faultLabel(spike)).toBe('latency +200ms on gateway');
    expect(faultLabel({ kind: 'latency', target: 'db', at: 0, for: 1, add: 0, multiply: 3 })).toBe('latency ×3 on db');
    expect(faultLabel({ kind: 'errors', target: 'db', at: 0, for: 1, rate: 0.5 })).toBe('50% errors on db');
    expect(faultLabel({ kind: 'capacity', target: 'api', at: 0, for: 1, instances: -2, workers: 0 })).toBe('capacity −2 instances on api');
    expect(faultLabel({ kind: 'traffic', target: 'users', at: 0, for: 1, multiply: 3 })).toBe('traffic ×3 from users');
    expect(faultLabel({ kind: 'pause', target: 'api', at: 0, for: 2 })).toBe('pause of api');
    expect(faultPhrase({ kind: 'traffic', target: 'users', at: 0, for: 30, multiply: 0.5 })).toBe(
      'the traffic drop from users (×0.5 for 30s)',
    );
  });

  it('formats durations, percentages and numbers the way the scenario format writes them', () => {
    expect([0.00025, 0.25, 1.5, 90, 120, 3600].map(formatDuration)).toEqual(['250us', '250ms', '1.5s', '90s', '2m', '1h']);
    expect(formatPercent(0.125)).toBe('12.5%');
    expect([12345.6, 0.01234, 2.5, 0].map(formatNumber)).toEqual(['12,346', '0.0123', '2.5', '0']);
  });

  it('groups thousands exactly as the en-US locale does', () => {
    const cases = [0, 7, 99, 100, 999, 1000, 12345, 999999, 1000000, 20007700, 2 ** 53 - 1];
    for (const n of [...cases, ...cases.filter((x) => x > 0).map((x) => -x)]) expect(groupThousands(n)).toBe(n.toLocaleString('en-US'));
  });
});
