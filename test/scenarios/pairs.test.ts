/**
 * A fixed scenario must be its broken twin with resilience settings changed,
 * nothing else: the same load, the same capacity, the same faults, the same
 * seed. Otherwise "fixed" could simply mean "bigger" or "quieter", and a
 * side-by-side demo would prove nothing.
 *
 * The test normalizes both files, removes the fields a fix may change
 * (ALLOWED, with the reason for each), undoes the one structural choice the
 * library makes (idempotency through an inbox, checked on its own terms),
 * and requires what is left to be equal.
 */
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseScenario } from '../../sim/scenario/parse.js';
import type { Call, Client, NormalizedScenario, Service } from '../../sim/scenario/types.js';

const DIR = join(import.meta.dirname, '..', '..', 'scenarios');

/**
 * What a fix may change, and why each one is a resilience setting rather
 * than load or capacity:
 */
const ALLOWED = {
  /** Every scenario has its own name, story and checks. */
  scenario: ['name', 'description', 'expect'],
  /**
   * How the client reacts to a failed attempt: backoff, jitter, budget,
   * attempts, and whether its library stops sending for a while when most
   * attempts fail (its own breaker, which fails them at once). The first
   * attempts (the offered load) stay fixed, since `arrival` is compared.
   * The client's timeout is not here: it is the user's patience, part of
   * the load.
   */
  client: ['retry', 'breaker'],
  /**
   * Admission and shedding: how much may wait and in what order, whether
   * work nobody awaits is skipped, and how fast requests may come in (a rate
   * limit at the ingress), and which replicas the balancer trusts (outlier
   * detection ejects one that fails in a row). Instances, workers, the
   * balancing policy and service times stay.
   */
  service: ['dropExpired', 'rateLimit', 'outlierDetection'],
  queue: ['capacity', 'discipline'],
  /**
   * How a caller protects itself from a dependency: its patience, its retry
   * policy or its hedging (how many copies, how soon), its connection pool
   * (a bulkhead) and its breaker. Which service is called, how often, and
   * the network stay.
   */
  call: ['timeout', 'retry', 'hedge', 'pool', 'breaker'],
  /**
   * How misses are handled, not what is cached: keys, popularity, TTL and hit
   * time stay. Which key a full cache drops is a policy; how many it holds
   * (capacity, its memory) stays.
   */
  cache: ['coalesce', 'ttlJitter', 'staleWhileRevalidate', 'eviction'],
  /**
   * How the autoscaler decides: what it reads, how fresh, how often, and how
   * eagerly it scales down. Its bounds (min, max) are capacity and the time a
   * new instance takes to start (warmup) is physics, so both stay.
   */
  autoscale: ['metric', 'target', 'period', 'lag', 'tolerance', 'scaleDownStabilization'],
  /**
   * How a broker hands out and gives up on messages: how long a received
   * message stays invisible, when it goes to the dead-letter queue, how soon
   * a failed one comes back, how old one may get, and which goes first. The
   * consumer group (its service and concurrency) is capacity, so it stays.
   */
  broker: ['visibilityTimeout', 'maxReceiveCount', 'redeliveryDelay', 'retention', 'order'],
} as const;

/**
 * The explicit idempotency choice. The model has no switch that makes a
 * retried write a no-op, so a fixed design expresses idempotency by
 * structure: the handler acknowledges after appending the event to an inbox
 * keyed by its id, and a consumer writes each event to the database once.
 * A fix may make that change and no other structural one. Checked: the inbox
 * makes no calls; the consumer makes exactly the one write the handler used
 * to make; the relay that feeds it delivers exactly the source's events
 * (same arrival, so the database sees the same write load); none of the
 * three exists in the broken design.
 */
interface InboxChoice {
  /** The service that receives the events and used to write them. */
  readonly handler: string;
  /** The client that sends the events. */
  readonly source: string;
  /** The service written to. */
  readonly store: string;
  /** The keyed inbox the handler appends to instead. */
  readonly inbox: string;
  /** The consumer service that writes each event to the store once. */
  readonly consumer: string;
  /** The client that draws the consumer taking each event from the inbox once. */
  readonly relay: string;
}

const STRUCTURAL_CHOICES: Readonly<Record<string, InboxChoice>> = {
  'webhook-queue-buildup': { handler: 'webhooks', source: 'provider', store: 'db', inbox: 'inbox', consumer: 'ingest', relay: 'relay' },
};

function load(file: string): NormalizedScenario {
  const r = parseScenario(readFileSync(join(DIR, file), 'utf8'), file);
  if (!r.ok) throw new Error(`${file} does not parse: ${r.issues.map((i) => i.message).join('; ')}`);
  return r.value;
}

