/**
 * state.ts: what the engine decides about a scenario when it is built:
 * whether anything can retry (duplicates are looked for only then) and
 * which clients send bare requests; and the guard's error.
 */
import { describe, expect, it } from 'vitest';
import { RunAborted } from '../../sim/engine/state.js';
import type { Client, Service } from '../../sim/scenario/types.js';
import { call, constant, poissonClient, retry, scenario, service } from '../helpers/build.js';
import { engineFor } from '../helpers/engine.js';

function built(client: Partial<Client>, api: Partial<Service> = {}) {
  return engineFor(scenario({ clients: [poissonClient('users', 'api', 1, client)], services: [service('api', api), service('db')] })).eng;
}

describe('EngineState', () => {
  it('notes that something retries when a client or a call may send a second attempt', () => {
    expect(built({}).retries).toBe(false);
    expect(built({ retry: retry(1) }).retries).toBe(false);
    expect(built({ retry: retry(2) }).retries).toBe(true);
    expect(built({}, { calls: [call('db', { retry: retry(3) })] }).retries).toBe(true);
  });

  it('makes an open-loop client bare only when nothing retries and it has no retry budget', () => {
    expect(built({}).clients[0]!.bare).toBe(true);
    expect(built({}, { calls: [call('db', { retry: retry(2) })] }).clients[0]!.bare).toBe(false);
    expect(built({ retry: retry(1, { budget: { ratio: 0.1, minPerSecond: 1, window: 10 } }) }).clients[0]!.bare).toBe(false);
    expect(built({ arrival: { kind: 'closed', users: 2, think: constant(1) } }).clients[0]!.bare).toBe(false);
  });
});

describe('RunAborted', () => {
  it('carries the component and the time beside its message', () => {
    const e = new RunAborted('stop', 'api', 12.5);
    expect([e.message, e.component, e.time]).toEqual(['stop', 'api', 12.5]);
    expect(e).toBeInstanceOf(Error);
  });
});
