/**
 * The causal loops a scenario's structure contains, found from the scenario
 * alone (no run needed): which retry policies can be triggered, which edges
 * have a cache, a pool or a breaker, which services degrade, crash under
 * load (`crashWhen`), take busy replicas out by health check or autoscale.
 * sim/metrics/loops.ts measures each loop's gain on a run's buckets.
 */
import { callEdgeNames } from '../scenario/edge-names.js';
import type { Broker, Call, Client, NormalizedScenario, RetryPolicy, Service } from '../scenario/types.js';

/** The loop kinds loopsim recognises; the names are part of the `summary.json` contract. */
export type LoopName =
  | 'retry'
  | 'redelivery'
  | 'cache-refill'
  | 'degradation'
  | 'pool'
  | 'abandoned-work'
  | 'autoscaler'
  | 'breaker'
  | 'crash'
  | 'hedge'
  | 'health-check';

/** Reinforcing loops amplify a deviation; balancing loops push against it. */
export type Polarity = 'reinforcing' | 'balancing';

/** One arrow of a causal-loop diagram: `from` influences `to` through what it `carries`. */
export interface LoopLink {
  readonly from: string;
  readonly to: string;
  /** What flows or acts along the arrow, in words: "attempts", "timeouts and errors". */
  readonly carries: string;
}

/** A loop of the scenario's structure. */
export interface LoopSpec {
  /** Unique within a scenario: `<name>:<where>`, e.g. `retry:payments->gateway`. */
  readonly id: string;
  readonly name: LoopName;
  readonly polarity: Polarity;
  /** The components and edges it runs through, caller first. */
  readonly path: readonly string[];
  /** The arrows of the loop, in causal order; the last one closes it. */
  readonly links: readonly LoopLink[];
  /** The service whose demand or capacity the loop acts on, or `<edge>.pool` for a pool. */
  readonly bottleneck: string;
  /** Calls between the clients and the bottleneck (1 for a client's target); a pool sits half a step below its caller. */
  readonly depth: number;
  /** The edge the loop acts through (client `c->target` or call edge), or null for a service's own loop. */
  readonly edge: string | null;
  /** The clients whose operations reach the bottleneck (for "attempts per operation"). */
  readonly clients: readonly string[];
  /** Delays on the loop in seconds (autoscaler: `lag` and `warmup`); empty otherwise. */
  readonly delays: Readonly<Record<string, number>>;
}

/** Whether a failure kind can make this retry policy send again through a call or a client. */
function retriesOn(policy: RetryPolicy | null, timeout: number | null, callee: Service, s: NormalizedScenario): boolean {
  if (policy === null || policy.attempts < 2) return false;
  return (
    (policy.on.includes('timeout') && timeout !== null) ||
    (policy.on.includes('error') && canError(callee, s, new Set())) ||
    (policy.on.includes('rejected') && canReject(callee, s))
  );
}

/**
 * A service can answer with an error: its own error rate, an `errors` fault,
 * or a call of its that can fail for good and does not absorb the failure
 * (a fallback or an optional call never fails its caller).
 */
export function canError(svc: Service, s: NormalizedScenario, seen: Set<string>): boolean {
  if (seen.has(svc.name)) return false;
  seen.add(svc.name);
  if (svc.errorRate > 0 || s.faults.some((f) => f.kind === 'errors' && f.target === svc.name)) return true;
  return svc.calls.some((c) => {
    if (c.fallback !== null || c.optional) return false;
    const callee = serviceOf(s, c.to);
    return (
      c.timeout !== null ||
      c.breaker !== null ||
      c.pool?.acquireTimeout != null ||
      (c.rateLimit !== null && Number.isFinite(c.rateLimit.queue)) ||
      (callee !== undefined && (canReject(callee, s) || canError(callee, s, seen)))
    );
  });
}

/** A service can reject: a bounded queue, CoDel, a capacity fault that may leave no replica, or a rate limit with a bounded line (a 429). */
function canReject(svc: Service, s: NormalizedScenario): boolean {
  return (
    Number.isFinite(svc.queue.capacity) ||
    (svc.rateLimit !== null && Number.isFinite(svc.rateLimit.queue)) ||
    svc.queue.discipline.kind === 'codel' ||
    s.faults.some((f) => f.kind === 'capacity' && f.target === svc.name && f.instances < 0)
  );
}

function serviceOf(s: NormalizedScenario, name: string): Service | undefined {
  return s.services.find((x) => x.name === name);
}

/** Calls from the clients to each service, the longest path counted (the call graph is acyclic). */
function depths(s: NormalizedScenario): Map<string, number> {
  const depth = new Map<string, number>();
  const visit = (name: string, d: number): void => {
    if ((depth.get(name) ?? 0) >= d) return;
    depth.set(name, d);
    for (const c of serviceOf(s, name)?.calls ?? []) visit(c.to, d + 1);
  };
  for (const c of s.clients) visit(c.target, 1);
  for (const b of s.brokers) visit(b.consumers.service, 1);
  return depth;
}

