/**
 * The playground page's own script (plain ES2017, run after the inlined
 * vega, vega-lite and vega-embed bundles). It starts the engine in a Web
 * Worker from a blob URL (so the page works from file:// with no server),
 * runs the scenario, and shows the verdict, the damage, the charts (queue
 * depth first) and summary.json. Moving a control re-runs with that field
 * overridden, and a switch cuts a feedback loop (its overrides laid over
 * the controls'); a newer move replaces the older run in the same worker
 * (reports/play-worker.ts). "Pin this
 * run" keeps the run on show as a baseline: later runs draw its lines dashed
 * under theirs (the worker lays them in: reports/play-pin.ts), until "Unpin".
 * While a run goes on, the worker sends its queue depth so far, drawn in the
 * first chart's place, so a move shows something before the run ends. A chart
 * already on screen takes a new run's rows in place (reports/play-data.ts), one
 * chart a task. The time cursor is a line across every chart (a click on a
 * chart moves it there) and the map and table at that moment.
 *
 * The page's state is on `<body data-run="running|done|invalid|failed">`,
 * and `window.loopsimPlay` holds the last run's summary.json text, the
 * number of runs finished, the pinned run's verdict, the partial charts drawn, the id of the run last
 * started and when the first chart of a run was drawn (`firstChart`: `{ id,
 * at }`, from a partial or the full run; for tests and the benchmark).
 */

import { PINNED_LAYER } from './play-pin.js';

/** Ids of the inlined JSON the script reads. */
export interface PlayScriptIds {
  /** `{ file, text, sets }`: the scenario's file name and text, and the overrides every run starts from. */
  readonly scenarioId: string;
  /** The engine bundle's source, as one JSON string. */
  readonly engineId: string;
}

