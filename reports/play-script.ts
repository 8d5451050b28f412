/**
 * The playground page's own script (plain ES2017, run after the inlined
 * vega, vega-lite and vega-embed bundles). It starts the engine in a Web
 * Worker from a blob URL (so the page works from file:// with no server),
 * runs the scenario, and shows the verdict, the damage, the charts (queue
 * depth first) and summary.json. Moving a control re-runs with that field
 * overridden, and a switch cuts a feedback loop (its overrides laid over
 * the controls'); a newer move ends the worker of the older run.
 *
 * The page's state is on `<body data-run="running|done|invalid|failed">`,
 * and `window.loopsimPlay` holds the last run's summary.json text and the
 * number of runs finished (for tests and the curious).
 */

/** Ids of the inlined JSON the script reads. */
export interface PlayScriptIds {
  /** `{ file, text }`: the scenario's file name and text. */
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
  var state = { worker: null, id: 0, text: scenario.text, builtFor: null, controls: null, values: {}, resets: [], switches: [], cut: {}, editTimer: 0 };
  var play = window.loopsimPlay = { summaryJson: null, runs: 0, verdict: null };
  var options = { actions: false, renderer: 'svg', tooltip: { theme: 'light' } };

  function setting(c) {
    var v = state.values[c.path];
    return c.path + '=' + v + (c.kind === 'range' ? c.unit : '');
  }
  function settings() {
    var moved = (state.controls || []).filter(function (c) { return String(state.values[c.path]) !== String(c.value); }).map(setting);
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

  function run() {
    if (state.worker) state.worker.terminate();
    var id = ++state.id;
    var text = state.text;
    var worker = state.worker = new Worker(engineUrl);
    status('running', '');
    $('progress').value = 0;
    worker.onmessage = function (e) {
      var a = e.data;
      if (a.id !== state.id) return;
      if (a.kind === 'progress') { $('progress').value = a.time / a.duration; return; }
      worker.terminate();
      state.worker = null;
      if (a.kind === 'done') show(Object.assign({ text: text }, a));
      else status(a.kind, a.message);
    };
    worker.onerror = function (e) {
      if (id === state.id) status('failed', 'The engine stopped: ' + (e.message || 'an error in the worker'));
    };
    worker.postMessage({ id: id, text: state.text, file: scenario.file, sets: settings() });
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
        input.value = c.value;
        showValue();
        row.classList.remove('moved');
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
        input.checked = false;
        row.classList.remove('moved');
      });
      row.appendChild(input);
      row.appendChild(document.createTextNode(' ' + s.label));
      box.appendChild(row);
    });
  }

  function drawCharts(charts) {
    var box = $('charts');
    box.textContent = '';
    var chain = Promise.resolve();
    charts.forEach(function (chart) {
      var fig = document.createElement('figure');
      fig.className = 'chart';
      var el = document.createElement('div');
      el.className = 'vega';
      fig.appendChild(el);
      box.appendChild(fig);
      chain = chain.then(function () {
        return vegaEmbed(el, chart.spec, options).then(null, function (error) {
          el.textContent = 'This chart could not be drawn: ' + (error && error.message ? error.message : error);
          console.error('loopsim: chart ' + chart.id + ' failed', error);
        });
      });
    });
    return chain;
  }

  function show(a) {
    if (state.builtFor !== a.text) {
      // The first run, or the first after an edit: the controls start from the text's values.
      state.builtFor = a.text;
      state.values = {};
      state.cut = {};
      state.resets = [];
      buildControls(a.controls);
      buildSwitches(a.switches);
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
    var id = state.id;
    drawCharts(a.charts).then(function () {
      if (id !== state.id) return;
      play.runs += 1;
      status('done', '');
    });
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
    run();
  });
  run();
})();
`;
}
