/**
 * What a sweep leaves behind, as data: `sweep.json` (the definition, one
 * record per run, one summary per cell) and `sweep.csv` (one row per cell and
 * seed). Both are pure functions of the definition and the set of runs, so a
 * sweep split into shards and merged gives the same bytes as one process.
 */
import {
  countLoops,
  countNames,
  countVerdicts,
  summarizeMetrics,
  type LoopCounts,
  type NameCounts,
  type VerdictCounts,
} from './aggregate.js';
import type { RunFigures } from './figures.js';
import type { AxisUnit, Branch } from './grid.js';
import type { MetricSpec } from './metric-spec.js';
import type { Shard } from './shard.js';
import { summarizeSample, type SampleStats } from './stats.js';

/** The `format` tag of sweep.json. */
export const SWEEP_FORMAT = 'loopsim-sweep/1';

/** One axis as sweep.json records it. */
export interface SweepAxisRecord {
  readonly source: string;
  readonly field: string;
  readonly unit: AxisUnit;
  readonly labels: readonly string[];
  readonly numbers: readonly (number | null)[];
}

/** Everything that fixes a sweep's jobs: shards of one sweep share it exactly. */
export interface SweepDefinition {
  /**
   * The scenario swept; `digest` is the SHA-256 (hex) of its file's text, so
   * that shards of an edited file are not merged as one sweep (absent in
   * files written before it was recorded).
   */
  readonly scenario: { readonly name: string; readonly description: string; readonly file: string; readonly digest?: string };
  /** `--set` arguments applied to every cell, in order. */
  readonly sets: readonly string[];
  readonly axes: readonly SweepAxisRecord[];
  readonly hysteresis: boolean;
  /** Seeds from, from + 1, …, from + count − 1. */
  readonly seeds: { readonly from: number; readonly count: number };
  readonly cells: number;
  /** cells × seeds; job j is cell ⌊j / seeds⌋ with seed from + (j mod seeds). */
  readonly jobs: number;
  /**
   * What each `--metric` measures, in the order given; absent without
   * `--metric`. Part of the definition: shards and resumed runs must measure
   * the same ones.
   */
  readonly metrics?: readonly MetricSpec[];
}

/** One run of the sweep. */
export interface SweepRun extends RunFigures {
  readonly cell: number;
  readonly seed: number;
}

/** One cell over the seeds run so far. */
export interface CellSummary {
  readonly index: number;
  /** The cell's value on each axis, for people and as numbers (null for non-numeric list values). */
  readonly labels: readonly string[];
  readonly numbers: readonly (number | null)[];
  readonly branch: Branch | null;
  readonly seeds: number;
  readonly verdicts: VerdictCounts;
  /** Seeds metastable / seeds run. */
  readonly shareMetastable: number;
  /** Seeds that ended in a bad state (metastable or overloaded) / seeds run. */
  readonly shareStuck: number;
  /** Over the seeds that recovered. */
  readonly recoverySeconds: SampleStats | null;
  readonly goodputAfter: SampleStats | null;
  readonly peakQueue: SampleStats | null;
  /** The loops the runs' verdicts named, with their counts (`none` for runs without one). */
  readonly loops: LoopCounts;
  /** Gain of the verdict's loop over the runs that name one; null when none does. */
  readonly loopGain: SampleStats | null;
  /** Peak of the stock that grew most, over every run. */
  readonly peakBacklog: SampleStats | null;
  /** Which stock grew most, with the runs it did in (`none` where no stock held work). */
  readonly backlogStocks: NameCounts;
  /** Damage over the runs with a reference. */
  readonly lostOperations: SampleStats | null;
  readonly worstGoodputShare: SampleStats | null;
  readonly secondsBelowHalf: SampleStats | null;
  /** Time left to drain over the runs that ended `draining`. */
  readonly drainSeconds: SampleStats | null;
  /** Runs whose verdict found a sustained swing / runs. */
  readonly shareOscillating: number;
  /** Period of the swing over the runs that swing. */
  readonly periodSeconds: SampleStats | null;
  /** Each `--metric` over the runs where it had a value; absent without `--metric`. */
  readonly metrics?: Readonly<Record<string, SampleStats | null>>;
}

