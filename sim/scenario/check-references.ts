/**
 * Cross-reference checks on a document the schema accepted: every name used
 * (client targets, call destinations, fault targets, metric components) names
 * something defined, of the right kind, and calls form no cycle.
 */
import { checkCrashTarget, checkReplicaTarget } from './check-replicas.js';
import { splitReplicaTarget } from './schema-replicas.js';
import { instanceHas, instanceName, replicaSlots } from './replica-slots.js';
import { edgeNamesOf, edgeTargeted, splitEdge } from './edge-names.js';
import type { IssueDraft, PathSegment } from './issue.js';
import * as msg from './messages.js';
import {
  REQUIREMENTS,
  metricsOf,
  readableNames,
  type ComponentKind,
  type MetricDeclaration,
  type Requirement,
} from './metric-catalogue.js';
import type { ScenarioDocument } from './schema.js';

type Fault = ScenarioDocument['faults'][number];
type ServiceDocument = ScenarioDocument['services'][string];
type CallDocument = ServiceDocument['calls'][number];

/**
 * Every edge a service declares, with whether some call on it has a cache:
 * `caller->callee` (covering every call from caller to callee, as a fault
 * target does) and, for a second or later call to the same callee, its own
 * `caller->callee#2`, `#3`... (see edge-names.ts).
 */
function declaredEdges(doc: ScenarioDocument): Map<string, boolean> {
  const edges = new Map<string, boolean>();
  for (const [name, s] of Object.entries(doc.services)) {
    const names = edgeNamesOf(name, s.calls);
    for (const [i, c] of s.calls.entries()) {
      const cached = c.cache !== undefined;
      for (const edge of new Set([`${name}->${c.to}`, names[i] as string])) edges.set(edge, (edges.get(edge) ?? false) || cached);
    }
  }
  return edges;
}

function checkFaultTarget(f: Fault, i: number, doc: ScenarioDocument, edges: Map<string, boolean>): IssueDraft[] {
  const path: PathSegment[] = ['faults', i, 'target'];
  const clients = Object.keys(doc.clients);
  const services = Object.keys(doc.services);
  const found = `"${f.target}"`;
  const replica = checkReplicaTarget(f, i, doc);
  if (replica !== undefined) return replica.length > 0 ? replica : checkCrashTarget(f, i, doc);
  if (f.kind === 'cacheFlush' || f.kind === 'link') {
    if (!splitEdge(f.target)) {
      const expected = msg.expectEdge();
      return [{ message: msg.invalidValue('target', expected, found), path, expected, found }];
    }
    if (!edges.has(f.target)) return [{ message: msg.unknownEdge(f.target, [...edges.keys()]), path, found }];
    return f.kind === 'link' || edges.get(f.target) === true ? [] : [{ message: msg.edgeWithoutCache(f.target), path, found }];
  }
  const [wanted, pool, other, otherKind] =
    f.kind === 'traffic' || f.kind === 'burst' ? ['client', clients, services, 'service'] : ['service', services, clients, 'client'];
  if (pool.includes(f.target)) return checkCrashTarget(f, i, doc);
  if (other.includes(f.target))
    return [{ message: msg.faultTargetKind(f.kind, f.target, wanted, otherKind), path, expected: `a ${wanted}`, found }];
  const broker = doc.brokers[f.target];
  if (broker !== undefined) {
    const message = msg.faultOnBroker(f.kind, f.target, wanted, broker.consumers.service);
    return [{ message, path, expected: `a ${wanted}`, found }];
  }
  const message = wanted === 'client' ? msg.unknownClient(f.target, pool) : msg.unknownService(f.target, pool);
  return [{ message, path, expected: `one of ${msg.list(pool)}`, found }];
}

