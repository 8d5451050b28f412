/**
 * From a sweep's arguments to the runs it consists of: the overrides of each
 * cell (its axis values, and for the untriggered hysteresis branch, no
 * faults), each cell's scenario validated like a file, the definition that
 * sweep.json records, and the jobs of any slice of it.
 */
import { sha256 } from '@noble/hashes/sha2.js';
import { bytesToHex, utf8ToBytes } from '@noble/hashes/utils.js';
import type { Issue } from '../scenario/issue.js';
import type { Override } from '../scenario/override.js';
import { parseScenarioWith } from '../scenario/parse-with.js';
import type { NormalizedScenario } from '../scenario/types.js';
import { expandGrid, type SweepAxis, type SweepCell } from './grid.js';
import { jobOptionsOf, type Job, type JobOptions, type JobResult } from './job.js';
import type { MetricSpec } from './metric-spec.js';
import { jobPosition, type SweepDefinition, type SweepRun } from './sweep-file.js';

/** The overrides that make the untriggered branch of a hysteresis sweep: no faults, and no expectations about them. */
export function untriggeredOverrides(): Override[] {
  const source = '--hysteresis (untriggered branch: the faults removed)';
  return [
    { source, path: ['faults'], value: [] },
    { source, path: ['expect'], value: [] },
  ];
}

/** The overrides of one cell, after the sweep-wide `--set` ones. */
export function cellOverrides(sets: readonly Override[], axes: readonly SweepAxis[], cell: SweepCell): Override[] {
  const out = [...sets];
  axes.forEach((a, k) => {
    const i = cell.at[k] ?? 0;
    out.push({ source: `${a.source} (value ${a.labels[i] ?? ''})`, path: a.path, value: a.values[i] });
  });
  if (cell.branch === 'untriggered') out.push(...untriggeredOverrides());
  return out;
}

/** The definition sweep.json records (everything that fixes the jobs). */
export function sweepDefinition(
  base: NormalizedScenario,
  src: { readonly file: string; readonly text: string },
  sets: readonly Override[],
  axes: readonly SweepAxis[],
  hysteresis: boolean,
  seeds: { readonly from: number; readonly count: number },
  metrics: readonly MetricSpec[] = [],
): SweepDefinition {
  const cells = expandGrid(axes, hysteresis).length;
  return {
    scenario: { name: base.name, description: base.description, file: src.file, digest: bytesToHex(sha256(utf8ToBytes(src.text))) },
    sets: sets.map((s) => s.source.replace(/^--set /, '')),
    axes: axes.map((a) => ({ source: a.source, field: a.field, unit: a.unit, labels: a.labels, numbers: a.numbers })),
    hysteresis,
    seeds,
    cells,
    jobs: cells * seeds.count,
    ...(metrics.length > 0 ? { metrics } : {}),
  };
}

/**
 * Scenarios of the cells in `wanted` (others stay undefined), each validated
 * with its overrides; stops at the first cell that does not validate and
 * returns its issues.
 */
export function prepareCells(
  src: { readonly text: string; readonly file: string },
  sets: readonly Override[],
  axes: readonly SweepAxis[],
  cells: readonly SweepCell[],
  wanted: ReadonlySet<number>,
):
  | { readonly ok: true; readonly scenarios: (NormalizedScenario | undefined)[] }
  | { readonly ok: false; readonly issues: readonly Issue[] } {
  const scenarios: (NormalizedScenario | undefined)[] = new Array<NormalizedScenario | undefined>(cells.length).fill(undefined);
  for (const cell of cells) {
    if (!wanted.has(cell.index)) continue;
    const r = parseScenarioWith(src.text, src.file, cellOverrides(sets, axes, cell));
    if (!r.ok) return { ok: false, issues: r.issues };
    scenarios[cell.index] = r.value;
  }
  return { ok: true, scenarios };
}

/**
 * The jobs of a sweep's runs numbered `mine` (all of them, or one shard's),
 * each on its cell's scenario as {@link prepareCells} gave it.
 */
export function sweepJobs(
  def: SweepDefinition,
  scenarios: readonly (NormalizedScenario | undefined)[],
  mine: readonly number[],
  guards: JobOptions,
): Job[] {
  return mine.map((j) => {
    const { cell, seed } = jobPosition(def, j);
    const scenario = scenarios[cell];
    if (scenario === undefined) throw new Error(`sweep: cell ${cell} was not prepared`);
    return { scenario, seed, detail: 'figures', ...jobOptionsOf(guards) };
  });
}

/** The runs that finished, as sweep.json records them: `results[i]` is the result of run `mine[i]` (undefined when it did not finish). */
export function sweepRunsOf(def: SweepDefinition, mine: readonly number[], results: readonly (JobResult | undefined)[]): SweepRun[] {
  const runs: SweepRun[] = [];
  results.forEach((r, i) => {
    if (r !== undefined) runs.push({ ...jobPosition(def, mine[i] ?? 0), ...r.figures });
  });
  return runs;
}
