/**
 * The design lints one rule at a time: the worst case a call can take, which
 * timeout bounds it, which chains multiply retries, which queues need a
 * capacity and which numbers need a unit. The fixtures in
 * test/fixtures/lints/ pin the exact messages and positions.
 */
import { describe, expect, test } from 'vitest';
import { lintLayeredRetries, lintTimeoutInversions, worstBackoffWaits, worstCallTime } from '../../sim/scenario/lint-chains.js';
import { parseScenarioWith } from '../../sim/scenario/parse-with.js';
import { bareCall } from '../../sim/scenario/normalize-parts.js';
import { parseScenario } from '../../sim/scenario/parse.js';
import type { Call, NormalizedScenario, RetryPolicy } from '../../sim/scenario/types.js';
import { parseOk } from './helpers.js';

const retry = (attempts: number, backoff: RetryPolicy['backoff'], jitter: RetryPolicy['jitter'] = 'none'): RetryPolicy => ({
  attempts,
  backoff,
  jitter,
  on: ['timeout', 'error', 'rejected'],
  budget: null,
});
const call = (over: Partial<Call>): Call => ({ ...bareCall('db'), timeout: 0.5, ...over });

/** The design-lint warnings of a scenario text, as [code, path] pairs. */
function lints(text: string): [string, string][] {
  const r = parseScenario(text, 't.yaml');
  if (!r.ok) throw new Error(r.issues.map((i) => i.message).join('\n'));
  return r.warnings.flatMap((w) => (w.lint === undefined ? [] : [[w.lint.code, w.path.join('.')] as [string, string]]));
}

/** A chain users → api → db with the given client and call policies (YAML flow maps). */
const chain = (client: string, apiToDb: string, extra = ''): string => `
duration: 60s
clients:
  users: { target: api, arrival: { kind: poisson, rate: 10 }${client} }
services:
  api:
    serviceTime: 1ms
    calls:
      - { to: db${apiToDb} }
  db:
    serviceTime: 1ms
${extra}`;

describe('worst case of a call', () => {
  test('backoff waits at their longest: none, constant, exponential up to its cap', () => {
    expect(worstBackoffWaits(null)).toEqual([]);
    expect(worstBackoffWaits(retry(1, { kind: 'constant', base: 1 }))).toEqual([]);
    expect(worstBackoffWaits(retry(3, { kind: 'none' }))).toEqual([0, 0]);
    expect(worstBackoffWaits(retry(3, { kind: 'constant', base: 0.5 }))).toEqual([0.5, 0.5]);
    expect(worstBackoffWaits(retry(5, { kind: 'exponential', base: 0.1, cap: 0.5 }))).toEqual([0.1, 0.2, 0.4, 0.5]);
  });

  test('full and equal jitter only shorten a wait; decorrelated may triple the previous one, within the cap', () => {
    const exp = { kind: 'exponential', base: 0.1, cap: 1 } as const;
    expect(worstBackoffWaits(retry(4, exp, 'full'))).toEqual([0.1, 0.2, 0.4]);
    expect(worstBackoffWaits(retry(4, exp, 'equal'))).toEqual([0.1, 0.2, 0.4]);
    const decorrelated = worstBackoffWaits(retry(4, exp, 'decorrelated'));
    expect(decorrelated[0]).toBeCloseTo(0.3, 12);
    expect(decorrelated[1]).toBeCloseTo(0.9, 12);
    expect(decorrelated[2]).toBe(1);
    // With constant backoff decorrelated jitter has no cap.
    const constant = worstBackoffWaits(retry(3, { kind: 'constant', base: 1 }, 'decorrelated'));
    expect(constant).toEqual([3, 9]);
    expect(worstBackoffWaits(retry(3, { kind: 'none' }, 'decorrelated'))).toEqual([0, 0]);
  });

  test('attempts × (pool wait + timeout) + backoff waits; no timeout, no bound', () => {
    expect(worstCallTime(call({ timeout: null }))).toBeUndefined();
    expect(worstCallTime(call({ timeout: 0.5 }))).toEqual({ seconds: 0.5, detail: '1 attempt × 500ms timeout' });
    const w = worstCallTime(
      call({ timeout: 0.3, retry: retry(3, { kind: 'constant', base: 0.1 }), pool: { size: 4, acquireTimeout: 0.05 } }),
    );
    expect(w?.seconds).toBeCloseTo(3 * 0.35 + 0.2, 12);
    expect(w?.detail).toBe('3 attempts × (50ms pool wait + 300ms timeout) + 2 backoff waits of up to 200ms in all');
    // A pool that waits forever is not counted: the map flags it on its own.
    expect(worstCallTime(call({ timeout: 0.3, pool: { size: 4, acquireTimeout: null } }))?.seconds).toBe(0.3);
  });
});

