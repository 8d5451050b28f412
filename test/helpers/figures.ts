/**
 * The figures a run adds beyond the classic ones when nothing happened to it:
 * no stock held work, no damage measured, nothing draining, nothing swinging.
 * Tests that build RunFigures by hand spread it in and override what they test.
 */
import type { RunFigures } from '../../sim/sweep/figures.js';

/** A run's diagnosis figures, all quiet. */
export const QUIET_FIGURES = {
  peakBacklog: 0,
  backlogStock: null,
  lostOperations: null,
  worstGoodputShare: null,
  secondsBelowHalf: null,
  drainSeconds: null,
  oscillation: null,
  periodSeconds: null,
} as const satisfies Partial<RunFigures>;
