/**
 * `loopsim sweep x.yaml --find-tipping path=lo:hi --precision X --seeds N`:
 * bisects one parameter for the value at which most seeds start (or stop)
 * ending metastable (sim/sweep/tipping.ts), running each probe's seeds on
 * the worker pool. Whole-number fields are bisected on whole numbers. Prints
 * every probe and the final bracket, and writes tipping.json (default folder
 * `out/tipping-<name>/`), also when a probe fails or is interrupted: the
 * probes that finished are kept.
 */
import { join } from 'node:path';
import type { Override } from '../scenario/override.js';
import { parseFieldPath } from '../scenario/override.js';
import { formatPath } from '../scenario/issue.js';
import type { NormalizedScenario } from '../scenario/types.js';
import { countVerdicts } from '../sweep/aggregate.js';
import { formatAxisValue, parseRange, readQuantity, type AxisUnit } from '../sweep/grid.js';
import {
  createProbe,
  createTipping,
  nextTippingValue,
  recordTippingProbe,
  type TippingDirection,
  type TippingState,
} from '../sweep/tipping.js';
import { isWholeNumberField } from '../scenario/field-kind.js';
import { VERSION } from '../version.js';
import { EXIT_BAD_INPUT, EXIT_INTERRUPTED, EXIT_OK, type Io } from './io.js';
import { withOutputFolder, writeFileAtomic } from './output-folder.js';
import { overrideArgument, runReplayCommand } from './replay.js';
import { refuseWith } from './sweep-load.js';
import { parseScenarioWith } from '../scenario/parse-with.js';
import { reportFailure, runBatch, type SessionOptions } from './sweep-session.js';
import { formatTippingTable } from './sweep-table.js';
import { jobOptionsOf, type Job } from '../sweep/job.js';
import { createWorkerPool } from './worker-pool.js';

/** What the sweep command has already read and checked. */
export interface TippingInput {
  readonly path: string;
  readonly src: { readonly text: string; readonly file: string };
  readonly base: NormalizedScenario;
  readonly sets: readonly Override[];
  /** `path=lo:hi`, as given. */
  readonly range: string;
  /** Width of the final bracket, in the range's unit; default a hundredth of the range. */
  readonly precision: string | undefined;
  readonly seeds: { readonly from: number; readonly count: number };
  readonly workers: number;
  /** `up`, `down`, or undefined to find it from the two ends. */
  readonly direction?: TippingDirection | undefined;
}

/** Output options shared with the sweep command. */
export interface TippingOptions extends SessionOptions {
  readonly out?: string;
  readonly maxEvents?: number;
  readonly maxInflight?: number;
}

/** The `format` tag of tipping.json. */
export const TIPPING_FORMAT = 'loopsim-tipping/1';

function refuse(io: Io, message: string): number {
  io.err(`✖ ${message}\n`);
  return EXIT_BAD_INPUT;
}

/** tipping.json: the search's settings, every probe and the bracket found. */
export function formatTippingJson(
  input: TippingInput,
  field: string,
  unit: AxisUnit,
  s: TippingState,
  verdicts: readonly ReturnType<typeof countVerdicts>[],
  stopped: string | null = null,
): string {
  const label = (v: number | null): string | null => (v === null ? null : formatAxisValue(v, unit));
  return (
    JSON.stringify(
      {
        format: TIPPING_FORMAT,
        version: VERSION,
        scenario: input.base.name,
        field,
        unit,
        sets: input.sets.map((o) => o.source.replace(/^--set /, '')),
        range: { lo: s.lo, hi: s.hi },
        precision: s.precision,
        seeds: input.seeds,
        rule: 'a value tips when a strict majority of its seeds end metastable',
        status: s.status,
        direction: s.direction,
        wholeNumbers: s.integer,
        stopped,
        bracket: { below: s.below, above: s.above, belowLabel: label(s.below), aboveLabel: label(s.above) },
        probes: s.probes.map((p, i) => ({ ...p, label: formatAxisValue(p.value, unit), verdicts: verdicts[i] })),
      },
      null,
      2,
    ) + '\n'
  );
}