describe('timeout inversion', () => {
  test('an exact fit is not an inversion; one backoff wait more is', () => {
    expect(lints(chain(', timeout: 1s', ', timeout: 500ms, retry: { attempts: 2, backoff: { kind: none } }'))).toEqual([]);
    expect(lints(chain(', timeout: 1s', ', timeout: 500ms, retry: { attempts: 2, backoff: { kind: constant, base: 1ms } }'))).toEqual([
      ['timeout-inversion', 'services.api.calls.0.timeout'],
    ]);
  });

  test('without a timeout above there is nothing to invert; a call without a timeout passes the bound down', () => {
    expect(lints(chain('', ', timeout: 10s'))).toEqual([]);
    const deeper = chain(', timeout: 1s', '', '    calls: [{ to: disk, timeout: 2s }]\n  disk: { serviceTime: 1ms }\n');
    expect(lints(deeper)).toEqual([['timeout-inversion', 'services.db.calls.0.timeout']]);
  });

  test('the tightest timeout of any chain above counts, and the message names it', () => {
    const text = `
duration: 60s
clients:
  slow: { target: api, arrival: { kind: poisson, rate: 1 }, timeout: 10s }
  fast: { target: api, arrival: { kind: poisson, rate: 1 }, timeout: 300ms }
services:
  api: { serviceTime: 1ms, calls: [{ to: db, timeout: 400ms }] }
  db: { serviceTime: 1ms }
`;
    const r = parseScenario(text, 't.yaml');
    expect(r.ok && r.warnings.map((w) => w.message)).toEqual([
      'The call api → db can take up to 400ms (1 attempt × 400ms timeout), longer than the 300ms timeout on fast → api above it: ' +
        'that caller gives up while api is still waiting or retrying. Make the attempts fit in 300ms.',
    ]);
  });
});

describe('layered retries', () => {
  test('two layers without a budget warn with the product; a budget at either layer silences it', () => {
    const client = ', timeout: 5s, retry: { attempts: 2 }';
    const edge = ', timeout: 1s, retry: { attempts: 3 }';
    expect(lints(chain(client, edge))).toEqual([['layered-retries', 'services.api.calls.0.retry.attempts']]);
    const r = parseScenario(chain(client, edge), 't.yaml');
    expect(r.ok && r.warnings[0]?.message).toBe(
      'Retries multiply along users → api → db: 2 × 3 attempts at 2 layers, up to 6 attempts at db per operation. ' +
        'Retry at one layer, or give the other layers a retry budget.',
    );
    expect(r.ok && r.warnings[0]?.lint?.label).toBe('⚠ layered retries: up to 6 attempts per operation');
    expect(lints(chain(', timeout: 5s, retry: { attempts: 2, budget: {} }', edge))).toEqual([]);
    expect(lints(chain(client, ', timeout: 1s, retry: { attempts: 3, budget: {} }'))).toEqual([]);
    expect(lints(chain(', timeout: 5s, retry: { attempts: 1 }', edge))).toEqual([]);
  });

  test('a long chain is shortened in the message', () => {
    const names = Array.from({ length: 12 }, (_, i) => `s${i}`);
    const services = names
      .map((n, i) => `  ${n}: { serviceTime: 1ms${i < names.length - 1 ? `, calls: [{ to: s${i + 1}, retry: { attempts: 2 } }]` : ''} }`)
      .join('\n');
    const text = `duration: 60s\nclients:\n  users: { target: s0, arrival: { kind: poisson, rate: 1 } }\nservices:\n${services}\n`;
    const r = parseScenario(text, 't.yaml');
    expect(r.ok && r.warnings.map((w) => w.message)).toEqual([
      'Retries multiply along users → s0 → s1 → … → s9 → s10 → s11: 11 layers × 2 attempts, up to 2,048 attempts at s11 per operation. ' +
        'Retry at one layer, or give the other layers a retry budget.',
    ]);
  });

  test('both chain lints skip services on a call cycle instead of looping', () => {
    const s = parseOk(chain(', timeout: 1s, retry: { attempts: 3 }', ', timeout: 2s, retry: { attempts: 3 }'));
    const [api, db] = s.services;
    const cyclic: NormalizedScenario = {
      ...s,
      services: [api!, { ...db!, calls: [call({ to: 'api', retry: retry(3, { kind: 'none' }) })] }],
    };
    expect(lintTimeoutInversions(cyclic)).toEqual([]);
    expect(lintLayeredRetries(cyclic)).toEqual([]);
  });
});