/** The whole sweep.json. */
export interface SweepFile {
  readonly format: typeof SWEEP_FORMAT;
  readonly version: string;
  readonly definition: SweepDefinition;
  /** The slice this file holds; null for a whole sweep (one process, or merged). */
  readonly shard: Shard | null;
  /** True when every job of the definition (or of the shard) has a run. */
  readonly complete: boolean;
  readonly cells: readonly CellSummary[];
  /** Sorted by cell, then seed. */
  readonly runs: readonly SweepRun[];
}

/** Cell and seed of job `job`. */
export function jobPosition(def: SweepDefinition, job: number): { readonly cell: number; readonly seed: number } {
  return { cell: Math.floor(job / def.seeds.count), seed: def.seeds.from + (job % def.seeds.count) };
}

/** The branch of cell `index` (the second half of a hysteresis grid is `triggered`). */
export function cellBranch(def: SweepDefinition, index: number): Branch | null {
  if (!def.hysteresis) return null;
  return index < def.cells / 2 ? 'untriggered' : 'triggered';
}

/** Position of cell `index` on each axis: the first axis varies fastest. */
export function cellAt(def: SweepDefinition, index: number): number[] {
  const perBranch = def.hysteresis ? def.cells / 2 : def.cells;
  let rest = index % perBranch;
  return def.axes.map((a) => {
    const i = rest % a.labels.length;
    rest = Math.floor(rest / a.labels.length);
    return i;
  });
}

const share = (n: number, d: number): number => (d > 0 ? Number((n / d).toPrecision(6)) : 0);

function summarizeCell(def: SweepDefinition, index: number, runs: readonly SweepRun[]): CellSummary {
  const at = cellAt(def, index);
  const verdicts = countVerdicts(runs.map((r) => r.verdict));
  const metrics = summarizeMetrics(runs);
  const numbersOf = (pick: (r: SweepRun) => number | null): number[] => runs.map(pick).filter((v): v is number => v !== null);
  return {
    index,
    labels: def.axes.map((a, k) => a.labels[at[k] ?? 0] ?? ''),
    numbers: def.axes.map((a, k) => a.numbers[at[k] ?? 0] ?? null),
    branch: cellBranch(def, index),
    seeds: runs.length,
    verdicts,
    shareMetastable: share(verdicts.metastable, runs.length),
    shareStuck: share(verdicts.metastable + verdicts.overloaded, runs.length),
    // Times, rates and counts: never below 0.
    recoverySeconds: summarizeSample(
      numbersOf((r) => r.recoverySeconds),
      0,
    ),
    goodputAfter: summarizeSample(
      numbersOf((r) => r.goodputAfter),
      0,
    ),
    peakQueue: summarizeSample(
      numbersOf((r) => r.peakQueue),
      0,
    ),
    loops: countLoops(runs.map((r) => r.loop)),
    loopGain: summarizeSample(
      numbersOf((r) => r.loopGain),
      0,
    ),
    peakBacklog: summarizeSample(
      numbersOf((r) => r.peakBacklog),
      0,
    ),
    backlogStocks: countNames(runs.map((r) => r.backlogStock)),
    lostOperations: summarizeSample(
      numbersOf((r) => r.lostOperations),
      0,
    ),
    worstGoodputShare: summarizeSample(
      numbersOf((r) => r.worstGoodputShare),
      0,
    ),
    secondsBelowHalf: summarizeSample(
      numbersOf((r) => r.secondsBelowHalf),
      0,
    ),
    drainSeconds: summarizeSample(
      numbersOf((r) => r.drainSeconds),
      0,
    ),
    shareOscillating: share(runs.filter((r) => r.oscillation !== null).length, runs.length),
    periodSeconds: summarizeSample(
      numbersOf((r) => r.periodSeconds),
      0,
    ),
    ...(metrics !== undefined ? { metrics } : {}),
  };
}