/** The first call cycle found, as the services on it (the first repeated at the end), with the path of the closing call. */
function findCycle(doc: ScenarioDocument): { cycle: string[]; path: PathSegment[] } | undefined {
  const state = new Map<string, 'visiting' | 'done'>();
  const stack: string[] = [];
  const visit = (name: string): { cycle: string[]; path: PathSegment[] } | undefined => {
    state.set(name, 'visiting');
    stack.push(name);
    const calls = doc.services[name]?.calls ?? [];
    for (const [i, c] of calls.entries()) {
      if (!(c.to in doc.services)) continue;
      if (state.get(c.to) === 'visiting') {
        return { cycle: [...stack.slice(stack.indexOf(c.to)), c.to], path: ['services', name, 'calls', i, 'to'] };
      }
      if (state.get(c.to) === undefined) {
        const found = visit(c.to);
        if (found) return found;
      }
    }
    stack.pop();
    state.set(name, 'done');
    return undefined;
  };
  for (const name of Object.keys(doc.services)) {
    if (state.get(name) !== undefined) continue;
    const found = visit(name);
    if (found) return found;
  }
  return undefined;
}

/** The call behind each edge name that has metrics: `caller->callee` is the first such call, `#2` the second... */
function edgeCalls(doc: ScenarioDocument): Map<string, CallDocument> {
  const calls = new Map<string, CallDocument>();
  for (const [name, s] of Object.entries(doc.services)) {
    const names = edgeNamesOf(name, s.calls);
    for (const [i, c] of s.calls.entries()) calls.set(names[i] as string, c);
  }
  return calls;
}

/** A component named in a metric: its kind and whether it has each mechanism its metrics may need. */
interface MetricOwner {
  readonly kind: ComponentKind;
  readonly has: (r: Requirement) => boolean;
}

function metricOwner(component: string, doc: ScenarioDocument, calls: Map<string, CallDocument>): MetricOwner | undefined {
  const client = doc.clients[component];
  if (client)
    return {
      kind: 'client',
      has: (r) =>
        (r === 'clientBackoff' && backsOff(client.retry)) ||
        (r === 'degradable' && documentDegradable(doc)) ||
        (r === 'clientBreaker' && client.breaker !== undefined) ||
        (r === 'clientRateLimit' && client.rateLimit !== undefined) ||
        (r === 'clientRateLimitQueue' && limitQueues(client.rateLimit)),
    };
  const service = doc.services[component];
  if (service)
    return {
      kind: 'service',
      has: (r) => (r === 'crash' ? crashed(component, doc) || service.crashWhen !== undefined : documentHas(service, undefined, r)),
    };
  const call = calls.get(component);
  if (call)
    return { kind: 'edge', has: (r) => (r === 'linkFault' ? documentLinkFaulted(doc, component) : documentHas(undefined, call, r)) };
  if (component in doc.brokers) return { kind: 'broker', has: () => false };
  const replica = splitReplicaTarget(component);
  const of = replica === undefined ? undefined : doc.services[replica.service];
  if (replica !== undefined && of !== undefined && replica.index < documentSlots(replica.service, of, doc))
    return { kind: 'instance', has: (r) => instanceHas(of.perInstance, of.workers !== 'unlimited', r) };
  return undefined;
}

/** The replica slots a service's per-replica series cover (sim/scenario/replica-slots.ts). */
function documentSlots(name: string, s: ServiceDocument, doc: ScenarioDocument): number {
  return replicaSlots(name, s.instances, s.autoscale?.max ?? null, doc.faults);
}

/** The names of every per-replica component the document records: `api[0]`, `api[1]`... for each service with perInstance. */
function instanceComponents(doc: ScenarioDocument): string[] {
  return Object.entries(doc.services).flatMap(([name, s]) =>
    s.perInstance ? Array.from({ length: documentSlots(name, s, doc) }, (_, i) => instanceName(name, i)) : [],
  );
}

