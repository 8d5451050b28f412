/**
 * handlers/requests.ts: a request is made, crosses the network (or arrives at
 * once when the network takes no time), its response comes back or its
 * caller's timeout fires, and its id is freed when both ends are done.
 */
import { describe, expect, it } from 'vitest';
import { REQUEST_ARRIVED, RESPONSE_ARRIVED, TIMEOUT_FIRED } from '../../../sim/engine/events.js';
import { newReq, onResponse, onTimeout, releaseIfDone, respond, send } from '../../../sim/engine/handlers/requests.js';
import { OUT_OK, OUT_REJECTED } from '../../../sim/engine/model/entities.js';
import type { Client } from '../../../sim/scenario/types.js';
import { constant, poissonClient, retry, scenario, service } from '../../helpers/build.js';
import { drain, engineFor } from '../../helpers/engine.js';

function oneTier(client: Partial<Client> = {}) {
  return engineFor(scenario({ clients: [poissonClient('users', 'api', 1, client)], services: [service('api')] }));
}

/** A request of client 0 to service 0, sent now. */
function sent(eng: ReturnType<typeof oneTier>['eng'], op = -1): number {
  const c = eng.clients[0]!;
  const r = newReq(eng, op, 0);
  eng.reqs.svc[r] = 0;
  send(eng, r, c.spec.timeout, c.network);
  return r;
}

describe('newReq', () => {
  it('resets every column a recycled id may hold and adds a reference to its operation', () => {
    const { eng } = oneTier();
    const op = eng.ops.take();
    eng.ops.refs[op] = 1;
    const r = newReq(eng, op, 0);
    eng.reqs.callerDone[r] = 1;
    eng.reqs.outcome[r] = OUT_REJECTED;
    eng.reqs.calleeDone[r] = 1;
    releaseIfDone(eng, r);
    const again = newReq(eng, op, 0);
    expect(again).toBe(r);
    const R = eng.reqs;
    expect([R.callerDone[r], R.calleeDone[r], R.abandoned[r], R.outcome[r], R.parent[r], R.edge[r], R.refreshKey[r], R.path[r]]).toEqual([
      0,
      0,
      0,
      OUT_OK,
      -1,
      -1,
      -1,
      0,
    ]);
    expect(eng.ops.refs[op]).toBe(2);
  });
});

describe('send', () => {
  it('arms the timeout and schedules the arrival after the network delay', () => {
    const { eng, sink } = oneTier({ timeout: 0.5, network: constant(0.01) });
    const r = sent(eng);
    expect(sink.total('api.arrivals')).toBe(0);
    expect(drain(eng)).toEqual([
      { time: 0.01, kind: REQUEST_ARRIVED, a: r, b: eng.reqs.gen[r] },
      { time: 0.5, kind: TIMEOUT_FIRED, a: r, b: eng.reqs.gen[r] },
    ]);
  });

  it('hands the request to its service at once when the network takes no time', () => {
    const { eng, sink } = oneTier();
    sent(eng);
    expect(sink.total('api.arrivals')).toBe(1);
    expect(sink.last('api.busy')).toBe(1);
  });
});

describe('respond and the answer', () => {
  it('sends the response across the network, and the client counts it as goodput when it arrives', () => {
    const { eng, sink } = oneTier({ network: constant(0.01) });
    const r = sent(eng);
    drain(eng);
    respond(eng, r);
    const [ev] = drain(eng);
    expect(ev).toMatchObject({ kind: RESPONSE_ARRIVED, a: r });
    onResponse(eng, r);
    expect(sink.total('users.goodput')).toBe(1);
    expect(eng.reqs.live).toBe(0);
  });

  it('turns an outcome into the failure the caller sees: a rejection fails the operation', () => {
    const { eng, sink } = oneTier();
    const r = newReq(eng, -1, 0);
    eng.reqs.outcome[r] = OUT_REJECTED;
    eng.clients[0]!.open = 1;
    respond(eng, r);
    expect(sink.total('users.failures')).toBe(1);
    expect(sink.total('users.goodput')).toBe(0);
  });

  it('is ignored once the caller has stopped waiting, and the request is freed by the side that ends last', () => {
    const { eng, sink } = oneTier({ timeout: 0.5, network: constant(0.01) });
    const r = sent(eng);
    eng.clients[0]!.open = 1;
    onTimeout(eng, r);
    expect(sink.total('users.timeouts')).toBe(1);
    expect(sink.total('users.failures')).toBe(1);
    expect(eng.reqs.abandoned[r]).toBe(1);
    expect(eng.reqs.live).toBe(1); // the service still holds it
    onResponse(eng, r);
    expect(sink.total('users.goodput')).toBe(0);
    respond(eng, r);
    expect(drain(eng).filter((e) => e.kind === RESPONSE_ARRIVED)).toEqual([]);
    expect(eng.reqs.live).toBe(0);
  });

  it('lets a client that retries decide again after a timeout', () => {
    const { eng } = oneTier({ timeout: 0.5, retry: retry(2, { on: ['timeout'] }) });
    const c = eng.clients[0]!;
    const op = eng.ops.take();
    eng.ops.client[op] = 0;
    eng.ops.user[op] = -1;
    eng.ops.attempts[op] = 1;
    eng.ops.prevSleep[op] = 0;
    eng.ops.refs[op] = 1;
    c.open = 1;
    const r = sent(eng, op);
    onTimeout(eng, r);
    expect(eng.ops.attempts[op]).toBe(2);
  });
});
