/**
 * The frame of the comparison and sweep pages: one self-contained HTML page
 * like report.html (same stylesheet, same Content-Security-Policy, the chart
 * libraries inlined, nothing fetched), with the charts embedded by the same
 * page script. Pure: the same input gives the same bytes.
 */
import type { ChartEntry } from './chart-base.js';
import { escapeHtml } from './format.js';
import { makeInteractive } from './interactive.js';
import type { ChartLibraries } from './html-document.js';
import { renderHtmlDocument } from './html-document.js';
import { PAGE_CSS } from './page-style.js';

/** Styles the comparison and sweep pages add to report.html's. */
const EXTRA_CSS = `
table.compare td.num small, table.cells td.num small { display: block; color: var(--muted); font-size: 11px; }
/* Names (a stock with what it holds, a series) wrap, so five variants still fit a projector's width. */
td.num.names { white-space: normal; overflow-wrap: anywhere; }
td.bad { color: var(--bad); font-weight: 600; }
td.good { color: var(--ok); font-weight: 600; }
ul.variants { font-size: 14px; padding-left: 20px; }
`;

/** What the frame holds. */
export interface ShellInput {
  /** The `<title>`. */
  readonly title: string;
  /** Body HTML before the charts (header, tables), already escaped. */
  readonly before: string;
  /** Body HTML after the charts, already escaped. */
  readonly after: string;
  readonly charts: readonly ChartEntry[];
  /** Give the first chart a time brush that zooms the others (charts over time only). */
  readonly brush: boolean;
  /** Heading and hint above the charts. */
  readonly chartsHint: string;
  readonly libraries: ChartLibraries;
}

/** The whole page as a string. */
export function renderShell(input: ShellInput): string {
  const { charts, libraries } = input;
  const embedded = charts.map((c, i) => ({
    id: c.id,
    spec: input.brush ? makeInteractive(c.spec, { brush: i === 0 }) : c.spec,
  }));
  const figures = charts
    .map(
      (c) =>
        `<figure class="chart" id="chart-${escapeHtml(c.id)}" data-chart="${escapeHtml(c.id)}">` +
        `<div class="vega" role="img" aria-label="${escapeHtml(c.title)}"></div></figure>`,
    )
    .join('');
  const section =
    charts.length === 0
      ? ''
      : `<section id="charts"><h2>Charts</h2><p class="hint">${input.chartsHint}</p>` +
        `<noscript><p class="empty">The charts need JavaScript. The SVG files next to this page show the same charts.</p></noscript>` +
        `${figures}</section>`;
  const overview = input.brush ? (charts[0]?.id ?? '') : '';
  return renderHtmlDocument({
    title: input.title,
    css: PAGE_CSS + EXTRA_CSS,
    body: `${input.before}${section}${input.after}`,
    charts: embedded,
    libraries,
    overviewId: overview,
  });
}
