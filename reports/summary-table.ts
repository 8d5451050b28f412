/**
 * The report's tables: the metrics of `summary.json` (one row per metric, in
 * summary order, with its unit) and the expectations with pass or fail.
 */
import type { Summary } from '../sim/metrics/summary.js';
import { declarationOf, type MetricUnit as CatalogueUnit } from '../sim/scenario/metric-catalogue.js';
import { escapeHtml, formatNumber } from './format.js';

const COLUMNS = ['mean', 'min', 'p50', 'p90', 'p99', 'max', 'last', 'count'] as const;

/** How a metric is shown: its unit and the factor from the summary's value to the shown one. */
export interface MetricDisplay {
  readonly unit: string;
  readonly scale: number;
}

/** The display of each catalogue unit: latencies in ms, rates per second, fractions in percent. */
const DISPLAYS: Readonly<Record<CatalogueUnit, MetricDisplay>> = {
  'per second': { unit: '/s', scale: 1 },
  seconds: { unit: 'ms', scale: 1000 },
  requests: { unit: 'requests', scale: 1 },
  instances: { unit: 'instances', scale: 1 },
  connections: { unit: 'connections', scale: 1 },
  fraction: { unit: '%', scale: 100 },
  'breaker state': { unit: '0 closed … 1 open', scale: 1 },
  messages: { unit: 'messages', scale: 1 },
  'age in seconds': { unit: 's', scale: 1 },
};

/** The display of a metric from its series name, by its unit in the metric catalogue; no unit for a name it lacks. */
export function metricDisplay(name: string): MetricDisplay {
  const declared = declarationOf(name);
  return declared === undefined ? { unit: '', scale: 1 } : DISPLAYS[declared.unit];
}

/** The metrics table: rows in summary order, columns mean/min/p50/p90/p99/max/last/count where present. */
export function renderMetricsTable(summary: Summary): string {
  const entries = Object.entries(summary.metrics);
  if (entries.length === 0) return '<p class="empty">The run recorded no metrics.</p>';
  const blocks = entries.map(([, b]) => b as unknown as Readonly<Record<string, number>>);
  const shown = COLUMNS.filter((c) => blocks.some((b) => typeof b[c] === 'number'));
  const head = `<tr><th scope="col">metric</th><th scope="col">unit</th>${shown.map((c) => `<th scope="col" class="num">${c}</th>`).join('')}</tr>`;
  const rows = entries.map(([name], i) => {
    const block = blocks[i] ?? {};
    const { unit, scale } = metricDisplay(name);
    const cells = shown.map((c) => {
      const v = block[c];
      // A count is a number of responses, never scaled into the metric's unit.
      const shownValue = typeof v !== 'number' ? '' : formatNumber(c === 'count' ? v : v * scale);
      return `<td class="num">${shownValue}</td>`;
    });
    return `<tr><th scope="row"><code>${escapeHtml(name)}</code></th><td class="unit">${escapeHtml(unit)}</td>${cells.join('')}</tr>`;
  });
  return `<table class="metrics"><thead>${head}</thead><tbody>${rows.join('')}</tbody></table>`;
}

/** The expectations table (pass/fail, measured value), or a line saying there were none. */
export function renderExpectationsTable(summary: Summary): string {
  if (summary.expectations.length === 0) {
    return '<p class="empty">The scenario declares no expectations (<code>expect:</code>).</p>';
  }
  const rows = summary.expectations.map((e) => {
    const result = e.ok ? '<span class="pass">✓ pass</span>' : '<span class="fail">✗ fail</span>';
    const actual = e.actual === null ? '—' : typeof e.actual === 'number' ? formatNumber(e.actual) : escapeHtml(e.actual);
    return `<tr class="${e.ok ? 'ok' : 'failed'}"><td><code>${escapeHtml(e.text)}</code></td><td>${result}</td><td class="num">${actual}</td></tr>`;
  });
  const failed = summary.expectations.filter((e) => !e.ok).length;
  const tally =
    failed === 0
      ? `<p class="tally pass">All ${summary.expectations.length} expectations hold.</p>`
      : `<p class="tally fail">${failed} of ${summary.expectations.length} expectations fail.</p>`;
  return (
    tally +
    `<table class="expectations"><thead><tr><th scope="col">expectation</th><th scope="col">result</th>` +
    `<th scope="col" class="num">actual</th></tr></thead><tbody>${rows.join('')}</tbody></table>`
  );
}