/**
 * Builds sweep.json from the definition and the runs done (in any order;
 * duplicates must not occur). `expected` is how many runs make it complete.
 */
export function buildSweepFile(
  version: string,
  def: SweepDefinition,
  runs: readonly SweepRun[],
  shard: Shard | null,
  expected: number,
): SweepFile {
  const sorted = [...runs].sort((a, b) => a.cell - b.cell || a.seed - b.seed);
  const byCell = new Map<number, SweepRun[]>();
  for (const r of sorted) {
    const list = byCell.get(r.cell);
    if (list === undefined) byCell.set(r.cell, [r]);
    else list.push(r);
  }
  const cells = [...byCell.keys()].sort((a, b) => a - b).map((i) => summarizeCell(def, i, byCell.get(i) ?? []));
  return { format: SWEEP_FORMAT, version, definition: def, shard, complete: sorted.length === expected, cells, runs: sorted };
}

/** The text of sweep.json: two-space indent, final newline. */
export function formatSweepJson(f: SweepFile): string {
  return JSON.stringify(f, null, 2) + '\n';
}

/**
 * A CSV cell. Text that a spreadsheet would run as a formula (starting with
 * =, +, -, @, a tab or a carriage return, and not a plain number) gets a
 * leading apostrophe, as OWASP advises for CSV injection: an axis label comes
 * from the command line or a shard file.
 */
function csvCell(v: string | number | null): string {
  if (v === null) return '';
  let s = String(v);
  if (typeof v === 'string' && /^[=+\-@\t\r]/.test(s) && !Number.isFinite(Number(s))) s = `'${s}`;
  return /[",\n\r]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

/** The columns after `loopGain`, each a field of the run with the same name. */
const CSV_MORE = [
  'peakBacklog',
  'backlogStock',
  'lostOperations',
  'worstGoodputShare',
  'secondsBelowHalf',
  'drainSeconds',
  'oscillation',
  'periodSeconds',
] as const satisfies readonly (keyof SweepRun)[];

/** The CSV column names: one per axis (with its unit), the branch when any, then seed and the figures. */
export function sweepCsvHeader(def: SweepDefinition): string[] {
  const axes = def.axes.map((a) => (a.unit === '' ? a.field : `${a.field} [${a.unit}]`));
  return [
    ...axes,
    ...(def.hysteresis ? ['branch'] : []),
    'seed',
    'verdict',
    'recoverySeconds',
    'goodputAfter',
    'peakQueue',
    'goodputBefore',
    'wastedPerSecond',
    'retriesPerOperation',
    'loop',
    'loopGain',
    ...CSV_MORE,
    ...(def.metrics ?? []).map((m) => m.name),
  ];
}

/** sweep.csv: one row per run, in cell then seed order; axis values as numbers in the axis unit when numeric. */
export function formatSweepCsv(f: SweepFile): string {
  const def = f.definition;
  const lines = [sweepCsvHeader(def).map(csvCell).join(',')];
  for (const r of f.runs) {
    const at = cellAt(def, r.cell);
    const axes = def.axes.map((a, k) => a.numbers[at[k] ?? 0] ?? a.labels[at[k] ?? 0] ?? '');
    const branch = def.hysteresis ? [cellBranch(def, r.cell)] : [];
    const row: (string | number | null)[] = [
      ...axes,
      ...branch,
      r.seed,
      r.verdict,
      r.recoverySeconds,
      r.goodputAfter,
      r.peakQueue,
      r.goodputBefore,
      r.wastedPerSecond,
      r.retriesPerOperation,
      r.loop,
      r.loopGain,
      ...CSV_MORE.map((k) => r[k]),
      ...(def.metrics ?? []).map((m) => r.metrics?.[m.name] ?? null),
    ];
    lines.push(row.map(csvCell).join(','));
  }
  return lines.join('\n') + '\n';
}
