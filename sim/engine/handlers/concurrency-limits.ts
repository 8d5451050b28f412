/**
 * The adaptive concurrency limit at a service's ingress
 * (model/concurrency-limit.ts). It is the first gate a request meets, before
 * the rate limit: one that finds as many requests inside the service as the
 * limit is refused at once (a rejection, counted as `concurrencyLimited`),
 * without a sample. Every request it let in is a sample when it leaves the
 * service: answered (on time or late), failed, rejected by the service's
 * queue or dropped as expired. Requests the rate limit refuses after it and
 * those a crash kills are not samples: the limit learns from the service's
 * own answers.
 */
import type { AimdLimit } from '../model/concurrency-limit.js';
import { OUT_REJECTED } from '../model/entities.js';
import type { ServiceState } from '../model/service.js';
import type { EngineState } from '../state.js';
import { respond } from './requests.js';

/** Request `r` just arrived at `s` (counted inside): true when the limit refuses it (it has been answered). */
export function refuseOverLimit(eng: EngineState, s: ServiceState, c: AimdLimit, r: number): boolean {
  if (c.admits(s.inside - 1)) return false;
  eng.reqs.outcome[r] = OUT_REJECTED;
  s.inside--;
  eng.sink.count(s.m.concurrencyLimited, 1);
  respond(eng, r);
  return true;
}

/** Request `r` leaves `s` (already counted out), `dropped` when it did not succeed: one sample of the limit. */
export function sampleLimit(eng: EngineState, s: ServiceState, c: AimdLimit, r: number, dropped: boolean): void {
  if (c.sample(eng.q.now - eng.reqs.arrivedAt[r]!, s.inside + 1, dropped)) eng.sink.level(s.m.concurrencyLimit, c.limit);
}
