/**
 * report.html: one self-contained page that opens offline. In order: the
 * name, the story and the verdict in one sentence; the structure map; the
 * causal-loop diagram with each loop's gain; the
 * charts (vega-embed, tooltips, a time brush on the queue-depth chart that
 * zooms the others); the summary table and the expectations.
 *
 * Pure: the chart libraries come in as text (see reports/libraries.ts) and
 * are inlined, so the page makes no request at all, which a
 * Content-Security-Policy of `default-src 'none'` also enforces.
 */
import type { Summary } from '../sim/metrics/summary.js';
import type { Issue } from '../sim/scenario/issue.js';
import type { NormalizedScenario } from '../sim/scenario/types.js';
import type { ChartEntry } from './chart-base.js';
import { faultLabel } from './fault-text.js';
import { escapeHtml, formatDuration, formatNumber } from './format.js';
import { makeInteractive } from './interactive.js';
import { renderHtmlDocument, type ChartLibraries } from './html-document.js';
import { PAGE_CSS } from './page-style.js';
import { renderLoopDiagram, renderLoopTable } from './structure-loops.js';
import { renderStructureLegend, renderStructureMap } from './structure-map.js';
import { renderExpectationsTable, renderMetricsTable } from './summary-table.js';
import { describeVerdict, verdictLabel } from './verdict-text.js';

/** What the page is built from. */
export interface ReportPageInput {
  readonly scenario: NormalizedScenario;
  readonly summary: Summary;
  /** From buildCharts; the first one carries the time brush (normally `queue-depth`). */
  readonly charts: readonly ChartEntry[];
  /** The browser bundles to inline, from loadChartLibraries(). */
  readonly libraries: ChartLibraries;
  /** The scenario's warnings from parseScenario; its design lints show on the structure map. Default none. */
  readonly warnings?: readonly Issue[];
  /** A play.html is written beside the report (`loopsim run --play`): link to it. Default false: say how to get one. */
  readonly play?: boolean;
}

/**
 * Nothing may be fetched: scripts and styles are inline; vega compiles
 * expressions with `new Function` (hence 'unsafe-eval'); vega-embed and
 * vega-tooltip add inline styles.
 */
/** The story as paragraphs: blank lines separate paragraphs, single line breaks are wrapping. */
function renderStory(description: string): string {
  const paragraphs = description
    .split(/\n\s*\n/)
    .map((p) => p.trim().replace(/\s*\n\s*/g, ' '))
    .filter((p) => p !== '');
  return paragraphs.length === 0 ? '' : `<div class="story">${paragraphs.map((p) => `<p>${escapeHtml(p)}</p>`).join('')}</div>`;
}

function renderFaults(scenario: NormalizedScenario): string {
  if (scenario.faults.length === 0) return '<p class="faults-none kicker">No faults injected.</p>';
  const items = scenario.faults.map((f) => {
    const when = f.for > 0 ? `${formatNumber(f.at)}–${formatNumber(f.at + f.for)} s` : `at ${formatNumber(f.at)} s`;
    return `<li>${escapeHtml(faultLabel(f))}, ${when}</li>`;
  });
  return `<ul class="faults" aria-label="Faults">${items.join('')}</ul>`;
}

/** The banner of a run a guard stopped: what follows covers only the time up to the stop. */
function renderIncomplete(summary: ReportPageInput['summary']): string {
  const stop = summary.incomplete;
  if (stop === undefined) return '';
  return (
    `<p class="verdict bad" data-incomplete="true"><strong>Incomplete: a guard stopped the run at t=${formatNumber(stop.stoppedAt)} s; ` +
    `everything below covers the time up to the stop.</strong> ${escapeHtml(stop.reason)}</p>`
  );
}

