/**
 * The schema of outlier detection on a service: the load balancer in front of
 * the service counts each replica's consecutive error responses and takes a
 * replica that reaches the limit out of rotation for a while. Names and
 * defaults follow Envoy's outlier detection (`consecutive_5xx`, `interval`,
 * `base_ejection_time`, `max_ejection_percent`, `max_ejection_time`).
 */
import { z } from 'zod';
import { Fraction, PositiveDuration, wholeNumber } from './schema-leaves.js';

/** Envoy's defaults for the fields of `outlierDetection`. */
export const OUTLIER_DEFAULTS = {
  consecutiveErrors: 5, // consecutive_5xx
  interval: '10s', // interval
  baseEjectionTime: '30s', // base_ejection_time
  maxEjectionPercent: '10%', // max_ejection_percent
  maxEjectionTime: '300s', // max_ejection_time
} as const;

/** Outlier detection with Envoy's consecutive-error ejection. */
export const OutlierDetection = z
  .strictObject({
    consecutiveErrors: wholeNumber(1, 1_000_000)
      .default(OUTLIER_DEFAULTS.consecutiveErrors)
      .describe('Error responses in a row from one replica that eject it, 1 to 10^6. Default 5 (Envoy consecutive_5xx).'),
    interval: PositiveDuration.default(OUTLIER_DEFAULTS.interval).describe(
      'How often the detector sweeps: ejected replicas whose time is up return at the sweep. Default 10s (Envoy interval).',
    ),
    baseEjectionTime: PositiveDuration.default(OUTLIER_DEFAULTS.baseEjectionTime).describe(
      'An ejection lasts this times the number of times the replica was ejected (less the sweeps it passed healthy). Default 30s (Envoy base_ejection_time).',
    ),
    maxEjectionPercent: Fraction.default(OUTLIER_DEFAULTS.maxEjectionPercent).describe(
      'Most of the replicas in rotation that may be out at once, e.g. "50%"; one replica may always be ejected. Default 10% (Envoy max_ejection_percent).',
    ),
    maxEjectionTime: PositiveDuration.default(OUTLIER_DEFAULTS.maxEjectionTime).describe(
      'Longest ejection, however many times the replica was ejected. Default 300s (Envoy max_ejection_time).',
    ),
  })
  .describe(
    'Outlier detection (Envoy): a replica that returns consecutiveErrors errors in a row leaves the rotation for baseEjectionTime x its ejection count. None when absent.',
  );
