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
 * carries one) or `invalid` (the CLI's messages) or `failed`. The worker
 * lives as long as the page: a newer request replaces the run under way
 * between two of its steps (see {@link playRun}), and the engine's code,
 * compiled and optimised by the first runs, serves the later ones. Charts
 * go with their data sets named (reports/play-data.ts), so the page can
 * pour a new run's rows into the charts on screen.
 */
import { RunAborted, RunStepper } from '../sim/engine/run.js';
import { summaryJsonText } from '../sim/metrics/summary.js';
import { formatIssues } from '../sim/scenario/issue.js';
import { parseOverrideArguments } from '../sim/scenario/override.js';
import { parseScenarioWith } from '../sim/scenario/parse-with.js';
import { reduceRun, type SimulationResult } from '../sim/simulate.js';
import { buildCharts, queueDepthEntry, queueDepthLines } from './charts.js';
import { playChart, type PlayChart } from './play-data.js';
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
  | { readonly id: number; readonly kind: 'partial'; readonly chart: PlayChart }
  | { readonly id: number; readonly kind: 'invalid'; readonly message: string }
  | { readonly id: number; readonly kind: 'failed'; readonly message: string }
  | ({ readonly id: number; readonly kind: 'done' } & PlayOutcome);

/** A finished (or guard-stopped) run, as the page shows it. */
export interface PlayOutcome {
  /** The text of summary.json, byte for byte what `loopsim run` writes. */
  readonly summaryJson: string;
  /** The verdict's kind, its label and the report's paragraph about it (the damage included). */
  readonly verdict: { readonly kind: string; readonly label: string; readonly text: string };
  readonly charts: readonly PlayChart[];
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

/** Events the worker runs before it looks for a newer request (a few milliseconds' work). */
const STEP = 25_000;

/** Events between two partial charts, once the run is under way. */
const SLICE = 200_000;

/** Events before the first progress message and partial chart; each gap doubles up to {@link SLICE}. */
const FIRST_SLICE = 25_000;

/**
 * What a worker remembers from run to run: for each scenario text, the lines
 * its last run's queue-depth chart drew, so that the next run's partial charts
 * draw them from the start and keep that chart's shape (reports/play-data.ts).
 */
export type PlayMemory = Map<string, ReadonlySet<string>>;

/**
 * One request's run, a step at a time: each `next()` runs at most
 * {@link STEP} events (or one stage of the reductions at the end), posting
 * what it has. The worker's loop drops the run between two steps when a newer
 * request comes, so a move of a slider never waits for an older run to end,
 * and the worker (with its compiled code) stays. Pure apart from `post`.
 */
export function* playRun(req: PlayRequest, post: (a: PlayAnswer) => void, memory: PlayMemory = new Map()): Generator<void, void, void> {
  const { id } = req;
  const sets = parseOverrideArguments(req.sets);
  if (!sets.ok) return post({ id, kind: 'invalid', message: formatIssues(sets.issues) });
  const parsed = parseScenarioWith(req.text, req.file, sets.value);
  if (!parsed.ok) return post({ id, kind: 'invalid', message: formatIssues(parsed.issues) });
  const scenario = parsed.value;
  let result: SimulationResult;
  const stepper = new RunStepper(scenario);
  try {
    // Small gaps between partial charts first, so the first comes early; then SLICE.
    let gap = FIRST_SLICE;
    let next = stepper.events + gap;
    while (stepper.advance(Math.min(STEP, next - stepper.events))) {
      if (stepper.events >= next) {
        post({ id, kind: 'progress', time: stepper.now, duration: scenario.duration });
        const sofar = stepper.closedSoFar();
        if (sofar.buckets > 0) post({ id, kind: 'partial', chart: playChart(queueDepthEntry(sofar, scenario, memory.get(req.text))) });
        gap = Math.min(SLICE, gap * 2);
        next = stepper.events + gap;
      }
      yield;
    }
    result = reduceRun(scenario, stepper.finish());
  } catch (e) {
    if (!(e instanceof RunAborted)) return post({ id, kind: 'failed', message: e instanceof Error ? e.message : String(e) });
    // As the CLI does: the run up to the stop, marked incomplete.
    result = reduceRun(scenario, stepper.finishStopped(), { reason: e.message, stoppedAt: Number(stepper.now.toFixed(6)) });
  }
  yield;
  const { verdict } = result.summary;
  const built = buildCharts(result.series, result.scenario);
  memory.set(req.text, new Set(queueDepthLines(built[0]!)));
  const charts = (req.pinned === undefined ? built : overlayPinned(built, req.pinned)).map(playChart);
  yield;
  // The controls show the file's values, so that a moved one can be moved back.
  const base = sets.value.length === 0 ? parsed : parseScenarioWith(req.text, req.file, []);
  post({
    id,
    kind: 'done',
    summaryJson: summaryJsonText(result.summary),
    verdict: { kind: verdict.kind, label: verdictLabel(verdict.kind), text: describeVerdict(verdict, result.scenario) },
    charts,
    map: renderStructureMap(result.scenario),
    moments: playMoments(result.series, result.scenario),
    controls: playControls(base.ok ? base.value : scenario),
    switches: playSwitches(base.ok ? base.value : scenario),
    warnings: parsed.warnings.length > 0 ? formatIssues(parsed.warnings) : '',
  });
}

/** Runs one request to its end at once; `post` receives every answer (tests, and the benchmark's profile). */
export function runPlayRequest(req: PlayRequest, post: (a: PlayAnswer) => void, memory?: PlayMemory): void {
  for (const _ of playRun(req, post, memory));
}

/** The worker's global scope, as far as this file uses it (the project's types know Node, not workers). */
interface WorkerScope {
  onmessage: ((e: { readonly data: PlayRequest }) => void) | null;
  postMessage(a: PlayAnswer): void;
}

/** A MessageChannel as a browser has it (the project's types know Node's, with another API). */
interface BrowserChannel {
  readonly port1: { onmessage: (() => void) | null };
  readonly port2: { postMessage(message: unknown): void };
}

/**
 * Serves requests in a worker: the newest request's run goes on a step at a
 * time, each step a task of its own (a message to itself through a
 * MessageChannel, which, unlike a timer, is not held back), so a newer
 * request, arriving between two steps, replaces it.
 */
function serve(scope: WorkerScope): void {
  let run: Generator<void, void, void> | null = null;
  const memory: PlayMemory = new Map();
  let scheduled = false;
  const channel = new MessageChannel() as unknown as BrowserChannel;
  const schedule = (): void => {
    if (!scheduled) channel.port2.postMessage(0);
    scheduled = true;
  };
  channel.port1.onmessage = () => {
    scheduled = false;
    if (run === null) return;
    if (run.next().done === true) run = null;
    else schedule();
  };
  scope.onmessage = (e) => {
    // One text remembered: the one being played (an edit starts afresh).
    if (!memory.has(e.data.text)) memory.clear();
    run = playRun(e.data, (a) => scope.postMessage(a), memory);
    schedule();
  };
}

/** In a worker (never under Node or in a test): answer each request. */
if (typeof (globalThis as { importScripts?: unknown }).importScripts === 'function') {
  serve(globalThis as unknown as WorkerScope);
}
