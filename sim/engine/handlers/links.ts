/**
 * Messages a link fault loses (model/link.ts). A lost request never reaches
 * its service, so the callee is done with it at once; a lost response leaves
 * its caller waiting. Either way the caller's timeout, if it has one, ends the
 * wait and frees the request (requests.ts, onTimeout).
 */
import type { EdgeState } from '../model/edge.js';
import type { EngineState } from '../state.js';

/** Request `r` on a call edge was lost on its way to the callee. */
export function requestLost(eng: EngineState, r: number): void {
  eng.reqs.calleeDone[r] = 1;
  countLost(eng, r);
}

/** The response to request `r` on a call edge was lost on its way back (the callee is already done with it). */
export function responseLost(eng: EngineState, r: number): void {
  countLost(eng, r);
}

function countLost(eng: EngineState, r: number): void {
  eng.sink.count((eng.edges[eng.reqs.edge[r]!] as EdgeState).m.lost, 1);
}
