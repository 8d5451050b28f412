/**
 * What the event handlers work on: the engine's state, and the five places
 * where a request passes from one group of handlers to another that sits
 * above it (see engine.ts).
 *
 * The handlers are plain functions taking the engine as their first
 * argument, grouped by what they act on (handlers/*.ts). A group calls the
 * groups below it directly, never one above:
 *
 *   requests     the wire                   calls no group directly
 *   retry        the retry decision         calls no group
 *   brokers      publish, receive, delete   → requests
 *   services     arrival, work, finish      → requests
 *   instances    replica counts             → services
 *   rate-limits  token buckets              → services, requests
 *   calls        a call's path              → services, requests, retry, brokers, rate-limits
 *   clients      arrivals, operations       → requests, retry, brokers, rate-limits
 *   faults       windows opening, closing   → services, instances, clients
 *   autoscaling  the HPA's evaluations      → instances
 *   bursts       a burst's operations       → clients
 *   crash-triggers  crashWhen's crashes     → services, crashes, replica-faults
 *
 * A request's life goes round these groups (a client sends, the service
 * answers, the client retries and sends again), so five steps go upward:
 * a request reaching its service, a response (or a timeout) reaching its
 * client or its caller's call, a request starting a call, and a request
 * meeting its service's rate limit. Those go
 * through the abstract methods below, which `Engine` implements by calling
 * the handler. Every call is to the one `Engine` class, so the compiler
 * inlines it as it would a direct call; and no module imports one above it.
 */
import type { TraceSink } from '../metrics/trace.js';
import type { NormalizedScenario } from '../scenario/types.js';
import { EventQueue } from './event-queue.js';
import type { BrokerState } from './model/broker.js';
import type { BurstSchedule } from './model/burst.js';
import type { ClientState } from './model/client.js';
import type { EdgeState } from './model/edge.js';
import { Ops, Reqs } from './model/entities.js';
import { degradable } from './model/fallback.js';
import { FaultWindows } from './model/fault.js';
import { mayRetry } from './model/retry.js';
import type { ServiceState } from './model/service.js';

/** Raised when a run must stop: a guard tripped. Carries what the user needs to act. */
export class RunAborted extends Error {
  readonly component: string;
  readonly time: number;
  constructor(message: string, component: string, time: number) {
    super(message);
    this.component = component;
    this.time = time;
  }
}

/** Options that bound a run. */
export interface EngineLimits {
  /** Stop when more requests than this are alive at once, over all services (`--max-inflight`). */
  readonly maxInflight: number;
}

/** The components of a run, built from its scenario (see run.ts). */
export interface EngineParts {
  readonly clients: ClientState[];
  readonly services: ServiceState[];
  readonly edges: EdgeState[];
  readonly brokers: BrokerState[];
  /** The schedules of the scenario's bursts, by fault index; absent or empty without bursts. */
  readonly bursts?: ReadonlyMap<number, BurstSchedule>;
}

export abstract class EngineState {
  readonly q = new EventQueue(4096);
  readonly sink: TraceSink;
  readonly scenario: NormalizedScenario;
  readonly clients: ClientState[];
  readonly services: ServiceState[];
  readonly edges: EdgeState[];
  readonly brokers: BrokerState[];
  /** The last receipt a broker handed out: receipts are unique over the run, across brokers. */
  lastReceipt = 0;
  readonly faults: FaultWindows;
  /** The schedules of the scenario's bursts, by fault index (handlers/bursts.ts). */
  readonly bursts: ReadonlyMap<number, BurstSchedule>;
  /** Operations and requests in flight, by id (tables of columns; see entities.ts). */
  readonly ops = new Ops();
  readonly reqs: Reqs;
  /**
   * Whether any client or call retries. Without retries no operation can
   * complete twice at a service by the same path, so duplicates are not
   * looked for (their count stays 0).
   */
  readonly retries: boolean;
  /** Whether a success at a service needs more than its count: anything retries (duplicates), or some service has outlier detection or a concurrency limit. */
  readonly watchOk: boolean;
  /** Whether some call has a fallback or is optional, so that an answer can be degraded (see model/fallback.ts). */
  readonly degradable: boolean;
  readonly limits: EngineLimits;

  constructor(scenario: NormalizedScenario, sink: TraceSink, parts: EngineParts, limits: EngineLimits) {
    this.scenario = scenario;
    this.sink = sink;
    this.clients = parts.clients;
    this.services = parts.services;
    this.edges = parts.edges;
    this.brokers = parts.brokers;
    this.bursts = parts.bursts ?? new Map();
    this.limits = limits;
    this.reqs = new Reqs(limits.maxInflight);
    // A broker redelivers, so a message may be processed twice: duplicates are looked for.
    this.retries =
      scenario.clients.some((c) => mayRetry(c.retry)) ||
      scenario.services.some((s) => s.calls.some((k) => mayRetry(k.retry))) ||
      scenario.brokers.length > 0;
    this.watchOk = this.retries || scenario.services.some((s) => s.outlierDetection !== null || s.concurrencyLimit !== null);
    this.degradable = degradable(scenario);
    // A client whose operations carry a key keeps their records: the key lives there.
    for (const c of this.clients)
      c.bare = !this.retries && c.think === null && c.budget === null && c.breaker === null && c.limiter === null && c.keys === null;
    this.faults = new FaultWindows(scenario.faults);
  }

  /** Request `r` reaches its service (handlers/services.ts). */
  abstract arrive(r: number): void;
  /** The attempt `r` of a client's operation ended (`fail` = 0 on success; handlers/clients.ts). */
  abstract clientResult(r: number, fail: number): void;
  /** The response to request `child` of a call came back, or its timeout fired (handlers/calls.ts). */
  abstract callResult(child: number, fail: number): void;
  /** Request `parent` starts its current call, on edge `e` (handlers/calls.ts). */
  abstract beginCall(e: EdgeState, parent: number): void;
  /**
   * Request `r` meets the gates at `s`'s ingress, the concurrency limit then the rate limit: true when it waits or was
   * refused (handlers/concurrency-limits.ts, handlers/rate-limits.ts).
   */
  abstract limitIngress(s: ServiceState, r: number): boolean;
}
