/**
 * The report page's own script (plain ES2017, run after the inlined vega,
 * vega-lite and vega-embed bundles): embeds every chart, links the overview's
 * brush to the other charts' time domain, and marks the page ready.
 */
import { BRUSH_PARAM, ZOOM_PARAM } from './interactive.js';

/** Options of {@link pageScript}. */
export interface PageScriptOptions {
  /** Id of the script element holding the charts as JSON: `[{ id, spec }]`. */
  readonly dataId: string;
  /** Id of the chart that carries the brush. */
  readonly overviewId: string;
}

/**
 * The script's source. When every chart has settled it sets
 * `data-charts="ready"` on `<body>` (or `"failed"` when a chart could not
 * render, with the error shown in that chart's place and on the console).
 */
export function pageScript(o: PageScriptOptions): string {
  const config = JSON.stringify({ dataId: o.dataId, overviewId: o.overviewId, brush: BRUSH_PARAM, zoom: ZOOM_PARAM });
  return `
(function () {
  'use strict';
  var cfg = ${config};
  var charts = JSON.parse(document.getElementById(cfg.dataId).textContent);
  var views = {};
  var failed = false;
  var options = { actions: false, renderer: 'svg', tooltip: { theme: 'light' } };
  function embed(chart) {
    var el = document.querySelector('[data-chart="' + chart.id + '"] .vega');
    return vegaEmbed(el, chart.spec, options).then(function (result) {
      views[chart.id] = result.view;
    }, function (error) {
      failed = true;
      el.classList.add('error');
      el.textContent = 'This chart could not be drawn: ' + (error && error.message ? error.message : error);
      console.error('loopsim: chart ' + chart.id + ' failed', error);
    });
  }
  function zoomAll(range) {
    Object.keys(views).forEach(function (id) {
      if (id !== cfg.overviewId) views[id].signal(cfg.zoom, range).runAsync();
    });
  }
  Promise.all(charts.map(embed)).then(function () {
    var overview = views[cfg.overviewId];
    if (overview) {
      overview.addSignalListener(cfg.brush, function (_name, value) {
        var range = value && value.t && value.t.length === 2 ? value.t : null;
        zoomAll(range);
      });
    }
    document.body.setAttribute('data-charts', failed ? 'failed' : 'ready');
  });
})();
`;
}
