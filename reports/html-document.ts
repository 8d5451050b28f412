/**
 * The frame every loopsim page shares: a self-contained HTML document with a
 * Content-Security-Policy that forbids any request, the chart specs inlined
 * as JSON, and vega, vega-lite, vega-embed and the page script inlined after
 * them. Pure: the caller passes the library sources in.
 */
import { escapeHtml } from './format.js';
import { pageScript } from './page-script.js';

/**
 * The source text of each chart library's browser bundle (UMD builds that define `vega`, `vegaLite` and `vegaEmbed` globals).
 * In Node, reports/libraries.ts reads them from node_modules; a browser page
 * passes its own.
 */
export interface ChartLibraries {
  readonly vega: string;
  readonly vegaLite: string;
  readonly vegaEmbed: string;
}

/** No request may leave the page: everything it needs is inlined. */
const CSP = "default-src 'none'; script-src 'unsafe-inline' 'unsafe-eval'; style-src 'unsafe-inline'; img-src data: blob:";

/** The playground's CSP: the same, and a Web Worker started from a blob the page made itself. */
const CSP_WITH_WORKER = `${CSP}; worker-src blob:`;

/** Id of the inlined JSON the page script reads its charts from. */
const DATA_ID = 'loopsim-charts';

/** What one page puts in the shared frame. */
export interface HtmlDocumentInput {
  /** Plain text; escaped here. */
  readonly title: string;
  readonly css: string;
  /** HTML of the page body. */
  readonly body: string;
  /** The charts to embed, `{ id, spec }` each, matched to `data-chart` containers in the body. */
  readonly charts: readonly { readonly id: string; readonly spec: object }[];
  readonly libraries: ChartLibraries;
  /** Id of the chart whose brush zooms the others; '' for none. */
  readonly overviewId: string;
  /** More JSON to inline, `{ id, value }` each, read by the page script with `document.getElementById(id)`. */
  readonly data?: readonly { readonly id: string; readonly value: unknown }[];
  /** The page's own script, run instead of the report's (which embeds `charts`). */
  readonly script?: string;
  /** Allow a Web Worker from a blob URL (the playground runs its engine in one). Default false. */
  readonly workers?: boolean;
}

/** Inline script text cannot contain `</script` or `<!--`; both are rewritten to equivalent JS. */
function inlineScript(source: string): string {
  return `<script>${source.replace(/<\/(script)/gi, '<\\/$1').replace(/<!--/g, '<\\!--')}</script>`;
}

/** JSON inside a `<script type="application/json">`: `<` is escaped so no tag can close it early. */
function inlineJson(id: string, value: unknown): string {
  return `<script type="application/json" id="${id}">${JSON.stringify(value).replace(/</g, '\\u003c')}</script>`;
}

/** The whole document as a string; the same input gives the same bytes. */
export function renderHtmlDocument(input: HtmlDocumentInput): string {
  const { libraries } = input;
  return (
    `<!doctype html>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n` +
    `<meta http-equiv="Content-Security-Policy" content="${input.workers === true ? CSP_WITH_WORKER : CSP}">\n` +
    `<meta name="viewport" content="width=device-width, initial-scale=1">\n` +
    `<title>${escapeHtml(input.title)}</title>\n` +
    `<style>${input.css}</style>\n</head>\n<body>\n${input.body}\n` +
    [
      inlineJson(DATA_ID, input.charts),
      ...(input.data ?? []).map((d) => inlineJson(d.id, d.value)),
      inlineScript(libraries.vega),
      inlineScript(libraries.vegaLite),
      inlineScript(libraries.vegaEmbed),
      inlineScript(input.script ?? pageScript({ dataId: DATA_ID, overviewId: input.overviewId })),
    ].join('\n') +
    `\n</body>\n</html>\n`
  );
}
