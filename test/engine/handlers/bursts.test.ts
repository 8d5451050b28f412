/**
 * handlers/bursts.ts: a burst all at once starts every operation at the
 * instant its window opens; a spread one schedules its operations one after
 * another, each scheduling the next.
 */
import { describe, expect, it } from 'vitest';
import { BURST_OP_DUE } from '../../../sim/engine/events.js';
import { onBurstOpDue, startBurst } from '../../../sim/engine/handlers/bursts.js';
import type { Fault } from '../../../sim/scenario/types.js';
import { constantClient, poissonClient, scenario, service } from '../../helpers/build.js';
import { drain, engineFor, setClock } from '../../helpers/engine.js';

type Burst = Fault & { kind: 'burst' };

function withBurst(f: Partial<Burst>) {
  return engineFor(
    scenario({
      clients: [poissonClient('others', 'api', 1), constantClient(1)],
      services: [service('api')],
      faults: [{ kind: 'burst', target: 'users', at: 2, for: 0, count: 3, spread: 'even', ...f }],
    }),
  );
}

describe('startBurst', () => {
  it('all at once: every operation of the client starts now, and nothing is left to schedule', () => {
    const { eng, sink } = withBurst({});
    setClock(eng, 2);
    startBurst(eng, 0);
    expect(sink.total('users.offered')).toBe(3);
    expect(sink.total('others.offered')).toBe(0);
    expect(eng.clients[1]?.open).toBe(3);
    expect(drain(eng).filter((e) => e.kind === BURST_OP_DUE)).toEqual([]);
  });

  it('spread: the first operation is scheduled at its time, and each one due schedules the next until count', () => {
    const { eng, sink } = withBurst({ for: 1.5 });
    setClock(eng, 2);
    startBurst(eng, 0);
    expect(sink.total('users.offered')).toBe(0);
    const due = (): { time: number; b: number }[] =>
      drain(eng)
        .filter((e) => e.kind === BURST_OP_DUE)
        .map((e) => ({ time: e.time, b: e.b }));
    expect(due()).toEqual([{ time: 2, b: 0 }]);
    onBurstOpDue(eng, 0, 0);
    expect(due()).toEqual([{ time: 2.5, b: 1 }]);
    onBurstOpDue(eng, 0, 1);
    expect(due()).toEqual([{ time: 3, b: 2 }]);
    onBurstOpDue(eng, 0, 2);
    expect(due()).toEqual([]);
    expect(sink.total('users.offered')).toBe(3);
  });
});
