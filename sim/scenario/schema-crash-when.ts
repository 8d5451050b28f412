/**
 * The schema of a state trigger that crashes a replica: when one replica's
 * requests in flight (or waiting in its queue) stay above a threshold for a
 * time, it is killed, as Kubernetes kills a container past its memory limit
 * (an OOM kill) or after its liveness probe failed, and restarted after a
 * delay. `for` is the restart delay, as in the `crash` fault.
 */
import { z } from 'zod';
import { Duration, PositiveDuration, wholeNumber } from './schema-leaves.js';

const threshold = (what: string) =>
  wholeNumber(0, 10_000_000)
    .optional()
    .describe(`A replica crashes when its ${what} stay above this many, 0 to 10^7. Give inflight or queue, not both.`);

/** A state trigger: a replica whose load stays above a threshold for `sustained` crashes, down for `for`. */
export const CrashWhen = z
  .strictObject({
    inflight: threshold('requests in flight (waiting plus holding a worker)'),
    queue: threshold('requests waiting in its queue'),
    // An OOM kill is at once: the container is killed the moment it passes its limit.
    sustained: Duration.default(0).describe(
      'How long the load must stay above the threshold, without a dip to it or below, before the replica crashes. Default 0: at once (an OOM kill); a liveness probe is periodSeconds x failureThreshold.',
    ),
    // Kubernetes restarts a crashed container after a back-off that starts at 10s.
    for: PositiveDuration.default('10s').describe(
      "Restart delay, as the crash fault's for: how long the crashed replica stays down (failing fast, still in the rotation) before it restarts cold. Default 10s (the kubelet's first restart back-off).",
    ),
  })
  .describe(
    'Crash a replica whose load stays above a threshold (a Kubernetes OOM kill or liveness failure): its work in flight fails at once, it restarts cold after for. None when absent.',
  );
