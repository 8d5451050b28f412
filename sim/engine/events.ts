/**
 * The kinds of event the engine schedules, each named for what has happened
 * when it pops, with its payload words (a, b) beside it. An event about a
 * request or an operation carries the id's generation in `b`: when the id
 * has been reused since, the event is stale and does nothing.
 *
 * Which handler each kind runs is decided in one place, `Engine.step`
 * (engine.ts). The numbers are small consecutive integers so that the
 * switch there compiles to a jump table; the kinds every request goes
 * through come first.
 */

/** An open-loop client's next arrival is due. a: client; b: 1 when it only marks a change of rate (no arrival). */
export const ARRIVAL_DUE = 0;
/** A closed-loop user finished thinking. a: client, b: user. */
export const THINK_ENDED = 1;
/** A request crossed the network to its service. a: request, b: generation. */
export const REQUEST_ARRIVED = 2;
/** A request's local work at its service is done. a: request, b: generation. */
export const WORK_DONE = 3;
/** A response crossed the network back to its caller. a: request, b: generation. */
export const RESPONSE_ARRIVED = 4;
/** The caller's timeout on a request fired. a: request, b: generation. */
export const TIMEOUT_FIRED = 5;
/** A client's backoff before retrying an operation ended. a: operation, b: generation. */
export const OP_BACKOFF_ENDED = 6;
/** A request's backoff before retrying its current call ended. a: the calling request, b: generation. */
export const CALL_BACKOFF_ENDED = 7;
/** A fault window opened. a: fault index. */
export const FAULT_STARTED = 8;
/** A fault window closed. a: fault index. */
export const FAULT_ENDED = 9;
/** A cache read (`hitTime`) finished. a: the calling request, b: generation. */
export const CACHE_READ_DONE = 10;
/** A wait for a pool connection reached `acquireTimeout`. a: the calling request, b: generation. */
export const POOL_WAIT_EXPIRED = 11;
/** An autoscaler's period ended: time to evaluate it. a: service. */
export const AUTOSCALE_DUE = 12;
/** A replica finished warming up. a: service, b: instance. */
export const INSTANCE_WARMED = 13;
/** A broker message's timer ran out: its visibility timeout, or its redelivery delay. a: message (operation id), b: receipt. */
export const MESSAGE_TIMER_ENDED = 14;
/** A call's fallback finished its local work (fallback.serviceTime). a: the calling request, b: generation. */
export const FALLBACK_DONE = 15;
/** A rate limit's bucket holds a token for the first request waiting for one. a: service. */
export const TOKEN_READY = 16;
/** A ramped fault size reached its next step (model/fault.ts). a: fault index. */
export const FAULT_STEPPED = 17;
/** An operation of a burst is due (model/burst.ts). a: fault index, b: the operation's number in the burst, from 0. */
export const BURST_OP_DUE = 18;
/** A service's outlier detector sweeps: ejected replicas whose time is up return. a: service. */
export const OUTLIER_SWEEP = 19;
/** A client's or a call's rate limit holds a token for the first attempt waiting for one. a: client, b: -1; or a: edge, b: caller instance. */
export const LIMIT_TOKEN_READY = 20;
/** A replica's load has stayed above its service's crashWhen threshold for the time it asks: it crashes, unless a dip cancelled it. a: service, b: replica. */
export const LOAD_HELD = 21;
/** A replica the crash trigger took down has waited out its restart delay: it restarts cold. a: service, b: replica. */
export const RESTART_DELAY_ENDED = 22;
/** A hedged call's delay ran out without an answer: the next copy is due. a: the calling request, b: generation. */
export const HEDGE_DUE = 23;
/** A service's health checker checks every ready replica (model/health-check.ts). a: service. */
export const HEALTH_CHECK_DUE = 24;
