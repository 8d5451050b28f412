/** The report's metrics table takes each metric's unit from the metric catalogue. */
import { describe, expect, it } from 'vitest';
import { metricDisplay } from '../../reports/summary-table.js';
import { METRIC_CATALOGUE } from '../../sim/scenario/metric-catalogue.js';

describe('metricDisplay', () => {
  it('shows latencies in ms, fractions in percent, rates per second', () => {
    expect(metricDisplay('api.latency')).toEqual({ unit: 'ms', scale: 1000 });
    expect(metricDisplay('api->db#2.cache.hitRatio')).toEqual({ unit: '%', scale: 100 });
    expect(metricDisplay('users.goodput')).toEqual({ unit: '/s', scale: 1 });
    expect(metricDisplay('api->db.pool.waiting')).toEqual({ unit: 'requests', scale: 1 });
  });

  it('has a unit for every catalogued metric, and none for a name the catalogue lacks', () => {
    for (const m of METRIC_CATALOGUE) expect(metricDisplay(`x.${m.name}`).unit, m.name).not.toBe('');
    expect(metricDisplay('api.nothing')).toEqual({ unit: '', scale: 1 });
  });
});