/** Per service, the clients whose operations reach it, in declaration order. */
function reachingClients(s: NormalizedScenario): Map<string, string[]> {
  const out = new Map<string, string[]>();
  for (const c of s.clients) {
    const seen = new Set<string>();
    const visit = (name: string): void => {
      if (seen.has(name)) return;
      seen.add(name);
      out.set(name, [...(out.get(name) ?? []), c.name]);
      for (const call of serviceOf(s, name)?.calls ?? []) visit(call.to);
      // A producer's messages reach its broker's consumer service.
      for (const b of s.brokers) if (b.name === name) visit(b.consumers.service);
    };
    visit(c.target);
  }
  return out;
}

/** One edge of the call graph with what the loop finder needs to know about it. */
interface EdgeView {
  readonly name: string;
  readonly caller: string;
  readonly callee: Service;
  readonly timeout: number | null;
  readonly retry: RetryPolicy | null;
  readonly client: Client | null;
  readonly call: Call | null;
}

function edges(s: NormalizedScenario): EdgeView[] {
  const out: EdgeView[] = [];
  for (const c of s.clients) {
    const callee = serviceOf(s, c.target);
    if (callee === undefined) continue;
    out.push({ name: `${c.name}->${c.target}`, caller: c.name, callee, timeout: c.timeout, retry: c.retry, client: c, call: null });
  }
  for (const svc of s.services) {
    const names = callEdgeNames(svc);
    svc.calls.forEach((call, k) => {
      const callee = serviceOf(s, call.to);
      if (callee === undefined) return;
      out.push({ name: names[k]!, caller: svc.name, callee, timeout: call.timeout, retry: call.retry, client: null, call });
    });
  }
  return out;
}

/**
 * The redelivery loop of broker `b`: a consumer service slower than the
 * visibility timeout gets each late message again, and the copies it
 * processes slow it further. Every broker has it: any delivery can outlast
 * the timeout.
 */
function brokerRedelivery(b: Broker, s: NormalizedScenario, depth: number): LoopSpec {
  const callee = b.consumers.service;
  const edge = `${b.name}->${callee}`;
  return {
    id: `redelivery:${edge}`,
    name: 'redelivery',
    polarity: 'reinforcing',
    edge,
    bottleneck: callee,
    depth,
    delays: { visibilityTimeout: b.visibilityTimeout },
    clients: s.clients.filter((c) => c.target === b.name).map((c) => c.name),
    path: [b.name, edge, callee],
    links: [
      { from: b.name, to: callee, carries: 'deliveries and redeliveries' },
      { from: callee, to: b.name, carries: 'deletes later than the visibility timeout' },
      { from: b.name, to: callee, carries: 'duplicate work' },
    ],
  };
}

/**
 * Every loop the scenario's structure has, in a fixed order (edges in
 * declaration order, clients first, then each service's own loops):
 * - `retry` on an edge whose policy retries a failure its callee can produce
 *   (a timeout needs a timeout on the edge; an error needs a callee that can
 *   fail; a rejection needs a bounded queue, CoDel, a capacity cut or a
 *   rate limit that refuses);
 * - `redelivery` on a client edge that resends on `timeout` to a callee that
 *   does not drop expired work: a late acknowledgement causes a resend of
 *   work that gets done again;
 * - `abandoned-work` on an edge with a timeout: the callee serves requests
 *   nobody waits for;
 * - `cache-refill`, `pool`, `breaker` on an edge with that element (a
 *   client's own breaker is a `breaker` loop on the client's edge);
 * - `hedge` on a hedged call: a callee slower than the delay gets more
 *   copies, which load it and slow it further;
 * - `redelivery` on every broker's delivery edge (after the edges);
 * - `degradation` and `autoscaler` on a service with that setting.
 */
