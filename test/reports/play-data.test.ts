import * as vega from 'vega';
import * as vegaLite from 'vega-lite';
import { describe, expect, it } from 'vitest';
import { buildCharts, queueDepthEntry, queueDepthLines, type Spec } from '../../reports/charts.js';
import { playChart } from '../../reports/play-data.js';
import { makeRun, makeScenario } from './fixtures.js';

/** A small layered chart: rows at the top level, a fault window in a layer of its own. */
function chart(rows: readonly { t: number; value: number }[], subtitle = 'mean per bucket'): Spec {
  return {
    title: { text: 'Queue depth', subtitle, anchor: 'start' },
    data: { values: rows },
    layer: [
      {
        name: 'faults',
        data: { values: [{ start: 10, end: 20 }] },
        mark: 'rect',
        encoding: { x: { field: 'start', type: 'quantitative' }, x2: { field: 'end' } },
      },
      { name: 'series', mark: 'line', encoding: { x: { field: 't', type: 'quantitative' }, y: { field: 'value', type: 'quantitative' } } },
    ],
  };
}

describe('playChart', () => {
  it('names each inlined data set by where it sits and keeps its rows', () => {
    const rows = [{ t: 1, value: 3 }];
    const c = playChart({ id: 'q', title: 'Queue depth', spec: chart(rows) });
    expect(c.data.map((d) => d.name)).toEqual(['d', 'd.0']);
    expect(c.data[0]!.values).toEqual(rows);
    expect(c.spec['data']).toEqual({ values: rows, name: 'd' });
    expect(((c.spec['layer'] as Spec[])[0]!['data'] as Spec)['name']).toBe('d.0');
  });

  it('gives charts that differ only in their rows, or their title, the same shape; another layer changes it', () => {
    const a = playChart({ id: 'q', title: 'Queue depth', spec: chart([{ t: 1, value: 3 }]) });
    const b = playChart({
      id: 'q',
      title: 'Queue depth',
      spec: chart(
        [
          { t: 1, value: 0 },
          { t: 2, value: 9 },
        ],
        'peak 9',
      ),
    });
    expect(b.shape).toBe(a.shape);
    expect(b.caption).toEqual({ text: 'Queue depth', subtitle: 'peak 9' });
    expect(b.spec['title']).toBeUndefined();
    const more = chart([{ t: 1, value: 3 }]);
    more['layer'] = [...(more['layer'] as Spec[]), { mark: 'point', encoding: { x: { field: 't', type: 'quantitative' } } }];
    expect(playChart({ id: 'q', title: 'Queue depth', spec: more }).shape).not.toBe(a.shape);
  });

  it("spans each linear y scale over at least [0, 1], so an all-zero chart (the report's fixed [0, 1]) keeps its shape once values come", () => {
    const scenario = makeScenario([]);
    const zero = makeRun().series.map((s) => (s.kind === 'stock' ? { ...s, mean: s.mean.map(() => 0), max: s.max.map(() => 0) } : s));
    const busyEntry = queueDepthEntry(makeRun(), scenario);
    const idleEntry = queueDepthEntry({ ...makeRun(), series: zero }, scenario, new Set(queueDepthLines(busyEntry)));
    // The report's chart of an idle run fixes its y domain to [0, 1]; a busy one leaves it to the data.
    expect(JSON.stringify(idleEntry.spec)).toContain('"domain":[0,1]');
    expect(JSON.stringify(busyEntry.spec)).not.toContain('"domain":[0,1]');
    const busy = playChart(busyEntry);
    expect(busy.shape).toBe(playChart(idleEntry).shape);
    const y = (((busy.spec['layer'] as Spec[]).find((l) => l['name'] === 'series')!['encoding'] as Spec)['y'] as Spec)['scale'];
    expect(y).toEqual({ domain: { unionWith: [0, 1] } });
    // A log scale and a domain of the chart's own are left as they are.
    const log = chart([]);
    ((log['layer'] as Spec[])[1]!['encoding'] as Spec)['y'] = { field: 'value', type: 'quantitative', scale: { type: 'log' } };
    expect(JSON.stringify(playChart({ id: 'l', title: '', spec: log }).spec)).not.toContain('unionWith');
  });

  it("keeps the queue-depth chart's lines through a run: those an earlier run drew are drawn while still empty", () => {
    const scenario = makeScenario([]);
    const full = queueDepthEntry(makeRun(), scenario);
    const lines = queueDepthLines(full);
    expect(lines.length).toBeGreaterThan(1);
    const empty = makeRun().series.map((s) => (s.kind === 'stock' ? { ...s, mean: s.mean.map(() => 0), max: s.max.map(() => 0) } : s));
    const early = { ...makeRun(), series: empty };
    expect(queueDepthLines(queueDepthEntry(early, scenario)).length).toBeLessThan(lines.length);
    expect(queueDepthLines(queueDepthEntry(early, scenario, new Set(lines)))).toEqual(lines);
  });

  it("takes new rows in place in a vega view compiled from it: the named data set feeds the view's scales", async () => {
    /** The playground's chart of two buckets of these values. */
    const of = (a: number, b: number) =>
      playChart({
        id: 'q',
        title: 'Queue depth',
        spec: chart([
          { t: 1, value: a },
          { t: 2, value: b },
        ]),
      });
    const first = of(3, 4);
    const view = new vega.View(vega.parse(vegaLite.compile(first.spec as unknown as vegaLite.TopLevelSpec).spec), { renderer: 'none' });
    await view.runAsync();
    expect(view.scale('y').domain()[1]).toBeLessThan(10);
    const next = of(300, 400);
    expect(next.shape).toBe(first.shape);
    for (const d of next.data) view.data(d.name, d.values as object[]);
    await view.runAsync();
    expect(view.scale('y').domain()[1]).toBeGreaterThanOrEqual(400);
    expect(view.data('d')).toHaveLength(2);
    view.finalize();
  });

  it('names the data of every chart of a run, and each chart renders from its named spec', () => {
    for (const entry of buildCharts(makeRun(), makeScenario())) {
      const c = playChart(entry);
      expect(c.data.length).toBeGreaterThan(0);
      expect(() => vega.parse(vegaLite.compile(c.spec as unknown as vegaLite.TopLevelSpec).spec)).not.toThrow();
    }
  });
});
