/**
 * The playground's engine, as it runs in the page's Web Worker: rollup
 * bundles this file with everything it imports (the scenario loader, the
 * engine, the reductions, the chart specs) into dist/play/engine.js, which
 * play.html carries as text and starts from a blob URL. Nothing here or
 * below it may use Node's built-ins.
 *
 * One message in, a run: the scenario text, its file name (the scenario's
 * name comes from it, as in the CLI) and `--set` overrides. Messages out:
 * `progress` and `partial` (the queue-depth chart so far) after each slice of
 * events, then `done` (summary.json's text, the charts, the
 * verdict in words; a pinned run's lines under the charts when the request
 * carries one) or `invalid` (the CLI's messages) or `failed`. The page
 * cancels a run by ending the worker, so a run never needs to look for
 * newer messages.
 */
import { RunAborted, RunStepper } from '../sim/engine/run.js';
import { summaryJsonText } from '../sim/metrics/summary.js';
import { formatIssues } from '../sim/scenario/issue.js';
import { parseOverrideArguments } from '../sim/scenario/override.js';
import { parseScenarioWith } from '../sim/scenario/parse-with.js';
import { reduceRun, type SimulationResult } from '../sim/simulate.js';
import { buildCharts, queueDepthSpec, type ChartEntry, type Spec } from './charts.js';
import { overlayPinned, type PinnedRows } from './play-pin.js';
import { playMoments, type PlayMoments } from './play-moments.js';
import { renderStructureMap } from './structure-map.js';
import { playControls, playSwitches, type PlayControl, type PlaySwitch } from './play-controls.js';
import { describeVerdict, verdictLabel } from './verdict-text.js';

/** What the page asks of the worker. */
export interface PlayRequest {
  /** Tells the answers to this run from those of an older one. */
  readonly id: number;
  readonly text: string;
  /** The scenario file's name: the scenario's name when the file gives none, and the name in messages. */
  readonly file: string;
  /** `path=value` overrides, as `loopsim run --set` takes them. */
  readonly sets: readonly string[];
  /** A pinned run's chart rows, drawn under this run's charts (see reports/play-pin.ts). */
  readonly pinned?: PinnedRows;
}

/** What the worker answers, in order: any number of `progress` and `partial`, then one of the others. */
export type PlayAnswer =
  | { readonly id: number; readonly kind: 'progress'; readonly time: number; readonly duration: number }
  /** The queue-depth chart over the buckets closed so far, so the page has a first frame early. */
  | { readonly id: number; readonly kind: 'partial'; readonly chart: Spec }
  | { readonly id: number; readonly kind: 'invalid'; readonly message: string }
  | { readonly id: number; readonly kind: 'failed'; readonly message: string }
  | ({ readonly id: number; readonly kind: 'done' } & PlayOutcome);

/** A finished (or guard-stopped) run, as the page shows it. */
export interface PlayOutcome {
  /** The text of summary.json, byte for byte what `loopsim run` writes. */
  readonly summaryJson: string;
  /** The verdict's kind, its label and the report's paragraph about it (the damage included). */
  readonly verdict: { readonly kind: string; readonly label: string; readonly text: string };
  readonly charts: readonly ChartEntry[];
  /** The structure map (SVG) and the run's state at each bucket, for the time cursor. */
  readonly map: string;
  readonly moments: PlayMoments;
  /** The sliders and switches of the scenario as run (before the overrides: see {@link playControls}). */
  readonly controls: readonly PlayControl[];
  /** The loop-cutting switches of the scenario as the file has it. */
  readonly switches: readonly PlaySwitch[];
  /** The scenario's warnings, as the CLI prints them ('' for none). */
  readonly warnings: string;
}

/** Events between two progress messages, once the run is under way. */
const SLICE = 200_000;

/** Events before the first progress message and partial chart; each slice doubles up to {@link SLICE}. */
const FIRST_SLICE = 25_000;

/** Runs one request to its end; `post` receives every answer. Pure apart from `post`. */
export function runPlayRequest(req: PlayRequest, post: (a: PlayAnswer) => void): void {
  const { id } = req;
  const sets = parseOverrideArguments(req.sets);
  if (!sets.ok) return post({ id, kind: 'invalid', message: formatIssues(sets.issues) });
  const parsed = parseScenarioWith(req.text, req.file, sets.value);
  if (!parsed.ok) return post({ id, kind: 'invalid', message: formatIssues(parsed.issues) });
  const scenario = parsed.value;
  // The controls show the file's values, so that a moved one can be moved back.
  const base = sets.value.length === 0 ? parsed : parseScenarioWith(req.text, req.file, []);
  let result: SimulationResult;
  const stepper = new RunStepper(scenario);
  try {
    // Small slices first, so the first partial chart comes early; then SLICE.
    for (let slice = FIRST_SLICE; stepper.advance(slice); slice = Math.min(SLICE, slice * 2)) {
      post({ id, kind: 'progress', time: stepper.now, duration: scenario.duration });
      const sofar = stepper.closedSoFar();
      if (sofar.buckets > 0) post({ id, kind: 'partial', chart: queueDepthSpec(sofar, scenario) });
    }
    result = reduceRun(scenario, stepper.finish());
  } catch (e) {
    if (!(e instanceof RunAborted)) return post({ id, kind: 'failed', message: e instanceof Error ? e.message : String(e) });
    // As the CLI does: the run up to the stop, marked incomplete.
    result = reduceRun(scenario, stepper.finishStopped(), { reason: e.message, stoppedAt: Number(stepper.now.toFixed(6)) });
  }
  const { verdict } = result.summary;
  const charts = buildCharts(result.series, result.scenario);
  post({
    id,
    kind: 'done',
    summaryJson: summaryJsonText(result.summary),
    verdict: { kind: verdict.kind, label: verdictLabel(verdict.kind), text: describeVerdict(verdict, result.scenario) },
    charts: req.pinned === undefined ? charts : overlayPinned(charts, req.pinned),
    map: renderStructureMap(result.scenario),
    moments: playMoments(result.series, result.scenario),
    controls: playControls(base.ok ? base.value : scenario),
    switches: playSwitches(base.ok ? base.value : scenario),
    warnings: parsed.warnings.length > 0 ? formatIssues(parsed.warnings) : '',
  });
}

/** The worker's global scope, as far as this file uses it (the project's types know Node, not workers). */
interface WorkerScope {
  onmessage: ((e: { readonly data: PlayRequest }) => void) | null;
  postMessage(a: PlayAnswer): void;
}

/** In a worker (never under Node or in a test): answer each request. */
if (typeof (globalThis as { importScripts?: unknown }).importScripts === 'function') {
  const scope = globalThis as unknown as WorkerScope;
  scope.onmessage = (e) => runPlayRequest(e.data, (a) => scope.postMessage(a));
}