/** Whether a service or a call, as written, has a mechanism some of its metrics need (as the engine's model files decide it). */
function documentHas(service: ServiceDocument | undefined, call: CallDocument | undefined, r: Requirement): boolean {
  switch (r) {
    case 'autoscale':
      return service?.autoscale !== undefined;
    case 'boundedWorkers':
      return service !== undefined && service.workers !== 'unlimited';
    case 'breaker':
    case 'pool':
    case 'cache':
      return call?.[r] !== undefined;
    case 'callBackoff':
      return backsOff(call?.retry);
    case 'coalesce':
      return call?.cache?.coalesce === true;
    case 'fallback':
      return call !== undefined && (call.fallback !== undefined || call.optional === true);
    case 'rateLimit':
      return service?.rateLimit !== undefined;
    case 'rateLimitQueue':
      return limitQueues(service?.rateLimit);
    case 'callRateLimit':
      return call?.rateLimit !== undefined;
    case 'callRateLimitQueue':
      return limitQueues(call?.rateLimit);
    case 'crashTrigger':
      return service?.crashWhen !== undefined;
    case 'hedge':
      return call?.hedge !== undefined;
    case 'healthCheck':
      return service?.healthCheck !== undefined;
    case 'concurrencyLimit':
      return service?.concurrencyLimit !== undefined;
    case 'outlierDetection':
      return service?.outlierDetection !== undefined;
    case 'boundedCache':
      return call?.cache?.capacity !== undefined;
    case 'route':
      return call?.route !== undefined;
    case 'clientBackoff':
    case 'clientBreaker':
    case 'perInstance': // metricOwner asks the service for an instance's
    case 'perInstanceWorkers':
    case 'degradable':
    case 'clientRateLimit':
    case 'clientRateLimitQueue':
    case 'linkFault':
    case 'crash': // the faults decide it: metricOwner asks them
      return false;
  }
}

/** Whether a rate limit, as written, lets requests wait for a token (its queue, default 0, is not 0). */
function limitQueues(l: { readonly queue: number | 'unlimited' } | undefined): boolean {
  return l !== undefined && l.queue !== 0;
}

/** Whether some link fault of the document names edge `edge` (as hasLinkFault in sim/engine/model/fault.ts decides it). */
function documentLinkFaulted(doc: ScenarioDocument, edge: string): boolean {
  return doc.faults.some((f) => f.kind === 'link' && edgeTargeted(edge, f.target));
}

/** Whether some call of the document can absorb its failure (as degradable in sim/engine/model/fallback.ts decides it). */
function documentDegradable(doc: ScenarioDocument): boolean {
  return Object.values(doc.services).some((s) => s.calls.some((c) => c.fallback !== undefined || c.optional === true));
}

/** Whether a retry policy as written retries after a wait (as mayBackOff in sim/engine/model/retry.ts decides it). */
function backsOff(retry: { readonly attempts: number; readonly backoff: { readonly kind: string } } | undefined): boolean {
  return retry !== undefined && retry.attempts > 1 && retry.backoff.kind !== 'none';
}

function checkMetric(metric: string, i: number, doc: ScenarioDocument, calls: Map<string, CallDocument>, field = 'metric'): IssueDraft[] {
  const path: PathSegment[] = ['expect', i, field];
  const dot = metric.indexOf('.');
  const component = metric.slice(0, dot);
  const name = metric.slice(dot + 1);
  const owner = metricOwner(component, doc, calls);
  const replica = splitReplicaTarget(component);
  const replicated = replica === undefined ? undefined : doc.services[replica.service];
  if (owner === undefined && replica !== undefined && replicated !== undefined) {
    const slots = documentSlots(replica.service, replicated, doc);
    const message = msg.unknownReplica(metric, component, replica.service, slots, replicated.perInstance);
    return [{ message, path, found: `"${metric}"` }];
  }
  if (owner === undefined) {
    const components = [
      ...Object.keys(doc.clients),
      ...Object.keys(doc.services),
      ...calls.keys(),
      ...Object.keys(doc.brokers),
      ...instanceComponents(doc),
    ];
    return [{ message: msg.unknownComponent(metric, component, components), path, found: `"${metric}"` }];
  }
  const recorded = readableNames(metricsOf(owner.kind, owner.has));
  if (recorded.includes(name)) return [];
  // Warnings, not errors: the expectation then fails at run time with "no metric named".
  const absent = metricsOf(owner.kind).find((m: MetricDeclaration) => readableNames([m]).includes(name));
  const message =
    absent?.requires !== undefined
      ? msg.metricNeedsMechanism(metric, absent.name, owner.kind, REQUIREMENTS[absent.requires].when)
      : msg.unknownMetric(metric, name, owner.kind, recorded);
  return [{ severity: 'warning', message, path, found: `"${metric}"` }];
}

