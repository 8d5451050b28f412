/**
 * play.html: the playground, one self-contained page that carries the
 * scenario's text, loopsim's engine (dist/play/engine.js, built from
 * play-worker.ts) and the chart libraries, and runs the scenario in the
 * browser. Pure: the caller passes the engine's and the libraries' sources.
 */
import { escapeHtml } from './format.js';
import { renderHtmlDocument, type ChartLibraries } from './html-document.js';
import { PAGE_CSS } from './page-style.js';
import { playScript } from './play-script.js';

/** What {@link renderPlayPage} needs. */
export interface PlayPageInput {
  /** The scenario file's name (its base name: the scenario's name comes from it when the file gives none). */
  readonly file: string;
  /** The scenario file's text, as the editor shows it and the engine parses it. */
  readonly text: string;
  /** `--set` overrides every run starts from, under the controls' (the seed of a `loopsim run --seed N --play`). Default none. */
  readonly sets?: readonly string[];
  /** The source of the engine bundle (dist/play/engine.js). */
  readonly engine: string;
  readonly libraries: ChartLibraries;
  /** loopsim's version, shown in the footer. */
  readonly version: string;
}

const SCENARIO_ID = 'loopsim-scenario';
const ENGINE_ID = 'loopsim-engine';

/** The playground's additions to the report's stylesheet: the controls beside the results. */
const PLAY_CSS = `
body { max-width: 1280px; }
.play { display: grid; grid-template-columns: minmax(260px, 340px) 1fr; gap: 24px; align-items: start; }
.play aside { position: sticky; top: 8px; max-height: calc(100vh - 16px); overflow-y: auto; font-size: 13px; }
.switch { display: block; margin: 0 0 6px; }
.switch.moved { font-weight: 600; }
.control { display: grid; grid-template-columns: 1fr auto; gap: 0 8px; margin: 0 0 8px; }
.control span { grid-column: 1 / 3; color: var(--muted); }
.control.moved span { color: var(--ink); font-weight: 600; }
.control input, .control select { width: 100%; }
.control output { font-variant-numeric: tabular-nums; min-width: 5ch; text-align: right; }
.cursor { display: flex; gap: 8px; align-items: center; }
.cursor input { flex: 1; }
figure.chart { position: relative; contain: layout paint; content-visibility: auto; contain-intrinsic-size: auto 320px; }
figure.chart .plot { position: relative; }
.cursor-line { position: absolute; width: 0; border-left: 1.5px solid rgba(33, 33, 33, 0.55); pointer-events: none; }
#moment td { padding: 1px 8px; font-variant-numeric: tabular-nums; }
#progress { width: 100%; height: 6px; }
#message { white-space: pre-wrap; color: var(--bad); background: var(--bad-bg); padding: 8px 12px; border-radius: 6px; font: 13px/1.4 ui-monospace, Menlo, Consolas, monospace; }
#warnings { white-space: pre-wrap; color: var(--warn); font-size: 13px; }
#editor { width: 100%; font: 12px/1.4 ui-monospace, Menlo, Consolas, monospace; tab-size: 2; }
pre#summary-json { max-height: 420px; overflow: auto; background: var(--panel); padding: 8px; font-size: 12px; }
`;

/** The whole play.html; the same input gives the same bytes. */
export function renderPlayPage(input: PlayPageInput): string {
  const body =
    `<p class="kicker">loopsim playground · ${escapeHtml(input.file)}</p>` +
    `<h1>What if…?</h1>` +
    `<div class="play">` +
    `<aside><p class="hint">Move a control or cut a loop: the scenario runs again in your browser. ` +
    `Bold: changed from the file.</p><button id="reset" type="button">Back to the file's values</button>` +
    `<p class="hint">The address of this page replays what you see: share it. Or paste a shared link here: ` +
    `<input id="import" type="text" placeholder="…play.html#v1.…" aria-label="a shared playground link"></p>` +
    `<h2>Cut a loop</h2><div id="switches"></div>` +
    `<h2>What if…</h2><div id="controls"></div></aside>` +
    `<main><progress id="progress" max="1" value="0"></progress>` +
    `<pre id="message" hidden></pre>` +
    `<div id="verdict" class="verdict">Running…</div><p id="warnings"></p>` +
    `<section><h2>Charts</h2><p class="hint"><button id="pin" type="button" disabled>Pin this run</button> <span id="pinned"></span></p>` +
    `<div id="charts"></div></section>` +
    `<section><h2>At a moment</h2><p class="hint">Move the cursor through the run, play it, or click a chart at a moment: the map shows each stock's level ` +
    `(the darker a box, the fuller) and the table every number at that moment.</p>` +
    `<p class="cursor"><button id="animate" type="button">▶ Play</button> <input id="cursor" type="range" min="0" max="0" step="1" value="0" aria-label="time in the run"> ` +
    `<output id="cursor-time"></output></p><div id="map" class="map-scroll"></div><table id="moment"></table></section>` +
    `<section><h2>The scenario</h2><p class="hint">Edit it here: it is checked as you type, with the messages of <code>loopsim validate</code>, ` +
    `and runs again when it is valid (the controls then start from its values).</p>` +
    `<textarea id="editor" spellcheck="false" rows="24" aria-label="scenario YAML"></textarea></section>` +
    `<details><summary>summary.json</summary><pre id="summary-json"></pre></details>` +
    `<noscript><p>The playground needs JavaScript.</p></noscript></main></div>` +
    `<footer>loopsim ${escapeHtml(input.version)}. This page is self-contained and works offline: the engine runs in your browser.</footer>`;
  return renderHtmlDocument({
    title: `${input.file} — loopsim playground`,
    css: PAGE_CSS + PLAY_CSS,
    body,
    charts: [],
    libraries: input.libraries,
    overviewId: '',
    data: [
      { id: SCENARIO_ID, value: { file: input.file, text: input.text, sets: input.sets ?? [] } },
      { id: ENGINE_ID, value: input.engine },
    ],
    script: playScript({ scenarioId: SCENARIO_ID, engineId: ENGINE_ID }),
    workers: true,
  });
}
