/**
 * Names of call edges, as metrics and fault targets use them: `caller->callee`.
 * A service that calls the same service more than once (a read, then a write)
 * has one edge per call: the second is `caller->callee#2`, the third `#3`, so
 * every edge has metrics of its own.
 */
import type { Service } from './types.js';

/** The name of the call edge that is the (ordinal + 1)-th call from `caller` to `callee`. */
export function edgeName(caller: string, callee: string, ordinal: number): string {
  return ordinal === 0 ? `${caller}->${callee}` : `${caller}->${callee}#${ordinal + 1}`;
}

/** The edge names of a service's calls, in the order of `calls`. */
export function callEdgeNames(s: Service): string[] {
  return edgeNamesOf(s.name, s.calls);
}

/** The edge names of the calls `caller` makes, in their order (a scenario document's calls as well as normalized ones). */
export function edgeNamesOf(caller: string, calls: readonly { readonly to: string }[]): string[] {
  const seen = new Map<string, number>();
  return calls.map((c) => {
    const ordinal = seen.get(c.to) ?? 0;
    seen.set(c.to, ordinal + 1);
    return edgeName(caller, c.to, ordinal);
  });
}

/** `api->db` → `['api', 'db']`; undefined when the text is not an edge name. */
export function splitEdge(name: string): [string, string] | undefined {
  const at = name.indexOf('->');
  if (at <= 0 || at + 2 >= name.length) return undefined;
  return [name.slice(0, at), name.slice(at + 2)];
}

/**
 * Whether a fault's `target` names edge `edge`: `api->db` names every call from
 * api to db (they share one link, and one cache name), `api->db#2` the second only.
 */
export function edgeTargeted(edge: string, target: string): boolean {
  return edge === target || edge.startsWith(`${target}#`);
}
