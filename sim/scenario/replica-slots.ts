/**
 * Per-replica series (`services.<s>.perInstance: true`): which replica
 * indices a service's series cover, their names, and which of their metrics
 * exist. Shared by the engine (which declares them), the expectation checks
 * and the sweep's `--metric` (which name them).
 *
 * A series index is a replica's slot. The replicas a service starts with hold
 * slots 0 to instances - 1, the same numbers a fault gives them (`api[2]`);
 * a replica started later (an autoscaler's, a capacity fault's) takes the
 * lowest slot no replica in service holds, so a service never needs more
 * slots than the most replicas it can have in service at once.
 */
import type { Requirement } from './metric-catalogue.js';

/** What of a fault the slot count reads: a capacity fault's added replicas. */
interface FaultLike {
  readonly kind: string;
  readonly target: string;
  readonly instances?: number | undefined;
}

/**
 * The replica indices the series of service `name` cover: the most replicas
 * it can have in service at once, `instances` or its autoscaler's `max`,
 * whichever is more, plus every replica the capacity faults on it can add.
 */
export function replicaSlots(name: string, instances: number, autoscaleMax: number | null, faults: readonly FaultLike[]): number {
  const added = faults.reduce((n, f) => n + (f.kind === 'capacity' && f.target === name ? Math.max(0, f.instances ?? 0) : 0), 0);
  return Math.max(instances, autoscaleMax ?? 0) + added;
}

/** The component name of slot `i` of service `service`: `api[2]`, as a fault names a replica. */
export function instanceName(service: string, i: number): string {
  return `${service}[${i}]`;
}

/** Whether a replica of a service with `perInstance` and `boundedWorkers` (workers not unlimited) has the metrics requirement `r` asks for. */
export function instanceHas(perInstance: boolean, boundedWorkers: boolean, r: Requirement): boolean {
  return (r === 'perInstance' && perInstance) || (r === 'perInstanceWorkers' && perInstance && boundedWorkers);
}