function renderHeader(input: ReportPageInput): string {
  const { scenario, summary } = input;
  const v = summary.verdict;
  const good = v.kind === 'stable' || v.kind === 'recovered';
  const warmup = scenario.warmup > 0 ? `, first ${formatDuration(scenario.warmup)} warmup` : '';
  return (
    `<header>` +
    `<p class="kicker">loopsim report · seed ${summary.seed} · ${formatDuration(scenario.duration)} simulated${warmup} · ` +
    `${formatNumber(summary.events)} events · loopsim ${escapeHtml(summary.version)}</p>` +
    `<h1>${escapeHtml(summary.name)}</h1>` +
    renderIncomplete(summary) +
    renderStory(scenario.description) +
    `<p class="verdict ${good ? 'good' : 'bad'}" data-verdict="${v.kind}"><strong>${escapeHtml(describeVerdict(v, scenario))}</strong></p>` +
    `<p class="reason"><span class="kind">${escapeHtml(verdictLabel(v.kind))}</span> · ${escapeHtml(v.reason)}</p>` +
    renderFaults(scenario) +
    renderTryIt(input.play ?? false) +
    `<nav><a href="#structure">Structure</a><a href="#loops">Loops</a><a href="#charts">Charts</a><a href="#summary">Summary</a><a href="#expectations">Expectations</a></nav>` +
    `</header>`
  );
}

/** "Try it": the link to the playground beside the report, or how to write one. */
function renderTryIt(play: boolean): string {
  return play
    ? `<p class="try-it">Try it: <a href="play.html">open this scenario in the playground</a>, ` +
        `move a timeout or cut a retry loop, and watch the verdict change, in your browser.</p>`
    : `<p class="try-it hint">Try it: <code>loopsim run --play</code> also writes play.html beside this report, ` +
        `the scenario in your browser with a slider for each “what if?” (or <code>loopsim play &lt;file&gt;</code> alone).</p>`;
}

function renderCharts(charts: readonly ChartEntry[]): string {
  const figures = charts.map(
    (c) =>
      `<figure class="chart" id="chart-${escapeHtml(c.id)}" data-chart="${escapeHtml(c.id)}">` +
      `<div class="vega" role="img" aria-label="${escapeHtml(c.title)}"></div></figure>`,
  );
  const first = charts[0];
  const hint =
    first === undefined
      ? ''
      : `<p class="hint">Drag across “${escapeHtml(first.title)}” to zoom every other chart to that time span; ` +
        `double-click it to reset. Hover a chart to read every line at that moment. Shaded: fault windows.</p>`;
  return (
    `<section id="charts"><h2>Charts</h2>${hint}` +
    `<noscript><p class="empty">The charts need JavaScript. The SVG files next to this report show the same charts.</p></noscript>` +
    `${figures.join('')}</section>`
  );
}

/**
 * The whole report.html as a string. Deterministic (no clock, no paths): the
 * same input gives the same bytes. All text from the scenario and summary is
 * HTML-escaped.
 */
export function renderReportPage(input: ReportPageInput): string {
  const { scenario, summary, charts, libraries } = input;
  const interactive = charts.map((c, i) => ({ id: c.id, spec: makeInteractive(c.spec, { brush: i === 0 }) }));
  const body =
    renderHeader(input) +
    `<section id="structure"><h2>Structure</h2>` +
    `<p class="hint">Clients on the left, then services by call depth. Each arrow carries the caller's policy for that call.</p>` +
    `<div class="map-scroll">${renderStructureMap(scenario, input.warnings)}</div>${renderStructureLegend()}</section>` +
    `<section id="loops"><h2>Feedback loops</h2>` +
    `<p class="hint">The causal loops of this structure. R: reinforcing (it amplifies a deviation), B: balancing (it pushes back). ` +
    `Each arrow says what it carries. A gain of 1 or more means the loop sustains itself; in red, the loop the verdict names.</p>` +
    `<div class="map-scroll">${renderLoopDiagram(summary.loops, summary.verdict.loop)}</div>` +
    `<div class="table-scroll">${renderLoopTable(summary.loops, summary.verdict.loop)}</div></section>` +
    renderCharts(charts) +
    `<section id="summary"><h2>Summary</h2>` +
    `<p class="hint">Over the measured window (after warmup). Rates and stocks: statistics over bucket values; ` +
    `a stock's max is its true peak. Latencies: over every response, in ms.</p>` +
    `<div class="table-scroll">${renderMetricsTable(summary)}</div></section>` +
    `<section id="expectations"><h2>Expectations</h2>${renderExpectationsTable(summary)}</section>` +
    `<footer>Generated by loopsim ${escapeHtml(summary.version)} from scenario “${escapeHtml(summary.name)}”, seed ${summary.seed}. ` +
    `This page is self-contained and works offline.</footer>`;
  return renderHtmlDocument({
    title: `${summary.name} — loopsim report`,
    css: PAGE_CSS,
    body,
    charts: interactive,
    libraries,
    overviewId: charts[0]?.id ?? '',
  });
}
