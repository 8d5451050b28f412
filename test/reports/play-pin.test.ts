/**
 * Pin and compare: the pinned run's rows go under the current run's plain
 * lines, dashed, on the charts both runs have; the rest is left as it is.
 */
import { describe, expect, it } from 'vitest';
import { buildCharts } from '../../reports/charts.js';
import { overlayPinned, PINNED_LAYER } from '../../reports/play-pin.js';
import type { Spec } from '../../reports/chart-base.js';
import { makeRun, makeScenario } from './fixtures.js';
import { layersOf, rowsOf } from './spec-walk.js';

const charts = buildCharts(makeRun(), makeScenario());
const byId = (id: string): Spec => {
  const chart = charts.find((c) => c.id === id);
  if (chart === undefined) throw new Error(`no chart ${id}`);
  return chart.spec;
};
const names = (spec: Spec): unknown[] => layersOf(spec).map((l) => l['name']);

describe('overlayPinned', () => {
  const pinnedQueue = [{ t: 0.5, series: 'gateway', value: 7 }];
  const out = overlayPinned(charts, { 'queue-depth': pinnedQueue, 'latency-clients': rowsOf(byId('latency-clients')) });
  const queue = out.find((c) => c.id === 'queue-depth')?.spec ?? {};

  it("draws the pinned rows dashed just before the current lines, in the lines' own encoding", () => {
    const layers = layersOf(queue);
    const at = names(queue).indexOf(PINNED_LAYER);
    expect(names(queue)[at + 1]).toBe('series');
    const pinned = layers[at] ?? {};
    const series = layers[at + 1] ?? {};
    expect(pinned['data']).toEqual({ values: pinnedQueue });
    expect(pinned['encoding']).toEqual(series['encoding']);
    expect(pinned['mark']).toMatchObject({ type: 'line', strokeDash: [6, 3], clip: true });
    // The current run's rows and lines are untouched.
    expect(rowsOf(queue)).toEqual(rowsOf(byId('queue-depth')));
    expect(layers.filter((l) => l['name'] !== PINNED_LAYER)).toEqual(layersOf(byId('queue-depth')));
  });

  it('leaves alone the charts the pinned run lacks and those whose lines are already dashed', () => {
    for (const c of out) if (c.id !== 'queue-depth') expect(c).toBe(charts.find((d) => d.id === c.id));
    expect(names(out.find((c) => c.id === 'latency-clients')?.spec ?? {})).not.toContain(PINNED_LAYER);
  });
});
