/**
 * The charts of a run as files: `queue-depth.svg` (the headline), one SVG per
 * other chart, rendered offline with vega, and `report.html`, the one page
 * that tells the whole story with the chart libraries inlined.
 */
import { buildCharts } from '../../reports/charts.js';
import { loadChartLibraries } from '../../reports/libraries.js';
import { renderReportPage } from '../../reports/page.js';
import { renderSvg } from '../../reports/render.js';
import type { Issue } from '../scenario/issue.js';
import type { SimulationResult } from '../simulate.js';

/**
 * Renders every chart and the report page of a run; returns [file name, text]
 * pairs, the headline first. The design lints among `warnings` go on the map;
 * with `play`, the report links to the play.html written beside it.
 */
export async function writeCharts(res: SimulationResult, warnings: readonly Issue[] = [], play = false): Promise<[string, string][]> {
  const charts = buildCharts(res.series, res.scenario);
  const out: [string, string][] = [];
  for (const chart of charts) out.push([`${chart.id}.svg`, await renderSvg(chart.spec)]);
  const libraries = await loadChartLibraries();
  out.push(['report.html', renderReportPage({ scenario: res.scenario, summary: res.summary, charts, libraries, warnings, play })]);
  return out;
}