describe('queues and units', () => {
  test('a lifo or codel queue needs a capacity; fifo does not', () => {
    const q = (queue: string): [string, string][] => lints(chain('', '', `    queue: ${queue}\n`));
    expect(q('{ discipline: lifo }')).toEqual([['unbounded-queue', 'services.db.queue.discipline']]);
    expect(q('{ discipline: codel, codel: { target: 10ms } }')).toEqual([['unbounded-queue', 'services.db.queue.discipline']]);
    expect(q('{ discipline: lifo, capacity: 100 }')).toEqual([]);
    // With unlimited workers nothing ever waits.
    expect(q('{ discipline: lifo }\n    workers: unlimited')).toEqual([]);
    expect(q('{ discipline: fifo }')).toEqual([]);
  });

  test('every latency and timeout field is checked; lengths of time and zeros are not', () => {
    const text = `
duration: 60
warmup: 10
clients:
  users:
    target: api
    arrival: { kind: closed, users: 5, think: 2 }
    network: 0.01
    retry: { attempts: 2, backoff: { kind: exponential, base: 1, cap: 5 } }
services:
  api:
    serviceTime: { dist: uniform, min: 0, max: 0.01 }
    queue: { discipline: codel, capacity: 10, codel: { target: 1, interval: 100ms } }
    calls:
      - to: db
        timeout: 1
        network: { dist: lognormal, median: 0.001, p99: 0.01 }
        pool: { acquireTimeout: 3 }
        breaker: { slowCall: { over: 2 }, openFor: 60 }
        cache: { keys: 10, ttl: 60, hitTime: 0.001 }
  db: { serviceTime: 5ms }
faults:
  - { kind: latency, target: db, at: 20, for: 10, add: 0.2, multiply: 2 }
  - { kind: pause, target: db, at: 40, for: 1 }
`;
    expect(lints(text).map(([code, path]) => `${code} ${path}`)).toEqual([
      'bare-number clients.users.network',
      'bare-number clients.users.retry.backoff.base',
      'bare-number clients.users.retry.backoff.cap',
      'bare-number services.api.serviceTime.max',
      'bare-number services.api.queue.codel.target',
      'bare-number services.api.calls.0.timeout',
      'bare-number services.api.calls.0.network.median',
      'bare-number services.api.calls.0.network.p99',
      'bare-number services.api.calls.0.pool.acquireTimeout',
      'bare-number services.api.calls.0.breaker.slowCall.over',
      'bare-number services.api.calls.0.cache.hitTime',
      'bare-number faults.0.add',
    ]);
  });

  test('a bare number set with --set is a warning about that argument, still tagged for the map', () => {
    const r = parseScenarioWith(chain('', ''), 't.yaml', [
      { source: '--set clients.users.timeout=2', path: ['clients', 'users', 'timeout'], value: 2 },
    ]);
    expect(r.ok && r.warnings).toEqual([
      {
        severity: 'warning',
        message: 'timeout: 2 has no unit, so it means 2 seconds. Write 2s if that is meant, or 2ms for milliseconds.',
        path: ['clients', 'users', 'timeout'],
        file: '--set clients.users.timeout=2',
        lint: { code: 'bare-number', label: '⚠ timeout: 2 has no unit (2s)', subject: { kind: 'client', name: 'users' } },
      },
    ]);
  });
});
