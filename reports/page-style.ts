/**
 * The report page's stylesheet: a light theme in system fonts (nothing to
 * download), readable line lengths, and a print layout that keeps each chart
 * and table row on one page.
 */

/** CSS inlined into report.html. */
export const PAGE_CSS = `
:root {
  --ink: #1d2430; --muted: #5a6472; --rule: #d9dde3; --paper: #fff; --panel: #f6f7f9;
  --ok: #1f7a3a; --ok-bg: #e8f5ec; --bad: #b42318; --bad-bg: #fdecea; --warn: #b45309;
}
* { box-sizing: border-box; }
html { background: var(--paper); color: var(--ink); }
body {
  margin: 0 auto; padding: 24px 28px 48px; max-width: 940px;
  font: 15px/1.55 system-ui, -apple-system, "Segoe UI", Roboto, Helvetica, Arial, sans-serif;
}
h1 { font-size: 28px; margin: 4px 0 12px; letter-spacing: -0.01em; }
h2 { font-size: 19px; margin: 36px 0 10px; padding-bottom: 4px; border-bottom: 1px solid var(--rule); }
code { font: 13px/1.4 ui-monospace, "SF Mono", Menlo, Consolas, monospace; }
.kicker { color: var(--muted); font-size: 13px; margin: 0; }
.story { max-width: 72ch; }
.story p { margin: 0 0 10px; }
.verdict { margin: 16px 0 6px; padding: 12px 16px; border-radius: 6px; border-left: 5px solid; font-size: 16px; }
.verdict.good { background: var(--ok-bg); border-color: var(--ok); }
.verdict.bad { background: var(--bad-bg); border-color: var(--bad); }
.reason { color: var(--muted); font-size: 13px; margin: 0 0 8px; max-width: 80ch; }
.faults { font-size: 14px; margin: 8px 0 0; padding-left: 20px; }
nav { font-size: 14px; margin: 18px 0 0; color: var(--muted); }
nav a { color: #2456a6; margin-right: 14px; text-decoration: none; }
nav a:hover { text-decoration: underline; }
.map-scroll { overflow-x: auto; border: 1px solid var(--rule); border-radius: 6px; padding: 8px; background: #fcfcfd; }
/* Maps and wide tables may use the whole window, not only the text column: as wide as their content,
   at least the column, at most the window less a margin, centred on the column. */
.map-scroll, .table-scroll { position: relative; left: 50%; transform: translateX(-50%); width: max-content; min-width: 100%; max-width: calc(100vw - 40px); }
.map-scroll svg { display: block; margin: 0 auto; max-width: 100%; height: auto; }
ul.legend { list-style: none; padding: 0; margin: 10px 0 0; font-size: 13px; color: var(--muted); }
ul.legend li { margin: 3px 0; }
ul.legend svg { vertical-align: middle; }
.hint { color: var(--muted); font-size: 13px; margin: 0 0 12px; }
figure.chart { margin: 0 0 26px; break-inside: avoid; page-break-inside: avoid; }
figure.chart .vega { min-height: 120px; }
figure.chart .vega.error { color: var(--bad); font-size: 14px; }
.vega-embed { display: block !important; }
.vega-embed svg { max-width: 100%; height: auto; }
table { border-collapse: collapse; width: 100%; font-size: 13px; }
th, td { padding: 4px 8px; border-bottom: 1px solid var(--rule); text-align: left; vertical-align: top; }
thead th { position: sticky; top: 0; background: var(--panel); font-weight: 600; }
tbody th { font-weight: normal; }
td.num, th.num { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }
td.unit { color: var(--muted); white-space: nowrap; }
.table-scroll { overflow-x: auto; }
/* Column heads (variant labels) wrap rather than widen the table. */
thead th, thead th.num { white-space: normal; overflow-wrap: anywhere; }
table.loops tr.dominant td { color: #c62828; font-weight: 600; }
.pass { color: var(--ok); font-weight: 600; }
.fail { color: var(--bad); font-weight: 600; }
tr.failed { background: var(--bad-bg); }
.tally { margin: 0 0 8px; }
.empty { color: var(--muted); }
footer { margin-top: 40px; color: var(--muted); font-size: 12px; }
@media print {
  body { max-width: none; padding: 0; font-size: 11pt; }
  nav, .hint { display: none; }
  .map-scroll { overflow: visible; border: none; }
  .map-scroll svg { min-width: 0 !important; }
  thead th { position: static; }
  h2 { break-after: avoid; page-break-after: avoid; }
  tr { break-inside: avoid; page-break-inside: avoid; }
  .verdict { -webkit-print-color-adjust: exact; print-color-adjust: exact; }
}
`;
