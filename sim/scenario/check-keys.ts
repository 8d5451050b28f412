/**
 * Operation keys, where a document draws them (a client's `keys`), routes on
 * them (a route group whose calls name `keys`) or slows them (a latency
 * fault with `keys`): ranges that run forwards, a route by key with no
 * weights, exactly one call for the rest and no key taken twice, a keyed
 * fault that does not also name replicas, and a client that gives keys
 * wherever keys are read.
 */
import type { IssueDraft, PathSegment } from './issue.js';
import * as msg from './messages.js';
import type { ScenarioDocument } from './schema.js';
import { splitReplicaTarget } from './schema-replicas.js';

type CallDoc = ScenarioDocument['services'][string]['calls'][number];

/** A range whose `to` is below its `from`, as an issue at `path`'s `to`. */
function reversed(k: { readonly from: number; readonly to?: number | undefined }, path: PathSegment[]): IssueDraft[] {
  return k.to !== undefined && k.to < k.from ? [{ message: msg.keyRangeReversed(k.from, k.to), path: [...path, 'to'] }] : [];
}

/** The route groups by key of one service's calls: their ranges, weights and the call for the rest. */
function checkKeyRoutes(calls: readonly CallDoc[], path: PathSegment[]): { issues: IssueDraft[]; keyed: PathSegment[] | null } {
  const out: IssueDraft[] = [];
  let keyed: PathSegment[] | null = null;
  const groups = new Map<string, number[]>();
  for (const [i, c] of calls.entries()) if (c.route !== undefined) groups.set(c.route.group, [...(groups.get(c.route.group) ?? []), i]);
  for (const [group, members] of groups) {
    const byKey = members.filter((i) => calls[i]!.route!.keys !== undefined);
    if (byKey.length === 0) continue;
    keyed ??= [...path, byKey[0]!, 'route', 'keys'];
    const without = members.length - byKey.length;
    if (without !== 1) out.push({ message: msg.keyRouteRest(group, without), path: [...path, members[0]!, 'route'] });
    const taken: { from: number; to: number }[] = [];
    for (const i of members) {
      const r = calls[i]!.route!;
      if (r.weight !== undefined) out.push({ message: msg.weightInKeyRoute(group), path: [...path, i, 'route', 'weight'] });
      if (r.keys === undefined) continue;
      const kp = [...path, i, 'route', 'keys'];
      const bad = reversed(r.keys, kp);
      out.push(...bad);
      if (bad.length > 0) continue;
      const range = { from: r.keys.from, to: r.keys.to ?? r.keys.from };
      const clash = taken.find((t) => t.from <= range.to && range.from <= t.to);
      if (clash !== undefined) out.push({ message: msg.keyRangesOverlap(group, Math.max(clash.from, range.from)), path: kp });
      taken.push(range);
    }
  }
  return { issues: out, keyed };
}

/** Every rule on operation keys in `doc`. */
export function checkKeys(doc: ScenarioDocument): IssueDraft[] {
  const out: IssueDraft[] = [];
  const reads: { where: string; path: PathSegment[] }[] = [];
  let drawn = false;
  for (const [name, c] of Object.entries(doc.clients)) {
    if (c.keys === undefined) continue;
    drawn = true;
    out.push(...reversed(c.keys, ['clients', name, 'keys']));
  }
  for (const [name, s] of Object.entries(doc.services)) {
    const { issues, keyed } = checkKeyRoutes(s.calls, ['services', name, 'calls']);
    out.push(...issues);
    if (keyed !== null) reads.push({ where: `Route by key in ${name}`, path: keyed });
  }
  for (const [i, f] of doc.faults.entries()) {
    if (f.kind !== 'latency' || f.keys === undefined) continue;
    const path: PathSegment[] = ['faults', i, 'keys'];
    out.push(...reversed(f.keys, path));
    if (f.replicas !== undefined || splitReplicaTarget(f.target) !== undefined) out.push({ message: msg.keysWithReplicas(), path });
    reads.push({ where: `The latency fault ${i} on keys`, path });
  }
  if (!drawn) for (const r of reads) out.push({ severity: 'warning', message: msg.keysWithoutKeyedClient(r.where), path: r.path });
  return out;
}