/** Runs the search; the exit code. */
export async function tippingCommand(input: TippingInput, opts: TippingOptions, io: Io): Promise<number> {
  // 1. The parameter, its range and the precision, in one unit.
  const source = `--find-tipping ${input.range}`;
  const eq = input.range.indexOf('=');
  const path = eq < 0 ? undefined : parseFieldPath(input.range.slice(0, eq).trim());
  if (path === undefined) return refuse(io, `${source}: expected path=lo:hi, e.g. --find-tipping faults[0].for=1s:60s.`);
  const range = parseRange(input.range.slice(eq + 1).trim(), false);
  if (!range.ok) return refuse(io, `${source}: cannot read the range: ${range.issues}.`);
  const { from: lo, to: hi, unit } = range.value;
  if (!(hi > lo)) return refuse(io, `${source}: the range must be wider than a point.`);
  let precision = (hi - lo) / 100;
  if (input.precision !== undefined) {
    const q = readQuantity(input.precision);
    const fits =
      q !== undefined && (q.kind === 'number' ? unit !== '%' : q.kind === (unit === 's' ? 'duration' : unit === '%' ? 'percent' : ''));
    if (q === undefined || !fits || !(q.value > 0))
      return refuse(
        io,
        `--precision ${input.precision}: expected a positive amount in the range's unit (${unit === 's' ? 'e.g. 0.5s' : unit === '%' ? 'e.g. 1%' : 'a number'}).`,
      );
    precision = q.value;
  }
  const field = formatPath(path);
  const integer = unit === '' && isWholeNumberField(path);
  if (integer && !(Number.isInteger(lo) && Number.isInteger(hi))) {
    return refuse(io, `${source}: ${field} takes whole numbers; give a range of whole numbers, e.g. ${Math.ceil(lo)}:${Math.floor(hi)}.`);
  }
  if (integer && input.precision !== undefined && !Number.isInteger(precision)) {
    return refuse(io, `--precision ${input.precision}: ${field} takes whole numbers; give a whole number.`);
  }
  if (integer && input.precision === undefined) precision = 1;

  // 2. Probes, one after another, each over every seed. A probe that fails
  // ends the search, but the probes that finished are still written.
  let state = createTipping(lo, hi, precision, { integer, ...(input.direction === undefined ? {} : { direction: input.direction }) });
  const verdicts: ReturnType<typeof countVerdicts>[] = [];
  const pool = createWorkerPool(input.workers);
  let interrupted = false;
  let failed: number | undefined;
  try {
    for (let value = nextTippingValue(state); value !== null; value = nextTippingValue(state)) {
      const label = formatAxisValue(value, unit);
      const r = parseScenarioWith(input.src.text, input.src.file, [...input.sets, { source: `${source} (probe ${label})`, path, value }]);
      if (!r.ok) {
        failed = refuseWith(io, r.issues);
        break;
      }
      const jobs: Job[] = [];
      for (let k = 0; k < input.seeds.count; k += 1) {
        jobs.push({ scenario: r.value, seed: input.seeds.from + k, detail: 'figures', ...jobOptionsOf(opts) });
      }
      let outcome;
      try {
        outcome = await runBatch(pool, jobs, `${field}=${label}`, opts, io.progress);
      } catch (e) {
        failed = reportFailure(e, io, (i) => {
          const seed = input.seeds.from + i;
          return {
            label: `probe ${field}=${label}, seed ${seed}`,
            replay: runReplayCommand(input.path, seed, [...input.sets.map(overrideArgument), `${field}=${value}`]),
          };
        });
        break;
      }
      if (outcome.interrupted) {
        interrupted = true;
        break;
      }
      const counts = countVerdicts(outcome.results.flatMap((x) => (x === undefined ? [] : [x.figures.verdict])));
      verdicts.push(counts);
      state = recordTippingProbe(state, createProbe(value, jobs.length, counts.metastable));
    }
  } finally {
    await pool.close();
  }

  // 3. Report.
  const dir = opts.out ?? join('out', `tipping-${input.base.name}`);
  const stopped = interrupted ? 'interrupted' : failed !== undefined ? 'a probe failed' : null;
  await withOutputFolder(dir, 'tipping.json', () =>
    Promise.resolve(writeFileAtomic(join(dir, 'tipping.json'), formatTippingJson(input, field, unit, state, verdicts, stopped))),
  );
  io.out(formatTippingTable(state, field, unit));
  if (failed !== undefined) {
    io.err(
      `✖ the search stopped at a failed probe; the probes that finished (${state.probes.length}) are in ${join(dir, 'tipping.json')}\n`,
    );
    return failed;
  }
  if (interrupted) {
    io.err(`✖ interrupted after ${state.probes.length} probes; the probes so far are in ${join(dir, 'tipping.json')}\n`);
    return EXIT_INTERRUPTED;
  }
  io.out(`outputs: ${dir}\n`);
  return EXIT_OK;
}
