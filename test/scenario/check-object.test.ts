/**
 * The library boundary: simulate refuses what is not a scenario with a
 * ScenarioInputError naming the field, never a TypeError from the engine; a
 * scenario document given as an object is checked with the file's messages.
 */
import { describe, expect, it } from 'vitest';
import { ScenarioInputError, simulate } from '../../sim/index.js';
import { constant, poissonClient, scenario, service } from '../helpers/build.js';

/** The issues simulate throws for `value`, as `message @ path`. */
function refusal(value: unknown, opts?: unknown): string[] {
  try {
    simulate(value as never, opts as never);
  } catch (e) {
    if (!(e instanceof ScenarioInputError)) throw e;
    return e.issues.map((i) => `${i.message} @ ${i.path.join('.')}`);
  }
  return [];
}

const GOOD = scenario({
  duration: 5,
  clients: [poissonClient('users', 'api', 10)],
  services: [service('api', { serviceTime: constant(0.01) })],
});

describe('simulate at the boundary', () => {
  it('refuses undefined, null, a number and a list with one message', () => {
    expect(refusal(undefined)).toEqual([
      'simulate needs a scenario: an object from loadScenario or loadScenarioFile, or a scenario document as an object; got undefined. @ ',
    ]);
    expect(refusal(null)[0]).toMatch(/got null\./);
    expect(refusal(42)[0]).toMatch(/got number\./);
    expect(refusal([GOOD])[0]).toMatch(/got a list\./);
  });

  it('checks {} and a document object with the same schema and messages as a file', () => {
    const empty = refusal({});
    expect(empty.length).toBeGreaterThan(0);
    expect(empty.join('\n')).toMatch(/duration/);
    const doc = {
      duration: '10s',
      clients: { users: { target: 'api', arrival: { kind: 'poisson', rate: 'fast' } } },
      services: { api: { serviceTime: '5ms' } },
    };
    expect(refusal(doc)).toEqual([expect.stringMatching(/ @ clients\.users\.arrival\.rate$/)]);
    const fixed = { ...doc, clients: { users: { target: 'api', arrival: { kind: 'poisson', rate: 10 } } } };
    expect(simulate(fixed).summary.verdict.kind).toBe('stable');
  });

  it('names the wrong field of a normalized scenario', () => {
    expect(refusal({ ...GOOD, duration: '10s' })).toEqual([expect.stringMatching(/ @ duration$/)]);
    expect(refusal({ ...GOOD, clients: [{ ...GOOD.clients[0], arrival: undefined }] })).toEqual([
      expect.stringMatching(/ @ clients\.0\.arrival$/),
    ]);
    expect(refusal({ ...GOOD, services: [{ ...GOOD.services[0], serviceTime: { dist: 'gaussian' } }] })).toEqual([
      expect.stringMatching(/ @ services\.0\.serviceTime\.dist$/),
    ]);
    expect(refusal({ ...GOOD, clients: [{ ...GOOD.clients[0], target: 'db' }] })).toEqual(['Unknown service "db". @ clients.0.target']);
    expect(refusal({ ...GOOD, services: [] })).toEqual([expect.stringMatching(/ @ services$/)]);
  });

  it('names a wrong option', () => {
    expect(refusal(GOOD, { seed: 'abc' })).toEqual(['seed must be a whole number from 0, got "abc". @ seed']);
    expect(refusal(GOOD, { maxInflight: 0 })).toEqual(['maxInflight must be a whole number from 1, got 0. @ maxInflight']);
    expect(refusal(GOOD, null)).toEqual(['The options must be an object, got null. @ ']);
  });

  it('runs a scenario the builders or the parser made, unchanged', () => {
    expect(simulate(GOOD, { seed: 3 }).summary.seed).toBe(3);
  });
});
