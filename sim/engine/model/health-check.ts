/**
 * Active health checking on a service's balancer, after Envoy's
 * `HealthCheck`: every `interval` each ready replica is checked. A check
 * fails when the replica is down (crashed) or paused, or when it would not
 * answer within `timeout`: the check is an HTTP /health served by the same
 * workers, so it waits in the replica's queue like a request, and it is
 * judged by the oldest request waiting there (a check sent now waits at
 * least as long as that one has). The check itself is not put in the queue
 * (it would hold a worker for no request and break the conservation
 * counts). `unhealthyThreshold` failures in a row take the replica out of
 * rotation; `healthyThreshold` passes in a row bring it back.
 *
 * Pure arithmetic on replica numbers: applying a decision (the rotation, the
 * metrics) is handlers/health-checks.ts.
 */
import type { HealthCheck } from '../../scenario/types.js';

/** What a check did to its replica: nothing, took it out of rotation (`unhealthyThreshold` failures in a row), or brought it back (`healthyThreshold` passes in a row). */
export type HealthChange = 'none' | 'out' | 'back';

/** The checker's state for one service. */
export class HealthChecker {
  readonly spec: HealthCheck;
  /** Per replica number: failed checks in a row (0 after a pass). */
  private readonly fails: number[] = [];
  /** Per replica number: passed checks in a row (0 after a failure). */
  private readonly passes: number[] = [];
  /** Per replica number: the check took it out of rotation. */
  private readonly out: boolean[] = [];

  constructor(spec: HealthCheck) {
    this.spec = spec;
  }

  /**
   * Whether a check at a replica passes: it is up and not paused, and the
   * oldest request in its queue (`oldestWait` seconds waited, 0 for an empty
   * queue) has not waited longer than the timeout.
   */
  checkPasses(down: boolean, paused: boolean, oldestWait: number): boolean {
    return !down && !paused && oldestWait <= this.spec.timeout;
  }

  /** Whether replica `index` is out of rotation by the health check. */
  isOut(index: number): boolean {
    return this.out[index] === true;
  }

  /** Records a check of replica `index` that passed (`ok`) or failed; returns what it changed. */
  record(index: number, ok: boolean): HealthChange {
    if (!ok) {
      this.passes[index] = 0;
      const n = (this.fails[index] ?? 0) + 1;
      this.fails[index] = n;
      if (n >= this.spec.unhealthyThreshold && !this.isOut(index)) {
        this.out[index] = true;
        return 'out';
      }
      return 'none';
    }
    this.fails[index] = 0;
    const n = (this.passes[index] ?? 0) + 1;
    this.passes[index] = n;
    if (n >= this.spec.healthyThreshold && this.isOut(index)) {
      this.out[index] = false;
      return 'back';
    }
    return 'none';
  }
}
