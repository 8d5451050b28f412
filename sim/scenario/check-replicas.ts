/**
 * Checks on a fault that names one replica (`target: api[2]`): the kind can
 * hit one replica (latency, errors, pause), the service exists, the replica
 * number is one the service can have, and `replicas` is not given as well.
 */
import type { IssueDraft, PathSegment } from './issue.js';
import * as msg from './messages.js';
import type { ScenarioDocument } from './schema.js';
import { splitReplicaTarget } from './schema-replicas.js';

type Fault = ScenarioDocument['faults'][number];

/**
 * The issues of fault `i` when its target names a replica; undefined when it
 * does not (a plain name, or a name the usual target check should report).
 */
export function checkReplicaTarget(f: Fault, i: number, doc: ScenarioDocument): IssueDraft[] | undefined {
  const replica = splitReplicaTarget(f.target);
  if (replica === undefined || f.kind === 'cacheFlush' || f.kind === 'link') return undefined;
  const path: PathSegment[] = ['faults', i, 'target'];
  const found = `"${f.target}"`;
  const s = doc.services[replica.service];
  if (s === undefined)
    return f.kind === 'traffic' || f.kind === 'burst'
      ? undefined
      : [{ message: msg.unknownService(replica.service, Object.keys(doc.services)), path, found }];
  if (f.kind === 'traffic' || f.kind === 'burst') {
    const clients = Object.keys(doc.clients);
    return [{ message: msg.replicaTargetOfClientFault(f.kind, f.target, replica.service, clients), path, expected: 'a client', found }];
  }
  if (f.kind === 'capacity') {
    return [{ message: msg.replicaTargetKind(f.kind, f.target, replica.service), path, expected: `"${replica.service}"`, found }];
  }
  if (f.replicas !== undefined) return [{ message: msg.replicasTwice(f.target), path: ['faults', i, 'replicas'] }];
  // Replicas started by an autoscaler or a capacity fault take new numbers, so only a fixed count bounds the number.
  const grows = s.autoscale !== undefined || doc.faults.some((g) => g.kind === 'capacity' && g.target === replica.service);
  if (!grows && replica.index >= s.instances) {
    return [{ message: msg.replicaOutOfRange(f.target, replica.service, s.instances), path, found }];
  }
  return [];
}

/**
 * A crash fails the work in flight on its replicas at once; a request that
 * is waiting on a downstream call is not modelled as killed, so a crash may
 * only target a service that makes no calls (a leaf: a cache node, a
 * database replica, a worker that computes).
 */
export function checkCrashTarget(f: Fault, i: number, doc: ScenarioDocument): IssueDraft[] {
  if (f.kind !== 'crash') return [];
  const name = splitReplicaTarget(f.target)?.service ?? f.target;
  const s = doc.services[name];
  if (s === undefined || s.calls.length === 0) return [];
  return [
    {
      message: msg.crashWithCalls(
        name,
        s.calls.map((c) => c.to),
      ),
      path: ['faults', i, 'target'],
      found: `"${f.target}"`,
    },
  ];
}
