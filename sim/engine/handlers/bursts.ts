/**
 * Bursts: when a burst fault's window opens, its client sends `count` extra
 * operations, each a normal one of that client (its timeout, its retries,
 * its budget), all at once or one after another at the times the burst's
 * schedule gives (model/burst.ts). The client's own arrivals go on as
 * before, untouched.
 */
import { BURST_OP_DUE } from '../events.js';
import type { BurstSchedule } from '../model/burst.js';
import type { ClientState } from '../model/client.js';
import type { EngineState } from '../state.js';
import { startExtraOp } from './clients.js';

/** The burst of fault `i` begins: every operation now when it is all at once, else the first at its time. */
export function startBurst(eng: EngineState, i: number): void {
  const b = eng.bursts.get(i);
  if (b === undefined) return;
  if (b.atOnce) {
    const c = eng.clients[b.client] as ClientState;
    for (let k = 0; k < b.count; k++) startExtraOp(eng, c);
    return;
  }
  eng.q.push(b.timeOf(0), BURST_OP_DUE, i, 0);
}

/** Operation `k` of the burst of fault `i` is due: it starts, and the next is scheduled. */
export function onBurstOpDue(eng: EngineState, i: number, k: number): void {
  const b = eng.bursts.get(i) as BurstSchedule;
  startExtraOp(eng, eng.clients[b.client] as ClientState);
  if (k + 1 < b.count) eng.q.push(b.timeOf(k + 1), BURST_OP_DUE, i, k + 1);
}