/** A copy of `o` without the given keys. */
function omit<T extends object>(o: T, keys: readonly string[]): Partial<T> {
  const out: Record<string, unknown> = { ...(o as Record<string, unknown>) };
  for (const k of keys) delete out[k];
  return out as Partial<T>;
}

function projectCall(c: Call): unknown {
  return { ...omit(c, ALLOWED.call), cache: c.cache === null ? null : omit(c.cache, ALLOWED.cache) };
}

function projectService(s: Service): unknown {
  return {
    ...omit(s, ALLOWED.service),
    queue: omit(s.queue, ALLOWED.queue),
    calls: s.calls.map(projectCall),
    autoscale: s.autoscale === null ? null : omit(s.autoscale, ALLOWED.autoscale),
  };
}

function projectClient(c: Client): unknown {
  return omit(c, ALLOWED.client);
}

/** What must be equal between the two halves of a pair. */
function project(s: NormalizedScenario): unknown {
  return {
    ...omit(s, ALLOWED.scenario),
    clients: s.clients.map(projectClient),
    services: s.services.map(projectService),
    brokers: s.brokers.map((b) => omit(b, ALLOWED.broker)),
  };
}

/** Checks the inbox choice in `fixed` and returns `fixed` with it undone. */
function undoInbox(fixed: NormalizedScenario, broken: NormalizedScenario, c: InboxChoice): NormalizedScenario {
  const service = (name: string): Service => {
    const s = fixed.services.find((x) => x.name === name);
    if (s === undefined) throw new Error(`the fixed design has no service ${name}`);
    return s;
  };
  const client = (s: NormalizedScenario, name: string): Client => {
    const x = s.clients.find((k) => k.name === name);
    if (x === undefined) throw new Error(`no client ${name}`);
    return x;
  };
  for (const extra of [c.inbox, c.consumer, c.relay]) {
    expect(broken.services.some((s) => s.name === extra) || broken.clients.some((k) => k.name === extra)).toBe(false);
  }
  expect(service(c.inbox).calls).toEqual([]);
  expect(service(c.consumer).calls.map((k) => k.to)).toEqual([c.store]);
  const relay = client(fixed, c.relay);
  expect(relay.target).toBe(c.consumer);
  expect(relay.arrival).toEqual(client(broken, c.source).arrival);
  const handler = service(c.handler);
  expect(handler.calls.map((k) => k.to)).toEqual([c.inbox]);
  const drop = new Set([c.inbox, c.consumer]);
  return {
    ...fixed,
    clients: fixed.clients.filter((k) => k.name !== c.relay),
    services: fixed.services
      .filter((s) => !drop.has(s.name))
      .map((s) => (s.name === c.handler ? { ...s, calls: s.calls.map((k) => ({ ...k, to: c.store })) } : s)),
  };
}

const broken = readdirSync(DIR)
  .filter((f) => f.endsWith('.yaml') && !f.endsWith('-fixed.yaml'))
  .map((f) => f.replace(/\.yaml$/, ''))
  .sort();

describe('broken/fixed pairs differ only in resilience settings', () => {
  it('finds the pairs', () => {
    expect(broken.length).toBeGreaterThanOrEqual(7);
  });

  it.each(broken)('%s', (name) => {
    const a = load(`${name}.yaml`);
    let b = load(`${name}-fixed.yaml`);
    const choice = STRUCTURAL_CHOICES[name];
    if (choice !== undefined) b = undoInbox(b, a, choice);
    expect(project(b)).toEqual(project(a));
    // A fix that changes nothing fixes nothing.
    expect(JSON.stringify(omit(b, ALLOWED.scenario))).not.toBe(JSON.stringify(omit(a, ALLOWED.scenario)));
  });

  it('notices a change of capacity or load (the projection is not blind)', () => {
    const a = load('retry-storm.yaml');
    const bigger: NormalizedScenario = {
      ...a,
      services: a.services.map((s) => (s.name === 'gateway' ? { ...s, workers: s.workers * 2 } : s)),
    };
    expect(project(bigger)).not.toEqual(project(a));
    const quieter: NormalizedScenario = { ...a, faults: a.faults.map((f) => ({ ...f, for: f.for / 2 })) };
    expect(project(quieter)).not.toEqual(project(a));
    const client = a.clients[0];
    if (client === undefined) throw new Error('retry-storm has no client');
    const patient: NormalizedScenario = { ...a, clients: [{ ...client, timeout: 10 }] };
    expect(project(patient)).not.toEqual(project(a));
  });
});
