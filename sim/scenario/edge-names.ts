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
  const seen = new Map<string, number>();
  return s.calls.map((c) => {
    const ordinal = seen.get(c.to) ?? 0;
    seen.set(c.to, ordinal + 1);
    return edgeName(s.name, c.to, ordinal);
  });
}
