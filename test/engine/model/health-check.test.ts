/**
 * The health checker's counting (model/health-check.ts) against Envoy's
 * documented rules: `unhealthy_threshold` failed checks in a row mark a host
 * unhealthy, `healthy_threshold` passed checks in a row mark it healthy again,
 * a pass resets the failures and a failure the passes; a check that is not
 * answered within `timeout` is a failure.
 */
import { describe, expect, it } from 'vitest';
import { HealthChecker } from '../../../sim/engine/model/health-check.js';
import type { HealthCheck } from '../../../sim/scenario/types.js';

const spec = (over: Partial<HealthCheck> = {}): HealthCheck => ({
  interval: 1,
  timeout: 1,
  unhealthyThreshold: 3,
  healthyThreshold: 2,
  ...over,
});

describe('the health checker', () => {
  it('takes a replica out at the third failure in a row, not before', () => {
    const hc = new HealthChecker(spec());
    expect([hc.record(0, false), hc.record(0, false)]).toEqual(['none', 'none']);
    expect(hc.isOut(0)).toBe(false);
    expect(hc.record(0, false)).toBe('out');
    expect(hc.isOut(0)).toBe(true);
    // Further failures change nothing.
    expect(hc.record(0, false)).toBe('none');
    expect(hc.isOut(0)).toBe(true);
  });

  it('starts the count again after a pass', () => {
    const hc = new HealthChecker(spec());
    hc.record(0, false);
    hc.record(0, false);
    expect(hc.record(0, true)).toBe('none');
    expect([hc.record(0, false), hc.record(0, false)]).toEqual(['none', 'none']);
    expect(hc.record(0, false)).toBe('out');
  });

  it('brings a replica back after healthyThreshold passes in a row; a failure between starts them again', () => {
    const hc = new HealthChecker(spec());
    for (let i = 0; i < 3; i++) hc.record(1, false);
    expect(hc.record(1, true)).toBe('none');
    expect(hc.record(1, false)).toBe('none');
    expect(hc.record(1, true)).toBe('none');
    expect(hc.record(1, true)).toBe('back');
    expect(hc.isOut(1)).toBe(false);
    // A replica in rotation that passes is not "brought back".
    expect(hc.record(1, true)).toBe('none');
  });

  it('keeps each replica apart', () => {
    const hc = new HealthChecker(spec({ unhealthyThreshold: 1 }));
    expect(hc.record(2, false)).toBe('out');
    expect(hc.isOut(0)).toBe(false);
    expect(hc.isOut(2)).toBe(true);
  });

  it('fails a check when the replica is down or paused, or its oldest queued request waited longer than the timeout', () => {
    const hc = new HealthChecker(spec({ timeout: 0.5 }));
    expect(hc.checkPasses(false, false, 0)).toBe(true);
    expect(hc.checkPasses(false, false, 0.5)).toBe(true);
    expect(hc.checkPasses(false, false, 0.51)).toBe(false);
    expect(hc.checkPasses(true, false, 0)).toBe(false);
    expect(hc.checkPasses(false, true, 0)).toBe(false);
  });
});
