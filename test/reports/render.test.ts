import { describe, expect, it } from 'vitest';
import { buildCharts, queueDepthEntry, type Spec } from '../../reports/charts.js';
import { renderSvg } from '../../reports/render.js';
import { makeRun, makeScenario, stock } from './fixtures.js';

/** The headline chart's spec. */
const queueDepthSpec = (...args: Parameters<typeof queueDepthEntry>): Spec => queueDepthEntry(...args).spec;

describe('renderSvg', () => {
  it('renders the queue-depth chart offline to an SVG document about 800 pixels wide', async () => {
    const svg = await renderSvg(queueDepthSpec(makeRun(), makeScenario()));
    expect(svg.startsWith('<svg')).toBe(true);
    const width = Number(/<svg[^>]*\swidth="(\d+(?:\.\d+)?)"/.exec(svg)?.[1]);
    expect(width).toBeGreaterThan(700);
    expect(width).toBeLessThan(900);
    // vega draws a line mark per colour group: one per service, one for the pool's waiters.
    expect(svg.match(/<g class="mark-line role-mark[^"]*"/g)).toHaveLength(4);
    expect(svg.match(/<g class="mark-rect role-mark[^"]*"/g)).toHaveLength(1);
    expect(svg).toContain('latency +200ms on db');
    expect(svg).toContain('cache flush on gateway-&gt;db');
    expect(svg).toContain('time (s)');
  });

  it('is deterministic: the same spec gives the same bytes, whatever was rendered before', async () => {
    const charts = buildCharts(makeRun(), makeScenario());
    const spec = charts[0]!.spec;
    const first = await renderSvg(spec);
    for (const other of charts.slice(1)) await renderSvg(other.spec);
    const again = await renderSvg(structuredClone(spec));
    expect(again).toBe(first);
  });

  it('gives the same bytes when charts are rendered concurrently', async () => {
    const specs = buildCharts(makeRun(), makeScenario()).map((c) => c.spec);
    const sequential: string[] = [];
    for (const spec of specs) sequential.push(await renderSvg(spec));
    expect(await Promise.all(specs.map((spec) => renderSvg(spec)))).toEqual(sequential);
  });

  it('renders every chart without a vega or vega-lite warning', async () => {
    for (const chart of buildCharts(makeRun(), makeScenario())) {
      const warnings: string[] = [];
      const svg = await renderSvg(chart.spec, { warn: (m) => warnings.push(m) });
      expect(warnings, chart.id).toEqual([]);
      expect(svg, chart.id).toContain('role-mark');
    }
  });

  it('labels an all-zero axis with plain numbers, not 0.000000', async () => {
    // Every stock that can hold work: the headline chart draws each that held any.
    const zero = ['gateway.queue', 'db.queue', 'auth.queue', 'gateway->db.pool.waiting'].map((name) => stock(name, () => 0));
    const svg = await renderSvg(queueDepthSpec(makeRun(zero), makeScenario()));
    const labels = [...svg.matchAll(/<text[^>]*>([^<]*)<\/text>/g)].map((m) => m[1]);
    expect(labels).not.toContain('0.000000');
    expect(labels).toEqual(expect.arrayContaining(['0.0', '0.2', '1.0']));
  });

  it('embeds no external reference', async () => {
    const svg = await renderSvg(queueDepthSpec(makeRun(), makeScenario()));
    const withoutNamespaces = svg.replace(/xmlns(:\w+)?="[^"]*"/g, '');
    expect(withoutNamespaces).not.toMatch(/https?:\/\//);
  });
});