/** A client that publishes to a broker: the fields that only act on requests to a service are refused. */
function checkPublisher(name: string, c: ScenarioDocument['clients'][string]): IssueDraft[] {
  const fields = (['timeout', 'network', 'retry', 'breaker', 'rateLimit'] as const).filter((f) => c[f] !== undefined);
  const out: IssueDraft[] = fields.map((f) => ({
    message: msg.publisherField(name, c.target, f),
    path: ['clients', name, f],
    atKey: true,
  }));
  if (c.arrival.kind === 'closed')
    out.push({ message: msg.publisherClosedLoop(name, c.target), path: ['clients', name, 'arrival', 'kind'] });
  return out;
}

/** Name checks on a schema-valid document: unknown or misdirected names, and call cycles. */
export function checkReferences(doc: ScenarioDocument): IssueDraft[] {
  const out: IssueDraft[] = [];
  const services = Object.keys(doc.services);
  const edges = declaredEdges(doc);
  if (Object.keys(doc.clients).length === 0) out.push({ message: msg.noComponents('client'), path: ['clients'] });
  if (services.length === 0) out.push({ message: msg.noComponents('service'), path: ['services'] });
  for (const name of services) {
    if (name in doc.clients) out.push({ message: msg.nameClash(name), path: ['services', name], atKey: true });
  }
  const serviceRef = (name: string, path: PathSegment[]): void => {
    if (!(name in doc.services)) {
      out.push({ message: msg.unknownService(name, services), path, expected: `one of ${msg.list(services)}`, found: `"${name}"` });
    }
  };
  for (const [name, c] of Object.entries(doc.clients)) {
    if (c.target in doc.brokers) out.push(...checkPublisher(name, c));
    else if (Object.keys(doc.brokers).length === 0) serviceRef(c.target, ['clients', name, 'target']);
    else if (!(c.target in doc.services)) {
      const known = [...services, ...Object.keys(doc.brokers)];
      out.push({
        message: msg.unknownTarget(c.target, known),
        path: ['clients', name, 'target'],
        expected: `one of ${msg.list(known)}`,
        found: `"${c.target}"`,
      });
    }
  }
  for (const [name, b] of Object.entries(doc.brokers)) {
    for (const other of ['client', 'service'] as const) {
      if (name in (other === 'client' ? doc.clients : doc.services))
        out.push({ message: msg.brokerNameClash(name, other), path: ['brokers', name], atKey: true });
    }
    serviceRef(b.consumers.service, ['brokers', name, 'consumers', 'service']);
  }
  for (const [name, s] of Object.entries(doc.services)) {
    for (const [i, c] of s.calls.entries()) serviceRef(c.to, ['services', name, 'calls', i, 'to']);
  }
  const cycle = findCycle(doc);
  if (cycle) out.push({ message: msg.callCycle(cycle.cycle), path: cycle.path });
  for (const [i, f] of doc.faults.entries()) out.push(...checkFaultTarget(f, i, doc, edges));
  const calls = edgeCalls(doc);
  for (const [i, e] of doc.expect.entries()) {
    if ('metric' in e) out.push(...checkMetric(e.metric, i, doc, calls));
    if ('oscillates' in e && typeof e.oscillates === 'string') out.push(...checkMetric(e.oscillates, i, doc, calls, 'oscillates'));
  }
  return out;
}

/** Whether a crash fault targets service `name` or one of its replicas. */
function crashed(name: string, doc: ScenarioDocument): boolean {
  return doc.faults.some((f) => f.kind === 'crash' && (splitReplicaTarget(f.target)?.service ?? f.target) === name);
}
