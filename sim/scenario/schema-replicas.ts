/**
 * Which replicas of a service a fault hits (`replicas:` on a latency, errors
 * or pause fault): a count of replicas or a share of them. A single replica is
 * named in the target instead (`target: api[2]`, see check-references.ts).
 */
import { z } from 'zod';
import * as msg from './messages.js';
import { MAX_INSTANCES } from './schema-service.js';
import { PERCENT_PATTERN, toFraction } from './units.js';

const replicasError = (): string => msg.expectReplicas(MAX_INSTANCES);

/** `replicas:` on a fault: a whole number of replicas, or a share of them as a percentage above 0%. */
export const Replicas = z
  .union(
    [
      z.number({ error: replicasError }).int().min(1).max(MAX_INSTANCES),
      z
        .string({ error: replicasError })
        .regex(PERCENT_PATTERN)
        .refine((s) => toFraction(s) > 0 && toFraction(s) <= 1),
    ],
    { error: replicasError },
  )
  .optional()
  .describe(
    'The replicas hit: a count (2: the two lowest-numbered replicas in service) or a share ("25%": a quarter of them, rounded up), ' +
      'chosen when the window opens. Default: every replica. To hit one replica by its number, write the target as api[2].',
  );

/** `api[2]` split into the service name and the replica number; undefined for a plain name. */
export function splitReplicaTarget(target: string): { service: string; index: number } | undefined {
  const m = /^(.+)\[(\d+)\]$/.exec(target);
  return m ? { service: m[1] as string, index: Number(m[2]) } : undefined;
}
