/**
 * invariants.ts: the state check finds nothing wrong in a consistent state,
 * allows the workers a capacity fault may add, names what broke and where,
 * and notices time going back; the conservation audit balances each
 * client's and each service's books from a run's series. (How a run turns a
 * violation into InvariantBroken is in run.test.ts.)
 */
import { describe, expect, it } from 'vitest';
import { auditConservation, stateChecker } from '../../sim/engine/invariants.js';
import { RunStepper } from '../../sim/engine/run.js';
import type { Fault } from '../../sim/scenario/types.js';
import { constant, poissonClient, scenario, service } from '../helpers/build.js';
import { engineFor, request } from '../helpers/engine.js';

function busyApi(faults: Fault[] = []) {
  const { eng } = engineFor(
    scenario({
      clients: [poissonClient('users', 'api', 1)],
      services: [service('api', { instances: 2, workers: 2, serviceTime: constant(1) })],
      faults,
    }),
  );
  for (let i = 0; i < 6; i++) request(eng);
  return eng;
}

describe('stateChecker', () => {
  it('finds nothing wrong in a consistent state', () => {
    const eng = busyApi();
    expect([eng.services[0]!.busy, eng.services[0]!.queued]).toEqual([4, 2]);
    expect(stateChecker(eng)(0)).toEqual([]);
  });

  it('names a total that disagrees with its replicas, and more busy workers than could ever exist', () => {
    const eng = busyApi();
    eng.services[0]!.busy = 9;
    expect(stateChecker(eng)(0)).toEqual([
      { component: 'api', detail: 'holding a worker 9 differs from the sum over its 2 replicas (4)' },
      { component: 'api', detail: 'inside 6 differs from waiting 2 + holding a worker 9' },
      { component: 'api', detail: 'holding a worker 9 is above workers 2 x replicas 2 (retired ones included)' },
    ]);
  });

  it('allows the workers a capacity fault can add', () => {
    const eng = busyApi([{ kind: 'capacity', target: 'api', at: 0, for: 1, instances: 0, workers: 3 }]);
    const s = eng.services[0]!;
    s.instances[0]!.busy += 5;
    s.busy += 5;
    s.inside += 5;
    expect(stateChecker(eng)(0)).toEqual([]);
  });

  it('notices time going back between two checks', () => {
    const check = stateChecker(busyApi());
    expect(check(12.5)).toEqual([]);
    expect(check(12.5)).toEqual([]);
    expect(check(3)).toEqual([{ component: 'clock', detail: 'time went back from t=12.5 s to t=3 s' }]);
  });
});

describe('auditConservation', () => {
  it('balances what came in against what went out and what is still inside, per client and per service', () => {
    const s = new RunStepper(
      scenario({ duration: 20, clients: [poissonClient('users', 'api', 5)], services: [service('api', { serviceTime: constant(0.5) })] }),
    );
    while (s.advance());
    const series = s.finish().series;
    const checks = auditConservation(s.engine, series);
    expect(checks.map((c) => [c.component, c.ok])).toEqual([
      ['users', true],
      ['api', true],
    ]);
    expect(checks[1]!.detail).toMatch(
      /^arrivals (\d+) = completed \d+ \+ errors 0 \+ rejected 0 \+ expired 0 \+ inside \d+ \(waiting \d+, holding a worker [01]\)$/,
    );
    s.engine.services[0]!.inside += 1;
    expect(auditConservation(s.engine, series)[1]!.ok).toBe(false);
  });
});