/** The script's source. */
export function playScript(ids: PlayScriptIds): string {
  return `
(function () {
  'use strict';
  var ids = ${JSON.stringify(ids)};
  function $(id) { return document.getElementById(id); }
  var scenario = JSON.parse($(ids.scenarioId).textContent);
  var engineUrl = URL.createObjectURL(new Blob([JSON.parse($(ids.engineId).textContent)], { type: 'text/javascript' }));
  var GOOD = { stable: true, recovered: true };
  var LINK_VERSION = 'v1';
  var PINNED_LAYER = ${JSON.stringify(PINNED_LAYER)};
  var state = { worker: null, id: 0, request: null, text: scenario.text, file: scenario.file, pending: null, builtFor: null, controls: null, values: {}, resets: [], sync: [], switches: [], cut: {}, editTimer: 0, last: null, pinned: null, base: scenario.sets, moments: null, map: null, rows: null, cells: [], peak: 0, animation: 0, views: {}, painting: Promise.resolve(), partial: null };
  var play = window.loopsimPlay = { summaryJson: null, runs: 0, verdict: null, pinned: null, partials: 0 };
  var options = { actions: false, renderer: 'svg', tooltip: { theme: 'light' } };

  function setting(c) {
    var v = state.values[c.path];
    return c.path + '=' + v + (c.kind === 'range' ? c.unit : '');
  }
  function settings() {
    // A shared link's run, before its controls exist: the overrides it recorded.
    if (state.pending) return state.pending.sets;
    var moved = state.base.concat((state.controls || []).filter(function (c) { return String(state.values[c.path]) !== String(c.value); }).map(setting));
    // The switches last: a cut loop stays cut whatever its sliders say.
    state.switches.forEach(function (s) { if (state.cut[s.id]) moved = moved.concat(s.sets); });
    return moved;
  }
  function status(kind, text) {
    document.body.setAttribute('data-run', kind);
    var m = $('message');
    m.textContent = text || '';
    m.hidden = !text;
  }

  // One worker for the page's life: a newer request replaces the run under way between two of its
  // steps, and the engine's code, optimised by the first runs, serves the later ones.
  function worker() {
    if (state.worker) return state.worker;
    var w = state.worker = new Worker(engineUrl);
    w.onmessage = function (e) {
      var a = e.data;
      if (a.id !== state.id) return;
      if (a.kind === 'progress') { $('progress').value = a.time / a.duration; return; }
      if (a.kind === 'partial') { drawPartial(a.chart, a.id); return; }
      if (a.kind === 'done') show(Object.assign({ text: state.request.text, sets: state.request.sets }, a));
      else status(a.kind, a.message);
    };
    w.onerror = function (e) {
      status('failed', 'The engine stopped: ' + (e.message || 'an error in the worker'));
    };
    return w;
  }

  function run() {
    var id = ++state.id;
    status('running', '');
    $('progress').value = 0;
    var sets = settings();
    state.request = { text: state.text, sets: sets };
    play.started = id;
    worker().postMessage({ id: id, text: state.text, file: state.file, sets: sets, pinned: state.pinned ? state.pinned.rows : undefined });
    share({ file: state.file, text: state.text, sets: sets, base: state.base, values: movedValues(), cut: Object.keys(state.cut).filter(function (k) { return state.cut[k]; }) });
  }

  function buildControls(controls) {
    state.controls = controls;
    var box = $('controls');
    box.textContent = '';
    controls.forEach(function (c) {
      state.values[c.path] = c.value;
      var row = document.createElement('label');
      row.className = 'control';
      var name = document.createElement('span');
      name.textContent = c.label;
      var out = document.createElement('output');
      var input;
      if (c.kind === 'range') {
        input = document.createElement('input');
        input.type = 'range';
        input.min = c.min; input.max = c.max; input.step = c.step; input.value = c.value;
      } else {
        input = document.createElement('select');
        c.options.forEach(function (o) {
          var opt = document.createElement('option');
          opt.value = o; opt.textContent = o;
          input.appendChild(opt);
        });
        input.value = c.value;
      }
      input.setAttribute('data-path', c.path);
      function showValue() { out.textContent = c.kind === 'range' ? input.value + c.unit : ''; }
      showValue();
      input.addEventListener(c.kind === 'range' ? 'input' : 'change', function () {
        state.values[c.path] = c.kind === 'range' ? Number(input.value) : input.value;
        showValue();
        row.classList.toggle('moved', String(state.values[c.path]) !== String(c.value));
        run();
      });
      state.resets.push(function () {
        state.values[c.path] = c.value;
      });
      state.sync.push(function () {
        input.value = state.values[c.path];
        showValue();
        row.classList.toggle('moved', String(state.values[c.path]) !== String(c.value));
      });
      row.appendChild(name); row.appendChild(input); row.appendChild(out);
      box.appendChild(row);
    });
  }

  function buildSwitches(switches) {
    state.switches = switches;
    var box = $('switches');
    box.textContent = '';
    switches.forEach(function (s) {
      var row = document.createElement('label');
      row.className = 'switch';
      row.title = s.description;
      var input = document.createElement('input');
      input.type = 'checkbox';
      input.setAttribute('data-switch', s.id);
      input.addEventListener('change', function () {
        state.cut[s.id] = input.checked;
        row.classList.toggle('moved', input.checked);
        run();
      });
      state.resets.push(function () {
        state.cut[s.id] = false;
      });
      state.sync.push(function () {
        input.checked = !!state.cut[s.id];
        row.classList.toggle('moved', input.checked);
      });
      row.appendChild(input);
      row.appendChild(document.createTextNode(' ' + s.label));
      box.appendChild(row);
    });
  }

  // The charts on screen, by id: each one's figure, its vega view and the shape of its spec. A new
  // run's chart of the same shape only pours its rows into the view (reports/play-data.ts); drawing
  // goes one chart a task, in order, so the page stays responsive while a run's charts come in.
  function figureFor(id) {
    var v = state.views[id];
    if (v) return v;
    var fig = document.createElement('figure');
    fig.className = 'chart';
    fig.setAttribute('data-chart', id);
    var caption = document.createElement('figcaption');
    var title = document.createElement('strong');
    var subtitle = document.createElement('span');
    caption.appendChild(title);
    caption.appendChild(subtitle);
    // The chart and the cursor's line over it, in a box of their own: the line is placed by the chart's coordinates.
    var plot = document.createElement('div');
    plot.className = 'plot';
    var el = document.createElement('div');
    el.className = 'vega';
    var line = document.createElement('div');
    line.className = 'cursor-line';
    line.hidden = true;
    plot.appendChild(el);
    plot.appendChild(line);
    fig.appendChild(caption);
    fig.appendChild(plot);
    $('charts').appendChild(fig);
    var v = (state.views[id] = { fig: fig, el: el, line: line, title: title, subtitle: subtitle, result: null, view: null, shape: null, seen: true, waiting: null });
    if (sight) sight.observe(fig);
    return v;
  }
  // A chart out of sight is not redrawn: its newest rows wait, and it draws them when it scrolls into view.
  var sight = typeof IntersectionObserver === 'function' ? new IntersectionObserver(function (entries) {
    entries.forEach(function (e) {
      var id = e.target.getAttribute('data-chart');
      var v = state.views[id];
      if (!v) return;
      v.seen = e.isIntersecting;
      if (v.seen && v.waiting) {
        var chart = v.waiting;
        v.waiting = null;
        later(function () { if (state.views[id] === v) return paint(chart); });
      }
    });
  }, { rootMargin: '200px 0px' }) : null;
  function paint(chart) {
    var v = figureFor(chart.id);
    v.title.textContent = chart.caption.text;
    v.subtitle.textContent = chart.caption.subtitle;
    v.waiting = null;
    if (v.view && v.shape === chart.shape && !v.seen) {
      v.waiting = chart;
      return Promise.resolve();
    }
    if (v.view && v.shape === chart.shape) {
      chart.data.forEach(function (d) { v.view.data(d.name, d.values); });
      return v.view.runAsync().then(function () { placeCursor(v); });
    }
    if (v.result) v.result.finalize();
    v.result = v.view = null;
    return vegaEmbed(v.el, chart.spec, options).then(function (r) {
      v.result = r;
      v.view = r.view;
      v.shape = chart.shape;
      r.view.addEventListener('click', function (event) { cursorAt(v, event); });
      placeCursor(v);
    }, function (error) {
      v.el.textContent = 'This chart could not be drawn: ' + (error && error.message ? error.message : error);
      console.error('loopsim: chart ' + chart.id + ' failed', error);
    });
  }
  // Drawing jobs, one after the other, each in a task of its own.
  function later(job) {
    state.painting = state.painting.then(function () {
      return new Promise(function (resolve) { setTimeout(resolve, 0); });
    }).then(job).catch(function (error) { console.error('loopsim: drawing failed', error); });
    return state.painting;
  }

  // The first frame of a run: its queue depth so far, in the first chart's place. Only the newest
  // partial waiting is drawn: a slow page skips frames rather than falling behind.
  function firstChartOf(id) {
    if (!play.firstChart || play.firstChart.id !== id) play.firstChart = { id: id, at: performance.now() };
  }
  function drawPartial(chart, id) {
    var queued = state.partial !== null;
    state.partial = { chart: chart, id: id };
    if (queued) return;
    later(function () {
      var p = state.partial;
      state.partial = null;
      if (p.id !== state.id) return;
      return paint(p.chart).then(function () {
        play.partials += 1;
        if (p.id === state.id) firstChartOf(p.id);
      });
    });
  }
  function drawCharts(charts) {
    var id = state.id;
    var box = $('charts');
    var keep = {};
    charts.forEach(function (chart) { keep[chart.id] = true; box.appendChild(figureFor(chart.id).fig); });
    Object.keys(state.views).forEach(function (k) {
      if (keep[k]) return;
      if (state.views[k].result) state.views[k].result.finalize();
      if (sight) sight.unobserve(state.views[k].fig);
      box.removeChild(state.views[k].fig);
      delete state.views[k];
    });
    var last = state.painting;
    charts.forEach(function (chart) {
      last = later(function () {
        if (id !== state.id) return;
        return paint(chart).then(function () { if (id === state.id) firstChartOf(id); });
      });
    });
    return last;
  }

  function show(a) {
    if (state.builtFor !== a.text) {
      // The first run, or the first after an edit: the controls start from the text's values
      // (or from a shared link's).
      state.builtFor = a.text;
      state.values = {};
      state.cut = {};
      state.resets = [];
      state.sync = [];
      buildControls(a.controls);
      buildSwitches(a.switches);
      if (state.pending) applyPending(state.pending);
    }
    var v = $('verdict');
    v.className = 'verdict ' + (GOOD[a.verdict.kind] ? 'good' : 'bad');
    v.setAttribute('data-kind', a.verdict.kind);
    v.textContent = a.verdict.text;
    $('summary-json').textContent = a.summaryJson;
    $('warnings').textContent = a.warnings;
    $('progress').value = 1;
    play.summaryJson = a.summaryJson;
    play.verdict = a.verdict.kind;
    // Unpinned while this run was under way: its charts without the pinned lines.
    var charts = state.pinned ? a.charts : unpinned(a.charts);
    state.last = { charts: charts, verdict: a.verdict, sets: a.sets };
    $('pin').disabled = false;
    showMoments(a);
    var id = state.id;
    drawCharts(charts).then(function () {
      if (id !== state.id) return;
      play.runs += 1;
      status('done', '');
    });
  }

  // The time cursor: the map and the table at one bucket of the run.
  function showMoments(a) {
    state.moments = a.moments;
    // The map and the table's rows are built again only when they change (another scenario, a moved timeout…).
    if (state.map !== a.map) $('map').innerHTML = state.map = a.map;
    // The queue of each service tints its box, against the run's highest queue.
    state.peak = 0;
    a.moments.lines.forEach(function (l) { if (l.label === 'queue') l.values.forEach(function (v) { state.peak = Math.max(state.peak, v); }); });
    var cursor = $('cursor');
    cursor.max = String(a.moments.t.length - 1);
    if (Number(cursor.value) > a.moments.t.length - 1) cursor.value = cursor.max;
    var rows = JSON.stringify(a.moments.lines.map(function (line) { return [line.node, line.label]; }));
    if (state.rows === rows) { moveCursor(); return; }
    state.rows = rows;
    var table = $('moment');
    table.textContent = '';
    state.cells = a.moments.lines.map(function (line) {
      var row = table.insertRow();
      row.insertCell().textContent = line.node;
      row.insertCell().textContent = line.label;
      var cell = row.insertCell();
      cell.setAttribute('data-node', line.node);
      return cell;
    });
    moveCursor();
  }
  // A chart's time scale; none for a chart of panels (small multiples), each with a scale of its own.
  function xScale(view) {
    try { return view.scale('x'); } catch (e) { return null; }
  }
  // The cursor's line across every chart, at the bucket's time on the chart's own x scale.
  function placeCursor(v) {
    var m = state.moments;
    var scale = v.view && m ? xScale(v.view) : null;
    if (!scale) { v.line.hidden = true; return; }
    var origin = v.view.origin();
    v.line.style.left = (origin[0] + scale(m.t[Number($('cursor').value)])).toFixed(1) + 'px';
    v.line.style.top = origin[1].toFixed(1) + 'px';
    v.line.style.height = v.view.height() + 'px';
    v.line.hidden = false;
  }
  // A click on a chart moves the cursor to the bucket nearest the time clicked.
  function cursorAt(v, event) {
    var m = state.moments;
    var scale = m && xScale(v.view);
    if (!scale || !scale.invert) return;
    var svg = v.el.querySelector('svg, canvas');
    var t = scale.invert(event.clientX - svg.getBoundingClientRect().left - v.view.origin()[0]);
    var best = 0;
    m.t.forEach(function (x, i) { if (Math.abs(x - t) < Math.abs(m.t[best] - t)) best = i; });
    $('cursor').value = String(best);
    moveCursor();
  }
  function moveCursor() {
    var m = state.moments;
    if (!m) return;
    var i = Number($('cursor').value);
    $('cursor-time').textContent = 't = ' + m.t[i] + ' s';
    Object.keys(state.views).forEach(function (k) { placeCursor(state.views[k]); });
    m.lines.forEach(function (line, k) {
      var v = line.values[i];
      state.cells[k].textContent = typeof v === 'number' ? v.toLocaleString('en-US') : v;
      if (line.label !== 'queue') return;
      var box = $('map').querySelector('g.node[data-name="' + CSS.escape(line.node) + '"] rect');
      if (box) box.setAttribute('fill', 'rgba(198, 40, 40, ' + (state.peak > 0 ? 0.08 + 0.6 * v / state.peak : 0.08).toFixed(3) + ')');
    });
  }
  $('cursor').addEventListener('input', moveCursor);
  $('animate').addEventListener('click', function () {
    if (state.animation) { clearInterval(state.animation); state.animation = 0; $('animate').textContent = '▶ Play'; return; }
    var cursor = $('cursor');
    if (Number(cursor.value) >= Number(cursor.max)) cursor.value = '0';
    $('animate').textContent = '❚❚ Pause';
    state.animation = setInterval(function () {
      if (Number(cursor.value) >= Number(cursor.max)) { clearInterval(state.animation); state.animation = 0; $('animate').textContent = '▶ Play'; return; }
      cursor.value = String(Number(cursor.value) + Math.max(1, Math.round(Number(cursor.max) / 200)));
      moveCursor();
    }, 50);
  });

  // Pin and compare: the last run's rows, chart by chart, go with every later request.
  function unpinned(charts) {
    return charts.map(function (c) {
      if (!c.spec.layer || !c.spec.layer.some(function (l) { return l.name === PINNED_LAYER; })) return c;
      var spec = Object.assign({}, c.spec, { layer: c.spec.layer.filter(function (l) { return l.name !== PINNED_LAYER; }) });
      // Another shape than any the worker gives: the chart is embedded again, without the pinned lines.
      return Object.assign({}, c, { spec: spec, shape: 'unpinned' });
    });
  }
  function pinToggle() {
    if (state.pinned) {
      state.pinned = null;
      play.pinned = null;
      $('pin').textContent = 'Pin this run';
      $('pinned').textContent = '';
      if (state.last) drawCharts((state.last.charts = unpinned(state.last.charts)));
      return;
    }
    var last = state.last;
    if (!last) return;
    var rows = {};
    last.charts.forEach(function (c) { rows[c.id] = c.spec.data.values; });
    state.pinned = { rows: rows };
    play.pinned = last.verdict.kind;
    $('pin').textContent = 'Unpin';
    $('pinned').textContent = 'Pinned: ' + last.verdict.label + (last.sets.length ? ', with ' + last.sets.join(', ') : ", with the file's values") +
      '. Later runs draw it dashed under their lines, same seed.';
  }
  $('pin').addEventListener('click', pinToggle);

  // Sharing: the text and the controls' state, deflated, in the URL fragment: #v1.<base64url>.
  function movedValues() {
    var out = {};
    (state.controls || []).forEach(function (c) { if (String(state.values[c.path]) !== String(c.value)) out[c.path] = state.values[c.path]; });
    return out;
  }
  function toBase64Url(bytes) {
    var s = '';
    for (var i = 0; i < bytes.length; i++) s += String.fromCharCode(bytes[i]);
    return btoa(s).replace(/\\+/g, '-').replace(/\\//g, '_').replace(/=+$/, '');
  }
  function fromBase64Url(text) {
    var s = atob(text.replace(/-/g, '+').replace(/_/g, '/'));
    var bytes = new Uint8Array(s.length);
    for (var i = 0; i < s.length; i++) bytes[i] = s.charCodeAt(i);
    return bytes;
  }
  function through(bytes, stream) {
    return new Response(new Blob([bytes]).stream().pipeThrough(stream)).arrayBuffer().then(function (b) { return new Uint8Array(b); });
  }
  function share(link) {
    through(new TextEncoder().encode(JSON.stringify(link)), new CompressionStream('deflate-raw')).then(function (bytes) {
      var hash = '#' + LINK_VERSION + '.' + toBase64Url(bytes);
      play.link = hash;
      history.replaceState(null, '', hash);
    });
  }
  /** The link in a fragment, or a message saying why it cannot be opened. */
  function readLink(hash) {
    var m = /^#?(v[0-9]+)\\.([A-Za-z0-9_-]+)$/.exec(hash);
    if (!m) return Promise.reject(new Error('This is not a loopsim playground link (it should end in #v1.…).'));
    if (m[1] !== LINK_VERSION) {
      return Promise.reject(new Error('This link is in format ' + m[1] + '; this page reads ' + LINK_VERSION + ' links. Open it with the loopsim version that made it.'));
    }
    return through(fromBase64Url(m[2]), new DecompressionStream('deflate-raw')).then(function (bytes) {
      var link = JSON.parse(new TextDecoder().decode(bytes));
      if (typeof link.text !== 'string' || typeof link.file !== 'string' || !Array.isArray(link.sets)) throw new Error('This link is damaged: it has no scenario in it.');
      return link;
    }, function () { throw new Error('This link is damaged: its data does not inflate.'); });
  }
  function applyPending(p) {
    state.pending = null;
    (state.controls || []).forEach(function (c) {
      if (Object.prototype.hasOwnProperty.call(p.values || {}, c.path)) state.values[c.path] = p.values[c.path];
    });
    (p.cut || []).forEach(function (id) { state.cut[id] = true; });
    state.sync.forEach(function (f) { f(); });
  }
  function openLink(hash) {
    return readLink(hash).then(function (link) {
      state.pending = link;
      state.text = link.text;
      state.file = link.file;
      state.base = link.base || [];
      state.builtFor = null;
      editor.value = link.text;
      run();
    }, function (e) { status('invalid', e.message); });
  }

  // The editor: each pause in typing runs the text (the messages are the CLI's); a valid text re-runs.
  var editor = $('editor');
  editor.value = scenario.text;
  editor.addEventListener('input', function () {
    clearTimeout(state.editTimer);
    state.editTimer = setTimeout(function () {
      if (editor.value === state.text) return;
      state.text = editor.value;
      // The sliders of the old text may not exist in the new one: run the text as written.
      state.values = {};
      state.cut = {};
      state.controls = [];
      state.switches = [];
      run();
    }, 250);
  });

  $('reset').addEventListener('click', function () {
    state.resets.forEach(function (reset) { reset(); });
    state.sync.forEach(function (f) { f(); });
    run();
  });
  $('import').addEventListener('input', function () {
    var pasted = $('import').value.trim();
    var at = pasted.indexOf('#');
    if (at >= 0) openLink(pasted.slice(at));
    else status('invalid', 'This is not a loopsim playground link (it should end in #v1.…).');
  });
  if (location.hash.length > 1) openLink(location.hash);
  else run();
})();
`;
}