export function buildLoops(s: NormalizedScenario): LoopSpec[] {
  const depth = depths(s);
  const loops: LoopSpec[] = [];
  const at = (svc: string): number => depth.get(svc) ?? 1;
  const reach = reachingClients(s);
  const from = (svc: string): string[] => reach.get(svc) ?? [];
  for (const e of edges(s)) {
    const callee = e.callee.name;
    const base = { edge: e.name, bottleneck: callee, depth: at(callee), delays: {}, clients: from(callee) };
    // A reinforcing loop from the caller through the edge to the callee.
    const through = (name: LoopName, links: LoopLink[]): LoopSpec => ({
      ...base,
      id: `${name}:${e.name}`,
      name,
      polarity: 'reinforcing',
      path: [e.caller, e.name, callee],
      links,
    });
    if (retriesOn(e.retry, e.timeout, e.callee, s)) {
      loops.push(
        through('retry', [
          { from: e.caller, to: callee, carries: 'attempts (retries add load)' },
          { from: callee, to: e.caller, carries: 'timeouts and errors (slow when loaded)' },
        ]),
      );
    }
    if (
      e.client !== null &&
      e.retry !== null &&
      e.retry.attempts > 1 &&
      e.retry.on.includes('timeout') &&
      e.timeout !== null &&
      !e.callee.dropExpired
    ) {
      loops.push(
        through('redelivery', [
          { from: e.caller, to: callee, carries: 'deliveries and resends' },
          { from: callee, to: e.caller, carries: 'late acknowledgements' },
          { from: e.caller, to: callee, carries: 'duplicate work' },
        ]),
      );
    }
    if (e.call?.cache != null) {
      loops.push(
        through('cache-refill', [
          { from: e.name, to: callee, carries: 'misses (load on the backend)' },
          { from: callee, to: e.name, carries: 'slow or failed fills (cache stays cold)' },
        ]),
      );
    }
    if (e.call?.pool != null) {
      loops.push({
        ...base,
        id: `pool:${e.name}`,
        name: 'pool',
        polarity: 'reinforcing',
        bottleneck: `${e.name}.pool`,
        depth: at(e.caller) + 0.5,
        clients: from(e.caller),
        path: [e.caller, `${e.name}.pool`, callee],
        links: [
          { from: e.caller, to: `${e.name}.pool`, carries: 'calls wanting a connection' },
          { from: callee, to: `${e.name}.pool`, carries: 'slow replies hold connections' },
          { from: `${e.name}.pool`, to: e.caller, carries: 'waiters hold workers' },
        ],
      });
    }
    // A call's breaker, or a client's own: either sheds the load its caller sends to the callee.
    if ((e.call ?? e.client)?.breaker != null) {
      loops.push({
        ...base,
        id: `breaker:${e.name}`,
        name: 'breaker',
        polarity: 'balancing',
        path: [e.caller, `${e.name}.breaker`, callee],
        links: [
          { from: callee, to: `${e.name}.breaker`, carries: 'failures and slow calls' },
          { from: `${e.name}.breaker`, to: callee, carries: 'short-circuits shed load' },
        ],
      });
    }
    if (e.call?.hedge != null) {
      loops.push(
        through('hedge', [
          { from: e.caller, to: callee, carries: 'hedged copies (add load when it is slow)' },
          { from: callee, to: e.caller, carries: 'answers later than the hedge delay (slow when loaded)' },
        ]),
      );
    }
    if (e.timeout !== null) {
      loops.push(
        through('abandoned-work', [
          { from: e.caller, to: callee, carries: 'requests it stops waiting for' },
          { from: callee, to: callee, carries: 'stale backlog' },
          { from: callee, to: e.caller, carries: 'late replies (timeouts)' },
        ]),
      );
    }
  }
  for (const b of s.brokers) loops.push(brokerRedelivery(b, s, at(b.consumers.service)));
  for (const svc of s.services) {
    const base = { edge: null, bottleneck: svc.name, depth: at(svc.name), clients: from(svc.name) };
    if (svc.degradation !== null) {
      loops.push({
        ...base,
        id: `degradation:${svc.name}`,
        name: 'degradation',
        polarity: 'reinforcing',
        path: [svc.name],
        delays: {},
        links: [
          { from: svc.name, to: svc.name, carries: 'in-flight slows service' },
          { from: svc.name, to: svc.name, carries: 'slow service raises in-flight' },
        ],
      });
    }
    if (svc.crashWhen !== null) {
      const load = svc.crashWhen.measure === 'inflight' ? 'in-flight' : 'queue';
      loops.push({
        ...base,
        id: `crash:${svc.name}`,
        name: 'crash',
        polarity: 'reinforcing',
        path: [svc.name],
        delays: { sustained: svc.crashWhen.sustained, restart: svc.crashWhen.for },
        links: [
          { from: svc.name, to: svc.name, carries: `${load} above ${svc.crashWhen.above} crashes a replica` },
          { from: svc.name, to: svc.name, carries: 'its load moves to the survivors' },
        ],
      });
    }
    if (svc.healthCheck !== null) {
      const hc = svc.healthCheck;
      loops.push({
        ...base,
        id: `health-check:${svc.name}`,
        name: 'health-check',
        polarity: 'reinforcing',
        path: [svc.name],
        delays: { interval: hc.interval, timeout: hc.timeout },
        links: [
          { from: svc.name, to: svc.name, carries: `a queue wait above ${hc.timeout}s fails its checks and takes a busy replica out` },
          { from: svc.name, to: svc.name, carries: 'its load moves to the replicas still in rotation' },
        ],
      });
    }
    if (svc.autoscale !== null) {
      loops.push({
        ...base,
        id: `autoscaler:${svc.name}`,
        name: 'autoscaler',
        polarity: 'balancing',
        path: [svc.name, `${svc.name}.autoscaler`],
        delays: { lag: svc.autoscale.lag, warmup: svc.autoscale.warmup },
        links: [
          { from: svc.name, to: `${svc.name}.autoscaler`, carries: `${svc.autoscale.metric} (lag ${svc.autoscale.lag} s)` },
          { from: `${svc.name}.autoscaler`, to: svc.name, carries: `replicas (warmup ${svc.autoscale.warmup} s)` },
        ],
      });
    }
  }
  return loops;
}
