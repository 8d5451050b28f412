/**
 * The schema of active health checking on a service: the load balancer in
 * front of the service checks each replica every `interval`; a replica that
 * fails `unhealthyThreshold` checks in a row leaves the rotation, and comes
 * back after `healthyThreshold` passes in a row. Names follow Envoy's
 * `HealthCheck` (`interval`, `timeout`, `unhealthy_threshold`,
 * `healthy_threshold`). Envoy requires all four and has no defaults; the
 * defaults here are those of a Kubernetes readiness probe, the other common
 * counterpart (`periodSeconds` 10, `timeoutSeconds` 1, `failureThreshold` 3,
 * `successThreshold` 1).
 */
import { z } from 'zod';
import { PositiveDuration, wholeNumber } from './schema-leaves.js';

/** The defaults of `healthCheck`: a Kubernetes readiness probe's (Envoy requires every field). */
export const HEALTH_CHECK_DEFAULTS = {
  interval: '10s', // periodSeconds
  timeout: '1s', // timeoutSeconds
  unhealthyThreshold: 3, // failureThreshold
  healthyThreshold: 1, // successThreshold
} as const;

/** Active health checking with Envoy's thresholds. */
export const HealthCheck = z
  .strictObject({
    interval: PositiveDuration.default(HEALTH_CHECK_DEFAULTS.interval).describe(
      'How often each replica is checked. Default 10s (Envoy interval, required there; Kubernetes periodSeconds).',
    ),
    timeout: PositiveDuration.default(HEALTH_CHECK_DEFAULTS.timeout).describe(
      'A check fails when the replica is down or paused, or when the oldest request waiting in its queue has waited longer than this (the check would wait behind it). Default 1s (Envoy timeout; Kubernetes timeoutSeconds).',
    ),
    unhealthyThreshold: wholeNumber(1, 1_000_000)
      .default(HEALTH_CHECK_DEFAULTS.unhealthyThreshold)
      .describe(
        'Failed checks in a row that take a replica out of rotation, 1 to 10^6. Default 3 (Envoy unhealthy_threshold; Kubernetes failureThreshold).',
      ),
    healthyThreshold: wholeNumber(1, 1_000_000)
      .default(HEALTH_CHECK_DEFAULTS.healthyThreshold)
      .describe('Passed checks in a row that bring it back, 1 to 10^6. Default 1 (Envoy healthy_threshold; Kubernetes successThreshold).'),
  })
  .describe(
    'Active health checking (Envoy): each replica is checked every interval; unhealthyThreshold failures in a row take it out of rotation, healthyThreshold passes bring it back. None when absent.',
  );
